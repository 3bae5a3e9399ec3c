"""The City Office issues an urging letter in the browser and downloads it (DOMAIN.md §7 and §9)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from dondoc.documents.models import OutgoingDocument
from dondoc.org.models import Unit
from tests.e2e.helpers import login, screenshot
from tests.helpers import SXD_URGING_ROWS, run_jobs

pytestmark = pytest.mark.browser


def test_tracker_issues_an_urging_letter_and_downloads_docx_and_pdf(
    page, live_server, personas, make_task, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    late = make_task(content="Hoàn thiện đề án cải tạo chung cư cũ", due_date=date(2026, 2, 27))
    make_task(content="Quy hoạch bến xe liên tỉnh", due_date=date(2026, 4, 30))

    login(page, live_server, "vp.theodoi")
    page.get_by_role("link", name="Văn bản đi").click()
    page.get_by_role("link", name="Công văn đôn đốc").click()
    expect(page.get_by_role("heading", name="Công văn đôn đốc", level=1)).to_be_visible()
    page.get_by_label("Đơn vị nhận công văn").select_option(label="Sở Xây dựng (có nhiệm vụ quá hạn)")
    page.get_by_role("button", name="Xem trước").click()

    preview = page.locator("#danh-sach-don-doc")
    expect(preview.locator("tbody tr")).to_have_count(1)
    expect(preview).to_contain_text("Hoàn thiện đề án cải tạo chung cư cũ")
    expect(preview).to_contain_text("27/02/2026")
    expect(preview).not_to_contain_text("Quy hoạch bến xe liên tỉnh")
    screenshot(page, "urging_preview")

    page.get_by_role("button", name="Ban hành công văn đôn đốc").click()
    expect(page.get_by_role("heading", name="Ban hành công văn đôn đốc gửi Sở Xây dựng?")).to_be_visible()
    page.get_by_role("button", name="Xác nhận ban hành").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Đã ban hành công văn đôn đốc số 01/VP-TKBT gửi Sở Xây dựng"
    )
    expect(page.locator("#so-ky-hieu")).to_have_text("01/VP-TKBT")
    # Numbered in the request; its files are drawn by the worker, the page polling until they exist.
    expect(page.locator(".dang-tao-tep")).to_be_visible()
    expect(page.get_by_role("link", name="Tải bản DOCX")).to_have_count(0)
    run_jobs()  # the worker, while the page is open
    expect(page.get_by_role("link", name="Tải bản DOCX")).to_be_visible()  # within a poll or two
    screenshot(page, "urging_issued")

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải bản DOCX").click()
    download = info.value
    assert download.suggested_filename == "01-VP-TKBT.docx"
    path = tmp_path / "letter.docx"
    download.save_as(path)
    document = Document(str(path))
    rows = [[c.text for c in row.cells] for row in document.tables[1].rows[1:]]
    assert rows == SXD_URGING_ROWS[:1]  # the letter's first task, the only one overdue here

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải bản PDF").click()
    pdf_path = tmp_path / "letter.pdf"
    info.value.save_as(pdf_path)
    text = unicodedata.normalize("NFC", " ".join(p.extract_text() for p in PdfReader(str(pdf_path)).pages))
    assert "Số: 01/VP-TKBT" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text

    # The urging is on the task's timeline.
    page.get_by_role("link", name="Hoàn thiện đề án cải tạo chung cư cũ").click()
    expect(page).to_have_url(re.compile(rf"/nhiem-vu/{late.pk}/$"))
    expect(page.get_by_text("Công văn đôn đốc: — → 01/VP-TKBT")).to_be_visible()
    assert OutgoingDocument.objects.get().tasks.get() == late


def test_unit_officer_is_refused_the_urging_page(page, live_server, personas):
    login(page, live_server, "sxd.cv1")
    response = page.goto(f"{live_server.url}/van-ban-di/don-doc/")
    assert response is not None and response.status == 403
    expect(page.get_by_text("Bạn không có quyền")).to_be_visible()


def test_the_urging_page_shows_units_and_tasks_named_with_markup_as_text_and_issues_a_letter(
    page, live_server, personas, registry, make_task, settings, tmp_path
):
    """The overview of the units and the letter's lines are written in Python (`urging_tags`): a unit's and a
    task's name are escaped there as the template escaped them, and the page still previews and issues."""
    settings.MEDIA_ROOT = tmp_path / "media"
    Unit.objects.filter(pk=registry["SXD"].pk).update(name="Sở <b>Xây dựng</b>")
    make_task(content="Hoàn thiện <b>đề án</b> cải tạo chung cư cũ", due_date=date(2026, 2, 27))
    make_task(content="Rà soát quy hoạch phân khu", due_date=date(2026, 3, 2))
    make_task(content="Quy hoạch bến xe liên tỉnh", due_date=date(2026, 4, 30))  # not late: not in the letter
    make_task(content="Báo cáo quyết toán ngân sách", lead="STC", coordinators=(), due_date=date(2026, 3, 3))

    login(page, live_server, "vp.theodoi")
    page.goto(f"{live_server.url}/van-ban-di/don-doc/")
    overview = page.locator("section[aria-labelledby=tong-hop] table")
    rows = overview.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("td").nth(0)).to_have_text("Sở <b>Xây dựng</b>")  # the markup shown as text
    expect(rows.nth(0).locator("td").nth(1)).to_have_text("2")
    expect(rows.nth(1).locator("td").nth(0)).to_have_text("Sở Tài chính")
    expect(rows.nth(1).locator("td").nth(1)).to_have_text("1")
    expect(page.locator("main b", has_text="Xây dựng")).to_have_count(0)  # no element made of a name
    screenshot(page, "urging/page")

    rows.nth(0).get_by_role("link", name="Xem trước").click()
    expect(page.locator("#xem-truoc")).to_have_text("Xem trước công văn gửi Sở <b>Xây dựng</b>")
    preview = page.locator("#danh-sach-don-doc tbody tr")
    expect(preview).to_have_count(2)
    expect(preview.nth(0).locator("td")).to_have_text(
        [
            "1",
            "15/CT-UBND ngày 02/02/2026",
            "Hoàn thiện <b>đề án</b> cải tạo chung cư cũ",
            "27/02/2026",
            "7",  # working days late: 27/02 → 10/03/2026
            "Quá hạn chưa hoàn thành (Đã giao)",
        ]
    )
    expect(preview.nth(1)).to_contain_text("Rà soát quy hoạch phân khu")
    expect(preview.nth(1)).to_contain_text("02/03/2026")
    expect(page.locator("#danh-sach-don-doc")).not_to_contain_text("Quy hoạch bến xe liên tỉnh")
    expect(page.locator("#danh-sach-don-doc b")).to_have_count(0)
    screenshot(page, "urging/preview")

    page.get_by_role("button", name="Ban hành công văn đôn đốc").click()
    page.get_by_role("button", name="Xác nhận ban hành").click()
    expect(page.get_by_role("alert").first).to_contain_text(
        "Đã ban hành công văn đôn đốc số 01/VP-TKBT gửi Sở <b>Xây dựng</b> (2 nhiệm vụ)."
    )
    screenshot(page, "urging/issued")
    letter = OutgoingDocument.objects.get()
    assert sorted(letter.tasks.values_list("content", flat=True)) == [
        "Hoàn thiện <b>đề án</b> cải tạo chung cư cũ",
        "Rà soát quy hoạch phân khu",
    ]
