"""Risk ranking and the proposed scope of an inspection (issue 6, "Proposed scope").

Signals, each counted in the database over the tasks a unit leads (tracked on the reference date `ref`: not draft,
assigned on or before `ref`, not cancelled by then). Every signal is what was true on `ref` — the day an inspection
speaks of (`InspectedUnit.reference_date`) may be past: a task completed or cancelled after `ref` was open then, and
reports, reminders and deadline requests after `ref` are not seen. (The deadline is the one in force now: an
extension approved after `ref` is not undone.)

1. overdue — open with a deadline before `ref` (the timeliness bucket, `tracking.timeliness`);
2. late rate — completed after the deadline plus overdue, over every task whose deadline has passed or which was
   completed with a deadline (percent, 1 decimal; None when there is none);
3. stale — open, assigned before the cutoff, and no progress report since the cutoff, the cutoff being
   `stale_days` working days before `ref` (default INSPECTION_STALE_DAYS);
4. ignored reminders — reminders (follow-up notifications) on an open task after which the lead unit did nothing
   on it (no acknowledgement, progress report, result or deadline request at or after the reminder);
5. repeated deadline requests — requests to change a deadline beyond the first, per task.

Score (documented weights, `WEIGHTS`): 3·overdue + 2·stale + 1·ignored + 1·repeated requests + 5 per 100 % late
rate. A task's score: 3·overdue + 2·stale + 2·completed late + 1·ignored reminder + 1·repeated request.
Units rank by score (highest first), ties by name; tasks by score, then the most overdue (earliest deadline),
then id. The proposed sample takes, per unit, the riskiest tasks of each of the four kinds (a–d) so that an
inspection covers all four (dispatch 3031 §5); the inspector adjusts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from dondoc.followup.models import Notification
from dondoc.org.models import Unit
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import DeadlineChange, ProgressReport, Task, TaskEvent
from dondoc.tracking.secrecy import counts_secret_share, readable
from dondoc.workdays import calendar

# Unit score uses the late rate; a task's score uses whether it was itself completed late.
WEIGHTS = {"overdue": 3, "stale": 2, "ignored": 1, "repeated": 1, "late_rate_per_100": 5, "late_task": 2}
ACTED = (
    TaskEvent.Action.ACKNOWLEDGE,
    TaskEvent.Action.PROGRESS,
    TaskEvent.Action.SUBMIT,
    TaskEvent.Action.REQUEST_CHANGE,
)
INT = IntegerField()
KINDS = (tl.KIND_A, tl.KIND_B, tl.KIND_C, tl.KIND_D)


@dataclass(frozen=True)
class UnitRisk:
    unit: Unit
    tasks: int
    overdue: int
    late: int
    passed: int  # tasks whose deadline has passed, or completed with a deadline
    stale: int
    ignored: int
    repeated: int

    @property
    def late_rate(self) -> float | None:
        if not self.passed:
            return None
        return round(100 * (self.late + self.overdue) / self.passed, 1)

    @property
    def score(self) -> float:
        w = WEIGHTS
        rate = self.late_rate or 0.0
        return round(
            w["overdue"] * self.overdue
            + w["stale"] * self.stale
            + w["ignored"] * self.ignored
            + w["repeated"] * self.repeated
            + w["late_rate_per_100"] * rate / 100,
            2,
        )


def _cutoff(ref: date, stale_days: int | None) -> datetime:
    days = settings.INSPECTION_STALE_DAYS if stale_days is None else stale_days
    day = calendar.current().add_working_days(ref, -days)
    return timezone.make_aware(datetime.combine(day, time.min))


def annotated_tasks(
    ref: date,
    *,
    stale_days: int | None = None,
    units: list[Unit] | None = None,
    assigned_by: date | None = None,
) -> QuerySet[Task]:
    """Tracked tasks assigned by `ref` (and by `assigned_by`, the end of the period an inspection covers), each annotated with its risk signals (r_overdue, r_late, r_passed, r_stale,
    r_ignored, r_requests, r_repeated: 0/1 flags or counts), its kind (r_kind) and its score (r_score):
    3·overdue + 2·stale + 2·completed late + 1·ignored reminder + 1·repeated deadline request."""
    cutoff = _cutoff(ref, stale_days)
    end = timezone.make_aware(datetime.combine(ref + timedelta(days=1), time.min))  # the end of `ref`
    acted_after = TaskEvent.objects.filter(
        task_id=OuterRef("task_id"), action__in=ACTED, at__gte=OuterRef("created_at"), at__lt=end
    )
    ignored = (
        Notification.objects.filter(task_id=OuterRef("pk"), created_at__lt=end)
        .filter(~Exists(acted_after))
        .values("task_id")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    requests = (
        DeadlineChange.objects.filter(
            task_id=OuterRef("pk"), kind=DeadlineChange.Kind.EXTEND, requested_at__lt=end
        )
        .values("task_id")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    recent_progress = ProgressReport.objects.filter(task_id=OuterRef("pk"), at__gte=cutoff, at__lt=end)
    last = min(ref, assigned_by) if assigned_by else ref
    qs = (
        Task.objects.exclude(state=tl.DRAFT)
        .exclude(Q(state=tl.CANCELLED) & (Q(cancelled_on__isnull=True) | Q(cancelled_on__lte=ref)))
        .filter(assigned_on__lte=last)
    )
    if units is not None:
        qs = qs.filter(lead_unit__in=units)
    # Overdue and late by the effective deadline, a result awaiting confirmation by its document's date (issue 14),
    # as they stood on `ref`: a result dated after `ref`, or a cancellation decided after it, was an open task then.
    result_by_ref = tl.with_result_q() & Q(completed_on__lte=ref)
    open_ = tl.open_q() | (tl.with_result_q() & Q(completed_on__gt=ref)) | Q(state=tl.CANCELLED)
    overdue = open_ & Q(due_date__lt=tl.current_rule().overdue_before(ref))
    late = result_by_ref & tl.late_q()
    one, zero = Value(1), Value(0)
    return (
        qs.annotate(
            r_overdue=Case(When(overdue, then=one), default=zero, output_field=INT),
            r_late=Case(When(late, then=one), default=zero, output_field=INT),
            r_passed=Case(
                When(overdue | (result_by_ref & Q(due_date__isnull=False)), then=one),
                default=zero,
                output_field=INT,
            ),
            r_stale=Case(
                When(open_ & Q(assigned_on__lt=cutoff.date()) & ~Exists(recent_progress), then=one),
                default=zero,
                output_field=INT,
            ),
            r_ignored=Case(
                When(open_, then=Coalesce(Subquery(ignored, output_field=INT), zero)),
                default=zero,
                output_field=INT,
            ),
            r_requests=Coalesce(Subquery(requests, output_field=INT), zero),
            r_kind=tl.kind_expression(),
        )
        .annotate(
            r_repeated=Case(When(r_requests__gt=1, then=F("r_requests") - 1), default=zero, output_field=INT),
        )
        .annotate(
            r_score=WEIGHTS["overdue"] * F("r_overdue")
            + WEIGHTS["stale"] * F("r_stale")
            + WEIGHTS["late_task"] * F("r_late")
            + WEIGHTS["ignored"] * F("r_ignored")
            + WEIGHTS["repeated"] * F("r_repeated"),
        )
    )


def rank_units(
    ref: date, *, units: list[Unit] | None = None, stale_days: int | None = None, reader: Any = None
) -> list[UnitRisk]:
    """Units leading tracked tasks, riskiest first (score, then name): one grouped query. With a `reader`, the
    secret tasks count only when they count for the reader as of `ref` (`secrecy.counts_secret_share`, no window:
    for the uncleared, only as of a past reporting cut-off): a unit's overdue count asked day by day would
    otherwise step on the day a secret task went overdue."""
    qs = annotated_tasks(ref, stale_days=stale_days, units=units)
    if reader is not None and not counts_secret_share(reader, [], ref):
        qs = readable(qs, reader)
    rows = (
        qs.order_by()
        .values("lead_unit_id")
        .annotate(
            n=Count("id"),
            overdue=Sum("r_overdue"),
            late=Sum("r_late"),
            passed=Sum("r_passed"),
            stale=Sum("r_stale"),
            ignored=Sum("r_ignored"),
            repeated=Sum("r_repeated"),
        )
    )
    by_id = {row["lead_unit_id"]: row for row in rows}
    unit_map = Unit.objects.in_bulk(list(by_id))
    result = [
        UnitRisk(
            unit=unit_map[pk],
            tasks=row["n"],
            overdue=row["overdue"] or 0,
            late=row["late"] or 0,
            passed=row["passed"] or 0,
            stale=row["stale"] or 0,
            ignored=row["ignored"] or 0,
            repeated=row["repeated"] or 0,
        )
        for pk, row in by_id.items()
    ]
    result.sort(key=lambda r: (-r.score, r.unit.name, r.unit.pk))
    return result


def rank_tasks(
    ref: date,
    unit: Unit,
    *,
    stale_days: int | None = None,
    limit: int | None = None,
    assigned_by: date | None = None,
    reader: Any = None,
) -> list[Task]:
    """A unit's tracked tasks, riskiest first: score, then earliest deadline (no deadline last), then id. With a
    `reader`, only the tasks whose content the reader may read (`secrecy.readable`): a sample lists contents."""
    qs = annotated_tasks(ref, stale_days=stale_days, units=[unit], assigned_by=assigned_by)
    if reader is not None:
        qs = readable(qs, reader)
    qs = qs.order_by(F("r_score").desc(), F("due_date").asc(nulls_last=True), "id")
    return list(qs[:limit] if limit else qs)


def propose_sample(
    ref: date,
    unit: Unit,
    *,
    per_kind: int | None = None,
    stale_days: int | None = None,
    ranked: list[Task] | None = None,
) -> dict[str, list[Task]]:
    """The proposed sample for one unit: the `per_kind` riskiest tasks of each kind a–d (an empty list when the unit
    has no task of a kind, which the page points out: the inspection must still cover all four kinds)."""
    n = settings.INSPECTION_SAMPLE_PER_KIND if per_kind is None else per_kind
    if ranked is None:
        ranked = rank_tasks(ref, unit, stale_days=stale_days)
    sample: dict[str, list[Task]] = {k: [] for k in KINDS}
    for task in ranked:
        bucket = sample[task.r_kind]  # type: ignore[attr-defined]
        if len(bucket) < n:
            bucket.append(task)
    return sample
