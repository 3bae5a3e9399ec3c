"""Download a filtered task list as XLSX or CSV: the list page's question, the list page's rules."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from dondoc.audit import record_export
from dondoc.core.dates import today
from dondoc.evaluation import exports
from dondoc.tracking import timeliness as tl
from dondoc.tracking.forms import TaskFilterForm
from dondoc.tracking.models import Task, TaskQuerySet
from dondoc.tracking.queries import filter_tasks
from dondoc.tracking.timeliness import soon_limit
from dondoc.workdays import calendar


class ExportRefused(Exception):
    """The request cannot be answered: its message (Vietnamese) names the field and the problem."""


def listed_tasks(request: HttpRequest) -> tuple[TaskQuerySet, date, date]:
    """The tasks the list page would show for this querystring: visibility, filters, bucket (no draft).

    Raises ExportRefused with every error of the filter form, each prefixed with its field's label.
    """
    ref = today()
    soon = soon_limit(ref)
    form = TaskFilterForm(request.GET)
    if not form.is_valid():
        problems = []
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            problems += [f"«{label}»: {e}" if label else str(e) for e in errors]
        raise ExportRefused(" ".join(problems))
    data = form.cleaned_data
    tasks = Task.objects.visible_to(request.user).exclude(state=tl.DRAFT)
    tasks = filter_tasks(tasks, data, ref, soon)
    if data.get("bucket"):
        tasks = tasks.in_bucket(data["bucket"], ref, soon)
    return tasks, ref, soon


def _refuse(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "evaluation/report_export_error.html", {"message": message}, status=400)


def _filename(ext: str) -> str:
    return f"danh-sach-nhiem-vu-{timezone.localtime():%Y%m%d-%H%M}.{ext}"


@login_required
@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The filtered task list as an XLSX workbook (one sheet, header frozen, dates dd/mm/yyyy)."""
    try:
        tasks, ref, soon = listed_tasks(request)
    except ExportRefused as exc:
        return _refuse(request, f"Không xuất được danh sách: {exc}")
    if tasks.count() > exports.XLSX_MAX_ROWS:
        return _refuse(
            request,
            f"Danh sách có hơn {exports.XLSX_MAX_ROWS:,} nhiệm vụ, vượt giới hạn một trang tính Excel: "
            "hãy lọc bớt hoặc xuất tệp CSV.".replace(",", "."),
        )
    out = exports.tasks_xlsx(tasks, ref, soon, calendar.current())
    record_export(request, "Danh sách nhiệm vụ (XLSX)", tasks.count())
    return FileResponse(
        out,
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponseBase:
    """The filtered task list as CSV, streamed: UTF-8 with BOM; `phan_cach=cham_phay` for semicolons."""
    separator = request.GET.get("phan_cach", "")
    if separator not in exports.CSV_DELIMITERS:
        return _refuse(
            request,
            f"Không xuất được danh sách: «Dấu phân cách» «{separator[:20]}» không hợp lệ "
            "(chọn «phay» hoặc «cham_phay»).",
        )
    try:
        tasks, ref, soon = listed_tasks(request)
    except ExportRefused as exc:
        return _refuse(request, f"Không xuất được danh sách: {exc}")
    record_export(request, "Danh sách nhiệm vụ (CSV)", tasks.count())
    lines = exports.csv_lines(
        exports.HEADERS,
        exports.rows(tasks, ref, soon, calendar.current()),
        delimiter=exports.CSV_DELIMITERS[separator],
    )
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response
