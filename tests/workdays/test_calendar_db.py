"""The calendar in force comes from the database: the official CSV loads into it, and an administrator's edit of a
day changes every deadline computed afterwards (the cached calendar is rebuilt on save and delete)."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from dondoc.workdays import calendar
from dondoc.workdays.models import CalendarDay

pytestmark = pytest.mark.django_db


def test_load_csv_stores_every_day_of_the_official_calendar(frozen):
    with calendar.CSV_PATH.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert calendar.load_csv() == len(rows) == CalendarDay.objects.count()
    tet = CalendarDay.objects.get(date=date(2026, 2, 17))
    assert tet.kind == CalendarDay.Kind.HOLIDAY
    assert tet.notice


def test_load_csv_twice_does_not_duplicate_days(frozen):
    first = calendar.load_csv()
    calendar.load_csv()
    assert CalendarDay.objects.count() == first


def test_current_calendar_follows_the_2026_official_days(frozen):
    calendar.load_csv()
    cal = calendar.current()
    assert not cal.is_working_day(date(2026, 2, 16))  # Tết
    assert not cal.is_working_day(date(2026, 4, 27))  # compensatory day for the Hùng Kings
    assert not cal.is_working_day(date(2026, 11, 24))  # Vietnam Culture Day, new from 2026
    assert cal.is_working_day(date(2026, 3, 10))
    assert cal.add_working_days(date(2026, 2, 12), 5) == date(2026, 2, 26)


def test_empty_table_falls_back_to_the_weekend_rule_and_holidays_package(frozen):
    CalendarDay.objects.all().delete()
    cal = calendar.current()
    assert cal.is_working_day(date(2026, 3, 10))
    assert not cal.is_working_day(date(2026, 3, 14))  # Saturday
    assert not cal.is_working_day(date(2026, 9, 2))  # National Day, from the holidays package


def test_adding_a_holiday_in_the_database_changes_the_current_calendar(frozen):
    calendar.load_csv()
    assert calendar.current().is_working_day(date(2026, 3, 12))
    assert calendar.current().add_working_days(date(2026, 3, 10), 3) == date(2026, 3, 13)

    CalendarDay.objects.create(date=date(2026, 3, 12), kind=CalendarDay.Kind.HOLIDAY, name="Nghỉ đột xuất")

    assert not calendar.current().is_working_day(date(2026, 3, 12))
    assert calendar.current().add_working_days(date(2026, 3, 10), 3) == date(2026, 3, 16)


def test_editing_and_deleting_a_day_changes_the_current_calendar(frozen):
    calendar.load_csv()
    saturday = date(2026, 3, 14)
    day = CalendarDay.objects.create(date=saturday, kind=CalendarDay.Kind.HOLIDAY, name="Thử")
    assert not calendar.current().is_working_day(saturday)

    day.kind = CalendarDay.Kind.MAKEUP_WORKDAY
    day.name = "Làm bù"
    day.save()
    assert calendar.current().is_working_day(saturday)

    day.delete()
    assert not calendar.current().is_working_day(saturday)


def test_current_calendar_is_built_once_until_a_day_changes(frozen, django_assert_num_queries):
    calendar.load_csv()
    first = calendar.current()
    with django_assert_num_queries(0):
        assert calendar.current() is first
    CalendarDay.objects.filter(date=date(2026, 4, 30)).first().save()
    assert calendar.current() is not first
