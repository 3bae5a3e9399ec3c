from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from dondoc.core.fields import VietDateField, choice_filter, year_filter
from dondoc.core.uploads import check_upload
from dondoc.directives.models import Attachment, Authority, Directive
from dondoc.directives.notation import NotationError, parse_notation


def symbol_of(notation: object) -> str:
    """The symbol part (*ký hiệu*) of a parsed notation: everything but the number and the year."""
    n = notation
    if n.party:  # type: ignore[attr-defined]
        return f"{n.doc_type}/{n.issuer}"  # type: ignore[attr-defined]
    return "-".join(p for p in (n.doc_type, n.issuer, n.drafting_unit) if p)  # type: ignore[attr-defined]


class DirectiveForm(forms.ModelForm):
    """Register a directive: the number/symbol is parsed and a duplicate is refused with a link to the original."""

    issued_on = VietDateField(label="Ngày ban hành")

    class Meta:
        model = Directive
        fields = [
            "notation",
            "issued_on",
            "issuer",
            "authority",
            "subject",
            "signer_prefix",
            "signer_name",
            "signer_position",
            "recipients",
            "urgency",
            "secrecy",
            "full_text",
        ]
        error_messages = {
            "notation": {"required": "Phải nhập số, ký hiệu văn bản."},
            "subject": {"required": "Phải nhập trích yếu văn bản."},
            "issuer": {"required": "Phải chọn cơ quan ban hành."},
            "authority": {"required": "Phải chọn cấp giao nhiệm vụ."},
        }

    def __init__(self, *args: object, reader: object = None, **kwargs: object) -> None:
        """`reader`: who fills the form in; a secret duplicate is refused to one who may not see it (or to no
        known reader) without a link to it."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.reader = reader
        self.fields["issuer"].queryset = self.fields["issuer"].queryset.order_by("kind", "name")  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
            if name == "notation":
                field.widget.attrs.setdefault("placeholder", "Ví dụ: 3031/UBND-TKBT, 19/2022/QĐ-UBND")

    def clean_notation(self) -> str:
        raw = self.cleaned_data["notation"]
        try:
            self._parsed = parse_notation(raw)
        except NotationError as exc:
            raise forms.ValidationError(str(exc)) from None
        return self._parsed.text

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        parsed = getattr(self, "_parsed", None)
        issued_on = data.get("issued_on")
        if parsed is None or issued_on is None:
            return data
        year = parsed.year or issued_on.year  # type: ignore[attr-defined]
        if parsed.year and issued_on.year != parsed.year:  # type: ignore[attr-defined]
            self.add_error("issued_on", f"Năm ban hành phải là {parsed.year}, theo số, ký hiệu văn bản.")
        self.instance.number = parsed.number
        self.instance.symbol = symbol_of(parsed)
        self.instance.year = year
        self.instance.doc_type = parsed.doc_type or ""
        self.instance.drafting_unit = parsed.drafting_unit or ""
        issuer = data.get("issuer")
        if issuer is not None:
            existing = (
                Directive.objects.same_notation(parsed.number, self.instance.symbol, issuer, year)  # type: ignore[arg-type]
                .exclude(pk=self.instance.pk)
                .first()
            )
            if existing and not self._may_see(existing):
                # the notation is unique (the refusal cannot be helped), but nothing of a secret directive is shown
                raise forms.ValidationError(
                    f"Văn bản {existing.notation} của {issuer} năm {year} đã có trong sổ."
                )
            if existing:
                url = reverse("directives:detail", args=[existing.pk])
                raise forms.ValidationError(
                    format_html(
                        'Văn bản {} của {} năm {} đã có trong sổ: <a href="{}">xem văn bản đã vào sổ</a>.',
                        existing.notation,
                        issuer,
                        year,
                        url,
                    )
                )
        return data

    def _may_see(self, directive: Directive) -> bool:
        return not directive.secrecy or Directive.objects.may_see(self.reader, directive)


class DirectiveFilterForm(forms.Form):
    q = forms.CharField(label="Tìm kiếm", required=False, max_length=200)
    authority = choice_filter("Cấp giao", Authority.choices)
    year = year_filter()
    doc_type = forms.CharField(label="Loại văn bản", required=False, max_length=10)


class AttachmentForm(forms.Form):
    """A file of the directive (its signed scan, an appendix): checked by content and size like every upload."""

    file = forms.FileField(
        label="Tệp văn bản",
        help_text="PDF, DOCX, XLSX, PNG hoặc JPEG.",
        widget=forms.FileInput(attrs={"class": "form-control", "accept": ".pdf,.docx,.xlsx,.png,.jpg,.jpeg"}),
        error_messages={"required": "Chưa chọn tệp.", "empty": "Tệp rỗng."},
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        try:
            check_upload(file, "file")
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["file"]) from None
        return file

    def save(self, directive: Directive) -> Attachment:
        file = self.cleaned_data["file"]
        name = PurePath(file.name).name[:200]
        return Attachment.objects.create(directive=directive, file=file, name=name)
