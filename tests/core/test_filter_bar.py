"""A list's filter bar writes its drop-downs' options in Python (`core.templatetags.filter_bar`, issue 19): the same
text as the template loop it replaced, for every filter form that uses the bar, unbound, bound, chosen or refused."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from dondoc.core.dates import today
from dondoc.directives.forms import DirectiveFilterForm
from dondoc.evaluation.forms import DashboardForm
from dondoc.followup.forms import OfficeFilterForm
from dondoc.tracking.forms import TaskFilterForm

pytestmark = pytest.mark.django_db

# The loop the tag replaced, as core/_filter_field.html had it.
TEMPLATE_LOOP = Template(
    "{% for value, label in field.field.widget.choices %}<option value=\"{{ value }}\"{% if field.value|stringformat:'s'"
    " == value|stringformat:'s' %} selected{% endif %}>{{ label }}</option>{% endfor %}"
)
TAG = Template("{% load filter_bar %}{% filter_options field %}")

# core/_filter_field.html as it was (one field of the bar), the reference of the `filter_field` tag
FIELD_TEMPLATE = Template(
    "{% load filter_bar %}"
    + '<label class="form-label small mb-0" for="{{ field.id_for_label }}">{{ field.label }}</label>\n    {% if field.field.widget.input_type == \'select\' %}\n      <select name="{{ field.name }}" id="{{ field.id_for_label }}" class="form-select form-select-sm{% if field.errors %} is-invalid{% endif %}"{% for k, v in field.field.widget.attrs.items %}{% if k == "data-typeahead" %} data-typeahead="{{ v }}"{% endif %}{% endfor %}>\n        {% filter_options field %}\n      </select>\n    {% else %}\n      <input type="text"{% if inputmode %} inputmode="{{ inputmode }}"{% endif %} name="{{ field.name }}" id="{{ field.id_for_label }}" value="{{ field.value|default_if_none:\'\' }}" class="form-control form-control-sm{% if field.errors %} is-invalid{% endif %}"{% if field.field.widget.attrs.placeholder %} placeholder="{{ field.field.widget.attrs.placeholder }}"{% endif %}>\n    {% endif %}\n    {% for e in field.errors %}<div class="invalid-feedback field-error" data-field="{{ field.name }}">{{ e }}</div>{% endfor %}'
)
FIELD_TAG = Template("{% load filter_bar %}{% filter_field field %}")


def both(field) -> tuple[str, str]:
    return TAG.render(Context({"field": field})), TEMPLATE_LOOP.render(Context({"field": field}))


def selects(form: forms.Form) -> list:
    return [f for f in form.visible_fields() if getattr(f.field.widget, "input_type", "") == "select"]


def forms_to_compare(registry) -> list[forms.Form]:
    unit = registry["SXD"].pk
    return [
        TaskFilterForm(),
        TaskFilterForm({"unit": str(unit), "bucket": "overdue", "authority": "ubnd_tp"}),
        TaskFilterForm({"unit": "999999", "bucket": "khong-co"}),  # refused choices: none selected
        DirectiveFilterForm(),
        DirectiveFilterForm({"year": "2026"}),
        OfficeFilterForm({"unit": str(unit)}),
        DashboardForm(None, today=today()),
        DashboardForm({"loai_ky": "quy", "kind": "x"}, today=today()),
    ]


def test_the_options_are_the_templates_text(registry, frozen):
    compared = 0
    for form in forms_to_compare(registry):
        form.is_bound and form.is_valid()
        for field in selects(form):
            tag, template = both(field)
            assert tag == template, field.name
            compared += 1
    assert compared >= 12
    unit = TaskFilterForm({"unit": str(registry["SXD"].pk)})
    assert f'<option value="{registry["SXD"].pk}" selected>' in both(unit["unit"])[0]


def test_labels_and_values_are_escaped_as_the_template_did():
    class Odd(forms.Form):
        pick = forms.ChoiceField(
            required=False,
            choices=[
                ("", "— Tất cả —"),
                ("a&b", 'Sở "Xây dựng" <mới>'),
                (3, gettext_lazy("Hoàn thành")),
                ("s", mark_safe("<b>Hai</b>")),
                (None, 1.5),
            ],
        )

    for data in (None, {"pick": "a&b"}, {"pick": "3"}, {"pick": ""}):
        tag, template = both(Odd(data)["pick"])
        assert tag == template


def test_the_units_are_read_once(registry):
    field = TaskFilterForm()["unit"]
    with CaptureQueriesContext(connection) as ctx:
        both_tag = TAG.render(Context({"field": field}))
    assert len(ctx.captured_queries) == 1 and registry["SXD"].name in both_tag


def test_each_field_is_the_templates_text(registry, frozen):
    """Every visible field of every filter form, unbound, bound, chosen and refused, with and without the text
    boxes' `inputmode`: the tag writes what core/_filter_field.html wrote."""
    compared = 0
    forms_ = [
        *forms_to_compare(registry),
        TaskFilterForm({"q": 'a "b" <c>', "due_from": "32/13/2026", "due_to": "01/03/2026"}),
        TaskFilterForm({"due_from": "05/03/2026", "due_to": "01/03/2026"}),  # refused together
    ]
    for form in forms_:
        form.is_bound and form.is_valid()
        for field in form.visible_fields():
            for extra in ({}, {"inputmode": "numeric"}):
                context = {"field": field, **extra}
                assert FIELD_TAG.render(Context(context)) == FIELD_TEMPLATE.render(Context(context)), (
                    field.name
                )
                compared += 1
    assert compared >= 60
    refused = TaskFilterForm({"due_from": "32/13/2026"})
    refused.is_valid()
    assert 'class="invalid-feedback field-error" data-field="due_from"' in FIELD_TAG.render(
        Context({"field": refused["due_from"]})
    )


# core/_filter_bar.html as it was before its fields' loop became `filter_fields`, the reference of the bar's text
OLD_BAR = Template(
    "{% load filter_bar %}\n"
    '<form method="get" class="row g-2 align-items-end mb-3" aria-label="{{ label }}" novalidate{% if form_id %}'
    ' id="{{ form_id }}"{% endif %}>\n'
    '  {% if form.non_field_errors %}<div class="col-12 alert alert-danger" role="alert">'
    '{{ form.non_field_errors|join:" " }}</div>{% endif %}\n'
    "  {% for field in form.visible_fields %}\n"
    "  <div class=\"col-12 col-sm-6 col-lg-{% if select_cols and field.field.widget.input_type == 'select' %}"
    "{{ select_cols }}{% elif wide and field.name == 'q' %}{{ wide }}{% else %}{{ cols }}{% endif %}\">\n"
    "    {% filter_field field %}\n"
    "  </div>\n"
    "  {% endfor %}\n"
    "  {% filter_hidden form %}\n"
    '  <div class="col-auto"><button class="btn btn-primary btn-sm" type="submit">{{ submit|default:"Lọc" }}'
    "</button>\n"
    '  <a class="btn btn-outline-secondary btn-sm" href="{{ reset }}">{{ reset_label|default:"Bỏ lọc" }}</a></div>\n'
    "</form>\n"
)

# the include's parameters of each list that has the bar (tracking, directives, the City Office's, the register,
# the dashboard), and odd ones: none at all, a width of 0, a width that is a text to escape
BAR_PARAMETERS = [
    {"label": "Lọc nhiệm vụ", "wide": 3, "cols": 2},
    {"label": "Lọc văn bản", "wide": 4, "cols": 2},
    {"label": "Lọc", "cols": 3},
    {"label": "Lọc văn bản đi", "cols": 3, "inputmode": "numeric"},
    {
        "label": "Chọn kỳ",
        "form_id": "bo-loc",
        "select_cols": "auto",
        "cols": 2,
        "submit": "Xem",
        "reset_label": "X",
    },
    {},
    {"select_cols": 0, "wide": 0, "cols": '"><b>'},
    {"select_cols": None, "wide": None, "cols": None},
]


def test_the_bar_is_the_old_templates_text(registry, frozen):
    """core/_filter_bar.html with its fields written by `filter_fields` is the text its template loop wrote, for
    every filter form (unbound, chosen, refused) and every list's parameters."""
    from django.template.loader import get_template

    from dondoc.documents.forms import RegisterFilterForm
    from dondoc.org.models import Unit

    Unit.objects.filter(pk=registry["SXD"].pk).update(name='Sở <Xây> & "dựng"')
    issuers = [*Unit.objects.order_by("name")[:3], Unit.objects.get(pk=registry["SXD"].pk)]
    bar = get_template("core/_filter_bar.html").template
    compared = 0
    for form in [
        *forms_to_compare(registry),
        TaskFilterForm({"q": 'a "b" <c>', "due_from": "32/13/2026"}),
        TaskFilterForm({"due_from": "05/03/2026", "due_to": "01/03/2026"}),  # refused together
        RegisterFilterForm(None, issuers=issuers),  # the register of outgoing documents'
        RegisterFilterForm({"issuer": str(issuers[1].pk), "year": "20x6"}, issuers=issuers),
    ]:
        form.is_bound and form.is_valid()
        for parameters in BAR_PARAMETERS:
            context = {"form": form, "reset": "/nhiem-vu/?a=1&b=2", **parameters}
            assert bar.render(Context(context)) == OLD_BAR.render(Context(context)), (type(form), parameters)
            compared += 1
    assert compared >= 80


def test_a_renamed_unit_is_shown_by_its_new_name_escaped(registry, frozen):
    """The options' texts are kept by process (`renderers._CHOICES`): a unit renamed (to a name that must be
    escaped) shows its new name at once, the same text as the template loop's, and a full table is emptied."""
    from dondoc.core import renderers

    unit = registry["SXD"]
    first = both(TaskFilterForm()["unit"])
    assert first[0] == first[1] and unit.name in first[0]
    type(unit).objects.filter(pk=unit.pk).update(name="Sở <Xây> & \"dựng\" 'mới'")
    tag, template = both(TaskFilterForm({"unit": str(unit.pk)})["unit"])
    assert tag == template
    assert (
        f'<option value="{unit.pk}" selected>Sở &lt;Xây&gt; &amp; &quot;dựng&quot; &#x27;mới&#x27;</option>'
        in tag
    )
    renderers._CHOICES.clear()
    renderers._CHOICES.update({("x", str(i), "y"): ("", "", "") for i in range(renderers.MAX_CHOICES)})
    type(unit).objects.filter(pk=unit.pk).update(name="Sở Xây dựng & Quy hoạch")
    tag, template = both(TaskFilterForm()["unit"])
    assert tag == template and "Sở Xây dựng &amp; Quy hoạch</option>" in tag
    assert len(renderers._CHOICES) < renderers.MAX_CHOICES
