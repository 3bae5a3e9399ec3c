from __future__ import annotations

from django import forms

from dondoc.audit.models import AuditEntry
from dondoc.core.fields import VietDateField


class AuditFilterForm(forms.Form):
    """Filters of the audit page; dates typed dd/mm/yyyy."""

    user = forms.CharField(label="Tài khoản", required=False, max_length=150)
    date_from = VietDateField(
        label="Từ ngày",
        required=False,
        error_messages={"invalid": "Từ ngày: nhập theo dạng dd/mm/yyyy, ví dụ 05/03/2026."},
    )
    date_to = VietDateField(
        label="Đến ngày",
        required=False,
        error_messages={"invalid": "Đến ngày: nhập theo dạng dd/mm/yyyy, ví dụ 31/03/2026."},
    )
    object_type = forms.ChoiceField(label="Loại đối tượng", required=False)
    action = forms.ChoiceField(
        label="Thao tác", required=False, choices=[("", "Tất cả"), *AuditEntry.Action.choices]
    )

    def __init__(self, *args: object, object_types: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["object_type"].choices = [("", "Tất cả"), *[(t, t) for t in object_types]]  # type: ignore[attr-defined]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:  # type: ignore[operator]
            self.add_error("date_to", "Đến ngày phải từ ngày «Từ ngày» trở về sau.")
        return data
