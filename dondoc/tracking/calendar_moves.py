"""Which open tasks' effective deadlines an edit of the calendar moves (DOMAIN.md §6; README "Lịch làm việc").

The calendar's past is closed (`workdays.notices.closed_days`): an edit changes days from today on only. A task's
effective deadline (`timeliness.effective_deadline`) is its deadline as written, rolled over the days off that follow
it; so an edit moves it only when the task's deadline is in the run of days off (before or after the edit) that ends
at or after an edited day — and then the old and the new effective deadlines are both today or later: a deadline
that has passed is never moved. The administrator's preview lists the open tasks it moves; saving records each
move in the audit trail, in the edit's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dondoc.audit import chain
from dondoc.audit.models import AuditEntry
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task
from dondoc.workdays.arith import WorkCalendar

LONGEST_BREAK = (
    60  # days off in a row, at most (Tết is 9): how far back from an edited day a deadline may roll
)


@dataclass(frozen=True)
class MovedDeadline:
    """One open task whose effective deadline the edit moves, as the preview shows it (no content: a secret task's
    content is not for the administrator)."""

    task_id: int
    lead_unit: str
    due: date  # the deadline in force, as written
    before: date
    after: date
    days: tuple[date, ...]  # the edited days between the deadline and its effective deadlines


def _first_candidate(day: date, before: WorkCalendar, after: WorkCalendar) -> date:
    """The earliest deadline whose effective deadline (before or after the edit) can reach `day`: the start of the
    run of days off, in either calendar, just before it."""
    first = day
    for _ in range(LONGEST_BREAK):
        previous = first - timedelta(days=1)
        if before.is_working_day(previous) and after.is_working_day(previous):
            break
        first = previous
    return first


def moved_deadlines(
    before: WorkCalendar, after: WorkCalendar, days: list[date], roll: bool | None = None
) -> list[MovedDeadline]:
    """The open tasks whose effective deadline is not the same under `before` and `after` (the calendars before
    and after an edit of `days`), by task id. Nothing moves when deadlines count as written (no rolling)."""
    if roll is None:
        roll = tl.current_rule().roll
    if not roll or not days:
        return []
    rule_before, rule_after = tl.DeadlineRule(before, True), tl.DeadlineRule(after, True)
    first = min(_first_candidate(d, before, after) for d in days)
    tasks = (
        Task.objects.filter(
            tl.open_q(), state__in=tl.OPEN_STATES, due_date__gte=first, due_date__lte=max(days)
        )
        .order_by("id")
        .values_list("id", "due_date", "lead_unit__name")
    )
    moved = []
    for task_id, due, unit in tasks:
        old, new = rule_before.effective(due), rule_after.effective(due)
        if old != new and due is not None and old is not None and new is not None:
            touched = tuple(d for d in days if due <= d <= max(old, new))
            moved.append(MovedDeadline(task_id, unit, due, old, new, touched))
    return moved


def on_calendar_editing(
    *, before: WorkCalendar, after: WorkCalendar, days: list[date], saving: bool, **_kwargs: Any
) -> list[MovedDeadline]:
    """The receiver of `workdays.notices.calendar_editing`: the moves; when saving, one audit entry per task."""
    moved = moved_deadlines(before, after, days)
    if saving:
        chain.append_many_by_actor(
            [
                {
                    "action": AuditEntry.Action.UPDATE,
                    "object_type": "tracking.task",
                    "object_id": m.task_id,
                    "object_repr": f"Nhiệm vụ #{m.task_id}",
                    "before": {"thời hạn tính": f"{m.before:%d/%m/%Y}"},
                    "after": {
                        "thời hạn tính": f"{m.after:%d/%m/%Y}",
                        "do sửa lịch": ", ".join(f"{d:%d/%m/%Y}" for d in m.days),
                    },
                }
                for m in moved
            ]
        )
    return moved
