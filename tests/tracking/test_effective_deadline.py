"""One effective deadline (issue 14, points 1 and 2): the deadline in force, rolled to the next working day when it
falls on a day off (DOMAIN.md §6, setting DEADLINE_ROLLS_TO_WORKING_DAY); a result awaiting confirmation is judged
by its document's date. Every path — the Python bucket, the SQL bucket, the counted tables, the ladder's deadline,
the urging letter's days late — gives the same answer."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dondoc.documents import urging
from dondoc.evaluation import periods as pr
from dondoc.evaluation import stats
from dondoc.evaluation.workdays import ensure_deadline_years
from dondoc.followup import ladder
from dondoc.followup.facts import task_facts
from dondoc.tracking import actions
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task
from dondoc.tracking.timeliness import soon_limit
from dondoc.workdays import calendar

TET_SATURDAY = date(2026, 2, 14)  # first day of the 2026 Tết break (14–22/02)
AFTER_TET = date(2026, 2, 23)  # Monday, the next working day
T2 = pr.monthly(2026, 2)  # 15/01–14/02/2026: a task belongs to the period of its deadline as written
T3 = pr.monthly(2026, 3)  # 15/02–14/03/2026


def _steps_on(task: Task, day: date) -> list[ladder.Step]:
    facts = task_facts(Task.objects.get(pk=task.pk))
    return ladder.steps_between(facts, calendar.current(), ladder.DEFAULT_RULES, day, day)


def _letter_rows(task: Task, user, ref: date) -> list[urging.UrgingLine]:
    return [line for line in urging.urging_lines(task.lead_unit, user, ref) if line.task.pk == task.pk]


# --- The rule, in Python ------------------------------------------------------------------------------------------


def test_deadline_on_a_day_off_rolls_to_the_next_working_day(registry):
    rule = tl.current_rule()
    assert rule.effective(TET_SATURDAY) == AFTER_TET
    assert rule.effective(date(2026, 3, 10)) == date(2026, 3, 10)  # a Tuesday stays
    assert (
        rule.explain(TET_SATURDAY)
        == "hạn 14/02/2026 (thứ Bảy) → tính đến 23/02/2026 theo ngày làm việc tiếp theo"
    )
    assert rule.explain(date(2026, 3, 10)) == ""


def test_without_rolling_the_deadline_counts_as_written(registry, settings):
    settings.DEADLINE_ROLLS_TO_WORKING_DAY = False
    rule = tl.current_rule()
    assert rule.effective(TET_SATURDAY) == TET_SATURDAY
    ref = AFTER_TET
    assert tl.bucket(tl.IN_PROGRESS, TET_SATURDAY, None, ref, soon_limit(ref)) == tl.OVERDUE
    assert rule.days_late(TET_SATURDAY, ref) == 1


# --- Issue 14, bullet 2: a deadline on a day off --------------------------------------------------------------------


def test_task_due_on_tet_saturday_is_not_overdue_on_the_monday_after(make_task, personas, frozen, client):
    """Due Sat 14/02/2026: on Mon 23/02 the bucket (Python and SQL), the ladder and the urging letter agree that it
    is due that day, 0 days late; a result dated 23/02 is on time; on Tue 24/02 all say 1 working day late."""
    tracker, lead = personas["tracker"].user, personas["lead_officer"].user
    task = make_task(due_date=TET_SATURDAY)
    frozen.move_to("2026-02-23 09:00 +07:00")
    ref = AFTER_TET
    limit = soon_limit(ref)
    assert task.bucket_on(ref, limit) == tl.DUE_SOON
    assert Task.objects.with_bucket(ref, limit).get(pk=task.pk).bucket == tl.DUE_SOON
    assert not Task.objects.in_bucket(tl.OVERDUE, ref, limit).filter(pk=task.pk).exists()
    assert _letter_rows(task, tracker, ref)[0].overdue is False
    on_day = _steps_on(task, ref)
    assert on_day and {(s.deadline, s.working_days_late) for s in on_day} == {(AFTER_TET, 0)}
    figures = stats.count(T2, stats.SYSTEM, ref=ref)[None]
    assert (figures.due, figures.overdue, figures.in_deadline) == (1, 0, 1)

    nxt = date(2026, 2, 24)
    frozen.move_to("2026-02-24 09:00 +07:00")
    assert task.bucket_on(nxt, soon_limit(nxt)) == tl.OVERDUE
    assert [line.working_days_late for line in _letter_rows(task, tracker, nxt)] == [1]
    assert {s.working_days_late for s in _steps_on(task, nxt)} == {1}
    figures = stats.count(T2, stats.SYSTEM, ref=nxt)[None]
    assert (figures.overdue, figures.overdue_days) == (1, 1)

    # The unit delivers with a result dated Monday 23/02: on time, in every path.
    actions.acknowledge(task, lead)
    actions.submit_result(task, lead, document_number="7/BC-SXD", document_date=AFTER_TET)
    task = actions.confirm_completion(task, tracker)
    assert task.bucket_on(nxt, soon_limit(nxt)) == tl.COMPLETED_ON_TIME
    assert Task.objects.with_bucket(nxt, soon_limit(nxt)).get(pk=task.pk).bucket == tl.COMPLETED_ON_TIME
    for precounted in (True, False):
        figures = stats.count(T2, stats.SYSTEM, ref=nxt, precounted=precounted)[None]
        assert (figures.on_time, figures.late) == (1, 0), precounted

    client.force_login(tracker)
    page = client.get(task.get_absolute_url())
    assert (
        "hạn 14/02/2026 (thứ Bảy) → tính đến 23/02/2026 theo ngày làm việc tiếp theo" in page.content.decode()
    )


# --- Issue 14, bullet 1: a submitted result is judged by its document's date ----------------------------------------


def test_result_dated_before_the_deadline_is_not_overdue_nor_urged_while_awaiting_confirmation(
    make_task, personas, frozen, client
):
    """Due 10/03/2026, result dated and submitted 09/03, the City Office has not confirmed by 12/03: on time
    (chờ xác nhận), not in the overdue list, not in the urging letter, no reminder; counted on time in T3/2026."""
    tracker, lead = personas["tracker"].user, personas["lead_officer"].user
    task = make_task(due_date=date(2026, 3, 10), content="Báo cáo kết quả rà soát nhà chung cư")
    frozen.move_to("2026-03-09 15:00 +07:00")
    actions.acknowledge(task, lead)
    actions.submit_result(task, lead, document_number="31/BC-SXD", document_date=date(2026, 3, 9))

    frozen.move_to("2026-03-12 09:00 +07:00")
    ref = date(2026, 3, 12)
    limit = soon_limit(ref)
    task.refresh_from_db()
    assert task.state == tl.RESULT_SUBMITTED and task.awaiting_confirmation
    assert task.bucket_on(ref, limit) == tl.COMPLETED_ON_TIME
    assert Task.objects.with_bucket(ref, limit).get(pk=task.pk).bucket == tl.COMPLETED_ON_TIME
    assert not Task.objects.in_bucket(tl.OVERDUE, ref, limit).exists()
    assert _letter_rows(task, tracker, ref) == []
    assert urging.units_with_overdue(tracker, ref) == []
    assert _steps_on(task, ref) == [] and _steps_on(task, date(2026, 3, 11)) == []
    for precounted in (True, False):
        figures = stats.count(T3, stats.SYSTEM, ref=ref, precounted=precounted)[None]
        assert (figures.due, figures.on_time, figures.overdue) == (1, 1, 0), precounted
    client.force_login(tracker)
    assert 'id="awaiting-confirmation"' in client.get(task.get_absolute_url()).content.decode()

    # Returned on 13/03: open again, judged by its deadline from then on — overdue, urged, in the letter.
    frozen.move_to("2026-03-13 09:00 +07:00")
    task = actions.return_result(task, tracker, reason="Thiếu phụ lục số liệu")
    ref = date(2026, 3, 13)
    assert task.completed_on is None and not task.awaiting_confirmation
    assert task.bucket_on(ref, soon_limit(ref)) == tl.OVERDUE
    assert [line.working_days_late for line in _letter_rows(task, tracker, ref)] == [3]
    assert stats.count(T3, stats.SYSTEM, ref=ref)[None].overdue == 1


def test_result_dated_after_the_deadline_awaiting_confirmation_counts_late(make_task, personas, frozen):
    lead = personas["lead_officer"].user
    task = make_task(due_date=date(2026, 3, 5))
    frozen.move_to("2026-03-09 15:00 +07:00")
    actions.acknowledge(task, lead)
    actions.submit_result(task, lead, document_number="32/BC-SXD", document_date=date(2026, 3, 9))
    ref = date(2026, 3, 10)
    task.refresh_from_db()
    assert task.bucket_on(ref, soon_limit(ref)) == tl.COMPLETED_LATE
    figures = stats.count(T3, stats.SYSTEM, ref=ref)[None]
    assert (figures.late, figures.overdue, figures.late_days) == (1, 0, 2)  # 06/03 and 09/03


# --- Every path agrees: a property test ----------------------------------------------------------------------------

# Deadlines around the 2026 Tết break, the April/May holidays and ordinary weekends.
ANCHORS = [date(2026, 2, 10), date(2026, 4, 23), date(2026, 3, 4)]
ROW = st.fixed_dictionaries(
    {
        "state": st.sampled_from(
            [
                tl.ASSIGNED,
                tl.IN_PROGRESS,
                tl.RESULT_SUBMITTED,
                tl.RESULT_SUBMITTED,
                tl.COMPLETED,
                tl.COMPLETED,
            ]
        ),
        "due": st.none() | st.integers(min_value=0, max_value=16),
        "done": st.none() | st.integers(min_value=-3, max_value=14),
    }
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    anchor=st.sampled_from(ANCHORS),
    rows=st.lists(ROW, min_size=1, max_size=10),
    ref_offset=st.integers(min_value=0, max_value=20),
    roll=st.booleans(),
)
def test_every_path_gives_the_same_bucket(
    directive, registry, personas, frozen, settings, anchor, rows, ref_offset, roll
):
    """Random tasks (open, awaiting confirmation with a document date, completed) with deadlines on working days and
    days off: the Python bucket, the SQL bucket and bucket filters, the evaluation counted from the tasks and from
    the counted tables, the ladder's deadline and the urging letter's overdue lines and days late all agree."""
    settings.DEADLINE_ROLLS_TO_WORKING_DAY = roll
    ensure_deadline_years()  # outside the rolled-back block below: the table must outlive each example
    ref = anchor + timedelta(days=ref_offset)
    frozen.move_to(f"{ref.isoformat()} 12:00 +07:00")
    rule = tl.current_rule()
    limit = soon_limit(ref)
    tracker = personas["tracker"].user
    with transaction.atomic():
        tasks = []
        for row in rows:
            due = None if row["due"] is None else anchor + timedelta(days=row["due"])
            done = None
            if row["state"] != tl.IN_PROGRESS and row["state"] != tl.ASSIGNED and row["done"] is not None:
                done = min(ref, (due or anchor) + timedelta(days=row["done"]))
            state = row["state"]
            if state == tl.COMPLETED and done is None:
                done = min(ref, due or ref)
            tasks.append(
                Task(
                    directive=directive,
                    lead_unit=registry["SXD"],
                    content="Nhiệm vụ thử",
                    state=state,
                    due_date=due,
                    completed_on=done,
                    assigned_on=anchor - timedelta(days=30),
                )
            )
        Task.objects.bulk_create(tasks)
        stored = list(Task.objects.all())
        expected = {t.pk: tl.bucket(t.state, t.due_date, t.completed_on, ref, limit, rule) for t in stored}

        # The SQL twins.
        assert {t.pk: t.bucket for t in Task.objects.with_bucket(ref, limit)} == expected
        parent = {part: whole for whole, part in tl.PARTS.items()}  # due soon is a part of within deadline
        for name in tl.BUCKETS:
            in_sql = set(Task.objects.in_bucket(name, ref, limit).values_list("pk", flat=True))
            assert in_sql == {pk for pk, b in expected.items() if name in (b, parent.get(b))}, name

        # The ladder's deadline and the urging letter.
        for t in stored:
            assert task_facts(t).due_date == rule.effective(t.due_date)
        lines = {line.task.pk: line for line in urging.urging_lines(registry["SXD"], tracker, ref)}
        assert {pk for pk, line in lines.items() if line.overdue} == {
            pk for pk, b in expected.items() if b == tl.OVERDUE
        }
        by_pk = {t.pk: t for t in stored}
        for pk, line in lines.items():
            if line.overdue:
                assert line.working_days_late == rule.days_late(by_pk[pk].due_date, ref)

        # The evaluation of the reporting month of each deadline, from the tasks and from the counted tables.
        for period in {pr.monthly(d.year, d.month) for d in (ref, anchor, anchor + timedelta(days=20))}:
            due = [t for t in stored if t.due_date and period.start <= t.due_date <= period.end]
            want = {
                "on_time": sum(expected[t.pk] == tl.COMPLETED_ON_TIME for t in due),
                "late": sum(expected[t.pk] == tl.COMPLETED_LATE for t in due),
                "overdue": sum(expected[t.pk] == tl.OVERDUE for t in due),
                "in_deadline": sum(expected[t.pk] in (tl.IN_DEADLINE, tl.DUE_SOON) for t in due),
                "late_days": sum(
                    rule.days_late(t.due_date, t.completed_on)
                    for t in due
                    if expected[t.pk] == tl.COMPLETED_LATE
                ),
                "overdue_days": sum(
                    rule.days_late(t.due_date, ref) for t in due if expected[t.pk] == tl.OVERDUE
                ),
            }
            for precounted in (False, True):
                c = stats.count(period, stats.SYSTEM, ref=ref, precounted=precounted)[None]
                got = {k: getattr(c, k) for k in want}
                assert (c.due, got) == (len(due), want), (period, precounted)
            points = stats.trend(period, stats.SYSTEM, n=1, ref=ref)
            assert (points[-1].counts.on_time, points[-1].counts.late) == (want["on_time"], want["late"])
        transaction.set_rollback(True)
