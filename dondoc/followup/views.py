"""Pages: the notification centre of each person and the City Office's follow-up page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from dondoc.core.dates import today
from dondoc.core.queries import paged
from dondoc.followup import queries
from dondoc.followup.forms import IGNORED_DEFAULT_DAYS, OfficeFilterForm, PreferenceForm
from dondoc.followup.models import Notification, Preference
from dondoc.org import roles
from dondoc.org.access import person_of, require_role
from dondoc.org.models import Person

PAGE_SIZE = 30


def _person(request: HttpRequest) -> Person:
    person = person_of(request.user)
    if person is None:
        raise PermissionDenied("Tài khoản chưa gắn với cán bộ nào nên không có thông báo.")
    return person


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The notification centre: my notifications, newest first; unread ones marked; links to the tasks."""
    person = _person(request)
    qs = Notification.objects.filter(recipient=person).select_related("task")
    only_unread = request.GET.get("chua_doc") == "1"
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("trang"))
    pref = Preference.objects.filter(person=person).first() or Preference(person=person)
    return render(
        request,
        "followup/inbox.html",
        {"page": page, "only_unread": only_unread, "pref_form": PreferenceForm(instance=pref)},
    )


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(default)


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of my notifications as read (someone else's is not found)."""
    note = get_object_or_404(Notification, pk=pk, recipient=_person(request))
    if note.read_at is None:
        Notification.objects.filter(pk=note.pk).update(read_at=timezone.now())
    return _back(request, "followup:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    n = Notification.objects.filter(recipient=_person(request), read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, f"Đã đánh dấu {n} thông báo là đã đọc.")
    return _back(request, "followup:inbox")


@login_required
@require_POST
def preference(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    pref = Preference.objects.filter(person=person).first() or Preference(person=person)
    form = PreferenceForm(request.POST, instance=pref)
    if form.is_valid():
        form.save()
        messages.success(request, "Đã lưu cách nhận thư điện tử.")
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("followup:inbox")


@login_required
@require_role(*roles.SEES_EVERYTHING)
def office(request: HttpRequest) -> HttpResponse:
    """The City Office's follow-up page: sent on a day, failed deliveries, units that ignored reminders."""
    form = OfficeFilterForm(request.GET or None)
    ref = today()
    if form.is_bound and not form.is_valid():
        return render(request, "followup/office.html", {"form": form, "ref": ref}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    day = data.get("day") or ref
    unit = data.get("unit")
    unit_id = unit.pk if unit else None
    kind = data.get("kind") or ""
    days = data.get("days") or IGNORED_DEFAULT_DAYS
    user = request.user
    sent, query = paged(request, queries.visible(queries.sent_on(day, unit_id, kind), user), PAGE_SIZE)
    return render(
        request,
        "followup/office.html",
        {
            "form": form,
            "ref": ref,
            "day": day,
            "days": days,
            "sent": sent,
            "failed": list(queries.visible(queries.failed_deliveries(unit_id), user)[:100]),
            "ignored_units": queries.ignored_by_unit(ref, days, unit_id, kind),
            "ignored_items": list(
                queries.visible(queries.ignored(ref, days, unit_id, kind), user)
                .select_related("task", "recipient__unit")
                .order_by("created_at")[:100]
            ),
            "query": query.urlencode(),
        },
    )
