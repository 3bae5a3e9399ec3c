"""Working days in SQL: the `WorkdayOrdinal` table, kept equal to the calendar in force.

ordinal(d) = working days in [FIRST, d]; working days in (a, b] = ordinal(b) − ordinal(a), the same number as
`WorkCalendar.working_days_between(a, b)` (Tết, compensatory days and make-up Saturdays included). The table
covers a range of years; `ensure_ordinals(first, last)` extends it when a question needs dates outside it, and a
change to any CalendarDay empties it (signal below), so the next question rebuilds it from the new calendar.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.db.models.signals import post_delete, post_save

from dondoc.evaluation.models import WorkdayOrdinal
from dondoc.workdays.arith import CalendarEntry, WorkCalendar
from dondoc.workdays.calendar import calendar_changed
from dondoc.workdays.models import CalendarDay

__all__ = ["WorkdayOrdinal", "ensure_ordinals", "ordinal", "rebuild"]

FLOOR = date(2015, 1, 1)  # the table never starts later than this
AHEAD_YEARS = 3  # and never ends earlier than 31/12 of (today's year + AHEAD_YEARS)


def rebuild(first: date, last: date) -> int:
    """Replace the table by the ordinals of [first, last] from the calendar in force; returns the row count."""
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
    try:
        with transaction.atomic():
            WorkdayOrdinal.objects.all().delete()
            WorkdayOrdinal.objects.bulk_create(rows, batch_size=5000)
    except IntegrityError:  # another process rebuilt it at the same moment: theirs is as good
        pass
    return len(rows)


def ensure_ordinals(first: date, last: date) -> None:
    """Make sure the table covers [first, last] (one indexed MIN/MAX when it does)."""
    bounds = WorkdayOrdinal.objects.aggregate(lo=Min("day"), hi=Max("day"))
    lo, hi = bounds["lo"], bounds["hi"]
    if lo is not None and lo <= first and hi >= last:
        return
    from dondoc.core.dates import today

    start = min(first, FLOOR, lo or first)
    end = max(last, date(today().year + AHEAD_YEARS, 12, 31), hi or last)
    rebuild(start, end)


def ordinal(day: date) -> int:
    """ordinal(day) computed in Python (the same value as the table's row), for constants such as the ref date."""
    ensure_ordinals(day, day)
    return WorkdayOrdinal.objects.get(day=day).ordinal


def _calendar_changed(**_kwargs: object) -> None:
    WorkdayOrdinal.objects.all().delete()


post_save.connect(_calendar_changed, sender=CalendarDay, dispatch_uid="evaluation_workday_ordinals")
post_delete.connect(_calendar_changed, sender=CalendarDay, dispatch_uid="evaluation_workday_ordinals_del")
calendar_changed.connect(_calendar_changed, dispatch_uid="evaluation_workday_ordinals_bulk")  # bulk loads too
