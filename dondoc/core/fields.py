"""Form fields shared by the apps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# The largest key any of our databases stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1


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
