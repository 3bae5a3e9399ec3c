"""Urging letters (DOMAIN.md §7): the table is exactly the unit's overdue and due-soon tasks, the letter is
numbered in the City Office's register, and issuing it leaves one urging row on each listed task's timeline."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document
from pypdf import PdfReader

from dondoc.audit.models import AuditEntry
from dondoc.documents import register, render, urging
from dondoc.documents.models import IssuedContent, OutgoingDocument
from dondoc.tracking import actions
from dondoc.tracking.models import TaskEvent
from tests.helpers import SXD_URGING_ROWS, run_jobs

REF = date(2026, 3, 10)


def _issue(registry, personas):
    return urging.issue_letter(registry["SXD"], personas["tracker"].user, REF)


def _issue_drawn(registry, personas):
    """Issue the letter and let the worker draw its files (`dondoc worker --once`, in-process)."""
    record = _issue(registry, personas)
    run_jobs()
    record.refresh_from_db()
    return record


def test_the_letter_is_numbered_at_once_and_the_worker_draws_the_same_bytes_from_its_fixed_content(
    overdue_tasks, registry, personas
):
    """Issue 19, the busy hour: the request numbers the letter, fixes its content (its hash on the audited register
    row) and queues the drawing; the worker draws exactly the document the request built — byte for byte the DOCX
    and PDF drawn in the request before."""
    record = _issue(registry, personas)
    assert record.files == OutgoingDocument.Files.QUEUED and not record.docx and not record.pdf
    assert record.content_sha256 == register.content_hash(record.issued_content.content)
    audited = AuditEntry.objects.get(
        object_type="documents.outgoingdocument", action=AuditEntry.Action.CREATE
    )
    assert audited.after["content_sha256"] == record.content_sha256

    run_jobs()
    record.refresh_from_db()
    assert record.files == OutgoingDocument.Files.READY and record.files_error == ""
    lines = urging.urging_lines(registry["SXD"], personas["tracker"].user, REF)
    doc = urging.build_letter(registry["SXD"], lines, REF, urging.issuer_unit())
    doc.number = 1
    assert record.docx.read() == render.render_docx(doc)
    assert record.pdf.read() == render.render_pdf(doc)


def test_a_content_changed_after_issue_is_not_drawn(overdue_tasks, registry, personas):
    record = _issue(registry, personas)
    stored = IssuedContent.objects.get(document=record)
    stored.content["subject"] = "đôn đốc một việc khác"
    stored.save()
    run_jobs()
    record.refresh_from_db()
    assert record.files == OutgoingDocument.Files.FAILED and not record.docx and not record.pdf
    assert "không còn khớp mã băm lúc ban hành" in record.files_error


def test_a_failed_drawing_is_tried_again_and_says_when(
    overdue_tasks, registry, personas, monkeypatch, frozen
):
    def broken(doc):
        raise RuntimeError("hết bộ nhớ")

    monkeypatch.setattr(render, "render_pdf", broken)
    record = _issue(registry, personas)
    run_jobs()
    record.refresh_from_db()
    assert record.files == OutgoingDocument.Files.QUEUED and not record.docx
    assert record.files_error.startswith("Lần 1 không thành công: Lỗi hệ thống (RuntimeError: hết bộ nhớ)")
    monkeypatch.undo()
    frozen.shift(120)  # past the first pause (1 minute)
    run_jobs()
    record.refresh_from_db()
    assert record.files == OutgoingDocument.Files.READY and record.files_error == ""
    assert record.pdf.read().startswith(b"%PDF")


def test_lines_are_the_units_overdue_then_due_soon_tasks(overdue_tasks, registry, personas):
    lines = urging.urging_lines(registry["SXD"], personas["tracker"].user, REF)
    assert [line.task for line in lines] == [
        overdue_tasks["late_7"],
        overdue_tasks["late_3"],
        overdue_tasks["soon"],
    ]
    assert [line.row(i) for i, line in enumerate(lines, start=1)] == SXD_URGING_ROWS


def test_letter_docx_header_date_number_and_table(overdue_tasks, registry, personas):
    record = _issue_drawn(registry, personas)
    assert record.notation == "01/VP-TKBT" and record.doc_type == OutgoingDocument.DocType.URGING
    document = Document(record.docx.path)
    left, right = document.tables[0].rows[0].cells
    left_texts = [p.text for p in left.paragraphs if p.text]
    assert left_texts == [
        "UBND THÀNH PHỐ HÀ NỘI",
        "VĂN PHÒNG",
        "Số: 01/VP-TKBT",
        "V/v đôn đốc thực hiện nhiệm vụ quá hạn của Sở Xây dựng",
    ]
    assert [p.text for p in right.paragraphs if p.text] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 10 tháng 3 năm 2026",
    ]
    table = document.tables[1]
    assert [c.text for c in table.rows[0].cells] == urging.TABLE_HEADER
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == SXD_URGING_ROWS
    assert any(p.text == "Kính gửi: Sở Xây dựng" for p in document.paragraphs)
    body = " ".join(p.text for p in document.paragraphs)
    assert "2 nhiệm vụ quá hạn chưa hoàn thành và 1 nhiệm vụ sắp đến hạn" in body
    recipients = [p.text for p in document.tables[-1].rows[0].cells[0].paragraphs if p.text]
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu: VT, TKBT."


def test_letter_pdf_carries_the_header_number_and_task_contents(overdue_tasks, registry, personas):
    record = _issue_drawn(registry, personas)
    reader = PdfReader(record.pdf.path)
    text = unicodedata.normalize("NFC", "\n".join(page.extract_text() for page in reader.pages))
    flat = " ".join(text.split())
    for expected in (
        "UBND THÀNH PHỐ HÀ NỘI",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 01/VP-TKBT",
        "Hà Nội, ngày 10 tháng 3 năm 2026",
        "Hoàn thiện đề án cải tạo chung cư cũ",
        "Báo cáo rà soát công trình xây dựng trái phép",
        "Lập kế hoạch chỉnh trang vỉa hè",
    ):
        assert expected in flat, expected
    assert "Quy hoạch bến xe liên tỉnh" not in flat and "an ninh công trình" not in flat


def test_issuing_writes_one_urge_event_per_listed_task_and_none_elsewhere(overdue_tasks, registry, personas):
    record = _issue(registry, personas)
    listed = {overdue_tasks[k].pk for k in ("late_7", "late_3", "soon")}
    events = TaskEvent.objects.filter(action=TaskEvent.Action.URGE)
    assert sorted(e.task_id for e in events) == sorted(listed)
    assert {e.changes["letter"][1] for e in events} == {"01/VP-TKBT"}
    assert all(e.actor == personas["tracker"].user for e in events)
    late_7 = events.get(task=overdue_tasks["late_7"])
    assert late_7.note == "Công văn đôn đốc số 01/VP-TKBT ngày 10/03/2026: quá hạn 7 ngày làm việc."
    assert set(record.tasks.values_list("pk", flat=True)) == listed
    assert record.recipient_unit == registry["SXD"]


def test_urging_does_not_change_the_task_version(overdue_tasks, registry, personas):
    before = overdue_tasks["late_7"].version
    _issue(registry, personas)
    overdue_tasks["late_7"].refresh_from_db()
    assert overdue_tasks["late_7"].version == before


def test_unit_without_overdue_tasks_gets_a_message_not_an_empty_letter(overdue_tasks, registry, personas):
    with pytest.raises(urging.NothingToUrge, match="Sở Tài chính không có nhiệm vụ quá hạn"):
        urging.issue_letter(registry["STC"], personas["tracker"].user, REF)
    assert not OutgoingDocument.objects.exists()
    assert not TaskEvent.objects.filter(action=TaskEvent.Action.URGE).exists()
    # No number was consumed either.
    assert _issue(registry, personas).number == 1


def test_a_unit_with_only_due_soon_tasks_is_not_urged(make_task, registry, personas, frozen):
    make_task(content="Sắp đến hạn thôi", due_date=date(2026, 3, 12))
    lines, problem = urging.preview(registry["SXD"], personas["tracker"].user, REF)
    assert len(lines) == 1 and problem and "không có nhiệm vụ quá hạn" in problem
    with pytest.raises(urging.NothingToUrge):
        _issue(registry, personas)


def test_second_letter_to_the_same_unit_on_the_same_day_is_refused(overdue_tasks, registry, personas):
    _issue(registry, personas)
    with pytest.raises(ValidationError, match="đã được gửi công văn đôn đốc số 01/VP-TKBT"):
        _issue(registry, personas)
    assert OutgoingDocument.objects.count() == 1
    assert TaskEvent.objects.filter(action=TaskEvent.Action.URGE).count() == 3


def test_issue_all_writes_one_numbered_letter_per_unit_with_overdue_tasks(overdue_tasks, registry, personas):
    issued, skipped = urging.issue_all(personas["tracker"].user, REF)
    assert skipped == []
    # Sở Xây dựng then Sở Y tế, by name; numbers in that order.
    assert [(r.recipient_unit.code, r.notation) for r in issued] == [
        ("SXD", "01/VP-TKBT"),
        ("SYT", "02/VP-TKBT"),
    ]
    assert (
        TaskEvent.objects.filter(action=TaskEvent.Action.URGE, task=overdue_tasks["other_unit"]).count() == 1
    )
    again, skipped = urging.issue_all(personas["tracker"].user, REF)
    assert again == [] and len(skipped) == 2


def test_overview_counts_overdue_and_due_soon_per_unit(overdue_tasks, registry, personas):
    rows = [(u.code, o, s) for u, o, s in urging.overview(personas["tracker"].user, REF)]
    assert rows == [("SXD", 2, 1), ("SYT", 1, 0)]
    # a reader who does not see every unit: counted from the tasks the reader sees (Sở Xây dựng's own)
    rows = [(u.code, o, s) for u, o, s in urging.overview(personas["lead_officer"].user, REF)]
    assert rows == [("SXD", 2, 1)]


def test_the_overview_names_the_units_the_page_has_read_and_still_a_retired_one(
    overdue_tasks, registry, personas
):
    """Issue 19: the urging page reads every unit for its chooser; the overview takes its units from there (no
    second read), unless one of them has left the chooser (retired) while it still leads overdue tasks."""
    from dondoc.org.models import Unit

    tracker = personas["tracker"].user
    units = list(Unit.objects.assignable().order_by("name"))
    with CaptureQueriesContext(connection) as ctx:
        rows = [(u.code, o, s) for u, o, s in urging.overview(tracker, REF, units=units)]
    assert rows == [("SXD", 2, 1), ("SYT", 1, 0)]
    assert [q["sql"] for q in ctx.captured_queries if 'FROM "org_unit"' in q["sql"]] == []
    Unit.objects.filter(pk=registry["SYT"].pk).update(valid_to=REF)
    units = list(Unit.objects.assignable().order_by("name"))
    rows = [(u.code, o, s) for u, o, s in urging.overview(tracker, REF, units=units)]
    assert rows == [("SXD", 2, 1), ("SYT", 1, 0)]


def test_the_city_offices_counts_read_the_counted_rows_not_the_tasks(overdue_tasks, registry, personas):
    """Issue 19: the urging page's counts over 10^6 tasks took 0.4 s; the counted rows (`tracking.counted`) give the
    same numbers — the units to urge, their overdue and due-soon tasks, the secret ones left out — without reading
    a task."""
    tracker = personas["tracker"].user
    with CaptureQueriesContext(connection) as ctx:
        rows = [(u.code, o, s) for u, o, s in urging.overview(tracker, REF)]
        units = [u.code for u in urging.units_with_overdue(tracker, REF)]
        secret = urging.secret_left_out(tracker, REF)
    assert rows == [("SXD", 2, 1), ("SYT", 1, 0)] and units == ["SXD", "SYT"]
    assert secret == {registry["SXD"].pk: 1}
    assert [q["sql"] for q in ctx.captured_queries if "tracking_task" in q["sql"]] == []


@pytest.mark.parametrize("who", ["lead_head", "lead_officer", "other_officer", "leader", "inspector"])
def test_only_the_city_office_issues_urging_letters(overdue_tasks, registry, personas, who):
    with pytest.raises(PermissionDenied):
        urging.issue_letter(registry["SXD"], personas[who].user, REF)
    assert not OutgoingDocument.objects.exists()


def test_urge_rule_city_office_only_and_open_tasks_only(overdue_tasks, personas):
    with pytest.raises(PermissionDenied, match="Chỉ Văn phòng UBND được đôn đốc"):
        actions.urge(overdue_tasks["late_7"], personas["lead_head"].user, letter_notation="01/VP-TKBT")
    with pytest.raises(PermissionDenied):
        actions.urge(overdue_tasks["completed"], personas["tracker"].user, letter_notation="01/VP-TKBT")
    with pytest.raises(ValidationError, match="số, ký hiệu công văn"):
        actions.urge(overdue_tasks["late_7"], personas["tracker"].user, letter_notation=" ")
    assert not TaskEvent.objects.filter(action=TaskEvent.Action.URGE).exists()


def test_issuer_is_configurable(overdue_tasks, registry, personas, settings):
    settings.URGING_ISSUER_CODE = "SNV"
    settings.URGING_SYMBOL = "SNV-TTr"
    record = _issue_drawn(registry, personas)
    assert record.issuer == registry["SNV"] and record.notation == "01/SNV-TTr"
    left = Document(io.BytesIO(open(record.docx.path, "rb").read())).tables[0].rows[0].cells[0]
    assert "SỞ NỘI VỤ" in [p.text for p in left.paragraphs]


def test_unknown_issuer_code_is_a_clear_message(overdue_tasks, registry, personas, settings):
    settings.URGING_ISSUER_CODE = "KHONGCO"
    with pytest.raises(ValidationError, match="URGING_ISSUER_CODE"):
        _issue(registry, personas)


def test_a_letter_urges_its_tasks_in_a_few_statements_and_announces_each_row(
    overdue_tasks, registry, personas
):
    """Issue 19: a letter of a few hundred lines took three statements a task (lock, history row, the webhooks'
    subscribers): its tasks are locked in one statement and their rows written in one; each row still reaches the
    webhooks (one delivery per row and subscriber)."""
    from dondoc.api.models import WebhookDelivery, WebhookSubscriber

    WebhookSubscriber.objects.create(name="Hệ thống báo cáo", url="http://127.0.0.1:9/nhan")
    with CaptureQueriesContext(connection) as ctx:
        record = _issue(registry, personas)
    statements = [q["sql"] for q in ctx.captured_queries]
    assert sum(1 for s in statements if s.startswith('INSERT INTO "tracking_taskevent"')) == 1
    if connection.features.has_select_for_update:
        assert sum(1 for s in statements if 'FROM "tracking_task"' in s and "FOR UPDATE" in s) == 1
    events = TaskEvent.objects.filter(action=TaskEvent.Action.URGE).order_by("id")
    assert [e.task for e in events] == [
        overdue_tasks["late_7"],
        overdue_tasks["late_3"],
        overdue_tasks["soon"],
    ]
    assert {e.changes["letter"][1] for e in events} == {record.notation}
    assert sorted(d.event_id for d in WebhookDelivery.objects.all()) == [e.pk for e in events]


@pytest.mark.parametrize("rolls", [True, False])
def test_overdue_or_due_soon_is_the_union_of_the_two_buckets(make_task, personas, frozen, settings, rolls):
    """The letter's one range of deadlines selects exactly the overdue and the due-soon tasks, on every day of a
    month with weekends and the 30/4–1/5 holidays, whether a deadline on a day off rolls to the next working day
    or not."""
    from datetime import timedelta

    from dondoc.tracking import timeliness as tl
    from dondoc.tracking.models import Task

    settings.DEADLINE_ROLLS_TO_WORKING_DAY = rolls
    start = date(2026, 4, 20)
    for i in range(24):
        make_task(content=f"Nhiệm vụ {i}", due_date=start + timedelta(days=i))
    rule = tl.current_rule()
    for offset in range(18):
        ref = start + timedelta(days=offset)
        limit = tl.soon_limit(ref)
        union = tl.bucket_filter(tl.OVERDUE, ref, limit, rule) | tl.bucket_filter(
            tl.DUE_SOON, ref, limit, rule
        )
        expected = set(Task.objects.filter(union).values_list("id", flat=True))
        got = set(
            Task.objects.filter(urging.overdue_or_due_soon(ref, limit, rule)).values_list("id", flat=True)
        )
        assert got == expected and expected, ref


def test_a_task_a_year_late_counts_its_working_days_as_the_rule_does(make_task, registry, personas, frozen):
    """Counted in O(1) after one pass over the days (`WorkingDayCounter`): the same number as
    `DeadlineRule.days_late`, across two Tết holidays and a deadline on a Saturday."""
    from dondoc.tracking import timeliness as tl

    dues = [date(2025, 1, 15), date(2025, 5, 3), date(2026, 2, 13)]
    for due in dues:
        make_task(content=f"Hạn {due:%d/%m/%Y}", due_date=due)
    lines = urging.urging_lines(registry["SXD"], personas["tracker"].user, REF)
    rule = tl.current_rule()
    assert [(line.due_date, line.working_days_late) for line in lines] == [
        (due, rule.days_late(due, REF)) for due in dues
    ]
    assert lines[0].working_days_late > 250
