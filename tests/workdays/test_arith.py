"""The working-day calendar (*ngày làm việc*) and deadline arithmetic, built from the 2025–2026 civil-service CSV.

Pure: no database, no settings, no "today" — every date is written in the test.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dondoc.workdays.arith import MAKEUP, CalendarEntry, WorkCalendar
from dondoc.workdays.csvdata import load_csv_entries

ENTRIES = load_csv_entries()
CALENDAR = WorkCalendar(ENTRIES)

# The holidays package knows these swaps for years the CSV does not cover (Sat 04/05/2024 worked for Mon 29/04).
FALLBACK_MAKEUP_SATURDAYS = [date(2024, 5, 4)]

dates = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
counts = st.integers(min_value=0, max_value=60)
positive_counts = st.integers(min_value=1, max_value=60)
# The first call for a year not in the CSV builds that year from the holidays package, which may be slow.
prop = settings(deadline=None, max_examples=200)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return CALENDAR


# --- The CSV -----------------------------------------------------------------------------------------------------


def test_csv_covers_2025_and_2026_with_known_kinds():
    assert {entry.day.year for entry in ENTRIES} == {2025, 2026}
    assert CalendarEntry(date(2026, 1, 10), MAKEUP) in ENTRIES
    assert CalendarEntry(date(2026, 1, 2), "swapped_off") in ENTRIES


def test_csv_with_unknown_kind_is_refused_naming_the_line(tmp_path: Path):
    path = tmp_path / "cal.csv"
    path.write_text("date,kind,name,notice\n2026-01-10,makeup,x,y\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 2: unknown kind 'makeup'"):
        load_csv_entries(path)


def test_csv_with_bad_date_is_refused_naming_the_line(tmp_path: Path):
    path = tmp_path / "cal.csv"
    path.write_text("date,kind,name,notice\n2026-02-30,holiday,x,y\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 2: bad date '2026-02-30'"):
        load_csv_entries(path)


def test_unknown_kind_in_calendar_entries_is_refused():
    with pytest.raises(ValueError, match="unknown calendar kind"):
        WorkCalendar([CalendarEntry(date(2026, 1, 1), "festival")])


# --- Which days are worked ---------------------------------------------------------------------------------------


def test_ordinary_weekday_is_a_working_day(cal):
    assert cal.is_working_day(date(2026, 3, 4))  # Wednesday


def test_ordinary_saturday_and_sunday_are_not_working_days(cal):
    assert not cal.is_working_day(date(2026, 1, 17))
    assert not cal.is_working_day(date(2026, 1, 18))


def test_new_year_day_2026_is_not_a_working_day(cal):
    assert not cal.is_working_day(date(2026, 1, 1))


def test_friday_2_january_2026_swapped_off_is_not_a_working_day(cal):
    assert not cal.is_working_day(date(2026, 1, 2))


def test_saturday_10_january_2026_is_a_make_up_working_day(cal):
    assert cal.is_working_day(date(2026, 1, 10))


def test_saturday_22_august_2026_is_a_make_up_working_day_and_monday_31_august_is_off(cal):
    assert cal.is_working_day(date(2026, 8, 22))
    assert not cal.is_working_day(date(2026, 8, 31))


def test_tet_2026_break_is_not_worked_from_14_to_22_february(cal):
    tet = [date(2026, 2, 14) + timedelta(days=i) for i in range(9)]
    assert not any(cal.is_working_day(day) for day in tet)
    assert cal.is_working_day(date(2026, 2, 13))
    assert cal.is_working_day(date(2026, 2, 23))


def test_hung_kings_day_2026_on_sunday_gives_monday_27_april_off(cal):
    assert not cal.is_working_day(date(2026, 4, 27))


def test_vietnam_culture_day_24_november_2026_is_not_a_working_day(cal):
    assert not cal.is_working_day(date(2026, 11, 24))


def test_year_not_in_csv_falls_back_to_holidays_package_for_tet(cal):
    assert not cal.is_working_day(date(2027, 2, 8))  # Monday, third day of Tết Đinh Mùi
    assert cal.is_working_day(date(2027, 2, 11))  # Thursday after the break


def test_year_not_in_csv_keeps_weekends_off(cal):
    assert not cal.is_working_day(date(2027, 3, 6))
    assert not cal.is_working_day(date(2027, 3, 7))
    assert cal.is_working_day(date(2027, 3, 8))


def test_year_not_in_csv_counts_make_up_saturday_known_to_holidays_package(cal):
    """2024 swapped Monday 29/04 with Saturday 04/05: the Monday is off, so the Saturday must be worked."""
    assert not cal.is_working_day(date(2024, 4, 29))
    assert cal.is_working_day(date(2024, 5, 4))


def test_an_entered_day_overrides_that_day_only_and_the_package_keeps_the_rest_of_the_year():
    cal = WorkCalendar([CalendarEntry(date(2027, 2, 4), "holiday")])
    assert not cal.is_working_day(date(2027, 2, 4))
    assert not cal.is_working_day(
        date(2027, 2, 8)
    )  # Tết per the package: entering one day blanks out nothing
    assert not cal.is_working_day(date(2027, 1, 1))
    assert cal.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_an_entered_working_day_corrects_a_package_holiday():
    assert not WorkCalendar().is_working_day(date(2027, 5, 3))  # 1 May 2027 is a Saturday: observed Monday
    cal = WorkCalendar([CalendarEntry(date(2027, 5, 3), "workday")])
    assert cal.is_working_day(date(2027, 5, 3))


def test_calendar_accepts_a_generator_of_entries():
    cal = WorkCalendar(entry for entry in ENTRIES)
    assert cal.is_working_day(date(2026, 1, 10))
    assert not cal.is_working_day(date(2026, 1, 2))


def test_next_working_day_of_a_working_day_is_itself(cal):
    assert cal.next_working_day(date(2026, 3, 4)) == date(2026, 3, 4)


def test_next_working_day_after_new_year_2026_is_make_up_saturday_10_january(cal):
    # 01/01 holiday, 02/01 swapped off, 03–04/01 weekend, then Monday 05/01.
    assert cal.next_working_day(date(2026, 1, 1)) == date(2026, 1, 5)
    assert cal.next_working_day(date(2026, 1, 10)) == date(2026, 1, 10)


# --- N working days ----------------------------------------------------------------------------------------------


def test_five_working_days_after_thursday_before_tet_2026_is_thursday_26_feb(cal):
    assert cal.add_working_days(date(2026, 2, 12), 5) == date(2026, 2, 26)
    assert cal.working_period_end(date(2026, 2, 12), 5) == date(2026, 2, 26)


@pytest.mark.parametrize(
    "start, n, end",
    [
        (date(2026, 1, 8), 3, date(2026, 1, 12)),  # Thu 08/01 -> Fri 09 (1), Sat 10 make-up (2), Mon 12 (3)
        (date(2026, 2, 15), 0, date(2026, 2, 15)),  # zero days after a day is that day, even when not worked
        (date(2026, 2, 23), -1, date(2026, 2, 13)),  # one working day before the end of Tết 2026: Fri 13/02
    ],
    ids=["make-up-saturday-counts", "zero-days-on-a-day-off", "one-day-before-the-end-of-tet"],
)
def test_n_working_days_after(cal, start, n, end):
    assert cal.add_working_days(start, n) == end


def test_working_days_between_thursday_before_tet_and_26_feb_2026_is_five(cal):
    assert cal.working_days_between(date(2026, 2, 12), date(2026, 2, 26)) == 5
    assert cal.working_days_between(date(2026, 2, 26), date(2026, 2, 12)) == -5


def test_working_period_needs_at_least_one_day(cal):
    with pytest.raises(ValueError):
        cal.working_period_end(date(2026, 3, 4), 0)


# --- Periods in calendar days (Civil Code 2015, Arts. 147–148) ---------------------------------------------------


@pytest.mark.parametrize(
    "event, days, end",
    [
        (date(2026, 3, 5), 1, date(2026, 3, 6)),  # the period starts the day after the event
        (date(2026, 3, 2), 10, date(2026, 3, 12)),  # ending on a working day: ends that day
        (date(2026, 3, 4), 3, date(2026, 3, 9)),  # ending on a Saturday: rolls to Monday
        (date(2026, 2, 10), 10, date(2026, 2, 23)),  # ending in Tết 2026: rolls to Monday 23/02
        # 30/12/2025 + 3 days = Fri 02/01/2026 (swapped off) -> next working day is Mon 05/01, not Sat 10/01.
        (date(2025, 12, 30), 3, date(2026, 1, 5)),
    ],
    ids=[
        "starts-the-day-after",
        "ends-on-a-working-day",
        "saturday-rolls-to-monday",
        "tet-rolls-to-monday",
        "swapped-day-off-rolls-past-the-weekend-not-to-the-make-up-saturday",
    ],
)
def test_period_in_calendar_days_ends(cal, event, days, end):
    assert cal.period_end(event, days) == end


def test_period_needs_at_least_one_day(cal):
    with pytest.raises(ValueError):
        cal.period_end(date(2026, 3, 4), 0)


# --- Properties --------------------------------------------------------------------------------------------------


@prop
@given(d=dates, n=positive_counts)
def test_n_working_days_after_a_day_is_a_working_day(d, n):
    assert CALENDAR.is_working_day(CALENDAR.add_working_days(d, n))


@prop
@given(d=dates, n=positive_counts)
def test_n_working_days_after_a_day_is_later_than_it(d, n):
    assert CALENDAR.add_working_days(d, n) > d


@prop
@given(d=dates, n=counts)
def test_working_days_between_a_day_and_n_working_days_later_is_n(d, n):
    assert CALENDAR.working_days_between(d, CALENDAR.add_working_days(d, n)) == n


@prop
@given(d=dates, n=positive_counts)
def test_counting_back_from_a_working_day_round_trips(d, n):
    start = CALENDAR.next_working_day(d)
    assert CALENDAR.working_days_between(start, CALENDAR.add_working_days(start, -n)) == -n


@prop
@given(d=dates, n=counts)
def test_adding_working_days_is_strictly_increasing_in_n(d, n):
    assert CALENDAR.add_working_days(d, n) < CALENDAR.add_working_days(d, n + 1)


@prop
@given(d=dates, a=counts, b=counts)
def test_adding_a_then_b_working_days_equals_adding_a_plus_b(d, a, b):
    add = CALENDAR.add_working_days
    assert add(add(d, a), b) == add(d, a + b)


@prop
@given(d=dates, e=dates)
def test_working_days_between_is_antisymmetric(d, e):
    assert CALENDAR.working_days_between(d, e) == -CALENDAR.working_days_between(e, d)


@prop
@given(d=dates, span=st.integers(min_value=0, max_value=90))
def test_working_days_between_counts_the_worked_days_after_start_up_to_end(d, span):
    e = d + timedelta(days=span)
    worked = sum(CALENDAR.is_working_day(d + timedelta(days=i)) for i in range(1, span + 1))
    assert CALENDAR.working_days_between(d, e) == worked


@prop
@given(day=st.sampled_from([e.day for e in ENTRIES if e.kind == MAKEUP] + FALLBACK_MAKEUP_SATURDAYS))
def test_make_up_saturdays_are_working_days(day):
    assert day.weekday() == 5
    assert CALENDAR.is_working_day(day)


@prop
@given(day=st.sampled_from([e.day for e in ENTRIES if e.kind != MAKEUP]))
def test_days_off_in_the_csv_are_not_working_days(day):
    assert not CALENDAR.is_working_day(day)


@prop
@given(d=dates, n=st.integers(min_value=1, max_value=60))
def test_period_ends_on_the_first_working_day_on_or_after_its_last_calendar_day(d, n):
    end = CALENDAR.period_end(d, n)
    last = d + timedelta(days=n)
    assert CALENDAR.is_working_day(end)
    assert end >= last
    assert not any(CALENDAR.is_working_day(last + timedelta(days=i)) for i in range((end - last).days))
