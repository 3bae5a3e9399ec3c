"""The form that asks for a periodic report: period, reference date, issuing body, proposals."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from dondoc.core.dates import today
from dondoc.core.fields import VietDateField
from dondoc.evaluation import periods as pr
from dondoc.evaluation.report import ISSUERS, default_issuer, reference_for
from dondoc.org.models import Unit
from dondoc.tracking import secrecy

NUMBER_HELP = "Tháng: 1–12; quý: 1–4; 6 tháng: 1 (đầu năm) hoặc 2 (cuối năm); năm: để trống."
MAX_CUSTOM_DAYS = 366 * 2


class ReportForm(forms.Form):
    period_kind = forms.ChoiceField(
        label="Loại kỳ báo cáo",
        choices=list(pr.KIND_LABELS.items()),
        error_messages={
            "required": "Phải chọn loại kỳ báo cáo.",
            "invalid_choice": "Loại kỳ báo cáo «%(value)s» không hợp lệ.",
        },
    )
    year = forms.IntegerField(
        label="Năm",
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": "Năm phải là số, ví dụ 2026.",
            "min_value": "Năm phải từ 2000 đến 2100.",
            "max_value": "Năm phải từ 2000 đến 2100.",
        },
    )
    number = forms.IntegerField(
        label="Kỳ số",
        required=False,
        help_text=NUMBER_HELP,
        error_messages={"invalid": "Kỳ số phải là số."},
    )
    start = VietDateField(label="Từ ngày (kỳ tùy chọn)", required=False)
    end = VietDateField(label="Đến ngày (kỳ tùy chọn)", required=False)
    reference_date = VietDateField(
        label="Số liệu tính đến ngày",
        required=False,
        help_text="Để trống: ngày cuối kỳ (hoặc hôm nay nếu kỳ chưa kết thúc).",
    )
    issuer = forms.ModelChoiceField(
        label="Cơ quan ban hành",
        queryset=Unit.objects.filter(code__in=ISSUERS, valid_to__isnull=True).order_by("name"),
        empty_label=None,
        error_messages={
            "required": "Phải chọn cơ quan ban hành.",
            "invalid_choice": "Cơ quan ban hành phải là Sở Nội vụ hoặc Văn phòng UBND Thành phố.",
        },
    )
    proposals = forms.CharField(
        label="Đề xuất, kiến nghị",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Mỗi dòng một đoạn. Để trống: đề xuất mặc định (nêu các đơn vị chậm muộn nhiều kỳ).",
        error_messages={"max_length": "Đề xuất, kiến nghị dài tối đa %(limit_value)d ký tự."},
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user  # who asks: the uncleared only for a reporting window as of its past cut-off
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            last = pr.last_complete(pr.MONTHLY, today())
            self.initial.setdefault("period_kind", pr.MONTHLY)
            self.initial.setdefault("year", last.year)
            self.initial.setdefault("number", last.number)
            issuer = default_issuer()
            if issuer is not None:
                self.initial.setdefault("issuer", issuer.pk)
        for field in self.fields.values():
            widget = field.widget
            widget.attrs.setdefault(
                "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
            )

    def clean(self) -> dict[str, Any]:
        """Build the period: a regular one from (kind, year, number), a custom one from (start, end); the reference
        date within [period start, today]."""
        data = super().clean() or {}
        kind = data.get("period_kind")
        if not kind:
            return data
        period: pr.Period | None = None
        if kind == pr.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if start is None and "start" not in self.errors:
                self.add_error("start", "Kỳ tùy chọn phải có «Từ ngày».")
            if end is None and "end" not in self.errors:
                self.add_error("end", "Kỳ tùy chọn phải có «Đến ngày».")
            if isinstance(start, date) and isinstance(end, date):
                if start > end:
                    self.add_error("end", "«Đến ngày» phải sau hoặc bằng «Từ ngày».")
                elif (end - start).days + 1 > MAX_CUSTOM_DAYS:
                    self.add_error("end", "Kỳ tùy chọn dài tối đa 2 năm.")
                else:
                    period = pr.custom(start, end)
        else:
            year, number = data.get("year"), data.get("number")
            if year is None and "year" not in self.errors:
                self.add_error("year", "Phải nhập năm của kỳ báo cáo.")
            if kind == pr.ANNUAL:
                number = 1
            elif number is None and "number" not in self.errors:
                self.add_error("number", f"Phải nhập kỳ số. {NUMBER_HELP}")
            elif number is not None and not 1 <= number <= pr.PER_YEAR[kind]:
                self.add_error(
                    "number",
                    f"{pr.KIND_LABELS[kind]} phải có kỳ số từ 1 đến {pr.PER_YEAR[kind]}. {NUMBER_HELP}",
                )
                number = None
            if year is not None and number is not None:
                period = pr.regular(kind, year, number)
        if period is not None:
            now = today()
            if period.start > now:
                self.add_error(None, f"Kỳ {period.label} chưa bắt đầu: chưa có số liệu để báo cáo.")
            ref = data.get("reference_date")
            if ref is None:
                ref = reference_for(period, now)
            elif ref < period.start:
                self.add_error("reference_date", "«Số liệu tính đến ngày» không được trước ngày đầu kỳ.")
            elif ref > now:
                self.add_error("reference_date", "«Số liệu tính đến ngày» không được sau ngày hôm nay.")
            if (
                not self.errors
                and self.user is not None
                and secrecy.reports_withheld(self.user, period.start, period.end, ref, now)
            ):
                example = period.end if period.end < now else secrecy.last_cut_off(now)
                self.add_error(
                    "reference_date", secrecy.REPORT_WITHHELD.format(example=f"{example:%d/%m/%Y}")
                )
            data["period"], data["reference_date"] = period, ref
        return data
