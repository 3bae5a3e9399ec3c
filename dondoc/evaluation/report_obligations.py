"""Late reports (*báo cáo chậm*): how the units kept their report obligations in a period (issue 14, point 7).

Each cycle of a task's report obligation (the one-off report deadline, each month's "trước ngày 25") whose deadline
falls in the period and on or before the reference date counts once, judged as of the reference date by the same
rule as the task page and the reminder ladder (`dondoc.followup.ladder.occurrence_status`): reported on time (on or
before the deadline's base day — the next working day when the deadline is a day off), reported late, or overdue
(not reported and past it). A report filed after the reference date does not count yet.

Which tasks: assigned on or before the reference date and not a draft; a completed task owes no report for cycles
after its completion date; a cancelled task is left out (its obligations ended with it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from dondoc.evaluation.periods import Period
from dondoc.followup import ladder
from dondoc.followup.facts import FACT_FIELDS, facts_for
from dondoc.tracking import reporting
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task
from dondoc.workdays import calendar

BATCH = 2000


@dataclass
class ReportCounts:
    """Report cycles due in a period for one unit (or the whole city), by how they were kept."""

    due: int = 0
    on_time: int = 0
    late: int = 0  # reported after the deadline
    overdue: int = 0  # not reported, deadline passed

    @property
    def not_on_time(self) -> int:
        """Late reports in the dispatch's sense: reported late or not at all."""
        return self.late + self.overdue


def late_reports(
    period: Period, ref: date, unit_ids: list[int] | None = None
) -> dict[int | None, ReportCounts]:
    """Report cycles due in `period` up to `ref`, counted per lead unit (key: unit id) and for all (key: None)."""
    cal = calendar.current()
    last = min(period.end, ref)
    out: dict[int | None, ReportCounts] = defaultdict(ReportCounts)
    if last < period.start:
        return dict(out)
    tasks = (
        Task.objects.filter(assigned_on__lte=ref)
        .exclude(state__in=(tl.DRAFT, tl.CANCELLED))
        .filter(Q(report_day_of_month__isnull=False) | Q(report_due__range=(period.start, last)))
    )
    if unit_ids is not None:
        tasks = tasks.filter(lead_unit_id__in=unit_ids)
    after = 0
    while True:
        rows = list(tasks.filter(pk__gt=after).order_by("pk").values(*FACT_FIELDS, "completed_on")[:BATCH])
        if not rows:
            return dict(out)
        after = rows[-1]["id"]
        facts = facts_for(rows)
        for row in rows:
            f = facts[row["id"]]
            until = min(last, row["completed_on"]) if row["completed_on"] else last
            for cycle in reporting.report_cycles(f.report_due, f.report_day_of_month, f.assigned_on, until):
                if cycle < period.start:
                    continue
                status = ladder.occurrence_status(cycle, ladder.occurrence_met_on(f, cycle), ref, cal)
                if status == ladder.OPEN:
                    continue  # not due yet on `ref` (its deadline rolls past it)
                for key in (row["lead_unit_id"], None):
                    counts = out[key]
                    counts.due += 1
                    counts.on_time += status == ladder.MET_ON_TIME
                    counts.late += status == ladder.MET_LATE
                    counts.overdue += status == ladder.OVERDUE
