"""Timeliness and kind (DOMAIN.md §5): the pure rules, and the SQL twins agreeing with them on every row."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dondoc.tracking import actions
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task
from dondoc.tracking.queries import bucket_counts
from dondoc.tracking.timeliness import soon_limit
from dondoc.workdays.arith import WorkCalendar

REF = date(2026, 3, 10)
SOON = date(2026, 3, 13)  # three working days after Tuesday 10/03/2026
DUE = date(2026, 3, 20)
# The pure rules with the calendar of the holidays package (no database): every deadline above is a working day.
RULE = tl.DeadlineRule(WorkCalendar([]))


def bucket(*args: object) -> str:
    return tl.bucket(*args, rule=RULE)  # type: ignore[arg-type]


# --- Completed tasks ----------------------------------------------------------------------------------------------


def test_task_completed_on_its_deadline_is_on_time():
    assert bucket(tl.COMPLETED, DUE, DUE, REF, SOON) == tl.COMPLETED_ON_TIME


def test_task_completed_after_deadline_is_late():
    assert bucket(tl.COMPLETED, DUE, DUE + timedelta(days=1), REF, SOON) == tl.COMPLETED_LATE


def test_task_completed_with_no_deadline_is_on_time():
    assert bucket(tl.COMPLETED, None, date(2030, 1, 1), REF, SOON) == tl.COMPLETED_ON_TIME


def test_task_completed_on_time_stays_on_time_long_after_its_deadline():
    assert bucket(tl.COMPLETED, DUE, DUE, date(2027, 1, 1), date(2027, 1, 6)) == tl.COMPLETED_ON_TIME


def test_task_completed_late_stays_late_whatever_the_reference_date():
    assert bucket(tl.COMPLETED, DUE, DUE + timedelta(days=3), date(2026, 1, 1), date(2026, 1, 6)) == (
        tl.COMPLETED_LATE
    )


# --- Open tasks ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", tl.OPEN_STATES)
def test_open_task_past_its_deadline_is_overdue(state):
    assert bucket(state, REF - timedelta(days=1), None, REF, SOON) == tl.OVERDUE


@pytest.mark.parametrize("state", tl.OPEN_STATES)
def test_open_task_due_today_is_due_soon_not_overdue(state):
    assert bucket(state, REF, None, REF, SOON) == tl.DUE_SOON


def test_open_task_due_on_the_soon_limit_is_due_soon():
    assert bucket(tl.IN_PROGRESS, SOON, None, REF, SOON) == tl.DUE_SOON


def test_open_task_due_after_the_soon_limit_is_within_deadline():
    assert bucket(tl.IN_PROGRESS, SOON + timedelta(days=1), None, REF, SOON) == tl.IN_DEADLINE


def test_open_task_with_no_deadline_is_never_overdue():
    assert bucket(tl.IN_PROGRESS, None, None, date(2099, 12, 31), date(2100, 1, 5)) == tl.NO_DEADLINE


def test_submitted_result_awaiting_confirmation_past_deadline_is_still_overdue():
    assert bucket(tl.RESULT_SUBMITTED, REF - timedelta(days=2), None, REF, SOON) == tl.OVERDUE


@pytest.mark.parametrize("state", tl.UNTRACKED_STATES)
def test_draft_and_cancelled_tasks_are_not_tracked_even_past_deadline(state):
    assert bucket(state, REF - timedelta(days=30), None, REF, SOON) in tl.NOT_TRACKED


def test_a_draft_is_not_counted_with_the_cancelled_tasks():
    """Issue 20, point 9: "Chưa giao hoặc đã hủy" lumped a draft not yet assigned with a withdrawn task."""
    assert bucket(tl.DRAFT, None, None, REF, SOON) == tl.DRAFTED
    assert bucket(tl.CANCELLED, None, None, REF, SOON) == tl.WITHDRAWN
    assert tl.BUCKET_LABELS[tl.DRAFTED] == "Dự thảo (chưa giao)"
    assert tl.BUCKET_LABELS[tl.WITHDRAWN] == "Đã hủy"


def test_reports_use_the_four_official_buckets_plus_no_deadline_due_soon_and_untracked():
    assert set(tl.BUCKETS) == {
        tl.COMPLETED_ON_TIME,
        tl.COMPLETED_LATE,
        tl.IN_DEADLINE,
        tl.DUE_SOON,
        tl.OVERDUE,
        tl.NO_DEADLINE,
        tl.DRAFTED,
        tl.WITHDRAWN,
    }


def test_due_soon_counts_working_days_skipping_the_april_2026_holidays(registry, frozen):
    # Friday 24/04/2026: 27/04 (compensatory), 30/04, 01/05 and the weekends are off, so three working days
    # reach Monday 04/05 — ten calendar days away.
    ref = date(2026, 4, 24)
    limit = soon_limit(ref)
    assert limit == date(2026, 5, 4)
    assert bucket(tl.IN_PROGRESS, date(2026, 5, 4), None, ref, limit) == tl.DUE_SOON
    assert bucket(tl.IN_PROGRESS, date(2026, 5, 5), None, ref, limit) == tl.IN_DEADLINE


def test_completion_date_is_the_result_document_date_not_the_confirmation_date(make_task, personas, frozen):
    """The result document is dated on the deadline; the City Office confirms five days later: on time."""
    lead, tracker = personas["lead_officer"].user, personas["tracker"].user
    task = make_task(due_date=date(2026, 3, 12))
    task = actions.acknowledge(task, lead)
    frozen.move_to("2026-03-12 16:00 +07:00")
    actions.submit_result(task, lead, document_number="45/BC-SXD", document_date=date(2026, 3, 12))
    frozen.move_to("2026-03-17 10:00 +07:00")
    task = actions.confirm_completion(task, tracker)

    assert task.completed_on == date(2026, 3, 12)
    ref = date(2026, 3, 17)
    assert task.bucket_on(ref, soon_limit(ref)) == tl.COMPLETED_ON_TIME
    assert Task.objects.with_bucket(ref, soon_limit(ref)).get(pk=task.pk).bucket == tl.COMPLETED_ON_TIME


# --- Kind ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("has_deadline", "submit_or_report", "expected"),
    [(True, True, tl.KIND_A), (True, False, tl.KIND_B), (False, True, tl.KIND_C), (False, False, tl.KIND_D)],
)
def test_kind_is_deadline_times_submit_or_report(has_deadline, submit_or_report, expected):
    assert tl.kind(has_deadline, submit_or_report) == expected


@pytest.mark.parametrize(("must_submit", "must_report"), [(True, False), (False, True), (True, True)])
def test_task_that_must_submit_or_report_with_a_deadline_is_kind_a(must_submit, must_report):
    task = Task(due_date=DUE, must_submit=must_submit, must_report=must_report)
    assert task.kind == tl.KIND_A


def test_task_with_neither_deadline_nor_report_is_kind_d():
    assert Task(due_date=None, must_submit=False, must_report=False).kind == tl.KIND_D


# --- Python and SQL agree -----------------------------------------------------------------------------------------

DAYS = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))
OFFSET = st.integers(min_value=-8, max_value=12)  # days around the reference date, where the boundaries are
ROW = st.fixed_dictionaries(
    {
        "state": st.sampled_from([s for s, _ in Task._meta.get_field("state").choices]),
        "due": st.none() | OFFSET,
        "completed": st.none() | OFFSET,
        "must_submit": st.booleans(),
        "must_report": st.booleans(),
    }
)


def _create(rows: list[dict], ref: date, directive: object, unit: object) -> None:
    """The tasks of `rows` (ROW), their dates counted from `ref`, written in one statement (no domain function: the
    states and dates are drawn at random, which is the point)."""
    tasks = []
    for row in rows:
        due = None if row["due"] is None else ref + timedelta(days=row["due"])
        completed_on = None if row["completed"] is None else (due or ref) + timedelta(days=row["completed"])
        if row["state"] == tl.COMPLETED and completed_on is None:
            completed_on = ref  # the database refuses a completed task with no completion date
        tasks.append(
            Task(
                directive=directive,
                lead_unit=unit,
                content="Nhiệm vụ thử",
                state=row["state"],
                due_date=due,
                completed_on=completed_on,
                assigned_on=None if row["state"] == tl.DRAFT else ref - timedelta(days=30),
                must_submit=row["must_submit"],
                must_report=row["must_report"],
            )
        )
    Task.objects.bulk_create(tasks)


def _working_days_in_sql() -> None:
    """The SQL working-day table (`evaluation.workdays`) built in the test's transaction, before an example's own
    (rolled back): built inside that, it would go with each example and be built again for the next."""
    from dondoc.evaluation.workdays import ensure_deadline_years

    ensure_deadline_years()


@pytest.mark.django_db
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, min_size=1, max_size=12), ref=DAYS, soon_days=st.integers(min_value=0, max_value=5))
def test_sql_bucket_and_kind_agree_with_python_on_every_row(
    directive, registry, frozen, rows, ref, soon_days
):
    from dondoc.workdays import calendar

    limit = calendar.current().add_working_days(ref, soon_days)
    _working_days_in_sql()
    with transaction.atomic():
        _create(rows, ref, directive, registry["SXD"])

        expected = {
            t.pk: tl.bucket(t.state, t.due_date, t.completed_on, ref, limit) for t in Task.objects.all()
        }
        annotated = Task.objects.with_bucket(ref, limit).annotate(sql_kind=tl.kind_expression())
        assert {t.pk: t.bucket for t in annotated} == expected
        assert {t.pk: t.sql_kind for t in annotated} == {t.pk: t.kind for t in annotated}
        parent = {part: name for name, part in tl.PARTS.items()}
        for name in tl.BUCKETS:
            in_sql = set(Task.objects.in_bucket(name, ref, limit).values_list("pk", flat=True))
            assert in_sql == {pk for pk, b in expected.items() if name in (b, parent.get(b))}, name
        for name in tl.KIND_LABELS:
            in_sql = set(Task.objects.filter(tl.kind_filter(name)).values_list("pk", flat=True))
            assert in_sql == {t.pk for t in annotated if t.kind == name}, name
        counts = Counter(expected.values())
        for part_of, part in tl.PARTS.items():
            counts[part_of] += counts[part]
        assert bucket_counts(Task.objects.all(), ref, limit) == {name: counts[name] for name in tl.BUCKETS}
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(ROW, min_size=1, max_size=12), ref=DAYS)
def test_counted_tables_and_inspection_risk_agree_with_the_timeliness_rule(
    directive, registry, frozen, rows, ref
):
    """The other two places that judge overdue and late in the database follow `timeliness.bucket` on every row:
    the pre-counted tables' SQL (`evaluation.counts`: a standing result, late against the deadline as written, the
    effective deadline applied when read) and inspection risk (`inspection.risk.annotated_tasks`)."""
    from django.db import connection

    from dondoc.evaluation import counts
    from dondoc.inspection.risk import annotated_tasks

    _working_days_in_sql()
    with transaction.atomic():
        _create(rows, ref, directive, registry["SXD"])
        expected = {
            t.pk: tl.bucket(t.state, t.due_date, t.completed_on, ref, ref) for t in Task.objects.all()
        }
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT t.id, CASE WHEN {counts._result('t')} THEN 1 ELSE 0 END, "
                f"CASE WHEN {counts._late('t')} THEN 1 ELSE 0 END FROM {Task._meta.db_table} t"
            )
            rows_sql = {pk: (bool(result), bool(late)) for pk, result, late in cur.fetchall()}
        for task in Task.objects.all():
            result, late_as_written = rows_sql[task.pk]
            assert result == tl.has_result(task.state, task.completed_on), task.state
            as_written = tl.bucket(
                task.state, task.due_date, task.completed_on, ref, ref, tl.DeadlineRule(roll=False)
            )
            assert late_as_written == (as_written == tl.COMPLETED_LATE), (
                task.state,
                task.due_date,
                task.completed_on,
            )
            late = late_as_written and task.completed_on > tl.effective_deadline(task.due_date)
            assert late == (expected[task.pk] == tl.COMPLETED_LATE), (
                task.state,
                task.due_date,
                task.completed_on,
            )
        # risk is as of `ref` (the day an inspection speaks of): a result dated after it was an open task then
        then = {
            t.pk: tl.bucket(tl.IN_PROGRESS, t.due_date, None, ref, ref)
            if tl.has_result(t.state, t.completed_on) and t.completed_on > ref
            else expected[t.pk]
            for t in Task.objects.all()
        }
        risk = {t.pk: (t.r_overdue, t.r_late) for t in annotated_tasks(ref)}
        assert set(risk) == {pk for pk, b in expected.items() if b not in tl.NOT_TRACKED}
        assert risk == {pk: (int(then[pk] == tl.OVERDUE), int(then[pk] == tl.COMPLETED_LATE)) for pk in risk}
        transaction.set_rollback(True)
