"""A deterministic generator of realistic directives and tasks, for the demo and the benchmarks.

It writes with bulk inserts (the benchmark needs 10^6 tasks in minutes), so it builds each row exactly as the
domain functions would leave it — state, dates, accountable head, original deadline, and (optionally) the
history rows of create, assign, acknowledge, submit and confirm. The timeliness spread follows the national
figures of DOMAIN.md §11: most tasks completed, a few per cent open past their deadline.
"""

from __future__ import annotations

import functools
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dondoc.core.text import fold
from dondoc.directives.models import Authority, Directive
from dondoc.directives.notation import symbol_key
from dondoc.org.models import Unit
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Coordination, DeadlineChange, Result, Task, TaskEvent
from dondoc.workdays.arith import WorkCalendar

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

TOPICS = [
    "chuyển đổi số trong cơ quan hành chính",
    "cải cách thủ tục hành chính",
    "phòng cháy, chữa cháy tại khu dân cư",
    "giải phóng mặt bằng dự án đường Vành đai 4",
    "xử lý vi phạm trật tự xây dựng",
    "bảo đảm an toàn thực phẩm dịp Tết Nguyên đán",
    "thu ngân sách nhà nước",
    "giải ngân vốn đầu tư công",
    "sắp xếp đơn vị hành chính cấp xã",
    "phòng, chống dịch bệnh",
    "cấp giấy chứng nhận quyền sử dụng đất",
    "xử lý ô nhiễm môi trường làng nghề",
    "chỉnh trang đô thị khu vực Đống Đa",
    "quản lý chợ và trung tâm thương mại",
    "bảo đảm trật tự an toàn giao thông",
    "phát triển nhà ở xã hội",
    "tuyển sinh đầu cấp năm học mới",
    "thực hành tiết kiệm, chống lãng phí",
    "tiếp công dân, giải quyết khiếu nại, tố cáo",
    "ứng phó mùa mưa bão",
]
ACTIONS = [
    ("Xây dựng kế hoạch triển khai {t} trên địa bàn Thành phố", True, False),
    ("Rà soát, đánh giá tình hình {t}; báo cáo UBND Thành phố", False, True),
    ("Tham mưu UBND Thành phố ban hành quy định về {t}", True, False),
    ("Kiểm tra, đôn đốc các đơn vị thực hiện {t}", False, False),
    ("Tổng hợp kết quả {t}, báo cáo Chủ tịch UBND Thành phố", False, True),
    ("Chủ động triển khai các giải pháp về {t}", False, False),
    ("Hoàn thiện đề án về {t}, trình UBND Thành phố", True, True),
]
DOC_TYPES = [
    ("KH", "Kế hoạch"),
    ("CT", "Chỉ thị"),
    ("TB", "Thông báo"),
    ("QĐ", "Quyết định"),
    ("", "Công văn"),
]
AUTHORITY_WEIGHTS = [
    (Authority.CITY_COMMITTEE, 50),
    (Authority.CHAIRMAN, 20),
    (Authority.GOVERNMENT, 15),
    (Authority.PARTY_COMMITTEE, 10),
    (Authority.PEOPLES_COUNCIL, 5),
]


@dataclass
class Spec:
    """What to generate. `units` lead tasks; `issuers` maps an authority to the body that issues its documents."""

    n_tasks: int
    ref: date
    units: Sequence[Unit]
    issuers: dict[str, Unit]
    calendar: WorkCalendar
    seed: int = 3031
    heads: dict[int, int] = field(default_factory=dict)  # unit id → person id of its head
    officers: dict[int, list[int]] = field(default_factory=dict)  # unit id → person ids
    actor_ids: dict[int, int] = field(default_factory=dict)  # person id → user id
    city_office_user: int | None = None
    with_history: bool = True
    batch: int = 5000
    progress: Callable[[int, int], None] | None = None
    # How a batch of new rows of one model is written; it must set their primary keys. Default: bulk_create.
    # (The benchmark passes a COPY / executemany writer: Django's insert compiler dominates at 10^6 rows.)
    insert: Callable[[list[Any]], None] | None = None


class _Days:
    """The calendar's working-day arithmetic, memoised: the generator asks the same few thousand sums again and
    again (10^6 tasks draw their dates from about a year of days and a handful of offsets)."""

    def __init__(self, cal: WorkCalendar) -> None:
        self.add_working_days = functools.cache(cal.add_working_days)
        self.next_working_day = functools.cache(cal.next_working_day)


_fold_content = functools.lru_cache(maxsize=4096)(fold)  # task contents repeat: templates × topics


def hanoi_issuers() -> dict[str, Unit]:
    """The body that issues each authority's documents, from Hanoi's registry (codes of hanoi_units.csv)."""
    codes = {
        Authority.GOVERNMENT: "CP",
        Authority.PRIME_MINISTER: "TTG",
        Authority.PARTY_COMMITTEE: "TU",
        Authority.PEOPLES_COUNCIL: "HDND",
        Authority.CITY_COMMITTEE: "H26",
        Authority.CHAIRMAN: "CTUBND",
    }
    by_code = {u.code: u for u in Unit.objects.filter(code__in=codes.values())}
    return {authority: by_code[code] for authority, code in codes.items()}


def _aware(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=TZ)


class _Numbers:
    """Document numbers run from 1 each calendar year per issuer and symbol."""

    def __init__(self) -> None:
        self.next: dict[tuple[int, str, int], int] = defaultdict(int)

    def take(self, issuer: int, symbol: str, year: int) -> int:
        self.next[(issuer, symbol, year)] += 1
        return self.next[(issuer, symbol, year)]


def generate(spec: Spec) -> tuple[int, int]:
    """Insert directives and tasks; returns (directives, tasks) created."""
    rng = random.Random(spec.seed)
    cal = _Days(spec.calendar)
    numbers = _Numbers()
    authorities = [a for a, _ in AUTHORITY_WEIGHTS]
    weights = [w for _, w in AUTHORITY_WEIGHTS]
    made_tasks = made_directives = 0
    units = list(spec.units)
    # Each lead unit meets every bucket early on, so a demo user of any unit sees them all.
    forced = [
        tl.OVERDUE,
        tl.DUE_SOON,
        tl.COMPLETED_LATE,
        tl.NO_DEADLINE,
        tl.IN_DEADLINE,
        tl.COMPLETED_ON_TIME,
    ]
    seen: dict[int, int] = defaultdict(int)

    while made_tasks < spec.n_tasks:
        directives: list[Directive] = []
        plans: list[list[dict]] = []
        planned = 0  # tasks in `plans`
        while len(directives) * 6 < spec.batch and made_tasks + planned < spec.n_tasks:
            authority = rng.choices(authorities, weights)[0]
            issuer = spec.issuers[authority]
            doc_type, type_name = rng.choice(DOC_TYPES)
            issued = cal.next_working_day(spec.ref - timedelta(days=rng.randint(0, 365)))
            issuer_abbr = issuer.abbr or issuer.code
            party = authority == Authority.PARTY_COMMITTEE and bool(doc_type)
            if party:
                symbol = f"{doc_type}/{issuer_abbr}"
            else:
                symbol = f"{doc_type}-{issuer_abbr}" if doc_type else f"{issuer_abbr}-KT"
            number = numbers.take(issuer.pk, symbol, issued.year)
            notation = f"{number}-{symbol}" if party else f"{number}/{symbol}"
            topic = rng.choice(TOPICS)
            subject = f"V/v triển khai {topic}" if not doc_type else f"{type_name} về {topic}"
            directive = Directive(
                notation=notation,
                number=number,
                symbol=symbol,
                symbol_key=symbol_key(symbol),
                year=issued.year,
                doc_type=doc_type,
                issuer=issuer,
                authority=authority,
                drafting_unit="" if doc_type else "KT",
                issued_on=issued,
                subject=subject[:500],
                signer_prefix="KT." if rng.random() < 0.7 else "TM.",  # the prefix only: max_length 10
                signer_position="Phó Chủ tịch",
                signer_name="Nguyễn Văn A",
                search=fold(f"{notation} {subject}"),
            )
            directives.append(directive)
            remaining = spec.n_tasks - made_tasks - planned
            count = min(remaining, rng.randint(1, 11))
            planned += count
            plans.append(
                [_plan_task(rng, cal, spec, issued, topic, units, seen, forced) for _ in range(count)]
            )
        _insert(spec, directives)
        if directives[0].pk is None:  # SQLite before 3.35 does not return ids
            raise RuntimeError("bulk insert did not return ids")
        tasks: list[Task] = []
        coordinators: list[list[Unit]] = []
        for directive, plan in zip(directives, plans, strict=True):
            for i, p in enumerate(plan, start=1):
                coordinators.append(p.pop("coordinators"))
                tasks.append(Task(directive=directive, clause=f"Mục {i}", **p))
        _insert(spec, tasks)
        _insert(
            spec,
            [Coordination(task=t, unit=u) for t, us in zip(tasks, coordinators, strict=True) for u in us],
        )
        if spec.with_history:
            _history(tasks, spec, rng)
        made_tasks += len(tasks)
        made_directives += len(directives)
        if spec.progress:
            spec.progress(made_tasks, spec.n_tasks)
    return made_directives, made_tasks


def _insert(spec: Spec, rows: list[Any]) -> None:
    if not rows:
        return
    if spec.insert is not None:
        spec.insert(rows)
    else:
        type(rows[0]).objects.bulk_create(rows, batch_size=spec.batch)


def _plan_task(
    rng: random.Random,
    cal: _Days,
    spec: Spec,
    issued: date,
    topic: str,
    units: list[Unit],
    seen: dict[int, int],
    forced: list[str],
) -> dict:
    lead = rng.choice(units)
    n = seen[lead.pk]
    seen[lead.pk] += 1
    target = forced[n] if n < len(forced) else None
    others = [u for u in rng.sample(units, k=min(3, len(units))) if u.pk != lead.pk][: rng.randint(0, 2)]
    template, submit, report = rng.choice(ACTIONS)
    content = template.format(t=topic)
    ref = spec.ref
    assigned = issued
    due: date | None = cal.add_working_days(issued, rng.choice([5, 10, 15, 20, 30, 45, 60, 90, 120]))
    if target == tl.NO_DEADLINE or (target is None and rng.random() < 0.12):
        due = None
    elif target == tl.OVERDUE:
        assigned = ref - timedelta(days=rng.randint(40, 120))
        due = cal.add_working_days(ref, -rng.randint(1, 25))
    elif target == tl.COMPLETED_LATE:
        assigned = ref - timedelta(days=rng.randint(60, 200))
        due = cal.add_working_days(assigned, 20)
    elif target == tl.DUE_SOON:
        assigned = ref - timedelta(days=rng.randint(10, 40))
        due = cal.add_working_days(ref, rng.randint(0, 2))
    elif target == tl.IN_DEADLINE:
        assigned = ref - timedelta(days=rng.randint(1, 20))
        due = cal.add_working_days(ref, rng.randint(10, 40))
    elif target == tl.COMPLETED_ON_TIME:
        assigned = ref - timedelta(days=rng.randint(60, 200))
        due = cal.add_working_days(assigned, 30)
    assigned = min(assigned, ref)

    state, completed_on = _outcome(rng, cal, ref, assigned, due, target)
    original = due
    changes = 0
    if due is not None and rng.random() < 0.06:
        changes = 1
        original = cal.add_working_days(due, -rng.randint(5, 20))
    return {
        "lead_unit": lead,
        "coordinators": others,
        "content": content,
        "requirements": "Bảo đảm chất lượng, đúng thời hạn; báo cáo kết quả bằng văn bản." if report else "",
        "must_submit": submit,
        "must_report": report,
        "due_date": due,
        "original_due_date": original,
        "due_text": f"trước ngày {due:%d/%m/%Y}" if due else "",
        "report_day_of_month": 25 if report and due is None else None,
        "state": state,
        "assigned_on": assigned,
        "completed_on": completed_on,
        "deadline_changes": changes,
        "progress": 100 if state == tl.COMPLETED else rng.choice([0, 10, 30, 50, 70, 90]),
        "accountable_head_id": spec.heads.get(lead.pk),
        "officer_id": rng.choice(spec.officers[lead.pk]) if spec.officers.get(lead.pk) else None,
        "version": 1,
        "search": _fold_content(content),
        "secret": rng.random() < 0.01,
    }


def _outcome(
    rng: random.Random, cal: _Days, ref: date, assigned: date, due: date | None, target: str | None
) -> tuple[str, date | None]:
    """State and completion date, drawn so that a few per cent of tasks end up open past their deadline."""
    if target is None and rng.random() < 0.01:
        return tl.CANCELLED, None
    open_state = rng.choices([tl.ASSIGNED, tl.IN_PROGRESS, tl.RESULT_SUBMITTED], [1, 8, 1])[0]
    if target in (tl.OVERDUE, tl.DUE_SOON, tl.IN_DEADLINE, tl.NO_DEADLINE):
        # A submitted result is judged by its document's date (issue 14): not in an open bucket.
        return (
            tl.IN_PROGRESS if target == tl.OVERDUE or open_state == tl.RESULT_SUBMITTED else open_state
        ), None
    if target == tl.COMPLETED_LATE and due is not None:
        return tl.COMPLETED, min(ref, due + timedelta(days=rng.randint(2, 30)))
    if target == tl.COMPLETED_ON_TIME and due is not None:
        return tl.COMPLETED, max(assigned, due - timedelta(days=rng.randint(0, 10)))
    if due is None:
        if rng.random() < 0.5:
            return tl.COMPLETED, assigned + timedelta(days=rng.randint(0, max(0, (ref - assigned).days)))
        return _open(open_state, assigned, ref)
    if due < ref:
        draw = rng.random()
        if draw < 0.025:
            return tl.IN_PROGRESS, None
        if draw < 0.16:
            return tl.COMPLETED, min(ref, due + timedelta(days=rng.randint(1, 25)))
        return tl.COMPLETED, max(assigned, due - timedelta(days=rng.randint(0, 15)))
    if rng.random() < 0.2 and assigned < ref:
        return tl.COMPLETED, assigned + timedelta(days=rng.randint(0, (ref - assigned).days))
    return _open(open_state, assigned, ref)


def _open(state: str, assigned: date, ref: date) -> tuple[str, date | None]:
    """An open state; a submitted result carries its document's date (the one `_history` gives its result)."""
    return state, (min(ref, assigned + timedelta(days=5)) if state == tl.RESULT_SUBMITTED else None)


def _history(tasks: list[Task], spec: Spec, rng: random.Random) -> None:
    events: list[TaskEvent] = []
    results: list[Result] = []
    requests: list[DeadlineChange] = []
    office = spec.city_office_user
    for t in tasks:
        assigned = t.assigned_on or spec.ref
        unit_user = spec.actor_ids.get(t.officer_id or 0) or spec.actor_ids.get(t.accountable_head_id or 0)
        events.append(TaskEvent(task=t, at=_aware(assigned, 8), actor_id=office, action="create"))
        if t.deadline_changes and office is not None:
            _extension(t, unit_user or office, office, assigned, requests, events, rng)
        if t.state == tl.CANCELLED:
            events.append(
                TaskEvent(
                    task=t, at=_aware(assigned, 10), actor_id=office, action="cancel", note="Rút nhiệm vụ"
                )
            )
            continue
        events.append(_event(t, assigned, 9, office, "assign", {"state": ["draft", "assigned"]}))
        if t.state == tl.ASSIGNED:
            continue
        events.append(TaskEvent(task=t, at=_aware(assigned, 15), actor_id=unit_user, action="acknowledge"))
        submitter = unit_user or office
        if t.state in (tl.RESULT_SUBMITTED, tl.COMPLETED) and submitter is not None:
            doc_date = t.completed_on or min(spec.ref, assigned + timedelta(days=5))
            results.append(
                Result(
                    task=t,
                    submitted_by_id=submitter,
                    submitted_at=_aware(doc_date, 16),
                    document_number=f"{rng.randint(1, 999)}/BC-{t.lead_unit.abbr or 'UBND'}",
                    document_date=doc_date,
                    summary="Đã hoàn thành nhiệm vụ theo yêu cầu.",
                )
            )
            events.append(TaskEvent(task=t, at=_aware(doc_date, 16), actor_id=unit_user, action="submit"))
        if t.state == tl.COMPLETED:
            events.append(
                TaskEvent(
                    task=t,
                    at=_aware(min(spec.ref, (t.completed_on or spec.ref) + timedelta(days=2)), 10),
                    actor_id=office,
                    action="confirm",
                    changes={"completed_on": [None, f"{t.completed_on:%d/%m/%Y}"]},
                )
            )
    Result.objects.bulk_create(results, batch_size=spec.batch)
    DeadlineChange.objects.bulk_create(requests, batch_size=spec.batch)
    TaskEvent.objects.bulk_create(events, batch_size=spec.batch)


def _extension(
    t: Task,
    requester: int,
    office: int,
    assigned: date,
    requests: list[DeadlineChange],
    events: list[TaskEvent],
    rng: random.Random,
) -> None:
    """The one approved extension a task with `deadline_changes == 1` went through, as the request row and the two
    timeline events `actions.request_change` and `actions.decide_change` write: asked a few days before the
    original deadline, decided two days later, the new deadline the task carries now."""
    old, new = t.original_due_date, t.due_date
    asked = max(assigned, (old or assigned) - timedelta(days=rng.randint(3, 10)))
    decided = asked + timedelta(days=2)
    document = f"{rng.randint(100, 9999)}/UBND-KT ngày {decided:%d/%m/%Y}"
    requests.append(
        DeadlineChange(
            task=t,
            kind=DeadlineChange.Kind.EXTEND,
            requested_by_id=requester,
            requested_at=_aware(asked, 10),
            reason="Nhiệm vụ cần thêm thời gian phối hợp với các đơn vị liên quan.",
            old_due_date=old,
            proposed_due_date=new,
            status=DeadlineChange.Status.APPROVED,
            decided_by_id=office,
            decided_at=_aware(decided, 15),
            decided_on=decided,
            approved_due_date=new,
            decision_document=document,
        )
    )
    shown = [f"{old:%d/%m/%Y}" if old else None, f"{new:%d/%m/%Y}" if new else None]
    reason = requests[-1].reason
    events.append(_event(t, asked, 10, requester, "request_change", {"proposed_due_date": shown}, reason))
    decision = {"request": ["pending", "approved"], "due_date": shown}
    events.append(_event(t, decided, 15, office, "decide_change", decision, document))


def _event(
    t: Task, day: date, hour: int, actor: int | None, action: str, changes: dict | None = None, note: str = ""
) -> TaskEvent:
    return TaskEvent(
        task=t, at=_aware(day, hour), actor_id=actor, action=action, changes=changes or {}, note=note
    )
