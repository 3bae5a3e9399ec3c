from datetime import date, datetime
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter

from dondoc.core.links import url_by_id
from dondoc.tracking import timeliness as tl

register = template.Library()

_BUCKET_CLASS = {
    tl.COMPLETED_ON_TIME: "text-bg-success",
    tl.COMPLETED_LATE: "text-bg-warning",
    tl.IN_DEADLINE: "text-bg-primary",
    tl.DUE_SOON: "text-bg-info",
    tl.OVERDUE: "text-bg-danger",
    tl.NO_DEADLINE: "text-bg-secondary",
    tl.DRAFTED: "text-bg-light",
    tl.WITHDRAWN: "text-bg-dark",
}


@register.filter
def bucket_class(name: str) -> str:
    return _BUCKET_CLASS.get(name, "text-bg-light")


@register.filter
def bucket_label(name: str) -> str:
    return tl.BUCKET_LABELS.get(name, name)


_FIELD_LABELS = {
    "state": "Trạng thái",
    "lead_unit": "Đơn vị chủ trì",
    "accountable_head": "Thủ trưởng chịu trách nhiệm",
    "officer": "Cán bộ thực hiện",
    "internal_due_date": "Hạn nội bộ",
    "due_date": "Thời hạn hoàn thành",
    "proposed_due_date": "Thời hạn đề nghị",
    "completed_on": "Ngày hoàn thành",
    "progress": "Tiến độ (%)",
    "request": "Đề nghị",
    "unit": "Đơn vị",
    "letter": "Công văn đôn đốc",
}
_VALUE_LABELS = {
    "draft": "Dự thảo",
    "assigned": "Đã giao",
    "in_progress": "Đang thực hiện",
    "result_submitted": "Đã gửi kết quả",
    "completed": "Hoàn thành",
    "cancelled": "Đã hủy, rút",
    "pending": "Chờ quyết định",
    "approved": "Đã chấp thuận",
    "rejected": "Không chấp thuận",
}


@register.filter
def field_label(name: str) -> str:
    return _FIELD_LABELS.get(name, name)


@register.filter
def value_label(value: object) -> object:
    return _VALUE_LABELS.get(value, value) if isinstance(value, str) else value


@register.simple_tag(takes_context=True)
def task_content(context: template.Context, task: object, limit: int | None = None) -> str:
    """A task's content as the signed-in reader may see it (masked when secret and the reader is not cleared);
    every template shows task content through this tag (tests/security/test_secrecy.py checks it)."""
    from dondoc.tracking.secrecy import content_for

    request = context.get("request")
    return content_for(getattr(request, "user", None), task, limit)


@register.filter
def unit_url(pk: int) -> str:
    """`{% url 'tracking:unit_detail' pk %}` for the rows of a list, without a `reverse` per row (`core.links`)."""
    return url_by_id("tracking:unit_detail", pk)


@register.filter(expects_localtime=True)
def dmy(value: Any) -> Any:
    """`value|date:"d/m/Y"` for the dates of a list's rows, written directly (Django's filter costs ~20 µs a date):
    "" for no date, Django's own filter for anything but a plain date (a time is shown in the local timezone)."""
    if value is None or value == "":
        return ""
    if isinstance(value, date) and not isinstance(value, datetime):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return date_filter(value, "d/m/Y")
