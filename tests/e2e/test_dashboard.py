"""The leaders' dashboard in a real browser: charts drawn, and a number clicked opens a list of that many tasks."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from dondoc.tracking import actions
from tests.e2e.helpers import login, screenshot
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


def test_units_are_named_in_full_every_bar_is_labelled_and_the_period_is_not_cut(
    page, live_server, personas, registry, make_task
):
    """Issue 20, point 11: abbreviations (SQHKT, BQL) beside full ward names, every other bar labelled, the period
    select cut ("Tháng 12/2026 (15/11"), a unit whose only task is within its deadline ranked last at 0 %."""
    wards = sorted(u.code for u in registry.values() if u.kind == "ward")[:28]
    for i, code in enumerate(wards):  # thirty units with a task due in Tháng 3/2026: one overdue, one within
        make_task(lead=code, coordinators=(), due_date=date(2026, 3, 2 if i % 2 else 3))
    make_task(lead="SQHKT", coordinators=(), due_date=date(2026, 3, 3))
    # its only task: within the deadline
    make_task(lead="BQLKCN", coordinators=(), due_date=date(2026, 3, 13))
    complete_by_lead(make_task(due_date=date(2026, 3, 5)), date(2026, 3, 4), personas)

    login(page, live_server, "lanhdao")
    page.goto(f"{live_server.url}/danh-gia/")
    page.wait_for_load_state("load")
    chart = page.evaluate(
        """() => {
          const c = Chart.getChart(document.getElementById('bieu-do-don-vi'));
          return {labels: c.data.labels, ticks: c.scales.y.ticks.length};
        }"""
    )
    assert len(chart["labels"]) == 31 and chart["ticks"] == 31  # every bar has its label
    assert "Sở Quy hoạch - Kiến trúc" in chart["labels"] and "SQHKT" not in chart["labels"]
    assert "Ban Quản lý các Khu công nghệ cao …" in chart["labels"]  # cut where space demands

    table = page.locator("#bang-don-vi")
    expect(table.get_by_role("rowheader", name="Sở Quy hoạch - Kiến trúc")).to_be_visible()
    board = table.locator(
        "tbody tr", has_text="Ban Quản lý các Khu công nghệ cao và Khu công nghiệp Thành phố"
    )
    expect(board).to_contain_text("chưa có nhiệm vụ đến hạn")
    expect(board.locator("td").first).to_have_text("—")  # not ranked, let alone last at 0 %
    expect(table.locator("tbody tr").last).to_contain_text("chưa có nhiệm vụ đến hạn")

    period = page.locator("#id_ky")
    expect(period).to_contain_text("Tháng 3/2026 (15/02–14/03/2026)")
    room = period.evaluate(
        """s => {
          const style = getComputedStyle(s), ctx = document.createElement('canvas').getContext('2d');
          ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
          const text = ctx.measureText(s.options[s.selectedIndex].text).width;
          return s.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - text;
        }"""
    )
    assert room >= 0, f"the period is cut by {-room:.0f} px"
    screenshot(page, "dashboard-units")
