"""The reference date of the pages."""

from __future__ import annotations

from datetime import date

from django.utils import timezone


def today() -> date:
    return timezone.localdate()


# The days the city's calendar answers for (*khoảng ngày cho phép*): a date typed or written outside them (31/12/9999,
# 01/01/0001) is a typing slip, and the arithmetic past them fails — the reminder ladder counting working days
# beyond year 9999, a day's bounds in Hanoi time before year 1 — so each place a date comes in refuses it.
# The same years as the year filters (`core.fields.year_filter`).
EARLIEST_DAY = date(1945, 1, 1)
LATEST_DAY = date(2100, 12, 31)


def out_of_range(day: date, written: str = "") -> str:
    """The message refusing `day` (as `written`, if given) when it is outside the calendar's days; "" inside."""
    if EARLIEST_DAY <= day <= LATEST_DAY:
        return ""
    return (
        f"Ngày «{written or f'{day.day:02d}/{day.month:02d}/{day.year:04d}'}» ngoài khoảng cho phép: "
        f"từ {EARLIEST_DAY:%d/%m/%Y} đến {LATEST_DAY:%d/%m/%Y}."
    )
