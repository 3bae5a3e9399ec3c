"""The draft checker in the browser: paste a draft, read the marked clauses and findings, fix a missing lead,
register, and find the tasks on the directive's page (dispatch 3031 §3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dondoc.directives.models import Directive
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task
from tests.e2e.helpers import login, open_menu, screenshot

pytestmark = pytest.mark.browser

SEED = (Path(__file__).parent.parent / "drafting" / "data" / "seed_3031.txt").read_text(encoding="utf-8")


def test_tracker_checks_a_draft_fixes_a_lead_and_registers_its_tasks(page, live_server, personas):
    login(page, live_server, "vp.theodoi")
    open_menu(page, "Kiểm tra dự thảo")
    expect(page.get_by_role("heading", name="Kiểm tra dự thảo văn bản chỉ đạo")).to_be_visible()

    # An empty submission is refused with a message naming the field.
    page.get_by_role("button", name="Kiểm tra").click()
    expect(page.locator(".field-error")).to_have_text("Nội dung dự thảo: hãy dán văn bản hoặc chọn tệp.")

    page.get_by_label("Nội dung dự thảo").fill(SEED)
    page.get_by_role("button", name="Kiểm tra").click()

    # The text with each task clause marked and numbered; the findings beside each clause.
    expect(page.locator("#summary")).to_contain_text("4 nhiệm vụ, 5 lỗi")
    marks = page.locator("#draft-text mark.clause")
    expect(marks).to_have_count(4)
    expect(page.locator("#doan-4 .clause-lead")).to_have_text("Sở Nội vụ")
    expect(page.locator("#doan-1")).to_have_class(re.compile("clause-error"))
    expect(page.locator("#doan-4")).to_have_class(re.compile("clause-ok"))
    card1 = page.locator("#nv-1")
    expect(card1.locator(".finding")).to_have_count(2)
    expect(card1).to_contain_text(
        "Nhiệm vụ giao cho một nhóm cơ quan chung chung, không rõ cơ quan chịu trách nhiệm."
    )
    expect(page.locator("#nv-3")).to_contain_text("Có yêu cầu báo cáo nhưng không có thời hạn báo cáo.")
    expect(page.locator("#nv-4 .clause-deadline-text")).to_contain_text("Hằng tháng, trước ngày 25 Định kỳ")
    page.locator("#doan-3 .clause-no").click()  # the number in the text leads to the clause's card
    expect(page).to_have_url(re.compile(r"#nv-3$"))
    screenshot(page, "drafting_result")

    page.get_by_role("link", name="Sửa và đăng ký văn bản").click()
    expect(page.get_by_role("heading", name="Sửa và đăng ký văn bản cùng các nhiệm vụ")).to_be_visible()
    expect(page.get_by_label("Số, ký hiệu")).to_have_value("3031/UBND-TKBT")
    expect(page.get_by_label("Ngày ban hành")).to_have_value("10/07/2020")
    expect(page.locator("#id_nv-3-lead_unit option:checked")).to_have_text("Sở Nội vụ")
    page.get_by_label("Trích yếu").fill("V/v nâng cao kỷ luật, kỷ cương hành chính trong thực hiện nhiệm vụ")

    # The collective lead ("các sở, ban, ngành ...") was left blank: registering is refused, nothing saved.
    page.get_by_role("button", name="Đăng ký văn bản và nhiệm vụ").click()
    expect(page.locator("#register-errors")).to_contain_text(
        "Nhiệm vụ 1 — Đơn vị chủ trì: Mỗi nhiệm vụ phải có một đơn vị chủ trì."
    )
    assert not Directive.objects.exists()

    page.locator("#id_nv-0-lead_unit").select_option(label="Sở Xây dựng")
    screenshot(page, "drafting_register")
    page.get_by_role("button", name="Đăng ký văn bản và nhiệm vụ").click()

    directive = Directive.objects.get()
    expect(page).to_have_url(re.compile(rf"/van-ban/{directive.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text(
        "Đã vào sổ văn bản 3031/UBND-TKBT và đăng ký 4 nhiệm vụ (đã giao)."
    )
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("Sở Xây dựng")
    expect(rows.nth(3)).to_contain_text("Sở Nội vụ")
    expect(rows.nth(3)).to_contain_text("UBND thành phố giao Sở Nội vụ")
    screenshot(page, "drafting_registered")
    # And in the task list, tracked like any other task.
    page.goto(f"{live_server.url}/nhiem-vu/?directive={directive.pk}")
    listed = page.locator("table tbody tr")
    expect(listed).to_have_count(4)
    expect(listed.filter(has_text="UBND thành phố giao Sở Nội vụ")).to_have_count(1)
    assert sorted(Task.objects.values_list("lead_unit__code", flat=True)) == [
        "SNV",
        "SXD",
        "VPUBND",
        "VPUBND",
    ]
    assert set(Task.objects.values_list("state", flat=True)) == {tl.ASSIGNED}
