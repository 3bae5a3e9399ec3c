"""Urging letters (*công văn đôn đốc*, DOMAIN.md §7): the City Office writes to a unit listing its late tasks.

1. `urging_lines(unit, user, ref)` lists the unit's open tasks as lead unit that are overdue, then those due
   soon, through `Task.objects.visible_to` and the timeliness buckets (one definition, `tracking.timeliness`).
2. `build_letter` turns the lines into an `OfficialDocument` in the layout of Decree 30/2020.
3. `issue_letter` numbers it in the issuer's register for the year, fixes its content, queues the drawing of its
   DOCX and PDF for the worker (`register.draw_files`) and records one urging event on each listed task's
   timeline, all in one transaction; `issue_all` does it for every unit that has overdue tasks.

Secret tasks are left out: an urging letter is an ordinary document and would carry their content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from dondoc.core.dates import today
from dondoc.documents import register, wording
from dondoc.documents.layout import OfficialDocument, Paragraph, Table
from dondoc.documents.models import OutgoingDocument
from dondoc.evaluation.exports import WorkingDayCounter
from dondoc.org import roles
from dondoc.org.access import has_role, person_of
from dondoc.org.models import Unit
from dondoc.tracking import actions, counted
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task
from dondoc.tracking.timeliness import soon_limit
from dondoc.workdays import calendar

TABLE_HEADER = [
    "STT",
    "Văn bản giao nhiệm vụ",
    "Nội dung nhiệm vụ",
    "Thời hạn hoàn thành",
    "Số ngày làm việc quá hạn",
    "Tình trạng",
]
TABLE_WIDTHS_MM = [11.0, 31.0, 58.0, 21.0, 17.0, 22.0]
TABLE_ALIGN: list[Any] = ["center", "left", "left", "center", "center", "left"]


class NothingToUrge(ValidationError):
    """The unit has no overdue task: there is nothing to urge, and an empty letter must not be issued."""


@dataclass(frozen=True)
class UrgingLine:
    """One row of the letter's table."""

    task: Task
    directive: str  # "15/CT-UBND ngày 02/02/2026"
    content: str
    due_date: date
    working_days_late: int  # 0 for a task due soon
    overdue: bool
    state: str  # "Quá hạn chưa hoàn thành (Đang thực hiện)", "Sắp đến hạn (Đã giao)"

    def row(self, number: int) -> list[str]:
        return [
            str(number),
            self.directive,
            self.content,
            self.due_date.strftime("%d/%m/%Y"),
            str(self.working_days_late) if self.overdue else "—",
            self.state,
        ]


def may_issue(user: Any) -> bool:
    """Only the City Office's tracking officers (and administrators) issue urging letters (dispatch 3031 §4)."""
    return has_role(user, roles.CITY_OFFICE)


def issuer_unit() -> Unit:
    """The unit that signs urging letters: URGING_ISSUER_CODE, by default the City Office (VPUBND)."""
    return register.issuer("URGING_ISSUER_CODE", "công văn đôn đốc")


def _base_tasks(user: Any) -> Any:
    return Task.objects.visible_to(user).filter(secret=False).open()


def urging_lines(unit: Unit, user: Any, ref: date | None = None, *, lock: bool = False) -> list[UrgingLine]:
    """The unit's open tasks as lead unit that are overdue (most overdue first) then due soon (nearest first).

    Overdue and due soon are the timeliness buckets on `ref` (DOMAIN.md §5); working days late are counted with
    the working calendar: the working days after the effective deadline (`tl.effective_deadline`: a deadline on a
    day off counts until the next working day) up to and including `ref`. A result awaiting confirmation is
    judged by its document's date: never overdue here. (`DeadlineRule.days_late`'s count.)

    `lock`: the tasks are locked (SELECT ... FOR UPDATE, in id order as every writer of several tasks locks them)
    by the statement that reads them, until the transaction ends — the letter's issue urges exactly the tasks it
    read, and a task closed meanwhile by another request is not among them (PostgreSQL reads the row again after
    waiting for it and leaves it out when it no longer matches).
    """
    ref = ref or today()
    limit = soon_limit(ref)
    rule = tl.current_rule()
    tasks = (
        _base_tasks(user)
        .filter(lead_unit=unit)
        .filter(overdue_or_due_soon(ref, limit, rule))
        # The directive's notation and date alone, not the whole directive (its full text) a line at a time.
        .annotate(directive_notation=F("directive__notation"), directive_issued_on=F("directive__issued_on"))
    )
    if lock:
        tasks = tasks.select_for_update(of=("self",)).order_by("id")
    else:
        # A preview shows the lines alone: the fields they are made of, not the whole task (~30 fields and five
        # foreign keys set per row: a third of the preview's CPU for ~200 lines at 10^6, issue 19). A letter's
        # tasks (`lock`) are whole: their history rows and the webhooks' payloads are written from them.
        tasks = tasks.only("id", "state", "due_date", "completed_on", "content")
    found = (
        sorted(tasks, key=lambda task: (task.due_date, task.pk)) if lock else tasks.order_by("due_date", "id")
    )
    # Working days late counted in O(1) after one pass over the days from the oldest deadline (a task years late
    # was a walk of hundreds of days: half of the issue's CPU at 10^6 tasks, issue 19).
    days = WorkingDayCounter(calendar.current())
    states = {value: str(label) for value, label in Task._meta.get_field("state").flatchoices}  # once a state
    labels = {bucket: tl.BUCKET_LABELS[bucket] for bucket in (tl.OVERDUE, tl.DUE_SOON)}
    lines = []
    for task in found:
        assert task.due_date is not None  # both buckets have a deadline
        overdue = tl.bucket(task.state, task.due_date, task.completed_on, ref, limit, rule) == tl.OVERDUE
        effective = rule.effective(task.due_date)
        assert effective is not None
        label = labels[tl.OVERDUE if overdue else tl.DUE_SOON]
        lines.append(
            UrgingLine(
                task=task,
                directive=f"{task.directive_notation} ngày {task.directive_issued_on:%d/%m/%Y}",
                content=task.content,
                due_date=task.due_date,
                working_days_late=max(days.between(effective, ref), 0) if overdue else 0,
                overdue=overdue,
                state=f"{label} ({states.get(task.state, task.state)})",
            )
        )
    return lines


def overdue_or_due_soon(ref: date, limit: date, rule: tl.DeadlineRule) -> Q:
    """The open tasks overdue or due soon on `ref` — `bucket_filter(OVERDUE) | bucket_filter(DUE_SOON)` — as one
    range of deadlines: overdue before `overdue_before`, due soon from there to `soon_until`, so the deadline is
    below the later of the two. Written so, the unit's open tasks are read off the index on (unit, state,
    deadline) up to it; the two buckets' OR made PostgreSQL fetch every open task of the unit (1,389 rows for a
    letter of 214 at 10^6 tasks, issue 19)."""
    before, until = rule.overdue_before(ref), rule.soon_until(limit)
    return Q(state__in=tl.OPEN_STATES) & tl.open_q() & Q(due_date__lt=max(before, until + timedelta(days=1)))


def _counted_rows(user: Any) -> Any:
    """The counted rows (`tracking.counted`) of the tasks `user` sees, when they answer the urging page's counts:
    for a reader who sees every unit (the City Office) — they sum a few thousand rows where the tasks are 10^6
    (0.4 s a count at 10^6, issue 19); None for anyone else (counted from the tasks)."""
    person = person_of(user)
    if person is None or not person.sees_everything:
        return None
    return counted.rows_for(user)


def _overdue_by_unit(
    user: Any, secret: bool, ref: date, soon: bool = False, unit: Unit | None = None
) -> dict[int, tuple[int, int]]:
    """{unit id: (overdue, due soon)} of the open tasks `user` sees whose secrecy is `secret`, for the units with
    overdue tasks on `ref` (due soon counted only when `soon`; only `unit` when given): the counted rows' sums when
    they answer, else a count of the tasks — the same numbers, as `timeliness.bucket_filter` selects a bucket's
    rows as its tasks."""
    limit = soon_limit(ref)
    overdue_q = tl.bucket_filter(tl.OVERDUE, ref, limit)
    soon_q = tl.bucket_filter(tl.DUE_SOON, ref, limit)
    rows = _counted_rows(user)
    grouped: Any = rows if rows is not None else Task.objects.visible_to(user).open()
    grouped = grouped.filter(secret=secret).filter(overdue_q | soon_q if soon else overdue_q)
    if unit is not None:
        grouped = grouped.filter(lead_unit_id=unit.pk)
    grouped = grouped.values("lead_unit_id").annotate(overdue=_total(rows is not None, overdue_q))
    if soon:
        grouped = grouped.annotate(soon=_total(rows is not None, soon_q))
    return {
        row["lead_unit_id"]: (row["overdue"], row.get("soon", 0)) for row in grouped.filter(overdue__gt=0)
    }


def _total(counted_rows: bool, bucket: Q) -> Any:
    """How many tasks of a group are in `bucket`: the sum of the counted rows' numbers, or the count of tasks."""
    return Coalesce(Sum("n", filter=bucket), 0) if counted_rows else Count("id", filter=bucket)


def units_with_overdue(user: Any, ref: date | None = None) -> list[Unit]:
    """Units leading at least one (non-secret, visible) overdue task on `ref`, by name."""
    counts = _overdue_by_unit(user, False, ref or today())
    return list(Unit.objects.filter(pk__in=counts).order_by("name"))


def overview(
    user: Any, ref: date | None = None, units: list[Unit] | None = None
) -> list[tuple[Unit, int, int]]:
    """(unit, overdue, due soon) for every unit with (non-secret, visible) overdue tasks, by unit name.

    `units`: units already read by name (the page's chooser, every unit a letter may go to): taken from there
    when they hold every unit counted, instead of being read again."""
    counts = _overdue_by_unit(user, False, ref or today(), soon=True)
    known = [unit for unit in units or () if unit.pk in counts]
    if len(known) < len(counts):  # a unit no longer in the chooser (retired) still leads overdue tasks
        known = list(Unit.objects.filter(pk__in=counts).order_by("name"))
    return [(unit, *counts[unit.pk]) for unit in known]


def secret_left_out(user: Any, ref: date | None = None, unit: Unit | None = None) -> dict[int, int]:
    """{unit id: its secret overdue tasks} — the tasks a letter leaves out (it is an ordinary document and would
    carry their content), counted so that the officer is told to urge them by the secret channel instead; for
    `unit` alone when given (the page of one letter)."""
    counts = _overdue_by_unit(user, True, ref or today(), unit=unit)
    return {pk: overdue for pk, (overdue, _soon) in counts.items()}


def secret_note(count: int, unit: Unit | None = None) -> str:
    """The officer's warning (on the page, never in the letter) about `count` secret overdue tasks left out."""
    whose = f" của {unit.name}" if unit is not None else ""
    return (
        f"{count} nhiệm vụ mật quá hạn{whose} không được đưa vào công văn đôn đốc (văn bản thường): "
        "cần đôn đốc các nhiệm vụ này qua kênh văn bản mật."
    )


def build_letter(unit: Unit, lines: list[UrgingLine], ref: date, issuer: Unit) -> OfficialDocument:
    """The urging letter to `unit` as an `OfficialDocument` (unnumbered until issued)."""
    overdue = sum(1 for line in lines if line.overdue)
    soon = len(lines) - overdue
    parent_body, issuing_body = register.header_for(issuer)
    office = issuer.name
    counts = f"{overdue} nhiệm vụ quá hạn chưa hoàn thành"
    if soon:
        counts += f" và {soon} nhiệm vụ sắp đến hạn"
    return OfficialDocument(
        parent_body=parent_body,
        issuing_body=issuing_body,
        symbol=settings.URGING_SYMBOL,
        place="Hà Nội",
        day=ref,
        subject=f"đôn đốc thực hiện nhiệm vụ quá hạn của {unit.name}",
        addressees=[unit.name],
        blocks=[
            Paragraph(
                f"Thực hiện {wording.DISPATCH_3031}, "
                f"{office} theo dõi, tổng hợp: tính đến ngày {ref:%d/%m/%Y}, {unit.name} còn {counts} "
                "được giao chủ trì, cụ thể như sau:"
            ),
            Table(
                header=TABLE_HEADER,
                rows=[line.row(i) for i, line in enumerate(lines, start=1)],
                widths_mm=TABLE_WIDTHS_MM,
                align=TABLE_ALIGN,
            ),
            Paragraph(
                f"{office} đề nghị {unit.name} khẩn trương chỉ đạo hoàn thành các nhiệm vụ quá hạn nêu trên, "
                "báo cáo kết quả về UBND Thành phố (qua Văn phòng UBND Thành phố); bảo đảm hoàn thành đúng thời hạn "
                "các nhiệm vụ sắp đến hạn. Trường hợp cần điều chỉnh thời hạn, đơn vị có văn bản đề nghị, nêu rõ "
                "lý do, gửi cấp giao nhiệm vụ xem xét, quyết định theo quy định."
            ),
            Paragraph(f"{office} thông báo để {unit.name} biết, thực hiện./."),
        ],
        signature=wording.urging_signature(issuer),
        recipients=["Như trên", "Chủ tịch UBND Thành phố (để báo cáo)", "Các Phó Chủ tịch UBND Thành phố"],
        archive=settings.URGING_SYMBOL.rsplit("-", 1)[-1],
    )


def preview(
    unit: Unit, user: Any, ref: date | None = None, *, lock: bool = False
) -> tuple[list[UrgingLine], str | None]:
    """The lines of a letter to `unit` (`lock`: their tasks locked, `urging_lines`) and, when none may be issued,
    the reason in Vietnamese."""
    lines = urging_lines(unit, user, ref, lock=lock)
    if not any(line.overdue for line in lines):
        return lines, f"{unit.name} không có nhiệm vụ quá hạn: không cần ban hành công văn đôn đốc."
    return lines, None


@transaction.atomic
def issue_letter(unit: Unit, user: Any, ref: date | None = None) -> OutgoingDocument:
    """Issue the urging letter to `unit`: number it, fix its content and queue its DOCX and PDF (drawn by the worker
    from that content), record one URGE event per listed task.

    Refused (nothing changed) when the user is not of the City Office, when the unit has no overdue task, or
    when the unit already received an urging letter today (a double click must not consume a second number).
    """
    if not may_issue(user):
        raise PermissionDenied("Chỉ chuyên viên theo dõi của Văn phòng UBND được ban hành công văn đôn đốc.")
    ref = ref or today()
    issuer = issuer_unit()
    # Lock the issuer's register for the year first: two clerks issuing to the same unit at once queue here,
    # and the second sees the first one's letter.
    register.lock_counter(issuer, ref.year)
    earlier = OutgoingDocument.objects.filter(
        doc_type=OutgoingDocument.DocType.URGING, recipient_unit=unit, issued_on=ref
    ).first()
    if earlier is not None:
        raise ValidationError(
            f"{unit.name} đã được gửi công văn đôn đốc số {earlier.notation} ngày {ref:%d/%m/%Y}; "
            "không ban hành thêm trong cùng ngày."
        )
    # The tasks are read and locked in one statement (after the register's lock, which every letter takes first).
    lines, problem = preview(unit, user, ref, lock=True)
    if problem:
        raise NothingToUrge(problem)
    doc = build_letter(unit, lines, ref, issuer)
    record = register.issue(
        doc,
        issuer=issuer,
        doc_type=OutgoingDocument.DocType.URGING,
        created_by=user,
        tasks=[line.task for line in lines],
        recipient_unit=unit,
        later=True,
    )
    notes = [
        (
            line.task,
            f"Công văn đôn đốc số {record.notation} ngày {ref:%d/%m/%Y}: quá hạn {line.working_days_late} ngày làm việc."
            if line.overdue
            else f"Công văn đôn đốc số {record.notation} ngày {ref:%d/%m/%Y}: sắp đến hạn.",
        )
        for line in lines
    ]
    actions.urge_many(notes, user, letter_notation=record.notation, locked=True)
    record.listed = len(lines)
    return record


@transaction.atomic
def issue_all(user: Any, ref: date | None = None) -> tuple[list[OutgoingDocument], list[str]]:
    """One urging letter to every unit with overdue tasks; units already urged today are skipped and named."""
    if not may_issue(user):
        raise PermissionDenied("Chỉ chuyên viên theo dõi của Văn phòng UBND được ban hành công văn đôn đốc.")
    ref = ref or today()
    issued, skipped = [], []
    for unit in units_with_overdue(user, ref):
        try:
            with transaction.atomic():
                issued.append(issue_letter(unit, user, ref))
        except NothingToUrge:
            continue
        except ValidationError as exc:
            skipped.append(exc.messages[0])
    return issued, skipped
