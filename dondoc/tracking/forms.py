from __future__ import annotations

from django import forms

from dondoc.directives.models import Authority
from dondoc.org.models import Unit
from dondoc.tracking import timeliness as tl

DATE_HELP = "dd/mm/yyyy"


class VietDateField(forms.DateField):
    default_error_messages = {"invalid": "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 25/12/2026."}

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("input_formats", ["%d/%m/%Y"])
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": DATE_HELP, "inputmode": "numeric"}))
        super().__init__(**kwargs)  # type: ignore[arg-type]


class TaskFilterForm(forms.Form):
    q = forms.CharField(label="Tìm kiếm", required=False, max_length=200)
    unit = forms.ModelChoiceField(
        label="Đơn vị chủ trì",
        queryset=Unit.objects.assignable().order_by("kind", "name"),
        required=False,
        empty_label="Tất cả đơn vị",
        error_messages={"invalid_choice": "Đơn vị chủ trì không có trong danh mục."},
    )
    bucket = forms.ChoiceField(
        label="Tình trạng",
        required=False,
        choices=[("", "Tất cả")] + [(k, v) for k, v in tl.BUCKET_LABELS.items() if k != tl.NOT_TRACKED],
        error_messages={"invalid_choice": "Tình trạng «%(value)s» không hợp lệ."},
    )
    authority = forms.ChoiceField(
        label="Cấp giao",
        required=False,
        choices=[("", "Tất cả")] + list(Authority.choices),
        error_messages={"invalid_choice": "Cấp giao «%(value)s» không hợp lệ."},
    )
    kind = forms.ChoiceField(
        label="Loại nhiệm vụ",
        required=False,
        choices=[("", "Tất cả")] + list(tl.KIND_LABELS.items()),
        error_messages={"invalid_choice": "Loại nhiệm vụ «%(value)s» không hợp lệ."},
    )
    due_from = VietDateField(label="Hạn từ ngày", required=False)
    due_to = VietDateField(label="Hạn đến ngày", required=False)
    directive = forms.IntegerField(
        label="Văn bản",
        required=False,
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={"invalid": "Mã văn bản phải là số.", "min_value": "Mã văn bản phải là số dương."},
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("due_from"), data.get("due_to")
        if start and end and start > end:  # type: ignore[operator]
            self.add_error("due_to", "«Hạn đến ngày» phải sau hoặc bằng «Hạn từ ngày».")
        return data
