"""The leaders' dashboard in a real browser: charts drawn, and a number clicked opens a list of that many tasks."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from dondoc.tracking import actions
from tests.e2e.conftest import login, screenshot
from tests.evaluation.lifecycle import complete_by_lead

pytestmark = pytest.mark.browser


def test_leader_clicks_a_number_and_gets_that_many_tasks(page, live_server, personas, make_task):
    # Tháng 3/2026 (15/02–14/03/2026), seen on 10/03/2026: two overdue, one on time, one within the deadline.
    make_task(due_date=date(2026, 3, 2), content="Báo cáo rà soát dự án chậm tiến độ")
    make_task(due_date=date(2026, 3, 3), content="Kiểm tra công trình xây dựng")
    complete_by_lead(make_task(due_date=date(2026, 3, 5)), date(2026, 3, 4), personas)
    make_task(due_date=date(2026, 3, 13), content="Đề án chỉnh trang đô thị")
    make_task(due_date=date(2026, 3, 16), content="Việc của kỳ sau")  # Tháng 4: not counted
    actions.cancel(make_task(due_date=date(2026, 3, 4)), personas["leader"].user, reason="Không cần")

    login(page, live_server, "lanhdao")
    page.get_by_role("link", name="Thống kê, đánh giá").click()
    expect(page.locator("#ky-bao-cao")).to_contain_text("Tháng 3/2026 (15/02–14/03/2026)")
    expect(page.locator("#bieu-do-don-vi")).to_be_visible()
    screenshot(page, "dashboard")

    overdue = page.locator('#so-lieu-thanh-pho a[data-measure="qua_han"] .so-lieu')
    expect(overdue).to_have_text("2")
    page.locator('#so-lieu-thanh-pho a[data-measure="qua_han"]').click()
    expect(page.get_by_text(re.compile(r"Tìm thấy 2 nhiệm vụ\."))).to_be_visible()
    expect(page.get_by_role("link", name="Báo cáo rà soát dự án chậm tiến độ")).to_be_visible()
    page.go_back()

    due_cell = page.locator('#bang-don-vi a[data-measure="den_han"]').first
    expect(due_cell).to_have_text("4")
    due_cell.click()
    expect(page.get_by_text(re.compile(r"Tìm thấy 4 nhiệm vụ\."))).to_be_visible()
    expect(page.get_by_role("link", name="Việc của kỳ sau")).to_have_count(0)


def test_bad_custom_dates_show_a_message(page, live_server, personas):
    login(page, live_server, "lanhdao")
    page.goto(f"{live_server.url}/danh-gia/?loai_ky=tuy_chon&tu_ngay=15/03/2026&den_ngay=14/02/2026")
    expect(page.get_by_text("«Đến ngày» phải sau hoặc bằng «Từ ngày».")).to_be_visible()
