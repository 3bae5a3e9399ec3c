"""Reporting periods of DOMAIN.md §8 at their boundaries (the 14th/15th, year ends)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dondoc.evaluation import periods as pr


def test_monthly_runs_from_the_15th_to_the_14th():
    p = pr.monthly(2026, 3)
    assert (p.start, p.end) == (date(2026, 2, 15), date(2026, 3, 14))
    assert p.label == "Tháng 3/2026 (15/02–14/03/2026)"
    jan = pr.monthly(2026, 1)
    assert (jan.start, jan.end) == (date(2025, 12, 15), date(2026, 1, 14))
    assert jan.label == "Tháng 1/2026 (15/12/2025–14/01/2026)"


def test_quarter_half_year_and_year():
    assert (pr.quarterly(2026, 1).start, pr.quarterly(2026, 1).end) == (date(2025, 12, 15), date(2026, 3, 14))
    assert (pr.quarterly(2026, 3).start, pr.quarterly(2026, 3).end) == (date(2026, 6, 15), date(2026, 9, 14))
    assert pr.quarterly(2026, 4).label == "Quý IV/2026 (15/09–14/12/2026)"
    h1, h2 = pr.half_year(2026, 1), pr.half_year(2026, 2)
    assert (h1.start, h1.end, h2.start, h2.end) == (
        date(2025, 12, 15),
        date(2026, 6, 14),
        date(2026, 6, 15),
        date(2026, 12, 14),
    )
    assert h1.label == "6 tháng đầu năm 2026 (15/12/2025–14/06/2026)"
    year = pr.annual(2026)
    assert (year.start, year.end, year.label) == (
        date(2025, 12, 15),
        date(2026, 12, 14),
        "Năm 2026 (15/12/2025–14/12/2026)",
    )


@pytest.mark.parametrize(
    ("day", "month", "quarter", "half", "year"),
    [
        (date(2026, 3, 14), "Tháng 3/2026", "Quý I/2026", "6 tháng đầu năm 2026", "Năm 2026"),
        (date(2026, 3, 15), "Tháng 4/2026", "Quý II/2026", "6 tháng đầu năm 2026", "Năm 2026"),
        (date(2026, 6, 14), "Tháng 6/2026", "Quý II/2026", "6 tháng đầu năm 2026", "Năm 2026"),
        (date(2026, 6, 15), "Tháng 7/2026", "Quý III/2026", "6 tháng cuối năm 2026", "Năm 2026"),
        (date(2026, 12, 14), "Tháng 12/2026", "Quý IV/2026", "6 tháng cuối năm 2026", "Năm 2026"),
        (date(2026, 12, 15), "Tháng 1/2027", "Quý I/2027", "6 tháng đầu năm 2027", "Năm 2027"),
    ],
)
def test_containing_at_the_boundaries(day, month, quarter, half, year):
    assert pr.containing(pr.MONTHLY, day).name == month
    assert pr.containing(pr.QUARTERLY, day).name == quarter
    assert pr.containing(pr.HALF_YEAR, day).name == half
    assert pr.containing(pr.ANNUAL, day).name == year


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31)), st.sampled_from(pr.REGULAR_KINDS))
def test_periods_tile_the_calendar(day, kind):
    """Every day is in exactly one period of each kind; the next period starts the day after this one ends."""
    p = pr.containing(kind, day)
    assert day in p
    nxt = pr.shift(p, 1)
    assert nxt.start == p.end + timedelta(days=1)
    assert pr.shift(nxt, -1) == p
    assert pr.containing(kind, p.end + timedelta(days=1)) == nxt


def test_previous_periods_for_trends():
    months = pr.previous(pr.monthly(2026, 2), 3)
    assert [m.name for m in months] == ["Tháng 12/2025", "Tháng 1/2026", "Tháng 2/2026"]
    quarters = pr.previous(pr.quarterly(2026, 1), 2)
    assert [q.name for q in quarters] == ["Quý IV/2025", "Quý I/2026"]
    custom = pr.previous(pr.custom(date(2026, 3, 1), date(2026, 3, 10)), 2)
    assert [(c.start, c.end) for c in custom] == [
        (date(2026, 2, 19), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 10)),
    ]


def test_last_complete_period():
    assert pr.last_complete(pr.MONTHLY, date(2026, 3, 20)).name == "Tháng 3/2026"
    assert pr.last_complete(pr.MONTHLY, date(2026, 3, 14)).name == "Tháng 2/2026"
    assert pr.last_complete(pr.MONTHLY, date(2026, 3, 15)).name == "Tháng 3/2026"


def test_custom_range_refuses_reversed_dates():
    with pytest.raises(ValueError):
        pr.custom(date(2026, 3, 2), date(2026, 3, 1))
    assert pr.custom(date(2026, 1, 1), date(2026, 1, 31)).label == "Từ 01/01/2026 đến 31/01/2026"
