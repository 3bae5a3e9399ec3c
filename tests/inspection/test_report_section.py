"""The monthly report's inspection section (issue 6 item 6): present with the inspection's figures when an inspection
visited units in the period — in the DOCX and the XLSX appendix — and absent otherwise."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from docx import Document
from openpyxl import load_workbook

from dondoc.evaluation import periods as pr
from dondoc.evaluation import report
from dondoc.inspection import notice, services
from dondoc.inspection.models import Proposal, Verdict
from tests.helpers import make_plan

pytestmark = pytest.mark.django_db

MARCH = pr.monthly(2026, 3)  # 15/02–14/03/2026; the plan visits from 10/03
REF = date(2026, 3, 14)


@pytest.fixture
def inspected(city, personas, registry):
    inspector = personas["inspector"].user
    plan = make_plan(personas["inspector"], [registry["SXD"], registry["STC"]], ends_on=date(2026, 3, 12))
    sxd = plan.units.get(unit__code="SXD")
    services.set_sample(inspector, sxd, [city["t_a"], city["t_b"]])
    finding = services.record_finding(
        inspector, sxd.findings.get(task=city["t_a"]), verdict=Verdict.DELIBERATE, text="Cố tình"
    )
    services.record_finding(
        inspector, sxd.findings.get(task=city["t_b"]), verdict=Verdict.LATE_OBJECTIVE, text="Mưa bão"
    )
    services.add_remedy(inspector, plan, lead_unit=sxd.unit, content="Khắc phục", due_date=date(2026, 4, 15))
    services.propose(inspector, sxd, target=Proposal.Target.INDIVIDUAL, grounds="Cố tình", finding=finding)
    services.propose(inspector, sxd, target=Proposal.Target.COLLECTIVE, grounds="Chậm")
    with time_machine.travel("2026-03-12 09:00 +07:00", tick=False):  # the last day of the inspection
        notice.issue_notice(inspector, plan, date(2026, 3, 12))
    return plan


def run_report(registry):
    run = report.new_run(MARCH, registry["SNV"], ref=REF)
    run = report.generate(run)
    assert run.status == run.Status.DRAFT, run.error
    return run


def docx_of(run) -> Document:
    with run.docx.open("rb") as f:
        return Document(io.BytesIO(f.read()))


def section_table(doc) -> dict[str, str]:
    for table in doc.tables:
        cells = [[c.text.strip() for c in row.cells] for row in table.rows]
        if cells and cells[0][:2] == ["Nội dung", "Kết quả"]:
            return {row[0]: row[1] for row in cells[1:]}
    raise AssertionError("no inspection table")


def test_report_has_the_inspection_section_with_its_numbers(inspected, registry):
    run = run_report(registry)
    doc = docx_of(run)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "V. KẾT QUẢ THANH TRA, KIỂM TRA CÔNG VỤ" in text
    assert "VI. ĐỀ XUẤT, KIẾN NGHỊ" in text
    assert "Trong kỳ có 1 đợt kiểm tra công vụ" in text
    assert f"1. {inspected.title}" in text
    table = section_table(doc)
    assert table["Quyết định thành lập đoàn"] == "QĐ 12/QĐ-SNV ngày 02/03/2026"
    assert table["Đơn vị được kiểm tra"] == "Sở Tài chính, Sở Xây dựng"
    assert table["Số nhiệm vụ đã kiểm tra"] == "2"
    assert table["– Cố tình chậm trễ"] == "1" and table["– Chậm do nguyên nhân khách quan"] == "1"
    assert table["– Hoàn thành đúng hạn"] == "0"
    assert table["Thông báo kết quả kiểm tra"] == "Số 01/TB-SNV"
    assert table["Biện pháp khắc phục"] == "1 (đã hoàn thành 0, quá hạn 0)"
    assert table["Đề nghị kiểm điểm trách nhiệm"] == "2 (cá nhân 1; đã có quyết định 0; quá thời hạn xử lý 0)"

    with run.xlsx.open("rb") as f:
        wb = load_workbook(io.BytesIO(f.read()))
    rows = list(wb["Kiểm tra công vụ"].iter_rows(values_only=True))
    header, [row] = rows[0], rows[1:]
    values = dict(zip(header, row, strict=True))
    assert values["Quyết định"] == "QĐ 12/QĐ-SNV ngày 02/03/2026"
    assert values["Số nhiệm vụ đã kiểm tra"] == 2 and values["Cố tình chậm trễ"] == 1
    assert values["Thông báo kết quả"] == "01/TB-SNV"
    assert (values["Biện pháp khắc phục"], values["Đề nghị kiểm điểm"], values["Trong đó cá nhân"]) == (
        1,
        2,
        1,
    )


def test_report_of_a_period_without_inspection_has_no_section(inspected, registry, city):
    run = report.new_run(pr.monthly(2026, 2), registry["SNV"], ref=date(2026, 2, 14))  # 15/01–14/02
    run = report.generate(run)
    doc = docx_of(run)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "KIỂM TRA CÔNG VỤ" not in text and "V. ĐỀ XUẤT, KIẾN NGHỊ" in text
    with run.xlsx.open("rb") as f:
        assert "Kiểm tra công vụ" not in load_workbook(io.BytesIO(f.read())).sheetnames
