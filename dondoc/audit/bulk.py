"""What the audit trail records of the writes that send no per-row signal.

``QuerySet.update``, ``bulk_create`` and ``bulk_update`` write many rows in one statement and send neither
``pre_save`` nor ``post_save``, so the code that calls them on an audited model records the operation itself with
``record_bulk`` (or ``record_bulk_create``): one entry per operation, naming the model, the rows (their ids; past
``BULK_IDS_MAX`` rows, their count and the filter in words) and what was written. ``QuerySet.delete`` needs nothing:
Django deletes row by row when a ``post_delete`` receiver listens, as ours does.

Many-to-many changes (``user.groups.add(...)``, ``.remove``, ``.set``, ``.clear``, from either side) send only
``m2m_changed``; every many-to-many field of an audited model is recorded as an update of the object changed, with
the related ids before and after.

Left unrecorded on purpose: the bulk loaders of synthetic data (``dondoc.demo.synth``, used by ``loaddemo`` and the
benchmarks), the shipped reference data (``calendar.load_csv``, ``registry.load_units``) that the data migrations
load, and the follow-up engine's own bookkeeping (``Task.next_followup_at``, moved by the engine after
every step: a schedule, not a change anyone made).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed

from dondoc.audit import chain
from dondoc.audit.models import AuditEntry, PendingAuditEntry
from dondoc.audit.signals import _redact, _repr, snapshot, tracked_models

BULK_IDS_MAX = 500  # past this many rows an entry keeps the count and the filter, not every id


def _audited(model: type[models.Model]) -> bool:
    label = (model._meta.concrete_model or model)._meta.label_lower
    return any(m._meta.label_lower == label for m in tracked_models())


def record_bulk(
    model: type[models.Model],
    ids: Iterable[Any],
    changes: dict[str, Any] | None = None,
    *,
    action: str = AuditEntry.Action.UPDATE,
    where: str = "",
    rows: Sequence[models.Model] = (),
) -> PendingAuditEntry | None:
    """Record one bulk write on ``model`` as one entry: who (the request being served), the ids of the rows
    written, and ``changes`` — the fields set and their new values (``QuerySet.update(**changes)``) — or ``rows``,
    the rows as written (created by ``bulk_create``, or a ``bulk_update`` whose values differ from row to row).

    Past ``BULK_IDS_MAX`` rows the entry keeps their count and ``where``, the filter in words (e.g. "nhiệm vụ đang
    mở của đơn vị 12"; without one, the range of ids), instead of every id and row. Call it in the same
    transaction as the write, after it. Nothing is recorded when no row was written or the model is not audited."""
    id_list = [i for i in ids if i is not None]
    if not id_list or not _audited(model):
        return None
    after: dict[str, Any] = {"count": len(id_list)}
    if where:
        after["where"] = where
    if len(id_list) <= BULK_IDS_MAX:
        after["ids"] = sorted(id_list)
        if rows:
            after["rows"] = [_redact(snapshot(row), row) for row in rows]
    elif not where:
        after["where"] = f"id từ {min(id_list)} đến {max(id_list)}"
    if changes:
        after["changes"] = _redact(chain.jsonable(changes), model)
    return chain.append_by_actor(
        action=action,
        object_type=model._meta.label_lower,
        object_id=str(id_list[0]) if len(id_list) == 1 else "",
        object_repr=f"{model._meta.verbose_name_plural}: {len(id_list)} dòng (ghi hàng loạt)",
        after=after,
    )


def record_bulk_create(rows: Sequence[models.Model]) -> PendingAuditEntry | None:
    """Record the rows just inserted by ``bulk_create`` (their primary keys set: SQLite ≥ 3.35 and PostgreSQL
    return them) as one creation entry with every row's fields."""
    if not rows:
        return None
    return record_bulk(type(rows[0]), [row.pk for row in rows], action=AuditEntry.Action.CREATE, rows=rows)


# --- many-to-many ----------------------------------------------------------------------------------------------


def _m2m_fields() -> dict[type[models.Model], models.ManyToManyField]:
    """The intermediate model of every many-to-many field of an audited model → that field."""
    found: dict[type[models.Model], models.ManyToManyField] = {}
    for model in tracked_models():
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            if isinstance(field, models.ManyToManyField) and through is not None:
                found[through] = field
    return found


def _related_ids(field: models.ManyToManyField, instance: models.Model, reverse: bool) -> list[Any]:
    """The ids ``instance`` is linked to through ``field``, read from the intermediate table."""
    through: Any = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    if reverse:
        source, target = target, source
    column = through._meta.get_field(target).attname
    return sorted(
        through._default_manager.filter(**{through._meta.get_field(source).attname: instance.pk}).values_list(
            column, flat=True
        )
    )


def _m2m_changed(
    sender: type[models.Model], instance: models.Model, action: str, reverse: bool, **kwargs: Any
) -> None:
    """Before an add, remove or clear: note the related ids; after it: record them before and after, on the
    object whose relation changed (a user for ``user.groups.add``, a group for ``group.user_set.add``)."""
    field = _M2M.get(sender)
    if field is None:
        return
    name = (field.remote_field.get_accessor_name() or field.name) if reverse else field.name
    pending: dict[str, list[Any]] = instance.__dict__.setdefault("_audit_m2m_before", {})
    if action.startswith("pre_"):
        pending[name] = _related_ids(field, instance, reverse)
        return
    before = pending.pop(name, None)
    after = _related_ids(field, instance, reverse)
    if before is None or before == after:
        return
    _append_m2m(instance, name, before, after)


def record_m2m(
    instance: models.Model, field: models.ManyToManyField, *, before: list[Any], after: list[Any]
) -> None:
    """Record links written on ``instance``'s many-to-many ``field`` without ``add`` (one ``bulk_create`` of the
    intermediate rows, ``before`` and ``after`` the related ids, sorted, known to the caller) as ``add`` records
    them; nothing when the field's model is not audited or nothing changed."""
    through = field.remote_field.through
    if through is None or through not in _M2M or before == after:
        return
    _append_m2m(instance, field.name, before, after)


def _append_m2m(instance: models.Model, name: str, before: list[Any], after: list[Any]) -> None:
    chain.append_by_actor(
        action=AuditEntry.Action.UPDATE,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=_repr(instance),
        before={name: before},
        after={name: after},
    )


_M2M: dict[type[models.Model], models.ManyToManyField] = {}


def connect_m2m() -> None:
    _M2M.clear()
    _M2M.update(_m2m_fields())
    for through in _M2M:
        m2m_changed.connect(
            _m2m_changed, sender=through, dispatch_uid=f"dondoc-audit-m2m-{through._meta.label_lower}"
        )
