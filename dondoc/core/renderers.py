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

from django import forms
from django.forms.models import ModelChoiceIteratorValue
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


# A choice's texts by its value and label (plain text both, or a model's integer id and a text), escaped once per
# process: the units' lists (~180 choices, up to three on the City Office's task page, one on each list's filter
# bar) escaped and formatted every choice on every page (issue 19). The key is the text itself: a renamed unit is a
# new key, never a stale text, and nothing reaches a page that the page's own choices did not hold; `MAX_CHOICES`
# bounds the memory (the table is emptied when full).
_CHOICES: dict[tuple[Any, Any, str], tuple[str, str, str]] = {}
MAX_CHOICES = 4096


def choice_texts(value: Any, label: Any) -> tuple[str, str, str] | None:
    """(the value as text — what a chosen value is compared with —, the value escaped, the label escaped) of a
    choice whose label is plain text and whose value is a text or a model's integer id; None for any other (a
    lazy or safe label, a number, a group): its caller writes those itself."""
    kind = type(value)
    if type(label) is not str:
        return None
    if kind is str:
        raw = value
    elif kind is ModelChoiceIteratorValue and type(value.value) is int:
        raw = value.value
    else:
        return None
    key = (kind, raw, label)
    found = _CHOICES.get(key)
    if found is None:
        if len(_CHOICES) >= MAX_CHOICES:
            _CHOICES.clear()
        text = str(value)
        found = _CHOICES[key] = (text, conditional_escape(text), conditional_escape(label))
    return found


class FastChoicesMixin:
    """A drop-down (`Select`, `SelectMultiple`) that writes itself, with FastSelectRenderer, without building
    Django's option dictionaries (`optgroups`, `create_option`: ~8 µs a choice before any rendering — ~4 ms of the
    City Office's task page, its actions' three lists of the city's units, issue 19): the text of `select_html`
    for the same choices (tests/core/test_renderers.py compares it with Django's templates). Groups, labels that
    are not plain text, other templates or renderers: Django's way."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        widget: Any = self
        if (
            isinstance(renderer, FastSelectRenderer)
            and widget.template_name == SELECT
            and widget.option_template_name == OPTION
            and not widget.option_inherits_attrs
        ):
            written = self._written(name, value, attrs)
            if written is not None:
                return written
        return super().render(name, value, attrs, renderer)  # type: ignore[misc]

    def _written(self, name: str, value: Any, attrs: Any) -> SafeString | None:
        widget: Any = self
        context = forms.Widget.get_context(widget, name, value, attrs)["widget"]
        multiple = widget.allow_multiple_selected
        if multiple:
            context["attrs"]["multiple"] = True
        chosen = context["value"]
        parts = [f'<select name="{_text(name)}"{_attrs(context["attrs"])}>']
        has_selected = False
        for option_value, option_label in widget.choices:
            texts = choice_texts("" if option_value is None else option_value, option_label)
            if texts is None:
                return None
            compared, shown, label = texts
            selected = (not has_selected or multiple) and compared in chosen
            has_selected |= selected
            parts.append(f'\n  <option value="{shown}"{" selected" if selected else ""}>{label}</option>\n')
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


class FastSelect(FastChoicesMixin, forms.Select):
    pass


class FastSelectMultiple(FastChoicesMixin, forms.SelectMultiple):
    pass
