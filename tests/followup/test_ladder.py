"""The pure ladder: properties over many tasks and dates, on the official 2025–2026 calendar."""

from __future__ import annotations

import csv
import sys
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from dondoc.followup import ladder
from dondoc.workdays.arith import CalendarEntry, WorkCalendar
from dondoc.workdays.calendar import CSV_PATH

with CSV_PATH.open(encoding="utf-8") as fh:
    CAL = WorkCalendar([CalendarEntry(date.fromisoformat(r["date"]), r["kind"]) for r in csv.DictReader(fh)])
RULES = ladder.DEFAULT_RULES
START = date(2025, 1, 2)

days = st.integers(min_value=0, max_value=600).map(lambda n: START + timedelta(days=n))


@st.composite
def task_facts(draw: st.DrawFn) -> ladder.TaskFacts:
    assigned = draw(days)
    after = st.integers(min_value=1, max_value=120).map(lambda n: assigned + timedelta(days=n))
    return ladder.TaskFacts(
        state=draw(st.sampled_from(["assigned", "in_progress"])),
        assigned_on=assigned,
        due_date=draw(st.none() | after),
        report_due=draw(st.none() | after),
        report_day_of_month=draw(st.none() | st.integers(min_value=1, max_value=31)),
        report_dates=tuple(draw(st.lists(after, max_size=3))),
        report_met=tuple(draw(st.lists(st.tuples(after, after), max_size=3))),
        inputs=tuple(
            ladder.InputFacts(unit, due, given)
            for unit, due, given in draw(
                st.lists(
                    st.tuples(st.integers(1, 5), after, st.none() | after),
                    max_size=2,
                    unique_by=lambda t: t[0],
                )
            )
        ),
    )


@settings(max_examples=150, deadline=None)
@given(task_facts())
def test_steps_fall_on_working_days_after_assignment(facts):
    assert facts.assigned_on is not None
    for step in ladder.steps_between(
        facts, CAL, RULES, facts.assigned_on, facts.assigned_on + timedelta(days=200)
    ):
        assert CAL.is_working_day(step.day), step
        assert step.day > facts.assigned_on
        assert step.at.hour == 8 and step.at.minute == 0


@settings(max_examples=150, deadline=None)
@given(task_facts(), st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=8))
def test_processing_in_any_chunks_gives_the_same_steps(facts, cuts):
    """The engine processes [stored next time, now] windows of any size: their union must be the whole ladder."""
    assert facts.assigned_on is not None
    lo, hi = facts.assigned_on, facts.assigned_on + timedelta(days=160)
    whole = ladder.steps_between(facts, CAL, RULES, lo, hi)
    pieces: list[ladder.Step] = []
    a = lo
    for cut in [*cuts, 1000]:
        b = min(a + timedelta(days=cut), hi)
        pieces += ladder.steps_between(facts, CAL, RULES, a, b)
        a = b + timedelta(days=1)
        if a > hi:
            break
    assert pieces == whole


@settings(max_examples=150, deadline=None)
@given(task_facts(), st.integers(min_value=0, max_value=150))
def test_next_step_is_the_first_step_after_now(facts, offset):
    assert facts.assigned_on is not None
    now = ladder.at_day(facts.assigned_on + timedelta(days=offset)) + timedelta(hours=1)
    upcoming = [
        s.at
        for s in ladder.steps_between(facts, CAL, RULES, now.date(), now.date() + timedelta(days=400))
        if s.at > now
    ]
    assert ladder.next_step_at(facts, CAL, RULES, now) == (upcoming[0] if upcoming else None)


def test_overdue_ladder_repeats_every_5_working_days_and_escalates_once():
    facts = ladder.TaskFacts(state="in_progress", assigned_on=date(2026, 2, 2), due_date=date(2026, 2, 12))
    steps = ladder.steps_between(facts, CAL, RULES, date(2026, 2, 1), date(2026, 6, 30))
    late = [s.working_days_late for s in steps if s.rule == "completion_overdue"]
    assert late[:5] == [1, 6, 11, 16, 21]
    assert [s.day for s in steps if s.audience == ladder.OFFICE] == [date(2026, 2, 26)]
    assert [s.day for s in steps if s.audience == ladder.LEADER] == [date(2026, 3, 5)]


def test_closed_or_submitted_task_has_no_steps():
    for state in ("draft", "result_submitted", "completed", "cancelled"):
        facts = ladder.TaskFacts(state=state, assigned_on=date(2026, 2, 2), due_date=date(2026, 2, 12))
        assert ladder.steps_between(facts, CAL, RULES, date(2026, 2, 1), date(2026, 12, 31)) == []
        assert ladder.next_step_at(facts, CAL, RULES, ladder.at_day(date(2026, 2, 2))) is None


def test_monthly_report_occurrence_is_met_only_by_its_own_cycle():
    """February's report filed on 27/02 (late) stops February's urging from that day; March is still owed. An
    ordinary progress report (not marked as a cycle's report) meets no monthly occurrence; one marked for March on
    20/03 stops March's ladder after its "5 days before" reminder."""
    base = {"state": "in_progress", "assigned_on": date(2026, 2, 2), "report_day_of_month": 25}
    late = ladder.TaskFacts(
        **base,
        report_dates=(date(2026, 2, 27), date(2026, 3, 20)),
        report_met=((date(2026, 2, 25), date(2026, 2, 27)),),
    )
    march = ladder.steps_between(late, CAL, RULES, date(2026, 2, 26), date(2026, 3, 31))
    assert [(s.day, s.rule) for s in march if s.deadline == date(2026, 2, 25)] == [
        (date(2026, 2, 26), "report_overdue")
    ]
    assert (date(2026, 3, 25), "report_on_day") in [(s.day, s.rule) for s in march]
    early = ladder.TaskFacts(
        **base,
        report_met=((date(2026, 2, 25), date(2026, 2, 27)), (date(2026, 3, 25), date(2026, 3, 20))),
    )
    march = ladder.steps_between(early, CAL, RULES, date(2026, 3, 1), date(2026, 3, 31))
    assert [(s.day, s.rule) for s in march if s.deadline == date(2026, 3, 25)] == [
        (date(2026, 3, 18), "report_before_5")
    ]


def test_occurrence_status_is_judged_against_the_base_day():
    """25/04/2026 is a Saturday and 27/04 a day off: a report on 28/04 is on time, on 29/04 late."""
    due = date(2026, 4, 25)
    assert ladder.occurrence_status(due, date(2026, 4, 28), date(2026, 5, 5), CAL) == ladder.MET_ON_TIME
    assert ladder.occurrence_status(due, date(2026, 4, 29), date(2026, 5, 5), CAL) == ladder.MET_LATE
    assert ladder.occurrence_status(due, None, date(2026, 4, 28), CAL) == ladder.OPEN
    assert ladder.occurrence_status(due, None, date(2026, 4, 29), CAL) == ladder.OVERDUE
    # A report filed after the reference date does not count yet.
    assert ladder.occurrence_status(due, date(2026, 4, 29), date(2026, 4, 28), CAL) == ladder.OPEN


def test_monthly_deadline_in_short_months_is_the_last_day():
    assert ladder.monthly_deadline(2026, 2, 31) == date(2026, 2, 28)
    assert ladder.monthly_deadline(2028, 2, 30) == date(2028, 2, 29)


@settings(max_examples=150, deadline=None)
@given(days, st.integers(min_value=0, max_value=24 * 60 - 1))
def test_nothing_is_sent_outside_sending_time(day, minute):
    """Rule 10: the engine's sending time is a working day from 08:00; before it, the next working day's 08:00."""
    now = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=ladder.TZ)
    first = ladder.sending_from(now, CAL)
    assert first >= now and CAL.is_working_day(first.date()) and first.time() >= ladder.SEND_AT
    if CAL.is_working_day(day) and now.time() >= ladder.SEND_AT:
        assert first == now
    else:
        assert first.time() == ladder.SEND_AT
        assert all(not CAL.is_working_day(d) for d in _days(day + timedelta(days=1), first.date()))


def _days(a: date, b: date) -> list[date]:
    return [a + timedelta(days=i) for i in range((b - a).days)]


def test_catch_up_after_tet_waits_for_monday_0800():
    sunday = datetime(2026, 2, 15, 9, 0, tzinfo=ladder.TZ)
    assert ladder.sending_from(sunday, CAL) == datetime(2026, 2, 23, 8, 0, tzinfo=ladder.TZ)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(task_facts(), st.integers(min_value=0, max_value=4)), min_size=1, max_size=25),
    st.integers(min_value=20, max_value=200),
    st.sampled_from([0, 1, 3]),
)
def test_planning_tasks_by_situation_equals_planning_each_task(tasks, offset, hours):
    """The engine plans the day's due tasks once per situation (issue 19): the same plans as one task at a time,
    for tasks assigned before, on and after the day before `since`, due or not, caught up after days off or not."""
    now = ladder.at_day(START + timedelta(days=offset)) + timedelta(hours=hours)
    given = [
        (i, facts, ladder.at_day(now.date() - timedelta(days=back))) for i, (facts, back) in enumerate(tasks)
    ]
    # Copies of each task assigned later (on and around the days of the window), sharing their other facts.
    given += [
        (1000 + i, replace(facts, assigned_on=since.date() - timedelta(days=back % 3)), since)
        for i, ((facts, back), (_j, _f, since)) in enumerate(zip(tasks, given, strict=False))
    ]
    shared = ladder.plan_many(given, CAL, RULES, now)
    assert shared == {i: ladder.plan(facts, CAL, RULES, since, now) for i, facts, since in given}


class _Rebuilding(Exception):
    """A read that widens the index itself (its own span, not another's): not what is tested here."""


class _Probed:
    """The official calendar, refusing to be read while a probe runs (a probe must answer from a span built)."""

    probing = False

    def is_working_day(self, day: date) -> bool:
        if self.probing:
            raise _Rebuilding
        return CAL.is_working_day(day)


def test_a_read_during_another_threads_widening_of_the_index_answers_from_a_whole_span():
    """The threads of a server share the calendar's ladder index. A read made while another thread widens it must
    see the old span or the new one whole: the old code set the new span's years before its positions, and a read
    in between walked a day "missing" from the positions to the end of time (OverflowError: assigns answering 500
    right after gunicorn started). The other thread's read is made here at every line the widening runs once its
    days are counted; a read that finds the span too narrow widens it itself (refused here, so that the probes
    leave the index as the widening thread left it)."""
    cal = _Probed()
    idx = ladder._Index(cal)  # type: ignore[arg-type]
    idx.next(date(2026, 6, 1))  # 2024–2028 built
    asked = date(2033, 2, 5)  # outside that span, inside the one widened to 2035 (margins)
    expected = ladder._Index(CAL).next(asked)
    answers: list[object] = []

    def reader(frame, event, _arg):
        if frame.f_code.co_filename != ladder.__file__:
            return None
        loc = frame.f_locals
        counted = "end" in loc and isinstance(loc.get("d"), date) and loc["d"] > loc["end"]
        if event == "line" and loc.get("self") is idx and counted:
            cal.probing = True
            try:
                answers.append(idx.next(asked))
            except _Rebuilding:
                pass
            except OverflowError as exc:
                answers.append(exc)
            finally:
                cal.probing = False
        return reader

    sys.settrace(reader)
    try:
        idx.next(date(2035, 6, 1))
    finally:
        sys.settrace(None)
    assert answers and all(a == expected for a in answers), answers
    assert idx.next(asked) == expected


def test_a_one_off_report_filed_on_the_day_of_assignment_meets_it():
    """Assigned on Monday 02/03/2026 with a report due Friday 06/03: the unit reports that same Monday afternoon.
    The report is delivered, on time: no reminder, no warning on the day, no urging after it (DOMAIN.md §7)."""
    facts = ladder.TaskFacts(
        state="in_progress",
        assigned_on=date(2026, 3, 2),
        report_due=date(2026, 3, 6),
        report_dates=(date(2026, 3, 2),),
    )
    assert ladder.occurrence_met_on(facts, date(2026, 3, 6)) == date(2026, 3, 2)
    steps = ladder.steps_between(facts, CAL, RULES, date(2026, 3, 3), date(2026, 4, 30))
    assert [(s.day, s.rule) for s in steps if s.kind == ladder.REPORT] == []
