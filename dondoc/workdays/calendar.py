"""The calendar in force: the days stored in the database, cached per process and rebuilt when they change."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

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


def load_csv(path: Path = CSV_PATH, model: Any = CalendarDay) -> int:
    """Load (or update) the calendar days from the official calendar CSV; returns the number of rows read.

    Written in bulk: it runs in the data migration that gives every install the official calendar (`model` is
    then the migration's historical CalendarDay) and again after a test flush."""
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    CalendarDay = model  # noqa: N806 — the real or the historical model
    existing = {d.date: d for d in CalendarDay.objects.all()}
    fields = ("kind", "name", "notice")
    created, changed = [], []
    for row in rows:
        day = existing.get(date.fromisoformat(row["date"]))
        if day is None:
            created.append(CalendarDay(date=date.fromisoformat(row["date"]), **{f: row[f] for f in fields}))
        elif any(getattr(day, f) != row[f] for f in fields):
            for f in fields:
                setattr(day, f, row[f])
            changed.append(day)
    CalendarDay.objects.bulk_create(created)
    CalendarDay.objects.bulk_update(changed, fields)
    invalidate()
    return len(rows)
