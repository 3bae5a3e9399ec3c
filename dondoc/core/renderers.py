"""The forms' renderer: Django's, with the drop-down lists (`<select>`), the inputs and the text areas written in
Python.

A list of the city's units has ~180 options and Django renders each through two templates (the option and its
attributes): ~6.5 ms a list, on the task list's filter, the directive page's task form (two lists) and the City
Office's task page (its actions' lists) — pages of the busy hour (issue 19). `FastSelectRenderer` writes the same
text as Django's templates `select.html` / `select_option.html` / `attrs.html` (tests/core/test_renderers.py
compares them); anything it does not know (another option template, a label that is not text) goes to Django's.

The task page's action forms are the same story for their other fields: a unit officer's page renders ~13 inputs and
text areas through Django's `input.html` and `attrs.html` templates, about a third of the page's CPU (issue 19);
`input_html` and `textarea_html` write the same text (an input's value as `stringformat:'s'` writes it; a file
input with a current file, a value that is not text or a number: Django's templates).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
TEXTAREA = "django/forms/widgets/textarea.html"
FILE = "django/forms/widgets/clearable_file_input.html"
# the templates that are `input.html` and nothing else
INPUTS = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "input",
        "text",
        "hidden",
        "number",
        "email",
        "url",
        "password",
        "date",
        "datetime",
        "time",
        "file",
        "checkbox",
    )
)


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


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` of a text or a number."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise Unknown
    return conditional_escape(f"{value}")


def input_html(widget: dict[str, Any]) -> SafeString:
    """input.html for the widget's context."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'
    )


def file_html(widget: dict[str, Any]) -> SafeString:
    """clearable_file_input.html for a file input with no current file (only the input)."""
    if widget["is_initial"]:
        raise Unknown
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>'
    )


def textarea_html(widget: dict[str, Any]) -> SafeString:
    """textarea.html for the widget's context."""
    value = widget["value"]
    if value and not isinstance(value, str | Promise):
        raise Unknown  # (`{{ value }}` would localize a number or a date)
    return mark_safe(  # noqa: S308 - every value is escaped
        f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{_text(value) if value else ""}'
        "</textarea>"
    )


WRITERS = {SELECT: select_html, TEXTAREA: textarea_html, FILE: file_html, **dict.fromkeys(INPUTS, input_html)}


class FastSelectRenderer(DjangoTemplates):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        writer = WRITERS.get(template_name)
        if writer is not None:
            try:
                return writer(context["widget"])
            except Unknown:
                pass
        return super().render(template_name, context, request=request)
