"""Working days in SQL: the `WorkdayOrdinal` table, kept equal to the calendar in force.

ordinal(d) = working days in [FIRST, d]; working days in (a, b] = ordinal(b) − ordinal(a), the same number as
`WorkCalendar.working_days_between(a, b)` (Tết, compensatory days and make-up Saturdays included). The table
covers a range of years; `ensure_ordinals(first, last)` extends it when a question needs dates outside it, and a
change to any CalendarDay empties it (a trigger, in the change's transaction: migration 0013), so the next question
rebuilds it from the new calendar. Each process forgets the span it saw when it forgets its calendar
(`calendar_forgotten`: a change made here, or another process's seen by `workdays.calendar.check_generation`).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Min

from dondoc.evaluation.models import WorkdayOrdinal
from dondoc.tracking import timeliness
from dondoc.workdays.arith import CalendarEntry, WorkCalendar
from dondoc.workdays.calendar import calendar_forgotten
from dondoc.workdays.models import CalendarDay

__all__ = ["WorkdayOrdinal", "ensure_ordinals", "ordinal", "rebuild"]

FLOOR = date(2015, 1, 1)  # the table never starts later than this
AHEAD_YEARS = 3  # and never ends earlier than 31/12 of (today's year + AHEAD_YEARS)


def rebuild(first: date, last: date) -> int:
    """Replace the table by the ordinals of [first, last] from the calendar in force; returns the row count."""
    table = connection.ops.quote_name(WorkdayOrdinal._meta.db_table)
    try:
        with transaction.atomic(), connection.cursor() as cur:
            if connection.vendor == "postgresql":
                # No change to the calendar between its reading and this commit: a change waits for the commit,
                # then its trigger empties what was written (SQLite: one writer at a time already).
                cur.execute(f"LOCK TABLE {CalendarDay._meta.db_table} IN SHARE MODE")
            rows = _ordinals(first, last)
            cur.execute(f"DELETE FROM {table}")
            # One executemany (a few statements, not one per 333 rows as bulk_create on SQLite).
            cur.executemany(
                f"INSERT INTO {table} (day, ordinal, next_working) VALUES (%s, %s, %s)",
                [(r.day, r.ordinal, r.next_working) for r in rows],
            )
    except IntegrityError:  # another process rebuilt it at the same moment: theirs is as good
        pass
    return (last - first).days + 1


def _ordinals(first: date, last: date) -> list[WorkdayOrdinal]:
    """The rows of [first, last] from the calendar as stored now."""
    # A fresh calendar from the table, not this process's cached one (another process may have changed it).
    cal = WorkCalendar([CalendarEntry(d, k) for d, k in CalendarDay.objects.values_list("date", "kind")])
    rows = []
    n = 0
    day = first
    while day <= last:
        if cal.is_working_day(day):
            n += 1
        rows.append(WorkdayOrdinal(day=day, ordinal=n))
        day += timedelta(days=1)
    following = cal.next_working_day(last + timedelta(days=1))
    for row in reversed(rows):
        if cal.is_working_day(row.day):
            following = row.day
        row.next_working = following
    return rows


_covered: list[
    tuple[date, date]
] = []  # what this process last saw the table cover (emptied on a calendar change)


def ensure_ordinals(first: date, last: date) -> bool:
    """Make sure the table covers [first, last] (one indexed MIN/MAX when it does); True when it was rebuilt now
    (an ordinal read before may have moved)."""
    if _covered and _covered[0][0] <= first and _covered[0][1] >= last:
        return False
    bounds = WorkdayOrdinal.objects.aggregate(lo=Min("day"), hi=Max("day"))
    lo, hi = bounds["lo"], bounds["hi"]
    if lo is not None and lo <= first and hi >= last:
        _remember(lo, hi)
        return False
    from dondoc.core.dates import today

    start = min(first, FLOOR, lo or first)
    end = max(last, date(today().year + AHEAD_YEARS, 12, 31), hi or last)
    rebuild(start, end)
    _remember(start, end)
    return True


def _remember(first: date, last: date) -> None:
    """Remember what the table covers, unless inside a transaction (it may yet be rolled back, rows and all)."""
    if not connection.in_atomic_block:
        _covered[:] = [(first, last)]


def ensure_deadline_years() -> None:
    """The years the effective deadlines of tasks are read for in SQL (`timeliness.effective_deadline_expression`):
    the table's usual span, checked once per process until the calendar changes."""
    from dondoc.core.dates import today

    ensure_ordinals(FLOOR, date(today().year + AHEAD_YEARS, 12, 31))


def ordinal(day: date) -> int:
    """ordinal(day) computed in Python (the same value as the table's row), for constants such as the ref date."""
    ensure_ordinals(day, day)
    return WorkdayOrdinal.objects.get(day=day).ordinal


def _calendar_forgotten(**_kwargs: object) -> None:
    _covered.clear()  # the table was emptied with the change (its trigger); the next question rebuilds it


timeliness._table_hooks[:] = [ensure_deadline_years]
calendar_forgotten.connect(_calendar_forgotten, dispatch_uid="evaluation_workday_ordinals")
