"""The urging ladder (*thang đôn đốc*, DOMAIN.md §7), pure: task facts + calendar + rules + time → due steps.

No database and no Django settings: the engine feeds it facts it read and acts on what it returns, and the tests
walk it day by day over whole calendars.

The rules, in domain words:

1. A deadline's reminders count in working days from its *base day*: the deadline itself, or — when the deadline
   falls on a day off — the next working day (Civil Code 2015, Art. 148: the period then ends at the end of the
   next working day). So every step falls on a working day and nothing is ever sent on a day off.
2. A rule with offset -5 fires 5 working days before the base day, 0 on it, +1 the first working day after it;
   a rule with `repeat` n fires again every n working days after its first step, while the deadline is unmet.
3. Every step is due at 08:00 (Asia/Ho_Chi_Minh) of its day.
4. Completion (*thời hạn hoàn thành*) steps stop when the task leaves the states in which the lead unit owes work
   (assigned, in progress): a submitted result pauses them, a returned one resumes them.
5. A report obligation (*thời hạn báo cáo*) has one occurrence per cycle (`dondoc.tracking.reporting`): the
   one-off date, or each month's "trước ngày 25" of a recurring one. Each occurrence has its own ladder, which stops
   the day it is met (`TaskFacts.report_met`: a progress report marked as that cycle's report, or a document the
   product issued for it — see `dondoc.followup.occurrences`). A one-off report deadline is also met by any
   progress report or result dated on or after the day of assignment. A monthly occurrence's overdue steps stop when the next
   occurrence's deadline arrives (that one's ladder takes over).
6. A coordinating unit's input deadline (*hạn gửi ý kiến phối hợp*) is met by its first contribution.
7. A task with no completion deadline gets a progress request (*đề nghị báo cáo tiến độ*) on the first working
   day of every month after the month it was assigned (plus the rule's offset in working days).
8. Steps on or before the day of assignment are never sent.
9. The ladder climbs (DOMAIN.md §7, issue 14): before the deadline only the officer doing the task is reminded (the
   officer the head named, else the unit's tracking contact, else its officers); on the day and after it the unit
   head too; then the City Office; then the leader in charge. A progress request of a task with no deadline goes to
   the officer alone (it is a request, not an urging).
10. Nothing is written outside *sending time* — a working day from 08:00 on: steps missed while the engine was down
    are summed up at the first sending time after it comes back (resumed on a Sunday or in Tết: the next working
    day's 08:00), never on a day off.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dondoc.tracking.reporting import add_months, monthly_deadline, report_cycles
from dondoc.workdays.arith import WorkCalendar

__all__ = ["monthly_deadline"]  # re-exported: the ladder's tests and callers name it here

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SEND_AT = time(8, 0)

# Deadline kinds a rule applies to.
COMPLETION = "completion"
REPORT = "report"
INPUT = "input"
NO_DEADLINE = "no_deadline"
KINDS = (COMPLETION, REPORT, INPUT, NO_DEADLINE)

# Who receives a step.
OFFICER = (
    "officer"  # the officer doing the task (named by the head, else the unit's tracking contact or officers)
)
UNIT = "unit"  # OFFICER and the unit head; for inputs, the coordinating unit's

OFFICE = "office"  # the City Office's tracking officers (chuyên viên theo dõi, VP UBND)
LEADER = "leader"  # the city leader in charge (lãnh đạo phụ trách)
AUDIENCES = (OFFICER, UNIT, OFFICE, LEADER)

# States in which the lead unit owes work, so reminders run.
FOLLOWED_STATES = frozenset({"assigned", "in_progress"})


@dataclass(frozen=True)
class RuleSpec:
    """One rung of the ladder: `offset` working days from the base day, repeating every `repeat` (0 = once)."""

    code: str
    kind: str
    offset: int
    audience: str = OFFICER
    repeat: int = 0
    name: str = ""


def _ladder(kind: str, label: str, leader: bool = True) -> list[RuleSpec]:
    rules = [
        RuleSpec(f"{kind}_before_5", kind, -5, OFFICER, 0, f"Nhắc trước 5 ngày làm việc ({label})"),
        RuleSpec(f"{kind}_before_1", kind, -1, OFFICER, 0, f"Nhắc trước 1 ngày làm việc ({label})"),
        RuleSpec(f"{kind}_on_day", kind, 0, UNIT, 0, f"Cảnh báo đến hạn ({label})"),
        RuleSpec(
            f"{kind}_overdue", kind, 1, UNIT, 5, f"Đôn đốc quá hạn, nhắc lại mỗi 5 ngày làm việc ({label})"
        ),
        RuleSpec(
            f"{kind}_escalate_office", kind, 5, OFFICE, 0, f"Báo VP UBND: quá hạn 5 ngày làm việc ({label})"
        ),
    ]
    if leader:
        rules.append(
            RuleSpec(
                f"{kind}_escalate_leader",
                kind,
                10,
                LEADER,
                0,
                f"Báo lãnh đạo phụ trách: quá hạn 10 ngày làm việc ({label})",
            )
        )
    return rules


DEFAULT_RULES: tuple[RuleSpec, ...] = (
    *_ladder(COMPLETION, "thời hạn hoàn thành"),
    *_ladder(REPORT, "thời hạn báo cáo"),
    *_ladder(INPUT, "hạn gửi ý kiến phối hợp", leader=False),
    RuleSpec(
        "no_deadline_monthly",
        NO_DEADLINE,
        0,
        OFFICER,
        0,
        "Đề nghị báo cáo tiến độ hằng tháng (không có thời hạn)",
    ),
)


@dataclass(frozen=True)
class InputFacts:
    """A coordinating unit's input deadline and the date of its first contribution (None: not given yet)."""

    unit_id: int
    due: date
    given_on: date | None = None


@dataclass(frozen=True)
class TaskFacts:
    """What the ladder needs to know about a task, as of now."""

    state: str
    assigned_on: date | None
    due_date: date | None = None
    report_due: date | None = None
    report_day_of_month: int | None = None
    report_dates: tuple[date, ...] = ()  # progress reports and results, any order
    report_met: tuple[tuple[date, date], ...] = ()  # (cycle's deadline, day it was met), see rule 5
    inputs: tuple[InputFacts, ...] = ()


@dataclass(frozen=True, order=True)
class Step:
    """One reminder to send: the rule, its day (a working day), the deadline it is about, who gets it."""

    day: date
    rule: str
    kind: str
    audience: str
    deadline: date | None
    working_days_late: int  # negative before the deadline, 0 on it
    unit_id: int | None = None  # the coordinating unit, for input steps

    @property
    def at(self) -> datetime:
        return at_day(self.day)


def at_day(day: date) -> datetime:
    """The moment a step of `day` is due: 08:00 Hanoi time."""
    return datetime.combine(day, SEND_AT, tzinfo=TZ)


def sending_from(now: datetime, cal: WorkCalendar) -> datetime:
    """The first sending time at or after `now` (rule 10): `now` itself on a working day from 08:00, else the
    next working day's 08:00. The engine writes nothing before it."""
    local = now.astimezone(TZ)
    day = local.date()
    if cal.is_working_day(day) and local.time() >= SEND_AT:
        return local
    if cal.is_working_day(day) and local.time() < SEND_AT:
        return at_day(day)
    return at_day(_index(cal).next(day + timedelta(days=1)))


class _Index:
    """Working days of a span of years numbered in order, so that "n working days after" and "how many working
    days between" are lookups instead of day-by-day walks (a task overdue for years would otherwise cost
    thousands of steps per question). Built from the calendar's own `is_working_day`, so they always agree."""

    MARGIN = 2  # years built around the day asked for

    def __init__(self, cal: WorkCalendar) -> None:
        self.cal = cal
        # (first year, last year, the working days, their positions), replaced whole: the threads of a server
        # share the calendar's index, and one reading while another widens it must never see the new span with
        # the old positions — a day "missing" from them was walked to the end of time (OverflowError: the
        # assigns that answered 500 right after gunicorn started, issue 19).
        self.span: tuple[int, int, list[date], dict[date, int]] = (0, 0, [], {})

    def _covering(self, *asked: date) -> tuple[list[date], dict[date, int]]:
        """The working days and their positions over a span that holds every day `asked` (widened if need be)."""
        first, last, days, pos = self.span
        if days and all(first < day.year < last for day in asked):
            return days, pos
        lo = min(min(day.year for day in asked), first or 9999) - self.MARGIN
        hi = max(max(day.year for day in asked), last) + self.MARGIN
        d, end = date(lo, 1, 1), date(hi, 12, 31)
        days = []
        while d <= end:
            if self.cal.is_working_day(d):
                days.append(d)
            d += timedelta(days=1)
        pos = {d: i for i, d in enumerate(days)}
        self.span = (lo, hi, days, pos)
        return days, pos

    def next(self, day: date) -> date:
        """The first working day on or after `day`."""
        _days, pos = self._covering(day)
        while day not in pos:
            day += timedelta(days=1)
        return day

    def add(self, base: date, n: int) -> date:
        """n working days after the working day `base` (before it when n < 0)."""
        days, pos = self._covering(base)
        i = pos[base] + n
        if not 0 <= i < len(days):
            days, pos = self._covering(base, base + timedelta(days=2 * n))
            i = pos[base] + n
        return days[i]

    def between(self, a: date, b: date) -> int:
        """Working days from working day `a` to working day `b` (negative when b is before a)."""
        _days, pos = self._covering(a, b)
        return pos[b] - pos[a]


def _index(cal: WorkCalendar) -> _Index:
    idx = getattr(cal, "_ladder_index", None)
    if idx is None:
        idx = _Index(cal)
        cal._ladder_index = idx  # type: ignore[attr-defined]
    return idx


def base_day(deadline: date, cal: WorkCalendar) -> date:
    """The day a deadline's ladder counts from: the deadline, or the next working day if it is a day off."""
    return _index(cal).next(deadline)


def _rule_days(rule: RuleSpec, base: date, cal: WorkCalendar, start: date, end: date) -> Iterable[date]:
    """The days in [start, end] on which `rule` fires for a deadline whose base day is `base`."""
    idx = _index(cal)
    first = idx.add(base, rule.offset)
    if rule.repeat <= 0:
        if start <= first <= end:
            yield first
        return
    k = 0
    if first < start:
        # Jump straight to the first repeat in the window.
        behind = idx.between(first, idx.next(start))
        k = max(0, -(-behind // rule.repeat))
    while True:
        day = idx.add(base, rule.offset + k * rule.repeat)
        if day > end:
            return
        if day >= start:
            yield day
        k += 1


def _deadline_steps(
    deadline: date,
    kind: str,
    rules: Sequence[RuleSpec],
    cal: WorkCalendar,
    start: date,
    end: date,
    *,
    met_on: date | None = None,
    stop_before: date | None = None,
    unit_id: int | None = None,
) -> list[Step]:
    base = base_day(deadline, cal)
    out = []
    for rule in rules:
        if rule.kind != kind:
            continue
        for day in _rule_days(rule, base, cal, start, end):
            if met_on is not None and met_on <= day:
                continue
            if stop_before is not None and day >= stop_before:
                continue
            late = _index(cal).between(base, day)
            out.append(Step(day, rule.code, kind, rule.audience, deadline, late, unit_id))
    return out


def report_occurrences(facts: TaskFacts, until: date) -> list[date]:
    """The report deadlines of a task up to `until`: the one-off date and every monthly occurrence."""
    return report_cycles(facts.report_due, facts.report_day_of_month, facts.assigned_on, until)


def occurrence_met_on(facts: TaskFacts, due: date) -> date | None:
    """The day the report occurrence of deadline `due` was met, or None (rule 5)."""
    met = [on for cycle, on in facts.report_met if cycle == due]
    if due == facts.report_due and facts.assigned_on is not None:
        met += [r for r in facts.report_dates if r >= facts.assigned_on]  # the day of assignment too
    return min(met, default=None)


def occurrence_status(due: date, met_on: date | None, ref: date, cal: WorkCalendar) -> str:
    """Where a report occurrence stands on `ref`, judged against its base day (rule 1): met on time (on or before
    it), met late, open (not met, base day not passed) or overdue (not met, base day passed)."""
    base = base_day(due, cal)
    if met_on is not None and met_on <= ref:
        return MET_ON_TIME if met_on <= base else MET_LATE
    return OVERDUE if ref > base else OPEN


MET_ON_TIME, MET_LATE, OPEN, OVERDUE = "met_on_time", "met_late", "open", "overdue"
OCCURRENCE_LABELS = {
    MET_ON_TIME: "Đã báo cáo đúng hạn",
    MET_LATE: "Đã báo cáo muộn",
    OPEN: "Chưa đến hạn",
    OVERDUE: "Quá hạn chưa báo cáo",
}


def _report_steps(
    facts: TaskFacts, rules: Sequence[RuleSpec], cal: WorkCalendar, start: date, end: date
) -> list[Step]:
    assert facts.assigned_on is not None
    # Occurrences far enough past `end` that their "before" steps may fall in the window.
    horizon = end + timedelta(days=62)
    occurrences = report_occurrences(facts, horizon)
    out: list[Step] = []
    monthly = bool(facts.report_day_of_month)
    for i, deadline in enumerate(occurrences):
        stop = None
        if monthly and i + 1 < len(occurrences):
            stop = base_day(occurrences[i + 1], cal)
            if stop <= start:
                continue  # all of this occurrence's steps are before the window
        met_on = occurrence_met_on(facts, deadline)
        out += _deadline_steps(deadline, REPORT, rules, cal, start, end, met_on=met_on, stop_before=stop)
    return out


def _progress_requests(
    facts: TaskFacts, rules: Sequence[RuleSpec], cal: WorkCalendar, start: date, end: date
) -> list[Step]:
    assert facts.assigned_on is not None
    out = []
    n = max(1, (start.year - facts.assigned_on.year) * 12 + start.month - facts.assigned_on.month - 1)
    while True:
        y, m = add_months(facts.assigned_on, n)
        first = _index(cal).next(date(y, m, 1))
        if first > end + timedelta(days=31):
            break
        for rule in rules:
            if rule.kind == NO_DEADLINE:
                day = _index(cal).add(first, rule.offset)
                if start <= day <= end:
                    out.append(Step(day, rule.code, NO_DEADLINE, rule.audience, None, 0))
        n += 1
    return out


def steps_between(
    facts: TaskFacts, cal: WorkCalendar, rules: Sequence[RuleSpec], start: date, end: date
) -> list[Step]:
    """Every step whose day is in [start, end] (after the assignment day), given the facts as they are now."""
    if facts.state not in FOLLOWED_STATES or facts.assigned_on is None:
        return []
    start = max(start, facts.assigned_on + timedelta(days=1))
    if start > end:
        return []
    out: list[Step] = []
    if facts.due_date is not None:
        out += _deadline_steps(facts.due_date, COMPLETION, rules, cal, start, end)
    elif any(r.kind == NO_DEADLINE for r in rules):
        out += _progress_requests(facts, rules, cal, start, end)
    if facts.report_due is not None or facts.report_day_of_month:
        out += _report_steps(facts, rules, cal, start, end)
    for given in facts.inputs:
        out += _deadline_steps(
            given.due, INPUT, rules, cal, start, end, met_on=given.given_on, unit_id=given.unit_id
        )
    return sorted(out)


@dataclass(frozen=True)
class Plan:
    due: list[Step]  # steps due in [since, now], oldest first
    next_at: datetime | None  # the first step after now; None when nothing more is due


LOOKAHEAD_DAYS = (45, 400)


def next_step_at(
    facts: TaskFacts, cal: WorkCalendar, rules: Sequence[RuleSpec], after: datetime, inclusive: bool = False
) -> datetime | None:
    """When the first step later than `after` (or at it, when inclusive) is due, or None."""
    local = after.astimezone(TZ)
    for days in LOOKAHEAD_DAYS:
        for step in steps_between(facts, cal, rules, local.date(), local.date() + timedelta(days=days)):
            if step.at > local or (inclusive and step.at == local):
                return step.at
    return None


def plan(
    facts: TaskFacts, cal: WorkCalendar, rules: Sequence[RuleSpec], since: datetime, now: datetime
) -> Plan:
    """The steps due between `since` (included: the task's stored next follow-up time) and `now`, and the next."""
    lo, hi = since.astimezone(TZ), now.astimezone(TZ)
    due = [s for s in steps_between(facts, cal, rules, lo.date(), hi.date()) if lo <= s.at <= hi]
    return Plan(due, next_step_at(facts, cal, rules, hi))


def situation(facts: TaskFacts, since: datetime) -> TaskFacts:
    """The facts with what cannot change a plan from `since` on left out, so that tasks in the same situation
    share one plan (the day's due tasks share a few hundred deadlines: `plan_many`).

    Both followed states remind alike (rule 4). The assignment day only keeps steps on or before it from being sent
    (rule 8); a task assigned before `since`'s day is planned as if assigned the day before — unless its report
    cycles or monthly progress requests count from the assignment (rules 5 and 7)."""
    state = "assigned" if facts.state in FOLLOWED_STATES else facts.state
    assigned = facts.assigned_on
    day_before = since.astimezone(TZ).date() - timedelta(days=1)
    counts_from_assignment = (
        facts.due_date is None or facts.report_due is not None or facts.report_day_of_month
    )
    if assigned is not None and assigned < day_before and not counts_from_assignment:
        assigned = day_before
    return replace(facts, state=state, assigned_on=assigned)


def plan_many(
    tasks: Iterable[tuple[int, TaskFacts, datetime]],
    cal: WorkCalendar,
    rules: Sequence[RuleSpec],
    now: datetime,
    shared: dict[tuple[TaskFacts, datetime], Plan] | None = None,
) -> dict[int, Plan]:
    """`plan` of each (task id, facts, since), computed once per situation (`situation`) and shared — across calls
    too when they pass the same `shared` dict (the batches of one pass: same calendar, rules and `now`)."""
    shared = {} if shared is None else shared
    out = {}
    for task_id, facts, since in tasks:
        key = (situation(facts, since), since)
        if key not in shared:
            shared[key] = plan(key[0], cal, rules, since, now)
        out[task_id] = shared[key]
    return out
