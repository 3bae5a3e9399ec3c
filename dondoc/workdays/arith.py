"""Working-day arithmetic (*ngày làm việc*), pure and importable without Django.

Civil servants work Monday to Friday. Public holidays, compensatory days and swapped days off are not working days;
a make-up Saturday (*làm bù*) is. For a year somebody entered in the calendar table the table is the whole truth;
for any other year the `holidays` package (country VN, which knows lunar Tết) plus weekends stands in. Tết is never
computed here: the lunar libraries get it wrong in some years.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, timedelta

import holidays as holidays_lib

MAKEUP = "makeup_workday"
OFF_KINDS = frozenset({"holiday", "compensatory", "swapped_off"})


@dataclass(frozen=True)
class CalendarEntry:
    day: date
    kind: str  # holiday | compensatory | swapped_off | makeup_workday


@dataclass
class WorkCalendar:
    """A working-day calendar: entered years from `entries`, other years from the holidays package."""

    entries: Iterable[CalendarEntry] = ()
    off: set[date] = field(init=False, default_factory=set)
    makeup: set[date] = field(init=False, default_factory=set)
    entered_years: set[int] = field(init=False, default_factory=set)
    _fallback: dict[int, tuple[frozenset[date], frozenset[date]]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for entry in self.entries:
            self.entered_years.add(entry.day.year)
            if entry.kind == MAKEUP:
                self.makeup.add(entry.day)
            elif entry.kind in OFF_KINDS:
                self.off.add(entry.day)
            else:
                raise ValueError(f"unknown calendar kind {entry.kind!r}")
        self.entries = ()

    def _fallback_days(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        """(days off, make-up Saturdays) of a year nobody entered, from the holidays package.

        The package records a swap as a "Day off (substituted from <Saturday>)" holiday plus the Saturday in
        `weekend_workdays`; both halves must be taken, or a swap becomes an extra day off.
        """
        if year not in self._fallback:
            known = holidays_lib.country_holidays("VN", years=year)
            worked = getattr(known, "weekend_workdays", ())
            self._fallback[year] = (
                frozenset(known.keys()),
                frozenset(day for day in worked if day.year == year),
            )
        return self._fallback[year]

    def is_working_day(self, day: date) -> bool:
        """A day is worked when it is a make-up day, or a weekday that is no holiday or day off."""
        off: AbstractSet[date]
        makeup: AbstractSet[date]
        if day.year in self.entered_years:
            off, makeup = self.off, self.makeup
        else:
            off, makeup = self._fallback_days(day.year)
        if day in makeup:
            return True
        return day.weekday() < 5 and day not in off

    def next_working_day(self, day: date) -> date:
        """The first working day on or after `day`."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, n: int) -> date:
        """The date n working days after `start` (the start day itself not counted); n = 0 gives `start`.

        Negative n counts backwards. "Trong 5 ngày làm việc kể từ ngày 12/02/2026" ends on 26/02/2026 because
        the 2026 Tết break (14–22/02) is skipped.
        """
        day = start
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        while remaining:
            day += timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many working days after `start` it takes to reach `end`.

        Negative when end is before start (minus the working days in (end, start]), so the count is antisymmetric
        and add_working_days(start, working_days_between(start, end)) lands on `end` whenever `end` is a working
        day and, counting backwards, `start` is one too. (Backwards from a Saturday the two differ: the Friday
        before is 0 working days away by this count, yet add_working_days(Saturday, -1) gives that Friday.)
        """
        if end == start:
            return 0
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def period_end(self, event: date, days: int) -> date:
        """End of a period of `days` calendar days after an event (Civil Code 2015, Arts. 147–148).

        The period starts on the day after the event; it ends at the end of its last day, and when that day is
        not a working day it ends at the end of the next working day.
        """
        if days < 1:
            raise ValueError("a period counted in days has at least one day")
        return self.next_working_day(event + timedelta(days=days))

    def working_period_end(self, event: date, days: int) -> date:
        """End of "trong N ngày làm việc" after an event: the N-th working day after it."""
        if days < 1:
            raise ValueError("a period counted in working days has at least one day")
        return self.add_working_days(event, days)
