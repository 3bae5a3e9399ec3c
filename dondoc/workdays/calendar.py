"""The calendar in force: the days stored in the database over the holidays package, cached per process and rebuilt
when they change.

Every change of the stored days ends with one `calendar_changed` signal, sent when the transaction commits (once per
transaction, however many days it wrote), for whatever an app above wants done at once in this process; workdays
imports none of them. What is stored from the calendar follows the generation below instead, whatever the path of
the change: the SQL working-day ordinals are emptied by a trigger in the change's transaction (evaluation 0013), the
follow-up engine counts the next follow-up times again at its next pass (`followup.engine.follow_the_calendar`).

The other processes (the other web workers, the follow-up engine, the job worker) hear no signal: the database's
triggers raise the calendar's generation (`CalendarVersion`) in the transaction of every change, and each process
reads it at the start of each request (`CalendarGenerationMiddleware`), follow-up pass and job
(`check_generation`: one row by its primary key); a generation other than the one it last saw drops its cached
calendar and what was built from it (`invalidate`, `calendar_forgotten`).
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from dondoc.core import prepared
from dondoc.workdays.arith import CalendarEntry, WorkCalendar
from dondoc.workdays.models import CalendarDay, CalendarVersion

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
#: Sent in THIS process whenever it forgets its calendar (a change here, or another process's seen by
#: `check_generation`): what a process keeps built from the calendar is forgotten with it. Nothing is written.
calendar_forgotten = Signal()


def invalidate(**_kwargs: object) -> None:
    """Forget the cached calendar, and what was built with it: the statements with its limits (`core.prepared`),
    and whatever listens to `calendar_forgotten`."""
    global _cache
    _cache = None
    prepared.forget_all()
    calendar_forgotten.send(sender=CalendarDay)


_GENERATION_SQL = f"SELECT version FROM {CalendarVersion._meta.db_table} WHERE id = 1"
_seen: list[int | None] = [None]  # the generation this process last read (None: not yet)


def check_generation() -> bool:
    """Compare the calendar's generation in the database with the one this process last read; when it differs
    (another process changed the calendar, or this one did), forget the calendar and what was built with it.
    Returns whether it did. One read of one row by its primary key, outside any transaction of the caller's."""
    with connection.cursor() as cur:
        cur.execute(_GENERATION_SQL)
        row = cur.fetchone()
    return note_generation(row[0] if row else 0)


def note_generation(version: int) -> bool:
    """`check_generation` with the generation already read (with the request's session)."""
    if version == _seen[0]:
        return False
    # Read before the calendar is: a calendar built after this line is at least as new as `version`.
    _seen[0] = version
    invalidate()
    return True


class CalendarGenerationMiddleware:
    """At the start of every request: the calendar in force as the database has it now (`check_generation`), so
    an administrator's change in one web worker is what the next request of every other worker computes with.
    Placed right after the session's middleware: a session store that reads the generation with the session (its
    `calendar_generation()`, `accounts.sessions`) saves the statement, and so does a middleware before it that read
    the generation with what it read (`request.calendar_generation`: the API's token lookup, `api.auth`); else it
    is read alone."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        read = getattr(getattr(request, "session", None), "calendar_generation", None)
        version = read() if read is not None else None
        if version is None:
            version = getattr(request, "calendar_generation", None)
        if version is None:
            check_generation()
        else:
            note_generation(version)
        return self.get_response(request)


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
