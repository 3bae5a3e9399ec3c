"""Disciplinary forms by decision date and the handling clock (DOMAIN.md §8): pure, no database."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.inspection import discipline as dc

LAST_DAY_112 = date(2025, 6, 30)
FIRST_DAY_172 = date(2025, 7, 1)


@pytest.mark.parametrize("form", [dc.SALARY_REDUCTION, dc.DEMOTION])
def test_salary_reduction_and_demotion_exist_on_30_june_2025(form):
    dc.check_form(form, LAST_DAY_112)  # no exception: Decree 112/2020 still in force


@pytest.mark.parametrize("form", [dc.SALARY_REDUCTION, dc.DEMOTION])
def test_salary_reduction_and_demotion_refused_from_1_july_2025(form):
    with pytest.raises(dc.FormNotInForce) as refused:
        dc.check_form(form, FIRST_DAY_172)
    message = refused.value.message
    assert dc.FORM_LABELS[form] in message
    assert "Nghị định số 172/2025/NĐ-CP" in message
    assert "01/07/2025" in message
    assert "khiển trách, cảnh cáo, cách chức, buộc thôi việc" in message


@pytest.mark.parametrize("day", [LAST_DAY_112, FIRST_DAY_172, date(2026, 3, 10)])
@pytest.mark.parametrize("form", [dc.REPRIMAND, dc.WARNING, dc.REMOVAL, dc.DISMISSAL])
def test_forms_common_to_both_decrees_are_accepted_either_side(form, day):
    dc.check_form(form, day)


def test_decree_in_force_switches_on_1_july_2025():
    assert dc.decree_on(LAST_DAY_112) is dc.DECREE_112
    assert dc.decree_on(FIRST_DAY_172) is dc.DECREE_172
    assert len(dc.forms_on(LAST_DAY_112)) == 6
    assert dc.forms_on(FIRST_DAY_172) == (dc.REPRIMAND, dc.WARNING, dc.REMOVAL, dc.DISMISSAL)


def test_unknown_form_is_refused():
    with pytest.raises(dc.FormNotInForce):
        dc.check_form("phat_tien", FIRST_DAY_172)


def test_handling_clock_is_90_days_extendable_to_150():
    start = date(2026, 1, 5)
    assert dc.handling_deadline(start) == date(2026, 4, 5)
    assert dc.handling_deadline(start, 60) == date(2026, 6, 4)  # 150 days in all


def test_handling_clock_refuses_more_than_150_days():
    with pytest.raises(ValueError, match="tối đa 150 ngày"):
        dc.handling_deadline(date(2026, 1, 5), 61)
    with pytest.raises(ValueError):
        dc.handling_deadline(date(2026, 1, 5), -1)
