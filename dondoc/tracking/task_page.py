"""The task page's reads, each statement built once (`core.prepared`, issue 19).

The task page is a quarter of the busy hour's requests; it runs a dozen statements (the task with its directive,
units and people; its coordinators, deadline requests, children, history, reports, results and contributions; the
reminders sent about it are followup's, `followup_history`), and Django's building of them was about half of the page's CPU. Each read here is the
queryset the page read before, its statement built once per shape (the reader's kind: sees every unit or one, is
cleared for secrets; the date for the children's buckets) and run with the task's and the reader's ids.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from dondoc.core.prepared import SHAPE, Prepared
from dondoc.org.models import Person
from dondoc.tracking.models import (
    Contribution,
    Coordination,
    DeadlineChange,
    ProgressReport,
    Result,
    Task,
    TaskEvent,
)


def _task(pk: int, sees_everything: bool, unit_id: int, cleared: bool) -> QuerySet[Task]:
    return (
        Task.objects.visible_by(unit_id, everything=sees_everything, cleared=cleared)
        .select_related("lead_unit", "directive", "accountable_head", "officer", "parent")
        .filter(pk=pk)[:1]
    )


def _children(
    pk: int, sees_everything: bool, unit_id: int, cleared: bool, ref: date, soon: date
) -> QuerySet[Task]:
    return (
        Task.objects.visible_by(unit_id, everything=sees_everything, cleared=cleared)
        .filter(parent_id=pk)
        .with_bucket(ref, soon)
        .select_related("lead_unit")
        .order_by("due_date", "id")
    )


READER = (SHAPE, int, SHAPE)  # sees every unit, the unit's id, cleared for secrets
task = Prepared(_task, (int, *READER))
children = Prepared(_children, (int, *READER, SHAPE, SHAPE))
coordinations = Prepared(
    lambda pk: Coordination.objects.filter(task_id=pk).select_related("unit").order_by("id"), (int,)
)
requests = Prepared(
    lambda pk: DeadlineChange.objects.filter(task_id=pk).select_related("requested_by", "decided_by"), (int,)
)
events = Prepared(
    lambda pk: TaskEvent.objects.filter(task_id=pk).select_related("actor").order_by("at", "id"), (int,)
)
reports = Prepared(lambda pk: ProgressReport.objects.filter(task_id=pk).select_related("author"), (int,))
results = Prepared(lambda pk: Result.objects.filter(task_id=pk).select_related("submitted_by"), (int,))
contributions = Prepared(
    lambda pk: Contribution.objects.filter(task_id=pk).select_related("unit", "author"), (int,)
)


def reader(person: Person | None) -> tuple[bool, int, bool] | None:
    """The reader's shape and unit (`READER`), None for no person (who sees no task)."""
    if person is None:
        return None
    return person.sees_everything, person.unit_id or 0, person.cleared_for_secrets


def with_loaded(task: Task, name: str, rows: list[Any]) -> None:
    """Keep `rows` as the task's `name` related objects as a prefetch does: `task.<name>.all()` gives them and
    reads nothing."""
    manager = getattr(task, name)
    loaded = manager.all()
    loaded._result_cache = rows
    loaded._prefetch_done = True
    task._prefetched_objects_cache = {**getattr(task, "_prefetched_objects_cache", {}), name: loaded}  # type: ignore[attr-defined]
