"""The inspection section of the monthly report (dispatch 3031 §6: Sở Nội vụ reports monthly, before the 25th).

`inspection_summary(period_start, period_end)` lists the inspections whose visiting dates overlap the period
(inclusive dates), oldest first, each with its counts; background use (no user filter: the report is the city's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from dondoc.core.dates import today
from dondoc.inspection.models import Finding, InspectionPlan, Proposal, Verdict
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task


@dataclass(frozen=True)
class InspectionSummary:
    plan: InspectionPlan
    decision: str  # "QĐ 12/QĐ-SNV ngày 02/03/2026"
    mode: str  # "Theo kế hoạch" / "Đột xuất"
    units: list[str]
    findings: int  # tasks checked
    by_verdict: dict[str, int] = field(default_factory=dict)  # Verdict label -> count (all five, in order)
    notice: str | None = None  # "03/TB-SNV" once issued
    remedies: int = 0
    remedies_completed: int = 0
    remedies_overdue: int = 0
    proposals: int = 0
    proposals_individual: int = 0
    proposals_decided: int = 0
    proposals_overdue: int = 0  # undecided past the 90-day (up to 150) handling deadline on `ref`


def inspection_summary(
    period_start: date, period_end: date, *, ref: date | None = None
) -> list[InspectionSummary]:
    """Inspections with visits in [period_start, period_end]; remedies overdue as of `ref` (default today)."""
    ref = ref or today()
    plans = (
        InspectionPlan.objects.filter(starts_on__lte=period_end, ends_on__gte=period_start)
        .select_related("notice")
        .prefetch_related("units__unit")
        .order_by("starts_on", "id")
    )
    result = []
    for plan in plans:
        verdicts = dict(
            Finding.objects.filter(inspected__plan=plan, checked=True)
            .values_list("verdict")
            .annotate(n=Count("id"))
            .values_list("verdict", "n")
        )
        remedies = plan.remedies.aggregate(
            n=Count("id"),
            done=Count("id", filter=Q(task__state=tl.COMPLETED)),
            late=Count("id", filter=Q(task__in=Task.objects.filter(tl.bucket_filter(tl.OVERDUE, ref, ref)))),
        )
        proposals = Proposal.objects.filter(inspected__plan=plan).aggregate(
            n=Count("id"),
            individual=Count("id", filter=Q(target=Proposal.Target.INDIVIDUAL)),
            decided=Count("id", filter=Q(decided_on__isnull=False)),
        )
        result.append(
            InspectionSummary(
                plan=plan,
                decision=f"QĐ {plan.decision_number} ngày {plan.decision_date:%d/%m/%Y}",
                mode=plan.get_mode_display(),
                units=[u.unit.name for u in plan.units.all()],
                findings=sum(verdicts.values()),
                by_verdict={str(label): verdicts.get(v, 0) for v, label in Verdict.choices},
                notice=plan.notice.notation if plan.notice else None,
                remedies=remedies["n"],
                remedies_completed=remedies["done"],
                remedies_overdue=remedies["late"],
                proposals=proposals["n"],
                proposals_individual=proposals["individual"],
                proposals_decided=proposals["decided"],
                proposals_overdue=sum(
                    1
                    for p in Proposal.objects.filter(inspected__plan=plan, decided_on__isnull=True)
                    if p.handling_overdue(ref)
                ),
            )
        )
    return result
