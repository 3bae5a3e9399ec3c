"""Working-day arithmetic (*ngày làm việc*), pure and importable without Django.

Civil servants work Monday to Friday. Public holidays, compensatory days and swapped days off are not working days;
a make-up Saturday (*làm bù*) is. The calendar is layers, decided day by day: a day entered in the calendar table
(an official notice, an administrator's correction) is what the entry says; any other day is what the `holidays`
package (country VN, which knows lunar Tết and the swaps it was told of) plus the weekend rule says. Entering one
day of a year never changes another day of it. Tết is never computed here: the lunar libraries get it wrong in
some years.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

MAKEUP = "makeup_workday"
#: An ordinary working day entered to correct the library (a day it lists as a holiday that the notice kept worked).
WORKDAY = "workday"
WORKED_KINDS = frozenset({MAKEUP, WORKDAY})
OFF_KINDS = frozenset({"holiday", "compensatory", "swapped_off"})


@dataclass(frozen=True)
class CalendarEntry:
    day: date
    kind: str  # holiday | compensatory | swapped_off | makeup_workday | workday


def library_days(year: int) -> tuple[frozenset[date], frozenset[date], dict[date, str]]:
    """(days off, make-up Saturdays, names) of a year according to the holidays package.

    The package records a swap as a "Day off (substituted from <Saturday>)" holiday plus the Saturday in
    `weekend_workdays`; both halves must be taken, or a swap becomes an extra day off.
    """
    import holidays as holidays_lib  # ~0.1 s to import: only when a year outside the shipped calendar is asked

    known = holidays_lib.country_holidays("VN", years=year)
    worked = getattr(known, "weekend_workdays", ())
    return (
        frozenset(known.keys()),
        frozenset(day for day in worked if day.year == year),
        {day: str(name) for day, name in known.items()},
    )


@dataclass
class WorkCalendar:
    """A working-day calendar: the entered days from `entries`, every other day from the holidays package."""

    entries: Iterable[CalendarEntry] = ()
    worked: dict[date, bool] = field(init=False, default_factory=dict)
    _library: dict[int, tuple[frozenset[date], frozenset[date]]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for entry in self.entries:
            if entry.kind in WORKED_KINDS:
                self.worked[entry.day] = True
            elif entry.kind in OFF_KINDS:
                self.worked[entry.day] = False
            else:
                raise ValueError(f"unknown calendar kind {entry.kind!r}")
        self.entries = ()

    def _library_days(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        if year not in self._library:
            off, makeup, _names = library_days(year)
            self._library[year] = (off, makeup)
        return self._library[year]

    def is_working_day(self, day: date) -> bool:
        """An entered day is what its entry says (a make-up or working day is worked, a holiday or day off is not);
        any other day is worked when the package makes it a make-up day, or it is a weekday the package does not
        list as a holiday."""
        entered = self.worked.get(day)
        if entered is not None:
            return entered
        off, makeup = self._library_days(day.year)
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
