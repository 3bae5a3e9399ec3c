"""The administrators' calendar pages: the days of a year (stored and from the library), an official notice entered
at once with a preview of the changed days, CSV import (previewed) and export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from dondoc.core.dates import today
from dondoc.org.access import person_of
from dondoc.org.models import Person
from dondoc.workdays import notices
from dondoc.workdays.forms import CalendarFileForm, NoticeForm


def _require_administrator(request: HttpRequest) -> None:
    """The calendar is the administrators' (DOMAIN.md §2): the product's administrators and Django's superusers."""
    person = person_of(request.user)
    if not (request.user.is_superuser or (person is not None and person.role == Person.Role.ADMIN)):
        raise PermissionDenied("Chỉ quản trị viên được sửa lịch nghỉ lễ, làm bù.")


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("nam", "")
    return int(raw) if raw.isdigit() and 1990 <= int(raw) <= 2100 else today().year


@login_required
def year_page(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    year = _year(request)
    return render(
        request,
        "workdays/year.html",
        {"year": year, "days": notices.year_days(year), "years": range(year - 1, year + 3)},
    )


def _save_or_preview(
    request: HttpRequest, form: NoticeForm | CalendarFileForm, template: str
) -> HttpResponse:
    """First submission: the preview of the changed days; with `confirm`: save and go back to the year."""
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    entries = form.entries() if isinstance(form, NoticeForm) else form.cleaned_data["entries"]
    if request.POST.get("confirm"):
        try:
            count = notices.apply(entries)
        except notices.ClosedPastError as exc:  # a day became past between the preview and the confirmation
            form.add_error(None, str(exc))
            return render(request, template, {"form": form}, status=400)
        messages.success(request, f"Đã lưu {count} ngày vào lịch nghỉ lễ, làm bù.")
        return redirect(f"{reverse('workdays:year')}?nam={entries[0].day.year}")
    context = {"form": form, "changes": notices.preview(entries), "moves": notices.consequences(entries)}
    return render(request, template, context)


@login_required
def notice_page(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    if request.method != "POST":
        return render(request, "workdays/notice.html", {"form": NoticeForm()})
    return _save_or_preview(request, NoticeForm(request.POST), "workdays/notice.html")


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    if request.method != "POST":
        return render(request, "workdays/import.html", {"form": CalendarFileForm()})
    return _save_or_preview(request, CalendarFileForm(request.POST, request.FILES), "workdays/import.html")


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    _require_administrator(request)
    year = int(request.GET["nam"]) if request.GET.get("nam", "").isdigit() else None
    response = HttpResponse(notices.export_csv(year), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="lich-nghi-le{"-" + str(year) if year else ""}.csv"'
    )
    return response
