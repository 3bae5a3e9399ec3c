"""`{% load dashboard_tags %}`: whether the navigation shows "Thống kê, đánh giá"; the dashboard tables' rows."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.formats import get_format
from django.utils.safestring import mark_safe

from dondoc.org import roles
from dondoc.org.access import has_role

register = template.Library()


@register.filter
def can_see_dashboard(user: object) -> bool:
    """Leaders, the City Office, inspectors and administrators (the roles the dashboard view admits)."""
    return has_role(user, roles.SEES_EVERYTHING)


# The on-time rate of a row with no task come due on the reference date (`stats.Counts.on_time_rate` is None):
# nothing to rate yet, not 0 %.
NOT_COME_DUE = '<span class="text-muted small chua-den-han">chưa có nhiệm vụ đến hạn</span>'


@register.simple_tag
def dashboard_rows(lines: list, ranked: bool = False) -> str:
    """The rows of a dashboard table (`_dashboard_table.html`), built here rather than by template loops: the
    unit table has ~150 rows of 10 cells, each a link, and the template engine took most of the page's time.
    The markup is what the template wrote: every text escaped, numbers as `{{ }}` shows them (integers plain —
    USE_THOUSAND_SEPARATOR is off —, decimals with the language's separator)."""
    sep = get_format("DECIMAL_SEPARATOR")

    def number(value: object) -> str:
        return (
            "—" if value is None else str(value).replace(".", sep) if isinstance(value, float) else str(value)
        )

    # a unit not ranked yet says why; a group (authority, kind) with nothing come due is a plain dash
    not_rated = NOT_COME_DUE if ranked else "—"
    measures: dict[str, str] = {}  # a handful of measures, each escaped once (not once per cell)

    def measure(name: str) -> str:
        if name not in measures:
            measures[name] = escape(name)
        return measures[name]

    out = []
    for line in lines:
        c = line.counts
        cells = "".join(
            f'<td class="text-end" data-measure="{measure(cell.measure)}">{cell.value}</td>'
            if not cell.url  # a stored figure (an issued report's page): no list to link to
            else f'<td class="text-end"><a href="{escape(cell.url)}" data-measure="{measure(cell.measure)}">'
            f"{cell.value}</a></td>"
            if cell.value
            else f'<td class="text-end"><a href="{escape(cell.url)}" class="text-muted" '
            f'data-measure="{measure(cell.measure)}">0</a></td>'
            for cell in line.cells
        )
        rank = f"<td>{number(line.rank)}</td>" if ranked else ""
        done, on_time = c.completion_rate, c.on_time_rate
        out.append(
            f'<tr>{rank}<th scope="row" class="fw-normal">{escape(line.label)}</th>{cells}'
            f'<td class="text-end">{"—" if done is None else number(done) + "%"}</td>'
            f'<td class="text-end">{not_rated if on_time is None else number(on_time) + "%"}</td>'
            f'<td class="text-end">{number(c.avg_days_late)}</td></tr>'
        )
    return mark_safe("\n".join(out))  # noqa: S308 — every interpolated text is escaped; the rest are numbers
