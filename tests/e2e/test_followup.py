"""The notification centre in the browser: the header badge, mark one and all as read, the link to the task."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from playwright.sync_api import expect

from dondoc.followup import engine
from dondoc.followup.ladder import at_day
from dondoc.tracking.models import TaskSchedule
from tests.e2e.helpers import login, screenshot

pytestmark = pytest.mark.browser


def test_officer_reads_reminders_in_the_notification_centre(page, live_server, personas, make_task):
    engine.install_default_rules()  # the transactional flush removed the data migration's rows
    first = make_task(due_date=date(2026, 3, 10), content="Rà soát hồ sơ cấp phép xây dựng quý I")
    second = make_task(due_date=date(2026, 3, 10), content="Báo cáo tình hình trật tự xây dựng")
    for task in (first, second):
        TaskSchedule.objects.update_or_create(task=task, defaults={"next_at": at_day(date(2026, 3, 10))})
    with time_machine.travel(at_day(date(2026, 3, 10)), tick=False):
        engine.run_once()  # 10/03 is the deadline: a warning per task to the officer and the head

    login(page, live_server, "sxd.cv1")
    badge = page.locator("#unread-count")
    expect(badge).to_have_text("2")
    page.locator("#notification-badge").click()
    expect(page.get_by_role("heading", name="Thông báo đôn đốc")).to_be_visible()
    items = page.locator("#notifications .notification")
    expect(items).to_have_count(2)
    expect(page.locator("#notifications .unread")).to_have_count(2)
    expect(items.first).to_contain_text("hôm nay đến thời hạn hoàn thành (10/03/2026)")
    screenshot(page, "followup_inbox")

    page.locator("#notifications .unread").first.get_by_role("button", name="Đã đọc").click()
    expect(badge).to_have_text("1")
    expect(page.locator("#notifications .unread")).to_have_count(1)

    page.get_by_role("button", name="Đánh dấu tất cả là đã đọc").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã đánh dấu 1 thông báo là đã đọc.")
    expect(badge).to_have_text("0")
    expect(page.locator("#notifications .unread")).to_have_count(0)

    page.get_by_role("link", name=re.compile(f"Nhiệm vụ #{first.pk}:")).click()
    expect(page).to_have_url(re.compile(rf"/nhiem-vu/{first.pk}/$"))
    expect(page.locator("#reminders")).to_contain_text("Cảnh báo đến hạn (thời hạn hoàn thành)")
    expect(page.locator("#reminders")).to_contain_text("Gửi Sxd Truong (Thủ trưởng")
