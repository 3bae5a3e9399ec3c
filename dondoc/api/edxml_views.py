"""Pages of the edXML exchange: upload a package (City Office), confirm the extracted tasks, download the status
messages of a directive, and export a letter or report the product wrote."""

from __future__ import annotations

import logging
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from dondoc.api import edxml
from dondoc.api.models import EdxmlPackage
from dondoc.audit import record_export
from dondoc.directives.models import Directive
from dondoc.documents.views import files_not_ready, readable_document
from dondoc.drafting.extract import extract
from dondoc.drafting.forms import DraftTaskFormSet, RegisterOptionsForm
from dondoc.drafting.registration import task_initial
from dondoc.org import roles
from dondoc.org.access import require_role
from dondoc.tracking import actions
from dondoc.workdays import calendar

log = logging.getLogger(__name__)

XML = "application/xml; charset=utf-8"
DUPLICATE_RACE = "Chưa nhập: văn bản này vừa được vào sổ. Hãy kiểm tra sổ văn bản."


class PackageForm(forms.Form):
    file = forms.FileField(
        label="Gói edXML (.xml, .edxml)",
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xml,.edxml"}),
        error_messages={"required": "Phải chọn gói edXML để nhập.", "empty": "Gói edXML: tệp rỗng."},
    )


def _packages(request: HttpRequest) -> Any:
    """The received packages whose directive the user may see (`Directive.objects.visible_to`): a package's page
    shows its directive's subject and the tasks read from its text, the list its notation."""
    return EdxmlPackage.objects.filter(
        directive__in=Directive.objects.visible_to(request.user)
    ).select_related("directive")


@login_required
@require_role(*roles.CITY_OFFICE)
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a package: registered (or revoked/updated/replaced) in one transaction, or refused with the reason."""
    form = PackageForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                package = edxml.import_package(form.cleaned_data["file"].read(), request.user)
            except edxml.EdxmlError as exc:
                form.add_error("file", exc.args[0])
            except (ValidationError, PermissionDenied) as exc:
                form.add_error("file", "Chưa nhập: " + " ".join(getattr(exc, "messages", [str(exc)])))
            except IntegrityError:
                form.add_error("file", DUPLICATE_RACE)
            else:
                messages.success(request, package.note)
                return redirect("api:edxml_package", pk=package.pk)
    recent = _packages(request)[:20]
    return render(request, "api/edxml_upload.html", {"form": form, "recent": recent}, status=status)


def _initial(package: EdxmlPackage) -> list[dict[str, Any]]:
    """The extracted tasks; a task without its own deadline takes the package's DueDate."""
    if not package.text.strip():
        return []
    try:
        doc = extract(package.text, ref_date=package.directive.issued_on, calendar=calendar.current())
    except Exception:  # the extractor is rules over free text: never a server error for an odd document
        log.exception("edXML text could not be read")
        return []
    rows = task_initial(doc)
    if package.due_date:
        due = package.due_date.strftime("%d/%m/%Y")
        for row in rows:
            row["deadline"] = row["deadline"] or due
    return rows


@login_required
@require_role(*roles.CITY_OFFICE)
def package_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What a package did; for a new document, its extracted tasks to correct and confirm (registered as the draft
    checker registers them, through `NewTaskForm` and `actions.create_task`, in one transaction)."""
    package = get_object_or_404(_packages(request), pk=pk)
    directive = package.directive
    can_confirm = package.business_type in (0, 3) and not package.tasks_registered
    initial = _initial(package) if can_confirm else []
    posted = request.method == "POST" and can_confirm
    formset = DraftTaskFormSet(
        request.POST if posted else None,
        initial=initial,
        form_kwargs={"directive": directive, "calendar": calendar.current()},
        prefix="nv",
    )
    oform = RegisterOptionsForm(request.POST if posted else None)
    status = 200
    if posted:
        if formset.is_valid() & oform.is_valid():
            try:
                count = _register(package, formset.rows(), request.user, oform.cleaned_data["assign_now"])  # type: ignore[attr-defined]
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, "Chưa đăng ký: " + " ".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, f"Đã đăng ký {count} nhiệm vụ của văn bản {directive.notation}.")
                return redirect(directive)
        status = 400
    return render(
        request,
        "api/edxml_package.html",
        {
            "package": package,
            "directive": directive,
            "formset": formset,
            "oform": oform,
            "can_confirm": can_confirm and bool(initial or posted),
            "statuses": edxml.statuses_for(directive, request.user),
        },
        status=status,
    )


@transaction.atomic
def _register(package: EdxmlPackage, rows: list[Any], user: Any, assign_now: bool) -> int:
    locked = EdxmlPackage.objects.select_for_update().get(pk=package.pk)
    if locked.tasks_registered:
        raise ValidationError("các nhiệm vụ của gói này đã được đăng ký.")
    for form in rows:
        form.directive = package.directive
        task = form.save(user)
        if assign_now:
            actions.assign(task, user)
    locked.tasks_registered = True
    locked.save(update_fields=["tasks_registered"])
    return len(rows)


def _xml(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XML)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def status_message(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """A status message (03, 04, 06) of a directive the user may see, once the directive has reached it."""
    directive = get_object_or_404(Directive.objects.visible_to(request.user).select_related("issuer"), pk=pk)
    if not edxml.may_answer(request.user, code):
        raise PermissionDenied(edxml.REFUSED_STATUS.format(code=code))
    found = next((s for s in edxml.statuses(directive) if s.code == code), None)
    if found is None:
        raise Http404("Văn bản chưa có trạng thái này.")
    filename = f"trang-thai-{code}-{directive.notation.replace('/', '-')}.xml"
    content = edxml.status_xml(directive, found)
    record_export(request, f"Thông điệp trạng thái edXML {code}", obj=directive, detail={"file": filename})
    return _xml(content, filename)


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """A letter or report the product wrote, as an edXML package with its DOCX and PDF."""
    doc = readable_document(request, pk)  # an issued report: no more than its own page gives the reader
    waiting = files_not_ready(request, doc, "gói edXML (mang tệp DOCX và PDF)")
    if waiting is not None:  # a package without the document's files must not leave
        return waiting
    filename = f"{doc.notation.replace('/', '-')}.edxml.xml"
    content = edxml.export_outgoing(doc)
    record_export(request, "Gói edXML của văn bản đi", obj=doc, detail={"file": filename})
    return _xml(content, filename)
