"""The periodic report's overdue list and its XLSX appendix (*nhiệm vụ quá hạn*, *phụ lục*) for secret tasks.

A report's files are one per report, read by every reader allowed to open it — the inspector and the City Office's
officers and leaders not cleared for secrets among them (`secrecy.reports_withheld` lets them read a report of a whole
window as of a past cut-off). So the files never list a secret task (or a task of a secret directive) by its
deadline, its days overdue, its directive's number or date, or its content: the plain tasks are listed as before,
the secret ones gathered into one undated line per lead unit, «N nhiệm vụ thuộc văn bản mật». The totals still count
them (DOMAIN.md §8). An issued report's stored files are never rewritten."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from dondoc.evaluation import periods as pr
from dondoc.evaluation import report
from dondoc.org.models import Person, Unit
from tests.helpers import login

MARK = "R7QXM"
SECRET_DUE = date(2026, 3, 4)  # no other task has this deadline
MARCH = pr.monthly(2026, 3)  # 15/02–14/03
REF = date(2026, 3, 14)
UNCLEARED = ["inspector", "tracker", "leader"]


@pytest.fixture
def run(registry, personas, make_task, frozen):
    """Sở Xây dựng: a plain task overdue since 06/03. Sở Tài chính: two secret tasks overdue since 04/03. Today is
    20/03/2026; the report of Tháng 3 is counted as of its cut-off, 14/03."""
    frozen.move_to("2026-03-20 09:00 +07:00")
    make_task(content="Việc thường quá hạn", due_date=date(2026, 3, 6))
    for n in (1, 2):
        make_task(
            content=f"Việc mật {MARK} {n}", secret=True, due_date=SECRET_DUE, lead="STC", coordinators=()
        )
    return report.generate(report.new_run(MARCH, Unit.objects.get(code="SNV"), ref=REF))


def _uncleared(personas, persona: str):
    person = personas[persona]
    Person.objects.filter(pk=person.pk).update(cleared_for_secrets=False)
    person.refresh_from_db()
    return person


def _files(client, run) -> dict[str, bytes]:
    out = {}
    for fmt in ("docx", "pdf", "xlsx"):
        answer = client.get(reverse("evaluation:report_download", args=[run.pk, fmt]))
        assert answer.status_code == 200, fmt
        out[fmt] = b"".join(answer.streaming_content)
    return out


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def _overdue_sheet(data: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(data))["Nhiệm vụ quá hạn"].iter_rows(min_row=2, values_only=True))


@pytest.mark.parametrize("persona", UNCLEARED)
def test_report_files_never_give_a_secret_tasks_deadline_to_the_uncleared(run, personas, client, persona):
    files = _files(login(_uncleared(personas, persona), client), run)
    docx = _docx_text(files["docx"])
    pdf = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(files["pdf"])).pages)
    for text in (" ".join(docx.split()), " ".join(pdf.split())):  # a PDF cell wraps its words
        assert "06/03/2026" in text  # the plain task, listed as before
        assert "04/03/2026" not in text and MARK not in text
        assert "2 nhiệm vụ thuộc văn bản mật" in text
    rows = _overdue_sheet(files["xlsx"])
    assert len(rows) == 2
    plain, secret = rows
    assert plain[4] == "Sở Xây dựng" and plain[6].date() == date(2026, 3, 6)
    assert secret[3] == "2 nhiệm vụ thuộc văn bản mật" and secret[4] == "Sở Tài chính"
    assert (secret[2], secret[5], secret[6], secret[7]) == (None, None, None, None)  # no date, head, days
    assert "04/03/2026" not in str(run.figures) and MARK not in str(run.figures)
    # The totals still count them: three overdue tasks in the city.
    assert run.figures["overdue_total"] == 3


def test_an_issued_reports_stored_files_are_never_rewritten(run, personas, client):
    """Issued, the report's files are the numbered ones of the register; generating the run again, or a later
    run of the same period, leaves their bytes as they were."""
    c = login(personas["inspector"], client)
    assert c.post(reverse("evaluation:report_issue", args=[run.pk]), {"confirm": "1"}).status_code == 302
    run.refresh_from_db()
    before = _files(c, run)
    stored = {}
    for fmt in ("docx", "pdf"):
        with getattr(run.document, fmt).open("rb") as f:
            stored[fmt] = f.read()
    with run.xlsx.open("rb") as f:
        stored["xlsx"] = f.read()
    assert before == stored
    report.generate(run)
    report.generate(report.new_run(MARCH, Unit.objects.get(code="SNV"), ref=REF))
    run.refresh_from_db()
    assert _files(c, run) == before


# ------------------------------------------------------------------ the register, the edXML package


def _paths(record) -> list[str]:
    return [
        reverse("documents:detail", args=[record.pk]),
        reverse("documents:files", args=[record.pk]),
        reverse("documents:download", args=[record.pk, "docx"]),
        reverse("documents:download", args=[record.pk, "pdf"]),
        reverse("api:edxml_export", args=[record.pk]),
    ]


@pytest.fixture
def issued_as_of_13_march(registry, personas, make_task, frozen):
    """A report of Tháng 3 counted as of 13/03 (not a cut-off: a day after a secret task went overdue on 13/03),
    issued by the cleared leader. Its totals count the secret task: the report page keeps it from the uncleared."""
    frozen.move_to("2026-03-20 09:00 +07:00")
    make_task(
        content=f"Việc mật {MARK}", secret=True, due_date=date(2026, 3, 12), lead="STC", coordinators=()
    )
    leader = personas["leader"]
    Person.objects.filter(pk=leader.pk).update(cleared_for_secrets=True)
    leader.refresh_from_db()
    run = report.generate(report.new_run(MARCH, Unit.objects.get(code="SNV"), ref=date(2026, 3, 13)))
    return report.issue_run(run, leader.user).document


@pytest.mark.parametrize("persona", UNCLEARED)
def test_the_register_and_edxml_do_not_hand_out_a_report_withheld_from_the_reader(
    issued_as_of_13_march, personas, client, persona
):
    """The report's page and downloads refuse it (`secrecy.reports_withheld`); the register of outgoing documents
    (its page, its files, the edXML package carrying them) refused it too, in the same words."""
    c = login(_uncleared(personas, persona), client)
    for path in _paths(issued_as_of_13_march):
        answer = c.get(path)
        assert answer.status_code == 403, path
        assert "người chưa được xem tài liệu mật" in answer.content.decode(), path


def test_the_issuers_own_officers_get_no_report_counting_secret_tasks(run, personas, client):
    """An officer of Sở Nội vụ (the issuer, so the register lists the report) sees only the units' tasks: the
    report counts secret tasks, so its files are kept from them as its page is."""
    from tests.helpers import make_person

    officer = make_person("snv.cv9", Unit.objects.get(code="SNV"), Person.Role.UNIT_OFFICER)
    record = report.issue_run(run, personas["inspector"].user).document
    c = login(officer, client)
    assert c.get(reverse("evaluation:report_download", args=[run.pk, "pdf"])).status_code == 403
    for path in _paths(record):
        assert c.get(path).status_code == 403, path


def test_a_cleared_reader_still_gets_the_report_from_the_register(issued_as_of_13_march, personas, client):
    c = login(personas["leader"], client)
    for path in _paths(issued_as_of_13_march):
        assert c.get(path).status_code == 200, path


def test_a_draft_made_before_the_change_that_dates_a_secret_task_is_not_issued(run, personas):
    """A draft counted before secret tasks were gathered (its snapshot has no `overdue_secret`, and lists a secret
    task on its own row, masked) would number a text giving the task's unit and deadline: it must be redrafted."""
    from django.core.exceptions import ValidationError

    from dondoc.evaluation.report_models import ReportRun
    from dondoc.tracking import secrecy

    figures = dict(run.figures)
    del figures["overdue_secret"]
    secret_id = 999
    figures["overdue"] = [
        *figures["overdue"],
        {
            "task_id": secret_id,
            "notation": "15/CT-UBND",
            "content": secrecy.masked(secret_id),
            "due_date": "04/03/2026",
        },
    ]
    ReportRun.objects.filter(pk=run.pk).update(figures=figures)
    run.refresh_from_db()
    with pytest.raises(ValidationError, match="Đề nghị tạo lại báo cáo"):
        report.issue_run(run, personas["inspector"].user)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DRAFT and run.document is None
    # The same draft redrafted (generated after the change) is issued.
    fresh = report.generate(report.new_run(MARCH, Unit.objects.get(code="SNV"), ref=REF))
    assert report.issue_run(fresh, personas["inspector"].user).document is not None
