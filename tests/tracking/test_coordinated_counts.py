"""The counted rows of the tasks each unit coordinates (`CoordinatedBucketCount`, `tracking.counted`) against a live
count of the same tasks, after every kind of change that moves a coordination or a coordinated task's bucket: a
task created with coordinators and assigned, a coordination added, moved and removed (ORM and raw SQL), a result
submitted and confirmed, a deadline extended, a task cancelled, its lead moved to one of its coordinators (the
coordination goes), a merged unit's tasks moved to its successor, the calendar changed (a day off: the rows keep
the deadline as written, the bucket follows when read), a task's secrecy flipped, a task deleted with its
coordinations. After each, for every unit, cleared and not, on several dates: the rows' counts equal the tasks'
(`counted.bucket_counts` of both), the folded rows equal the pending ones (PostgreSQL) and a recount from scratch.
Runs on SQLite (row triggers) and PostgreSQL (statement triggers, pending rows)."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.db import connection

from dondoc.core import counted_sql
from dondoc.org.models import Unit
from dondoc.tracking import actions, counted
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import CoordinatedBucketCount, Coordination, Task
from dondoc.workdays.models import CalendarDay
from tests.evaluation.lifecycle import complete_by_lead, extend
from tests.helpers import RANDOM_UNITS, bucket_sums, merged_unit, random_task_fields

pytestmark = pytest.mark.django_db

REFS = [date(2026, 3, 10), date(2026, 3, 14), date(2026, 4, 30)]


def _live(unit: Unit, cleared: bool):
    """The tasks `unit` coordinates, counted from the tasks (what its people's second part counted before)."""
    tasks = Task.objects.filter(pk__in=Coordination.objects.filter(unit=unit).values("task_id"))
    return tasks if cleared else tasks.filter(secret=False)


def _rows(unit: Unit, cleared: bool):
    rows = CoordinatedBucketCount.objects.filter(unit=unit)
    return rows if cleared else rows.filter(secret=False)


def _check(units: list[Unit], step: str) -> None:
    assert Coordination.objects.exists(), step
    for unit in units:
        for cleared in (False, True):
            for ref in REFS:
                soon = tl.soon_limit(ref)
                assert counted.bucket_counts(_rows(unit, cleared), ref, soon) == counted.bucket_counts(
                    _live(unit, cleared), ref, soon
                ), (step, unit.code, cleared, ref)
    kept = bucket_sums()
    counted_sql.fold_all(connection)
    assert kept == bucket_sums(), f"{step}: folding changed the counts"
    counted.rebuild()
    assert kept == bucket_sums(), f"{step}: the triggers' counts differ from a recount"


def test_coordinated_rows_follow_every_change(frozen, registry, personas, directive):
    tracker = personas["tracker"].user
    sxd, stc, syt, snv = (registry[code] for code in RANDOM_UNITS)
    units = [sxd, stc, syt, snv]
    rng = random.Random(23)
    Task.objects.bulk_create([Task(**random_task_fields(rng, directive, registry)) for _ in range(40)])
    for task in Task.objects.order_by("id"):  # coordinations added in bulk (ORM)
        others = [u for u in units if u.pk != task.lead_unit_id]
        Coordination.objects.bulk_create(Coordination(task=task, unit=u) for u in rng.sample(others, 2))
    _check(units, "bulk")

    def new(content: str, coordinators: list[Unit], due: date) -> Task:
        draft = actions.create_task(
            directive,
            lead_unit=sxd,
            content=content,
            user=tracker,
            coordinating_units=coordinators,
            due_date=due,
        )
        return actions.assign(draft, tracker, on=date(2026, 3, 2))

    late = new("Báo cáo tiến độ", [stc, syt], date(2026, 3, 9))
    soon_ = new("Rà soát hồ sơ", [stc], date(2026, 3, 12))
    _check(units, "created and assigned")

    Coordination.objects.create(task=soon_, unit=snv)
    _check(units, "coordination added")
    Coordination.objects.filter(task=soon_, unit=snv).update(unit=syt)
    _check(units, "coordination moved to another unit")
    Coordination.objects.filter(task=soon_, unit=syt).update(task=late.pk, unit=snv)
    _check(units, "coordination moved to another task")
    Coordination.objects.filter(task=late, unit=snv).delete()
    _check(units, "coordination removed")
    with connection.cursor() as cur:  # raw SQL, several rows in one statement
        cur.execute(
            "DELETE FROM tracking_coordination WHERE id IN (SELECT id FROM tracking_coordination LIMIT 3)"
        )
    _check(units, "coordinations removed by raw SQL")

    extend(late, date(2026, 3, 20), personas)
    _check(units, "deadline extended")
    complete_by_lead(Task.objects.get(pk=soon_.pk), date(2026, 3, 10), personas)
    _check(units, "result submitted and confirmed")
    actions.cancel(Task.objects.get(pk=late.pk), tracker, reason="Không còn cần thiết")
    _check(units, "cancelled")

    moved = new("Chuyển chủ trì", [stc, syt], date(2026, 3, 11))
    actions.change_lead(
        moved, tracker, new_lead=stc, reason="Phân công lại"
    )  # stc leads: no longer coordinates
    assert not Coordination.objects.filter(task=moved, unit=stc).exists()
    _check(units, "lead moved to a coordinator")

    old = merged_unit(syt)
    for content in ("Của đơn vị cũ 1", "Của đơn vị cũ 2"):
        actions.assign(
            actions.create_task(
                directive,
                lead_unit=old,
                content=content,
                user=tracker,
                coordinating_units=[syt, snv],
                due_date=date(2026, 3, 5),
            ),
            tracker,
            on=date(2026, 3, 2),
        )
    actions.rehome_unit_tasks(old, tracker, reason="Sáp nhập")  # syt leads them now: coordinates them no more
    _check([*units, old], "merged unit's tasks moved to the successor")

    CalendarDay.objects.create(date=date(2026, 3, 9), kind=CalendarDay.Kind.HOLIDAY, name="Nghỉ đột xuất")
    _check(units, "calendar changed")

    with connection.cursor() as cur:
        cur.execute("UPDATE tracking_task SET secret = NOT secret WHERE id IN (%s, %s)", [late.pk, moved.pk])
    Task.objects.filter(pk__in=list(Task.objects.order_by("id").values_list("id", flat=True)[:5])).update(
        state=tl.ASSIGNED, completed_on=None, due_date=date(2026, 3, 3)
    )
    _check(units, "secrecy and buckets changed by bulk updates")

    Task.objects.filter(pk__in=list(Task.objects.order_by("id").values_list("id", flat=True)[5:8])).delete()
    _check(units, "tasks deleted with their coordinations")
