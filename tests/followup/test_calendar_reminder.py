"""From 1 November the City Office is reminded, once a week, while next year's Tết or National Day decision is not
entered in the calendar (issue 15); a daily job of the follow-up engine."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from dondoc.followup import engine
from dondoc.followup.calendar_reminder import calendar_decisions_job
from dondoc.followup.models import Notification
from dondoc.workdays.models import CalendarDay

pytestmark = pytest.mark.django_db


def reminders() -> list[tuple[str, date, str]]:
    return list(
        Notification.objects.filter(rule_code="calendar:2027")
        .order_by("step_day", "recipient__user__username")
        .values_list("recipient__user__username", "step_day", "title")
    )


def test_city_office_is_reminded_from_november_until_next_years_decisions_are_entered(personas):
    calendar_decisions_job(date(2026, 10, 30))
    assert reminders() == []  # before 1 November
    calendar_decisions_job(date(2026, 11, 2))
    calendar_decisions_job(date(2026, 11, 4))  # the same week: nothing more
    assert reminders() == [
        ("vp.theodoi", date(2026, 11, 2), "Chưa nhập lịch nghỉ Tết Nguyên đán và Quốc khánh năm 2027")
    ]
    assert Notification.objects.get(rule_code="calendar:2027").link == "/lich/?nam=2027"

    CalendarDay.objects.create(date=date(2027, 2, 8), kind="holiday", name="Tết Nguyên đán Đinh Mùi")
    calendar_decisions_job(date(2026, 11, 9))
    assert reminders()[-1] == ("vp.theodoi", date(2026, 11, 9), "Chưa nhập lịch nghỉ Quốc khánh năm 2027")

    CalendarDay.objects.create(date=date(2027, 9, 2), kind="holiday", name="Quốc khánh")
    calendar_decisions_job(date(2026, 11, 16))
    assert len(reminders()) == 2  # both entered: no more reminders


def test_the_engine_runs_the_reminder_as_a_daily_job(personas):
    assert "dondoc.followup.calendar_reminder.calendar_decisions_job" in engine.daily_jobs()
    with time_machine.travel("2026-11-02 08:00 +07:00", tick=False):
        engine.run_once()
    assert [r[0] for r in reminders()] == ["vp.theodoi"]
