"""A crafted key in a multiple choice gets the field's message, never a database overflow (500)."""

import pytest
from django import forms

from dondoc.core.fields import IdsMultipleChoiceField
from dondoc.org.models import Unit


class UnitsForm(forms.Form):
    units = IdsMultipleChoiceField(label="Đơn vị", queryset=Unit.objects.all())


@pytest.mark.parametrize("raw", ["99999999999999999999999", "-1", "0", "abc", "1.5"])
def test_out_of_range_or_malformed_keys_are_refused(db, raw):
    form = UnitsForm(data={"units": [raw]})
    assert not form.is_valid()
    assert form.errors["units"] == [f"«{raw}» không phải là một lựa chọn hợp lệ."]


def test_existing_keys_are_accepted(registry):
    unit = Unit.objects.order_by("pk").first()
    form = UnitsForm(data={"units": [str(unit.pk)]})
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["units"]) == [unit]


def test_a_choice_filter_may_be_left_empty_and_refuses_an_unknown_value_naming_the_field():
    from django import forms

    from dondoc.core.fields import choice_filter

    class F(forms.Form):
        kind = choice_filter("Loại nhiệm vụ", [("a", "Loại A")])

    assert F({"kind": ""}).is_valid() and F({"kind": "a"}).is_valid()
    form = F({"kind": "z"})
    assert not form.is_valid() and form.errors["kind"] == ["Loại nhiệm vụ «z» không hợp lệ."]
    assert F().fields["kind"].choices == [("", "Tất cả"), ("a", "Loại A")]
