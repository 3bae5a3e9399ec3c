"""Reading what the ladder needs from the database, a batch of tasks at a time (a fixed number of queries)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from django.db.models import F
from django.utils import timezone

from dondoc.followup import ladder
from dondoc.followup.models import ReportOccurrence
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Contribution, Coordination, ProgressReport, Result, Task

FACT_FIELDS = (
    "id",
    "state",
    "assigned_on",
    "due_date",
    "report_due",
    "report_day_of_month",
    "lead_unit_id",
    "officer_id",
    "accountable_head_id",
    "directive_id",
)
# A task's next follow-up time beside its facts in a `values()` row (`tracking.models.TaskSchedule`, joined).
SCHEDULED = {"next_followup_at": F("schedule__next_at")}


def _local(dt: object) -> date:
    return timezone.localdate(dt)  # type: ignore[arg-type]


def facts_for(
    rows: Sequence[dict], held: dict[int, list[tuple[int, date | None]]] | None = None
) -> dict[int, ladder.TaskFacts]:
    """Facts of tasks given as `Task.objects.values(*FACT_FIELDS)` rows; `held`: the coordinations (unit, input
    deadline) of every task in `rows`, when the caller holds them (not read again)."""
    ids = [r["id"] for r in rows]
    reported: dict[int, list[date]] = defaultdict(list)
    with_reports = [r["id"] for r in rows if r["report_due"] or r["report_day_of_month"]]
    if with_reports:
        for task_id, at in ProgressReport.objects.filter(task_id__in=with_reports).values_list(
            "task_id", "at"
        ):
            reported[task_id].append(_local(at))
        for task_id, day in Result.objects.filter(task_id__in=with_reports).values_list(
            "task_id", "document_date"
        ):
            reported[task_id].append(day)
    met: dict[int, list[tuple[date, date]]] = defaultdict(list)
    if with_reports:
        for task_id, cycle, on in ReportOccurrence.objects.filter(task_id__in=with_reports).values_list(
            "task_id", "cycle", "met_on"
        ):
            met[task_id].append((cycle, on))
    inputs: dict[int, list[tuple[int, date]]] = defaultdict(list)
    found = (
        ((task_id, unit_id, due) for task_id, pairs in held.items() for unit_id, due in pairs)
        if held is not None
        else Coordination.objects.filter(task_id__in=ids, input_due__isnull=False).values_list(
            "task_id", "unit_id", "input_due"
        )
    )
    for task_id, unit_id, due in found:
        if due is not None:
            inputs[task_id].append((unit_id, due))
    given: dict[tuple[int, int], date] = {}
    if inputs:
        for task_id, unit_id, at in (
            Contribution.objects.filter(task_id__in=list(inputs))
            .order_by("at")
            .values_list("task_id", "unit_id", "at")
        ):
            given.setdefault((task_id, unit_id), _local(at))
    out = {}
    rule = tl.current_rule()
    for r in rows:
        out[r["id"]] = ladder.TaskFacts(
            state=r["state"],
            assigned_on=r["assigned_on"],
            due_date=tl.effective_deadline(r["due_date"], rule),  # the one effective deadline (issue 14)
            report_due=r["report_due"],
            report_day_of_month=r["report_day_of_month"],
            report_dates=tuple(reported.get(r["id"], ())),
            report_met=tuple(met.get(r["id"], ())),
            inputs=tuple(
                ladder.InputFacts(unit_id, due, given.get((r["id"], unit_id)))
                for unit_id, due in inputs[r["id"]]
            ),
        )
    return out


def task_facts(task: Task) -> ladder.TaskFacts:
    """The facts of `task`; its coordinations taken from the task when it holds them (`Task.hold_coordinations`:
    an action's locked read on PostgreSQL brings them, issue 19), else read."""
    row = {f: getattr(task, f) for f in FACT_FIELDS}
    loaded = getattr(task, "_prefetched_objects_cache", {}).get("coordinations")
    held = None if loaded is None else {task.pk: [(c.unit_id, c.input_due) for c in loaded]}
    return facts_for([row], held)[task.pk]


def rows(ids: Iterable[int]) -> list[dict]:
    return list(Task.objects.filter(pk__in=list(ids)).values(*FACT_FIELDS, **SCHEDULED))
