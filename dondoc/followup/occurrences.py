"""Report obligations per occurrence (issue 14, point 7): which cycles a task owes a report for, which were met,
by what, and how each stands.

A task with a recurring report deadline ("báo cáo trước ngày 25 hằng tháng") owes one report per cycle. The cycles
are derived from the task (`dondoc.tracking.reporting.report_cycles`); a `ReportOccurrence` row records a met one.
An occurrence is met by:

1. a progress report the unit marked as that cycle's report (`tracking.actions.report_progress(report_cycle=...)`,
   announced by the `progress_reported` signal) — met on the day it was filed;
2. a document the product itself writes for it: an issued monthly periodic report (`evaluation.ReportRun`, heard
   through its `post_save`, so evaluation imports nothing of this app) meets, for every followed task led by the
   report's issuer with a recurring report obligation under a directive of `DONDOC_PERIODIC_REPORT_DIRECTIVES`
   (default: dispatch 3031/UBND-TKBT, which asks Sở Nội vụ to report monthly before the 25th), the first cycle
   due on or after the end of the report's period — the report for T11/2026 (15/10–14/11) meets the cycle
   "trước ngày 25/11/2026" — met on the day the report was issued.

The earliest evidence wins. Recording an occurrence reschedules the task's follow-up (its ladder for that cycle
stops), and the occurrence's status is judged by `ladder.occurrence_status` against the same base day the ladder
counts from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models.signals import post_save
from django.utils import timezone

from dondoc.followup import ladder
from dondoc.followup.facts import task_facts
from dondoc.followup.models import ReportOccurrence
from dondoc.tracking import reporting
from dondoc.tracking.models import Task
from dondoc.tracking.signals import progress_reported
from dondoc.workdays import calendar

DEFAULT_PERIODIC_REPORT_DIRECTIVES = ("3031/UBND-TKBT",)
MONTHLY_PERIOD = "thang"  # evaluation.periods.MONTHLY, read off the run (no import of evaluation)


def record(
    task_id: int,
    cycle: date,
    met_on: date,
    evidence: str,
    *,
    progress_report: Any = None,
    document_id: int | None = None,
) -> bool:
    """Record that the cycle `cycle` of the task was met on `met_on`; an earlier record is kept. True when written."""
    existing = ReportOccurrence.objects.filter(task_id=task_id, cycle=cycle).first()
    if existing is not None and existing.met_on <= met_on:
        return False
    values = {
        "met_on": met_on,
        "evidence": evidence[:300],
        "progress_report": progress_report,
        "document_id": document_id,
        "recorded_at": timezone.now(),
    }
    ReportOccurrence.objects.update_or_create(task_id=task_id, cycle=cycle, defaults=values)
    return True


def _progress_reported(
    sender: Any, task: Task, report: Any, report_cycle: date | None, **kwargs: Any
) -> None:
    if report_cycle is None:
        return
    on = timezone.localdate(report.at)
    record(task.pk, report_cycle, on, f"Báo cáo tiến độ ngày {on:%d/%m/%Y}", progress_report=report)


def directives() -> tuple[str, ...]:
    return tuple(getattr(settings, "DONDOC_PERIODIC_REPORT_DIRECTIVES", DEFAULT_PERIODIC_REPORT_DIRECTIVES))


def met_by_report(issuer_id: int, period_end: date, document: Any) -> list[int]:
    """Record the cycles an issued monthly report meets (rule 2 above); the ids of the tasks concerned."""
    tasks = Task.objects.filter(
        lead_unit_id=issuer_id,
        state__in=ladder.FOLLOWED_STATES,
        report_day_of_month__isnull=False,
        directive__notation__in=directives(),
    )
    done = []
    for task in tasks:
        later = reporting.report_cycles(
            None, task.report_day_of_month, task.assigned_on, date(period_end.year + 1, 12, 31)
        )
        cycle = next((d for d in later if d >= period_end), None)
        if cycle is None:
            continue
        evidence = f"Báo cáo số {document.notation} ngày {document.issued_on:%d/%m/%Y}"
        if record(task.pk, cycle, document.issued_on, evidence, document_id=document.pk):
            done.append(task.pk)
    return done


def _report_run_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    """An evaluation `ReportRun` saved: once issued as a monthly report, it meets its issuer's obligations."""
    if instance.status != "issued" or instance.document_id is None or instance.period_kind != MONTHLY_PERIOD:
        return
    from dondoc.followup.engine import reschedule

    tasks = met_by_report(instance.issuer_id, instance.period_end, instance.document)
    reschedule(tasks)


def connect() -> None:
    progress_reported.connect(_progress_reported, dispatch_uid="followup_report_occurrence_progress")
    post_save.connect(
        _report_run_saved, sender="evaluation.ReportRun", dispatch_uid="followup_report_occurrence_issued"
    )


@dataclass(frozen=True)
class Occurrence:
    """One cycle of a task's report obligation as it stands on a day, for the task page."""

    cycle: date
    base: date  # the day its ladder counts from (the next working day when the cycle's deadline is a day off)
    label: str
    met_on: date | None
    evidence: str
    status: str

    @property
    def status_label(self) -> str:
        return ladder.OCCURRENCE_LABELS[self.status]


def occurrences_of(task: Task, ref: date, upcoming: int = 1, limit: int = 13) -> list[Occurrence]:
    """The cycles of the task's report obligation due up to `ref` plus the next `upcoming` ones (the newest `limit`
    of them), newest first."""
    if task.assigned_on is None or not (task.report_due or task.report_day_of_month):
        return []
    cal = calendar.current()
    ahead = reporting.report_cycles(
        task.report_due, task.report_day_of_month, task.assigned_on, date(ref.year + 1, 12, 31)
    )
    cycles = [d for d in ahead if d <= ref] + [d for d in ahead if d > ref][:upcoming]
    cycles = cycles[-limit:]
    met = {o.cycle: o for o in ReportOccurrence.objects.filter(task=task)}
    facts = task_facts(task)
    monthly = bool(task.report_day_of_month)
    out = []
    for cycle in reversed(cycles):
        met_on = ladder.occurrence_met_on(facts, cycle)
        row = met.get(cycle)
        evidence = row.evidence if row is not None and row.met_on == met_on else ""
        out.append(
            Occurrence(
                cycle=cycle,
                base=ladder.base_day(cycle, cal),
                label=reporting.cycle_label(cycle, monthly and cycle != task.report_due),
                met_on=met_on,
                evidence=evidence,
                status=ladder.occurrence_status(cycle, met_on, ref, cal),
            )
        )
    return out
