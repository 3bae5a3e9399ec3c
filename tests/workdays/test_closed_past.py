"""Why closing the calendar's past is enough (README "Lịch làm việc"): for any calendar and any edit of days from
`today` on, every judgement made as of a day before `today` is the same under the old and the new calendar — the
bucket of every task (on time, late, within the deadline, overdue; "due soon" aside, see the README), the working
days late — and every effective deadline that moves is today or later, before and after. Pure arithmetic, no
database: the rule of `notices.closed_days` meets the definitions of `tracking.timeliness`."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dondoc.tracking import timeliness as tl
from dondoc.workdays.arith import CalendarEntry, WorkCalendar

FIRST = date(2026, 4, 1)
SPAN = 90
KINDS = ("holiday", "compensatory", "swapped_off", "makeup_workday", "workday")

days = st.integers(min_value=0, max_value=SPAN - 1).map(lambda n: FIRST + timedelta(days=n))
entries = st.dictionaries(days, st.sampled_from(KINDS), max_size=25)
states = st.sampled_from(tl.OPEN_STATES + (tl.COMPLETED,))


def coarse(bucket: str) -> str:
    return tl.IN_DEADLINE if bucket == tl.DUE_SOON else bucket


@settings(max_examples=300, deadline=None)
@given(
    before=entries,
    edit=entries,
    today=days,
    due=days,
    ref_back=st.integers(min_value=1, max_value=40),
    done_back=st.integers(min_value=0, max_value=40),
    state=states,
)
def test_an_edit_of_days_from_today_on_changes_nothing_judged_before_today(
    before, edit, today, due, ref_back, done_back, state
):
    old = WorkCalendar([CalendarEntry(d, k) for d, k in before.items()])
    kept = {d: k for d, k in edit.items() if d >= today}  # what `closed_days` lets through
    new = WorkCalendar([CalendarEntry(d, k) for d, k in {**before, **kept}.items()])
    rule_old, rule_new = tl.DeadlineRule(old), tl.DeadlineRule(new)
    ref = today - timedelta(days=ref_back)
    completed_on = today - timedelta(days=done_back) if state == tl.COMPLETED else None
    soon = ref  # "due soon" looks past ref, into days an edit may change: left out of the comparison
    assert coarse(tl.bucket(state, due, completed_on, ref, soon, rule_old)) == coarse(
        tl.bucket(state, due, completed_on, ref, soon, rule_new)
    )
    effective_old, effective_new = rule_old.effective(due), rule_new.effective(due)
    assert effective_old is not None and effective_new is not None
    if effective_old != effective_new:
        assert effective_old >= today and effective_new >= today  # only deadlines not yet passed move
    if ref >= due:
        assert rule_old.days_late(due, ref) == rule_new.days_late(due, ref)
    # and a task with a result dated today or before is judged the same today
    if state == tl.COMPLETED:
        assert tl.bucket(state, due, completed_on, today, today, rule_old) == tl.bucket(
            state, due, completed_on, today, today, rule_new
        )
