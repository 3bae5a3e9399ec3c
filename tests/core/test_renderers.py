"""The forms' drop-down lists written in Python (issue 19) are the text of Django's own templates."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from dondoc.core.renderers import FastSelectRenderer
from dondoc.org.models import Unit

CHOICES = [
    ("", "— Tất cả —"),
    ("a&b", 'Sở "Xây dựng" <mới>'),
    (3, gettext_lazy("Hoàn thành")),
    ("Nhóm", [("x", "Một"), ("y", mark_safe("<b>Hai</b>"))]),
]


def both(widget: forms.Widget, value, attrs=None) -> tuple[str, str]:
    return (
        widget.render("chon", value, attrs=attrs, renderer=FastSelectRenderer()),
        widget.render("chon", value, attrs=attrs, renderer=DjangoTemplates()),
    )


@pytest.mark.parametrize("value", [None, "", "a&b", 3, "y"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_chon", "class": 'form-select "x"', "required": True, "disabled": False}]
)
def test_a_select_is_djangos_text(value, attrs):
    fast, django = both(forms.Select(choices=CHOICES), value, attrs)
    assert fast == django


def test_a_label_that_is_not_text_is_left_to_djangos_templates():
    fast, django = both(forms.Select(choices=[*CHOICES, (4, 4), (5, 1.5)]), 4)
    assert fast == django


def test_a_multiple_select_with_several_chosen_is_djangos_text():
    fast, django = both(forms.SelectMultiple(choices=CHOICES), ["a&b", "x", 3], {"id": "id_chon"})
    assert fast == django and fast.count(" selected") == 3


@pytest.mark.django_db
def test_the_units_chooser_is_djangos_text(registry):
    chosen = registry["SXD"].pk
    field = forms.ModelChoiceField(Unit.objects.order_by("name"), empty_label="— Chọn —")
    fast = field.widget.render("unit", chosen, renderer=FastSelectRenderer())
    field = forms.ModelChoiceField(Unit.objects.order_by("name"), empty_label="— Chọn —")
    assert fast == field.widget.render("unit", chosen, renderer=DjangoTemplates())
    assert f'value="{chosen}" selected' in fast


class _Stored:
    """A stored file as a form's initial value (`ClearableFileInput` shows its name and a link)."""

    url = "/tep/bao-cao.pdf"

    def __str__(self) -> str:
        return "bao-cao.pdf"


INPUTS = [
    forms.TextInput(),
    forms.HiddenInput(),
    forms.NumberInput(),
    forms.EmailInput(),
    forms.DateInput(),
    forms.PasswordInput(render_value=True),
    forms.CheckboxInput(),
    forms.ClearableFileInput(),
    forms.FileInput(),
    forms.Textarea(attrs={"rows": 3, "class": 'form-control "x"'}),
]
VALUES = [
    None,
    "",
    'a&b <i>"c"</i>',
    mark_safe("<b>an toàn</b>"),
    gettext_lazy("Hoàn thành"),
    0,
    42,
    1.5,
    True,
]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("widget", INPUTS, ids=lambda w: type(w).__name__)
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_chon", "required": True, "disabled": False, "maxlength": 20}]
)
def test_an_input_or_a_text_area_is_djangos_text(widget, value, attrs):
    """The task page's action forms' inputs and text areas written in Python (`input_html`, `textarea_html`) are
    Django's templates' text, their values and attributes escaped as the templates escape them."""
    fast, django = both(widget, value, attrs)
    assert fast == django


def test_a_file_input_with_a_current_file_and_a_number_in_a_text_area_are_left_to_djangos_templates():
    for widget, value in ((forms.ClearableFileInput(), _Stored()), (forms.Textarea(), 1234567)):
        fast, django = both(widget, value)
        assert fast == django
    assert "bao-cao.pdf" in fast or "1234567" in fast


def test_the_inputs_are_written_in_python():
    """No template is rendered for an input or a text area (what the Python writers are for)."""
    from unittest import mock

    renderer = FastSelectRenderer()
    with mock.patch.object(DjangoTemplates, "render", side_effect=AssertionError("a template")):
        for widget in INPUTS:
            assert widget.render("chon", "x", renderer=renderer).startswith(("<input", "<textarea"))


# the fast drop-downs (`FastSelect`, `FastSelectMultiple`): plain choices, with a name to escape, a None value, a
# value repeated (only its first option chosen in a single select)
PLAIN = [("", "— Chọn —"), ("a&b", 'Sở "Xây dựng" <mới>'), ("3", "Ba"), (None, "Không"), ("3", "Ba lần hai")]


@pytest.mark.parametrize("value", [None, "", "a&b", "3", 3, "khong-co", ["3", "a&b"]])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_chon", "class": 'form-select "x"', "required": True, "disabled": False}]
)
@pytest.mark.parametrize("kind", ["single", "multiple"])
def test_a_fast_select_is_djangos_text(value, attrs, kind):
    from dondoc.core.renderers import FastSelect, FastSelectMultiple

    fast_widget, django_widget = (
        (FastSelect, forms.Select) if kind == "single" else (FastSelectMultiple, forms.SelectMultiple)
    )
    for choices in (PLAIN, CHOICES):  # CHOICES: a lazy label and a group, written by Django's way
        fast = fast_widget(choices=choices, attrs={"data-typeahead": "1"}).render(
            "chon", value, attrs=attrs, renderer=FastSelectRenderer()
        )
        django = django_widget(choices=choices, attrs={"data-typeahead": "1"}).render(
            "chon", value, attrs=attrs, renderer=DjangoTemplates()
        )
        assert fast == django


@pytest.mark.django_db
def test_the_unit_fields_are_djangos_text_and_skip_the_option_dictionaries(registry, monkeypatch):
    """The units' fields (`unit_choice`, `units_choice`) write the text of Django's templates, a renamed unit at
    once by its new (escaped) name, without `create_option`."""
    from dondoc.tracking.forms import unit_choice, units_choice

    Unit.objects.filter(pk=registry["SXD"].pk).update(name='Sở <Xây> & "dựng"')
    chosen = registry["SXD"].pk
    for make, value in ((unit_choice, chosen), (units_choice, [chosen, registry["STC"].pk])):
        fast = make("Đơn vị", invalid="x").widget.render("unit", value, renderer=FastSelectRenderer())
        field = make("Đơn vị", invalid="x")
        django_widget = (forms.SelectMultiple if field.widget.allow_multiple_selected else forms.Select)(
            attrs=field.widget.attrs
        )
        django_widget.choices = field.choices
        assert fast == django_widget.render("unit", value, renderer=DjangoTemplates())
        assert f'<option value="{chosen}" selected>Sở &lt;Xây&gt; &amp; &quot;dựng&quot;</option>' in fast
    monkeypatch.setattr(forms.Select, "create_option", None)
    assert "Sở &lt;Xây&gt;" in unit_choice("Đơn vị", invalid="x").widget.render(
        "unit", chosen, renderer=FastSelectRenderer()
    )
