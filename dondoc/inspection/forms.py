"""Forms of the inspection pages: Vietnamese messages that name the field, dates as dd/mm/yyyy."""

from __future__ import annotations

from typing import Any

from django import forms

from dondoc.core.fields import IdsMultipleChoiceField, VietDateField
from dondoc.inspection import discipline as dc
from dondoc.inspection.models import InspectionPlan, Proposal, Verdict
from dondoc.org.models import Person, Unit

REQUIRED = "Trường «{label}» không được để trống."


class InspectionForm(forms.Form):
    """Every field gets a Bootstrap class and a 'required' message naming its label."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED.format(label=field.label)
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            widget.attrs.setdefault("class", css)


def _people() -> Any:
    return Person.objects.filter(active=True).select_related("unit").order_by("unit__name", "full_name")


class PlanForm(InspectionForm):
    decision_number = forms.CharField(label="Số quyết định thành lập đoàn", max_length=60)
    decision_date = VietDateField(label="Ngày quyết định")
    title = forms.CharField(label="Tên đợt kiểm tra", max_length=300)
    mode = forms.ChoiceField(label="Hình thức", choices=InspectionPlan.Mode.choices)
    period_start = VietDateField(label="Thời kỳ kiểm tra từ ngày")
    period_end = VietDateField(label="Thời kỳ kiểm tra đến ngày")
    starts_on = VietDateField(label="Ngày bắt đầu kiểm tra")
    ends_on = VietDateField(label="Ngày kết thúc kiểm tra")
    head = forms.ModelChoiceField(label="Trưởng đoàn", queryset=Person.objects.none())
    deputies = IdsMultipleChoiceField(label="Phó trưởng đoàn", queryset=Person.objects.none(), required=False)
    members = IdsMultipleChoiceField(label="Thành viên", queryset=Person.objects.none(), required=False)
    units = IdsMultipleChoiceField(label="Đơn vị được kiểm tra", queryset=Unit.objects.none())
    scope_note = forms.CharField(
        label="Phạm vi, nội dung kiểm tra",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="Kiểm tra việc thực hiện cả bốn nhóm nhiệm vụ theo Công văn số 3031/UBND-TKBT.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("head", "deputies", "members"):
            self.fields[name].queryset = _people()  # type: ignore[attr-defined]
        self.fields["units"].queryset = Unit.objects.assignable().order_by("name")  # type: ignore[attr-defined]
        for name in ("deputies", "members", "units"):
            self.fields[name].widget.attrs["size"] = "6"


class ScopeForm(InspectionForm):
    tasks = forms.MultipleChoiceField(
        label="Nhiệm vụ trong mẫu kiểm tra", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tasks"].choices = choices  # type: ignore[attr-defined]


class FindingForm(InspectionForm):
    verdict = forms.ChoiceField(label="Kết luận", choices=[("", "— chọn —"), *Verdict.choices])
    text = forms.CharField(
        label="Nội dung kết luận", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(label="Tài liệu chứng minh (PDF, DOCX, XLSX, PNG, JPEG)", required=False)

    def __init__(self, *args: Any, verdicts: Any = None, **kwargs: Any) -> None:
        """`verdicts`: the ones offered (those that fit the task, `services.fitting_verdicts`); any verdict is still
        accepted here, so that a misfit is refused by the domain with the reason."""
        super().__init__(*args, **kwargs)
        if verdicts is not None:
            self.fields["verdict"].widget.choices = [
                ("", "— chọn —"),
                *((v.value, v.label) for v in verdicts),
            ]


class ResponseDueForm(InspectionForm):
    response_due = VietDateField(label="Hạn giải trình")


class ResponseForm(InspectionForm):
    text = forms.CharField(label="Nội dung giải trình", widget=forms.Textarea(attrs={"rows": 4}))
    file = forms.FileField(label="Tệp đính kèm", required=False)


class RemedyForm(InspectionForm):
    lead_unit = forms.ModelChoiceField(label="Đơn vị chủ trì khắc phục", queryset=Unit.objects.none())
    content = forms.CharField(label="Nội dung khắc phục", widget=forms.Textarea(attrs={"rows": 2}))
    due_date = VietDateField(label="Thời hạn khắc phục")

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]


class NoticeForm(InspectionForm):
    day = VietDateField(label="Ngày ban hành thông báo")


class ProposalForm(InspectionForm):
    target = forms.ChoiceField(label="Đối tượng", choices=Proposal.Target.choices)
    finding = forms.ChoiceField(label="Căn cứ kết luận về nhiệm vụ", required=False)
    person = forms.ModelChoiceField(
        label="Cá nhân (để trống: thủ trưởng chịu trách nhiệm khi thực hiện nhiệm vụ)",
        queryset=Person.objects.none(),
        required=False,
    )
    grounds = forms.CharField(label="Căn cứ, lý do", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, findings: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["finding"].choices = [("", "— không gắn với nhiệm vụ cụ thể —"), *findings]  # type: ignore[attr-defined]
        self.fields["person"].queryset = _people()  # type: ignore[attr-defined]


class OutcomeForm(InspectionForm):
    handling_started_on = VietDateField(label="Ngày bắt đầu xử lý", required=False)
    extension_days = forms.IntegerField(
        label="Số ngày gia hạn (tối đa 60)",
        min_value=0,
        initial=0,
        required=False,
        error_messages={
            "invalid": "Trường «Số ngày gia hạn» phải là số nguyên.",
            "min_value": "Trường «Số ngày gia hạn» không được âm.",
        },
    )
    meeting_on = VietDateField(label="Ngày họp kiểm điểm", required=False)
    form = forms.ChoiceField(
        label="Hình thức kỷ luật", choices=[("", "— chưa quyết định —"), *dc.FORM_CHOICES], required=False
    )
    decision_number = forms.CharField(label="Số quyết định kỷ luật", max_length=60, required=False)
    decided_on = VietDateField(label="Ngày quyết định kỷ luật", required=False)
