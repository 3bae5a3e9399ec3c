"""A task's report deadlines (*thời hạn báo cáo*, DOMAIN.md §5), pure: the one-off date and every occurrence of a
recurring one ("trước ngày 25 hằng tháng").

No database and no Django settings: the follow-up ladder, the progress form and the follow-up's occurrence list all
read the schedule from here, so they always agree on which cycles exist.
"""

from __future__ import annotations

import calendar as pycal
from datetime import date, timedelta


def monthly_deadline(year: int, month: int, day_of_month: int) -> date:
    """ "Before the 25th of every month": the 25th, or the month's last day in short months."""
    return date(year, month, min(day_of_month, pycal.monthrange(year, month)[1]))


def add_months(day: date, n: int) -> tuple[int, int]:
    """(year, month) n months after `day`'s month."""
    m = day.month - 1 + n
    return day.year + m // 12, m % 12 + 1


def report_cycles(
    report_due: date | None, day_of_month: int | None, assigned_on: date | None, until: date
) -> list[date]:
    """The report deadlines of a task up to `until`, in order: the one-off date, and every monthly occurrence after
    the day of assignment (an occurrence — a *cycle* — is named by its deadline as written, before any roll to a
    working day)."""
    out = []
    if report_due is not None and report_due <= until:
        out.append(report_due)
    if day_of_month and assigned_on is not None:
        n = 0
        while True:
            y, m = add_months(assigned_on, n)
            d = monthly_deadline(y, m, day_of_month)
            if d > until:
                break
            if d > assigned_on:
                out.append(d)
            n += 1
    return sorted(set(out))


def cycle_label(due: date, monthly: bool) -> str:
    """How a cycle is named to people: "tháng 11/2026 (hạn 25/11/2026)" or "hạn 20/03/2026"."""
    if monthly:
        return f"tháng {due.month:02d}/{due.year} (hạn {due:%d/%m/%Y})"
    return f"hạn {due:%d/%m/%Y}"


def open_cycles(
    report_due: date | None, day_of_month: int | None, assigned_on: date | None, today: date
) -> list[date]:
    """The cycles a progress report may be filed for on `today`: the first one still to come (a unit reports early
    for this month), then every past one, newest first (or late for a past one)."""
    cycles = report_cycles(report_due, day_of_month, assigned_on, today + timedelta(days=62))
    upcoming = [d for d in cycles if d > today][:1]
    return [*upcoming, *reversed([d for d in cycles if d <= today])]
