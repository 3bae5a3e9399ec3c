"""Browser journeys of the exports and the periodic report: a real download, and the progress page updating itself
(htmx polling, no inline script) while the background worker generates the report."""

from __future__ import annotations

import codecs
import csv
import io
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from dondoc.evaluation import exports
from dondoc.evaluation.report_models import ReportRun
from tests.e2e.helpers import login
from tests.helpers import run_jobs

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_downloads_the_filtered_list_as_csv(page, live_server, personas, make_task):
    make_task(content="Nhiệm vụ quá hạn của Sở Xây dựng", due_date=date(2026, 3, 2))
    make_task(content="Nhiệm vụ trong hạn của Sở Xây dựng", due_date=date(2026, 4, 30))
    make_task(content="Nhiệm vụ của Sở Y tế", lead="SYT", coordinators=(), due_date=date(2026, 3, 2))
    login(page, live_server, personas["lead_officer"].user.username)
    page.goto(f"{live_server.url}/nhiem-vu/?bucket=overdue")
    with page.expect_download() as info:
        page.get_by_role("link", name="Xuất CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    raw = open(download.path(), "rb").read()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == exports.HEADERS
    assert [r[4] for r in rows[1:]] == ["Nhiệm vụ quá hạn của Sở Xây dựng"]  # not Sở Y tế's: not visible


def test_progress_page_updates_itself_until_the_report_is_ready(
    page, live_server, personas, registry, make_task, settings
):
    settings.REPORT_INLINE_MAX_TASKS = 0  # every report goes to the background worker
    make_task(content="Nhiệm vụ tháng 2", due_date=date(2026, 2, 10))
    login(page, live_server, personas["inspector"].user.username)
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    page.get_by_role("link", name="Tạo báo cáo").click()
    page.get_by_role("button", name="Tạo dự thảo báo cáo").click()
    expect(page.locator(".report-status")).to_have_attribute("data-status", "queued")
    expect(page.get_by_role("link", name=re.compile("Tải DOCX"))).to_have_count(0)
    run = ReportRun.objects.get()
    assert (run.period_start, run.period_end) == (date(2026, 1, 15), date(2026, 2, 14))

    run_jobs()  # the worker, while the page is open

    expect(page.get_by_role("link", name=re.compile("Tải DOCX"))).to_be_visible()  # within a poll or two
    expect(page.locator(".report-status")).to_have_attribute("data-status", "draft")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải phụ lục XLSX").click()
    assert info.value.suggested_filename.endswith("-phu-luc.xlsx")
    page.get_by_role("button", name=re.compile("Ban hành")).click()
    expect(page.get_by_text("Số đã cấp không thu hồi được.")).to_be_visible()  # the confirmation step
    page.get_by_role("button", name="Xác nhận ban hành").click()
    expect(page.get_by_text("Đã ban hành báo cáo số 01/BC-SNV.")).to_be_visible()
