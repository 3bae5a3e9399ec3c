"""The calendar as layers (issue 15): stored days override the holidays package day by day and never blank out a
year; a change of the calendar reaches what depends on it by itself (follow-up times); `dondoc check` counts with
the calendar in the database."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command

from dondoc.followup import engine
from dondoc.tracking import actions
from dondoc.tracking.models import Task
from dondoc.workdays import calendar
from dondoc.workdays.models import CalendarDay
from tests.helpers import administrator

pytestmark = pytest.mark.django_db

TET_2027_EXTRA = date(2027, 2, 11)  # Thursday after the package's Tết 2027 (04–10/02)


def every_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def snapshot() -> dict[date, bool]:
    cal = calendar.current()
    return {day: cal.is_working_day(day) for day in every_day(date(2025, 1, 1), date(2027, 12, 31))}


def test_entering_one_2027_tet_day_changes_that_day_and_no_other(client, registry, frozen):
    before = snapshot()
    assert not before[date(2027, 1, 1)] and not before[date(2027, 2, 8)]  # the package's 2027 holidays
    administrator(client)
    response = client.post(
        "/quan-tri/workdays/calendarday/add/",
        {
            "date": "2027-02-11",
            "kind": "holiday",
            "name": "Tết Nguyên đán Đinh Mùi",
            "notice": "Thông báo thử",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    after = snapshot()
    assert {day for day in after if after[day] != before[day]} == {TET_2027_EXTRA}
    holidays_2027 = [date(2027, 1, 1), *every_day(date(2027, 2, 4), date(2027, 2, 10)), date(2027, 4, 16),
                     date(2027, 4, 30), date(2027, 5, 3), date(2027, 9, 2), date(2027, 9, 3), date(2027, 11, 24)]  # fmt: skip
    assert not any(after[day] for day in holidays_2027)
    cal = calendar.current()
    assert cal.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert not cal.is_working_day(date(2026, 1, 2)) and cal.is_working_day(date(2026, 1, 10))


def test_a_calendar_change_moves_the_next_follow_up_at_the_engines_next_pass(make_task, personas):
    with time_machine.travel("2026-03-02 08:30 +07:00", tick=False):
        task = actions.assign(make_task(assign=False, due_date=date(2026, 3, 31)), personas["tracker"].user)
    task.refresh_from_db()
    planned = task.next_followup_at.astimezone().date()
    assert calendar.current().is_working_day(planned)
    with time_machine.travel("2026-03-03 10:00 +07:00", tick=False):
        CalendarDay.objects.create(date=planned, kind=CalendarDay.Kind.HOLIDAY, name="Nghỉ đột xuất")
        engine.run_once()
    moved = Task.objects.get(pk=task.pk).next_followup_at
    assert moved is not None and moved.astimezone().date() != planned
    assert calendar.current().is_working_day(moved.astimezone().date())


def test_dondoc_check_counts_with_the_calendar_in_the_database(tmp_path, registry):
    draft = tmp_path / "du-thao.txt"
    draft.write_text(
        "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 12/UBND-TKBT\nHà Nội, ngày 10 tháng 3 năm 2026\n"
        "Giao Sở Xây dựng chủ trì, báo cáo UBND Thành phố trong 3 ngày làm việc.\n",
        encoding="utf-8",
    )

    def deadline() -> str:
        out = io.StringIO()
        try:
            call_command("checkdraft", "--format", "json", str(draft), stdout=out)
        except SystemExit:
            pass
        return json.dumps(json.loads(out.getvalue())["tasks"][0], ensure_ascii=False)

    assert "2026-03-13" in deadline()  # Wed 11, Thu 12, Fri 13
    CalendarDay.objects.create(date=date(2026, 3, 12), kind=CalendarDay.Kind.HOLIDAY, name="Nghỉ đột xuất")
    assert (
        "2026-03-16" in deadline()
    )  # the database's day off is skipped; the shipped CSV knows nothing of it
