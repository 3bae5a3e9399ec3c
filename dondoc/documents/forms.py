"""Forms of the outgoing register and the urging page; every message names the field and the problem."""

from __future__ import annotations

from typing import Any

from django import forms

from dondoc.core.fields import choice_filter, year_filter
from dondoc.documents.models import OutgoingDocument
from dondoc.org.models import Unit

ALL_UNITS = "all"


class RegisterFilterForm(forms.Form):
    year = year_filter()
    doc_type = choice_filter("Loại văn bản", OutgoingDocument.DocType.choices)
    issuer = forms.ChoiceField(
        label="Cơ quan ban hành",
        required=False,
        error_messages={"invalid_choice": "Cơ quan ban hành «%(value)s» không có trong sổ."},
    )

    def __init__(self, *args: Any, issuers: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["issuer"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Tất cả")] + [(str(u.pk), u.name) for u in issuers]


class UrgingForm(forms.Form):
    """Which unit to urge: one unit leading overdue tasks, or every such unit."""

    unit = forms.ChoiceField(
        label="Đơn vị nhận công văn",
        error_messages={
            "required": "Đơn vị nhận công văn: chưa chọn đơn vị.",
            "invalid_choice": "Đơn vị nhận công văn: «%(value)s» không có trong danh sách đơn vị.",
        },
    )

    def __init__(self, *args: Any, units: list[Unit], overdue_units: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        choices: list[tuple[str, str]] = [
            ("", "— Chọn đơn vị —"),
            (ALL_UNITS, "Tất cả đơn vị có nhiệm vụ quá hạn"),
        ]
        for u in units:
            mark = " (có nhiệm vụ quá hạn)" if u.pk in overdue_units else ""
            choices.append((str(u.pk), f"{u.name}{mark}"))
        field = self.fields["unit"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def chosen_unit(self) -> Unit | None:
        """The chosen unit, or None for "every unit with overdue tasks"."""
        value = self.cleaned_data["unit"]
        return None if value == ALL_UNITS else self.units[value]
