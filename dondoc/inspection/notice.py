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

from dondoc.directives.models import Authority, Directive
from dondoc.documents import register
from dondoc.documents.layout import Heading, OfficialDocument, Paragraph, Signature, Table
from dondoc.documents.models import OutgoingDocument
from dondoc.inspection import services
from dondoc.inspection.models import InspectionPlan, TeamMember, Verdict
from dondoc.org.models import Unit
from dondoc.tracking.secrecy import shown_content

SYMBOL = "TB-SNV"


def build_notice(plan: InspectionPlan, day: date, issuer: Unit) -> OfficialDocument:
    """The notice goes to every inspected unit and is filed in the outgoing register: a secret task appears only as
    its masked number (`secrecy.shown_content`, no reader), without the team's text about it."""
    parent_body, issuing_body = register.header_for(issuer)
    blocks: list[Any] = [
        Paragraph(
            f"Thực hiện Quyết định số {plan.decision_number} ngày {plan.decision_date:%d/%m/%Y} về việc "
            f"{plan.title}, Đoàn kiểm tra công vụ đã kiểm tra việc thực hiện nhiệm vụ được giao "
            f"(thời kỳ từ {plan.period_start:%d/%m/%Y} đến {plan.period_end:%d/%m/%Y}) "
            f"tại {plan.units.count()} đơn vị, bao gồm cả bốn nhóm nhiệm vụ theo Công văn số 3031/UBND-TKBT. "
            f"{issuer.name} thông báo kết quả như sau:"
        ),
        Heading("I. KẾT QUẢ KIỂM TRA"),
    ]
    for i, inspected in enumerate(plan.units.select_related("unit"), start=1):
        findings = list(inspected.findings.filter(checked=True).select_related("task"))
        counts = Counter(f.verdict for f in findings)
        summary = "; ".join(f"{label.lower()}: {counts[v]}" for v, label in Verdict.choices if counts[v])
        blocks.append(
            Paragraph(
                f"{i}. {inspected.unit.name}: kiểm tra {len(findings)} nhiệm vụ ({summary or 'không có'})."
            )
        )
        if findings:
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
    proposals = [p for u in plan.units.all() for p in u.proposals.select_related("unit", "person")]
    blocks.append(Heading("III. KIẾN NGHỊ KIỂM ĐIỂM TRÁCH NHIỆM"))
    if proposals:
        for n, p in enumerate(proposals, start=1):
            who = f"ông (bà) {p.person.full_name}, {p.unit.name}" if p.person else f"tập thể {p.unit.name}"
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
        + [u.unit.name for u in plan.units.select_related("unit")],
        archive="TTr",
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
    issuer = services.issuer_unit()
    doc = build_notice(plan, day, issuer)
    record = register.issue(doc, issuer=issuer, doc_type=OutgoingDocument.DocType.NOTICE, created_by=user)
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
