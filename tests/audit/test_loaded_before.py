"""The *before* of an action's audit event is the row the action locked (`audit.signals.remember`), not a second
read of it — and only while that row cannot have changed: inside the transaction block that locked it."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dondoc.audit.models import AuditEntry
from dondoc.audit.signals import remember
from dondoc.tracking import actions
from dondoc.tracking.models import Task

pytestmark = pytest.mark.django_db


def last_update(task: Task) -> AuditEntry:
    return AuditEntry.objects.filter(
        action=AuditEntry.Action.UPDATE, object_type="tracking.task", object_id=str(task.pk)
    ).latest("id")


def test_an_action_reads_its_task_once_and_records_the_change(make_task, personas, frozen):
    task = make_task(due_date=date(2026, 3, 31))
    with CaptureQueriesContext(connection) as ctx:
        actions.acknowledge(task, personas["lead_officer"].user)
    reads = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "tracking_task"')]
    assert len(reads) == 1, reads  # the row locked, not read again before its save
    update = last_update(task)
    assert update.before["state"] == "assigned" and update.after["state"] == "in_progress"
    assert update.before["version"] + 1 == update.after["version"]
    assert "content" not in update.after


def test_derive_records_the_parent_as_the_trigger_left_it(make_task, personas, registry, frozen):
    """Issuing the first child sets the parent's flag by trigger inside the action: the parent's event records the
    change of the action (its version), not the trigger's flag as if the action had changed it."""
    parent = make_task(due_date=date(2026, 4, 30))
    actions.derive(
        parent,
        personas["tracker"].user,
        lead_unit=registry["STC"],
        content="Phần việc của Sở Tài chính",
        due_date=date(2026, 4, 15),
    )
    parent.refresh_from_db()
    assert parent.has_issued_children
    update = last_update(parent)
    assert "has_issued_children" not in update.after, update.after
    assert update.after["version"] == parent.version


def test_a_row_remembered_in_a_closed_block_is_read_again(make_task, frozen):
    task = make_task()
    with transaction.atomic():
        loaded = Task.objects.select_for_update().get(pk=task.pk)
        remember(loaded)
    Task.objects.filter(pk=task.pk).update(content="Nội dung sửa ngoài")  # after the block: the lock is gone
    loaded.requirements = "Yêu cầu mới"
    loaded.save()
    update = last_update(task)
    assert update.before["content"] == "Nội dung sửa ngoài"  # the row as it was, read again
    assert update.after["content"] == task.content and update.after["requirements"] == "Yêu cầu mới"
