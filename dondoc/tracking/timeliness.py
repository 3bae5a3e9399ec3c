"""Timeliness (*tình trạng thực hiện*) and kind of a task: derived, never stored (DOMAIN.md §5).

Each rule has two definitions side by side — a pure Python function for one task and a database expression for
filtering and counting — and a property test keeps them in agreement on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Case, CharField, F, Q, Value, When

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
NOT_TRACKED = "not_tracked"

BUCKET_LABELS = {
    COMPLETED_ON_TIME: "Hoàn thành đúng hạn",
    COMPLETED_LATE: "Hoàn thành quá hạn",
    IN_DEADLINE: "Đang thực hiện trong hạn",
    DUE_SOON: "Sắp đến hạn",
    OVERDUE: "Quá hạn chưa hoàn thành",
    NO_DEADLINE: "Không có thời hạn",
    NOT_TRACKED: "Chưa giao hoặc đã hủy",
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


def bucket(state: str, due: date | None, completed_on: date | None, ref: date, soon_limit: date) -> str:
    """The timeliness bucket of a task on the reference date `ref`.

    - A completed task is on time when its completion date (the date of its result document) is on or before
      its effective deadline, late otherwise; with no deadline it cannot be late.
    - An open task with no deadline is "no deadline": never overdue, always visible.
    - An open task is overdue when the reference date is past its effective deadline; due soon when its deadline
      is no later than `soon_limit` (the date N working days after `ref`); within its deadline otherwise.
    - Drafts and cancelled tasks are not tracked.
    """
    if state in UNTRACKED_STATES:
        return NOT_TRACKED
    if state == COMPLETED:
        if due is None or completed_on is None or completed_on <= due:
            return COMPLETED_ON_TIME
        return COMPLETED_LATE
    if due is None:
        return NO_DEADLINE
    if ref > due:
        return OVERDUE
    if due <= soon_limit:
        return DUE_SOON
    return IN_DEADLINE


def bucket_expression(ref: date, soon_limit: date) -> Case:
    """The database twin of `bucket`, for annotate/filter/aggregate over Task rows."""
    return Case(
        When(state__in=UNTRACKED_STATES, then=Value(NOT_TRACKED)),
        When(
            Q(state=COMPLETED)
            & (Q(due_date__isnull=True) | Q(completed_on__isnull=True) | Q(completed_on__lte=F("due_date"))),
            then=Value(COMPLETED_ON_TIME),
        ),
        When(state=COMPLETED, then=Value(COMPLETED_LATE)),
        When(due_date__isnull=True, then=Value(NO_DEADLINE)),
        When(due_date__lt=ref, then=Value(OVERDUE)),
        When(due_date__lte=soon_limit, then=Value(DUE_SOON)),
        default=Value(IN_DEADLINE),
        output_field=CharField(),
    )


def bucket_filter(name: str, ref: date, soon_limit: date) -> Q:
    """A WHERE clause selecting the tasks of one bucket, written so that the indexes on state and due date serve.
    IN_DEADLINE selects the tasks labelled in deadline or due soon (its part, `PARTS`)."""
    open_ = Q(state__in=OPEN_STATES)
    completed = Q(state=COMPLETED)
    on_time = Q(due_date__isnull=True) | Q(completed_on__isnull=True) | Q(completed_on__lte=F("due_date"))
    filters = {
        COMPLETED_ON_TIME: completed & on_time,
        COMPLETED_LATE: completed & ~on_time,
        NO_DEADLINE: open_ & Q(due_date__isnull=True),
        OVERDUE: open_ & Q(due_date__lt=ref),
        DUE_SOON: open_ & Q(due_date__gte=ref, due_date__lte=soon_limit),
        IN_DEADLINE: open_ & Q(due_date__gte=ref),
        NOT_TRACKED: Q(state__in=UNTRACKED_STATES),
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
