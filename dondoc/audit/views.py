"""The administrators' audit page: the trail, newest first, filtered by user, dates, object type and action."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dondoc.audit.forms import AuditFilterForm
from dondoc.audit.models import AuditEntry
from dondoc.audit.sentences import describe, names_for, recorded
from dondoc.core.queries import filter_given, paged
from dondoc.directives.models import Directive
from dondoc.org.access import person_of
from dondoc.org.models import Person
from dondoc.tracking import secrecy
from dondoc.tracking.models import Task

PAGE_SIZE = 50


def may_read_audit(user: object) -> bool:
    """Only administrators read the audit trail (a superuser account, or a person with the administrator role)."""
    if getattr(user, "is_superuser", False):
        return True
    person = person_of(user)
    return person is not None and person.role == Person.Role.ADMIN


# What an entry about a secret task or directive keeps for an uncleared reader: the fields that are not its text.
SHOWN_OF_SECRET = {
    "id",
    "task_id",
    "directive_id",
    "state",
    "secret",
    "secrecy",
    "due_date",
    "completed_on",
    "lead_unit_id",
    "version",
}


def _about(entry: AuditEntry, model: str, column: str) -> int | None:
    """The id of the `model` row an entry is about: that row itself, or a row pointing at it through `column`
    (a task's result or deadline request; a directive's attachment)."""
    if entry.object_type == model:
        return int(entry.object_id) if str(entry.object_id).isdigit() else None
    for row in (entry.after, entry.before):
        if isinstance(row, dict) and isinstance(row.get(column), int):
            return int(row[column])
    return None


def _mask_secret_tasks(user: object, entries: Iterable[AuditEntry]) -> None:
    """The trail keeps each row as written; a reader not cleared for secrets reads, of an entry about a secret task
    or directive (secret now: one marked secret later hides its earlier entries too), its name masked and no text
    of it (`tracking.secrecy`)."""
    if secrecy.cleared(user):
        return
    entries = list(entries)
    tasks = {e.pk: _about(e, "tracking.task", "task_id") for e in entries}
    directives = {  # (a task's own entry follows the task's secrecy)
        e.pk: _about(e, "directives.directive", "directive_id")
        if e.object_type.startswith("directives.")
        else None
        for e in entries
    }
    secret_tasks = set(
        Task.objects.filter(pk__in={i for i in tasks.values() if i}, secret=True).values_list("pk", flat=True)
    )
    secret_directives = set(
        Directive.objects.filter(pk__in={i for i in directives.values() if i})
        .exclude(secrecy="")
        .values_list("pk", flat=True)
    )
    for entry in entries:
        task_id, directive_id = tasks[entry.pk], directives[entry.pk]
        if task_id in secret_tasks:
            entry.object_repr = secrecy.masked(task_id)
        elif directive_id in secret_directives:
            entry.object_repr = f"Văn bản mật #{directive_id}"
        else:
            continue
        for name in ("before", "after"):
            row = getattr(entry, name)
            if isinstance(row, dict):
                setattr(entry, name, {k: v for k, v in row.items() if k in SHOWN_OF_SECRET})


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not may_read_audit(request.user):
        raise PermissionDenied("Chỉ quản trị viên được xem nhật ký kiểm toán.")
    entries = AuditEntry.objects.order_by("-id")  # links the waiting events first (once per page)
    object_types = list(
        AuditEntry.plain.exclude(object_type="")
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )
    form = AuditFilterForm(request.GET or None, object_types=object_types)
    status = 200
    if form.is_bound:
        if form.is_valid():
            d = form.cleaned_data
            if d["user"]:
                entries = entries.filter(username__icontains=d["user"].strip())
            tz = timezone.get_current_timezone()
            if d["date_from"]:
                entries = entries.filter(at__gte=datetime.combine(d["date_from"], time.min, tzinfo=tz))
            if d["date_to"]:
                end = datetime.combine(d["date_to"] + timedelta(days=1), time.min, tzinfo=tz)
                entries = entries.filter(at__lt=end)
            entries = filter_given(entries, d, {"object_type": "object_type", "action": "action"})
        else:
            entries = entries.none()
            status = 400
    page, query = paged(request, entries, PAGE_SIZE)
    _mask_secret_tasks(request.user, page.object_list)
    names = names_for(page.object_list)
    for entry in page.object_list:
        entry.sentence = describe(entry, names)  # type: ignore[attr-defined]
        entry.shown_before, entry.shown_after = recorded(entry)  # type: ignore[attr-defined]
    return render(
        request,
        "audit/audit_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=status,
    )
