from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils import timezone

from dondoc.core.fields import (  # noqa: F401 — VietDateField also imported from here (drafting, api)
    TYPEAHEAD,
    IdField,
    IdsMultipleChoiceField,
    VietDateField,
    choice_filter,
)
from dondoc.core.prepared import Prepared
from dondoc.core.renderers import FastSelect, FastSelectMultiple
from dondoc.directives.models import Authority
from dondoc.org.models import Person, Unit
from dondoc.tracking import actions, reporting
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task
from dondoc.tracking.queries import LIST_FILTERS


def _assignable_units() -> QuerySet[Unit]:
    return Unit.objects.assignable().order_by("kind", "name")


# The units a task can be given to, as the choices show them (id, name): a filter bar, the task page's City Office
# forms (a new lead, a derived task's lead and coordinators) each list them; the statement built once
# (`core.prepared`), not once per field and page.
assignable_unit_rows = Prepared(lambda: _assignable_units().values_list("pk", "name"), ())


class _UnitChoices(ModelChoiceIterator):
    """The choices of `unit_choice` and `units_choice`: each assignable unit's id and name (`str(unit)`) read as two
    columns by one statement built once, not as a model instance a choice (~10 µs each: ~2 ms of the task list's
    filter bar for the city's ~180 units, issue 19). The choices' values carry no instance
    (`ModelChoiceIteratorValue.instance` is None): nothing here reads it. The fields' queryset (what a submitted id
    is checked against) is the same units' (`_assignable_units`)."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, name in assignable_unit_rows():
            yield (ModelChoiceIteratorValue(pk, None), name)  # type: ignore[arg-type]


class _UnitChoiceField(forms.ModelChoiceField):
    iterator = _UnitChoices


class _UnitsChoiceField(IdsMultipleChoiceField):
    iterator = _UnitChoices


def unit_choice(label: str, *, invalid: str, required: str | None = None) -> forms.ModelChoiceField:
    """A type-ahead choice among the units a task can be given to. `required` is the message when none is chosen;
    without it the choice may be left at «Tất cả đơn vị» (a list filter)."""
    kwargs: dict[str, Any] = {"required": False, "empty_label": "Tất cả đơn vị"} if required is None else {}
    errors = (
        {"invalid_choice": invalid} if required is None else {"required": required, "invalid_choice": invalid}
    )
    return _UnitChoiceField(
        label=label,
        queryset=_assignable_units(),
        widget=FastSelect(attrs=TYPEAHEAD),  # written without Django's option dictionaries (issue 19)
        error_messages=errors,
        **kwargs,
    )


def units_choice(label: str, *, invalid: str) -> IdsMultipleChoiceField:
    """A type-ahead choice of several of the units a task can be given to (none required)."""
    return _UnitsChoiceField(
        label=label,
        queryset=_assignable_units(),
        required=False,
        widget=FastSelectMultiple(attrs={"size": 6, **TYPEAHEAD}),
        error_messages={"invalid_choice": invalid},
    )


class TaskFilterForm(forms.Form):
    q = forms.CharField(label="Tìm kiếm", required=False, max_length=200)
    unit = unit_choice("Đơn vị chủ trì", invalid="Đơn vị chủ trì không có trong danh mục.")
    bucket = choice_filter(
        "Tình trạng",
        # due soon is offered as what it is: a part of "within deadline" (tl.PARTS), listed under it
        [
            (k, f"— trong đó {v.lower()}" if k in tl.PARTS.values() else v)
            for k, v in tl.BUCKET_LABELS.items()
            if k != tl.DRAFTED  # the list never shows drafts
        ],
    )
    authority = choice_filter("Cấp giao", Authority.choices)
    kind = choice_filter("Loại nhiệm vụ", tl.KIND_LABELS.items())
    due_from = VietDateField(label="Hạn từ ngày", required=False)
    due_to = VietDateField(label="Hạn đến ngày", required=False)
    directive = IdField(label="Văn bản", required=False, what="văn bản")
    parent = IdField(
        label="Nhiệm vụ cha", required=False, what="nhiệm vụ cha"
    )  # its children (the task tree)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for (
            extra
        ) in LIST_FILTERS.values():  # the filters that the apps above add (e.g. evaluation's measures)
            self.fields.update(copy.deepcopy(extra.fields))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("due_from"), data.get("due_to")
        if start and end and start > end:  # type: ignore[operator]
            self.add_error("due_to", "«Hạn đến ngày» phải sau hoặc bằng «Hạn từ ngày».")
        for extra in LIST_FILTERS.values():
            extra.clean(self, data)
        return data


def required_text(label: str, message: str, *, rows: int = 2) -> forms.CharField:
    """A text box (*textarea*) that must be filled; left empty, it is refused with `message`."""
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": rows}), error_messages={"required": message}
    )


# --- One form per action on the task page. Each carries the version the user saw (no lost update) and calls
# --- exactly one domain function in `perform`: the function of `tracking.actions` named as the action.


class ActionForm(forms.Form):
    action = ""
    label = ""
    button = "Thực hiện"
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        self.task = task
        kwargs.setdefault("prefix", self.action)
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = task.version
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def perform(self, user: Any) -> object:
        """Call this action's one domain function, `actions.<action>`, with the form's fields as its keywords."""
        data = dict(self.cleaned_data)
        version = data.pop("version")
        return getattr(actions, self.action)(self.task, user, expected_version=version, **data)


class AcknowledgeForm(ActionForm):
    action, label, button = "acknowledge", "Tiếp nhận nhiệm vụ", "Tiếp nhận"


class DelegateForm(ActionForm):
    action, label, button = "delegate", "Phân công cán bộ thực hiện", "Phân công"
    officer = forms.ModelChoiceField(
        label="Cán bộ thực hiện",
        queryset=Person.objects.none(),
        error_messages={
            "required": "Phải chọn cán bộ thực hiện.",
            "invalid_choice": "Cán bộ không thuộc đơn vị.",
        },
    )
    internal_due_date = VietDateField(label="Hạn nội bộ", required=False)

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, task=task, **kwargs)
        self.fields["officer"].queryset = Person.objects.filter(unit=task.lead_unit, active=True)  # type: ignore[attr-defined]


class ContributeForm(ActionForm):
    action, label, button = "contribute", "Gửi ý kiến phối hợp", "Gửi ý kiến"
    text = required_text("Nội dung", "Phải nhập nội dung.", rows=3)
    file = forms.FileField(label="Tệp đính kèm", required=False)


class ReportCycleField(forms.TypedChoiceField):
    """A cycle of the task's report obligation, named by its deadline written dd/mm/yyyy (as the API sends dates)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=lambda v: datetime.strptime(v, "%d/%m/%Y").date(), empty_value=None, **kwargs)


class ProgressForm(ActionForm):
    action, label, button = "report_progress", "Báo cáo tiến độ", "Gửi báo cáo tiến độ"
    text = required_text("Nội dung", "Phải nhập nội dung báo cáo tiến độ.", rows=3)
    percent = forms.IntegerField(
        label="Tiến độ (%)",
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Phải nhập tiến độ.",
            "invalid": "Tiến độ phải là số từ 0 đến 100.",
            "min_value": "Tiến độ phải từ 0 đến 100%%.",
            "max_value": "Tiến độ phải từ 0 đến 100%%.",
        },
    )
    file = forms.FileField(label="Tệp đính kèm", required=False)
    report_cycle = ReportCycleField(
        label="Là báo cáo định kỳ của kỳ",
        required=False,
        error_messages={
            "invalid_choice": "Kỳ báo cáo «%(value)s» không phải là kỳ báo cáo của nhiệm vụ này."
        },
    )

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, task=task, **kwargs)
        cycles = reporting.open_cycles(
            task.report_due, task.report_day_of_month, task.assigned_on, timezone.localdate()
        )
        if not cycles:
            del self.fields["report_cycle"]  # no report obligation: an ordinary progress report
            return
        monthly = bool(task.report_day_of_month)
        field = self.fields["report_cycle"]
        assert isinstance(field, ReportCycleField)
        field.choices = [
            ("", "— Không (báo cáo tiến độ thông thường) —"),
            *(
                (f"{d:%d/%m/%Y}", reporting.cycle_label(d, monthly and d != task.report_due))
                for d in cycles[:13]
            ),
        ]


class SubmitResultForm(ActionForm):
    action, label, button = "submit_result", "Gửi kết quả thực hiện", "Gửi kết quả"
    document_number = forms.CharField(
        label="Số, ký hiệu văn bản kết quả",
        max_length=60,
        error_messages={"required": "Phải nhập số, ký hiệu văn bản kết quả."},
    )
    document_date = VietDateField(
        label="Ngày văn bản kết quả", error_messages={"required": "Phải nhập ngày văn bản kết quả."}
    )
    summary = forms.CharField(
        label="Tóm tắt kết quả", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    file = forms.FileField(label="Tệp văn bản kết quả", required=False)


class ConfirmForm(ActionForm):
    action, label, button = "confirm_completion", "Xác nhận hoàn thành", "Xác nhận hoàn thành"


class ReturnForm(ActionForm):
    action, label, button = "return_result", "Trả lại kết quả", "Trả lại"
    reason = required_text("Lý do trả lại", "Phải nêu lý do trả lại kết quả.")


class RequestChangeForm(ActionForm):
    action, label, button = "request_change", "Đề nghị điều chỉnh thời hạn hoặc rút nhiệm vụ", "Gửi đề nghị"
    withdraw = forms.BooleanField(label="Đề nghị rút nhiệm vụ (thay vì gia hạn)", required=False)
    proposed_due_date = VietDateField(label="Thời hạn đề nghị", required=False)
    reason = required_text("Lý do", "Phải nêu lý do đề nghị.")


class DecideChangeForm(ActionForm):
    action, label, button = "decide_change", "Quyết định về đề nghị điều chỉnh", "Ghi quyết định"
    approve = forms.TypedChoiceField(
        label="Quyết định",
        choices=[("1", "Chấp thuận"), ("0", "Không chấp thuận")],
        coerce=lambda v: v == "1",
        error_messages={
            "required": "Phải chọn chấp thuận hay không.",
            "invalid_choice": "Quyết định không hợp lệ.",
        },
    )
    new_due_date = VietDateField(label="Thời hạn mới", required=False)
    decision_document = forms.CharField(
        label="Văn bản quyết định",
        max_length=100,
        required=False,
        help_text="Số, ký hiệu; nhiệm vụ Chính phủ, Thủ tướng, Thành ủy, HĐND giao: văn bản của cấp đó.",
    )
    decision_date = VietDateField(label="Ngày văn bản quyết định", required=False)
    note = forms.CharField(label="Ý kiến", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ChangeLeadForm(ActionForm):
    action, label, button = "change_lead", "Thay đổi đơn vị chủ trì", "Thay đổi"
    new_lead = unit_choice(
        "Đơn vị chủ trì mới", invalid="Đơn vị không có trong danh mục.", required="Phải chọn đơn vị mới."
    )
    reason = required_text("Lý do", "Phải nêu lý do.")
    effective_on = VietDateField(
        label="Có hiệu lực từ ngày",
        required=False,
        help_text="Để trống: hôm nay. Trước ngày này nhiệm vụ vẫn tính cho đơn vị cũ.",
    )


class CancelForm(ActionForm):
    action, label, button = "cancel", "Hủy, rút nhiệm vụ", "Hủy nhiệm vụ"
    reason = required_text("Lý do", "Phải nêu lý do.")


class AssignForm(ActionForm):
    action, label, button = "assign", "Giao nhiệm vụ", "Giao nhiệm vụ"


ACTION_FORMS: dict[str, type[ActionForm]] = {
    f.action: f
    for f in (
        AssignForm,
        AcknowledgeForm,
        DelegateForm,
        ContributeForm,
        ProgressForm,
        SubmitResultForm,
        ConfirmForm,
        ReturnForm,
        RequestChangeForm,
        DecideChangeForm,
        ChangeLeadForm,
        CancelForm,
    )
}


class NewTaskForm(forms.Form):
    """A task of a directive, registered by the City Office: exactly one lead, coordinators, deadlines."""

    content = forms.CharField(
        label="Nội dung nhiệm vụ",
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": "Phải nhập nội dung nhiệm vụ."},
    )
    clause = forms.CharField(label="Điều, khoản, mục", max_length=60, required=False)
    lead_unit = unit_choice(
        "Đơn vị chủ trì",
        invalid="Đơn vị chủ trì không có trong danh mục.",
        required="Mỗi nhiệm vụ phải có một đơn vị chủ trì.",
    )
    coordinating_units = units_choice(
        "Đơn vị phối hợp", invalid="Đơn vị phối hợp «%(value)s» không có trong danh mục."
    )
    deadline = forms.CharField(
        label="Thời hạn hoàn thành",
        required=False,
        max_length=60,
        help_text="dd/mm/yyyy, «N ngày làm việc» hoặc «N ngày»; để trống nếu không có thời hạn.",
    )
    report_deadline = forms.CharField(
        label="Thời hạn báo cáo",
        required=False,
        max_length=60,
        help_text="dd/mm/yyyy, «N ngày làm việc» hoặc «trước ngày 25 hằng tháng».",
    )
    input_deadline = forms.CharField(
        label="Hạn đơn vị phối hợp gửi ý kiến",
        required=False,
        max_length=60,
        help_text="dd/mm/yyyy hoặc «N ngày làm việc»; không sau thời hạn hoàn thành. Nhắc các đơn vị phối hợp.",
    )
    requirements = forms.CharField(
        label="Yêu cầu cụ thể, sản phẩm", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    must_submit = forms.BooleanField(label="Phải trình", required=False)
    must_report = forms.BooleanField(label="Phải báo cáo", required=False)
    secret = forms.BooleanField(label="Nhiệm vụ mật", required=False)
    reader: Any = None  # who names a parent by its id (`ChildTaskForm`)

    def __init__(
        self, *args: Any, directive: Any, calendar: Any, parent: Task | None = None, **kwargs: Any
    ) -> None:
        self.directive = directive
        self.calendar = calendar
        self.parent_task = parent
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def clean_lead_unit(self) -> Unit:
        # A select offers one value, but a crafted request may send two: one task, one lead (dispatch 3031).
        if (
            hasattr(self.data, "getlist")
            and len([v for v in self.data.getlist(self.add_prefix("lead_unit")) if v]) > 1
        ):
            raise forms.ValidationError(
                "Mỗi nhiệm vụ chỉ giao cho một đơn vị chủ trì; các đơn vị khác là phối hợp."
            )
        return self.cleaned_data["lead_unit"]

    def clean(self) -> dict[str, Any]:
        from dondoc.tracking.deadlines import DeadlineError, resolve_deadline, resolve_report_deadline

        data = super().clean() or {}
        lead = data.get("lead_unit")
        if lead is not None and lead in (data.get("coordinating_units") or []):
            self.add_error(
                "coordinating_units", f"Đơn vị chủ trì «{lead}» không thể đồng thời là đơn vị phối hợp."
            )
        issued = self.directive.issued_on
        try:
            data["due_date"] = resolve_deadline(data.get("deadline", ""), issued, self.calendar)
        except DeadlineError as exc:
            self.add_error("deadline", str(exc))
        else:
            if data["due_date"] is not None and data["due_date"] < issued:
                self.add_error("deadline", "Thời hạn hoàn thành không được trước ngày ban hành văn bản.")
        try:
            data["report_due"], data["report_day_of_month"] = resolve_report_deadline(
                data.get("report_deadline", ""), issued, self.calendar
            )
        except DeadlineError as exc:
            self.add_error("report_deadline", str(exc))
        if (data.get("report_deadline") or "").strip() and not data.get("must_report"):
            data["must_report"] = True
        self._clean_input_due(data, issued)
        self._clean_parent(data)
        return data

    def _clean_parent(self, data: dict[str, Any]) -> None:
        """The parent, given by the page or by its id, under the rules of the task tree (`actions.parent_errors`)."""
        parent = self.parent_task
        if parent is None and data.get("parent"):
            directive_id: int = (
                getattr(self.directive, "pk", None) or 0
            )  # a directive not yet saved has no tasks
            tasks = Task.objects.all() if self.reader is None else Task.objects.visible_to(self.reader)
            # a task the reader may not see (a secret one, for the uncleared) is answered as one not in the directive:
            # the rules of the tree checked against it would tell its deadline and its state
            parent = tasks.filter(pk=data["parent"], directive_id=directive_id).first()
            if parent is None:
                self.add_error("parent", f"Nhiệm vụ cha số {data['parent']} không có trong văn bản này.")
                return
        if parent is None:
            return
        errors = actions.parent_errors(parent, self.directive.pk, data.get("due_date"))
        if "deadline" in self.errors:  # the deadline itself is wrong: that message is enough
            errors.pop("due_date", None)
        for name, message in errors.items():
            self.add_error(
                "deadline" if name == "due_date" else name if name in self.fields else None, message
            )
        self.parent_task = parent

    def _clean_input_due(self, data: dict[str, Any], issued: Any) -> None:
        """The coordinators' deadline for their input: only with coordinators, between the directive's date and
        the completion deadline."""
        from dondoc.tracking.deadlines import DeadlineError, resolve_deadline

        data["input_due"] = None
        text = (data.get("input_deadline") or "").strip()
        if not text:
            return
        label = "Hạn đơn vị phối hợp gửi ý kiến"
        if not data.get("coordinating_units"):
            self.add_error("input_deadline", f"{label}: nhiệm vụ không có đơn vị phối hợp.")
            return
        try:
            due = resolve_deadline(text, issued, self.calendar)
        except DeadlineError as exc:
            self.add_error("input_deadline", str(exc))
            return
        if due is not None and due < issued:
            self.add_error("input_deadline", f"{label} không được trước ngày ban hành văn bản.")
        elif due is not None and data.get("due_date") and due > data["due_date"]:
            self.add_error(
                "input_deadline",
                f"{label} ({due:%d/%m/%Y}) không được sau thời hạn hoàn thành ({data['due_date']:%d/%m/%Y}).",
            )
        else:
            data["input_due"] = due

    def task_fields(self) -> dict[str, Any]:
        """What the form says of the task, as the domain functions take it (`create_task`, `derive`)."""
        d = self.cleaned_data
        fields = {
            "lead_unit": d["lead_unit"],
            "coordinating_units": d["coordinating_units"],
            "input_due": d.get("input_due"),
            "content": d["content"],
            "clause": d["clause"],
            "requirements": d["requirements"],
            "must_submit": d["must_submit"],
            "must_report": d["must_report"],
            "due_date": d["due_date"],
            "due_text": d["deadline"].strip(),
            "report_due": d["report_due"],
            "report_day_of_month": d["report_day_of_month"],
            "report_text": d["report_deadline"].strip(),
        }
        if "secret" in self.fields:
            fields["secret"] = d["secret"] or self.directive.is_secret
        return fields

    def save(self, user: Any) -> Task:
        fields = self.task_fields()
        if self.parent_task is not None:
            fields["parent"] = self.parent_task
        return actions.create_task(self.directive, user=user, **fields)


class ChildTaskForm(NewTaskForm):
    """A task of a directive, optionally the child of one of its tasks named by id (the API's way; the task page
    gives the parent itself, `DeriveForm`)."""

    parent = IdField(label="Nhiệm vụ cha", required=False, what="nhiệm vụ cha")

    def __init__(self, *args: Any, reader: Any, **kwargs: Any) -> None:
        # the parent is looked up among the tasks they may see (`Task.objects.visible_to`)
        self.reader = reader
        super().__init__(*args, **kwargs)


class DeriveForm(ActionForm, NewTaskForm):
    """A child of the task on its page (*giao nhiệm vụ con*): a new task of the same directive with its own lead
    unit, coordinators and a deadline no later than the parent's; secret when the parent is."""

    action, label, button = "derive", "Giao nhiệm vụ con cho đơn vị của Thành phố", "Giao nhiệm vụ con"
    secret = None  # type: ignore[assignment]  # the parent's

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        from dondoc.workdays import calendar

        super().__init__(
            *args, task=task, directive=task.directive, calendar=calendar.current(), parent=task, **kwargs
        )

    def perform(self, user: Any) -> object:
        return actions.derive(
            self.task, user, expected_version=self.cleaned_data["version"], **self.task_fields()
        )


ACTION_FORMS[DeriveForm.action] = DeriveForm

# Units that may be recorded as ending: any unit below the city (not the Government, the Party Committee ...).
_LOCAL_KINDS = (*Unit.ASSIGNABLE_KINDS, Unit.Kind.HISTORIC_DISTRICT)


class UnitChangeForm(forms.Form):
    """A merger or split of units on a date (`unit_history.record_change`): the former unit(s), the successor(s),
    the date it took effect and its grounds."""

    formers = forms.ModelMultipleChoiceField(
        label="Đơn vị cũ (sáp nhập, chia tách)",
        queryset=Unit.objects.filter(kind__in=_LOCAL_KINDS).order_by("kind", "name"),
        widget=forms.SelectMultiple(attrs=TYPEAHEAD),
        error_messages={
            "required": "Phải chọn ít nhất một đơn vị cũ.",
            "invalid_choice": "Đơn vị cũ không có trong danh mục.",
            "invalid_pk_value": "Đơn vị cũ không hợp lệ.",
        },
    )
    successors = forms.ModelMultipleChoiceField(
        label="Đơn vị kế thừa",
        queryset=Unit.objects.assignable().order_by("kind", "name"),
        widget=forms.SelectMultiple(attrs=TYPEAHEAD),
        error_messages={
            "required": "Phải chọn ít nhất một đơn vị kế thừa.",
            "invalid_choice": "Đơn vị kế thừa không có trong danh mục (hoặc đã hết hiệu lực).",
            "invalid_pk_value": "Đơn vị kế thừa không hợp lệ.",
        },
    )
    on = VietDateField(
        label="Có hiệu lực từ ngày",
        help_text="dd/mm/yyyy: ngày đầu tiên đơn vị cũ không còn (ví dụ 01/07/2025).",
        error_messages={"required": "Phải nhập ngày có hiệu lực (dd/mm/yyyy)."},
    )
    reason = forms.CharField(
        label="Căn cứ, lý do",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Phải nêu căn cứ (ví dụ Nghị quyết 1656/NQ-UBTVQH15)."},
    )

    def clean(self) -> dict[str, Any]:
        from dondoc.tracking import unit_history

        data = super().clean() or {}
        if not self.errors:
            try:
                unit_history.check(list(data["formers"]), list(data["successors"]), data["on"])
            except forms.ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for e in errors:
                        self.add_error(field, e)
        return data
