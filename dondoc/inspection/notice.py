"""The notice of inspection results (*thông báo kết quả kiểm tra công vụ*), Decree 30/2020 layout.

1. `build_notice(plan, day, issuer)` writes the findings per unit, the remedies with their lead units and deadlines,
   and the accountability proposals into an `OfficialDocument`.
2. `issue_notice(user, plan, day)` numbers it in Sở Nội vụ's register (INSPECTION_ISSUER_CODE), files the DOCX and
   PDF, registers the notice as a direction document and turns each remedy into an assigned task under it, so the
   follow-up engine urges the remedies like any other open task with a deadline. All in one transaction.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch

from dondoc.core.dates import today
from dondoc.directives.models import Authority, Directive
from dondoc.documents import register
from dondoc.documents.layout import Heading, OfficialDocument, Paragraph, Signature, Table
from dondoc.documents.models import OutgoingDocument
from dondoc.documents.wording import post_of
from dondoc.inspection import services
from dondoc.inspection.models import Finding, InspectedUnit, InspectionPlan, Proposal, TeamMember, Verdict
from dondoc.org.models import Unit
from dondoc.tracking import timeliness as tl
from dondoc.tracking.secrecy import shown_content

SYMBOL = "TB-SNV"


def covered_units(plan: InspectionPlan) -> list[InspectedUnit]:
    """The inspected units whose record holds at least one verdict, with those findings prefetched (by unit name):
    the notice reports on them; a unit of the plan with no verdict was not inspected and is not listed."""
    checked = Finding.objects.filter(checked=True).select_related("task")
    units = plan.units.select_related("unit").prefetch_related(Prefetch("findings", queryset=checked))
    return [u for u in units if u.findings.all()]


def kinds_phrase(kinds: set[str]) -> str:
    """Which of the four kinds of dispatch 3031 §5 the verdicts covered: "cả bốn nhóm nhiệm vụ" only when all four
    did, else the groups named ("2 nhóm nhiệm vụ: có thời hạn, phải trình hoặc báo cáo; không có thời hạn, …")."""
    if kinds >= set(tl.KIND_LABELS):
        return "bao gồm cả bốn nhóm nhiệm vụ theo Công văn số 3031/UBND-TKBT"
    named = "; ".join(label[0].lower() + label[1:] for k, label in tl.KIND_LABELS.items() if k in kinds)
    return f"gồm {len(kinds)} trong bốn nhóm nhiệm vụ theo Công văn số 3031/UBND-TKBT ({named})"


def concerned_units(plan: InspectionPlan, covered: list[InspectedUnit]) -> list[Unit]:
    """The units the notice goes to ("Nơi nhận") and that may open it: those it reports on, and any unit a remedy
    or a proposal names; by name."""
    units = {u.unit.pk: u.unit for u in covered}
    units.update({r.lead_unit.pk: r.lead_unit for r in plan.remedies.select_related("lead_unit")})
    units.update(
        {p.unit.pk: p.unit for p in Proposal.objects.filter(inspected__plan=plan).select_related("unit")}
    )
    return sorted(units.values(), key=lambda u: u.name)


def build_notice(plan: InspectionPlan, day: date, issuer: Unit) -> OfficialDocument:
    """The notice goes to every inspected unit and is filed in the outgoing register: a secret task appears only as
    its masked number (`secrecy.shown_content`, no reader), without the team's text about it."""
    parent_body, issuing_body = register.header_for(issuer)
    covered = covered_units(plan)
    kinds = {f.task.kind for u in covered for f in u.findings.all()}
    blocks: list[Any] = [
        Paragraph(
            f"Thực hiện Quyết định số {plan.decision_number} ngày {plan.decision_date:%d/%m/%Y} về việc "
            f"{plan.title}, Đoàn kiểm tra công vụ đã kiểm tra việc thực hiện nhiệm vụ được giao "
            f"(thời kỳ từ {plan.period_start:%d/%m/%Y} đến {plan.period_end:%d/%m/%Y}) "
            f"tại {len(covered)} đơn vị, {kinds_phrase(kinds)}. "
            f"{issuer.name} thông báo kết quả như sau:"
        ),
        Heading("I. KẾT QUẢ KIỂM TRA"),
    ]
    for i, inspected in enumerate(covered, start=1):
        findings = list(inspected.findings.all())
        counts = Counter(f.verdict for f in findings)
        summary = "; ".join(f"{label.lower()}: {counts[v]}" for v, label in Verdict.choices if counts[v])
        blocks.append(
            Paragraph(f"{i}. {inspected.unit.name}: kiểm tra {len(findings)} nhiệm vụ ({summary}).")
        )
        blocks.append(
            Table(
                header=["STT", "Nội dung nhiệm vụ", "Thời hạn", "Kết luận"],
                rows=[
                    [
                        str(n),
                        shown_content(f.task.pk, f.task.content, f.task.secret),
                        f.task.due_date.strftime("%d/%m/%Y") if f.task.due_date else "Không có",
                        f"{f.get_verdict_display()}. {'' if f.task.secret else f.text}".strip(),
                    ]
                    for n, f in enumerate(findings, start=1)
                ],
                widths_mm=[12, 70, 22, 56],
                align=["center", "left", "center", "left"],
            )
        )
    remedies = list(plan.remedies.select_related("lead_unit"))
    blocks.append(Heading("II. YÊU CẦU KHẮC PHỤC"))
    if remedies:
        blocks.append(
            Table(
                header=["STT", "Nội dung khắc phục", "Đơn vị chủ trì", "Thời hạn"],
                rows=[
                    [str(n), r.content, r.lead_unit.name, r.due_date.strftime("%d/%m/%Y")]
                    for n, r in enumerate(remedies, start=1)
                ],
                widths_mm=[12, 80, 44, 24],
                align=["center", "left", "left", "center"],
            )
        )
    else:
        blocks.append(Paragraph("Không có yêu cầu khắc phục."))
    proposals = list(
        Proposal.objects.filter(inspected__plan=plan)
        .select_related("unit", "person__unit")
        .order_by("inspected__unit__name", "id")
    )
    blocks.append(Heading("III. KIẾN NGHỊ KIỂM ĐIỂM TRÁCH NHIỆM"))
    if proposals:
        for n, p in enumerate(proposals, start=1):
            who = (
                f"ông (bà) {p.person.full_name}, {post_of(p.person)}"
                if p.person
                else f"tập thể {p.unit.name}"
            )
            blocks.append(Paragraph(f"{n}. Đề nghị kiểm điểm trách nhiệm {who}: {p.grounds}"))
    else:
        blocks.append(Paragraph("Không có kiến nghị kiểm điểm trách nhiệm."))
    blocks.append(
        Paragraph(
            "Đề nghị các đơn vị thực hiện các yêu cầu khắc phục đúng thời hạn, báo cáo kết quả về "
            f"{issuer.name} để tổng hợp, báo cáo Chủ tịch UBND Thành phố./."
        )
    )
    head = plan.team.filter(role=TeamMember.Role.HEAD).select_related("person").first()
    return OfficialDocument(
        parent_body=parent_body,
        issuing_body=issuing_body,
        symbol=SYMBOL,
        place="Hà Nội",
        day=day,
        subject=f"Kết quả kiểm tra công vụ theo Quyết định số {plan.decision_number}",
        kind="THÔNG BÁO",
        title=f"Kết quả kiểm tra công vụ theo Quyết định số {plan.decision_number}",
        blocks=blocks,
        signature=Signature(
            authority="TM. ĐOÀN KIỂM TRA", position="TRƯỞNG ĐOÀN", name=head.person.full_name if head else ""
        ),
        recipients=["Chủ tịch UBND Thành phố (để báo cáo)"]
        + [u.name for u in concerned_units(plan, covered)],
        archive="TTr",
    )


def check_day(plan: InspectionPlan, day: date) -> None:
    """A notice concludes the inspection: issued once the inspection's scheduled dates have ended (today and the
    notice's date both on or after its last day, `ends_on`), and never dated ahead of today."""
    if today() < plan.ends_on or day < plan.ends_on:
        raise ValidationError(
            {
                "day": f"Chưa thể ban hành thông báo kết quả: đợt kiểm tra đến ngày {plan.ends_on:%d/%m/%Y} mới "
                f"kết thúc (ngày ban hành phải từ ngày {plan.ends_on:%d/%m/%Y} trở đi)."
            }
        )
    if day > today():
        raise ValidationError(
            {
                "day": f"Ngày ban hành thông báo {day:%d/%m/%Y} không được sau ngày hôm nay ({today():%d/%m/%Y})."
            }
        )


@transaction.atomic
def issue_notice(user: Any, plan: InspectionPlan, day: date) -> OutgoingDocument:
    """Issue the notice once: number, file, register as a directive, track every remedy as an assigned task."""
    services._require_editor(user)
    plan = InspectionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.notice_id:
        raise ValidationError("Thông báo kết quả kiểm tra của đợt này đã được ban hành.")
    if not plan.units.filter(findings__checked=True).exists():
        raise ValidationError("Chưa có kết luận nào trong biên bản: chưa thể ban hành thông báo kết quả.")
    check_day(plan, day)
    issuer = services.issuer_unit()
    doc = build_notice(plan, day, issuer)
    record = register.issue(
        doc,
        issuer=issuer,
        doc_type=OutgoingDocument.DocType.NOTICE,
        created_by=user,
        recipient_units=concerned_units(plan, covered_units(plan)),
    )
    directive = Directive.objects.create(
        notation=record.notation,
        number=record.number,
        symbol=record.symbol,
        year=record.year,
        doc_type="TB",
        issuer=issuer,
        authority=Authority.CITY_COMMITTEE,
        issued_on=day,
        subject=doc.subject,
        signer_name=doc.signature.name,
    )
    plan.notice = record
    plan.notice_directive = directive
    plan.save(update_fields=["notice", "notice_directive"])
    tasks = []
    for remedy in plan.remedies.select_related("lead_unit"):
        services._track(user, plan, remedy)
        assert remedy.task is not None
        tasks.append(remedy.task)
    if tasks:
        record.tasks.add(*tasks)
    return record
