"""Counts of the evaluation (*thống kê, đánh giá*, DOMAIN.md §5, §8): ONE definition serves the dashboard, the
exports and the monthly report, so the same question always gets the same number.

Which tasks belong to a period [start, end], seen on a reference date `ref`
------------------------------------------------------------------------------
- Only tracked tasks count: drafts and cancelled/withdrawn tasks never do.
- The deadline that counts is the task's **current** deadline (`Task.due_date`), i.e. after every approved
  extension; a pending request changes nothing (DOMAIN.md §5).
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
Rows are per *reporting unit*: a task counts under its lead unit if that unit still existed at the period's end;
a unit that had ended by then (valid_to ≤ end) hands its tasks to its successor, following the chain. So a past
period shows the units that existed then (a district's tasks under the district for 2024), a current period shows
today's units (the same tasks under the ward that took over). Re-homed open tasks (actions.rehome_unit_tasks)
are already led by the successor and count there.

Visibility
----------
Counts are over `Task.objects.visible_to(user)`: secret tasks only for people cleared for them, units only their
own tasks. `user=None` counts every task — for system jobs (the monthly report's background draft) only.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import quote_plus

from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.urls import reverse

from dondoc.core.dates import today
from dondoc.directives.models import Authority
from dondoc.evaluation import periods as pr
from dondoc.evaluation.workdays import WorkdayOrdinal, ensure_ordinals, ordinal
from dondoc.org.models import Unit
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task, TaskQuerySet

# --- Measures: the names are the values of the task list's `ket_qua` parameter.
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
    def on_time_rate(self) -> float | None:
        """on time / due, in percent; None when nothing is due."""
        return round(100 * self.on_time / self.due, 1) if self.due else None

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
        return {
            DUE: self.due,
            ON_TIME: self.on_time,
            LATE: self.late,
            COMPLETED: self.completed,
            IN_DEADLINE: self.in_deadline,
            OVERDUE: self.overdue,
            NO_DEADLINE: self.no_deadline,
            EXTENDED: self.extended,
        }[measure]

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def empty(self) -> bool:
        return not any(getattr(self, n) for n in self.__dataclass_fields__)


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


def due_in(period: pr.Period) -> Q:
    """Tracked tasks whose current deadline is in the period: a range on due_date, so the indexes serve."""
    return Q(due_date__gte=period.start, due_date__lte=period.end, state__in=TRACKED_STATES)


def _completed_by(ref: date) -> Q:
    return Q(state=tl.COMPLETED, completed_on__lte=ref)


def _open_on(ref: date) -> Q:
    return Q(state__in=tl.OPEN_STATES) | Q(state=tl.COMPLETED, completed_on__gt=ref)


def measure_q(measure: str, period: pr.Period, ref: date) -> Q:
    """The WHERE clause of one measure: the counts and the task list use exactly this."""
    if measure == NO_DEADLINE:
        return Q(due_date__isnull=True, assigned_on__lte=period.end, state__in=TRACKED_STATES) & _open_on(ref)
    return due_in(period) & _within_due(measure, ref)


def _within_due(measure: str, ref: date) -> Q:
    """The condition of a measure among the tasks due in the period."""
    return {
        DUE: Q(),
        ON_TIME: _completed_by(ref) & Q(completed_on__lte=F("due_date")),
        LATE: _completed_by(ref) & Q(completed_on__gt=F("due_date")),
        COMPLETED: _completed_by(ref),
        IN_DEADLINE: _open_on(ref) & Q(due_date__gte=ref),
        OVERDUE: _open_on(ref) & Q(due_date__lt=ref),
        EXTENDED: Q(deadline_changes__gt=0),
    }[measure]


def filters_q(filters: Filters) -> Q:
    """Authority (of the directive that assigned the task) and kind (dispatch 3031 §5)."""
    q = Q()
    if filters.authority:
        q &= Q(directive__authority=filters.authority)
    if filters.kind:
        q &= tl.kind_filter(filters.kind)
    return q


def reporting_units(period: pr.Period) -> dict[int, int]:
    """Lead unit id → the id of the unit it reports under in `period` (itself unless it ended by the period's end;
    then its successor, following the chain). Only units that differ from themselves are listed."""
    units = {u["id"]: u for u in Unit.objects.values("id", "valid_to", "successor_id")}
    out: dict[int, int] = {}
    for uid in units:
        seen = {uid}
        cur = units[uid]
        while cur["valid_to"] is not None and cur["valid_to"] <= period.end and cur["successor_id"] in units:
            nxt = cur["successor_id"]
            if nxt in seen:
                break
            seen.add(nxt)
            cur = units[nxt]
        if cur["id"] != uid:
            out[uid] = cur["id"]
    return out


def unit_q(unit_id: int, period: pr.Period) -> Q:
    """Tasks counted under reporting unit `unit_id` in `period` (its own and those of the units it took over)."""
    mapping = reporting_units(period)
    ids = [uid for uid, target in mapping.items() if target == unit_id]
    if unit_id not in mapping:
        ids.append(unit_id)
    return Q(lead_unit_id__in=sorted(ids))


def base_queryset(user: Any) -> TaskQuerySet:
    """The tasks the counts run over: visible_to(user), or every task for user=None (system jobs only)."""
    if user is None:
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
    qs = base_queryset(user).filter(measure_q(measure, period, ref) & filters_q(filters or Filters()))
    if unit_id is not None:
        qs = qs.filter(unit_q(unit_id, period))
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
    ?ket_qua=<measure>&ky_tu=dd/mm/yyyy&ky_den=dd/mm/yyyy&ngay=<ref dd/mm/yyyy>[&don_vi_ky=<unit id>]
    [&authority=<Authority value>][&kind=a..d]."""
    url = f"{_list_path()}?ket_qua={measure}&ky_tu={period.start:%d/%m/%Y}&ky_den={period.end:%d/%m/%Y}"
    url += f"&ngay={ref:%d/%m/%Y}"
    if unit_id is not None:
        url += f"&don_vi_ky={int(unit_id)}"
    f = filters or Filters()
    if f.authority:
        url += f"&authority={quote_plus(f.authority)}"
    if f.kind:
        url += f"&kind={quote_plus(f.kind)}"
    return url


@functools.lru_cache(maxsize=1)
def _list_path() -> str:
    """The task list's path, resolved once (the dashboard builds about a thousand links)."""
    return reverse("tracking:task_list")


# ------------------------------------------------------------------------------------------------- counting


def _aggregates(period: pr.Period, ref: date) -> dict[str, Any]:
    """Conditional aggregates for the tasks due in the period (the rows the WHERE clause `due_in` selects)."""
    ref_ordinal = ordinal(ref)
    late = _within_due(LATE, ref)
    overdue = _within_due(OVERDUE, ref)
    day_of = WorkdayOrdinal.objects.filter(day=OuterRef("completed_on")).values("ordinal")[:1]
    due_day = WorkdayOrdinal.objects.filter(day=OuterRef("due_date")).values("ordinal")[:1]
    aggregates: dict[str, Any] = {
        "due": Count("*"),
        **{
            m: Count("due_date", filter=_within_due(m, ref))
            for m in (ON_TIME, LATE, IN_DEADLINE, OVERDUE, EXTENDED)
        },
        "late_days": Sum(
            Subquery(day_of, output_field=IntegerField()) - Subquery(due_day, output_field=IntegerField()),
            filter=late,
        ),
        "overdue_days": Sum(ref_ordinal - Subquery(due_day, output_field=IntegerField()), filter=overdue),
    }
    return aggregates


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
def _no_jit() -> Iterator[None]:
    """PostgreSQL: no JIT compilation for these statements (SET LOCAL, inside the caller's transaction). The
    working-day subqueries inflate the planner's cost past jit_above_cost, and compiling then costs ~40 ms for a
    statement that runs in a few."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET LOCAL jit = off")
    yield


_GROUP_FIELD = {BY_UNIT: "lead_unit_id", BY_AUTHORITY: "directive__authority", BY_KIND: "task_kind"}


def count(
    period: pr.Period,
    user: Any,
    *,
    by: str = CITY,
    ref: date | None = None,
    filters: Filters | None = None,
    unit_id: int | None = None,
    no_deadline: bool = True,
) -> dict[Any, Counts]:
    """THE count function: the figures of `period` on `ref` (default today), grouped `by` CITY (key None),
    BY_UNIT (key: reporting unit id, see `reporting_units`), BY_AUTHORITY (Authority value) or BY_KIND ("a".."d").

    Two grouped statements with conditional aggregates, none loading task rows: one over the tasks due in the
    period (a range on due_date, served by the covering index), one over the open tasks with no deadline
    (skipped with no_deadline=False, as the trend does).
    """
    ref = ref or today()
    filters = filters or Filters()
    ensure_ordinals(min(period.start, ref), max(period.end, ref))
    qs = base_queryset(user).filter(filters_q(filters))
    if unit_id is not None:
        qs = qs.filter(unit_q(unit_id, period))
    out: dict[Any, Counts] = {}
    statements = [(qs.filter(due_in(period)), _aggregates(period, ref))]
    if no_deadline:
        statements.append((qs.filter(measure_q(NO_DEADLINE, period, ref)), {NO_DEADLINE: Count("*")}))
    with transaction.atomic(), _no_jit():
        for sub, aggregates in statements:
            sub = sub.order_by()
            if by == CITY:
                rows: Iterable[dict[str, Any]] = [{"key": None, **sub.aggregate(**aggregates)}]
            else:
                if by == BY_KIND:
                    sub = sub.annotate(task_kind=tl.kind_expression())
                rows = list(sub.values(key=F(_GROUP_FIELD[by])).annotate(**aggregates).order_by())
            for row in rows:
                out.setdefault(row["key"], Counts()).add(_to_counts(row))
    if by == BY_UNIT:
        mapping = reporting_units(period)
        merged: dict[Any, Counts] = {}
        for key, counts in out.items():
            merged.setdefault(mapping.get(key, key), Counts()).add(counts)
        out = merged
    if by == CITY and None not in out:
        out[None] = Counts()
    return out


def rank(rows: Sequence[UnitRow]) -> list[UnitRow]:
    """Units by on-time rate (highest first); ties: fewer open overdue, then more tasks due, then name.
    Units with nothing due in the period come last, unranked."""
    ranked = sorted(
        (r for r in rows if r.counts.due),
        key=lambda r: (-(r.counts.on_time_rate or 0), r.counts.overdue, -r.counts.due, r.unit.name),
    )
    previous_key: tuple[float, int] | None = None
    for i, row in enumerate(ranked, start=1):
        key = (row.counts.on_time_rate or 0.0, row.counts.overdue)
        row.rank = ranked[i - 2].rank if key == previous_key else i
        previous_key = key
    rest = sorted((r for r in rows if not r.counts.due), key=lambda r: (-r.counts.no_deadline, r.unit.name))
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
) -> Evaluation:
    """The city's figures and the breakdowns by unit (ranked), by authority and by kind, for `period` on `ref`.
    The dashboard, the exports and the monthly report all call this."""
    ref = ref or today()
    filters = filters or Filters()
    result = Evaluation(period=period, ref=ref, filters=filters, city=Counts())
    if BY_UNIT in breakdowns:
        per_unit = count(period, user, by=BY_UNIT, ref=ref, filters=filters)
        units = Unit.objects.in_bulk(list(per_unit))
        rows = [UnitRow(units[k], c) for k, c in per_unit.items() if k in units and not c.empty]
        result.by_unit = rank(rows)
        for c in per_unit.values():  # every task has exactly one lead unit: the city is their sum
            result.city.add(c)
    elif CITY in breakdowns:
        result.city = count(period, user, ref=ref, filters=filters)[None]
    if BY_AUTHORITY in breakdowns:
        per = count(period, user, by=BY_AUTHORITY, ref=ref, filters=filters)
        result.by_authority = [
            GroupRow(k, label, per.get(k, Counts())) for k, label in AUTHORITY_LABELS.items()
        ]
    if BY_KIND in breakdowns:
        per = count(period, user, by=BY_KIND, ref=ref, filters=filters)
        result.by_kind = [GroupRow(k, label, per.get(k, Counts())) for k, label in KIND_LABELS.items()]
    return result


def trend(
    period: pr.Period,
    user: Any,
    *,
    n: int = 12,
    ref: date | None = None,
    filters: Filters | None = None,
    unit_id: int | None = None,
) -> list[TrendPoint]:
    """The figures of the `n` periods ending with `period` (oldest first), each on the same `ref`: due, on time,
    late, within deadline, overdue and extended (the definitions of `count`, the same Q objects), in ONE statement
    over the range of the n periods; no working-day sums and no no-deadline count (not per-period figures)."""
    ref = ref or today()
    filters = filters or Filters()
    spans = pr.previous(period, n)
    qs = base_queryset(user).filter(filters_q(filters))
    if unit_id is not None:
        qs = qs.filter(unit_q(unit_id, period))
    first, last = spans[0].start, spans[-1].end
    qs = qs.filter(Q(due_date__gte=first, due_date__lte=last, state__in=TRACKED_STATES)).order_by()
    # Which of the n periods a row's deadline falls in: one CASE, then one group per period.
    index = Case(
        *(When(due_date__gte=p.start, due_date__lte=p.end, then=Value(i)) for i, p in enumerate(spans)),
        default=Value(-1),
        output_field=IntegerField(),
    )
    aggregates: dict[str, Any] = {"due": Count("*")}
    for m in (ON_TIME, LATE, IN_DEADLINE, OVERDUE, EXTENDED):
        aggregates[m] = Count("due_date", filter=_within_due(m, ref))
    with transaction.atomic(), _no_jit():
        rows = {r["key"]: _to_counts(r) for r in qs.values(key=index).annotate(**aggregates).order_by()}
    return [TrendPoint(p, rows.get(i, Counts())) for i, p in enumerate(spans)]
