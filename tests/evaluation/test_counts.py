"""The pre-counted tables (`dondoc.evaluation.counts`) against the tasks themselves.

Random tasks are written and changed by every route that bypasses the actions — bulk_create, queryset.update, raw
SQL, deletes, a directive's authority, children given and taken from parents (a task with children is counted by
them, not itself) — and after each round: the counts kept by the triggers equal a recount
from scratch, and every figure the evaluation reads from them (by unit, authority, kind, the city, the trend;
each filter; with and without secret tasks) equals the same figure counted from the tasks. Runs on SQLite and
PostgreSQL (the triggers differ).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from dondoc.core import counted_sql
from dondoc.directives.models import Authority, Directive
from dondoc.evaluation import counts, dashboard, stats
from dondoc.evaluation import periods as pr
from dondoc.evaluation.models import MonthCount, TrendCount
from dondoc.tracking import counted as tracking_counted
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task
from tests.helpers import RANDOM_STATES, RANDOM_UNITS, bucket_sums, held_open, make_directive, random_day

REF = date(2026, 3, 10)  # the frozen today
MONTH = pr.monthly(2026, 3)  # 15/02–14/03/2026
QUARTER = pr.quarterly(2026, 1)  # 15/12/2025–14/03/2026
FILTERS = [
    stats.Filters(),
    stats.Filters(authority=Authority.GOVERNMENT),
    stats.Filters(authority=Authority.CITY_COMMITTEE),
    *(stats.Filters(kind=k) for k in (tl.KIND_A, tl.KIND_B, tl.KIND_C, tl.KIND_D)),
]


def _fields(rng: random.Random, directives: list[Directive], units: dict) -> dict:
    state = rng.choice(RANDOM_STATES)
    due = None if rng.random() < 0.2 else random_day(rng, date(2025, 11, 1), date(2026, 5, 31))
    done = None
    if state == tl.COMPLETED:
        hi = min(REF, (due or REF) + timedelta(days=40))  # never after today
        done = random_day(rng, min(hi, (due or REF) - timedelta(days=30)), hi)
    return {
        "directive": rng.choice(directives),
        "lead_unit": units[rng.choice(RANDOM_UNITS)],
        "content": "Nhiệm vụ thử",
        "due_date": due,
        "state": state,
        "completed_on": done,
        "assigned_on": None
        if state == tl.DRAFT and rng.random() < 0.5
        else random_day(rng, date(2025, 10, 1), REF),
        "must_submit": rng.random() < 0.3,
        "must_report": rng.random() < 0.3,
        "secret": rng.random() < 0.15,
        "deadline_changes": rng.choice([0, 0, 0, 1, 2]),
    }


def _snapshot() -> dict:
    """Every key that counts something, with the sum of its rows (folded and pending)."""
    rows = {}
    for model in (MonthCount, TrendCount):
        fields = [f.name for f in model._meta.fields if f.name not in ("id", "n", "pending")]
        for row in model.objects.values(*fields).annotate(s=Sum("n")).order_by():
            n = row.pop("s")
            if n:
                rows[(model.__name__, *row.values())] = n
    return rows


def _pending_rows() -> int:
    return MonthCount.objects.exclude(pending=0).count() + TrendCount.objects.exclude(pending=0).count()


def _same_figures(user) -> None:
    for period in (MONTH, QUARTER):
        for f in FILTERS:
            fast = stats.evaluate(period, user, ref=REF, filters=f)
            slow = stats.evaluate(period, user, ref=REF, filters=f, precounted=False)
            assert fast.city == slow.city, (period.label, f)
            assert [(r.unit.pk, r.counts, r.rank) for r in fast.by_unit] == [
                (r.unit.pk, r.counts, r.rank) for r in slow.by_unit
            ], (period.label, f)
            assert [(g.key, g.counts) for g in fast.by_authority] == [
                (g.key, g.counts) for g in slow.by_authority
            ]
            assert [(g.key, g.counts) for g in fast.by_kind] == [(g.key, g.counts) for g in slow.by_kind]
            fast_trend = stats.trend(period, user, ref=REF, filters=f)
            slow_trend = stats.trend(period, user, ref=REF, filters=f, precounted=False)
            assert [p.counts for p in fast_trend] == [p.counts for p in slow_trend], (period.label, f)
    # The open tasks of any span of days (the dashboard's "due soon"): from the counts, whatever the days.
    for start, end in ((REF, date(2026, 3, 16)), (date(2026, 2, 27), date(2026, 3, 15)), (REF, REF)):
        span = pr.custom(start, end)
        for f in FILTERS:
            for by in stats.BREAKDOWNS:
                fast_open = stats.count(span, user, by=by, ref=REF, filters=f, open_only=True)
                slow_open = stats.count(
                    span, user, by=by, ref=REF, filters=f, open_only=True, precounted=False
                )
                assert fast_open == slow_open, (span.label, f, by)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_counts_follow_every_write_and_agree_with_the_tasks(db, frozen, registry, personas, seed):
    rng = random.Random(seed)
    directives = [
        make_directive(
            f"{i + 1}/CT-UBND", issuer=registry["H26"], authority=authority, issued_on=date(2025, 9, 1)
        )
        for i, authority in enumerate([Authority.GOVERNMENT, Authority.CITY_COMMITTEE, Authority.CHAIRMAN])
    ]
    leader = personas["leader"].user  # sees every task, secret ones too
    inspector = personas["inspector"].user  # sees every task but the secret ones
    Task.objects.bulk_create([Task(**_fields(rng, directives, registry)) for _ in range(120)])
    for round_ in range(4):
        ids = list(Task.objects.values_list("id", flat=True))
        for pk in rng.sample(ids, 25):  # queryset.update: no signal, no save()
            Task.objects.filter(pk=pk).update(**{k: v for k, v in _fields(rng, directives, registry).items()})
        with connection.cursor() as cur:  # raw SQL
            for pk in rng.sample(ids, 5):
                cur.execute("UPDATE tracking_task SET secret = NOT secret WHERE id = %s", [pk])
        # The task tree (issue 15): children named and moved by raw writes; a parent is counted by its children.
        for pk in rng.sample(ids, 12):
            Task.objects.filter(pk=pk).update(parent_id=rng.choice([None, *(i for i in ids if i != pk)]))
        gone = rng.sample(ids, 6)
        Task.objects.filter(parent_id__in=gone).update(
            parent_id=None
        )  # a parent is never deleted under a child
        Task.objects.filter(pk__in=gone).delete()
        for _ in range(8):  # save() through the ORM
            Task.objects.create(**_fields(rng, directives, registry))
        Directive.objects.filter(pk=directives[round_ % 3].pk).update(
            authority=rng.choice([a for a, _ in Authority.choices])
        )
        issued = Task.objects.exclude(parent=None).exclude(assigned_on=None)
        assert set(Task.objects.filter(has_issued_children=True).values_list("pk", flat=True)) == set(
            issued.values_list("parent_id", flat=True)
        ), f"round {round_}: the parents' flag differs from their children"
        # PostgreSQL's writers appended pending rows (SQLite's upserted): the figures sum them with the folded
        # rows, and folding them changes no key's sum
        assert (_pending_rows() > 0) == (connection.vendor == "postgresql")
        _same_figures(leader)
        kept = _snapshot()
        counted_sql.fold_all(connection)
        assert _pending_rows() == 0
        assert kept == _snapshot(), f"round {round_}: folding changed the counts"
        _same_figures(inspector)
        counts.rebuild()
        assert kept == _snapshot(), f"round {round_}: the triggers' counts differ from a recount"


def test_the_counted_path_reads_no_task_rows(db, frozen, registry, personas, make_task):
    for due in (date(2026, 2, 20), date(2026, 3, 2), date(2026, 3, 12), None):
        make_task(due_date=due)
    leader = personas["leader"].user
    with CaptureQueriesContext(connection) as ctx:
        ev = stats.evaluate(MONTH, leader, ref=REF)
        stats.trend(MONTH, leader, ref=REF)
    assert ev.city.due == 3 and ev.city.overdue == 2 and ev.city.in_deadline == 1 and ev.city.no_deadline == 1
    reads = [q["sql"] for q in ctx.captured_queries if "tracking_task" in q["sql"]]
    assert reads and all("MAX(" in sql for sql in reads), reads  # only the last completion date
    assert any("evaluation_monthcount" in q["sql"] for q in ctx.captured_queries)
    assert any("evaluation_trendcount" in q["sql"] for q in ctx.captured_queries)


def test_the_dashboard_computed_reads_no_task_rows(db, frozen, registry, personas, make_task):
    """Every figure of the leaders' dashboard — the due-soon part of "within deadline" too, over a span of days that
    is not a reporting month — comes from the counted tables: no statement reads task rows (at 10^6 tasks the
    due-soon count alone read ~15,000 of them, ~80 ms of the database's time per computed dashboard)."""
    for due in (date(2026, 2, 20), date(2026, 3, 2), date(2026, 3, 11), date(2026, 3, 12), None):
        make_task(due_date=due)
    leader = personas["leader"].user
    with CaptureQueriesContext(connection) as ctx:
        board = dashboard.compute(MONTH, stats.SYSTEM, ref=REF, filters=stats.Filters())
    assert board.due_soon is not None and board.due_soon.value == 2
    assert board.due_soon.value == dashboard.due_soon(MONTH, leader, ref=REF, filters=stats.Filters())[None]
    reads = [q["sql"] for q in ctx.captured_queries if "tracking_task" in q["sql"]]
    assert all("MAX(" in sql for sql in reads), reads  # only the index probes of `stats.as_of`


def _reads_counts(fn) -> bool:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return any("evaluation_monthcount" in q["sql"] for q in ctx.captured_queries)


def test_when_the_counts_cannot_answer_the_tasks_are_counted(db, frozen, registry, personas, make_task):
    task = make_task(due_date=date(2026, 3, 2))
    Task.objects.filter(pk=task.pk).update(state=tl.COMPLETED, completed_on=date(2026, 3, 6))
    leader, unit_officer = personas["leader"].user, personas["lead_officer"].user
    # A custom range is not made of reporting months.
    custom = pr.custom(date(2026, 3, 1), date(2026, 3, 9))
    assert not _reads_counts(lambda: stats.evaluate(custom, leader, ref=REF))
    assert stats.evaluate(custom, leader, ref=REF).city.late == 1
    # Seen on 05/03, before the completion on 06/03: the task was still open then (overdue since 02/03).
    early = stats.evaluate(MONTH, leader, ref=date(2026, 3, 5))
    assert early.city.overdue == 1 and early.city.late == 0
    assert not _reads_counts(lambda: stats.evaluate(MONTH, leader, ref=date(2026, 3, 5)))
    # A unit's people see their unit's tasks (and the ones it coordinates): counted from the tasks.
    assert not _reads_counts(lambda: stats.evaluate(MONTH, unit_officer, ref=REF))
    # The leader on 10/03: from the counts, and the same answer.
    assert _reads_counts(lambda: stats.evaluate(MONTH, leader, ref=REF))
    assert stats.evaluate(MONTH, leader, ref=REF).city.late == 1


def test_a_decrement_never_goes_below_zero_or_creates_a_row(db, frozen, registry, directive):
    task = Task.objects.create(
        directive=directive,
        lead_unit=registry["SXD"],
        content="Thử",
        due_date=date(2026, 3, 2),
        state=tl.ASSIGNED,
    )
    assert MonthCount.objects.get().n == 1 and TrendCount.objects.get().n == 1
    MonthCount.objects.all().delete()
    TrendCount.objects.all().delete()
    Task.objects.filter(pk=task.pk).delete()
    assert not MonthCount.objects.exists() and not TrendCount.objects.exists()


def test_month_bounds():
    assert counts.month_start(date(2026, 3, 14)) == date(2026, 2, 15)
    assert counts.month_start(date(2026, 3, 15)) == date(2026, 3, 15)
    assert counts.month_start(date(2026, 1, 3)) == date(2025, 12, 15)
    assert counts.month_end(date(2026, 2, 15)) == date(2026, 3, 14)
    assert counts.month_end(date(2025, 12, 15)) == date(2026, 1, 14)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_crossed_writers_never_deadlock_on_the_count_rows(registry, directive):
    """Two transactions each change two tasks whose count rows are the other's, in opposite orders. Row locks on
    the count rows alone would deadlock (PostgreSQL then aborts one of them); the triggers take none (they
    append pending rows), so both commit."""
    import threading

    from django.db import connections, transaction

    def task(due: date) -> Task:
        return Task.objects.create(
            directive=directive, lead_unit=registry["SXD"], content="Thử", due_date=due, state=tl.ASSIGNED
        )

    x1, y1, x2, y2 = (
        task(d) for d in (date(2026, 3, 2), date(2026, 3, 3), date(2026, 3, 2), date(2026, 3, 3))
    )
    halfway = threading.Barrier(2, timeout=3)
    errors: list[BaseException] = []

    def work(first: Task, second: Task) -> None:
        try:
            with transaction.atomic():
                Task.objects.filter(pk=first.pk).update(state=tl.IN_PROGRESS)
                try:
                    halfway.wait()  # both hold their first count row (without the lock) — or time out waiting
                except threading.BrokenBarrierError:
                    pass
                Task.objects.filter(pk=second.pk).update(state=tl.IN_PROGRESS)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=pair) for pair in ((x1, y1), (y2, x2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert set(Task.objects.values_list("state", flat=True)) == {tl.IN_PROGRESS}
    kept = _snapshot()
    counts.rebuild()
    assert kept == _snapshot()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_writers_of_tasks_under_other_keys_do_not_wait_for_each_other(registry, directive):
    """No global lock (issue 19): while one transaction holds its changed task open, another one changing a task
    counted under other keys commits at once (before, it waited for the audit trail's lock)."""
    from django.db import transaction

    first, second = (
        Task.objects.create(
            directive=directive, lead_unit=registry["SXD"], content="Thử", due_date=due, state=tl.ASSIGNED
        )
        for due in (date(2026, 3, 2), date(2026, 4, 6))
    )
    with held_open(lambda: Task.objects.filter(pk=first.pk).update(due_date=date(2026, 3, 9))) as errors:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")
            Task.objects.filter(pk=second.pk).update(due_date=date(2026, 4, 13))
    assert errors == []
    kept = _snapshot()
    counts.rebuild()
    assert kept == _snapshot()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
def test_writers_of_tasks_under_the_same_keys_do_not_wait_for_each_other(registry, directive):
    """Pending counted rows (issue 19, Q4/Q5): while one transaction holds open its change of a task, another one
    moving a task between the SAME keys of every counted table (units', city's, months', trend's) commits at once
    — before, its upsert waited for the first's count rows until that commit (`Lock:transactionid`). Both commits
    count, before and after the fold, as a recount does."""
    from django.db import transaction

    first, second = (
        Task.objects.create(
            directive=directive,
            lead_unit=registry["SXD"],
            content="Thử",
            due_date=date(2026, 3, 2),
            state=tl.ASSIGNED,
            assigned_on=date(2026, 2, 20),
        )
        for _ in range(2)
    )
    counted_sql.fold_all(connection)
    with held_open(lambda: Task.objects.filter(pk=first.pk).update(due_date=date(2026, 3, 9))) as errors:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")
            Task.objects.filter(pk=second.pk).update(due_date=date(2026, 3, 9))
    assert errors == []
    assert _pending_rows() > 0
    kept = _snapshot()
    counted_sql.fold_all(connection)
    assert _pending_rows() == 0 and _snapshot() == kept
    counts.rebuild()
    assert kept == _snapshot()
    tracked = bucket_sums()
    tracking_counted.rebuild()
    assert bucket_sums() == tracked


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the statement triggers are PostgreSQL's")
def test_an_update_that_changes_no_counted_column_costs_the_triggers_next_to_nothing(db, registry, directive):
    """A statement that changes 500 tasks but no counted column (as the follow-up pass once did). Both counted tables'
    triggers must see at once that no counted column changed: their guard once joined the transition tables by a
    nested loop, n² comparisons (3,000 tasks: ~9·10^6, seconds; 500: ~80 ms each), even when it was planned for
    a first one-row update of the session (PL/pgSQL keeps that plan)."""
    Task.objects.bulk_create(
        Task(directive=directive, lead_unit=registry["SXD"], content="Thử", state=tl.ASSIGNED)
        for _ in range(3000)
    )
    before = _snapshot()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE tracking_task SET updated_at = now() WHERE id = (SELECT MIN(id) FROM tracking_task)"
        )
        cur.execute("EXPLAIN (ANALYZE, FORMAT JSON) UPDATE tracking_task SET updated_at = now()")
        plan = cur.fetchone()[0]
    plan = plan[0] if isinstance(plan, list) else plan
    triggers = {t["Trigger Name"]: t["Time"] for t in plan["Triggers"]}
    assert {"eval_counts_task_upd", "bucket_counts_upd"} <= set(triggers), triggers
    assert all(ms < 150 for ms in triggers.values()), triggers  # a nested loop took seconds here
    assert _snapshot() == before
