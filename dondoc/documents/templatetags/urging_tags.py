"""The urging page's two long tables written in Python: the letter's lines under "Xem trước" (a letter of ~200
tasks at 10^6) and the overview of the units with overdue tasks (~140), ~2,000 template nodes a page — two thirds of
the preview's CPU (issue 19). Each writes the text the template wrote (tests/documents/test_urging_tags.py
compares them)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from dondoc.core.links import url_maker

register = template.Library()


def _dmy(value: Any) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


@register.simple_tag
def urging_lines(lines: Any) -> SafeString:
    """A row per line of the letter: its number, the assigning document, the task's content linking to its page,
    the deadline, the working days late (— for a task due soon) and the state."""
    task_page = url_maker("tracking:task_detail")
    out = []
    for number, line in enumerate(lines, start=1):
        late = line.working_days_late if line.overdue else "—"
        out.append(
            f"<tr><td>{number}</td><td>{conditional_escape(line.directive)}</td>"
            f'<td><a href="{conditional_escape(task_page(line.task.pk))}">{conditional_escape(line.content)}</a></td>\n'
            f"      <td>{_dmy(line.due_date)}</td><td>{late}</td><td>{conditional_escape(line.state)}</td></tr>\n"
            "    "
        )
    return mark_safe("".join(out))  # noqa: S308 - every text above is escaped


@register.simple_tag
def urging_overview(overview: Any) -> SafeString:
    """A row per unit with overdue tasks: its name, its overdue and due-soon counts, the link to its preview."""
    out = []
    for unit, overdue, soon in overview:
        out.append(
            f'<tr><td>{conditional_escape(unit.name)}</td><td class="text-end">{overdue}</td>'
            f'<td class="text-end">{soon}</td>\n'
            f'      <td><a href="?unit={unit.pk}">Xem trước</a></td></tr>\n'
            "    "
        )
    return mark_safe("".join(out))  # noqa: S308 - the names are escaped, the rest are numbers
