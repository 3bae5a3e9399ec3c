"""Forms of the draft checker: the draft itself (pasted or uploaded), then the directive and its tasks to register.

The registration forms reuse the register's own validation: `DirectiveForm` (number/symbol parsing, duplicate
refusal with a link) and `NewTaskForm` (exactly one lead unit, the lead never among its coordinators, deadlines
read from the directive's date).
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, When

from dondoc.core.uploads import check_upload, sniff
from dondoc.directives.forms import DirectiveForm
from dondoc.drafting.reader import UnreadableFile, decode_text, read_bytes
from dondoc.org.models import Unit
from dondoc.tracking import actions
from dondoc.tracking.forms import NewTaskForm, VietDateField
from dondoc.tracking.models import Task

#: A directive runs to a few dozen pages at most; the text travels in the session between the steps.
MAX_CHARS = 300_000
ACCEPTED = (".docx", ".txt", ".pdf")
TEXT_LABEL = "Nội dung dự thảo"
FILE_LABEL = "Tệp dự thảo"


class DraftForm(forms.Form):
    """Paste the draft or upload it (DOCX, TXT, PDF with a text layer); one of the two, not both."""

    text = forms.CharField(
        label=TEXT_LABEL,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "form-control", "spellcheck": "false"}),
        error_messages={"null_characters_not_allowed": f"{TEXT_LABEL}: có ký tự không hợp lệ (NUL)."},
    )
    file = forms.FileField(
        label=FILE_LABEL,
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ",".join(ACCEPTED)}),
        help_text="DOCX, TXT (UTF-8) hoặc PDF có lớp chữ (không nhận bản quét).",
        error_messages={
            "invalid": f"{FILE_LABEL}: tệp gửi lên không đọc được.",
            "empty": f"{FILE_LABEL}: tệp rỗng.",
        },
    )
    issued_on = VietDateField(
        label="Ngày ban hành dự kiến",
        required=False,
        help_text="Để trống nếu dự thảo đã ghi ngày; dùng để tính «trong N ngày làm việc» và thời hạn quá ngắn.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        text: str = (data.get("text") or "").replace("\r\n", "\n").replace("\r", "\n")
        upload = data.get("file")
        if "text" in self.errors or "file" in self.errors:
            return data
        if upload and text.strip():
            raise ValidationError(
                {"text": f"{TEXT_LABEL}: chỉ dán văn bản hoặc chọn tệp, không dùng cả hai cùng lúc."}
            )
        if upload:
            text = self._read_upload(upload)
            data["source"] = PurePath(upload.name).name
        else:
            data["source"] = ""
        if not text.strip():
            field = "file" if upload else "text"
            message = (
                f"{FILE_LABEL}: tệp «{upload.name}» không có nội dung."
                if upload
                else f"{TEXT_LABEL}: hãy dán văn bản hoặc chọn tệp."
            )
            raise ValidationError({field: message})
        if len(text) > MAX_CHARS:
            size, limit = (f"{n:,}".replace(",", ".") for n in (len(text), MAX_CHARS))
            raise ValidationError(
                {"file" if upload else "text": f"{TEXT_LABEL} quá dài: {size} ký tự, tối đa {limit} ký tự."}
            )
        data["draft_text"] = text
        return data

    def _read_upload(self, upload: Any) -> str:
        """Check the file by its content (not its name) and read its text."""
        ext = PurePath(upload.name).suffix.lower()
        if ext not in ACCEPTED:
            raise ValidationError(
                {"file": f"{FILE_LABEL} «{upload.name}»: chỉ nhận tệp DOCX, TXT hoặc PDF có lớp chữ."}
            )
        if ext == ".txt":
            if upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
                raise ValidationError(
                    {"file": f"{FILE_LABEL} «{upload.name}» quá lớn: tối đa {settings.UPLOAD_MAX_MB} MB."}
                )
            head = upload.read(8)
            upload.seek(0)
            if sniff(head, upload) is not None:
                raise ValidationError(
                    {"file": f"{FILE_LABEL} «{upload.name}» có đuôi .txt nhưng không phải văn bản thuần."}
                )
        else:
            try:
                check_upload(upload, "file")
            except ValidationError as exc:
                raise ValidationError(
                    {"file": [_named(m, upload.name) for m in exc.message_dict["file"]]}
                ) from None
        upload.seek(0)
        data = upload.read()
        try:
            return decode_text(data, upload.name) if ext == ".txt" else read_bytes(data, upload.name)
        except UnreadableFile as exc:
            raise ValidationError({"file": _named(str(exc), upload.name)}) from None


def _named(message: str, name: str) -> str:
    """A file message that names the field: "Tệp «x.pdf» quá lớn" → "Tệp dự thảo «x.pdf» quá lớn"."""
    for prefix in ("Tệp «", f"Tệp {name} "):
        if message.startswith(prefix):
            rest = message[len(prefix) :] if prefix.endswith("«") else f"{name}» {message[len(prefix) :]}"
            return f"{FILE_LABEL} «{rest}"
    return f"{FILE_LABEL}: {message}"


class DraftDirectiveForm(DirectiveForm):
    """The directive's register entry, prefilled from what the extractor read; the full text is the draft's."""

    class Meta(DirectiveForm.Meta):
        # The register's fields but the recipients (not read from a draft) and the full text (the draft itself).
        fields = [f for f in DirectiveForm.Meta.fields if f not in ("recipients", "full_text")]


class DraftTaskForm(NewTaskForm):
    """One extracted task, as the officer corrected it. A deleted row is not registered."""

    due_text = forms.CharField(
        label="Thời hạn theo văn bản",
        required=False,
        max_length=200,
        help_text="Cách dự thảo ghi thời hạn (ví dụ «trong quý III/2020»); lưu kèm nhiệm vụ.",
    )

    field_order = [
        "content",
        "lead_unit",
        "coordinating_units",
        "deadline",
        "due_text",
        "report_deadline",
        "must_report",
        "must_submit",
        "requirements",
        "secret",
        "clause",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_text"].widget.attrs.setdefault("class", "form-control")
        self.fields["lead_unit"].empty_label = "— Chọn đơn vị chủ trì —"  # type: ignore[attr-defined]
        self.fields["coordinating_units"].widget.attrs["size"] = 6
        # Departments first: most tasks go to them, and 126 communes and wards would bury them.
        first = Case(
            When(kind=Unit.Kind.DEPARTMENT, then=0), When(kind=Unit.Kind.DIVISION, then=1), default=2
        )
        for name in ("lead_unit", "coordinating_units"):
            field = self.fields[name]
            field.queryset = field.queryset.order_by(first, "name")  # type: ignore[attr-defined]

    def save(self, user: Any) -> Task:
        d = self.cleaned_data
        return actions.create_task(
            self.directive,
            lead_unit=d["lead_unit"],
            coordinating_units=d["coordinating_units"],
            content=d["content"],
            user=user,
            clause=d["clause"],
            requirements=d["requirements"],
            must_submit=d["must_submit"],
            must_report=d["must_report"],
            secret=d["secret"] or self.directive.is_secret,
            due_date=d["due_date"],
            due_text=(d["due_text"] or d["deadline"]).strip(),
            report_due=d["report_due"],
            report_day_of_month=d["report_day_of_month"],
            report_text=d["report_deadline"].strip(),
        )


class BaseDraftTaskFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def rows(self) -> list[DraftTaskForm]:
        """The tasks to register: every prefilled row and every added row the officer filled, minus the dropped."""
        return [
            f
            for f in self.forms
            if (f.has_changed() or not f.empty_permitted)
            and not (self.can_delete and self._should_delete_form(f))  # type: ignore[attr-defined]
        ]

    def clean(self) -> None:
        super().clean()
        if not self.rows():
            raise ValidationError(
                "Danh sách nhiệm vụ trống: văn bản phải có ít nhất một nhiệm vụ để đăng ký."
            )


DraftTaskFormSet = forms.formset_factory(
    DraftTaskForm, formset=BaseDraftTaskFormSet, extra=0, can_delete=True, max_num=300, absolute_max=300
)


class RegisterOptionsForm(forms.Form):
    assign_now = forms.BooleanField(
        label="Giao ngay các nhiệm vụ sau khi vào sổ (nếu bỏ chọn, nhiệm vụ ở trạng thái dự thảo)",
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
