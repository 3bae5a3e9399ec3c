"""The follow-up schedule lives in a narrow table of its own (`tracking.models.TaskSchedule`, issue 19): the daily
pass moves a task's next time there, never writing a new version of the wide task row; the actions and the
engine read and write the same one value (`Task.next_followup_at`); the migration moved the times with their
tasks."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dondoc.followup import engine
from dondoc.tracking import actions
from dondoc.tracking.models import DeadlineChange, Task, TaskSchedule
from tests.followup.helpers import at, walk


def assigned(make_task, personas, on: date, **fields) -> Task:
    with time_machine.travel(at(on, "08:30"), tick=False):
        task = make_task(assign=False, **fields)
        return actions.assign(task, personas["tracker"].user, on=on)


def _version(task: Task) -> object:
    """The row version of the task: `xmin` on PostgreSQL (a new one per UPDATE), the row itself elsewhere."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT xmin::text FROM tracking_task WHERE id = %s", [task.pk])
        else:
            cur.execute("SELECT * FROM tracking_task WHERE id = %s", [task.pk])
        return cur.fetchone()


def test_the_pass_moves_the_schedule_without_rewriting_the_task_row(make_task, personas):
    task = assigned(make_task, personas, date(2026, 3, 2), due_date=date(2026, 3, 10))
    assert TaskSchedule.objects.get(task=task).next_at == at(date(2026, 3, 3), "08:00")  # written by assign
    before = _version(task)
    notes = walk(date(2026, 3, 3), date(2026, 3, 3))
    assert [n.rule_code for n in notes] == ["completion_before_5"]
    assert TaskSchedule.objects.get(task=task).next_at == at(date(2026, 3, 9), "08:00")
    assert Task.objects.get(pk=task.pk).next_followup_at == at(date(2026, 3, 9), "08:00")  # the same value
    assert _version(task) == before  # the task's row is as it was: no new version in its ~17 indexes


def test_a_task_no_one_owes_work_on_has_no_time_and_an_action_reads_the_stored_one(make_task, personas):
    task = assigned(make_task, personas, date(2026, 3, 2), due_date=date(2026, 3, 10))
    TaskSchedule.objects.filter(task=task).update(next_at=at(date(2026, 3, 3), "08:00"))
    with time_machine.travel(at(date(2026, 3, 5), "10:00"), tick=False):
        # Read under the action's lock with the row: the step of 03/03 still owed is kept (engine down).
        (fresh,) = Task.objects.raw(actions._lock_sql(), [DeadlineChange.Status.PENDING, task.pk])
        assert fresh.next_followup_at == at(date(2026, 3, 3), "08:00")
        engine.reschedule_all()
    assert Task.objects.get(pk=task.pk).next_followup_at == at(date(2026, 3, 9), "08:00")
    Task.objects.filter(pk=task.pk).update(state="cancelled")
    engine.reschedule_all(at(date(2026, 3, 5), "10:00"))
    assert not TaskSchedule.objects.filter(task=task).exists()
    assert Task.objects.get(pk=task.pk).next_followup_at is None


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_each_time_with_its_task(make_task, personas):
    task = assigned(make_task, personas, date(2026, 3, 2), due_date=date(2026, 3, 10))
    other = assigned(make_task, personas, date(2026, 3, 2), due_date=date(2026, 3, 20))
    TaskSchedule.objects.filter(task=other).delete()
    executor = MigrationExecutor(connection)
    executor.migrate([("tracking", "0015_city_bucket_counts")])
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id, next_followup_at FROM tracking_task WHERE id IN (%s, %s)", [task.pk, other.pk]
        )
        rows = {pk: at_ for pk, at_ in cur.fetchall()}
    assert rows[other.pk] is None and rows[task.pk] is not None
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("tracking", "0016_task_schedule")])
    assert dict(TaskSchedule.objects.values_list("task_id", "next_at")) == {
        task.pk: at(date(2026, 3, 3), "08:00")
    }
    executor.loader.build_graph()  # the later migrations (the tests after this one run on the whole schema)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_next_pass_follows_a_calendar_change_made_by_any_process(make_task, personas):
    """Due Saturday 25/04/2026 (rolls to Tuesday 28/04): the next step is "5 working days before" on Monday 20/04
    at 08:00. Another process enters 20/04 as a day off (raw SQL: no signal reaches this one); the engine's next
    pass counts the time again in the new calendar, once."""
    task = assigned(make_task, personas, date(2026, 4, 1), due_date=date(2026, 4, 25))
    before = TaskSchedule.objects.get(task=task).next_at
    assert before == at(date(2026, 4, 20), "08:00")
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO workdays_calendarday (date, kind, name, notice) VALUES (%s, 'holiday', 'Nghỉ thử', '')",
            [date(2026, 4, 20)],
        )
    assert engine.follow_the_calendar(at(date(2026, 4, 2), "07:00")) >= 1
    after = TaskSchedule.objects.get(task=task).next_at
    assert after is not None and after.date() != date(2026, 4, 20) and after > at(date(2026, 4, 2), "07:00")
    assert engine.follow_the_calendar(at(date(2026, 4, 2), "07:10")) == 0  # done once per change
