"""Pages of the outgoing register and of urging letters: look up, call one domain function, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from dondoc.audit import record_export
from dondoc.core.dates import today
from dondoc.core.queries import filter_given, paged
from dondoc.documents import register, urging
from dondoc.documents.forms import RegisterFilterForm, UrgingForm
from dondoc.documents.models import OutgoingDocument
from dondoc.org import roles
from dondoc.org.access import require_role
from dondoc.org.models import Unit
from dondoc.tracking.models import Task

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _urging_form(request: HttpRequest, data: object) -> tuple[UrgingForm, list[tuple[Unit, int, int]]]:
    """The unit chooser, units with overdue tasks marked, and the per-unit counts shown under it."""
    units = _units()
    overview = urging.overview(request.user, units=units)
    return UrgingForm(data, units=units, overdue_units={unit.pk for unit, _o, _s in overview}), overview


def _units() -> list[Unit]:
    return list(Unit.objects.assignable().order_by("name"))


def _chosen(data: QueryDict) -> list[Unit]:
    """The unit chosen in `data` alone, when it is one a letter may go to (else none: the form refuses the
    choice with its message) — the POST checks one unit, not the list of every unit (issue 19)."""
    value = data.get("unit") or ""
    return (
        list(Unit.objects.assignable().filter(pk=int(value)))
        if value.isascii() and value.isdigit() and len(value) < 10
        else []
    )


@login_required
@require_role(*roles.CITY_OFFICE)
def urging_page(request: HttpRequest) -> HttpResponse:
    """Choose a unit (or every unit with overdue tasks), preview what the letter will list, then issue it."""
    ref = today()
    form, overview = _urging_form(request, request.GET if "unit" in request.GET else None)
    return _render_urging(request, form, overview, ref)


def _render_urging(
    request: HttpRequest, form: UrgingForm, overview: object, ref: object, status: int = 200
) -> HttpResponse:
    context: dict[str, object] = {"form": form, "ref": ref, "overview": overview}
    if form.is_bound and form.is_valid():
        unit = form.chosen_unit()
        context["chosen"] = form.cleaned_data["unit"]
        context["secret_note"] = _secret_note(request, unit)
        if unit is None:
            context["all_units"] = True
        else:
            lines, problem = urging.preview(unit, request.user)
            context.update(unit=unit, lines=lines, problem=problem)
    return render(request, "documents/urging.html", context, status=status)


def _secret_note(request: HttpRequest, unit: Unit | None) -> str:
    """The warning about the secret overdue tasks a letter to `unit` (None: to every unit) leaves out, or ""."""
    counts = urging.secret_left_out(request.user, unit=unit)
    count = sum(counts.values())
    return urging.secret_note(count, unit) if count else ""


@login_required
@require_role(*roles.CITY_OFFICE)
@require_POST
def urging_issue(request: HttpRequest) -> HttpResponse:
    """Issue the letter (or letters) chosen on the urging page, once confirmed (a POST without ``confirm`` shows the
    confirmation step); on refusal, show the page again with the reason."""
    # The chosen unit is checked against the units alone: the per-unit counts (a sum over the counted rows) are
    # read only for a page that shows them — the refusal, or the confirmation of a letter to every unit.
    form = UrgingForm(request.POST, units=_chosen(request.POST), overdue_units=set())
    if not form.is_valid():
        return _render_urging(request, *_urging_form(request, request.POST), today(), status=400)
    unit = form.chosen_unit()
    if not request.POST.get("confirm"):
        # A letter takes a number of the register that is never given back: say so and ask once more.
        return render(
            request,
            "documents/urging_confirm.html",
            {
                "unit": unit,
                "chosen": form.cleaned_data["unit"],
                "overview": urging.overview(request.user) if unit is None else [],
                "secret_note": _secret_note(request, unit),
            },
        )
    note = _secret_note(request, unit)
    try:
        if unit is not None:
            record = urging.issue_letter(unit, request.user)
            messages.success(
                request,
                f"Đã ban hành công văn đôn đốc số {record.notation} gửi {unit.name} ({record.listed} nhiệm vụ).",
            )
            if note:
                messages.warning(request, note)
            return redirect(record)
        issued, skipped = urging.issue_all(request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return _render_urging(request, *_urging_form(request, request.POST), today(), status=400)
    for reason in skipped:
        messages.warning(request, reason)
    if not issued:
        messages.error(
            request,
            "Không ban hành công văn đôn đốc nào."
            if skipped
            else "Không có đơn vị nào có nhiệm vụ quá hạn cần đôn đốc.",
        )
        return _render_urging(request, *_urging_form(request, request.POST), today(), status=400)
    numbers = ", ".join(r.notation for r in issued)
    messages.success(request, f"Đã ban hành {len(issued)} công văn đôn đốc: {numbers}.")
    if note:
        messages.warning(request, note)
    return redirect(
        f"{reverse('documents:register')}?doc_type={OutgoingDocument.DocType.URGING}&year={today().year}"
    )


@login_required
def register_list(request: HttpRequest) -> HttpResponse:
    """The register of outgoing documents the user may see, filtered by year, type and issuer, 25 a page."""
    visible = OutgoingDocument.objects.visible_to(request.user)
    issuers = list(Unit.objects.filter(pk__in=visible.values("issuer_id")).order_by("name"))
    form = RegisterFilterForm(request.GET or None, issuers=issuers)
    documents = visible.select_related("issuer", "recipient_unit")
    if form.is_bound and not form.is_valid():
        documents = documents.none()
    elif form.is_bound:
        documents = filter_given(
            documents, form.cleaned_data, {"year": "year", "doc_type": "doc_type", "issuer": "issuer_id"}
        )
    documents = documents.order_by("-issued_on", "-year", "-number", "-id")
    page, query = paged(request, documents, 25)
    return render(
        request,
        "documents/register_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "may_issue": urging.may_issue(request.user),
        },
    )


def readable_document(request: HttpRequest, pk: int) -> OutgoingDocument:
    """The outgoing document `pk` as the reader may have it (404 if not visible): an issued periodic report withheld
    from the reader is refused (PermissionDenied, in Vietnamese) — the register, its files and its edXML package
    hand out no more than the report's own page."""
    from dondoc.evaluation.report_views import refuse_withheld_document

    record = get_object_or_404(
        OutgoingDocument.objects.visible_to(request.user).select_related(
            "issuer", "recipient_unit", "created_by"
        ),
        pk=pk,
    )
    refuse_withheld_document(request, record)
    return record


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = readable_document(request, pk)
    tasks = (
        Task.objects.visible_to(request.user)
        .filter(outgoing_documents=record)
        .select_related("directive", "lead_unit")
        .order_by("due_date", "id")
    )
    return render(
        request,
        "documents/document_detail.html",
        {"doc": record, "tasks": tasks, "may_redraw": urging.may_issue(request.user)},
    )


@login_required
def document_files(request: HttpRequest, pk: int) -> HttpResponse:
    """The document's files block alone, polled by htmx every 2 s while the worker draws them."""
    return render(
        request,
        "documents/_files.html",
        {"doc": readable_document(request, pk), "may_redraw": urging.may_issue(request.user)},
    )


@login_required
@require_role(*roles.CITY_OFFICE)
@require_POST
def redraw_files(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Tạo lại tệp": a document whose files the worker could not draw is queued again (the City Office, who issue
    urging letters — the only documents the worker draws)."""
    record = readable_document(request, pk)
    if register.draw_again(record):
        messages.success(
            request,
            f"Đã đưa văn bản {record.notation} vào hàng đợi để tạo lại tệp DOCX và PDF từ nội dung lúc ban hành.",
        )
    else:
        messages.info(
            request, f"Tệp của văn bản {record.notation} không ở trạng thái lỗi: không cần tạo lại."
        )
    return redirect(record.get_absolute_url())


def files_not_ready(request: HttpRequest, record: OutgoingDocument, what: str) -> HttpResponse | None:
    """The answer to a download of `what` ("tệp DOCX", "gói edXML") of `record` before its files exist (queued,
    being drawn, or failed): a page saying so, 409 (the register row exists, its files not yet); None when they
    are there."""
    if record.files_ready:
        return None
    if record.files_pending:
        message = (
            f"Văn bản {record.notation} đã được vào sổ; {what} đang được tạo từ nội dung lúc ban hành "
            "(thường trong ít giây). Vui lòng tải lại sau."
        )
    else:
        message = (
            f"Chưa tạo được {what} của văn bản {record.notation}: {record.files_error}. "
            "Đề nghị báo quản trị hệ thống."
        )
    response = render(
        request, "documents/files_not_ready.html", {"doc": record, "message": message}, status=409
    )
    if record.files_pending:
        response["Retry-After"] = "5"
    return response


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The DOCX or PDF file, always as an attachment (never displayed inline in the browser)."""
    if fmt not in CONTENT_TYPES:
        raise Http404("Không có định dạng này.")
    record = readable_document(request, pk)
    waiting = files_not_ready(request, record, f"tệp {fmt.upper()}")
    if waiting is not None:
        return waiting
    field = record.docx if fmt == "docx" else record.pdf
    if not field:
        raise Http404("Văn bản chưa có tệp này.")
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("Không tìm thấy tệp của văn bản trên máy chủ.") from None
    filename = f"{record.notation.replace('/', '-')}.{fmt}"
    # An inspection notice, a monthly report, an urging letter: the trail names the kind of document.
    what = f"{record.get_doc_type_display()} ({fmt.upper()})"
    record_export(request, what, obj=record, detail={"file": filename})
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[fmt])
