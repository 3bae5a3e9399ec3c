"""Pages of the periodic report: the runs, the request form, the progress page (htmx polling), downloads, issue.

Who: the City Office's tracking officers, Sở Nội vụ's inspectors and administrators ask for and issue reports; the
city's leaders read them too. Unit people get a 403 (the report covers every unit).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dondoc.audit import record_export
from dondoc.evaluation import dashboard, report
from dondoc.evaluation.report_forms import ReportForm
from dondoc.evaluation.report_models import ReportRun
from dondoc.org import roles
from dondoc.org.access import has_role, require_role
from dondoc.org.models import Person
from dondoc.tracking import secrecy

Role = Person.Role
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _may_make(request: HttpRequest) -> bool:
    return has_role(request.user, roles.REPORT_MAKERS)


@login_required
@require_role(*roles.SEES_EVERYTHING)
def report_list(request: HttpRequest) -> HttpResponse:
    runs = ReportRun.objects.select_related("issuer", "document", "created_by").order_by("-created_at", "-id")
    page = Paginator(runs, 25).get_page(request.GET.get("trang"))
    return render(
        request, "evaluation/report_list.html", {"page": page, "query": "", "may_make": _may_make(request)}
    )


@login_required
@require_role(*roles.REPORT_MAKERS)
def report_new(request: HttpRequest) -> HttpResponse:
    """Ask for a report: a small one is generated at once; a large one is a job of the queue (`dondoc worker`)."""
    form = ReportForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            period = d["period"]
            run = report.new_run(
                period, d["issuer"], ref=d["reference_date"], proposals=d["proposals"], user=request.user
            )
            if report.due_tasks(period) <= settings.REPORT_INLINE_MAX_TASKS:
                report.generate(run)
            else:
                report.queue(run)
                messages.info(
                    request, "Báo cáo lớn đang được tạo ở chế độ nền; trang này tự cập nhật tiến độ."
                )
            return redirect(run)
        return render(request, "evaluation/report_form.html", {"form": form}, status=400)
    return render(request, "evaluation/report_form.html", {"form": form})


def _run(pk: int) -> ReportRun:
    return get_object_or_404(ReportRun.objects.select_related("issuer", "document", "created_by"), pk=pk)


def _frozen_lines(lines: list[report.FrozenLine]) -> list[dashboard.Line]:
    """Stored figures as the dashboard's table lines (same columns), without links: they are not a recount."""
    return [
        dashboard.Line(
            line.label,
            line.counts,
            [dashboard.Cell(m, line.counts.value(m), "") for m in dashboard.TABLE_MEASURES],
            line.rank,
        )
        for line in lines
    ]


def withheld(request: HttpRequest, run: ReportRun) -> bool:
    """The report counts secret tasks where they do not count for the reader (`secrecy.reports_withheld`): its
    figures and files are not theirs to read, nor to issue."""
    made_on = timezone.localdate(run.created_at)
    return secrecy.reports_withheld(
        request.user, run.period_start, run.period_end, run.reference_date, made_on
    )


def _refuse_withheld(request: HttpRequest, run: ReportRun) -> None:
    if withheld(request, run):
        example = secrecy.last_cut_off(timezone.localdate())
        raise PermissionDenied(secrecy.REPORT_WITHHELD.format(example=f"{example:%d/%m/%Y}"))


def refuse_withheld_document(request: HttpRequest, record: Any) -> None:
    """The register's page, files and edXML package of an issued report are the report's: refused, in the same
    words, to a reader the report is withheld from (`withheld`) — the files count every secret task."""
    if record.doc_type != record.DocType.REPORT:
        return
    run = ReportRun.objects.filter(document=record).first()
    if run is not None:
        _refuse_withheld(request, run)


def _detail_context(request: HttpRequest, run: ReportRun) -> dict[str, object]:
    """The run, and — once counted — the figures it stored (never a recount) with a link to the dashboard at the
    report's period and reference date; for a reader it is withheld from, neither (`withheld`)."""
    hidden = withheld(request, run)
    context: dict[str, object] = {
        "run": run,
        "may_make": _may_make(request) and not hidden,
        "withheld": hidden,
    }
    if hidden:
        example = secrecy.last_cut_off(timezone.localdate())
        context["withheld_text"] = secrecy.REPORT_WITHHELD.format(example=f"{example:%d/%m/%Y}")
        return context
    figures = report.frozen(run.figures)
    if figures is not None:
        context.update(
            figures=figures,
            city_lines=_frozen_lines([report.FrozenLine("", "Toàn Thành phố", figures.city)]),
            unit_lines=_frozen_lines(figures.by_unit),
            authority_lines=_frozen_lines(figures.by_authority),
            kind_lines=_frozen_lines(figures.by_kind),
            dashboard_url=dashboard.dashboard_url(report.period_of(run), run.reference_date),
        )
    return context


@login_required
@require_role(*roles.SEES_EVERYTHING)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "evaluation/report_detail.html", _detail_context(request, _run(pk)))


@login_required
@require_role(*roles.SEES_EVERYTHING)
def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress block alone, polled by htmx every 2 s until the run is finished."""
    run = _run(pk)
    hidden = withheld(request, run)
    return render(
        request,
        "evaluation/report_progress.html",
        {"run": run, "may_make": _may_make(request) and not hidden, "withheld": hidden},
    )


@login_required
@require_role(*roles.SEES_EVERYTHING)
def report_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """A report file, always as an attachment. Once issued, DOCX and PDF are the numbered ones of the register."""
    run = _run(pk)
    _refuse_withheld(request, run)
    if fmt not in FORMATS:
        raise Http404("Không có định dạng này.")
    source = run.document if fmt != "xlsx" and run.document is not None else run
    file = getattr(source, fmt)
    if not file:
        raise Http404("Báo cáo chưa có tệp này.")
    name = f"bao-cao-{run.period_start:%Y%m%d}-{run.period_end:%Y%m%d}"
    if run.document is not None and fmt != "xlsx":
        name += f"-so-{run.document.number:02d}"
    elif fmt != "xlsx":
        name += "-du-thao"
    else:
        name += "-phu-luc"
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404("Không tìm thấy tệp của báo cáo trên máy chủ.") from None
    record_export(request, f"Báo cáo định kỳ ({fmt.upper()})", obj=run, detail={"file": f"{name}.{fmt}"})
    return FileResponse(handle, as_attachment=True, filename=f"{name}.{fmt}", content_type=FORMATS[fmt])


@login_required
@require_role(*roles.REPORT_MAKERS)
@require_POST
def report_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the draft, once confirmed (a POST without ``confirm`` shows the confirmation step): it receives the
    next number of its issuer's register and today's date."""
    run = _run(pk)
    _refuse_withheld(request, run)
    try:
        if not request.POST.get("confirm"):
            if not run.is_draft:
                raise ValidationError("Chỉ ban hành được báo cáo ở trạng thái dự thảo.")
            # A report takes a number of the register that is never given back: say so and ask once more.
            return render(
                request, "evaluation/report_issue_confirm.html", {"run": run, "day": timezone.localdate()}
            )
        run = report.issue_run(run, request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return render(
            request, "evaluation/report_detail.html", _detail_context(request, _run(pk)), status=400
        )
    assert run.document is not None
    messages.success(request, f"Đã ban hành báo cáo số {run.document.notation}.")
    return redirect(run)
