"""What the audit trail records, through Django's signals.

Model changes: every create, update and delete of the models listed in the ``AUDIT_MODELS`` setting (labels like
``"tracking.Task"``; a label whose app is not installed yet is skipped, so future models can be listed ahead).
A ``pre_save`` snapshot of the row in the database gives the *before*; updates record only the fields that changed,
and a save that changes nothing records nothing. Passwords are never written, only the fact that one changed.

Logins, failed logins and logouts come from ``django.contrib.auth``'s signals; exports from ``record_export``.
Bulk operations (``bulk_create``, ``bulk_update``, ``QuerySet.update``) send no signal: their callers record them
with ``dondoc.audit.bulk.record_bulk``; many-to-many changes are recorded there too (``m2m_changed``).
"""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import connection, models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_save

from dondoc.audit import chain
from dondoc.audit.context import address_of
from dondoc.audit.models import AuditEntry, PendingAuditEntry

log = logging.getLogger("dondoc.audit")

DEFAULT_MODELS = [
    "tracking.Task",
    "tracking.Coordination",
    "tracking.DeadlineChange",
    "tracking.LeadChange",  # a change of lead, effective from its date (mergers, splits)
    "tracking.Result",
    "directives.Directive",
    "directives.Attachment",
    "org.Unit",
    "org.Person",
    "workdays.CalendarDay",
    "auth.User",
    "auth.Group",
    "followup.FollowupRule",
    "followup.TrackingContact",
    "inspection.InspectionPlan",
    "inspection.TeamMember",
    "inspection.InspectedUnit",
    "inspection.Finding",
    "inspection.Remedy",
    "inspection.Proposal",
    "documents.OutgoingDocument",
    "api.ApiToken",
    "otp_totp.TOTPDevice",  # two-factor enrolment (confirmed) and disabling (delete)
    "api.WebhookSubscriber",  # a subscriber receives every task event: who added one, where it sends, is audited
]
# Noise: changes on every use / derived (the TOTP device's counters move at every code entered).
SKIPPED_FIELDS = {
    "last_login",
    "last_used_at",
    "search",
    "last_t",
    "drift",
    "throttling_failure_count",
    "throttling_failure_timestamp",
}
SECRET_FIELDS = {"password", "digest", "key"}  # password hashes, API token digests, TOTP secrets
# Secrets under a name other models use for something else (a task's `secret` is its flag, shown).
SECRET_FIELDS_OF = {"api.webhooksubscriber": {"secret"}}  # the HMAC signing key
REDACTED = "(đã thay đổi, không lưu giá trị)"


def tracked_models() -> list[type[models.Model]]:
    """The installed models named in AUDIT_MODELS, or DEFAULT_MODELS (labels of apps not installed are skipped)."""
    found = []
    for label in getattr(settings, "AUDIT_MODELS", None) or DEFAULT_MODELS:
        try:
            found.append(apps.get_model(label))
        except (LookupError, ValueError):
            continue
    return found


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The row's concrete fields by column name, JSON-ready; secrets replaced by a marker."""
    row: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        name = field.attname
        if name in SKIPPED_FIELDS:
            continue
        value = field.value_from_object(instance)
        if isinstance(value, FieldFile):
            value = value.name or ""
        row[name] = value
    return chain.jsonable(row)


def _label(instance: models.Model | type[models.Model]) -> str:
    return instance._meta.label_lower


def _repr(instance: models.Model) -> str:
    try:
        return str(instance)
    except Exception:  # a __str__ that follows a deleted relation must not stop the change
        return f"{instance._meta.verbose_name} #{instance.pk}"


def _record_change(action: str, instance: models.Model, before: Any, after: Any) -> None:
    chain.append_by_actor(
        action=action,
        object_type=_label(instance),
        object_id=str(instance.pk),
        object_repr=_repr(instance),
        before=before,
        after=after,
    )


def remember(instance: models.Model) -> None:
    """The row as just read under a lock (`SELECT ... FOR UPDATE`): the *before* of its next save in the same
    transaction block, instead of reading the row again. Only for a row nothing else changes until that save."""
    block = connection.atomic_blocks[-1] if connection.in_atomic_block else None
    instance._audit_loaded = (block, snapshot(instance))  # type: ignore[attr-defined]


def _pre_save(sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None or instance._state.adding:
        instance._audit_before = None  # type: ignore[attr-defined]
        return
    block, loaded = instance.__dict__.pop("_audit_loaded", (None, None))
    if block is not None and connection.in_atomic_block and connection.atomic_blocks[-1] is block:
        instance._audit_before = loaded  # type: ignore[attr-defined]
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None  # type: ignore[attr-defined]


def _post_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    after = snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        _record_change(AuditEntry.Action.CREATE, instance, None, _redact(after, instance))
        return
    changed = sorted(k for k in after if after[k] != before.get(k))
    if not changed:
        return
    _record_change(
        AuditEntry.Action.UPDATE,
        instance,
        _redact({k: before.get(k) for k in changed}, instance),
        _redact({k: after[k] for k in changed}, instance),
    )


def _redact(row: dict[str, Any], instance: models.Model | type[models.Model]) -> dict[str, Any]:
    secret = SECRET_FIELDS | SECRET_FIELDS_OF.get(_label(instance), set())
    return {k: (REDACTED if k in secret and v else v) for k, v in row.items()}


def _post_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    _record_change(AuditEntry.Action.DELETE, instance, _redact(snapshot(instance), instance), None)


def _session_event(action: str, request: Any, user: Any) -> None:
    """A login or logout of `user`: the entry names the user as its actor and as its object."""
    chain.append(
        action=action,
        user_id=user.pk,
        username=user.get_username(),
        address=address_of(request),
        object_type=_label(user),
        object_id=str(user.pk),
        object_repr=user.get_username(),
    )


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _session_event(AuditEntry.Action.LOGIN, request, user)


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        _session_event(AuditEntry.Action.LOGOUT, request, user)


def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))
    chain.append(
        action=AuditEntry.Action.LOGIN_FAILED,
        username=username,
        address=address_of(request),
        object_type="auth.user",
        object_repr=username,
    )


def record_export(
    request: Any,
    what: str,
    count: int = 1,
    *,
    obj: models.Model | None = None,
    detail: dict[str, Any] | None = None,
) -> PendingAuditEntry:
    """Record that the requesting user took data out of the system: ``count`` rows of ``what`` (e.g. "Danh sách
    nhiệm vụ (XLSX)"), or the one file ``what`` of ``obj`` (e.g. "Văn bản đi (PDF)" of an outgoing document).

    Call it from every view, command or API endpoint that lets data leave the system, once per request (an API
    list page is one entry with its filter and its row count, not one per row), after the access checks and just
    before the answer is sent, so that a refused request (403, 404, a bad filter) writes nothing. ``detail`` adds
    what the reader of the trail needs to know what left (the filter, the format); never a secret."""
    after: dict[str, Any] = {
        "what": what,
        "count": count,
        "path": getattr(request, "get_full_path", lambda: "")(),
    }
    after.update(detail or {})
    return chain.append_by_actor(
        request,
        action=AuditEntry.Action.EXPORT,
        object_type=_label(obj) if obj is not None else "export",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=f"{what}: {_repr(obj)}" if obj is not None else what,
        after=after,
        read=True,
    )


def connect() -> None:
    for model in tracked_models():
        uid = f"dondoc-audit-{model._meta.label_lower}"
        pre_save.connect(_pre_save, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_post_save, sender=model, dispatch_uid=f"{uid}-post")
        post_delete.connect(_post_delete, sender=model, dispatch_uid=f"{uid}-delete")
    user_logged_in.connect(_logged_in, dispatch_uid="dondoc-audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="dondoc-audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="dondoc-audit-login-failed")


# --- accounts --------------------------------------------------------------------------------------------------


def _person_deactivated(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """A person who leaves (active=False) can no longer log in; their tasks, history and audit rows stay as they
    are and nothing is reassigned: handing their work on is an explicit action of the unit."""
    if raw or instance.active or instance.user_id is None:
        return
    user = instance.user
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])


def _locked_out(
    sender: Any, request: Any = None, username: str = "", ip_address: str = "", **kwargs: Any
) -> None:
    chain.append(
        action=AuditEntry.Action.LOCKOUT,
        username=username or "",
        address=address_of(request) if request is not None else (ip_address or None),
        object_type="auth.user",
        object_repr=username or "",
    )


def connect_accounts() -> None:
    from axes.signals import user_locked_out

    post_save.connect(_person_deactivated, sender="org.Person", dispatch_uid="dondoc-person-deactivated")
    user_locked_out.connect(_locked_out, dispatch_uid="dondoc-audit-lockout")
