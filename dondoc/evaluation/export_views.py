"""Download a filtered task list as XLSX or CSV: the list page's question, the list page's rules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
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


def listed_tasks(request: HttpRequest) -> tuple[list[TaskQuerySet], date, date]:
    """The tasks the list page would show for this querystring — visibility, filters, bucket (no draft) — as the
    disjoint parts of what the user sees (`TaskQuerySet.visible_parts`: a unit's own tasks, those it coordinates),
    each of which the database reads off an index.

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
    parts = []
    for part in Task.objects.exclude(state=tl.DRAFT).visible_parts(request.user):
        part = filter_tasks(part, data, ref, soon)
        parts.append(part.in_bucket(data["bucket"], ref, soon) if data.get("bucket") else part)
    return parts, ref, soon


def recorded(
    request: HttpRequest, what: str, chunks: Iterable[bytes], counter: exports.RowCounter
) -> Iterator[bytes]:
    """`chunks` of an export as they are sent, and its audit record once they are: with the number of rows
    written (`counter`), so the record's count is the file's, and no count of the list is asked for beforehand.
    A download cut short (the browser closed, the connection lost: the server closes the response) is recorded
    with the rows written until then, marked incomplete."""
    complete = False
    try:
        yield from chunks
        complete = True
    finally:
        record_export(request, what, counter.n, detail={"complete": complete})


def _refuse(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "evaluation/report_export_error.html", {"message": message}, status=400)


def _filename(ext: str) -> str:
    return f"danh-sach-nhiem-vu-{timezone.localtime():%Y%m%d-%H%M}.{ext}"


@login_required
@require_GET
def export_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The filtered task list as an XLSX workbook (one sheet, header frozen, dates dd/mm/yyyy), streamed."""
    try:
        parts, ref, soon = listed_tasks(request)
    except ExportRefused as exc:
        return _refuse(request, f"Không xuất được danh sách: {exc}")
    # A sheet's limit: each part read up to one id past it (the only count of the list; the audit record counts
    # the rows as they are written).
    if _longer_than(parts, exports.XLSX_MAX_ROWS):
        return _refuse(
            request,
            f"Danh sách có hơn {exports.XLSX_MAX_ROWS:,} nhiệm vụ, vượt giới hạn một trang tính Excel: "
            "hãy lọc bớt hoặc xuất tệp CSV.".replace(",", "."),
        )
    counter = exports.RowCounter()
    chunks = exports.tasks_xlsx(exports.rows(parts, ref, soon, calendar.current(), counter))
    response = StreamingHttpResponse(
        recorded(request, "Danh sách nhiệm vụ (XLSX)", chunks, counter),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response


def _longer_than(parts: list[TaskQuerySet], limit: int) -> bool:
    """Whether the parts together hold more than `limit` tasks, each part counted no further than `limit` + 1."""
    return sum(part.order_by().values("pk")[: limit + 1].count() for part in parts) > limit


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
        parts, ref, soon = listed_tasks(request)
    except ExportRefused as exc:
        return _refuse(request, f"Không xuất được danh sách: {exc}")
    counter = exports.RowCounter()
    lines = exports.csv_lines(
        exports.HEADERS,
        exports.rows(parts, ref, soon, calendar.current(), counter),
        delimiter=exports.CSV_DELIMITERS[separator],
    )
    response = StreamingHttpResponse(
        recorded(request, "Danh sách nhiệm vụ (CSV)", (line.encode("utf-8") for line in lines), counter),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response
