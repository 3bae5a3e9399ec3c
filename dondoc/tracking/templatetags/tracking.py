from datetime import date, datetime
from typing import Any

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from dondoc.core.links import url_by_id, url_maker
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


_ROWS_HEAD = (
    '<div class="table-responsive"><table class="table table-sm table-hover mb-0 table-cards">\n'
    "<thead><tr><th>Nội dung</th>{lead}<th>Thời hạn</th></tr></thead><tbody>\n"
)
_ROWS_EMPTY = '<tr><td colspan="3" class="text-muted">Không có.</td></tr>'
_ROWS_TAIL = "\n</tbody></table></div>\n"


@register.simple_tag(takes_context=True)
def task_rows(context: template.Context, tasks: Any, show_lead: bool) -> SafeString:
    """The home pages' table of tasks (a worklist): each task's content (`task_content`, 120 characters) linking to
    its page, "Sắp đến hạn" when its annotated bucket is due soon, its lead unit when `show_lead`, its deadline.
    Written here rather than by a template: the unit's home shows up to 200 rows, ~50 µs each through the template
    language (issue 19)."""
    from dondoc.tracking.secrecy import content_for

    reader = getattr(context.get("request"), "user", None)
    # the rows' addresses looked up once per table, not per row (`core.links.url_maker`: a task's
    # `get_absolute_url`, `unit_url`)
    task_page, unit_page = (url_maker(name) for name in ("tracking:task_detail", "tracking:unit_detail"))
    out = [_ROWS_HEAD.format(lead="<th>Đơn vị chủ trì</th>" if show_lead else "")]
    for task in tasks:
        soon = ' <span class="badge text-bg-info">Sắp đến hạn</span>' if task.bucket == tl.DUE_SOON else ""
        lead = (
            f'<td data-label="Đơn vị chủ trì"><a href="{unit_page(task.lead_unit_id)}">'
            f"{conditional_escape(task.lead_unit.name)}</a></td>"
            if show_lead
            else ""
        )
        out.append(
            f'<tr><td><a href="{conditional_escape(task_page(task.pk))}">'
            f"{conditional_escape(content_for(reader, task, 120))}</a>{soon}</td>{lead}"
            f'<td data-label="Thời hạn">{dmy(task.due_date) or "—"}</td></tr>\n'
        )
    if len(out) == 1:
        out.append(_ROWS_EMPTY)
    out.append(_ROWS_TAIL)
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


_LIST_ROW = (
    '\n    <tr>\n      <td class="task-content"><a href="{url}">{content}</a><div class="d-md-none small text-muted">'
    "{unit}</div>{secret}</td>\n"
    '      <td class="d-none d-md-table-cell"><a href="{unit_url}">{unit}</a></td>\n'
    '      <td class="d-none d-lg-table-cell text-nowrap"><a href="{directive_url}">{notation}</a></td>\n'
    '      <td data-label="Thời hạn">{due}</td>\n'
    '      <td data-label="Tình trạng"><span class="badge {bucket_class}">{bucket_label}</span>{waiting}</td>\n'
    "    </tr>\n  "
)
_LIST_EMPTY = (
    '\n    <tr><td colspan="5" class="text-muted">Không có nhiệm vụ nào khớp điều kiện lọc.</td></tr>\n  '
)


@register.simple_tag(takes_context=True)
def list_rows(context: template.Context, tasks: Any) -> SafeString:
    """The task list's rows (tracking/task_list.html): each task's content (`content_for`, 140 characters) linking
    to its page, "Mật" when secret, its lead unit, its directive, its deadline, its annotated bucket and "Chờ xác
    nhận" when its result waits. Written here rather than by the template (~65 µs a row through the template
    language; the list is a quarter of the busy hour's requests, issue 19): tests/tracking/test_task_rows.py
    compares the text with the template's."""
    from dondoc.tracking.secrecy import content_for

    reader = getattr(context.get("request"), "user", None)
    # the addresses around the ids and the bucket's badge looked up once, not per row (~25 µs a row, issue 19)
    task_url, unit_page, directive_url = (
        url_maker(name) for name in ("tracking:task_detail", "tracking:unit_detail", "directives:detail")
    )
    badges: dict[str, tuple[str, str]] = {}
    out = []
    for task in tasks:
        unit = conditional_escape(task.lead_unit.name)
        if task.bucket not in badges:
            badges[task.bucket] = (
                conditional_escape(bucket_class(task.bucket)),
                conditional_escape(bucket_label(task.bucket)),
            )
        badge_class, badge_label = badges[task.bucket]
        out.append(
            _LIST_ROW.format(
                url=conditional_escape(task_url(task.pk)),
                content=conditional_escape(content_for(reader, task, 140)),
                unit=unit,
                secret=' <span class="badge text-bg-dark">Mật</span>' if task.secret else "",
                unit_url=conditional_escape(unit_page(task.lead_unit_id)),
                directive_url=conditional_escape(directive_url(task.directive_id)),
                notation=conditional_escape(task.directive.notation),
                due=conditional_escape(dmy(task.due_date) or "—"),
                bucket_class=badge_class,
                bucket_label=badge_label,
                waiting=' <span class="badge text-bg-warning">Chờ xác nhận</span>'
                if tl.awaiting_confirmation(task.state, task.completed_on)
                else "",
            )
        )
    return mark_safe("".join(out) or _LIST_EMPTY)  # noqa: S308 - every value above is escaped


@register.simple_tag(takes_context=True)
def bucket_counters(context: template.Context, counters: Any, href: Any) -> SafeString:
    """The bucket counters (`queries.counters`), each a chip linking to `href` + its key (no links without `href`),
    the due-soon part after its bucket, as tracking/_bucket_counters.html's loop wrote them (~30 µs a counter
    through the template language, seven on the task list, the leader's home, a task page, issue 19;
    tests/tracking/test_bucket_counters_tag.py compares the two)."""
    from django.template.defaultfilters import lower

    from dondoc.core.templatetags.filter_bar import _shown

    link = _shown(href, context) if href else ""
    out = []
    for c in counters or ():
        key, css = _shown(c.key, context), conditional_escape(bucket_class(c.key))
        label, n = _shown(c.label, context), _shown(c.n, context)
        if link:
            chip = (
                f'<a class="badge {css} fs-6 bucket-chip" data-bucket="{key}" href="{link}{key}">{label}: '
                f'<span class="count">{n}</span></a>'
            )
        else:
            chip = (
                f'<span class="badge {css} fs-6 bucket-chip" data-bucket="{key}">{label}: '
                f'<span class="count">{n}</span></span>'
            )
        part = ""
        if c.part:
            p = c.part
            part_key, part_label = _shown(p.key, context), conditional_escape(lower(p.label))
            part_n = _shown(p.n, context)
            part = (
                ' <span class="small text-muted bucket-part">(trong đó '
                + (f'<a data-bucket="{part_key}" href="{link}{part_key}">' if link else "")
                + f'{part_label}: <span class="count">{part_n}</span>{"</a>" if link else ""})</span>'
            )
        out.append(
            f'<span class="bucket-counter d-inline-flex align-items-center gap-1">{chip}{part}</span>\n'
        )
    return mark_safe("".join(out))  # noqa: S308 - `_shown` and `conditional_escape` escape as the template did


@register.simple_tag(takes_context=True)
def action_fields(context: template.Context, form: Any) -> SafeString:
    """An action form's fields on the task page (tracking/task_detail.html): its hidden fields, then each visible
    one in a block with its label, its widget and its errors, as the template's two loops wrote them (~25 nodes a
    field, up to five forms a page, issue 19; tests/tracking/test_action_fields.py compares the two). The widgets
    are Django's (`{{ field }}`, through the forms' renderer)."""
    from dondoc.core.templatetags.filter_bar import _shown

    out = [_shown(field, context) for field in form.hidden_fields()]
    out.append("\n    ")
    for field in form.visible_fields():
        errors = "".join(
            f'<div class="text-danger small field-error" data-field="{_shown(field.name, context)}">'
            f"{_shown(e, context)}</div>"
            for e in field.errors
        )
        out.append(
            f'\n    <div class="mb-2">\n      <label class="form-label" for="{_shown(field.id_for_label, context)}">'
            f"{_shown(field.label, context)}</label>\n      {_shown(field, context)}\n      {errors}\n    </div>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 - `_shown` escapes as the template's `{{ }}` did
