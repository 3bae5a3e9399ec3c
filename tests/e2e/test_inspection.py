"""An inspector's journey (issue 6): plan → proposed scope → findings → notice → remedies tracked as tasks →
a proposal and its outcome, with the refused disciplinary form; the inspected unit reads and responds."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from dondoc.inspection.models import InspectionPlan, Proposal
from dondoc.tracking import timeliness as tl
from tests.e2e.helpers import login, logout, screenshot

pytestmark = pytest.mark.browser


def test_inspector_plans_inspects_concludes_and_records_the_outcome(
    page, live_server, personas, make_task, settings, tmp_path, clock
):
    settings.MEDIA_ROOT = tmp_path / "media"
    late = make_task(content="Lập đề án cải tạo chung cư cũ", due_date=date(2026, 2, 20), must_report=True)
    make_task(content="Rà soát quy hoạch bến xe", due_date=date(2026, 3, 2))
    make_task(content="Báo cáo chuyên đề trật tự xây dựng", must_submit=True)
    make_task(content="Tuyên truyền văn minh đô thị")

    # 1. The plan.
    login(page, live_server, "snv.thanhtra")
    page.get_by_role("link", name="Kiểm tra công vụ").click()
    page.get_by_role("link", name="Lập kế hoạch kiểm tra").click()
    page.get_by_label("Số quyết định thành lập đoàn").fill("12/QĐ-SNV")
    page.get_by_label("Ngày quyết định", exact=True).fill("02/03/2026")
    page.get_by_label("Tên đợt kiểm tra").fill("Kiểm tra công vụ quý I/2026")
    page.get_by_label("Hình thức", exact=True).select_option(label="Đột xuất")
    page.get_by_label("Thời kỳ kiểm tra từ ngày").fill("01/01/2026")
    page.get_by_label("Thời kỳ kiểm tra đến ngày").fill("09/03/2026")
    page.get_by_label("Ngày bắt đầu kiểm tra").fill("10/03/2026")
    page.get_by_label("Ngày kết thúc kiểm tra").fill("31/02/2026")  # no such day
    page.get_by_label("Trưởng đoàn", exact=True).select_option(label="Snv Thanhtra (Chuyên viên, SNV)")
    page.get_by_label("Thành viên", exact=True).select_option(label="Vp Theodoi (Chuyên viên, VP)")
    page.get_by_label("Đơn vị được kiểm tra").select_option(label="Sở Xây dựng")
    page.get_by_role("button", name="Lưu kế hoạch").click()
    expect(page.get_by_role("alert").first).to_contain_text("«Ngày kết thúc kiểm tra»: Ngày không hợp lệ")
    assert not InspectionPlan.objects.exists()
    page.get_by_label("Ngày kết thúc kiểm tra").fill("20/03/2026")
    page.get_by_role("button", name="Lưu kế hoạch").click()
    expect(page.get_by_role("heading", name="Kiểm tra công vụ quý I/2026")).to_be_visible()
    expect(page.get_by_text("Thành viên: Vp Theodoi (VP)")).to_be_visible()

    # 2. The proposed scope: the riskiest task of each kind is proposed; the inspector drops one.
    page.get_by_role("link", name="Phạm vi đề xuất SXD").click()
    table = page.locator("#scope-table")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator("tbody tr").first).to_contain_text("Lập đề án cải tạo chung cư cũ")  # highest risk
    expect(table.locator("input:checked")).to_have_count(4)  # one per kind a–d
    page.get_by_label("Tuyên truyền văn minh đô thị").uncheck()
    screenshot(page, "inspection_scope")
    page.get_by_role("button", name="Lưu mẫu kiểm tra").click()
    expect(page.get_by_role("heading", name="Biên bản kiểm tra: Sở Xây dựng")).to_be_visible()
    expect(page.locator(".finding")).to_have_count(3)

    # 3. Findings, with evidence.
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    first = page.locator(".finding", has_text="Lập đề án cải tạo chung cư cũ")
    first.get_by_label("Kết luận", exact=True).select_option(label="Cố tình chậm trễ")
    first.get_by_label("Nội dung kết luận").fill("Không triển khai dù đã được nhắc nhiều lần.")
    first.get_by_label("Tài liệu chứng minh").set_input_files(str(evidence))
    first.get_by_role("button", name="Ghi kết luận").click()
    expect(page.locator(".finding", has_text="Lập đề án").locator(".verdict")).to_have_text(
        "Cố tình chậm trễ"
    )
    page.get_by_label("Hạn giải trình").fill("13/03/2026")
    page.get_by_role("button", name="Đặt hạn giải trình").click()
    expect(page.locator("#response-due")).to_have_text("13/03/2026")

    # 4. A proposal to hold the accountable head to account (by default the head at the time of the task).
    page.get_by_label("Đối tượng", exact=True).select_option(label="Cá nhân")
    page.get_by_label("Căn cứ kết luận về nhiệm vụ").select_option(label="Lập đề án cải tạo chung cư cũ")
    page.get_by_label("Căn cứ, lý do").fill("Cố tình chậm trễ thực hiện nhiệm vụ được giao.")
    page.get_by_role("button", name="Ghi đề nghị").click()
    expect(page.locator("#unit-proposals")).to_contain_text("Cá nhân: Sxd Truong")
    screenshot(page, "inspection_record")

    # 5. The inspected unit reads its record and responds.
    logout(page)
    login(page, live_server, "sxd.cv1")
    page.get_by_role("link", name="Kiểm tra công vụ").click()
    page.get_by_role("link", name="Kiểm tra công vụ quý I/2026").click()
    page.get_by_role("link", name="Biên bản kiểm tra SXD").click()
    expect(page.get_by_role("button", name="Ghi kết luận")).to_have_count(0)
    page.get_by_label("Nội dung giải trình").fill("Đơn vị vướng thủ tục giải phóng mặt bằng.")
    page.get_by_role("button", name="Gửi giải trình").click()
    expect(page.locator("#responses")).to_contain_text("vướng thủ tục giải phóng mặt bằng")
    logout(page)

    # 6. Remedy and the notice of results (numbered in Sở Nội vụ's register, DOCX and PDF).
    login(page, live_server, "snv.thanhtra")
    page.goto(f"{live_server.url}/thanh-tra/{InspectionPlan.objects.get().pk}/")
    page.get_by_label("Đơn vị chủ trì khắc phục").select_option(label="Sở Xây dựng")
    page.get_by_label("Nội dung khắc phục").fill("Hoàn thành đề án cải tạo chung cư cũ")
    page.get_by_label("Thời hạn khắc phục").fill("15/04/2026")
    page.get_by_role("button", name="Thêm biện pháp khắc phục").click()
    expect(page.locator("#remedies")).to_contain_text("Theo dõi khi ban hành thông báo")
    page.get_by_label("Ngày ban hành thông báo").fill("20/03/2026")
    page.get_by_role("button", name="Ban hành thông báo kết quả").click()  # the inspection runs until 20/03
    expect(page.get_by_role("alert").first).to_contain_text("Chưa thể ban hành thông báo kết quả")
    assert InspectionPlan.objects.get().notice is None
    clock.move_to("2026-03-21 09:00 +07:00")
    login(page, live_server, "snv.thanhtra")  # eleven days later: a new session
    page.goto(f"{live_server.url}/thanh-tra/{InspectionPlan.objects.get().pk}/")
    page.get_by_label("Ngày ban hành thông báo").fill("20/03/2026")
    page.get_by_role("button", name="Ban hành thông báo kết quả").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Đã ban hành thông báo kết quả kiểm tra số 01/TB-SNV"
    )
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải bản DOCX").click()
    path = tmp_path / "notice.docx"
    info.value.save_as(path)
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    cells = [c.text for t in Document(str(path)).tables for row in t.rows for c in row.cells]
    assert "THÔNG BÁO" in text and any("Số: 01/TB-SNV" in c for c in cells)
    assert "Hoàn thành đề án cải tạo chung cư cũ" in cells and "15/04/2026" in cells
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải bản PDF").click()
    pdf_path = tmp_path / "notice.pdf"
    info.value.save_as(pdf_path)
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages)
    assert "01/TB-SNV" in pdf_text

    # 7. The remedy is a tracked, assigned task with one lead unit and a deadline (the follow-up engine urges it).
    page.locator("#remedies").get_by_role("link", name="Nhiệm vụ: Đã giao").click()
    expect(page.get_by_text("Hoàn thành đề án cải tạo chung cư cũ").first).to_be_visible()
    remedy_task = InspectionPlan.objects.get().remedies.get().task
    assert remedy_task.state == tl.ASSIGNED and remedy_task.lead_unit.code == "SXD"
    assert remedy_task.due_date == date(2026, 4, 15) and remedy_task.next_followup_at is not None

    # 8. The outcome: a form abolished on 01/07/2025 is refused, then the reprimand is recorded.
    page.goto(f"{live_server.url}/thanh-tra/{InspectionPlan.objects.get().pk}/")
    page.locator("#proposals").get_by_role("link", name="Kết quả xử lý").click()
    page.get_by_label("Ngày bắt đầu xử lý").fill("20/03/2026")
    page.get_by_label("Ngày họp kiểm điểm").fill("01/04/2026")
    page.get_by_label("Hình thức kỷ luật", exact=True).select_option(label="Hạ bậc lương")
    page.get_by_label("Số quyết định kỷ luật").fill("45/QĐ-SXD")
    page.get_by_label("Ngày quyết định kỷ luật").fill("10/04/2026")
    page.get_by_role("button", name="Ghi kết quả xử lý").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "«Hình thức kỷ luật»: Hình thức kỷ luật «Hạ bậc lương» không có trong Nghị định số 172/2025/NĐ-CP"
    )
    assert Proposal.objects.get().form == ""
    page.get_by_label("Hình thức kỷ luật", exact=True).select_option(label="Khiển trách")
    page.get_by_role("button", name="Ghi kết quả xử lý").click()
    expect(page.locator("#decided-form")).to_contain_text(
        "Khiển trách (Quyết định 45/QĐ-SXD ngày 10/04/2026)"
    )
    expect(page.locator("#handling-deadline")).to_contain_text("18/06/2026")
    screenshot(page, "inspection_outcome")
    assert late.pk != remedy_task.pk
