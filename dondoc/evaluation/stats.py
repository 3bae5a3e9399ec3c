"""Counts of the evaluation (*thống kê, đánh giá*, DOMAIN.md §5, §8): ONE definition serves the dashboard, the
exports and the monthly report, so the same question always gets the same number.

Which tasks belong to a period [start, end], seen on a reference date `ref`
------------------------------------------------------------------------------
- The figures are what was true on `ref` (issue 14): tasks assigned by then, cancellations and withdrawals decided
  by then, deadlines in force then, results dated by then — and a result standing then that the City Office returned
  only later still stands (a unit that delivered on time is never shown overdue as of a day it was not). A decision
  made after `ref` never changes them (`AsOf`).
- Only tracked tasks count: drafts never; cancelled/withdrawn tasks only if the decision came after `ref`.
- **The task tree** (DOMAIN.md §3): a task the city split among its units (a Government, Prime Minister, Thành ủy
  or HĐND task from which the City Office derived the units' tasks) is counted by its children — each under its
  own lead unit, its own deadline, and the authority of the directive it carries out (the parent's) — and not
  itself, from the day its first child was issued; before that (or with draft children only) it counts itself.
- The deadline that counts is the one **in force on ref** (`Task.due_date` unless an extension was approved after
  ref: `Task.objects.with_deadline_on`); a pending request changes nothing (DOMAIN.md §5). Period membership
  uses it as written; on time/overdue use its effective deadline (`tl.effective_deadline`: a deadline on a day
  off counts until the next working day). A result awaiting confirmation counts by its document's date.
- **Due in the period** (*đến hạn trong kỳ*): start ≤ deadline ≤ end. Each of them is in exactly one of
  - completed on time (*hoàn thành đúng hạn*): completed, completion date ≤ ref and ≤ deadline;
  - completed late (*hoàn thành quá hạn*): completed, completion date ≤ ref and > deadline;
  - open within the deadline (*đang thực hiện trong hạn*): open on `ref`, deadline ≥ ref;
  - open overdue (*quá hạn chưa hoàn thành*): open on `ref`, deadline < ref;
  where "open on ref" means an open state, or completed with a completion date after `ref` (it was still open
  then). So due = on time + late + within deadline + overdue.
- **Open with no deadline** (*không có thời hạn*): no deadline, assigned on or before the period's end, open on
  `ref`. They are never "due", so they are not in the rates.
- **Needed a deadline change** (*phải điều chỉnh thời hạn*): due in the period with at least one approved
  extension (`Task.deadline_changes > 0`, counted by `actions.decide_change`).
- Completion rate = (on time + late) / due; on-time rate = on time / due (percent, None when nothing is due).
- Average working days late = mean over the tasks completed late of the working days in (deadline, completion
  date]; average working days overdue = mean over the open overdue tasks of the working days in (deadline, ref].
  Working days come from the calendar in force (Tết, swapped and make-up days included) through the
  `WorkdayOrdinal` table (see `workdays.py`).

Units in a period (versioned registry)
--------------------------------------
Rows are per *reporting unit*, fixed on the period's **unit day** (`unit_day`: its end, or the reference date
when that is earlier):
- a task counts under the unit that **led it on the unit day**: a change of lead (`tracking.LeadChange`, e.g. the
  re-homing of a district's open tasks on 01/07/2025) is effective from its date, so H1/2025 keeps the task under
  the district and H2/2025 puts it under the ward that took it (`Task.lead_on` / `TaskQuerySet.with_lead_on`);
- a unit that had ended by the unit day (valid_to ≤ day) with exactly ONE successor hands its tasks to it,
  following the chain (a department merged on 01/03/2025); a unit split among several successors keeps the tasks
  nobody re-homed (a district's tasks completed before the split stay under the district).
The counted tables know each task's current lead: they answer a breakdown by unit only when no change of lead is
effective after the unit day (`_precounted`).

Visibility
----------
Counts are over `Task.objects.visible_to(user)`: secret tasks only for people cleared for them, units only their
own tasks, and no one (`user=None`) sees nothing. `user=SYSTEM` counts every task — for system jobs (the monthly
report's background draft) only.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote_plus

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, Exists, F, IntegerField, OuterRef, Q, Sum, Value, When
from django.urls import reverse
from django.utils import timezone

from dondoc.core.dates import today
from dondoc.directives.models import Authority
from dondoc.evaluation import counts as pc
from dondoc.evaluation import periods as pr
from dondoc.evaluation.models import MonthCount, TrendCount
from dondoc.evaluation.workdays import WorkdayOrdinal, ensure_ordinals, ordinal
from dondoc.org.access import person_of
from dondoc.org.models import Unit
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import DeadlineChange, LeadChange, Result, Task, TaskQuerySet

# --- Measures: the names are the values of the task list's `measure` parameter.
DUE = "den_han"
ON_TIME = "dung_han"
LATE = "tre_han"
COMPLETED = "hoan_thanh"
IN_DEADLINE = "trong_han"
OVERDUE = "qua_han"
NO_DEADLINE = "khong_han"
EXTENDED = "dieu_chinh"

MEASURE_LABELS = {
    DUE: "Đến hạn trong kỳ",
    ON_TIME: "Hoàn thành đúng hạn",
    LATE: "Hoàn thành quá hạn",
    COMPLETED: "Đã hoàn thành",
    IN_DEADLINE: "Đang thực hiện trong hạn",
    OVERDUE: "Quá hạn chưa hoàn thành",
    NO_DEADLINE: "Không có thời hạn",
    EXTENDED: "Phải điều chỉnh thời hạn",
}
MEASURES = tuple(MEASURE_LABELS)
# The counted measures (COMPLETED is on time + late, derived).
_COUNTED = (DUE, ON_TIME, LATE, IN_DEADLINE, OVERDUE, NO_DEADLINE, EXTENDED)

# --- Breakdowns.
CITY = "city"
BY_UNIT = "unit"
BY_AUTHORITY = "authority"
BY_KIND = "kind"
BREAKDOWNS = (CITY, BY_UNIT, BY_AUTHORITY, BY_KIND)

AUTHORITY_LABELS = dict(Authority.choices)
KIND_LABELS = tl.KIND_LABELS
TRACKED_STATES = (*tl.OPEN_STATES, tl.COMPLETED)


@dataclass
class Counts:
    """The figures of one row (the city, a unit, an authority, a kind or a period of a trend)."""

    due: int = 0
    on_time: int = 0
    late: int = 0
    in_deadline: int = 0
    overdue: int = 0
    no_deadline: int = 0
    extended: int = 0
    late_days: int = 0  # sum over the tasks completed late of their working days late
    overdue_days: int = 0  # sum over the open overdue tasks of their working days overdue on ref

    @property
    def completed(self) -> int:
        return self.on_time + self.late

    @property
    def completion_rate(self) -> float | None:
        """(on time + late) / due, in percent; None when nothing is due."""
        return round(100 * self.completed / self.due, 1) if self.due else None

    @property
    def come_due(self) -> int:
        """Of the tasks due in the period, those judged on the reference date: completed (on time or late) or open
        past their deadline. A task still within its deadline has not failed anything yet (*chưa đến hạn*)."""
        return self.on_time + self.late + self.overdue

    @property
    def on_time_rate(self) -> float | None:
        """on time / the tasks due in the period that have come due on the reference date (`come_due`), in percent;
        None when none has (*chưa có nhiệm vụ đến hạn*). Units are ranked by it (DOMAIN.md §8): a unit whose only
        task is still within its deadline is not "0 % on time". Once the period is over every task due in it has
        come due, and this is on time / due."""
        return round(100 * self.on_time / self.come_due, 1) if self.come_due else None

    @property
    def avg_days_late(self) -> float | None:
        """Mean working days late of the tasks completed late; None when none was."""
        return round(self.late_days / self.late, 1) if self.late else None

    @property
    def avg_days_overdue(self) -> float | None:
        """Mean working days overdue (on ref) of the open overdue tasks; None when none is."""
        return round(self.overdue_days / self.overdue, 1) if self.overdue else None

    def value(self, measure: str) -> int:
        """The count of a measure (one of MEASURES)."""
        value: int = getattr(self, _MEASURE_ATTRIBUTES[measure])  # KeyError for anything else, as before
        return value

    def add(self, other: Counts) -> None:
        # Every field, written out: the dashboard adds ~600 rows a request, and a loop over the fields by name
        # (getattr/setattr) was its most expensive Python (`test_add_sums_every_field` keeps the list whole).
        self.due += other.due
        self.on_time += other.on_time
        self.late += other.late
        self.in_deadline += other.in_deadline
        self.overdue += other.overdue
        self.no_deadline += other.no_deadline
        self.extended += other.extended
        self.late_days += other.late_days
        self.overdue_days += other.overdue_days

    @property
    def empty(self) -> bool:
        return not any(getattr(self, n) for n in self.__dataclass_fields__)


# The attribute of `Counts` holding each measure's count.
_MEASURE_ATTRIBUTES = {
    DUE: "due",
    ON_TIME: "on_time",
    LATE: "late",
    COMPLETED: "completed",
    IN_DEADLINE: "in_deadline",
    OVERDUE: "overdue",
    NO_DEADLINE: "no_deadline",
    EXTENDED: "extended",
}


@dataclass
class UnitRow:
    """One reporting unit's figures; `rank` 1.. among the units with tasks due, None for the others."""

    unit: Unit
    counts: Counts
    rank: int | None = None


@dataclass
class GroupRow:
    """One authority's (`key` an Authority value) or one kind's (`key` "a".."d") figures."""

    key: str
    label: str
    counts: Counts


@dataclass
class TrendPoint:
    period: pr.Period
    counts: Counts


@dataclass
class Filters:
    """The dashboard's filters, shared by every count and by the task-list links."""

    authority: str = ""  # an Authority value, "" = all
    kind: str = ""  # "a".."d", "" = all


@dataclass
class Evaluation:
    """Everything the dashboard, the exports and the report need for one period."""

    period: pr.Period
    ref: date
    filters: Filters
    city: Counts
    by_unit: list[UnitRow] = field(default_factory=list)
    by_authority: list[GroupRow] = field(default_factory=list)
    by_kind: list[GroupRow] = field(default_factory=list)


# --------------------------------------------------------------------------------------------- the Q objects


@dataclass(frozen=True)
class AsOf:
    """What happened after the reference date `ref` that the figures for `ref` must not see (issue 14): results
    dated later, assignments made later, cancellations/withdrawals decided later, deadline changes approved later.
    When none did (the common case: ref = today), the tasks' current columns are the facts of `ref`."""

    ref: date
    completed: bool = False
    assigned: bool = False
    cancelled: bool = False
    changed: bool = False
    last_lead_change: date | None = None  # the latest effective date of a change of lead
    returned: bool = False  # a result returned after ref: it stood on ref (`Task.objects.with_result_on`)
    # `workdays.ordinal(ref)` (working days from the ordinal table's first day to ref), read in the same
    # statement; None when the table did not cover ref then
    ref_ordinal: int | None = None

    @property
    def now(self) -> bool:
        return not (self.completed or self.assigned or self.cancelled or self.changed or self.returned)

    @property
    def annotated(self) -> bool:
        """The facts of ref are annotations on the tasks (`_scoped`), not only their columns."""
        return self.changed or self.returned

    @property
    def done(self) -> str:
        """The column holding the completion date as it stood on ref: `done_then` (annotated by `Task.objects.
        with_result_on`) when a result was returned after ref, else `completed_on`."""
        return "done_then" if self.returned else "completed_on"

    def lead_moved_after(self, day: date) -> bool:
        """A change of lead takes effect after `day`: the current lead unit is not the lead of `day` for every
        task, so counts by unit must read each task's lead on `day` (`TaskQuerySet.with_lead_on`)."""
        return self.last_lead_change is not None and self.last_lead_change > day

    @property
    def due(self) -> str:
        """The column holding the deadline in force on ref: `due_then` (annotated by `Task.objects.
        with_deadline_on`) when a deadline changed after ref, else `due_date`."""
        return "due_then" if self.changed else "due_date"


def as_of(ref: date) -> AsOf:
    """One statement of index probes: did anything happen after `ref`? With the working-day ordinal of `ref`
    (`AsOf.ref_ordinal`), which every count needs."""
    q = connection.ops.quote_name
    tasks, changes = q(Task._meta.db_table), q(DeadlineChange._meta.db_table)
    leads, results = q(LeadChange._meta.db_table), q(Result._meta.db_table)
    ordinals = q(WorkdayOrdinal._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT (SELECT MAX(completed_on) FROM {tasks}), (SELECT MAX(assigned_on) FROM {tasks}), "
            f"(SELECT MAX(cancelled_on) FROM {tasks}), "
            f"(SELECT MAX(decided_on) FROM {changes} WHERE status = %s AND kind = %s), "
            f"(SELECT MAX(effective_on) FROM {leads}), (SELECT MAX(returned_at) FROM {results}), "
            f"(SELECT ordinal FROM {ordinals} WHERE day = %s)",
            [DeadlineChange.Status.APPROVED, DeadlineChange.Kind.EXTEND, ref],
        )
        row = cur.fetchone()

    def day(value: Any) -> date | None:
        return None if value is None else value if isinstance(value, date) else date.fromisoformat(str(value))

    def after(value: Any) -> bool:
        return (d := day(value)) is not None and d > ref

    completed, assigned, cancelled, changed = (after(v) for v in row[:4])
    returned = row[5] is not None and timezone.localdate(_aware(row[5])) > ref
    return AsOf(
        ref,
        completed,
        assigned,
        cancelled,
        changed,
        last_lead_change=day(row[4]),
        returned=returned,
        ref_ordinal=None if row[6] is None else int(row[6]),
    )


def _as_of(ref: date, asof: AsOf | None) -> AsOf:
    """`asof` when it was read for `ref`, else `as_of(ref)`."""
    return asof if asof is not None and asof.ref == ref else as_of(ref)


def _aware(value: Any) -> datetime:
    """A timestamp read by raw SQL: an aware datetime (PostgreSQL) or its UTC text (SQLite)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def _scoped(qs: TaskQuerySet, asof: AsOf) -> TaskQuerySet:
    """`qs` with the deadline in force on ref and the result standing then annotated when they may differ from the
    current ones."""
    if asof.changed:
        qs = qs.with_deadline_on(asof.ref, asof.due)
    return qs.with_result_on(asof.ref) if asof.returned else qs


def _tracked(asof: AsOf | None) -> Q:
    """Tracked on ref: assigned (by ref) and not yet cancelled/withdrawn then; drafts never. A task the city split
    among its units — one with a child issued by ref (`Task.has_issued_children`) — is counted by its children, not
    itself: a higher authority's task counts once per unit the city gave it to, never twice (the rule of
    `counts._counted`). Seen on a past ref before its children were issued, the task counts itself."""
    q = Q(state__in=TRACKED_STATES)
    if asof is not None and asof.cancelled:
        q |= Q(state=tl.CANCELLED, cancelled_on__gt=asof.ref)
    if asof is not None and asof.assigned:
        q &= Q(assigned_on__isnull=True) | Q(assigned_on__lte=asof.ref)
        # something was issued after ref: the flag may say "split" of a task whose children came later
        split_by_ref = Exists(Task.objects.filter(parent_id=OuterRef("pk"), assigned_on__lte=asof.ref))
        return q & ~Q(split_by_ref)
    return q & Q(has_issued_children=False)


def due_in(period: pr.Period, asof: AsOf | None = None) -> Q:
    """Tracked tasks whose deadline in force is in the period: a range on due_date, so the indexes serve (on
    `due_then` when a deadline changed after ref, see `AsOf`)."""
    d = asof.due if asof is not None else "due_date"
    return Q(**{f"{d}__gte": period.start, f"{d}__lte": period.end}) & _tracked(asof)


def _completed_by(ref: date, asof: AsOf | None = None) -> Q:
    """A standing result (completed, or awaiting confirmation) whose document is dated on or before `ref`; as of a
    past `ref`, also a task cancelled after `ref` that had a result standing then."""
    done = asof.done if asof is not None else "completed_on"
    return _with_result(asof) & Q(**{f"{done}__lte": ref})


def _with_result(asof: AsOf | None) -> Q:
    q = tl.with_result_q()
    if asof is not None and asof.returned:  # returned later: its result stood on ref
        q |= Q(stood_then=True)
    if asof is not None and asof.cancelled:  # cancelled later: judged as it stood (its result date is kept)
        q |= Q(state=tl.CANCELLED, cancelled_on__gt=asof.ref, **{f"{asof.done}__isnull": False})
    return q


def _open_on(ref: date, asof: AsOf | None = None) -> Q:
    """Open on `ref`: open now, with a result document dated after `ref` (it was still open then), or cancelled
    or withdrawn by a decision after `ref` with no result standing by `ref`."""
    done = asof.done if asof is not None else "completed_on"
    now_open = tl.open_q() & ~Q(stood_then=True) if asof is not None and asof.returned else tl.open_q()
    q = now_open | (_with_result(asof) & Q(**{f"{done}__gt": ref}))
    if asof is not None and asof.cancelled:
        q |= Q(state=tl.CANCELLED, cancelled_on__gt=ref, **{f"{done}__isnull": True})
    return q


def measure_q(measure: str, period: pr.Period, ref: date, asof: AsOf | None = None) -> Q:
    """The WHERE clause of one measure: the counts and the task list use exactly this. Figures as of `ref`: a
    decision made after `ref` changes nothing (`AsOf`)."""
    asof = asof or as_of(ref)
    q = _measure_q(measure, period, ref, asof)
    if asof.annotated:  # the deadline or result in force is an annotation: select the ids through it
        return Q(pk__in=_scoped(Task.objects.all(), asof).filter(q).values("pk"))
    return q


def _measure_q(measure: str, period: pr.Period, ref: date, asof: AsOf) -> Q:
    if measure == NO_DEADLINE:
        return Q(due_date__isnull=True, assigned_on__lte=period.end) & _tracked(asof) & _open_on(ref, asof)
    return due_in(period, asof) & _within_due(measure, ref, asof)


def _within_due(measure: str, ref: date, asof: AsOf | None = None) -> Q:
    """The condition of a measure among the tasks due in the period."""
    rule = tl.current_rule()
    before = rule.overdue_before(ref)  # judged by the effective deadline (`tl.effective_deadline`)
    d = asof.due if asof is not None else "due_date"
    done = asof.done if asof is not None else "completed_on"
    extended = Q(deadline_changes__gt=0)
    if asof is not None and asof.changed:  # extended by ref: not by a change approved only later
        approved = DeadlineChange.objects.filter(
            task_id=OuterRef("pk"), status=DeadlineChange.Status.APPROVED, kind=DeadlineChange.Kind.EXTEND
        )
        extended &= ~Exists(approved.filter(decided_on__gt=ref)) | Exists(
            approved.filter(decided_on__lte=ref)
        )
    return {
        DUE: Q(),
        ON_TIME: _completed_by(ref, asof) & ~tl.late_q(rule, d, done),
        LATE: _completed_by(ref, asof) & tl.late_q(rule, d, done),
        COMPLETED: _completed_by(ref, asof),
        IN_DEADLINE: _open_on(ref, asof) & Q(**{f"{d}__gte": before}),
        OVERDUE: _open_on(ref, asof) & Q(**{f"{d}__lt": before}),
        EXTENDED: extended,
    }[measure]


def filters_q(filters: Filters) -> Q:
    """Authority (of the directive that assigned the task) and kind (dispatch 3031 §5)."""
    q = Q()
    if filters.authority:
        q &= Q(directive__authority=filters.authority)
    if filters.kind:
        q &= tl.kind_filter(filters.kind)
    return q


def unit_day(period: pr.Period, ref: date | None = None) -> date:
    """The day whose units a period's figures are shown by (*đơn vị tại ngày chốt*): the period's end, or the
    reference date when that is earlier (see "Units in a period")."""
    return period.end if ref is None else min(period.end, ref)


def reporting_units(period: pr.Period, ref: date | None = None) -> dict[int, int]:
    """Lead unit id → the id of the unit it reports under in `period` (itself unless it ended by the unit day and
    has exactly one successor; then that successor, following the chain). Only units that differ are listed."""
    day = unit_day(period, ref)
    # One statement: the units ended by the day, each with its successors (only theirs are followed).
    ended: set[int] = set()
    heirs: dict[int, list[int]] = {}
    for uid, to_id in Unit.objects.filter(valid_to__lte=day).order_by().values_list("id", "successors__id"):
        ended.add(uid)
        if to_id is not None:
            heirs.setdefault(uid, []).append(to_id)
    out: dict[int, int] = {}
    for uid in ended:
        seen = {uid}
        cur = uid
        while cur in ended and len(heirs.get(cur, ())) == 1 and heirs[cur][0] not in seen:
            cur = heirs[cur][0]
            seen.add(cur)
        if cur != uid:
            out[uid] = cur
    return out


def unit_q(unit_id: int, period: pr.Period, ref: date | None = None, asof: AsOf | None = None) -> Q:
    """Tasks counted under reporting unit `unit_id` in `period` seen on `ref`: those its units (its own and those
    it took over) led on the unit day."""
    ids = _unit_ids(unit_id, period, ref)
    day = unit_day(period, ref)
    if (asof or as_of(ref or day)).lead_moved_after(day):
        return Q(pk__in=Task.objects.led_on(day, ids).values("pk"))
    return Q(lead_unit_id__in=ids)


def _unit_ids(unit_id: int, period: pr.Period, ref: date | None = None) -> list[int]:
    mapping = reporting_units(period, ref)
    ids = [uid for uid, target in mapping.items() if target == unit_id]
    if unit_id not in mapping:
        ids.append(unit_id)
    return sorted(ids)


class _System:
    """The reader of a system job (the monthly report, the checks of the counts): the whole city, secret tasks
    included. Passed as `user` where a job, not a person, asks; a missing user (None) sees nothing."""

    def __repr__(self) -> str:
        return "stats.SYSTEM"


SYSTEM = _System()


def base_queryset(user: Any, *, system: bool = False) -> TaskQuerySet:
    """The tasks the counts run over: those `user` may see (`visible_to`; none for None, as everywhere), or every
    task when the caller says `system=True` (system jobs only)."""
    if system:
        return Task.objects.all()
    return Task.objects.visible_to(user)


def tasks(
    measure: str,
    period: pr.Period,
    user: Any,
    *,
    ref: date | None = None,
    unit_id: int | None = None,
    filters: Filters | None = None,
) -> TaskQuerySet:
    """The tasks behind one number (ordered by deadline): what the task-list link shows and the report lists."""
    ref = ref or today()
    asof = as_of(ref)
    qs = _scoped(base_queryset(user, system=user is SYSTEM), asof).filter(
        _measure_q(measure, period, ref, asof) & filters_q(filters or Filters())
    )
    if unit_id is not None:
        qs = qs.filter(unit_q(unit_id, period, ref, asof))
    return qs.order_by("due_date", "id")


def list_url(
    measure: str,
    period: pr.Period,
    *,
    ref: date,
    unit_id: int | None = None,
    filters: Filters | None = None,
) -> str:
    """The task list (/nhiem-vu/) showing exactly the tasks behind one number:
    ?measure=<measure>&period_from=dd/mm/yyyy&period_to=dd/mm/yyyy&as_of=<ref dd/mm/yyyy>[&counted_unit=<unit id>]
    [&authority=<Authority value>][&kind=a..d]."""
    url = f"{_list_path()}?measure={measure}{_span(period.start, period.end, ref)}"
    if unit_id is not None:
        url += f"&counted_unit={int(unit_id)}"
    f = filters or Filters()
    if f.authority:
        url += f"&authority={quote_plus(f.authority)}"
    if f.kind:
        url += f"&kind={quote_plus(f.kind)}"
    return url


@functools.lru_cache(maxsize=64)
def _span(start: date, end: date, ref: date) -> str:
    """The dates of a link, formatted once (the dashboard builds about a thousand links on the same dates)."""
    return f"&period_from={start:%d/%m/%Y}&period_to={end:%d/%m/%Y}&as_of={ref:%d/%m/%Y}"


@functools.lru_cache(maxsize=1)
def _list_path() -> str:
    """The task list's path, resolved once (the dashboard builds about a thousand links)."""
    return reverse("tracking:task_list")


# ------------------------------------------------------------------------------------------------- counting

# The per-row flags of the tasks due in a period (1 when the row is in the measure): the conditions are
# `_within_due`, the same Q objects as the task list's.
_FLAGGED = (ON_TIME, LATE, IN_DEADLINE, OVERDUE, EXTENDED)
# The column a breakdown groups on, in the inner statement.
_KEY_COLUMN = {BY_UNIT: "k_unit", BY_AUTHORITY: "k_auth", BY_KIND: "k_kind"}
_WORK_MEM = "64MB"  # hash aggregates of the grouping sets and the hash join to directives stay in memory


def _flag(q: Q) -> Case:
    return Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())


def _submit_or_report() -> Q:
    return Q(must_submit=True) | Q(must_report=True)


def _keys(
    qs: TaskQuerySet, bys: Sequence[str], *, has_deadline: bool, lead_day: date | None = None
) -> TaskQuerySet:
    """The breakdown keys as columns of the inner statement. The kind (dispatch 3031 §5, `tl.kind_filter`) is
    a/b for a task with a deadline and c/d for one without; the statement already knows which, so the CASE does
    not read due_date (the no-deadline statement then stays an index-only scan on its partial index). The unit is
    the lead on `lead_day` when a change of lead takes effect after it (`AsOf.lead_moved_after`), else the
    current lead."""
    keys: dict[str, Any] = {}
    if BY_UNIT in bys:
        if lead_day is not None:
            qs = qs.with_lead_on(lead_day, "lead_then")
            keys["k_unit"] = F("lead_then")
        else:
            keys["k_unit"] = F("lead_unit_id")
    if BY_AUTHORITY in bys:
        keys["k_auth"] = F("directive__authority")
    if BY_KIND in bys:
        yes, no = (tl.KIND_A, tl.KIND_B) if has_deadline else (tl.KIND_C, tl.KIND_D)
        keys["k_kind"] = Case(
            When(_submit_or_report(), then=Value(yes)), default=Value(no), output_field=CharField()
        )
    return qs.annotate(**keys)


def _grouped_sql(inner: str, bys: Sequence[str], select: str, joins: str = "", having: str = "") -> list[str]:
    """The outer statements over the inner one: ONE with GROUPING SETS on PostgreSQL (one pass over the tasks for
    every breakdown), one per breakdown elsewhere (SQLite has no GROUPING SETS). Each row starts with the
    breakdown's name so the caller can sort the rows out. `having`: a condition on the groups (not on the one row
    of no breakdown)."""
    q = connection.ops.quote_name
    having = f" HAVING {having}" if having else ""
    if not bys:
        return [f"SELECT '' AS b, NULL AS k, {select} FROM ({inner}) t {joins}"]
    if connection.vendor == "postgresql" and len(bys) > 1:
        cols = [f"t.{q(_KEY_COLUMN[b])}" for b in bys]
        which = " ".join(f"WHEN GROUPING({c}) = 0 THEN '{b}'" for b, c in zip(bys, cols, strict=True))
        key = "CASE " + " ".join(f"WHEN GROUPING({c}) = 0 THEN CAST({c} AS TEXT)" for c in cols) + " END"
        sets = ", ".join(f"({c})" for c in cols)
        return [
            f"SELECT CASE {which} END AS b, {key} AS k, {select} FROM ({inner}) t {joins} GROUP BY GROUPING SETS ({sets}){having}"
        ]
    return [
        f"SELECT '{b}' AS b, t.{q(_KEY_COLUMN[b])} AS k, {select} FROM ({inner}) t {joins} "
        f"GROUP BY t.{q(_KEY_COLUMN[b])}{having}"
        for b in bys
    ]


def _run(statements: Iterable[tuple[str, Sequence[Any]]], names: Sequence[str]) -> Iterator[dict[str, Any]]:
    with connection.cursor() as cur:
        for sql, params in statements:
            cur.execute(sql, params)
            for row in cur.fetchall():
                yield dict(zip(("b", "k", *names), row, strict=True))


def _to_counts(row: dict[str, Any]) -> Counts:
    return Counts(
        due=row.get("due") or 0,
        on_time=row.get(ON_TIME) or 0,
        late=row.get(LATE) or 0,
        in_deadline=row.get(IN_DEADLINE) or 0,
        overdue=row.get(OVERDUE) or 0,
        no_deadline=row.get(NO_DEADLINE) or 0,
        extended=row.get(EXTENDED) or 0,
        late_days=row.get("late_days") or 0,
        overdue_days=row.get("overdue_days") or 0,
    )


@contextmanager
def _tuned() -> Iterator[None]:
    """PostgreSQL, for these statements only (SET LOCAL, inside the caller's transaction): no JIT compilation
    (it costs ~40 ms for statements that run in a few) and a work_mem that keeps the hash aggregates and the
    hash join to the directives in memory — one statement (`set_config(…, true)` is SET LOCAL)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT set_config('jit', 'off', true), set_config('work_mem', %s, true)", [_WORK_MEM]
            )
    yield


@dataclass
class _Counting:
    """An open `counting()` scope: the depth of atomic blocks it began at, what closes its transaction, and
    whether that transaction is open yet."""

    depth: int
    stack: ExitStack
    open: bool = False


@contextmanager
def counting() -> Iterator[None]:
    """A scope of counts sharing ONE transaction for their statements over the tasks (`_over_tasks`: one begin,
    one set of settings, one commit, rather than one each): the dashboard counts its figures, its trend and its
    due-soon part in one scope. The transaction opens at the first such statement: the counted tables'
    statements need none (small aggregates; JIT is off for every connection, settings.py), so a dashboard
    answered from them runs no transaction at all. Nested, it is the outer scope."""
    if getattr(connection, "_dondoc_counting", None) is not None:
        yield
        return
    scope = _Counting(len(connection.atomic_blocks), ExitStack())
    connection._dondoc_counting = scope  # type: ignore[attr-defined]
    try:
        with scope.stack:
            yield
    finally:
        connection._dondoc_counting = None  # type: ignore[attr-defined]


@contextmanager
def _over_tasks() -> Iterator[None]:
    """The statements over the tasks run in a transaction with their settings (`_tuned`): the enclosing
    `counting()` scope's — opened now if not yet, when no other transaction block began inside the scope (it
    must close last) — or their own."""
    scope: _Counting | None = getattr(connection, "_dondoc_counting", None)
    if scope is not None and (scope.open or len(connection.atomic_blocks) == scope.depth):
        if not scope.open:
            scope.stack.enter_context(transaction.atomic())
            scope.stack.enter_context(_tuned())
            scope.open = True
        yield
        return
    with transaction.atomic(), _tuned():
        yield


def _within(period: pr.Period, alias: str, *, upper: bool = True) -> str:
    """The join to the ordinal table `alias` limited to the days it can match: a deadline of the period (`od`), a
    completion date after such a deadline (`oc`, upper=False: completed late, so after a deadline ≥ the period's
    start). The same rows match; the hash the join builds holds the period's days, not the table's ~5,500."""
    bounds = f" AND {alias}.day >= '{period.start.isoformat()}'"  # ISO dates: compared as dates (PG) or text
    return bounds + (f" AND {alias}.day <= '{period.end.isoformat()}'" if upper else "")


def _effective_ordinal(alias: str, rule: tl.DeadlineRule) -> str:
    """The ordinal of the effective deadline, from the ordinal row of the deadline as written: one more when that
    deadline is a day off and rolls to the next working day (working days late count from the effective one)."""
    if not rule.rolls:
        return f"{alias}.ordinal"
    return f"({alias}.ordinal + CASE WHEN {alias}.next_working > {alias}.day THEN 1 ELSE 0 END)"


def _count_many(
    period: pr.Period,
    user: Any,
    bys: Sequence[str],
    *,
    ref: date,
    filters: Filters,
    unit_id: int | None = None,
    no_deadline: bool = True,
    precounted: bool = True,
    open_only: bool = False,
    asof: AsOf | None = None,
) -> dict[str, dict[Any, Counts]]:
    """The figures of `period` on `ref` for several breakdowns at once (lead unit ids, not yet mapped to
    reporting units): {breakdown: {key: Counts}}, CITY under the key None when asked.

    Two statements on PostgreSQL whatever the number of breakdowns (GROUPING SETS): one over the tasks due in the
    period — a range on due_date, an index-only scan of eval_task_due_cover, each row flagged by the Q objects of
    `_within_due` and the working days late/overdue read from the ordinal table by a hash join (only the rows
    flagged late/overdue use them) — and one over the open tasks with no deadline (skipped with
    no_deadline=False). On SQLite the same statements run once per breakdown. With `open_only` only the tasks open
    on ref are counted (due, within and over the deadline, the days overdue; see `count`).
    """
    rebuilt = ensure_ordinals(min(period.start, ref), max(period.end, ref))
    asof = _as_of(ref, asof)
    # read with `asof` unless the table did not cover ref then or was rebuilt since (its ordinals may have moved)
    ref_ordinal = int(ordinal(ref)) if rebuilt or asof.ref_ordinal is None else asof.ref_ordinal
    day = unit_day(period, ref)
    by_unit = BY_UNIT in bys or unit_id is not None
    lead_day = day if asof.lead_moved_after(day) else None
    secret = (
        _precounted(user, ref, period, asof=asof, by_unit=by_unit, any_days=open_only) if precounted else None
    )
    if secret is not None:
        ids = None if unit_id is None else _unit_ids(unit_id, period, ref)
        return _count_precounted(
            period,
            bys,
            ref,
            ref_ordinal,
            filters,
            ids,
            no_deadline=no_deadline and not open_only,
            with_secret=secret,
            open_only=open_only,
        )
    grouped = [b for b in bys if b != CITY]
    qs = _scoped(base_queryset(user, system=user is SYSTEM), asof).filter(filters_q(filters)).order_by()
    if qs.query.is_empty():  # a reader who sees no task (`visible_to`: none): every figure is 0, no statement
        return _fold(bys, grouped, [])
    if unit_id is not None:
        qs = qs.filter(unit_q(unit_id, period, ref, asof))
    if open_only:
        qs = qs.filter(_open_on(ref, asof))
    flags = {f"f_{m}": _flag(_within_due(m, ref, asof)) for m in _FLAGGED}
    due_qs = _keys(qs.filter(due_in(period, asof)), grouped, has_deadline=True, lead_day=lead_day).annotate(
        d_due=F(asof.due), d_done=F(asof.done), **flags
    )
    inner, params = due_qs.values(*_keys_of(grouped), "d_due", "d_done", *flags).query.sql_with_params()
    q = connection.ops.quote_name
    ordinals = q(WorkdayOrdinal._meta.db_table)
    od_ordinal = _effective_ordinal("od", tl.current_rule())
    names = ["due", *_FLAGGED, "late_days", "overdue_days"]
    select = ", ".join(
        [
            "COUNT(*)",
            *(f"SUM(t.{q('f_' + m)})" for m in _FLAGGED),
            f"SUM(CASE WHEN t.{q('f_' + LATE)} = 1 THEN oc.ordinal - {od_ordinal} END)",
            f"SUM(CASE WHEN t.{q('f_' + OVERDUE)} = 1 THEN {ref_ordinal} - {od_ordinal} END)",
        ]
    )
    joins = (
        f"LEFT JOIN {ordinals} od ON od.day = t.{q('d_due')}{_within(period, 'od')} "
        f"LEFT JOIN {ordinals} oc ON oc.day = (CASE WHEN t.{q('f_' + LATE)} = 1 THEN t.{q('d_done')} END)"
        f"{_within(period, 'oc', upper=False)}"
    )
    with _over_tasks():
        due_rows = list(_run([(s, params) for s in _grouped_sql(inner, grouped, select, joins)], names))
        nodue_rows: list[dict[str, Any]] = []
        if no_deadline and not open_only:
            nd_qs = _keys(
                qs.filter(_measure_q(NO_DEADLINE, period, ref, asof)),
                grouped,
                has_deadline=False,
                lead_day=lead_day,
            )
            nd_inner, nd_params = nd_qs.values(*_keys_of(grouped), "assigned_on").query.sql_with_params()
            nodue_rows = list(
                _run([(s, nd_params) for s in _grouped_sql(nd_inner, grouped, "COUNT(*)")], [NO_DEADLINE])
            )
    return _fold(bys, grouped, [*due_rows, *nodue_rows])


def _fold(
    bys: Sequence[str], grouped: Sequence[str], rows: Iterable[dict[str, Any]]
) -> dict[str, dict[Any, Counts]]:
    """The grouped statements' rows as {breakdown: {key: Counts}}, the city (key None) as a breakdown's sum."""
    out: dict[str, dict[Any, Counts]] = {b: {} for b in bys}
    for row in rows:
        b = row["b"] or CITY
        if b not in out:
            continue
        key = row["k"]
        if b == BY_UNIT and key is not None:
            key = int(key)
        if key in out[b]:
            out[b][key].add(_to_counts(row))
        else:
            out[b][key] = _to_counts(row)
    if CITY in bys:
        city = Counts()
        source = out[CITY] if not grouped else out[grouped[0]]
        for c in source.values():
            city.add(c)
        out[CITY] = {None: city}
    return out


def _keys_of(bys: Sequence[str]) -> list[str]:
    return [_KEY_COLUMN[b] for b in bys]


def count(
    period: pr.Period,
    user: Any,
    *,
    by: str = CITY,
    ref: date | None = None,
    filters: Filters | None = None,
    unit_id: int | None = None,
    no_deadline: bool = True,
    precounted: bool = True,
    open_only: bool = False,
    asof: AsOf | None = None,
) -> dict[Any, Counts]:
    """THE count function: the figures of `period` on `ref` (default today), grouped `by` CITY (key None),
    BY_UNIT (key: reporting unit id, see `reporting_units`), BY_AUTHORITY (Authority value) or BY_KIND ("a".."d").

    Two grouped statements with conditional aggregates, none loading task rows (see `_count_many`). With
    `open_only` only the tasks open on `ref` are counted — `due` is then the open ones, on time and late are 0,
    within and over the deadline are the full figures — and no no-deadline count: an open task's count row keeps
    its deadline, so the counted tables answer for any span of days, not only whole reporting months. `asof`:
    `as_of(ref)` when the caller has read it already (read here otherwise).
    """
    ref = ref or today()
    filters = filters or Filters()
    out = _count_many(
        period,
        user,
        [by],
        ref=ref,
        filters=filters,
        unit_id=unit_id,
        no_deadline=no_deadline,
        precounted=precounted,
        open_only=open_only,
        asof=asof,
    )[by]
    if by == BY_UNIT:
        out = _to_reporting_units(out, period, ref)
    if by == CITY and None not in out:
        out[None] = Counts()
    return out


def _to_reporting_units(per_lead_unit: dict[Any, Counts], period: pr.Period, ref: date) -> dict[Any, Counts]:
    mapping = reporting_units(period, ref)
    merged: dict[Any, Counts] = {}
    for key, counts in per_lead_unit.items():
        merged.setdefault(mapping.get(key, key), Counts()).add(counts)
    return merged


def rank(rows: Sequence[UnitRow]) -> list[UnitRow]:
    """Units by on-time rate (highest first); ties: fewer open overdue, then more tasks due, then name.
    Units with no task come due on the reference date (`Counts.come_due`: nothing due in the period, or only tasks
    still within their deadline) come last, unranked: *chưa có nhiệm vụ đến hạn*, not 0 %."""
    ranked = sorted(
        (r for r in rows if r.counts.on_time_rate is not None),
        key=lambda r: (-(r.counts.on_time_rate or 0), r.counts.overdue, -r.counts.due, r.unit.name),
    )
    previous_key: tuple[float, int] | None = None
    for i, row in enumerate(ranked, start=1):
        key = (row.counts.on_time_rate or 0.0, row.counts.overdue)
        row.rank = ranked[i - 2].rank if key == previous_key else i
        previous_key = key
    rest = sorted(
        (r for r in rows if r.counts.on_time_rate is None),
        key=lambda r: (-r.counts.due, -r.counts.no_deadline, r.unit.name),
    )
    for row in rest:
        row.rank = None
    return ranked + rest


def evaluate(
    period: pr.Period,
    user: Any,
    *,
    ref: date | None = None,
    filters: Filters | None = None,
    breakdowns: Sequence[str] = BREAKDOWNS,
    precounted: bool = True,
    asof: AsOf | None = None,
) -> Evaluation:
    """The city's figures and the breakdowns by unit (ranked), by authority and by kind, for `period` on `ref`.
    The dashboard, the exports and the monthly report all call this. `asof`: `as_of(ref)` when the caller has read
    it already."""
    ref = ref or today()
    filters = filters or Filters()
    result = Evaluation(period=period, ref=ref, filters=filters, city=Counts())
    wanted = [b for b in (BY_UNIT, BY_AUTHORITY, BY_KIND) if b in breakdowns]
    if CITY in breakdowns and not wanted:
        wanted = [CITY]
    per = _count_many(
        period, user, wanted, ref=ref, filters=filters, precounted=precounted, asof=asof
    )  # one pass for all
    if BY_UNIT in breakdowns:
        per_unit = _to_reporting_units(per[BY_UNIT], period, ref)
        units = Unit.objects.in_bulk(list(per_unit))
        rows = [UnitRow(units[k], c) for k, c in per_unit.items() if k in units and not c.empty]
        result.by_unit = rank(rows)
    if CITY in breakdowns:
        # Every task has exactly one lead unit, one authority and one kind: the city is any breakdown's sum.
        for c in per[wanted[0]].values():
            result.city.add(c)
    elif BY_UNIT in breakdowns:
        for c in per[BY_UNIT].values():
            result.city.add(c)
    if BY_AUTHORITY in breakdowns:
        result.by_authority = [
            GroupRow(k, str(label), per[BY_AUTHORITY].get(k, Counts()))
            for k, label in AUTHORITY_LABELS.items()
        ]
    if BY_KIND in breakdowns:
        result.by_kind = [
            GroupRow(k, label, per[BY_KIND].get(k, Counts())) for k, label in KIND_LABELS.items()
        ]
    return result


def trend(
    period: pr.Period,
    user: Any,
    *,
    n: int = 12,
    ref: date | None = None,
    filters: Filters | None = None,
    unit_id: int | None = None,
    precounted: bool = True,
    asof: AsOf | None = None,
) -> list[TrendPoint]:
    """The figures of the `n` periods ending with `period` (oldest first), each on the same `ref`: due, on time,
    late, within deadline, overdue and extended (the definitions of `count`, the same Q objects), in ONE statement
    over the range of the n periods; no working-day sums and no no-deadline count (not per-period figures).

    The statement groups by deadline (a hash aggregate of at most a few hundred groups over an index-only scan)
    and the days are summed into their periods here: the periods are consecutive, so each day is in one."""
    ref = ref or today()
    filters = filters or Filters()
    spans = pr.previous(period, n)
    points = [TrendPoint(p, Counts()) for p in spans]
    first, last = spans[0].start, spans[-1].end
    asof = _as_of(ref, asof)
    if precounted and unit_id is None and (secret := _precounted(user, ref, *spans, asof=asof)) is not None:
        _trend_from_counts(points, first, last, ref, filters, with_secret=secret)
        return points
    qs = _scoped(base_queryset(user, system=user is SYSTEM), asof).filter(filters_q(filters))
    if unit_id is not None:
        qs = qs.filter(unit_q(unit_id, period, ref, asof))
    qs = qs.filter(due_in(pr.custom(first, last), asof)).order_by()
    aggregates: dict[str, Any] = {"due": Count("*")}
    for m in _FLAGGED:
        aggregates[m] = Count("id", filter=_within_due(m, ref, asof))
    with _over_tasks():
        rows = list(qs.values(key=F(asof.due)).annotate(**aggregates).order_by())
    for row in rows:
        day = row["key"]
        for point in points:
            if point.period.start <= day <= point.period.end:
                point.counts.add(_to_counts(dict(row)))
                break
    return points


# ------------------------------------------------------------------------------------ from the counted tables


def _precounted(
    user: Any,
    ref: date,
    *periods: pr.Period,
    asof: AsOf | None = None,
    by_unit: bool = False,
    any_days: bool = False,
) -> bool | None:
    """Whether the figures of `periods` may be read from the pre-counted tables (`dondoc.evaluation.counts`)
    instead of the tasks, and if so whether secret tasks count. None when they may not:
    - a period that is not made of whole reporting months (a custom range: the counts are per month), unless
      `any_days` (only open tasks are counted: their rows keep the deadline's day);
    - a user who sees only their unit's tasks (the counts know the lead unit, not the coordinators);
    - something happened after the reference date (`AsOf`: a result dated later, an assignment, a cancellation or
      an approved deadline change decided later): the counts know each task as it is now, not as it was on ref;
    - counts by unit (`by_unit`) when a change of lead takes effect after the period's unit day: the counts know
      each task's current lead, not the one of that day."""
    if not any_days and not all(
        p.start.day == pr.CUTOFF_DAY and p.end == pc.month_end(pc.month_start(p.end)) for p in periods
    ):
        return None
    with_secret = True
    if user is not SYSTEM:
        person = person_of(user)
        if person is None or not person.sees_everything:
            return None
        with_secret = person.cleared_for_secrets
    asof = asof or as_of(ref)
    if not asof.now:  # one statement of index probes
        return None
    if by_unit and any(asof.lead_moved_after(unit_day(p, ref)) for p in periods):
        return None
    return with_secret


def _count_precounted(
    period: pr.Period,
    bys: Sequence[str],
    ref: date,
    ref_ordinal: int,
    filters: Filters,
    unit_ids: list[int] | None,
    *,
    no_deadline: bool,
    with_secret: bool,
    open_only: bool = False,
) -> dict[str, dict[Any, Counts]]:
    """`_count_many` from `MonthCount`: the same statements' shape (GROUPING SETS on PostgreSQL, one per breakdown
    on SQLite) over the count rows of the period instead of its tasks; the working days late/overdue from the
    ordinal table, as in `_count_many`. Each count row stands for `n` tasks with the same key."""
    q = connection.ops.quote_name
    table, ordinals = q(MonthCount._meta.db_table), q(WorkdayOrdinal._meta.db_table)
    grouped = [b for b in bys if b != CITY]
    # a row of 0 counts nothing; a pending row may be negative (`counts`: a key counts the sum of its rows)
    where, params = _count_rows_where(["c.n <> 0"], [], filters, with_secret=with_secret)
    if unit_ids is not None:
        where.append(f"c.lead_unit_id IN ({', '.join(['%s'] * len(unit_ids))})")
        params.extend(unit_ids)

    def inner(cond: str, kinds: tuple[str, str]) -> str:
        return (
            f"SELECT c.lead_unit_id AS k_unit, c.authority AS k_auth, "
            f"CASE WHEN c.submit THEN '{kinds[0]}' ELSE '{kinds[1]}' END AS k_kind, "
            f"c.outcome, c.day, c.done, c.n, c.extended FROM {table} c WHERE {' AND '.join([*where, cond])}"
        )

    # Open: within/over the deadline by the effective deadline, through the first written deadline not overdue on
    # ref; late rows (kept with their deadline and completion date) are late only after the effective deadline.
    rule = tl.current_rule()
    day = f"'{rule.overdue_before(ref).isoformat()}'"  # a date's ISO form: compared as a date (PostgreSQL) or text
    rolled = "COALESCE(od.next_working, t.day)" if rule.rolls else "t.day"
    od_ordinal = _effective_ordinal("od", rule)
    open_, on_time, late = pc.OPEN, pc.ON_TIME, pc.LATE
    is_late = f"t.outcome = {late} AND t.done > {rolled}"
    select = ", ".join(
        [
            "SUM(t.n)",
            f"SUM(CASE WHEN t.outcome = {on_time} OR (t.outcome = {late} AND NOT ({is_late})) THEN t.n ELSE 0 END)",
            f"SUM(CASE WHEN {is_late} THEN t.n ELSE 0 END)",
            f"SUM(CASE WHEN t.outcome = {open_} AND t.day >= {day} THEN t.n ELSE 0 END)",
            f"SUM(CASE WHEN t.outcome = {open_} AND t.day < {day} THEN t.n ELSE 0 END)",
            "SUM(CASE WHEN t.extended THEN t.n ELSE 0 END)",
            f"SUM(CASE WHEN {is_late} THEN t.n * (oc.ordinal - {od_ordinal}) END)",
            f"SUM(CASE WHEN t.outcome = {open_} AND t.day < {day} THEN t.n * ({ref_ordinal} - {od_ordinal}) END)",
        ]
    )
    joins = (
        f"LEFT JOIN {ordinals} od ON od.day = (CASE WHEN t.outcome IN ({open_}, {late}) THEN t.day END)"
        f"{_within(period, 'od')} "
        f"LEFT JOIN {ordinals} oc ON oc.day = (CASE WHEN t.outcome = {late} THEN t.done END)"
        f"{_within(period, 'oc', upper=False)}"
    )
    names = ["due", *_FLAGGED, "late_days", "overdue_days"]
    rows: list[dict[str, Any]] = []
    # the counted tables' statements: small aggregates, no transaction or settings needed (`counting`)
    if filters.kind in ("", tl.KIND_A, tl.KIND_B):
        outcome = f"= {open_}" if open_only else f"< {pc.NO_DEADLINE}"
        due = inner(f"c.day >= %s AND c.day <= %s AND c.outcome {outcome}", (tl.KIND_A, tl.KIND_B))
        args = [*params, period.start, period.end]
        # a group of rows summing to nothing has no task (pending rows of a key that cancel out: `counts`)
        statements = _grouped_sql(due, grouped, select, joins, having="SUM(t.n) <> 0")
        rows += _run([(s, args) for s in statements], names)
    if no_deadline and filters.kind in ("", tl.KIND_C, tl.KIND_D):
        nodue = inner(f"c.outcome = {pc.NO_DEADLINE} AND c.day <= %s", (tl.KIND_C, tl.KIND_D))
        args = [*params, period.end]
        statements = _grouped_sql(nodue, grouped, "SUM(t.n)", having="SUM(t.n) <> 0")
        rows += _run([(s, args) for s in statements], [NO_DEADLINE])
    out = _fold(bys, grouped, rows)
    if CITY in bys and None not in out[CITY]:
        out[CITY][None] = Counts()
    return out


def _count_rows_where(
    where: list[str], params: list[Any], filters: Filters, *, with_secret: bool
) -> tuple[list[str], list[Any]]:
    """The conditions on count rows `c` of the filters and of secrecy, added to `where`/`params`."""
    if not with_secret:
        where.append("c.secret = %s")
        params.append(False)
    if filters.authority:
        where.append("c.authority = %s")
        params.append(filters.authority)
    if filters.kind:
        where.append("c.submit = %s")
        params.append(filters.kind in (tl.KIND_A, tl.KIND_C))
    return where, params


def _late_but_rolled_on_time(
    first: date, last: date, filters: Filters, *, with_secret: bool
) -> list[tuple[date, int]]:
    """(deadline, tasks) completed after a deadline on a day off but on or before the next working day: late by
    the deadline as written (how `TrendCount` counts them), on time by the effective deadline. Read from
    `MonthCount`, which keeps a late task's deadline and completion date (a few rows: late tasks only)."""
    if not tl.current_rule().rolls:
        return []
    ensure_ordinals(first, last)
    q = connection.ops.quote_name
    table, ordinals = q(MonthCount._meta.db_table), q(WorkdayOrdinal._meta.db_table)
    where, params = _count_rows_where(
        [f"c.outcome = {pc.LATE}", "c.n <> 0", "c.day >= %s", "c.day <= %s"],
        [first, last],
        filters,
        with_secret=with_secret,
    )
    # From the days off of the range (a deadline on a working day does not roll): a few index probes of the count
    # rows by day instead of every late row of the n periods.
    sql = (
        f"SELECT c.day, SUM(c.n) FROM {ordinals} od JOIN {table} c ON c.day = od.day "
        f"WHERE {' AND '.join(where)} AND od.day >= %s AND od.day <= %s AND od.next_working > od.day "
        "AND c.done <= od.next_working GROUP BY c.day"
    )
    params += [first, last]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return [(d if isinstance(d, date) else date.fromisoformat(d), int(k)) for d, k in cur.fetchall()]


def _trend_from_counts(
    points: list[TrendPoint], first: date, last: date, ref: date, filters: Filters, *, with_secret: bool
) -> None:
    """The trend's figures from `TrendCount` (a few thousand rows instead of every task of the n periods): the
    same definitions as `_within_due` (see `_precounted` for when they agree)."""
    qs = TrendCount.objects.filter(day__gte=first, day__lte=last, outcome__lt=pc.NO_DEADLINE).exclude(n=0)
    if not with_secret:
        qs = qs.filter(secret=False)
    if filters.authority:
        qs = qs.filter(authority=filters.authority)
    if filters.kind:
        if filters.kind not in (tl.KIND_A, tl.KIND_B):  # c and d have no deadline: never due
            return
        qs = qs.filter(submit=filters.kind == tl.KIND_A)
    # the counted tables' statements: small aggregates, no transaction or settings needed (`counting`)
    rows = list(qs.values_list("day", "outcome", "extended").annotate(k=Sum("n")).order_by())
    rolled_on_time = _late_but_rolled_on_time(first, last, filters, with_secret=with_secret)
    for day, k in rolled_on_time:  # counted late by the written deadline, on time by the effective one
        for point in points:
            if point.period.start <= day <= point.period.end:
                point.counts.late -= k
                point.counts.on_time += k
                break
    for day, outcome, extended, k in rows:
        for point in points:
            if point.period.start <= day <= point.period.end:
                c = point.counts
                c.due += k
                if outcome == pc.ON_TIME:
                    c.on_time += k
                elif outcome == pc.LATE:
                    c.late += k
                elif outcome == pc.OPEN:
                    if day >= ref:
                        c.in_deadline += k
                    else:
                        c.overdue += k
                if extended:
                    c.extended += k
                break
