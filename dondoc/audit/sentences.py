"""Audit entries told as Vietnamese sentences an inspector can read ("Nguyễn Văn A xác nhận hoàn thành nhiệm vụ
#51"), built from the recorded event alone: the action, the object's model (its verbose name and its fields'
labels and choices) and the fields before and after. The raw fields stay on the page for whoever checks the chain.

``describe(entry, names)`` is the one mapping from an entry to its sentence; ``names`` maps account names to the
people's full names (``names_for`` loads them for a page of entries in one query).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone

from dondoc.audit.models import AuditEntry

# A task whose state becomes this value was, by that change, ... (the verb said instead of "sửa trạng thái").
TASK_STATE_VERBS = {
    "assigned": "giao",
    "in_progress": "tiếp nhận",
    "result_submitted": "gửi kết quả",
    "completed": "xác nhận hoàn thành",
    "cancelled": "hủy, rút",
}
# Fields that only follow another change (a version counter, a timestamp): named in the raw details only.
QUIET_FIELDS = {"version", "updated_at", "created_at", "search", "next_followup_at"}
MAX_FIELDS = 4  # past this many changed fields a sentence names the first ones and counts the rest


def names_for(entries: Iterable[AuditEntry]) -> dict[str, str]:
    """Full names of the people behind the accounts named in ``entries`` (one query)."""
    from dondoc.org.models import Person

    usernames = {e.username for e in entries if e.username}
    rows = Person.objects.filter(user__username__in=usernames).values_list("user__username", "full_name")
    return dict(rows)


def _model(entry: AuditEntry) -> type[models.Model] | None:
    try:
        return apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        return None


def _noun(entry: AuditEntry, model: type[models.Model] | None) -> str:
    noun = str(model._meta.verbose_name) if model is not None else (entry.object_type or "đối tượng")
    return f"{noun} #{entry.object_id}" if entry.object_id else noun


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    for field in model._meta.concrete_fields:
        if field.attname == name or field.name == name:
            return field
    return None


def _value(field: models.Field | None, value: Any) -> str:
    """A recorded value as a reader says it: choice labels, có/không, dd/mm/yyyy, «(trống)» for nothing."""
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and isinstance(field, models.DateTimeField):
        try:
            return timezone.localtime(datetime.fromisoformat(value)).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return value
    if isinstance(value, str) and isinstance(field, models.DateField):
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if isinstance(field, models.ForeignKey):
        return f"#{value}"
    if isinstance(value, list):
        return ", ".join(f"#{v}" for v in value) or "(trống)"
    return str(value)


def recorded(entry: AuditEntry) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The record's values before and after, by their stored names (the details under an event, «Chi tiết ghi
    nhận»), each value as a reader says it (`_value`: dd/mm/yyyy, times in Hanoi time, «(trống)»); a value of a
    name the model no longer has, as stored."""
    model = _model(entry)

    def rows(values: Any) -> list[tuple[str, str]]:
        if not isinstance(values, Mapping):
            return []
        return [(name, _value(_field(model, name), value)) for name, value in values.items()]

    return rows(entry.before), rows(entry.after)


def _label(model: type[models.Model] | None, name: str) -> str:
    field = _field(model, name)
    if field is not None:
        return str(field.verbose_name)
    if model is not None:  # a many-to-many field, recorded by name
        try:
            return str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
        except Exception:
            pass
    return name


def _changes(model: type[models.Model] | None, before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    names = [k for k in after if k not in QUIET_FIELDS] or list(after)
    parts = [
        f"{_label(model, k)} «{_value(_field(model, k), before.get(k))}» → «{_value(_field(model, k), after[k])}»"
        for k in names[:MAX_FIELDS]
    ]
    if len(names) > MAX_FIELDS:
        parts.append(f"và {len(names) - MAX_FIELDS} trường khác")
    return "; ".join(parts)


def _is_bulk(entry: AuditEntry) -> bool:
    after = entry.after
    return isinstance(after, dict) and "count" in after and ("ids" in after or "where" in after)


def _describe_bulk(entry: AuditEntry, who: str, model: type[models.Model] | None) -> str:
    """A bulk write (``dondoc.audit.bulk.record_bulk``): how many rows, and what was set on all of them."""
    after: dict[str, Any] = entry.after  # type: ignore[assignment]
    plural = str(model._meta.verbose_name_plural) if model is not None else entry.object_type
    verb = {"create": "tạo", "delete": "xóa"}.get(entry.action, "sửa")
    sentence = f"{who} {verb} hàng loạt {after['count']} {plural}"
    changes = after.get("changes")
    if isinstance(changes, dict) and changes:
        sentence += ": " + "; ".join(
            f"{_label(model, k)} → «{_value(_field(model, k), v)}»" for k, v in changes.items()
        )
    return sentence


def describe(entry: AuditEntry, names: Mapping[str, str] | None = None) -> str:
    """One sentence for one audit entry: who did what to which object, with what changed."""
    names = names or {}
    who = names.get(entry.username) or entry.username or "Hệ thống"
    account = f"«{entry.object_repr or entry.username}»"
    A = AuditEntry.Action
    if entry.action == A.LOGIN:
        return f"{who} đăng nhập"
    if entry.action == A.LOGOUT:
        return f"{who} đăng xuất"
    if entry.action == A.LOGIN_FAILED:
        return f"Đăng nhập thất bại với tài khoản {account}"
    if entry.action == A.LOCKOUT:
        return f"Tài khoản {account} bị khóa do đăng nhập sai nhiều lần"
    if entry.action == A.EXPORT:
        after = entry.after or {}
        count = after.get("count")
        rows = f" ({count} bản ghi)" if isinstance(count, int) and count != 1 else ""
        return f"{who} xuất dữ liệu: {entry.object_repr}{rows}"
    model = _model(entry)
    noun = _noun(entry, model)
    title = f" «{entry.object_repr}»" if entry.object_repr else ""
    if _is_bulk(entry):
        return _describe_bulk(entry, who, model)
    if entry.action == A.CREATE:
        return f"{who} tạo {noun}{title}"
    if entry.action == A.DELETE:
        return f"{who} xóa {noun}{title}"
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    if entry.object_type == "tracking.task" and after.get("state") in TASK_STATE_VERBS:
        sentence = f"{who} {TASK_STATE_VERBS[after['state']]} {noun}{title}"
        rest = {k: v for k, v in after.items() if k != "state"}
        return f"{sentence} ({_changes(model, before, rest)})" if rest else sentence
    if not after:
        return f"{who} sửa {noun}{title}"
    return f"{who} sửa {noun}{title}: {_changes(model, before, after)}"
