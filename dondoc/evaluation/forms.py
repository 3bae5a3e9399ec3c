"""The dashboard's filters: period (type, period or custom dates), authority and kind, with Vietnamese messages."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms

from dondoc.core.fields import IdField, VietDateField, choice_filter
from dondoc.directives.models import Authority
from dondoc.evaluation import periods as pr
from dondoc.evaluation import stats
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import TaskQuerySet

REF_LABEL = "Số liệu tính đến ngày"
MAX_CUSTOM_DAYS = 3 * 366  # a custom range longer than three years is refused
_KEY = re.compile(r"^(\d{4})-(\d{1,2})$")


def period_key(period: pr.Period) -> str:
    """The `ky` value of a regular period: "2026-3" (year-number)."""
    return f"{period.year}-{period.number}"


class DashboardForm(forms.Form):
    loai_ky = forms.ChoiceField(
        label="Loại kỳ",
        required=False,
        choices=list(pr.KIND_LABELS.items()),
        error_messages={"invalid_choice": "Loại kỳ «%(value)s» không hợp lệ."},
    )
    ky = forms.CharField(label="Kỳ báo cáo", required=False, max_length=10)
    tu_ngay = VietDateField(label="Từ ngày", required=False)
    den_ngay = VietDateField(label="Đến ngày", required=False)
    authority = choice_filter("Cấp giao", Authority.choices)
    kind = choice_filter("Loại nhiệm vụ", tl.KIND_LABELS.items())
    ngay = VietDateField(
        label=REF_LABEL,
        required=False,
        help_text="Để trống: hôm nay.",
        error_messages={
            "invalid": f"«{REF_LABEL}» không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 14/03/2026."
        },
    )

    def __init__(self, *args: object, today: date, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today
        kind = self.data.get("loai_ky") or pr.MONTHLY
        if kind not in pr.PER_YEAR:
            kind = pr.MONTHLY
        self.fields["ky"].widget = forms.Select(
            choices=[(period_key(p), p.label) for p in pr.choices(kind, today)]
        )

    def clean_ngay(self) -> date:
        """The reference date (*số liệu tính đến ngày*): any day up to today; empty = today."""
        ref = self.cleaned_data.get("ngay")
        if ref is None:
            return self.today
        if ref > self.today:
            raise forms.ValidationError(
                f"«{REF_LABEL}» không được sau ngày hôm nay ({self.today:%d/%m/%Y}).", code="future"
            )
        if ref.year < 2000:
            raise forms.ValidationError(f"«{REF_LABEL}» phải từ năm 2000 trở đi.", code="too_old")
        return ref

    def clean(self) -> dict[str, object]:
        data = self._clean_period()
        period, ref = data.get("period"), data.get("ngay")
        if isinstance(period, pr.Period) and isinstance(ref, date) and ref < period.start:
            self.add_error("ngay", f"«{REF_LABEL}» không được trước ngày đầu kỳ ({period.start:%d/%m/%Y}).")
        return data

    def _clean_period(self) -> dict[str, object]:
        data = super().clean() or {}
        kind = data.get("loai_ky") or pr.MONTHLY
        data["loai_ky"] = kind
        if self.errors:
            return data
        if kind == pr.CUSTOM:
            start, end = data.get("tu_ngay"), data.get("den_ngay")
            if not start:
                self.add_error("tu_ngay", "Kỳ tùy chọn: phải nhập «Từ ngày».")
            if not end:
                self.add_error("den_ngay", "Kỳ tùy chọn: phải nhập «Đến ngày».")
            if start and end:
                if start > end:  # type: ignore[operator]
                    self.add_error("den_ngay", "«Đến ngày» phải sau hoặc bằng «Từ ngày».")
                elif (end - start).days >= MAX_CUSTOM_DAYS:  # type: ignore[operator]
                    self.add_error("den_ngay", "Kỳ tùy chọn dài quá 3 năm: hãy chọn khoảng ngắn hơn.")
                else:
                    data["period"] = pr.custom(start, end)  # type: ignore[arg-type]
            return data
        key = (data.get("ky") or "").strip()
        if not key:
            data["period"] = pr.containing(kind, data.get("ngay") or self.today)  # type: ignore[arg-type]
            return data
        match = _KEY.match(key)
        if match is None:
            self.add_error("ky", f"Kỳ báo cáo «{key}» không hợp lệ: viết dạng năm-số kỳ, ví dụ 2026-3.")
            return data
        year, number = int(match[1]), int(match[2])
        if not 2000 <= year <= self.today.year + 5 or not 1 <= number <= pr.PER_YEAR[kind]:
            self.add_error("ky", f"Kỳ báo cáo «{key}» không có trong loại kỳ «{pr.KIND_LABELS[kind]}».")
            return data
        data["period"] = pr.regular(kind, year, number)
        return data

    @property
    def ref(self) -> date:
        """The cleaned reference date (today when none was given)."""
        return self.cleaned_data.get("ngay") or self.today

    def filters(self) -> stats.Filters:
        return stats.Filters(self.cleaned_data.get("authority") or "", self.cleaned_data.get("kind") or "")


class MeasureFilter:
    """The task list behind a number of the evaluation (`stats.list_url`): a measure of a period seen on a reference
    date, optionally for one reporting unit, filtered with the same Q objects as its count. Its fields join the task
    list's form (`tracking.queries.LIST_FILTERS`, registered in `EvaluationConfig.ready`); hidden: they come from
    the dashboard's links."""

    fields: dict[str, forms.Field] = {
        "measure": forms.ChoiceField(
            label="Chỉ tiêu thống kê",
            required=False,
            widget=forms.HiddenInput,
            choices=[("", "")] + list(stats.MEASURE_LABELS.items()),
            error_messages={"invalid_choice": "Chỉ tiêu thống kê «%(value)s» không hợp lệ."},
        ),
        "period_from": VietDateField(label="Kỳ từ ngày", required=False, widget=forms.HiddenInput),
        "period_to": VietDateField(label="Kỳ đến ngày", required=False, widget=forms.HiddenInput),
        "as_of": VietDateField(label="Ngày tính tình trạng", required=False, widget=forms.HiddenInput),
        "counted_unit": IdField(label="Đơn vị trong kỳ", required=False, what="đơn vị"),
    }

    def clean(self, form: forms.Form, data: dict[str, Any]) -> None:
        start, end = data.get("period_from"), data.get("period_to")
        if data.get("measure") or data.get("counted_unit"):
            if not start or not end:
                form.add_error("period_to", "Chỉ tiêu thống kê cần cả «Kỳ từ ngày» và «Kỳ đến ngày».")
            elif start > end:
                form.add_error("period_to", "«Kỳ đến ngày» phải sau hoặc bằng «Kỳ từ ngày».")

    def filter(self, qs: TaskQuerySet, data: dict[str, Any], ref: date) -> TaskQuerySet:
        if not (data.get("measure") or data.get("counted_unit")):
            return qs
        period = pr.custom(data["period_from"], data["period_to"])
        if data.get("measure"):
            qs = qs.filter(stats.measure_q(data["measure"], period, data.get("as_of") or ref))
        if data.get("counted_unit"):
            qs = qs.filter(stats.unit_q(data["counted_unit"], period, data.get("as_of") or ref))
        return qs
