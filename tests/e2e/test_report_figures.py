"""An issued report and the dashboard in a real browser (issue 14): the report page links to the dashboard at its
period and reference date and every figure agrees; a later extension leaves the issued report as it was signed."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from dondoc.evaluation import periods as pr
from dondoc.evaluation import report
from dondoc.org.models import Person, Unit
from dondoc.tracking import actions
from dondoc.tracking.models import Task
from tests.e2e.helpers import login, screenshot
from tests.evaluation.lifecycle import complete_by_lead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARCH = pr.monthly(2026, 3)  # 15/02–14/03/2026
REF = date(2026, 3, 9)  # the report's cut-off; the browser's clock says 10/03/2026
TABLES = ("bang-don-vi", "bang-cap-giao", "bang-loai")

# Every figures table of the page as {table id: {row label: [cell texts after the label]}}.
READ_TABLES = """() => {
  const out = {};
  for (const table of document.querySelectorAll('table[id]')) {
    const rows = {};
    for (const tr of table.querySelectorAll('tbody tr')) {
      const th = tr.querySelector('th');
      if (!th) continue;
      const cells = [];
      for (let td = th.nextElementSibling; td; td = td.nextElementSibling) cells.push(td.textContent.trim());
      rows[th.textContent.trim()] = cells;
    }
    out[table.id] = rows;
  }
  return out;
}"""


def issued_march_report(personas, make_task) -> tuple[int, Task]:
    """T3/2026 to 09/03, issued by Sở Nội vụ: Sở Xây dựng has two overdue tasks (one secret), one on time, one
    within its deadline; Sở Y tế one overdue. Returns the run's id and the overdue task to be extended."""
    extended = make_task(due_date=date(2026, 3, 2), content="Báo cáo rà soát dự án chậm tiến độ")
    make_task(due_date=date(2026, 3, 4), content="Nhiệm vụ mật quá hạn", secret=True)
    complete_by_lead(make_task(due_date=date(2026, 3, 5)), date(2026, 3, 4), personas)
    make_task(due_date=date(2026, 3, 13), content="Đề án chỉnh trang đô thị")
    make_task(due_date=date(2026, 3, 3), lead="SYT", coordinators=(), content="Kiểm tra an toàn thực phẩm")
    run = report.new_run(MARCH, Unit.objects.get(code="SNV"), ref=REF)
    run = report.generate(run)
    # 09/03 is no reporting cut-off: such a report is withheld from the uncleared (`secrecy.reports_withheld`,
    # tests/security/test_secret_reference_dates.py); the inspector reading it here is cleared
    Person.objects.filter(pk=personas["inspector"].pk).update(cleared_for_secrets=True)
    report.issue_run(run, personas["inspector"].user)
    return run.pk, extended


def approve_extension(task: Task, personas) -> None:
    """Sở Xây dựng asks for 31/03 (out of T3/2026) on 10/03, after the report's cut-off; the leader approves."""
    actions.request_change(
        task, personas["lead_officer"].user, reason="Chờ ý kiến Bộ", proposed_due_date=date(2026, 3, 31)
    )
    actions.decide_change(
        Task.objects.get(pk=task.pk), personas["leader"].user, approve=True, decision_document="99/UBND-KT"
    )


def read(page: Page) -> dict:
    return page.evaluate(READ_TABLES)


def cards(page: Page) -> list[str]:
    return [t.strip() for t in page.locator("#so-lieu-thanh-pho .so-lieu").all_inner_texts()]


def open_report_then_dashboard(page: Page, live_server, run_id: int) -> tuple[dict, dict, list[str]]:
    """The inspector (cleared for secret documents) opens the report, then its link to the dashboard."""
    login(page, live_server, "snv.thanhtra")
    page.goto(f"{live_server.url}/danh-gia/bao-cao/{run_id}/")
    expect(page.locator(".report-status")).to_have_attribute("data-status", "issued")
    expect(page.locator("#so-lieu-bao-cao")).to_be_visible()
    frozen = read(page)
    page.get_by_role("link", name="Xem trang thống kê của kỳ này, số liệu tính đến ngày 09/03/2026").click()
    expect(page.locator("#ky-bao-cao")).to_contain_text("Tháng 3/2026 (15/02–14/03/2026)")
    expect(page.locator("#ky-bao-cao")).to_contain_text("tính đến ngày 09/03/2026")
    expect(page.get_by_label("Số liệu tính đến ngày")).to_have_value("09/03/2026")
    return frozen, read(page), cards(page)


def test_issued_report_agrees_with_the_dashboard_and_outlives_an_extension(
    page, live_server, personas, make_task
):
    run_id, task = issued_march_report(personas, make_task)
    frozen, board, city_cards = open_report_then_dashboard(page, live_server, run_id)
    screenshot(page, "dashboard-at-report-date")
    for table in TABLES:
        assert board[table] == frozen[table], table
    city = frozen["bang-thanh-pho"]["Toàn Thành phố"]
    assert city_cards == city[:7]  # due, on time, late, within, overdue, no deadline, extended
    assert city_cards[:5] == [
        "5",
        "1",
        "0",
        "1",
        "3",
    ]  # the secret overdue task counted (the inspector is cleared)

    approve_extension(task, personas)

    page.goto(f"{live_server.url}/danh-gia/bao-cao/{run_id}/")
    expect(page.locator("#so-lieu-bao-cao")).to_be_visible()
    assert read(page) == frozen  # the issued report did not change
    expect(page.get_by_text("Đã tạo xong dự thảo")).to_have_count(0)


def test_dashboard_at_the_reports_date_is_unchanged_by_a_later_extension(
    page, live_server, personas, make_task
):
    run_id, task = issued_march_report(personas, make_task)
    frozen, _board, _cards = open_report_then_dashboard(page, live_server, run_id)
    approve_extension(task, personas)
    page.goto(f"{live_server.url}/danh-gia/bao-cao/{run_id}/")
    page.get_by_role("link", name="Xem trang thống kê của kỳ này, số liệu tính đến ngày 09/03/2026").click()
    expect(page.locator("#ky-bao-cao")).to_contain_text("tính đến ngày 09/03/2026")
    board = read(page)
    for table in TABLES:
        assert board[table] == frozen[table], table
    assert cards(page) == frozen["bang-thanh-pho"]["Toàn Thành phố"][:7]
