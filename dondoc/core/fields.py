"""Form fields shared by the apps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from dondoc.core.dates import out_of_range

DATE_HELP = "dd/mm/yyyy"


class VietDateField(forms.DateField):
    """A date typed as dd/mm/yyyy, with a Vietnamese message."""

    default_error_messages = {"invalid": "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 25/12/2026."}

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("input_formats", ["%d/%m/%Y"])
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": DATE_HELP, "inputmode": "numeric"}))
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def clean(self, value: Any) -> Any:
        """The date, refused outside the calendar's days (`core.dates.out_of_range`): 31/12/9999 is a slip."""
        day = super().clean(value)
        if day is not None and (message := out_of_range(day, str(value).strip())):
            raise ValidationError(message, code="out_of_range")
        return day


def choice_filter(
    label: str, choices: Iterable[tuple[str, Any]], *, everything: str = "Tất cả"
) -> forms.ChoiceField:
    """A list filter among `choices` that may be left empty (`everything`); an unknown value is refused with a
    message naming the field. Every filter form builds its choice filters here."""
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", everything), *choices],
        error_messages={"invalid_choice": f"{label} «%(value)s» không hợp lệ."},
    )


def year_filter() -> forms.IntegerField:
    """A year filter (*năm*) that may be left empty: a whole number from 1945 to 2100."""
    return forms.IntegerField(
        label="Năm",
        required=False,
        min_value=1945,
        max_value=2100,
        error_messages={
            "invalid": "Năm phải là số, ví dụ 2026.",
            "min_value": "Năm phải từ 1945 trở đi.",
            "max_value": "Năm không được quá 2100.",
        },
    )


# The largest key any of our databases stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    """The key of a row given in a link (``?directive=12``): a whole number from 1 to MAX_ID. Without the upper
    bound a number wider than 64 bits reaches the database and SQLite raises OverflowError (a 500)."""

    def __init__(self, *, what: str, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("widget", forms.HiddenInput)
        message = f"Mã {what} phải là số nguyên dương (1 đến {MAX_ID})."
        kwargs.setdefault(
            "error_messages",
            {"invalid": f"Mã {what} phải là số.", "min_value": message, "max_value": message},
        )
        super().__init__(**kwargs)


class IdsMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows whose submitted keys are checked to be whole numbers in range first.

    Django passes the raw values to an ``__in`` lookup, and SQLite raises OverflowError (a 500) on a number wider
    than 64 bits; a crafted POST must get the field's "invalid choice" message instead.
    """

    default_error_messages = {"invalid_pk_value": "«%(pk)s» không phải là một lựa chọn hợp lệ."}

    def _check_values(self, value: Iterable[Any]) -> Any:
        for raw in value:
            text = str(raw).strip()
            if not text.isdigit() or not 0 < int(text) <= MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": raw}
                )
        return super()._check_values(value)  # type: ignore[misc]  # private in the stubs, public in Django


#: Widget attributes of a select that the page turns into a type-ahead box (``static/js/typeahead.js``, Tom Select):
#: the unit choices (~150 units) and the coordinators (several picked without Ctrl-click).
TYPEAHEAD = {"data-typeahead": "don-vi"}
