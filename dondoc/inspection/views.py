"""Pages of public-service inspection under /thanh-tra/: look up through the access functions, call one domain
function, redirect or render (rules live in services.py, risk.py, notice.py, discipline.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from dondoc.audit import record_export
from dondoc.core.dates import today
from dondoc.inspection import forms as f
from dondoc.inspection import notice as nt
from dondoc.inspection import risk, services
from dondoc.inspection.models import Finding, InspectedUnit, InspectionPlan, Proposal, TeamMember
from dondoc.org.access import person_of
from dondoc.org.models import Unit
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task
from dondoc.tracking.secrecy import content_for, may_read_content, readable


def _apply(form: Any, exc: ValidationError) -> None:
    """Put a domain refusal on the form: on its field when the form has it, at the top otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _plan(request: HttpRequest, pk: int) -> InspectionPlan:
    return get_object_or_404(InspectionPlan.objects.visible_to(request.user), pk=pk)


def _inspected(request: HttpRequest, pk: int) -> InspectedUnit:
    return get_object_or_404(services.inspected_visible_to(request.user), pk=pk)


def _require_editor(request: HttpRequest) -> None:
    if not services.may_edit(request.user):
        raise PermissionDenied(services.DENIED_EDIT)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    if person is None:
        raise PermissionDenied("Bạn không có quyền xem kiểm tra công vụ.")
    # An inspected unit sees its own name among the units inspected, never the others'.
    units = InspectedUnit.objects.select_related("unit")
    if not person.sees_everything:
        units = units.filter(unit_id=person.unit_id)
    plans = InspectionPlan.objects.visible_to(request.user).prefetch_related(
        Prefetch("units", queryset=units)
    )
    return render(
        request, "inspection/plan_list.html", {"plans": plans, "may_edit": services.may_edit(request.user)}
    )


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    """Units ranked by risk on today's date (who to inspect first)."""
    person = person_of(request.user)
    if person is None or not person.sees_everything:
        raise PermissionDenied("Chỉ thanh tra công vụ, lãnh đạo và Văn phòng UBND xem xếp hạng rủi ro.")
    ref = today()
    return render(
        request,
        "inspection/ranking.html",
        {
            "rows": risk.rank_units(ref, reader=request.user)[:100],
            "ref": ref,
            "weights": risk.WEIGHTS,
            "stale_days": settings.INSPECTION_STALE_DAYS,
        },
    )


PLAN_FIELDS = (
    "decision_number",
    "decision_date",
    "title",
    "mode",
    "period_start",
    "period_end",
    "starts_on",
    "ends_on",
    "scope_note",
)


def _team(data: dict[str, Any]) -> list[services.TeamEntry]:
    team = [services.TeamEntry(data["head"], TeamMember.Role.HEAD)]
    team += [services.TeamEntry(p, TeamMember.Role.DEPUTY) for p in data["deputies"]]
    team += [services.TeamEntry(p, TeamMember.Role.MEMBER) for p in data["members"]]
    return team


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = f.PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_plan(
                request.user, team=_team(data), units=data["units"], **{k: data[k] for k in PLAN_FIELDS}
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "Đã lập kế hoạch kiểm tra.")
            return redirect(plan)
    return render(request, "inspection/plan_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    _require_editor(request)
    team = list(plan.team.all())
    initial: dict[str, Any] = {
        k: (v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v)
        for k in PLAN_FIELDS
        for v in [getattr(plan, k)]
    }
    initial["head"] = next((m.person_id for m in team if m.role == TeamMember.Role.HEAD), None)
    initial["deputies"] = [m.person_id for m in team if m.role == TeamMember.Role.DEPUTY]
    initial["members"] = [m.person_id for m in team if m.role == TeamMember.Role.MEMBER]
    initial["units"] = list(plan.units.values_list("unit_id", flat=True))
    form = f.PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_plan(
                request.user, plan, team=_team(data), units=data["units"], **{k: data[k] for k in PLAN_FIELDS}
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "Đã sửa kế hoạch kiểm tra.")
            return redirect(plan)
    return render(
        request,
        "inspection/plan_form.html",
        {"form": form, "plan": plan},
        status=400 if form.errors else 200,
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    records = (
        services.inspected_visible_to(request.user).filter(plan=plan).annotate(n_findings=Count("findings"))
    )
    unit_ids = [r.unit_id for r in records]
    editor = services.may_edit(request.user)
    remedy_form = f.RemedyForm(units=Unit.objects.filter(pk__in=unit_ids)) if editor else None
    return render(
        request,
        "inspection/plan_detail.html",
        {
            "plan": plan,
            "team": plan.team.select_related("person__unit"),
            "records": records,
            "remedies": plan.remedies.filter(lead_unit_id__in=unit_ids).select_related("lead_unit", "task"),
            "proposals": Proposal.objects.filter(inspected__in=records).select_related(
                "unit", "person", "inspected"
            ),
            "may_edit": editor,
            "remedy_form": remedy_form,
            "notice_form": f.NoticeForm(initial={"day": today().strftime("%d/%m/%Y")}) if editor else None,
            "ref": today(),
        },
    )


@login_required
@require_POST
def remedy_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    _require_editor(request)
    units = Unit.objects.filter(pk__in=plan.units.values("unit_id"))
    form = f.RemedyForm(request.POST, units=units)
    if form.is_valid():
        try:
            services.add_remedy(request.user, plan, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, "Đã thêm biện pháp khắc phục.")
            return redirect(plan)
    return _errors(request, plan, form)


@login_required
@require_POST
def notice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    _require_editor(request)
    form = f.NoticeForm(request.POST)
    if form.is_valid():
        try:
            record = nt.issue_notice(request.user, plan, form.cleaned_data["day"])
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, f"Đã ban hành thông báo kết quả kiểm tra số {record.notation}.")
            return redirect(plan)
    return _errors(request, plan, form)


def _errors(request: HttpRequest, back: Any, form: Any) -> HttpResponse:
    """A refused small form: list its errors with the field names, and link back."""
    return render(request, "inspection/errors.html", {"form": form, "back": back}, status=400)


@login_required
def scope(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposed sample of one inspected unit (riskiest tasks of each kind); the inspector adjusts and saves."""
    inspected = _inspected(request, pk)
    _require_editor(request)
    ref = inspected.reference_date  # the day the page names: the visit (today while it is ahead)
    ranked = risk.rank_tasks(ref, inspected.unit, assigned_by=inspected.plan.period_end, reader=request.user)
    proposed = risk.propose_sample(ref, inspected.unit, ranked=ranked)
    current = set(inspected.findings.values_list("task_id", flat=True))
    chosen = current or {t.pk for tasks in proposed.values() for t in tasks}
    choices = [(str(t.pk), content_for(request.user, t)) for t in ranked]
    form = f.ScopeForm(request.POST or None, choices=choices, initial={"tasks": [str(pk) for pk in chosen]})
    if request.method == "POST" and form.is_valid():
        tasks = Task.objects.filter(pk__in=form.cleaned_data["tasks"])
        try:
            services.set_sample(request.user, inspected, tasks)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(
                request, f"Đã lưu mẫu kiểm tra của {inspected.unit.name}: {tasks.count()} nhiệm vụ."
            )
            return redirect(inspected)
    missing = [tl.KIND_LABELS[k] for k, tasks in proposed.items() if not tasks]
    return render(
        request,
        "inspection/scope.html",
        {
            "inspected": inspected,
            "ranked": ranked,
            "chosen": {str(pk) for pk in chosen},
            "proposed": {t.pk for tasks in proposed.values() for t in tasks},
            "kind_labels": tl.KIND_LABELS,
            "missing": missing,
            "form": form,
            "ref": ref,
        },
        status=400 if form.errors else 200,
    )


@login_required
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """The record (*biên bản*) of one inspected unit: findings, the unit's responses, proposals."""
    inspected = _inspected(request, pk)
    return _render_record(request, inspected)


def _render_record(
    request: HttpRequest, inspected: InspectedUnit, status: int = 200, **forms_: Any
) -> HttpResponse:
    editor = services.may_edit(request.user)
    findings = list(
        inspected.findings.select_related("task__directive", "task__accountable_head").prefetch_related(
            "task__deadline_requests"
        )
    )
    finding_forms = {
        fd.pk: forms_.get(f"finding_{fd.pk}")
        or f.FindingForm(
            initial={"verdict": fd.verdict, "text": fd.text},
            prefix=f"f{fd.pk}",
            verdicts=services.fitting_verdicts(fd) if editor else None,
        )
        for fd in findings
    }
    for fd in findings:
        fd.readable = may_read_content(request.user, fd.task)  # type: ignore[attr-defined]  # text, evidence
    choices = [(str(fd.pk), content_for(request.user, fd.task, 100)) for fd in findings if fd.checked]
    context = {
        "inspected": inspected,
        "plan": inspected.plan,
        "rows": [(fd, finding_forms[fd.pk]) for fd in findings],
        "responses": inspected.responses.select_related("author"),
        "proposals": inspected.proposals.select_related("person", "unit", "finding__task"),
        "may_edit": editor,
        "may_respond": services.may_respond(request.user, inspected),
        "response_form": forms_.get("response") or f.ResponseForm(),
        "due_form": forms_.get("due")
        or f.ResponseDueForm(
            initial={
                "response_due": inspected.response_due.strftime("%d/%m/%Y") if inspected.response_due else ""
            }
        ),
        "proposal_form": forms_.get("proposal") or f.ProposalForm(findings=choices),
        "ref": today(),
    }
    return render(request, "inspection/record.html", context, status=status)


def _post_on_record(
    request: HttpRequest,
    inspected: InspectedUnit,
    form: Any,
    name: str,
    write: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A form posted on an inspected unit's record: a valid one is written (`write(cleaned_data)`) and a domain
    refusal goes onto its fields; success returns to the record saying `done`, anything else shows the record again
    with the form (as `name`) and its errors (400)."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, done)
            return redirect(inspected)
    return _render_record(request, inspected, 400, **{name: form})


@login_required
@require_POST
def finding_save(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_object_or_404(
        Finding.objects.filter(inspected__in=services.inspected_visible_to(request.user)), pk=pk
    )
    _require_editor(request)
    form = f.FindingForm(
        request.POST, request.FILES, prefix=f"f{finding.pk}", verdicts=services.fitting_verdicts(finding)
    )
    return _post_on_record(
        request,
        finding.inspected,
        form,
        f"finding_{finding.pk}",
        lambda data: services.record_finding(
            request.user, finding, verdict=data["verdict"], text=data["text"], evidence=data["evidence"]
        ),
        "Đã ghi kết luận.",
    )


@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """A finding's evidence file, served only to those who may read the record (never a public media URL)."""
    findings = Finding.objects.filter(inspected__in=services.inspected_visible_to(request.user))
    finding = get_object_or_404(readable(findings, request.user, "task__").exclude(evidence=""), pk=pk)
    filename = (finding.evidence.name or "").rsplit("/", 1)[-1]
    try:
        handle = finding.evidence.open("rb")
    except FileNotFoundError:
        raise Http404("Không tìm thấy tài liệu chứng minh trên máy chủ.") from None
    record_export(
        request, "Tài liệu chứng minh của kết luận kiểm tra", obj=finding, detail={"file": filename}
    )
    return FileResponse(handle, as_attachment=True, filename=filename)


@login_required
@require_POST
def response_due(request: HttpRequest, pk: int) -> HttpResponse:
    inspected = _inspected(request, pk)
    _require_editor(request)

    def write(data: dict[str, Any]) -> None:
        inspected.response_due = data["response_due"]
        inspected.save(update_fields=["response_due"])

    return _post_on_record(
        request, inspected, f.ResponseDueForm(request.POST), "due", write, "Đã đặt hạn giải trình."
    )


@login_required
@require_POST
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    inspected = _inspected(request, pk)
    return _post_on_record(
        request,
        inspected,
        f.ResponseForm(request.POST, request.FILES),
        "response",
        lambda data: services.respond(request.user, inspected, text=data["text"], file=data["file"]),
        "Đã gửi giải trình.",
    )


@login_required
@require_POST
def proposal_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspected = _inspected(request, pk)
    _require_editor(request)
    checked = inspected.findings.filter(checked=True).select_related("task")
    form = f.ProposalForm(
        request.POST, findings=[(str(fd.pk), content_for(request.user, fd.task, 100)) for fd in checked]
    )

    def write(data: dict[str, Any]) -> None:
        services.propose(
            request.user,
            inspected,
            target=data["target"],
            grounds=data["grounds"],
            finding=checked.filter(pk=data["finding"]).first() if data["finding"] else None,
            person=data["person"],
        )

    return _post_on_record(
        request, inspected, form, "proposal", write, "Đã ghi đề nghị kiểm điểm trách nhiệm."
    )


@login_required
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """The outcome of a proposal: review meeting, disciplinary form and decision, the handling clock."""
    proposal = get_object_or_404(
        Proposal.objects.filter(inspected__in=services.inspected_visible_to(request.user)).select_related(
            "inspected__plan", "unit", "person"
        ),
        pk=pk,
    )
    editor = services.may_edit(request.user)
    initial = {
        "handling_started_on": proposal.handling_started_on.strftime("%d/%m/%Y")
        if proposal.handling_started_on
        else "",
        "extension_days": proposal.extension_days,
        "meeting_on": proposal.meeting_on.strftime("%d/%m/%Y") if proposal.meeting_on else "",
        "form": proposal.form,
        "decision_number": proposal.decision_number,
        "decided_on": proposal.decided_on.strftime("%d/%m/%Y") if proposal.decided_on else "",
    }
    form = f.OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not editor:
            raise PermissionDenied(services.DENIED_EDIT)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_outcome(
                    request.user,
                    proposal,
                    handling_started_on=data["handling_started_on"],
                    extension_days=data["extension_days"] or 0,
                    meeting_on=data["meeting_on"],
                    form=data["form"],
                    decision_number=data["decision_number"],
                    decided_on=data["decided_on"],
                )
            except ValidationError as exc:
                _apply(form, exc)
            else:
                messages.success(request, "Đã ghi kết quả xử lý.")
                return redirect("inspection:outcome", pk=proposal.pk)
    return render(
        request,
        "inspection/outcome.html",
        {"proposal": proposal, "form": form, "may_edit": editor, "ref": today()},
        status=400 if form.errors else 200,
    )
