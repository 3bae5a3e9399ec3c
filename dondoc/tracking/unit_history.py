"""Mergers and splits of units (*sáp nhập, chia tách đơn vị*) recorded on a date, and the re-homing of the open
tasks of the units that ended (DOMAIN.md §3).

The rules:
1. A former unit ends on the date of the change (`valid_to` = that date: it existed until the day before) and gains
   the successors it was merged into or split among (many-to-many).
2. Each open task (draft, assigned, in progress, result submitted) of a former unit is moved to one successor,
   chosen task by task by the City Office; proposed: the only successor, else the successor of the same name
   (quận Hoàn Kiếm → phường Hoàn Kiếm), else the first by name.
3. The move is a change of lead effective from the date (`actions.change_lead`, one `LeadChange` and one history
   row per task): counts of a period whose reference date is before it keep the task under the former unit, and the
   head accountable for the time before it stays the former unit's head at assignment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dondoc.core.text import fold
from dondoc.org.access import has_role
from dondoc.org.models import Unit
from dondoc.tracking import actions, permissions
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task, TaskQuerySet

DENIED = (
    "Chỉ Văn phòng UBND (chuyên viên theo dõi) và quản trị viên được ghi nhận sáp nhập, chia tách đơn vị."
)

_LEVEL = re.compile(r"^(ubnd\s+)?(quan|huyen|thi xa|phuong|xa|so)\s+")


def may_record(user: Any) -> bool:
    """The City Office's tracking officers and the administrators record mergers and splits."""
    return has_role(user, permissions.CITY_OFFICE)


def _bare(name: str) -> str:
    """A unit's name without its level ("UBND quận Hoàn Kiếm" → "hoan kiem")."""
    return _LEVEL.sub("", fold(name).strip())


def proposed_lead(former: Unit, successors: list[Unit]) -> Unit:
    """The successor proposed for the open tasks of `former` (rule 2 of the module)."""
    if len(successors) == 1:
        return successors[0]
    same = [s for s in successors if _bare(s.name) == _bare(former.name)]
    return (same or sorted(successors, key=lambda s: fold(s.name)))[0]


def open_tasks(formers: list[Unit]) -> TaskQuerySet:
    """The tasks the change moves: every task not completed nor cancelled led by one of `formers`."""
    return (
        Task.objects.filter(lead_unit__in=formers)
        .exclude(state__in=[tl.COMPLETED, tl.CANCELLED])
        .select_related("lead_unit", "directive")
        .order_by("lead_unit__name", "due_date", "id")
    )


@dataclass
class Move:
    task: Task
    proposed: Unit


def preview(formers: list[Unit], successors: list[Unit]) -> list[Move]:
    """Each open task of the former units with the successor proposed to lead it."""
    return [Move(t, proposed_lead(t.lead_unit, successors)) for t in open_tasks(formers)]


def check(formers: list[Unit], successors: list[Unit], on: date | None) -> None:
    """Refuse a change that cannot be recorded, naming the field (a ValidationError of field → messages)."""
    errors: dict[str, list[str]] = {}
    if not formers:
        errors.setdefault("formers", []).append("Phải chọn ít nhất một đơn vị cũ.")
    if not successors:
        errors.setdefault("successors", []).append("Phải chọn ít nhất một đơn vị kế thừa.")
    both = {u.pk for u in formers} & {u.pk for u in successors}
    if both:
        names = ", ".join(u.name for u in successors if u.pk in both)
        errors.setdefault("successors", []).append(
            f"Đơn vị kế thừa không thể đồng thời là đơn vị cũ: {names}."
        )
    if on is None:
        errors.setdefault("on", []).append("Phải nhập ngày có hiệu lực (dd/mm/yyyy).")
    elif on > timezone.localdate():
        errors.setdefault("on", []).append("Ngày có hiệu lực không được sau hôm nay.")
    else:
        for u in formers:
            if u.valid_to is not None and u.valid_to != on:
                errors.setdefault("formers", []).append(
                    f"«{u.name}» đã hết hiệu lực từ {u.valid_to:%d/%m/%Y}, không thể kết thúc lại từ {on:%d/%m/%Y}."
                )
            if u.valid_from is not None and u.valid_from >= on:
                errors.setdefault("formers", []).append(
                    f"«{u.name}» chỉ có hiệu lực từ {u.valid_from:%d/%m/%Y}, không thể kết thúc từ {on:%d/%m/%Y}."
                )
        for u in successors:
            if u.kind not in Unit.ASSIGNABLE_KINDS:
                errors.setdefault("successors", []).append(
                    f"«{u.name}» ({u.get_kind_display()}) không thể chủ trì nhiệm vụ."
                )
            elif (u.valid_from is not None and u.valid_from > on) or (
                u.valid_to is not None and u.valid_to <= on
            ):
                errors.setdefault("successors", []).append(
                    f"«{u.name}» không còn hoặc chưa có hiệu lực vào ngày {on:%d/%m/%Y}."
                )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_change(
    formers: list[Unit],
    successors: list[Unit],
    *,
    on: date,
    user: Any,
    reason: str,
    leads: dict[int, Unit] | None = None,
) -> int:
    """Record that `formers` merged into or split among `successors` on `on` and re-home their open tasks (the
    module's rules); `leads` maps a task id to the successor chosen for it. Returns the number of tasks moved.
    All or nothing: a refused task leaves every unit and task as it was."""
    if not may_record(user):
        raise PermissionDenied(DENIED)
    check(formers, successors, on)
    if not reason.strip():
        raise ValidationError({"reason": "Phải nêu căn cứ, lý do (ví dụ số nghị quyết, quyết định)."})
    leads = leads or {}
    allowed = {s.pk for s in successors}
    for task_id, unit in leads.items():
        if unit.pk not in allowed:
            raise ValidationError({f"lead_{task_id}": f"«{unit.name}» không phải đơn vị kế thừa đã chọn."})
    for unit in formers:
        if unit.valid_to != on:
            unit.valid_to = on
            unit.save(update_fields=["valid_to", "search"])
        unit.successors.add(*successors)
    moved = 0
    for move in preview(formers, successors):
        new_lead = leads.get(move.task.pk, move.proposed)
        actions.change_lead(move.task, user, new_lead=new_lead, reason=reason.strip(), effective_on=on)
        moved += 1
    return moved
