"""Plans, records, responses, remedies as tracked tasks, proposals and their outcome; who may do what."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from dondoc.documents.models import OutgoingDocument
from dondoc.inspection import discipline as dc
from dondoc.inspection import notice, services
from dondoc.inspection.models import Finding, InspectedUnit, InspectionPlan, Proposal, TeamMember, Verdict
from dondoc.inspection.summary import inspection_summary
from dondoc.org.models import Person
from dondoc.tracking import timeliness as tl
from tests.helpers import make_plan, plan_fields, sampled_finding

Entry = services.TeamEntry


@pytest.fixture
def plan(city, personas, registry):
    # the tracker is a member from another unit
    return make_plan(personas["inspector"], [registry["SXD"], registry["STC"]], members=[personas["tracker"]])


def record(plan, code):
    return plan.units.get(unit__code=code)


def test_only_an_inspector_creates_a_plan(city, personas, registry):
    with pytest.raises(PermissionDenied):
        services.create_plan(
            personas["lead_head"].user,
            team=[Entry(personas["lead_head"], TeamMember.Role.HEAD)],
            units=[registry["SXD"]],
            **plan_fields(),
        )
    assert not InspectionPlan.objects.exists()


def test_a_plan_needs_exactly_one_head_and_a_unit(city, personas):
    with pytest.raises(ValidationError) as refused:
        services.create_plan(
            personas["inspector"].user,
            team=[Entry(personas["inspector"], TeamMember.Role.MEMBER)],
            units=[],
            **plan_fields(),
        )
    assert set(refused.value.message_dict) == {"head", "units"}
    assert not InspectionPlan.objects.exists()


def test_inspected_unit_sees_only_its_own_record_and_others_nothing(plan, personas):
    assert list(InspectionPlan.objects.visible_to(personas["lead_officer"].user)) == [plan]
    assert not InspectionPlan.objects.visible_to(personas["other_officer"].user).exists()
    assert InspectionPlan.objects.visible_to(personas["leader"].user).count() == 1
    assert [r.unit.code for r in services.inspected_visible_to(personas["lead_officer"].user)] == ["SXD"]
    assert services.inspected_visible_to(personas["leader"].user).count() == 2
    assert services.inspected_visible_to(personas["tracker"].user).count() == 2
    assert not services.inspected_visible_to(personas["other_officer"].user).exists()


def test_sample_must_be_tasks_of_the_inspected_unit(plan, city, personas):
    sxd = record(plan, "SXD")
    with pytest.raises(ValidationError):
        services.set_sample(personas["inspector"].user, sxd, [city["s_over"]])
    services.set_sample(personas["inspector"].user, sxd, [city["t_a"], city["t_b"]])
    assert sxd.findings.count() == 2
    with pytest.raises(PermissionDenied):
        services.set_sample(personas["lead_head"].user, sxd, [city["t_c"]])


def test_finding_with_a_disguised_evidence_file_is_refused(plan, city, personas):
    sxd = record(plan, "SXD")
    services.set_sample(personas["inspector"].user, sxd, [city["t_a"]])
    finding = sxd.findings.get()
    fake = SimpleUploadedFile("bien-ban.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as refused:
        services.record_finding(
            personas["inspector"].user,
            finding,
            verdict=Verdict.DELIBERATE,
            text="Không triển khai",
            evidence=fake,
        )
    assert "evidence" in refused.value.message_dict
    finding.refresh_from_db()
    assert not finding.checked and finding.verdict == ""
    with pytest.raises(ValidationError) as no_text:
        services.record_finding(personas["inspector"].user, finding, verdict=Verdict.LATE_NO_CAUSE, text=" ")
    assert "text" in no_text.value.message_dict


def test_unit_responds_until_the_deadline_only(plan, personas):
    sxd = record(plan, "SXD")
    sxd.response_due = date(2026, 3, 13)
    sxd.save()
    services.respond(personas["lead_officer"].user, sxd, text="Đơn vị xin giải trình: vướng thủ tục đất đai.")
    with pytest.raises(PermissionDenied):
        services.respond(personas["coord_officer"].user, sxd, text="Không phải đơn vị mình")
    with time_machine.travel("2026-03-14 09:00 +07:00", tick=False):
        with pytest.raises(PermissionDenied, match="13/03/2026"):
            services.respond(personas["lead_officer"].user, sxd, text="Giải trình muộn")
    assert sxd.responses.count() == 1


def test_individual_proposal_names_the_accountable_head_at_the_time_of_the_task(
    plan, city, personas, registry
):
    sxd = record(plan, "SXD")
    finding = sampled_finding(
        personas["inspector"], sxd, city["t_a"], Verdict.DELIBERATE, "Cố tình không thực hiện"
    )
    # The head changes after the task was assigned: the proposal still names the head of that time.
    personas["lead_head"].active = False
    personas["lead_head"].save()
    Person.objects.create(full_name="Giám đốc Mới", unit=registry["SXD"], role="unit_head", position="head")
    proposal = services.propose(
        personas["inspector"].user,
        sxd,
        target=Proposal.Target.INDIVIDUAL,
        grounds="Cố tình chậm",
        finding=finding,
    )
    assert proposal.person == personas["lead_head"]
    collective = services.propose(
        personas["inspector"].user, sxd, target=Proposal.Target.COLLECTIVE, grounds="Chậm"
    )
    assert collective.person is None and collective.unit == registry["SXD"]


def test_proposal_needs_a_deliberate_or_irresponsible_finding(plan, city, personas):
    sxd = record(plan, "SXD")
    services.set_sample(personas["inspector"].user, sxd, [city["t_b"]])
    finding = services.record_finding(
        personas["inspector"].user, sxd.findings.get(), verdict=Verdict.LATE_OBJECTIVE, text="Do thiên tai"
    )
    with pytest.raises(ValidationError) as refused:
        services.propose(personas["inspector"].user, sxd, target="individual", grounds="x", finding=finding)
    assert "finding" in refused.value.message_dict


def test_outcome_refuses_a_form_abolished_on_the_decision_date(plan, personas):
    sxd = record(plan, "SXD")
    proposal = services.propose(personas["inspector"].user, sxd, target="collective", grounds="Chậm kéo dài")

    def salary_reduction(decision_number: str, decided_on: date):
        return services.record_outcome(
            personas["inspector"].user,
            proposal,
            handling_started_on=date(2025, 6, 1),
            meeting_on=date(2025, 6, 20),
            form=dc.SALARY_REDUCTION,
            decision_number=decision_number,
            decided_on=decided_on,
        )

    with pytest.raises(ValidationError) as refused:
        salary_reduction("99/QĐ-SXD", date(2025, 7, 1))
    assert "Hạ bậc lương" in refused.value.message_dict["form"][0]
    proposal.refresh_from_db()
    assert proposal.form == "" and proposal.decided_on is None
    salary_reduction("98/QĐ-SXD", date(2025, 6, 30))
    proposal.refresh_from_db()
    assert proposal.form == dc.SALARY_REDUCTION


def test_handling_clock_extends_to_150_days_at_most(plan, personas):
    proposal = services.propose(
        personas["inspector"].user, record(plan, "SXD"), target="collective", grounds="g"
    )
    with pytest.raises(ValidationError) as refused:
        services.record_outcome(
            personas["inspector"].user, proposal, handling_started_on=date(2026, 3, 10), extension_days=61
        )
    assert "extension_days" in refused.value.message_dict
    services.record_outcome(
        personas["inspector"].user, proposal, handling_started_on=date(2026, 3, 10), extension_days=60
    )
    proposal.refresh_from_db()
    assert proposal.handling_deadline == date(2026, 8, 7)
    assert not proposal.handling_overdue(date(2026, 8, 7)) and proposal.handling_overdue(date(2026, 8, 8))


def _findings(plan, city, personas):
    inspector = personas["inspector"].user
    sxd = record(plan, "SXD")
    services.set_sample(inspector, sxd, [city["t_a"], city["t_b"]])
    services.record_finding(
        inspector, sxd.findings.get(task=city["t_a"]), verdict=Verdict.DELIBERATE, text="Cố tình"
    )
    services.record_finding(
        inspector, sxd.findings.get(task=city["t_b"]), verdict=Verdict.LATE_OBJECTIVE, text="Mưa bão"
    )
    services.add_remedy(
        inspector,
        plan,
        lead_unit=sxd.unit,
        content="Hoàn thành kế hoạch chỉnh trang đô thị",
        due_date=date(2026, 4, 15),
    )
    return sxd


def test_notice_is_numbered_in_the_home_affairs_register_and_remedies_become_tracked_tasks(
    plan, city, personas
):
    _findings(plan, city, personas)
    with time_machine.travel("2026-03-20 09:00 +07:00", tick=False):  # the plan's last day
        record_ = notice.issue_notice(personas["inspector"].user, plan, date(2026, 3, 20))
        assert record_.notation == "01/TB-SNV"
        assert record_.issuer.code == "SNV" and record_.doc_type == OutgoingDocument.DocType.NOTICE
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(record_.docx.read())).paragraphs)
        assert "THÔNG BÁO" in text and "12/QĐ-SNV" in text
        pdf = "".join(page.extract_text() for page in PdfReader(io.BytesIO(record_.pdf.read())).pages)
        assert "Hoàn thành kế hoạch chỉnh trang" in pdf
        remedy = plan.remedies.get()
        task = remedy.task
        assert task is not None and task.state == tl.ASSIGNED
        assert task.lead_unit.code == "SXD" and task.due_date == date(2026, 4, 15)
        assert task.directive.notation == record_.notation
        assert task.next_followup_at is not None  # the follow-up engine will urge it
        assert list(record_.tasks.all()) == [task]
        with pytest.raises(ValidationError):
            notice.issue_notice(personas["inspector"].user, plan, date(2026, 3, 20))
        # A remedy added after the notice is tracked at once.
        later = services.add_remedy(
            personas["inspector"].user,
            plan,
            lead_unit=task.lead_unit,
            content="Rà soát quy trình",
            due_date=date(2026, 5, 1),
        )
        assert later.task is not None and later.task.state == tl.ASSIGNED


def test_notice_refused_without_any_finding(plan, personas):
    with pytest.raises(ValidationError):
        notice.issue_notice(personas["inspector"].user, plan, date(2026, 3, 20))
    assert not OutgoingDocument.objects.exists()


def test_summary_for_the_monthly_report(plan, city, personas):
    sxd = _findings(plan, city, personas)
    services.propose(personas["inspector"].user, sxd, target="collective", grounds="Chậm")
    with time_machine.travel("2026-03-20 09:00 +07:00", tick=False):
        notice.issue_notice(personas["inspector"].user, plan, date(2026, 3, 20))
    [row] = inspection_summary(date(2026, 2, 15), date(2026, 3, 14))
    assert row.plan == plan and row.findings == 2
    assert row.by_verdict["Cố tình chậm trễ"] == 1 and row.by_verdict["Chậm do nguyên nhân khách quan"] == 1
    assert sorted(row.units) == ["Sở Tài chính", "Sở Xây dựng"]
    assert (row.remedies, row.remedies_completed, row.remedies_overdue) == (1, 0, 0)
    assert (row.proposals, row.proposals_decided, row.proposals_overdue) == (1, 0, 0)
    proposal = Proposal.objects.get()
    services.record_outcome(personas["inspector"].user, proposal, handling_started_on=date(2025, 12, 1))
    [row] = inspection_summary(date(2026, 2, 15), date(2026, 3, 14))  # 90 days ended 01/03/2026
    assert row.proposals_overdue == 1
    assert row.notice == "01/TB-SNV"
    assert inspection_summary(date(2026, 1, 15), date(2026, 2, 14)) == []
    assert isinstance(sxd, InspectedUnit) and Finding.objects.filter(inspected=sxd).count() == 2


def test_editing_a_plan_replaces_the_team_but_never_drops_a_unit_with_findings(
    plan, city, personas, registry
):
    inspector = personas["inspector"].user
    services.set_sample(inspector, record(plan, "SXD"), [city["t_a"]])
    fields = plan_fields(title="Kiểm tra quý I (sửa)")
    with pytest.raises(ValidationError) as refused:
        services.update_plan(
            inspector, plan, team=[Entry(personas["inspector"], "head")], units=[registry["STC"]], **fields
        )
    assert "Sở Xây dựng" in refused.value.message_dict["units"][0]
    plan.refresh_from_db()
    assert plan.title.endswith("quý I/2026") and plan.units.count() == 2
    services.update_plan(
        inspector,
        plan,
        team=[Entry(personas["tracker"], "head"), Entry(personas["inspector"], "deputy")],
        units=[registry["SXD"], registry["SYT"]],
        **fields,
    )
    plan.refresh_from_db()
    assert plan.title == "Kiểm tra quý I (sửa)"
    assert sorted(plan.units.values_list("unit__code", flat=True)) == ["SXD", "SYT"]
    assert plan.team.get(role="head").person == personas["tracker"]
