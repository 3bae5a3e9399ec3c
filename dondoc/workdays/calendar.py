"""The calendar in force: the days stored in the database, cached per process and rebuilt when they change."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from django.db.models.signals import post_delete, post_save

from dondoc.workdays.arith import CalendarEntry, WorkCalendar
from dondoc.workdays.models import CalendarDay

CSV_PATH = Path(__file__).with_name("vn_civil_service_calendar.csv")

_cache: WorkCalendar | None = None


def current() -> WorkCalendar:
    """The working calendar built from the CalendarDay table (holidays package for years not entered)."""
    global _cache
    if _cache is None:
        rows = CalendarDay.objects.values_list("date", "kind")
        _cache = WorkCalendar([CalendarEntry(d, k) for d, k in rows])
    return _cache


def invalidate(**_kwargs: object) -> None:
    global _cache
    _cache = None


post_save.connect(invalidate, sender=CalendarDay)
post_delete.connect(invalidate, sender=CalendarDay)


def load_csv(path: Path = CSV_PATH) -> int:
    """Load (or update) the calendar days from the official calendar CSV; returns the number of rows read."""
    count = 0
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            CalendarDay.objects.update_or_create(
                date=date.fromisoformat(row["date"]),
                defaults={"kind": row["kind"], "name": row["name"], "notice": row["notice"]},
            )
            count += 1
    invalidate()
    return count
