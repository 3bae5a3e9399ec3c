"""Timeliness (*tình trạng thực hiện*) and kind of a task: derived, never stored (DOMAIN.md §5).

Each rule has two definitions side by side — a pure Python function for one task and a database expression for
filtering and counting — and a property test keeps them in agreement on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.db.models import Case, CharField, DateField, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan

from dondoc.workdays.arith import WorkCalendar

DRAFT = "draft"
ASSIGNED = "assigned"
IN_PROGRESS = "in_progress"
RESULT_SUBMITTED = "result_submitted"
COMPLETED = "completed"
CANCELLED = "cancelled"
OPEN_STATES = (ASSIGNED, IN_PROGRESS, RESULT_SUBMITTED)
UNTRACKED_STATES = (DRAFT, CANCELLED)

COMPLETED_ON_TIME = "completed_on_time"
COMPLETED_LATE = "completed_late"
IN_DEADLINE = "in_deadline"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
NO_DEADLINE = "no_deadline"
# Drafts and cancelled tasks are not tracked; each is its own bucket, named by its state: a draft not yet assigned
# is not a withdrawn task, and a page that counts them says which it counts.
DRAFTED = DRAFT
WITHDRAWN = CANCELLED
NOT_TRACKED = (DRAFTED, WITHDRAWN)

BUCKET_LABELS = {
    COMPLETED_ON_TIME: "Hoàn thành đúng hạn",
    COMPLETED_LATE: "Hoàn thành quá hạn",
    IN_DEADLINE: "Đang thực hiện trong hạn",
    DUE_SOON: "Sắp đến hạn",
    OVERDUE: "Quá hạn chưa hoàn thành",
    NO_DEADLINE: "Không có thời hạn",
    DRAFTED: "Dự thảo (chưa giao)",
    WITHDRAWN: "Đã hủy",
}
BUCKETS = tuple(BUCKET_LABELS)
# "Sắp đến hạn" is a part of "đang thực hiện trong hạn", never beside it: the within-deadline filter and count
# include the tasks due soon, and every page shows them as "trong đó sắp đến hạn: N" (a task's own label stays the
# finer one). The parts of a bucket: {bucket: its part}.
PARTS = {IN_DEADLINE: DUE_SOON}

KIND_A, KIND_B, KIND_C, KIND_D = "a", "b", "c", "d"
KIND_LABELS = {
    KIND_A: "Có thời hạn, phải trình hoặc báo cáo",
    KIND_B: "Có thời hạn, không phải trình, báo cáo",
    KIND_C: "Không có thời hạn, phải trình hoặc báo cáo",
    KIND_D: "Không có thời hạn, không phải trình, báo cáo",
}


def has_result(state: str, completed_on: date | None) -> bool:
    """A task is judged by its result document (*văn bản kết quả*) once it has one standing: completed (confirmed
    by the City Office), or result submitted and awaiting confirmation (*chờ xác nhận*). Its completion date is
    the date of that document (`Task.completed_on`, set on submission, cleared when the result is returned)."""
    return state == COMPLETED or (state == RESULT_SUBMITTED and completed_on is not None)


def has_result_sql(r: str) -> str:
    """`has_result` in SQL over the task row named `r`, for the counted tables' triggers (`tracking.counted`,
    `evaluation.counts`; the database refuses a completed task without its completion date)."""
    return f"({r}.completed_on IS NOT NULL AND {r}.state IN ('completed', 'result_submitted'))"


def awaiting_confirmation(state: str, completed_on: date | None) -> bool:
    """Result submitted, judged by its document's date, not yet confirmed: shown as *chờ xác nhận*."""
    return state == RESULT_SUBMITTED and completed_on is not None


@dataclass(frozen=True)
class DeadlineRule:
    """How a deadline that falls on a day off counts (DOMAIN.md §6, Civil Code 2015 Art. 148): with `roll`, it
    rolls to the next working day of `calendar` (the setting DEADLINE_ROLLS_TO_WORKING_DAY, default on, as the
    reminder ladder does); without, the date as written counts."""

    calendar: WorkCalendar | None = None
    roll: bool = True

    @property
    def rolls(self) -> bool:
        return self.roll and self.calendar is not None

    def effective(self, due: date | None) -> date | None:
        """The effective deadline (*thời hạn tính*) of a deadline in force `due`."""
        if due is None or not self.rolls:
            return due
        assert self.calendar is not None
        return self.calendar.next_working_day(due)

    def days_late(self, due: date, on: date) -> int:
        """Working days after the effective deadline up to and including `on` (0 when not past it): what an urging
        letter, the ladder and the evaluation's averages call "số ngày làm việc chậm"."""
        effective = self.effective(due)
        assert effective is not None and self.calendar is not None
        return max(self.calendar.working_days_between(effective, on), 0)

    def overdue_before(self, ref: date) -> date:
        """The first deadline (as written) that is not yet overdue on `ref`: a deadline d is overdue on ref exactly
        when d < overdue_before(ref). Rolling, effective(d) < ref ⟺ some working day w has d ≤ w < ref ⟺ d is on
        or before the last working day before ref; so this is that day + 1 (ref itself without rolling)."""
        if not self.rolls:
            return ref
        assert self.calendar is not None
        day = ref - timedelta(days=1)
        for _ in range(400):  # no gap between working days is that long; a calendar with none must still end
            if self.calendar.is_working_day(day):
                return day + timedelta(days=1)
            day -= timedelta(days=1)
        return ref

    def soon_until(self, soon_limit: date) -> date:
        """The last deadline (as written) whose effective deadline is on or before `soon_limit`."""
        if not self.rolls:
            return soon_limit
        assert self.calendar is not None
        day = soon_limit
        for _ in range(400):
            if self.calendar.is_working_day(day):
                return day
            day -= timedelta(days=1)
        return soon_limit

    def explain(self, due: date | None) -> str:
        """The rule applied, in words: "hạn 14/02/2026 (thứ Bảy) → tính đến 23/02/2026 theo ngày làm việc tiếp
        theo" (a holiday on a weekday is named by its weekday too); empty when the deadline counts as written."""
        effective = self.effective(due)
        if due is None or effective == due:
            return ""
        return (
            f"hạn {due:%d/%m/%Y} ({WEEKDAYS[due.weekday()]}) → tính đến {effective:%d/%m/%Y} "
            "theo ngày làm việc tiếp theo"
        )


WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
# Registered by the app above that owns the working-day table the SQL twin reads (`dondoc.evaluation.workdays`;
# tracking imports no app above it): makes sure the table covers the years of the deadlines.
_table_hooks: list[Callable[[], None]] = []


def current_rule() -> DeadlineRule:
    """The rule in force: the calendar in force and the setting DEADLINE_ROLLS_TO_WORKING_DAY."""
    from django.conf import settings

    from dondoc.workdays import calendar

    return DeadlineRule(calendar.current(), getattr(settings, "DEADLINE_ROLLS_TO_WORKING_DAY", True))


def soon_limit(ref: date) -> date:
    """An open task is due soon when its deadline is within DUE_SOON_WORKING_DAYS working days of `ref`."""
    from django.conf import settings

    from dondoc.workdays import calendar

    return calendar.current().add_working_days(ref, settings.DUE_SOON_WORKING_DAYS)


def effective_deadline(due: date | None, rule: DeadlineRule | None = None) -> date | None:
    """THE effective deadline of a task whose deadline in force is `due`: every user of a deadline (buckets,
    counts, the ladder, urging letters, the report, inspection risk, exports, the API) goes through this or its
    SQL twin (`bucket_expression`, `bucket_filter`, `late_q`)."""
    return (rule or current_rule()).effective(due)


def bucket(
    state: str,
    due: date | None,
    completed_on: date | None,
    ref: date,
    soon_limit: date,
    rule: DeadlineRule | None = None,
) -> str:
    """The timeliness bucket of a task on the reference date `ref`; `due` is the deadline in force (as written),
    judged by its effective deadline (`effective_deadline`: rolled to the next working day when it falls on a day
    off, if the setting says so).

    - A task with a standing result (completed, or submitted and awaiting confirmation — *chờ xác nhận*) is on
      time when its completion date (the date of its result document) is on or before its effective deadline,
      late otherwise; with no deadline it cannot be late.
    - An open task with no deadline is "no deadline": never overdue, always visible.
    - An open task is overdue when the reference date is past its effective deadline; due soon when its
      effective deadline is no later than `soon_limit` (the date N working days after `ref`); within its
      deadline otherwise.
    - Drafts and cancelled tasks are not tracked: their bucket is their state ("dự thảo (chưa giao)", "đã hủy").
    """
    if state in UNTRACKED_STATES:
        return state
    effective = (rule or current_rule()).effective(due)
    if has_result(state, completed_on):
        if effective is None or completed_on is None or completed_on <= effective:
            return COMPLETED_ON_TIME
        return COMPLETED_LATE
    if effective is None:
        return NO_DEADLINE
    if ref > effective:
        return OVERDUE
    if effective <= soon_limit:
        return DUE_SOON
    return IN_DEADLINE


# --- The SQL twins ------------------------------------------------------------------------------------------------


def effective_deadline_expression(rule: DeadlineRule | None = None, field: str = "due_date") -> Any:
    """The database twin of `effective_deadline` for a date column: the next working day read from the working-day
    table (`WorkdayOrdinal.next_working`), the date itself without rolling (or outside the table's years)."""
    rule = rule or current_rule()
    if not rule.rolls:
        return F(field)
    ordinals = _working_days()
    rolled = ordinals.objects.filter(day=OuterRef(field)).values("next_working")[:1]
    return Coalesce(Subquery(rolled, output_field=DateField()), F(field))


def effective_deadline_table(rule: DeadlineRule | None = None) -> str | None:
    """The table `effective_deadline_expression` reads (columns `day`, `next_working`), for a statement that joins
    it instead of looking it up row by row; None when deadlines count as written."""
    rule = rule or current_rule()
    return _working_days()._meta.db_table if rule.rolls else None


def _working_days() -> Any:
    for hook in _table_hooks:
        hook()
    return apps.get_model("evaluation", "WorkdayOrdinal")


def with_result_q() -> Q:
    """The twin of `has_result`."""
    return Q(state=COMPLETED) | Q(state=RESULT_SUBMITTED, completed_on__isnull=False)


def open_q() -> Q:
    """Open and judged by the deadline: assigned, in progress, or result submitted without a document date."""
    return Q(state__in=(ASSIGNED, IN_PROGRESS)) | Q(state=RESULT_SUBMITTED, completed_on__isnull=True)


def late_q(rule: DeadlineRule | None = None, field: str = "due_date", done: str = "completed_on") -> Q:
    """Among tasks with a result: completed after the effective deadline (the twin of the late branch); `field`
    holds the deadline in force and `done` the completion date (annotations for evaluation as of a past date)."""
    rule = rule or current_rule()
    after = Q(**{f"{field}__isnull": False, f"{done}__isnull": False, f"{done}__gt": F(field)})
    if not rule.rolls:
        return after
    # Only a completion after the written deadline can be late: the lookup runs for those rows only.
    return after & Q(GreaterThan(F(done), effective_deadline_expression(rule, field)))


def bucket_expression(ref: date, soon_limit: date, rule: DeadlineRule | None = None) -> Case:
    """The database twin of `bucket`, for annotate/filter/aggregate over Task rows."""
    rule = rule or current_rule()
    return Case(
        When(state=DRAFT, then=Value(DRAFTED)),
        When(state=CANCELLED, then=Value(WITHDRAWN)),
        When(with_result_q() & late_q(rule), then=Value(COMPLETED_LATE)),
        When(with_result_q(), then=Value(COMPLETED_ON_TIME)),
        When(due_date__isnull=True, then=Value(NO_DEADLINE)),
        When(due_date__lt=rule.overdue_before(ref), then=Value(OVERDUE)),
        When(due_date__lte=rule.soon_until(soon_limit), then=Value(DUE_SOON)),
        default=Value(IN_DEADLINE),
        output_field=CharField(),
    )


def bucket_filter(name: str, ref: date, soon_limit: date, rule: DeadlineRule | None = None) -> Q:
    """A WHERE clause selecting the tasks of one bucket, written so that the indexes on state and due date serve:
    the effective deadline of an open task is compared through constants (`overdue_before`, `soon_until`).
    IN_DEADLINE selects the tasks labelled in deadline or due soon (its part, `PARTS`)."""
    rule = rule or current_rule()
    # `state IN (open states)` first, implied by open_q(): the very condition of the partial indexes of the open
    # tasks (`task_open_due`, `task_open_lead_due`), which PostgreSQL does not prove from open_q()'s OR alone.
    open_ = Q(state__in=OPEN_STATES) & open_q()
    before, until = rule.overdue_before(ref), rule.soon_until(soon_limit)
    if name == COMPLETED_ON_TIME:
        return with_result_q() & ~late_q(rule)
    if name == COMPLETED_LATE:
        return with_result_q() & late_q(rule)
    filters = {
        NO_DEADLINE: open_ & Q(due_date__isnull=True),
        OVERDUE: open_ & Q(due_date__lt=before),
        DUE_SOON: open_ & Q(due_date__gte=before, due_date__lte=until),
        IN_DEADLINE: open_ & Q(due_date__gte=before),
        DRAFTED: Q(state=DRAFT),
        WITHDRAWN: Q(state=CANCELLED),
    }
    return filters[name]


def kind(has_deadline: bool, submit_or_report: bool) -> str:
    """The four kinds of tasks of dispatch 3031 §5: (has a completion deadline) × (must submit or report)."""
    if has_deadline:
        return KIND_A if submit_or_report else KIND_B
    return KIND_C if submit_or_report else KIND_D


def kind_filter(name: str) -> Q:
    has_deadline = Q(due_date__isnull=False)
    submit_or_report = Q(must_submit=True) | Q(must_report=True)
    return {
        KIND_A: has_deadline & submit_or_report,
        KIND_B: has_deadline & ~submit_or_report,
        KIND_C: ~has_deadline & submit_or_report,
        KIND_D: ~has_deadline & ~submit_or_report,
    }[name]


def kind_expression() -> Case:
    """The database twin of `kind`."""
    return Case(
        *(When(kind_filter(k), then=Value(k)) for k in (KIND_A, KIND_B, KIND_C)),
        default=Value(KIND_D),
        output_field=CharField(),
    )
