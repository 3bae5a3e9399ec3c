"""One wording for every document (issue 20, point 4): the same person signs the report and the urging letter with
the same block; the City Office's report does not propose to itself; dispatch 3031 is cited by its real subject."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.documents import urging, wording
from dondoc.documents.layout import Signature
from dondoc.evaluation import periods as pr
from dondoc.evaluation import report
from dondoc.org.models import Person
from tests.helpers import make_person

REF = date(2026, 3, 10)


def _report(issuer):
    data = report.collect(pr.monthly(2026, 3), REF)
    return report.build_document(data, issuer)


def _letter(registry, personas):
    lines, _ = urging.preview(registry["SXD"], personas["tracker"].user, REF)
    return urging.build_letter(registry["SXD"], lines, REF, registry["VPUBND"])


def _text(doc) -> str:
    parts = [doc.title, doc.subject]
    for block in doc.blocks:
        parts.append(getattr(block, "text", ""))
    return "\n".join(parts)


@pytest.fixture
def chief(registry):
    return make_person("vp.chanh", registry["VPUBND"], Person.Role.UNIT_HEAD, Person.Position.HEAD)


@pytest.fixture
def deputy(registry):
    return make_person("vp.pho", registry["VPUBND"], Person.Role.UNIT_HEAD, Person.Position.DEPUTY)


def test_the_chief_signs_report_and_urging_letter_with_the_same_block(
    overdue_tasks, registry, personas, chief
):
    signed = Signature(position="CHÁNH VĂN PHÒNG", name="Vp Chanh", authority="")
    assert _report(registry["VPUBND"]).signature == signed
    assert _letter(registry, personas).signature == signed


def test_a_deputy_signs_on_the_chiefs_behalf_in_every_document(
    overdue_tasks, registry, personas, chief, deputy, settings
):
    settings.URGING_SIGNER_NAME = "Vp Pho"
    block = Signature(position="PHÓ CHÁNH VĂN PHÒNG", name="Vp Pho", authority="KT. CHÁNH VĂN PHÒNG")
    assert _letter(registry, personas).signature == block
    assert wording.signature_for(registry["VPUBND"], deputy) == block


def test_heads_of_other_issuers_sign_in_their_own_title(registry):
    make_person("snv.gd", registry["SNV"], Person.Role.INSPECTOR, Person.Position.HEAD)
    assert wording.signature_for(registry["SNV"]) == Signature(position="GIÁM ĐỐC", name="Snv Gd")
    ward = next(u for u in registry.values() if u.name == "UBND phường Hoàng Mai")
    assert wording.signature_for(ward) == Signature(
        position="CHỦ TỊCH", name="", authority="TM. ỦY BAN NHÂN DÂN"
    )


def test_the_city_offices_report_does_not_propose_that_the_city_office_follow_up(overdue_tasks, registry):
    office = _text(_report(registry["VPUBND"]))
    assert "Đề nghị Văn phòng UBND Thành phố tiếp tục" not in office
    assert "Văn phòng UBND Thành phố tiếp tục theo dõi, đôn đốc" in office
    assert "Đề nghị Văn phòng UBND Thành phố tiếp tục theo dõi" in _text(_report(registry["SNV"]))


def test_documents_cite_3031_by_its_real_subject(overdue_tasks, registry, personas):
    for text in (_text(_report(registry["SNV"])), _text(_letter(registry, personas))):
        assert (
            "3031/UBND-TKBT ngày 10/7/2020 của UBND Thành phố về nâng cao kỷ luật, kỷ cương hành chính"
            in text
        )
        assert "tăng cường kỷ luật" not in text
