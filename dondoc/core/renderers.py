"""The forms' renderer: Django's, with the drop-down lists (`<select>`) written in Python.

A list of the city's units has ~180 options and Django renders each through two templates (the option and its
attributes): ~6.5 ms a list, on the task list's filter, the directive page's task form (two lists) and the City
Office's task page (its actions' lists) — pages of the busy hour (issue 19). `FastSelectRenderer` writes the same
text as Django's templates `select.html` / `select_option.html` / `attrs.html` (tests/core/test_renderers.py
compares them); anything it does not know (another option template, a label that is not text) goes to Django's.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


class Unknown(Exception):
    """A value the Python writer does not render as the templates would: let Django's templates do it."""


def _text(value: Any) -> str:
    """`{{ value }}` of a text (lazy or safe included)."""
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str):
        raise Unknown
    return conditional_escape(value)


def _attrs(attrs: dict[str, Any]) -> str:
    """attrs.html: ` name="value"`, ` name` for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(
            f" {_text(name)}" if value is True else f' {_text(name)}="{conditional_escape(f"{value}")}"'
        )
    return "".join(out)


def select_html(widget: dict[str, Any]) -> SafeString:
    """select.html for the widget's context."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    # (an option's template ends with a line break, which Django's rendering keeps)
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                raise Unknown
            value = conditional_escape("{}".format(option["value"]))
            parts.append(
                f'\n  <option value="{value}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>\n'
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


class FastSelectRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT:
            try:
                return select_html(context["widget"])
            except Unknown:
                pass
        return super().render(template_name, context, request=request)
