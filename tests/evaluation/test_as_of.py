"""Evaluation as of a date (issue 14, point 3): `evaluate(period, ref)` counts what was true on `ref` — tasks
assigned by then, deadlines in force then, results dated by then, cancellations and withdrawals decided by then.
A decision made after `ref` never changes the figures for `ref`, from the tasks or from the counted tables."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dondoc.evaluation import periods as pr
from dondoc.evaluation import stats
from dondoc.evaluation.workdays import ensure_deadline_years
from dondoc.tracking import actions
from dondoc.tracking.models import Task

T3 = pr.monthly(2026, 3)  # 15/02–14/03/2026
CUTOFF = date(2026, 3, 14)


def _figures(ref: date = CUTOFF) -> dict:
    """Every figure of T3 on ref, from the tasks and from the counted tables (they must agree), and the tasks
    behind the overdue number."""
    out = []
    for precounted in (True, False):
        e = stats.evaluate(T3, stats.SYSTEM, ref=ref, precounted=precounted)
        c = e.city
        out.append(
            (
                c.due,
                c.on_time,
                c.late,
                c.in_deadline,
                c.overdue,
                c.no_deadline,
                c.extended,
                c.late_days,
                c.overdue_days,
                sorted((r.unit.pk, r.counts.due, r.counts.overdue) for r in e.by_unit),
            )
        )
    assert out[0] == out[1]
    overdue = sorted(stats.tasks(stats.OVERDUE, T3, stats.SYSTEM, ref=ref).values_list("pk", flat=True))
    return {"figures": out[0], "overdue": overdue}


def _at(frozen, day: date) -> None:
    frozen.move_to(f"{day.isoformat()} 10:00 +07:00")


def test_later_extension_and_withdrawal_do_not_change_the_figures_as_of_the_cutoff(
    make_task, personas, frozen
):
    """T3/2026 as of 14/03: an extension approved on 18/03 and a withdrawal approved on 20/03 leave the figures
    (and the list behind "overdue") as they were on 14/03."""
    leader, lead = personas["leader"].user, personas["lead_officer"].user
    extended = make_task(due_date=date(2026, 3, 10), content="Đề án chống ngập")
    withdrawn = make_task(due_date=date(2026, 3, 12), content="Báo cáo chuyên đề đã rút")
    cancelled = make_task(due_date=date(2026, 3, 2), content="Nhiệm vụ hủy sau kỳ")
    make_task(due_date=date(2026, 3, 13), content="Nhiệm vụ vẫn quá hạn")
    make_task(due_date=date(2026, 3, 20), content="Nhiệm vụ kỳ sau")
    _at(frozen, date(2026, 3, 16))
    before = _figures()
    assert before["figures"][:5] == (4, 0, 0, 0, 4)
    assert len(before["overdue"]) == 4

    actions.request_change(
        extended, lead, reason="Chờ số liệu quy hoạch", proposed_due_date=date(2026, 4, 30)
    )
    _at(frozen, date(2026, 3, 18))
    actions.decide_change(extended, leader, approve=True, decision_document="120/UBND-ĐT")
    actions.request_change(withdrawn, lead, reason="Không còn phù hợp", withdraw=True)
    _at(frozen, date(2026, 3, 20))
    actions.decide_change(withdrawn, leader, approve=True)
    actions.cancel(cancelled, leader, reason="Đã có văn bản thay thế")
    # A task assigned after the cutoff with a deadline in the period (a late assignment) is not in the 14/03 figures.
    late_assignment = make_task(due_date=date(2026, 3, 11), assign=False, content="Giao sau ngày chốt")
    actions.assign(late_assignment, personas["tracker"].user, on=date(2026, 3, 20))

    assert _figures() == before
    # The deadline in force on a date, in Python and in SQL: the extension counts from the day it was approved.
    extended.refresh_from_db()
    for day, want in ((CUTOFF, date(2026, 3, 10)), (date(2026, 3, 18), date(2026, 4, 30))):
        assert extended.deadline_on(day) == want
        assert Task.objects.with_deadline_on(day).get(pk=extended.pk).due_then == want
    # Today's figures do see them: one fewer due (withdrawn, cancelled out, late assignment in), extended out of T3.
    now = stats.evaluate(T3, stats.SYSTEM, ref=date(2026, 3, 20)).city
    assert (now.due, now.overdue) == (2, 2)


def test_result_dated_after_the_cutoff_counts_open_on_the_cutoff(make_task, personas, frozen):
    tracker, lead = personas["tracker"].user, personas["lead_officer"].user
    task = make_task(due_date=date(2026, 3, 12))
    _at(frozen, date(2026, 3, 15))
    before = _figures()
    actions.acknowledge(task, lead)
    actions.submit_result(task, lead, document_number="40/BC-SXD", document_date=date(2026, 3, 15))
    actions.confirm_completion(task, tracker)
    assert _figures() == before
    assert _figures(date(2026, 3, 15))["figures"][:5] == (1, 0, 1, 0, 0)


def _delivered_on_time(make_task, lead, frozen) -> Task:
    """A task due 12/03 whose result, dated 10/03, the lead unit sent on 10/03."""
    _at(frozen, date(2026, 3, 10))
    task = make_task(due_date=date(2026, 3, 12))
    actions.acknowledge(task, lead)
    actions.submit_result(task, lead, document_number="40/BC-SXD", document_date=date(2026, 3, 10))
    return task


def test_a_result_returned_after_the_cutoff_stood_on_the_cutoff(make_task, personas, frozen):
    """A unit that delivered on time (result dated and submitted 10/03, due 12/03) is on time as of 14/03 — also once
    the City Office returned the result on 16/03, and once the unit sent a new one dated 18/03: a decision after
    the cutoff never shows it overdue as of the cutoff, in the figures or in the list behind them."""
    tracker, lead = personas["tracker"].user, personas["lead_officer"].user
    task = _delivered_on_time(make_task, lead, frozen)
    _at(frozen, date(2026, 3, 14))
    before = _figures()
    assert before["figures"][:5] == (1, 1, 0, 0, 0) and before["overdue"] == []
    _at(frozen, date(2026, 3, 16))
    actions.return_result(Task.objects.get(pk=task.pk), tracker, reason="Chưa đủ số liệu")
    assert _figures() == before
    assert _figures(date(2026, 3, 16))["overdue"] == [task.pk]  # open again from the return on
    _at(frozen, date(2026, 3, 18))
    actions.submit_result(
        Task.objects.get(pk=task.pk), lead, document_number="41/BC-SXD", document_date=date(2026, 3, 18)
    )
    assert _figures() == before
    assert _figures(date(2026, 3, 18))["figures"][:5] == (1, 0, 1, 0, 0)


def test_a_result_returned_before_the_cutoff_did_not_stand_on_it(make_task, personas, frozen):
    """Returned on 11/03, before the cutoff: on 14/03 the task was open again and past its deadline of 12/03."""
    tracker, lead = personas["tracker"].user, personas["lead_officer"].user
    task = _delivered_on_time(make_task, lead, frozen)
    _at(frozen, date(2026, 3, 11))
    actions.return_result(Task.objects.get(pk=task.pk), tracker, reason="Chưa đạt")
    _at(frozen, date(2026, 3, 16))
    actions.submit_result(
        Task.objects.get(pk=task.pk), lead, document_number="41/BC-SXD", document_date=date(2026, 3, 16)
    )
    assert _figures()["overdue"] == [task.pk]


# --- Property: any decision after ref leaves evaluate(ref) unchanged ---------------------------------------------

DECISION = st.sampled_from(["extend", "withdraw", "cancel", "confirm", "reject", "assign_new", "return"])
TASK = st.fixed_dictionaries(
    {
        "due": st.integers(min_value=-20, max_value=8),  # around the 14/03 cutoff
        "result": st.none()
        | st.integers(min_value=-6, max_value=0),  # a result dated that many days before ref
        "decision": DECISION,
        "delay": st.integers(min_value=1, max_value=6),  # days after ref the decision is made
    }
)


@pytest.mark.django_db
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(TASK, min_size=1, max_size=3))
def test_any_decision_after_ref_leaves_the_evaluation_unchanged(make_task, personas, frozen, rows):
    tracker, leader, lead = (personas[k].user for k in ("tracker", "leader", "lead_officer"))
    ensure_deadline_years()  # outside the rolled-back block: the table must outlive each example
    _at(frozen, CUTOFF)
    with transaction.atomic():
        tasks = []
        for row in rows:
            task = make_task(due_date=CUTOFF + timedelta(days=row["due"]), content="Nhiệm vụ thử")
            if row["result"] is not None:
                actions.acknowledge(task, lead)
                actions.submit_result(
                    task, lead, document_number="1/BC", document_date=CUTOFF + timedelta(days=row["result"])
                )
            tasks.append(task)
        before = _figures()
        for row, task in sorted(zip(rows, tasks, strict=True), key=lambda p: p[0]["delay"]):
            _at(frozen, CUTOFF + timedelta(days=row["delay"]))
            task.refresh_from_db()
            decision = row["decision"]
            if decision == "confirm" and task.state == "result_submitted":
                actions.confirm_completion(task, tracker)
            elif decision == "extend" and task.is_open:
                actions.request_change(
                    task, lead, reason="Lý do", proposed_due_date=task.due_date + timedelta(days=30)
                )
                actions.decide_change(task, leader, approve=True, decision_document="9/UBND")
            elif decision == "reject" and task.is_open:
                actions.request_change(
                    task, lead, reason="Lý do", proposed_due_date=task.due_date + timedelta(days=9)
                )
                actions.decide_change(task, leader, approve=False, note="Không đủ căn cứ")
            elif decision == "withdraw" and task.is_open:
                actions.request_change(task, lead, reason="Lý do", withdraw=True)
                actions.decide_change(task, leader, approve=True)
            elif decision == "cancel" and task.is_open:
                actions.cancel(task, leader, reason="Hủy")
            elif decision == "return" and task.state == "result_submitted":
                actions.return_result(task, tracker, reason="Chưa đạt")
            elif decision == "assign_new":
                fresh = make_task(due_date=task.due_date, assign=False, content="Giao sau")
                actions.assign(fresh, tracker, on=CUTOFF + timedelta(days=row["delay"]))
        assert _figures() == before
        transaction.set_rollback(True)


def test_the_day_of_a_return_is_hanoi_s_day(make_task, personas, frozen):
    """Sent at 23:59 on 14/03 and returned at 06:30 on 15/03, Hanoi time (16:59 and 23:30 UTC on 14/03): the result
    stood at the end of 14/03, so the figures as of 14/03 count it on time; returned at 23:59 on 14/03 it did not."""
    tracker, lead = personas["tracker"].user, personas["lead_officer"].user
    frozen.move_to("2026-03-10 09:00 +07:00")
    late_return, same_day = (make_task(due_date=date(2026, 3, 14)) for _ in range(2))
    for task in (late_return, same_day):
        actions.acknowledge(task, lead)
    frozen.move_to("2026-03-14 23:59 +07:00")
    for task in (late_return, same_day):
        actions.submit_result(task, lead, document_number=f"{task.pk}/BC", document_date=date(2026, 3, 14))
    before = _figures()
    assert before["figures"][:5] == (2, 2, 0, 0, 0)
    actions.return_result(Task.objects.get(pk=same_day.pk), tracker, reason="Chưa đạt")
    frozen.move_to("2026-03-15 06:30 +07:00")
    actions.return_result(Task.objects.get(pk=late_return.pk), tracker, reason="Chưa đạt")
    assert _figures()["figures"][:5] == (
        2,
        1,
        0,
        1,
        0,
    )  # the one returned on 14/03 itself: open, due that day


def test_a_report_drafted_after_a_return_and_an_extension_has_the_figures_of_its_date(
    make_task, personas, frozen
):
    """The monthly report of T3 as of 14/03, drafted again on 16/03 after a result was returned and another task's
    deadline was extended (both annotations at once): the same figures and the same overdue list."""
    from dondoc.evaluation import report
    from tests.evaluation.lifecycle import extend

    tracker, lead = personas["tracker"].user, personas["lead_officer"].user
    done = _delivered_on_time(make_task, lead, frozen)
    late = make_task(due_date=date(2026, 3, 11))
    _at(frozen, CUTOFF)
    before = report.snapshot(report.collect(T3, CUTOFF))
    assert [r.task_id for r in report.overdue_rows(T3, CUTOFF)] == [late.pk]
    _at(frozen, date(2026, 3, 16))
    actions.return_result(Task.objects.get(pk=done.pk), tracker, reason="Chưa đạt")
    extend(Task.objects.get(pk=late.pk), date(2026, 4, 30), personas)
    assert report.snapshot(report.collect(T3, CUTOFF)) == before
    assert [r.task_id for r in report.overdue_rows(T3, CUTOFF)] == [late.pk]
