"""The /thanh-tra/ pages: who sees what, Vietnamese refusals naming the field, nothing changed on bad input."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dondoc.inspection import discipline as dc
from dondoc.inspection import services
from dondoc.inspection.models import InspectionPlan, Proposal, Verdict
from tests.helpers import login, make_plan, sampled_finding


@pytest.fixture
def plan(city, personas, registry):
    return make_plan(personas["inspector"], [registry["SXD"], registry["STC"]], title="Kiểm tra quý I")


def test_inspector_pages_render(plan, personas):
    c = login(personas["inspector"])
    sxd = plan.units.get(unit__code="SXD")
    for url in (
        "/thanh-tra/",
        "/thanh-tra/xep-hang-rui-ro/",
        "/thanh-tra/lap-ke-hoach/",
        f"/thanh-tra/{plan.pk}/",
    ):
        assert c.get(url).status_code == 200, url
    scope = c.get(f"/thanh-tra/don-vi/{sxd.pk}/pham-vi/")
    assert scope.status_code == 200 and "SXD loại a quá hạn" in scope.content.decode()
    assert c.get(f"/thanh-tra/don-vi/{sxd.pk}/").status_code == 200


def test_plan_form_with_a_bad_date_names_the_field_and_creates_nothing(city, personas, registry):
    c = login(personas["inspector"])
    response = c.post(
        "/thanh-tra/lap-ke-hoach/",
        {
            "decision_number": "1/QĐ-SNV",
            "decision_date": "31/02/2026",
            "title": "Kiểm tra",
            "mode": "scheduled",
            "period_start": "01/01/2026",
            "period_end": "09/03/2026",
            "starts_on": "10/03/2026",
            "ends_on": "20/03/2026",
            "head": personas["inspector"].pk,
            "units": [registry["SXD"].pk],
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "«Ngày quyết định»: Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy" in page
    assert not InspectionPlan.objects.exists()


def test_unit_people_see_their_record_only_and_cannot_edit(plan, personas):
    sxd = plan.units.get(unit__code="SXD")
    stc = plan.units.get(unit__code="STC")
    lead = login(personas["lead_officer"])
    assert lead.get(f"/thanh-tra/don-vi/{sxd.pk}/").status_code == 200
    assert lead.get(f"/thanh-tra/don-vi/{stc.pk}/").status_code == 404
    assert lead.get(f"/thanh-tra/don-vi/{sxd.pk}/pham-vi/").status_code == 403
    assert lead.get("/thanh-tra/lap-ke-hoach/").status_code == 403
    assert login(personas["other_officer"]).get(f"/thanh-tra/{plan.pk}/").status_code == 404
    response = lead.post(f"/thanh-tra/don-vi/{sxd.pk}/giai-trinh/", {"text": "Đơn vị giải trình"})
    assert response.status_code == 302 and sxd.responses.count() == 1


def test_outcome_page_refuses_an_abolished_form_with_the_field_named(plan, personas):
    sxd = plan.units.get(unit__code="SXD")
    proposal = services.propose(
        personas["inspector"].user, sxd, target=Proposal.Target.COLLECTIVE, grounds="Chậm"
    )
    c = login(personas["inspector"])
    response = c.post(
        f"/thanh-tra/de-nghi/{proposal.pk}/",
        {
            "handling_started_on": "10/03/2026",
            "extension_days": "0",
            "form": dc.DEMOTION,
            "decided_on": "20/03/2026",
        },
    )
    assert response.status_code == 400
    assert (
        "«Hình thức kỷ luật»: Hình thức kỷ luật «Giáng chức» không có trong Nghị định số 172/2025/NĐ-CP"
        in (response.content.decode())
    )
    proposal.refresh_from_db()
    assert proposal.form == "" and proposal.handling_started_on is None


def test_evidence_is_served_only_to_those_who_read_the_record(plan, city, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    sxd = plan.units.get(unit__code="SXD")
    evidence = SimpleUploadedFile("bb.pdf", b"%PDF-1.4\n%%EOF\n")
    finding = sampled_finding(
        personas["inspector"], sxd, city["t_a"], Verdict.IRRESPONSIBLE, "Thiếu trách nhiệm", evidence=evidence
    )
    url = f"/thanh-tra/ket-luan/{finding.pk}/tai-lieu/"
    response = login(personas["lead_officer"]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert login(personas["coord_officer"]).get(url).status_code == 404


def test_plan_edit_page_saves_and_plan_page_queries_are_bounded(
    plan, personas, registry, django_assert_max_num_queries
):
    c = login(personas["inspector"])
    page = c.get(f"/thanh-tra/{plan.pk}/sua/")
    assert page.status_code == 200 and "12/QĐ-SNV" in page.content.decode()
    response = c.post(
        f"/thanh-tra/{plan.pk}/sua/",
        {
            "decision_number": "12/QĐ-SNV",
            "decision_date": "02/03/2026",
            "title": "Kiểm tra quý I (sửa)",
            "mode": "unannounced",
            "period_start": "01/01/2026",
            "period_end": "09/03/2026",
            "starts_on": "10/03/2026",
            "ends_on": "20/03/2026",
            "head": personas["inspector"].pk,
            "units": [registry["SXD"].pk, registry["STC"].pk, registry["SYT"].pk],
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.mode == InspectionPlan.Mode.UNANNOUNCED and plan.units.count() == 3
    assert login(personas["lead_officer"]).get(f"/thanh-tra/{plan.pk}/sua/").status_code == 403
    with django_assert_max_num_queries(20):
        assert c.get(f"/thanh-tra/{plan.pk}/").status_code == 200
