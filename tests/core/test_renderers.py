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
