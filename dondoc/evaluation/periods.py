"""Reporting periods (*kỳ báo cáo*) of DOMAIN.md §8 (Decree 09/2019): pure functions, no database.

- monthly ("thang"): the 15th of the previous month to the 14th of the month — "Tháng 3/2026" is 15/02–14/03/2026;
- quarterly ("quy"): the 15th of the month before the quarter to the 14th of its last month — "Quý I/2026" is
  15/12/2025–14/03/2026;
- half-year ("nam_nua"): "6 tháng đầu năm 2026" is 15/12/2025–14/06/2026, "6 tháng cuối năm 2026" 15/06–14/12/2026;
- annual ("nam"): "Năm 2026" is 15/12/2025–14/12/2026;
- custom ("tuy_chon"): any inclusive range of dates.

A period is an inclusive range of calendar dates [start, end]. Every date belongs to exactly one period of each
regular kind; `containing(kind, day)` finds it and `previous(period, n)` walks back for trends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

MONTHLY = "thang"
QUARTERLY = "quy"
HALF_YEAR = "nam_nua"
ANNUAL = "nam"
CUSTOM = "tuy_chon"

KIND_LABELS = {
    MONTHLY: "Tháng",
    QUARTERLY: "Quý",
    HALF_YEAR: "6 tháng",
    ANNUAL: "Năm",
    CUSTOM: "Tùy chọn",
}
REGULAR_KINDS = (MONTHLY, QUARTERLY, HALF_YEAR, ANNUAL)
# How many periods of each kind a year has; `number` runs 1..PER_YEAR[kind].
PER_YEAR = {MONTHLY: 12, QUARTERLY: 4, HALF_YEAR: 2, ANNUAL: 1}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
CUTOFF_DAY = 15  # a period starts on the 15th and ends on the 14th


@dataclass(frozen=True)
class Period:
    """An inclusive range of dates with its kind and its place in the reporting year.

    `year`/`number` identify a regular period (Tháng 3/2026 → year 2026, number 3; Quý I/2026 → 2026, 1;
    6 tháng cuối năm 2026 → 2026, 2; Năm 2026 → 2026, 1). For a custom period they are the end's year and 0.
    """

    kind: str
    start: date
    end: date
    year: int
    number: int

    @property
    def label(self) -> str:
        """Vietnamese label with the dates, e.g. "Tháng 3/2026 (15/02–14/03/2026)"."""
        if self.kind == CUSTOM:
            return f"Từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y}"
        return f"{self.name} ({span(self.start, self.end)})"

    @property
    def name(self) -> str:
        """Vietnamese name without the dates, e.g. "Tháng 3/2026", "Quý I/2026", "6 tháng đầu năm 2026"."""
        if self.kind == MONTHLY:
            return f"Tháng {self.number}/{self.year}"
        if self.kind == QUARTERLY:
            return f"Quý {ROMAN[self.number]}/{self.year}"
        if self.kind == HALF_YEAR:
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        if self.kind == ANNUAL:
            return f"Năm {self.year}"
        return f"Từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y}"

    @property
    def short(self) -> str:
        """A compact label for chart axes: "T3/2026", "Q1/2026", "6T1/2026", "2026", "15/02–14/03/2026"."""
        if self.kind == MONTHLY:
            return f"T{self.number}/{self.year}"
        if self.kind == QUARTERLY:
            return f"Q{self.number}/{self.year}"
        if self.kind == HALF_YEAR:
            return f"6T{self.number}/{self.year}"
        if self.kind == ANNUAL:
            return str(self.year)
        return span(self.start, self.end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


def span(start: date, end: date) -> str:
    """ "15/02–14/03/2026"; the start's year is written only when it differs: "15/12/2025–14/03/2026"."""
    if start.year == end.year:
        return f"{start:%d/%m}–{end:%d/%m/%Y}"
    return f"{start:%d/%m/%Y}–{end:%d/%m/%Y}"


def _month_start(year: int, month: int) -> date:
    """The 15th of the month before (year, month): where the monthly period of (year, month) starts."""
    if month == 1:
        return date(year - 1, 12, CUTOFF_DAY)
    return date(year, month - 1, CUTOFF_DAY)


def _month_end(year: int, month: int) -> date:
    return date(year, month, CUTOFF_DAY - 1)


def monthly(year: int, month: int) -> Period:
    """Tháng `month`/`year`: from the 15th of the previous month to the 14th of `month`."""
    if not 1 <= month <= 12:
        raise ValueError("month must be 1..12")
    return Period(MONTHLY, _month_start(year, month), _month_end(year, month), year, month)


def quarterly(year: int, quarter: int) -> Period:
    """Quý `quarter`/`year`: the 15th of the month before the quarter to the 14th of its last month."""
    if not 1 <= quarter <= 4:
        raise ValueError("quarter must be 1..4")
    first, last = 3 * quarter - 2, 3 * quarter
    return Period(QUARTERLY, _month_start(year, first), _month_end(year, last), year, quarter)


def half_year(year: int, half: int) -> Period:
    """6 tháng đầu năm (15/12 of the year before – 14/06) or cuối năm (15/06–14/12)."""
    if half not in (1, 2):
        raise ValueError("half must be 1 or 2")
    first, last = (1, 6) if half == 1 else (7, 12)
    return Period(HALF_YEAR, _month_start(year, first), _month_end(year, last), year, half)


def annual(year: int) -> Period:
    """Năm `year`: 15/12 of the year before to 14/12 of `year`."""
    return Period(ANNUAL, _month_start(year, 1), _month_end(year, 12), year, 1)


def custom(start: date, end: date) -> Period:
    """Any inclusive range of dates; `start` must not be after `end`."""
    if start > end:
        raise ValueError("start after end")
    return Period(CUSTOM, start, end, end.year, 0)


def regular(kind: str, year: int, number: int) -> Period:
    """The regular period of `kind` identified by (year, number)."""
    if kind == MONTHLY:
        return monthly(year, number)
    if kind == QUARTERLY:
        return quarterly(year, number)
    if kind == HALF_YEAR:
        return half_year(year, number)
    if kind == ANNUAL:
        if number != 1:
            raise ValueError("an annual period has number 1")
        return annual(year)
    raise ValueError(f"unknown period kind {kind!r}")


def containing(kind: str, day: date) -> Period:
    """The regular period of `kind` that contains `day` (15/03/2026 is in Tháng 4/2026, Quý II/2026, ...)."""
    # The reporting month of a day: the calendar month, or the next one from the 15th on.
    year, month = day.year, day.month
    if day.day >= CUTOFF_DAY:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    per_year = PER_YEAR.get(kind)
    if per_year is None:
        raise ValueError(f"unknown period kind {kind!r}")
    months_per_period = 12 // per_year
    return regular(kind, year, (month - 1) // months_per_period + 1)


def shift(period: Period, steps: int) -> Period:
    """The regular period `steps` periods after (negative: before) `period`."""
    per_year = PER_YEAR.get(period.kind)
    if per_year is None:
        raise ValueError("only regular periods can be shifted")
    index = period.year * per_year + (period.number - 1) + steps
    return regular(period.kind, index // per_year, index % per_year + 1)


def previous(period: Period, n: int) -> list[Period]:
    """The `n` periods ending with `period`, oldest first (for trends).

    A custom period is followed back by contiguous ranges of the same length: [start-len, start-1], ...
    """
    if n < 1:
        return []
    if period.kind == CUSTOM:
        out = [period]
        for _ in range(n - 1):
            last = out[-1]
            end = last.start - timedelta(days=1)
            out.append(custom(end - timedelta(days=period.days - 1), end))
        return out[::-1]
    return [shift(period, -i) for i in range(n - 1, -1, -1)]


def last_complete(kind: str, today: date) -> Period:
    """The latest regular period of `kind` whose end is before `today` (what a report on `today` covers)."""
    current = containing(kind, today)
    return current if current.end < today else shift(current, -1)


def choices(kind: str, today: date, count: int = 24) -> list[Period]:
    """The regular periods of `kind` offered in a picker: the current one and `count - 1` before it, newest first."""
    return previous(containing(kind, today), count)[::-1]
