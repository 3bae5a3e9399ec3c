"""Who may do what in an inspection, and the domain functions that change it (one per action).

Rules (issue 6): inspectors (and administrators) create and edit plans, records, remedies and proposals; an inspected
unit's people see only what concerns their unit and may respond (*giải trình*) until the response deadline; leaders,
the City Office and administrators see everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dondoc.audit.bulk import record_bulk_create
from dondoc.core.dates import today
from dondoc.core.uploads import check_upload
from dondoc.documents import register
from dondoc.inspection import discipline as dc
from dondoc.inspection.models import (
    ACCOUNTABLE_VERDICTS,
    REASONED_VERDICTS,
    VERDICTS_BY_BUCKET,
    Finding,
    InspectedUnit,
    InspectionPlan,
    Proposal,
    Remedy,
    Response,
    TeamMember,
    Verdict,
    announced,
)
from dondoc.org import roles
from dondoc.org.access import has_role, person_of
from dondoc.org.models import Person, Unit
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task
from dondoc.tracking.secrecy import may_read_content

DENIED_EDIT = "Chỉ thanh tra công vụ (Sở Nội vụ) được lập và sửa hồ sơ kiểm tra."


def may_edit(user: Any) -> bool:
    return has_role(user, roles.INSPECTION_EDITORS)


def _require_editor(user: Any) -> None:
    if not may_edit(user):
        raise PermissionDenied(DENIED_EDIT)


def inspected_visible_to(user: Any) -> QuerySet[InspectedUnit]:
    """Records a user may read: all for those who see everything, their own unit's for a unit's people."""
    person = person_of(user)
    qs = InspectedUnit.objects.select_related("plan", "unit")
    if person is None:
        return qs.none()
    if person.sees_everything:
        return qs
    if person.role in roles.UNIT_PEOPLE:
        return qs.filter(announced("plan__"), unit_id=person.unit_id)
    return qs.none()


def may_respond(user: Any, inspected: InspectedUnit, on: date | None = None) -> bool:
    """A person of the inspected unit may respond until the response deadline (inclusive), if one is set."""
    person = person_of(user)
    if person is None or person.role not in roles.UNIT_PEOPLE or person.unit_id != inspected.unit_id:
        return False
    day = on or today()
    return inspected.response_due is None or day <= inspected.response_due


@dataclass(frozen=True)
class TeamEntry:
    person: Person
    role: str


def _check_plan(members: list[TeamEntry], unit_list: list[Unit], fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    heads = [m for m in members if m.role == TeamMember.Role.HEAD]
    if len(heads) != 1:
        errors["head"] = "Đoàn kiểm tra phải có đúng một trưởng đoàn."
    people = [m.person.pk for m in members]
    if len(people) != len(set(people)):
        errors["members"] = "Một cán bộ chỉ giữ một vai trò trong đoàn kiểm tra."
    if not unit_list:
        errors["units"] = "Chọn ít nhất một đơn vị được kiểm tra."
    if (
        fields.get("period_start")
        and fields.get("period_end")
        and fields["period_end"] < fields["period_start"]
    ):
        errors["period_end"] = "Thời kỳ kiểm tra: ngày kết thúc phải sau hoặc bằng ngày bắt đầu."
    if fields.get("starts_on") and fields.get("ends_on") and fields["ends_on"] < fields["starts_on"]:
        errors["ends_on"] = "Ngày kết thúc kiểm tra phải sau hoặc bằng ngày bắt đầu kiểm tra."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_plan(
    user: Any, *, team: Iterable[TeamEntry], units: Iterable[Unit], **fields: Any
) -> InspectionPlan:
    """Create a plan with its team (exactly one head, each person once) and the units it inspects (at least one)."""
    _require_editor(user)
    members = list(team)
    unit_list = list(dict.fromkeys(units))
    _check_plan(members, unit_list, fields)
    plan = InspectionPlan.objects.create(created_by=user, **fields)
    record_bulk_create(
        TeamMember.objects.bulk_create([TeamMember(plan=plan, person=m.person, role=m.role) for m in members])
    )
    record_bulk_create(
        InspectedUnit.objects.bulk_create(
            [InspectedUnit(plan=plan, unit=u, visit_on=plan.starts_on) for u in unit_list]
        )
    )
    return plan


@transaction.atomic
def update_plan(
    user: Any, plan: InspectionPlan, *, team: Iterable[TeamEntry], units: Iterable[Unit], **fields: Any
) -> InspectionPlan:
    """Edit a plan: same rules as creating it; the team is replaced; a unit whose record already holds findings or
    proposals cannot be dropped (the record must not be lost)."""
    _require_editor(user)
    members = list(team)
    unit_list = list(dict.fromkeys(units))
    _check_plan(members, unit_list, fields)
    keep = {u.pk for u in unit_list}
    for inspected in plan.units.select_related("unit").exclude(unit_id__in=keep):
        if inspected.findings.exists() or inspected.proposals.exists() or inspected.responses.exists():
            raise ValidationError(
                {
                    "units": f"Không thể bỏ {inspected.unit.name}: biên bản của đơn vị đã có kết luận hoặc đề nghị."
                }
            )
        inspected.delete()
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save()
    plan.team.all().delete()
    record_bulk_create(
        TeamMember.objects.bulk_create([TeamMember(plan=plan, person=m.person, role=m.role) for m in members])
    )
    present = set(plan.units.values_list("unit_id", flat=True))
    record_bulk_create(
        InspectedUnit.objects.bulk_create(
            [
                InspectedUnit(plan=plan, unit=u, visit_on=plan.starts_on)
                for u in unit_list
                if u.pk not in present
            ]
        )
    )
    return plan


@transaction.atomic
def set_sample(user: Any, inspected: InspectedUnit, tasks: Iterable[Task]) -> None:
    """Make `tasks` (all led by the inspected unit) the sample: add findings for new ones, drop unchecked ones no
    longer chosen (a checked finding is kept: the record must not lose a verdict)."""
    _require_editor(user)
    chosen = {t.pk: t for t in tasks}
    wrong = [t for t in chosen.values() if t.lead_unit_id != inspected.unit_id]
    if wrong:
        raise ValidationError({"tasks": f"Nhiệm vụ «{wrong[0]}» không do {inspected.unit.name} chủ trì."})
    secret = [t for t in chosen.values() if not may_read_content(user, t)]
    if secret:
        raise ValidationError(
            {
                "tasks": f"Nhiệm vụ số {secret[0].pk} là nhiệm vụ mật: chỉ người được xem tài liệu mật mới chọn vào mẫu."
            }
        )
    existing = {f.task_id: f for f in inspected.findings.all()}
    for pk, finding in existing.items():
        if pk not in chosen and not finding.checked:
            finding.delete()
    record_bulk_create(
        Finding.objects.bulk_create(
            [Finding(inspected=inspected, task=t) for pk, t in chosen.items() if pk not in existing]
        )
    )


def bucket_at_inspection(task: Task, ref: date) -> str:
    """The task's timeliness bucket on `ref` as it stood then: the deadline in force that day
    (`Task.deadline_on`), a result dated after `ref` not yet standing (the task was open), a task cancelled after
    `ref` still open then."""
    state, completed_on = task.state, task.completed_on
    if tl.has_result(state, completed_on) and completed_on is not None and completed_on > ref:
        state, completed_on = tl.IN_PROGRESS, None
    if state == tl.CANCELLED and task.cancelled_on is not None and task.cancelled_on > ref:
        state = tl.IN_PROGRESS
        if completed_on is not None and completed_on <= ref:
            state = tl.COMPLETED
    return tl.bucket(state, task.deadline_on(ref), completed_on, ref, tl.soon_limit(ref))


def fitting_verdicts(finding: Finding) -> tuple[Verdict, ...]:
    """The verdicts that fit the finding's task at the time of inspection (`VERDICTS_BY_BUCKET`)."""
    ref = finding.inspected.reference_date
    return VERDICTS_BY_BUCKET[bucket_at_inspection(finding.task, ref)]


def _check_fits(finding: Finding, verdict: str) -> None:
    ref = finding.inspected.reference_date
    bucket = bucket_at_inspection(finding.task, ref)
    if verdict not in VERDICTS_BY_BUCKET[bucket]:
        fitting = ", ".join(f"«{v.label}»" for v in VERDICTS_BY_BUCKET[bucket]) or "không có kết luận nào"
        raise ValidationError(
            {
                "verdict": f"Kết luận «{Verdict(verdict).label}» không phù hợp: tại thời điểm kiểm tra "
                f"({ref:%d/%m/%Y}) nhiệm vụ ở tình trạng «{tl.BUCKET_LABELS[bucket]}»; chọn {fitting}."
            }
        )


@transaction.atomic
def record_finding(user: Any, finding: Finding, *, verdict: str, text: str, evidence: Any = None) -> Finding:
    """Record the team's verdict on a task: it must fit the task's timeliness at the time of inspection
    (`fitting_verdicts`); a late verdict needs its reasons in the text. A secret task's finding only by a member
    cleared for secrets (the record is about its content)."""
    _require_editor(user)
    if not may_read_content(user, finding.task):
        raise PermissionDenied("Kết luận về nhiệm vụ mật chỉ do người được xem tài liệu mật ghi.")
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": "Chọn một kết luận trong danh sách."})
    _check_fits(finding, verdict)
    if verdict in REASONED_VERDICTS and not text.strip():
        raise ValidationError({"text": "Nêu rõ nội dung kết luận (nguyên nhân chậm, trách nhiệm)."})
    check_upload(evidence, "evidence")
    finding.verdict = verdict
    finding.text = text.strip()
    finding.checked = True
    finding.updated_by = user
    if evidence is not None:
        finding.evidence = evidence
    finding.save()
    return finding


@transaction.atomic
def respond(user: Any, inspected: InspectedUnit, *, text: str, file: Any = None) -> Response:
    """The inspected unit's explanation, accepted until the response deadline."""
    if not may_respond(user, inspected):
        if inspected.response_due and person_of(user) and person_of(user).unit_id == inspected.unit_id:  # type: ignore[union-attr]
            raise PermissionDenied(f"Đã hết hạn giải trình ({inspected.response_due:%d/%m/%Y}).")
        raise PermissionDenied("Chỉ đơn vị được kiểm tra được giải trình về kết quả kiểm tra của mình.")
    if not text.strip():
        raise ValidationError({"text": "Nội dung giải trình không được để trống."})
    check_upload(file, "file")
    return Response.objects.create(
        inspected=inspected, author=user, at=timezone.now(), text=text.strip(), file=file or ""
    )


@transaction.atomic
def add_remedy(user: Any, plan: InspectionPlan, *, lead_unit: Unit, content: str, due_date: date) -> Remedy:
    """A remedy with one lead unit and a deadline; once the notice is issued it becomes a tracked task at once."""
    _require_editor(user)
    if not content.strip():
        raise ValidationError({"content": "Nội dung khắc phục không được để trống."})
    if due_date < today():
        raise ValidationError({"due_date": "Thời hạn khắc phục không được trước ngày hôm nay."})
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)  # the notice may just have been issued
    remedy = Remedy.objects.create(plan=plan, lead_unit=lead_unit, content=content.strip(), due_date=due_date)
    if plan.notice_directive_id:
        _track(user, plan, remedy)
    return remedy


def _track(user: Any, plan: InspectionPlan, remedy: Remedy) -> None:
    """Create the remedy's task under the notice (directive issued by Sở Nội vụ) and assign it: from then on the
    follow-up engine urges it like any other open task with a deadline."""
    from dondoc.tracking import actions

    assert plan.notice_directive is not None
    task = actions.create_task(
        plan.notice_directive,
        lead_unit=remedy.lead_unit,
        content=remedy.content,
        user=user,
        due_date=remedy.due_date,
        must_report=True,
        due_text=f"Trước ngày {remedy.due_date:%d/%m/%Y}",
    )
    task = actions.assign(task, user)
    remedy.task = task
    remedy.save(update_fields=["task"])


def issuer_unit() -> Unit:
    """The unit that signs inspection notices: INSPECTION_ISSUER_CODE, by default Sở Nội vụ (SNV)."""
    return register.issuer("INSPECTION_ISSUER_CODE", "thông báo kết quả kiểm tra")


def default_person(inspected: InspectedUnit, finding: Finding | None) -> Person | None:
    """The individual a proposal names by default: the head accountable for the task when the lateness happened —
    on the first day past its effective deadline (`Task.accountable_head_on`: the lead unit's head at assignment
    until a change of lead takes effect, the new lead's head after it) —, else the unit's current head."""
    if finding is not None:
        task = finding.task
        deadline = task.effective_due
        head = task.accountable_head_on(deadline + timedelta(days=1)) if deadline else task.accountable_head
        if head is not None:
            return head
    return inspected.unit.current_head()


@transaction.atomic
def propose(
    user: Any,
    inspected: InspectedUnit,
    *,
    target: str,
    grounds: str,
    finding: Finding | None = None,
    person: Person | None = None,
) -> Proposal:
    """Propose holding a collective (the inspected unit) or an individual to account, on stated grounds."""
    _require_editor(user)
    if not grounds.strip():
        raise ValidationError({"grounds": "Nêu căn cứ, lý do đề nghị kiểm điểm trách nhiệm."})
    if finding is not None:
        if finding.inspected_id != inspected.pk:
            raise ValidationError({"finding": "Kết luận không thuộc biên bản của đơn vị này."})
        if finding.verdict not in ACCOUNTABLE_VERDICTS:
            raise ValidationError(
                {"finding": "Chỉ đề nghị kiểm điểm khi kết luận là cố tình chậm trễ hoặc thiếu trách nhiệm."}
            )
    if target == Proposal.Target.INDIVIDUAL:
        person = person or default_person(inspected, finding)
        if person is None:
            raise ValidationError(
                {"person": "Chọn cá nhân bị đề nghị kiểm điểm (đơn vị chưa có thủ trưởng)."}
            )
    elif target == Proposal.Target.COLLECTIVE:
        person = None
    else:
        raise ValidationError({"target": "Chọn đối tượng: tập thể hoặc cá nhân."})
    return Proposal.objects.create(
        inspected=inspected,
        finding=finding,
        target=target,
        unit=inspected.unit,
        person=person,
        grounds=grounds.strip(),
        created_by=user,
    )


@transaction.atomic
def record_outcome(
    user: Any,
    proposal: Proposal,
    *,
    handling_started_on: date | None,
    extension_days: int = 0,
    meeting_on: date | None = None,
    form: str = "",
    decision_number: str = "",
    decided_on: date | None = None,
) -> Proposal:
    """Record the outcome of a proposal: review meeting, disciplinary form (valid under the decree in force on the
    decision date, discipline.check_form), decision; the handling clock is 90 days, at most 150 with extension."""
    _require_editor(user)
    errors: dict[str, str] = {}
    if extension_days and handling_started_on is None:
        errors["handling_started_on"] = "Nhập ngày bắt đầu xử lý trước khi gia hạn."
    try:
        if handling_started_on is not None:
            dc.handling_deadline(handling_started_on, extension_days)
    except ValueError as exc:
        errors["extension_days"] = str(exc)
    if form and decided_on is None:
        errors["decided_on"] = "Nhập ngày quyết định kỷ luật để kiểm tra hình thức kỷ luật."
    if form and decided_on is not None:
        try:
            dc.check_form(form, decided_on)
        except dc.FormNotInForce as exc:
            errors["form"] = exc.message
    if decided_on and not form:
        errors["form"] = "Chọn hình thức kỷ luật đã quyết định."
    if decided_on and meeting_on and decided_on < meeting_on:
        errors["decided_on"] = "Ngày quyết định kỷ luật không được trước ngày họp kiểm điểm."
    if errors:
        raise ValidationError(errors)
    proposal.handling_started_on = handling_started_on
    proposal.extension_days = extension_days
    proposal.meeting_on = meeting_on
    proposal.form = form
    proposal.decision_number = decision_number.strip()
    proposal.decided_on = decided_on
    proposal.save()
    return proposal
