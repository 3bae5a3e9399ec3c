"""The administrators' calendar forms: an official notice at once, and a CSV file; Vietnamese messages naming the field."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from dondoc.core.fields import VietDateField
from dondoc.directives.notation import NotationError, parse_notation
from dondoc.workdays import notices

MAX_RANGE_DAYS = 31


def _dates(text: str, field: str) -> list[date]:
    """Dates typed as dd/mm/yyyy, separated by commas, semicolons or line breaks."""
    days = []
    for raw in text.replace(";", ",").replace("\n", ",").split(","):
        raw = raw.strip()
        if not raw:
            continue
        day = notices.parse_day(raw) if "/" in raw else None
        if day is None:
            raise forms.ValidationError(f"{field}: «{raw}» không phải ngày dd/mm/yyyy.")
        days.append(day)
    return days


class NoticeForm(forms.Form):
    """An official notice (*thông báo nghỉ lễ, làm bù*) entered at once: a range of days off, swapped days,
    make-up Saturdays."""

    notice_number = forms.CharField(
        label="Số, ký hiệu thông báo",
        max_length=60,
        help_text="Ví dụ 12729/VPCP-KGVX, 123/TB-BNV.",
        error_messages={"required": "Phải nhập số, ký hiệu văn bản thông báo."},
    )
    notice_date = VietDateField(
        label="Ngày thông báo", error_messages={"required": "Phải nhập ngày của văn bản thông báo."}
    )
    name = forms.CharField(
        label="Tên dịp nghỉ",
        max_length=150,
        help_text="Ví dụ: Tết Nguyên đán Đinh Mùi, Quốc khánh.",
        error_messages={"required": "Phải nhập tên dịp nghỉ."},
    )
    off_from = VietDateField(label="Nghỉ từ ngày", required=False)
    off_to = VietDateField(label="Đến hết ngày", required=False)
    swaps = forms.CharField(
        label="Hoán đổi ngày làm việc",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Mỗi dòng: ngày nghỉ > ngày làm bù, ví dụ 02/01/2026 > 10/01/2026.",
    )
    makeup = forms.CharField(
        label="Ngày làm bù khác",
        required=False,
        help_text="Các ngày thứ Bảy, Chủ nhật làm việc, cách nhau bởi dấu phẩy.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def clean_notice_number(self) -> str:
        raw = self.cleaned_data["notice_number"]
        try:
            return parse_notation(raw).text
        except NotationError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_swaps(self) -> list[tuple[date, date]]:
        pairs = []
        for line in self.cleaned_data["swaps"].splitlines():
            if not line.strip():
                continue
            if ">" not in line:
                raise forms.ValidationError(
                    f"Hoán đổi: dòng «{line.strip()}» phải có dạng «ngày nghỉ > ngày làm bù»."
                )
            off_text, worked_text = line.split(">", 1)
            off, worked = _dates(off_text, "Hoán đổi"), _dates(worked_text, "Hoán đổi")
            if len(off) != 1 or len(worked) != 1:
                raise forms.ValidationError(f"Hoán đổi: dòng «{line.strip()}» phải có đúng một ngày mỗi bên.")
            if off[0].weekday() >= 5:
                raise forms.ValidationError(
                    f"Hoán đổi: ngày nghỉ {off[0]:%d/%m/%Y} phải là ngày làm việc trong tuần."
                )
            if worked[0].weekday() < 5:
                raise forms.ValidationError(
                    f"Hoán đổi: ngày làm bù {worked[0]:%d/%m/%Y} phải là thứ Bảy hoặc Chủ nhật."
                )
            pairs.append((off[0], worked[0]))
        return pairs

    def clean_makeup(self) -> list[date]:
        days = _dates(self.cleaned_data["makeup"], "Ngày làm bù khác")
        for day in days:
            if day.weekday() < 5:
                raise forms.ValidationError(
                    f"Ngày làm bù khác: {day:%d/%m/%Y} phải là thứ Bảy hoặc Chủ nhật."
                )
        return days

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        off_from, off_to = data.get("off_from"), data.get("off_to")
        if (
            (off_from is None) != (off_to is None)
            and not self.errors.get("off_from")
            and not self.errors.get("off_to")
        ):
            self.add_error(
                "off_to" if off_to is None else "off_from", "Phải nhập cả ngày bắt đầu và ngày kết thúc nghỉ."
            )
        elif off_from and off_to and off_to < off_from:
            self.add_error("off_to", "Ngày kết thúc nghỉ phải từ ngày bắt đầu trở đi.")
        elif off_from and off_to and (off_to - off_from).days >= MAX_RANGE_DAYS:
            self.add_error("off_to", f"Một đợt nghỉ không quá {MAX_RANGE_DAYS} ngày.")
        if not self.errors and not (off_from or data.get("swaps") or data.get("makeup")):
            raise forms.ValidationError(
                "Thông báo phải có ít nhất một ngày nghỉ, một hoán đổi hoặc một ngày làm bù."
            )
        if not self.errors:
            self._refuse_the_past(data)
        return data

    def _refuse_the_past(self, data: dict[str, Any]) -> None:
        """A day already past whose answer (worked or off) the notice would change is refused, on the field that
        names it (`notices.closed_days`)."""
        closed = notices.closed_days(self.entries())
        by_field: dict[str, list[notices.Change]] = {}
        swapped = {d for pair in data.get("swaps") or () for d in pair}
        for change in closed:
            day = change.entry.day
            field = (
                "swaps" if day in swapped else "makeup" if day in (data.get("makeup") or ()) else "off_from"
            )
            by_field.setdefault(field, []).append(change)
        for field, changes in by_field.items():
            self.add_error(field, f"{self.fields[field].label}: {notices.closed_message(changes)}")

    def entries(self) -> list[notices.DayEntry]:
        d = self.cleaned_data
        return notices.notice_entries(
            notice=f"{d['notice_number']} ngày {d['notice_date']:%d/%m/%Y}",
            name=d["name"],
            off_from=d.get("off_from"),
            off_to=d.get("off_to"),
            swaps=d["swaps"],
            makeup=d["makeup"],
        )


class CalendarFileForm(forms.Form):
    """A calendar CSV (the format `Xuất CSV` writes): read, checked line by line, previewed, then saved."""

    file = forms.FileField(
        label="Tệp CSV lịch",
        required=False,
        help_text="Các cột date, kind, name, notice (như tệp xuất ra).",
        widget=forms.FileInput(attrs={"class": "form-control", "accept": ".csv,text/csv"}),
    )
    text = forms.CharField(
        required=False, widget=forms.HiddenInput
    )  # the file's text, carried to the confirmation

    MAX_BYTES = 1024 * 1024

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > self.MAX_BYTES:
                raise forms.ValidationError("Tệp CSV quá lớn (tối đa 1 MB).")
            try:
                data["text"] = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError("Tệp CSV phải được lưu với bảng mã UTF-8.") from None
        if not data.get("text"):
            raise forms.ValidationError("Chưa chọn tệp CSV.")
        try:
            data["entries"] = notices.parse_csv(data["text"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        closed = notices.closed_days(data["entries"])
        if closed:
            raise forms.ValidationError(f"Tệp CSV, cột date: {notices.closed_message(closed)}")
        return data
