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
from dondoc.audit.sentences import describe, names_for
from dondoc.core.queries import filter_given, paged
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


# What an entry about a secret task keeps for an uncleared reader: the fields that are not its text.
SHOWN_OF_SECRET = {"id", "task_id", "state", "secret", "due_date", "completed_on", "lead_unit_id", "version"}


def _secret_task_of(entry: AuditEntry) -> int | None:
    """The id of the task an entry is about: the task itself, or a row of it (a report, a result, a request…)."""
    if entry.object_type == "tracking.task":
        return int(entry.object_id) if str(entry.object_id).isdigit() else None
    for row in (entry.after, entry.before):
        if isinstance(row, dict) and isinstance(row.get("task_id"), int):
            return int(row["task_id"])
    return None


def _mask_secret_tasks(user: object, entries: Iterable[AuditEntry]) -> None:
    """The trail keeps each row as written; a reader not cleared for secrets reads, of an entry about a secret task
    (secret now: a task marked secret later hides its earlier entries too), its name masked and no text of it
    (`tracking.secrecy`)."""
    if secrecy.cleared(user):
        return
    entries = list(entries)
    about = {e.pk: _secret_task_of(e) for e in entries}
    ids = {pk for pk in about.values() if pk is not None}
    secret = set(Task.objects.filter(pk__in=ids, secret=True).values_list("pk", flat=True)) if ids else set()
    for entry in entries:
        task_id = about[entry.pk]
        if task_id not in secret:
            continue
        for name in ("before", "after"):
            row = getattr(entry, name)
            if isinstance(row, dict):
                setattr(entry, name, {k: v for k, v in row.items() if k in SHOWN_OF_SECRET})
        if entry.object_type == "tracking.task":
            entry.object_repr = secrecy.masked(task_id)


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
    return render(
        request,
        "audit/audit_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=status,
    )
