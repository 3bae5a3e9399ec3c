"""The options of a list's filter bar's drop-down (`core/_filter_field.html`) and its hidden fields
(`core/_filter_bar.html`), written in Python.

The filter bar of the task list (and of the dashboard, the directives, the register) offers the city's ~180 units
in a drop-down; the template wrote each option through four nodes (the value, a comparison of two `stringformat`s,
the label), ~20 µs an option, and Django's `{% for %}` first counted the units (a query) before reading them (a
second): ~5 ms of the task list's ~30 (issue 19). `filter_options` writes the same text (tests/core/test_filter_bar.py
compares it with the template's) from one read of the choices. The task list's seven hidden fields (the directive,
the parent task, the evaluation's measures) went through Django's widget templates, ~0.4 ms each (~2.7 ms a page,
issue 19): `filter_hidden` writes an empty hidden field itself and leaves any other to Django.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField, HiddenInput
from django.forms.models import ModelChoiceIteratorValue
from django.template.base import render_value_in_context
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from dondoc.core.renderers import choice_texts

register = template.Library()


def _s(value: Any) -> str:
    """`value|stringformat:'s'`."""
    try:
        return "%s" % value  # noqa: UP031 - the filter's own formatting (a tuple is an error there, hence "")
    except (ValueError, TypeError):
        return ""


def _shown(value: Any, context: template.Context) -> str:
    """`{{ value }}`: a text (lazy or safe included) or a model choice's value is escaped as Django's template does
    (for them its localisation changes nothing); anything else (a number, a date) goes through Django's own."""
    if isinstance(value, (str, Promise, ModelChoiceIteratorValue)):
        return conditional_escape(value if isinstance(value, str) else str(value))
    return render_value_in_context(value, context)


@register.simple_tag(takes_context=True)
def filter_options(context: template.Context, field: BoundField) -> SafeString:
    """`<option value="…"[ selected]>label</option>` for each choice of the field's widget, the field's current
    value selected, as the template `{% for value, label in field.field.widget.choices %}…` wrote them."""
    current = _s(field.value())
    out = []
    for value, label in field.field.widget.choices:
        # a plain choice's texts escaped once per process (`renderers.choice_texts`), any other's here
        texts = choice_texts(value, label)
        compared, shown, text = texts or (_s(value), _shown(value, context), _shown(label, context))
        selected = " selected" if compared == current else ""
        out.append(f'<option value="{shown}"{selected}>{text}</option>')
    return mark_safe("".join(out))  # noqa: S308 - `_shown` escapes as the template did


def _hidden(field: BoundField) -> str:
    """`{{ field }}` of a hidden field: an empty one without attributes of its own written here (what Django's
    `input.html` writes for it), any other by Django."""
    widget = field.field.widget
    if (
        type(widget) is HiddenInput
        and not widget.attrs
        and not field.field.disabled
        and field.value() in (None, "")
    ):
        id_ = f' id="{conditional_escape(field.auto_id)}"' if field.auto_id else ""
        return f'<input type="hidden" name="{conditional_escape(field.html_name)}"{id_}>'
    return str(field)


@register.simple_tag
def filter_hidden(form: Any) -> SafeString:
    """The filter bar's hidden fields, each followed by its errors, as the template
    `{% for field in form.hidden_fields %}{{ field }}{% if field.errors %}…{% endif %}{% endfor %}` wrote them."""
    out = []
    for field in form.hidden_fields():
        out.append(_hidden(field))
        if field.errors:
            errors = " ".join(conditional_escape(e) for e in field.errors)
            out.append(
                f'<div class="col-12 text-danger small">{conditional_escape(field.label)}: {errors}</div>'
            )
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped (`str(field)` is Django's safe text)


@register.simple_tag(takes_context=True)
def filter_field(context: template.Context, field: BoundField) -> SafeString:
    """One field of the filter bar — its label, a small select (`filter_options`) or text box, its errors — as the
    template `core/_filter_field.html` wrote it (tests/core/test_filter_bar.py compares them); `inputmode` (from the
    context, optional) goes to the text box. An include a field was ~0.1 ms (nine fields on the task list)."""
    widget = field.field.widget
    name, id_ = _shown(field.name, context), _shown(field.id_for_label, context)
    invalid = " is-invalid" if field.errors else ""
    out = [
        f'<label class="form-label small mb-0" for="{id_}">{_shown(field.label, context)}</label>\n    ',
    ]
    if getattr(widget, "input_type", None) == "select":
        typeahead = "".join(
            f' data-typeahead="{_shown(v, context)}"'
            for k, v in widget.attrs.items()
            if k == "data-typeahead"
        )
        out.append(
            f'\n      <select name="{name}" id="{id_}" class="form-select form-select-sm{invalid}"{typeahead}>\n'
            f"        {filter_options(context, field)}\n      </select>\n    "
        )
    else:
        inputmode = context.get("inputmode")
        mode = f' inputmode="{_shown(inputmode, context)}"' if inputmode else ""
        value = field.value()
        shown = "" if value is None else _shown(value, context)
        placeholder = widget.attrs.get("placeholder")
        hint = f' placeholder="{_shown(placeholder, context)}"' if placeholder else ""
        out.append(
            f'\n      <input type="text"{mode} name="{name}" id="{id_}" value="{shown}" '
            f'class="form-control form-control-sm{invalid}"{hint}>\n    '
        )
    out.append("\n    ")
    out.extend(
        f'<div class="invalid-feedback field-error" data-field="{name}">{_shown(e, context)}</div>'
        for e in field.errors
    )
    return mark_safe("".join(out))  # noqa: S308 - every value is escaped (`_shown`)


_MISSING = object()


def _variable(context: template.Context, name: str) -> Any:
    """A variable of the context, `_MISSING` when it has none (the template wrote "" for it, tested it false)."""
    return context.get(name, _MISSING)


@register.simple_tag(takes_context=True)
def filter_fields(context: template.Context, form: Any) -> SafeString:
    """Every visible field of the filter bar in its column (`filter_field`), as core/_filter_bar.html's loop
    `{% for field in form.visible_fields %}<div class="… col-lg-{% if select_cols and … %}…">…{% endfor %}` wrote
    them: a select takes `select_cols` columns when given, the search box `q` takes `wide` when given, any other
    field `cols` (each from the context). The loop's nodes were ~50 µs a field (issue 19)."""
    select_cols, wide, cols = (_variable(context, k) for k in ("select_cols", "wide", "cols"))
    out = []
    for field in form.visible_fields():
        if (
            select_cols is not _MISSING
            and select_cols
            and getattr(field.field.widget, "input_type", None) == "select"
        ):
            width = select_cols
        elif wide is not _MISSING and wide and field.name == "q":
            width = wide
        else:
            width = cols
        shown = "" if width is _MISSING else _shown(width, context)
        out.append(
            f'\n  <div class="col-12 col-sm-6 col-lg-{shown}">\n    {filter_field(context, field)}\n  </div>\n  '
        )
    return mark_safe("".join(out))  # noqa: S308 - `_shown` and `filter_field` escape as the template did
