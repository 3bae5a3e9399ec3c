"""Forms of the follow-up pages; every error names the field in Vietnamese."""

from __future__ import annotations

from django import forms

from dondoc.core.fields import VietDateField, choice_filter
from dondoc.followup.models import FollowupRule, Preference
from dondoc.tracking.forms import unit_choice

IGNORED_DEFAULT_DAYS = 3


class OfficeFilterForm(forms.Form):
    """Filters of the City Office's follow-up page."""

    day = VietDateField(label="Ngày", required=False)
    unit = unit_choice("Đơn vị", invalid="Đơn vị không có trong danh mục.")
    kind = choice_filter("Loại thời hạn", FollowupRule.Kind.choices)
    days = forms.IntegerField(
        label="Không phản hồi sau (ngày làm việc)",
        required=False,
        min_value=1,
        max_value=60,
        error_messages={
            "invalid": "Số ngày làm việc không phản hồi phải là số nguyên.",
            "min_value": "Số ngày làm việc không phản hồi phải từ 1 đến 60.",
            "max_value": "Số ngày làm việc không phản hồi phải từ 1 đến 60.",
        },
    )


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email_mode"]
        error_messages = {"email_mode": {"invalid_choice": "Cách nhận thư điện tử «%(value)s» không hợp lệ."}}
