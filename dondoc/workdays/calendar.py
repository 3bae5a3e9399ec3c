"""The calendar in force: the days stored in the database over the holidays package, cached per process and rebuilt
when they change.

Every change of the stored days ends with one `calendar_changed` signal, sent when the transaction commits (once per
transaction, however many days it wrote). The apps above listen to recompute what depends on the calendar (the
follow-up engine's next times, the SQL working-day ordinals); workdays imports none of them.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from dondoc.core import prepared
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


#: Sent (no arguments but `sender`) after a transaction that changed calendar days has committed.
calendar_changed = Signal()


def invalidate(**_kwargs: object) -> None:
    """Forget the cached calendar, and the statements built with its limits (`core.prepared`)."""
    global _cache
    _cache = None
    prepared.forget_all()


def _announce() -> None:
    invalidate()
    calendar_changed.send(sender=CalendarDay)


def changed(**_kwargs: object) -> None:
    """The stored days changed: forget the cached calendar now and announce the change once, on commit."""
    invalidate()
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(entry[1] is _announce for entry in connection.run_on_commit):
        return  # already announced for this transaction
    transaction.on_commit(_announce)


post_save.connect(changed, sender=CalendarDay, dispatch_uid="workdays_calendar_changed")
post_delete.connect(changed, sender=CalendarDay, dispatch_uid="workdays_calendar_changed_del")


def in_database() -> WorkCalendar | None:
    """The calendar in force when a database with calendar days is reachable (e.g. for `dondoc check` on a
    server), else None, so that the caller falls back to the shipped CSV."""
    try:
        if not CalendarDay.objects.exists():
            return None
        return current()
    except Exception:  # noqa: BLE001 — no database, not migrated, or not allowed here: the CSV answers
        return None


def load_csv(path: Path = CSV_PATH, model: Any = CalendarDay) -> int:
    """Load (or update) the calendar days from the official calendar CSV; returns the number of rows read.

    Written in bulk: it runs in the data migration that gives every install the official calendar (`model` is
    then the migration's historical CalendarDay) and again after a test flush."""
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    Day = model  # noqa: N806 — the real or the historical model
    existing = {d.date: d for d in Day.objects.all()}
    fields = ("kind", "name", "notice")
    created, updated = [], []
    for row in rows:
        day = existing.get(date.fromisoformat(row["date"]))
        if day is None:
            created.append(Day(date=date.fromisoformat(row["date"]), **{f: row[f] for f in fields}))
        elif any(getattr(day, f) != row[f] for f in fields):
            for f in fields:
                setattr(day, f, row[f])
            updated.append(day)
    Day.objects.bulk_create(created)
    Day.objects.bulk_update(updated, fields)
    if model is CalendarDay and (created or updated):
        changed()  # not for the migration's historical model: nothing listens yet
    return len(rows)
