"""The notice of results (issue 20, point 2): issued only once the inspection's dates have ended; it reports on the
units with a record and the task groups the verdicts covered; it names a person with their post; the units in its
"Nơi nhận" may open it."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from dondoc.directives.models import Directive
from dondoc.documents.models import OutgoingDocument
from dondoc.inspection import notice, services
from dondoc.inspection.models import Proposal, Verdict
from tests.helpers import login, make_plan

ON_21_MARCH = "2026-03-21 09:00 +07:00"  # the day after the inspection's last day (20/03/2026)


@pytest.fixture
def plan(city, personas, registry):
    """Sở Xây dựng and Sở Tài chính, visited 10–20/03/2026; only Sở Xây dựng gets verdicts (kinds a and c)."""
    inspector = personas["inspector"].user
    plan = make_plan(personas["inspector"], [registry["SXD"], registry["STC"]])
    sxd = plan.units.get(unit__code="SXD")
    services.set_sample(inspector, sxd, [city["t_a"], city["t_c"]])
    services.record_finding(
        inspector, sxd.findings.get(task=city["t_a"]), verdict=Verdict.DELIBERATE, text="Cố tình"
    )
    services.record_finding(
        inspector, sxd.findings.get(task=city["t_c"]), verdict=Verdict.NEEDS_DEADLINE, text=""
    )
    return plan


def text_of(doc) -> str:
    return "\n".join(getattr(b, "text", "") for b in doc.blocks)


def test_notice_cannot_be_issued_before_the_inspections_dates_end(plan, personas):
    inspector = personas["inspector"].user
    directives = Directive.objects.count()
    for day in (date(2026, 3, 10), date(2026, 3, 20)):  # today, and the last day while the inspection goes on
        with pytest.raises(ValidationError) as refused:
            notice.issue_notice(inspector, plan, day)
        assert "đợt kiểm tra đến ngày 20/03/2026 mới kết thúc" in refused.value.message_dict["day"][0]
    with time_machine.travel(ON_21_MARCH, tick=False):
        with pytest.raises(ValidationError, match="đợt kiểm tra đến ngày 20/03/2026 mới kết thúc"):
            notice.issue_notice(inspector, plan, date(2026, 3, 19))  # dated before the end
        with pytest.raises(ValidationError, match="không được sau ngày hôm nay"):
            notice.issue_notice(inspector, plan, date(2026, 3, 23))  # dated ahead
    response = login(personas["inspector"]).post(f"/thanh-tra/{plan.pk}/thong-bao/", {"day": "10/03/2026"})
    assert response.status_code == 400
    assert "«Ngày ban hành thông báo»: Chưa thể ban hành thông báo kết quả" in response.content.decode()
    plan.refresh_from_db()
    assert plan.notice is None and not OutgoingDocument.objects.exists()
    assert Directive.objects.count() == directives
    with time_machine.travel(ON_21_MARCH, tick=False):
        assert notice.issue_notice(inspector, plan, date(2026, 3, 20)).notation == "01/TB-SNV"


def test_notice_reports_on_units_with_a_record_and_names_the_groups_covered(plan, city, personas, registry):
    doc = notice.build_notice(plan, date(2026, 3, 21), registry["SNV"])
    text = text_of(doc)
    assert "tại 1 đơn vị, gồm 2 trong bốn nhóm nhiệm vụ theo Công văn số 3031/UBND-TKBT" in text
    assert "(có thời hạn, phải trình hoặc báo cáo; không có thời hạn, phải trình hoặc báo cáo)" in text
    assert "cả bốn nhóm" not in text
    assert "1. Sở Xây dựng: kiểm tra 2 nhiệm vụ" in text
    assert "Sở Tài chính" not in text and "(không có)" not in text and "kiểm tra 0" not in text
    assert "Sở Tài chính" not in doc.recipients and "Sở Xây dựng" in doc.recipients

    inspector = personas["inspector"].user
    sxd = plan.units.get(unit__code="SXD")
    services.set_sample(inspector, sxd, [city["t_a"], city["t_c"], city["t_b"], city["t_d"]])
    services.record_finding(
        inspector, sxd.findings.get(task=city["t_b"]), verdict=Verdict.LATE_OBJECTIVE, text="Mưa bão"
    )
    services.record_finding(
        inspector, sxd.findings.get(task=city["t_d"]), verdict=Verdict.NO_DEADLINE_ON_TRACK, text=""
    )
    text = text_of(notice.build_notice(plan, date(2026, 3, 21), registry["SNV"]))
    assert "tại 1 đơn vị, bao gồm cả bốn nhóm nhiệm vụ theo Công văn số 3031/UBND-TKBT" in text


def test_notice_names_a_person_with_their_post(plan, city, personas, registry):
    sxd = plan.units.get(unit__code="SXD")
    services.propose(
        personas["inspector"].user,
        sxd,
        target=Proposal.Target.INDIVIDUAL,
        grounds="Cố tình chậm trễ",
        finding=sxd.findings.get(task=city["t_a"]),
    )
    text = text_of(notice.build_notice(plan, date(2026, 3, 21), registry["SNV"]))
    assert "Đề nghị kiểm điểm trách nhiệm ông (bà) Sxd Truong, Giám đốc Sở Xây dựng: Cố tình chậm trễ" in text


def test_units_in_the_notices_recipients_open_it_and_others_do_not(plan, personas):
    with time_machine.travel(ON_21_MARCH, tick=False):
        record = notice.issue_notice(personas["inspector"].user, plan, date(2026, 3, 20))
    urls = [record.get_absolute_url(), f"/van-ban-di/{record.pk}/tai-ve/pdf/"]
    for name in ("lead_officer", "lead_head"):  # Sở Xây dựng, in "Nơi nhận"
        c = login(personas[name])
        assert [c.get(u).status_code for u in urls] == [200, 200], name
        assert "01/TB-SNV" in c.get(urls[0]).content.decode()
        assert record in OutgoingDocument.objects.visible_to(personas[name].user)
    for name in ("coord_officer", "other_officer"):  # Sở Tài chính (no record, not listed), Sở Y tế
        c = login(personas[name])
        assert [c.get(u).status_code for u in urls] == [404, 404], name
