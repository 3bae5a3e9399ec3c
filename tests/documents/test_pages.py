"""Pages under /van-ban-di/: the urging page (City Office only), the register, a document and its downloads."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from dondoc.audit.models import AuditEntry
from dondoc.documents import register, urging
from dondoc.documents.models import OutgoingDocument
from dondoc.tracking.models import TaskEvent
from tests.helpers import login, run_jobs

URGING = reverse("documents:urging")
ISSUE = reverse("documents:urging_issue")
REGISTER = reverse("documents:register")
REF_DAY = date(2026, 3, 10)


def test_tracker_previews_a_units_letter(client, overdue_tasks, personas, registry):
    c = login(personas["tracker"], client)
    page = c.get(URGING, {"unit": registry["SXD"].pk}).content.decode()
    assert "Xem trước công văn gửi Sở Xây dựng" in page
    assert "Hoàn thiện đề án cải tạo chung cư cũ" in page and "Quy hoạch bến xe liên tỉnh" not in page
    assert f'name="unit" value="{registry["SXD"].pk}"' in page
    assert not OutgoingDocument.objects.exists()  # a preview issues nothing


def test_preview_of_a_unit_without_overdue_tasks_says_so_and_offers_no_button(
    client, overdue_tasks, personas, registry
):
    page = login(personas["tracker"], client).get(URGING, {"unit": registry["STC"].pk}).content.decode()
    assert "Sở Tài chính không có nhiệm vụ quá hạn" in page
    assert "Ban hành công văn đôn đốc</button>" not in page


def test_tracker_issues_a_letter_and_downloads_both_files_as_attachments(
    client, overdue_tasks, personas, registry
):
    c = login(personas["tracker"], client)
    response = c.post(ISSUE, {"unit": registry["SXD"].pk, "confirm": "1"})
    record = OutgoingDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    page = c.get(record.get_absolute_url()).content.decode()
    assert "01/VP-TKBT" in page and "Hoàn thiện đề án cải tạo chung cư cũ" in page
    # Numbered in the request, drawn by the worker: until then the page says so (and polls), a download is
    # answered in Vietnamese, and no edXML package leaves without the files.
    assert "Đang tạo tệp DOCX và PDF của văn bản" in page and "Tải bản DOCX" not in page
    files = reverse("documents:files", args=[record.pk])
    assert f'hx-get="{files}"' in page
    for early in (
        c.get(reverse("documents:download", args=[record.pk, "docx"])),
        c.get(reverse("api:edxml_export", args=[record.pk])),
    ):
        text = early.content.decode()
        assert early.status_code == 409 and early["Retry-After"] == "5"
        assert "Văn bản 01/VP-TKBT đã được vào sổ" in text and "đang được tạo" in text
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()  # nothing left
    run_jobs()  # the worker
    polled = c.get(files).content.decode()
    assert "Tải bản DOCX" in polled and "hx-get" not in polled
    docx = c.get(reverse("documents:download", args=[record.pk, "docx"]))
    assert (
        docx["Content-Disposition"].startswith("attachment;")
        and "01-VP-TKBT.docx" in docx["Content-Disposition"]
    )
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    content = b"".join(docx.streaming_content)
    assert (
        Document(io.BytesIO(content)).tables[1].rows[1].cells[2].text
        == "Hoàn thiện đề án cải tạo chung cư cũ"
    )
    pdf = c.get(reverse("documents:download", args=[record.pk, "pdf"]))
    assert pdf["Content-Disposition"].startswith("attachment;") and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert TaskEvent.objects.filter(action=TaskEvent.Action.URGE).count() == 3


def test_issuing_for_all_units_redirects_to_the_register(client, overdue_tasks, personas):
    c = login(personas["tracker"], client)
    response = c.post(ISSUE, {"unit": "all", "confirm": "1"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã ban hành 2 công văn đôn đốc: 01/VP-TKBT, 02/VP-TKBT." in page
    assert page.count("VP-TKBT</a>") == 2


def test_issuing_to_a_unit_without_overdue_tasks_shows_the_reason(client, overdue_tasks, personas, registry):
    response = login(personas["tracker"], client).post(ISSUE, {"unit": registry["STC"].pk, "confirm": "1"})
    assert response.status_code == 400
    assert "Sở Tài chính không có nhiệm vụ quá hạn" in response.content.decode()
    assert not OutgoingDocument.objects.exists()


@pytest.mark.parametrize("value", ["", "999999", "abc", "²", "１２", "99999999999999999999"])
def test_bad_unit_choice_names_the_field(client, overdue_tasks, personas, value):
    response = login(personas["tracker"], client).post(ISSUE, {"unit": value})
    assert response.status_code == 400
    assert "Đơn vị nhận công văn:" in response.content.decode()
    assert not OutgoingDocument.objects.exists()


@pytest.mark.parametrize("who", ["lead_head", "lead_officer", "other_officer", "leader", "inspector"])
def test_only_the_city_office_may_open_or_post_the_urging_page(
    client, overdue_tasks, personas, registry, who
):
    c = login(personas[who], client)
    assert c.get(URGING).status_code == 403
    assert c.post(ISSUE, {"unit": registry["SXD"].pk}).status_code == 403
    assert not OutgoingDocument.objects.exists()


@pytest.mark.django_db  # every request first reads the calendar's generation (CalendarGenerationMiddleware)
def test_anonymous_user_is_sent_to_login(client):
    assert client.get(REGISTER).status_code == 302
    assert client.get(URGING).status_code == 302


def test_addressed_unit_sees_its_letter_and_another_unit_does_not(client, overdue_tasks, personas, registry):
    record = urging.issue_letter(registry["SXD"], personas["tracker"].user)
    run_jobs()
    download = reverse("documents:download", args=[record.pk, "pdf"])
    c = login(personas["lead_officer"], client)
    assert "01/VP-TKBT" in c.get(REGISTER).content.decode()
    assert c.get(download).status_code == 200
    c = login(personas["other_officer"], client)
    assert "01/VP-TKBT" not in c.get(REGISTER).content.decode()
    assert c.get(record.get_absolute_url()).status_code == 404
    assert c.get(download).status_code == 404


def test_register_filters_by_year_type_and_issuer(client, overdue_tasks, personas, registry):
    urging.issue_letter(registry["SXD"], personas["tracker"].user)
    c = login(personas["inspector"], client)
    vp = registry["VPUBND"].pk
    assert (
        "01/VP-TKBT" in c.get(REGISTER, {"year": 2026, "doc_type": "don_doc", "issuer": vp}).content.decode()
    )
    assert "01/VP-TKBT" not in c.get(REGISTER, {"year": 2025}).content.decode()
    assert "01/VP-TKBT" not in c.get(REGISTER, {"doc_type": "bao_cao"}).content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "hai nghìn"}, "Năm phải là số, ví dụ 2026."),
        ({"doc_type": "xyz"}, "Loại văn bản «xyz» không hợp lệ."),
        ({"issuer": "42424242"}, "Cơ quan ban hành «42424242» không có trong sổ."),
    ],
)
def test_bad_filter_is_a_vietnamese_message_not_an_error(client, personas, params, message):
    response = login(personas["tracker"], client).get(REGISTER, params)
    assert response.status_code == 200 and message in response.content.decode()


def test_unknown_download_format_is_404(client, overdue_tasks, personas, registry):
    record = urging.issue_letter(registry["SXD"], personas["tracker"].user)
    c = login(personas["tracker"], client)
    assert c.get(reverse("documents:download", args=[record.pk, "exe"])).status_code == 404


def test_register_list_query_count_does_not_grow_with_rows(client, overdue_tasks, personas, registry):
    urging.issue_all(personas["tracker"].user)
    c = login(personas["tracker"], client)
    c.get(REGISTER)  # warm the session and the person cache

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert c.get(REGISTER).status_code == 200
        return len(captured)

    few = queries()
    for unit in ("STC", "SNV", "STP", "SCT"):
        register.allocate_number(
            registry["VPUBND"],
            2026,
            "VP-TKBT",
            doc_type=OutgoingDocument.DocType.LETTER,
            subject="Công văn",
            issued_on=REF_DAY,
            recipient_unit=registry[unit],
        )
    assert queries() == few


def test_nav_links_to_the_register(client, personas):
    page = login(personas["lead_officer"], client).get(REGISTER).content.decode()
    assert f'href="{REGISTER}"' in page


def test_task_timeline_shows_the_urging_letter(client, overdue_tasks, personas, registry):
    urging.issue_letter(registry["SXD"], personas["tracker"].user)
    page = (
        login(personas["lead_head"], client).get(overdue_tasks["late_7"].get_absolute_url()).content.decode()
    )
    assert "Đôn đốc" in page and "Công văn đôn đốc: — → 01/VP-TKBT" in page
    # The tracker's task page still renders: "urge" is allowed but has no form of its own there.
    assert (
        login(personas["tracker"], client).get(overdue_tasks["late_7"].get_absolute_url()).status_code == 200
    )


def test_issuing_for_all_units_twice_the_same_day_explains_why_nothing_was_issued(
    client, overdue_tasks, personas
):
    c = login(personas["tracker"], client)
    c.post(ISSUE, {"unit": "all", "confirm": "1"})
    response = c.post(ISSUE, {"unit": "all", "confirm": "1"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Không ban hành công văn đôn đốc nào." in page
    assert "Sở Xây dựng đã được gửi công văn đôn đốc số 01/VP-TKBT ngày 10/03/2026" in page
    assert OutgoingDocument.objects.count() == 2


def test_issuing_for_all_units_when_none_is_late_says_so(client, personas, make_task, frozen):
    make_task(due_date=date(2026, 4, 30))
    response = login(personas["tracker"], client).post(ISSUE, {"unit": "all", "confirm": "1"})
    assert response.status_code == 400
    assert "Không có đơn vị nào có nhiệm vụ quá hạn cần đôn đốc." in response.content.decode()
    assert not OutgoingDocument.objects.exists()


def test_a_document_written_by_the_system_shows_its_page(client, overdue_tasks, personas, registry):
    """A document with no creator (the engine's drafts) names the system as its author instead of failing."""
    c = login(personas["tracker"], client)
    c.post(ISSUE, {"unit": registry["SXD"].pk, "confirm": "1"})
    record = OutgoingDocument.objects.get()
    OutgoingDocument.objects.filter(pk=record.pk).update(created_by=None)
    response = c.get(record.get_absolute_url())
    assert response.status_code == 200
    assert 'Người lập</dt><dd class="col-sm-9">hệ thống,' in response.content.decode()


def test_issuing_asks_for_confirmation_before_taking_a_number(client, overdue_tasks, personas, registry):
    """Issue 20, point 6: a letter takes a register number that is never given back."""
    c = login(personas["tracker"], client)
    for unit in (registry["SXD"].pk, "all"):
        response = c.post(ISSUE, {"unit": unit})
        page = response.content.decode()
        assert response.status_code == 200 and "Số đã cấp không thu hồi được." in page
        assert 'name="confirm" value="1"' in page and f'name="unit" value="{unit}"' in page
    assert (
        "Ban hành công văn đôn đốc gửi Sở Xây dựng?"
        in c.post(ISSUE, {"unit": registry["SXD"].pk}).content.decode()
    )
    assert "Ban hành 2 công văn đôn đốc?" in c.post(ISSUE, {"unit": "all"}).content.decode()
    assert not OutgoingDocument.objects.exists()  # nothing numbered until confirmed
    response = c.post(ISSUE, {"unit": registry["SXD"].pk, "confirm": "1"})
    assert response.status_code == 302 and OutgoingDocument.objects.count() == 1


def test_officer_is_told_on_the_page_that_secret_overdue_tasks_were_left_out(
    client, overdue_tasks, personas, registry
):
    """Issue 20, point 5: Sở Xây dựng's secret overdue task is not in its letter; the officer is told, on the
    preview, the confirmation and after issuing — never in the letter. Sở Y tế has none: no warning."""
    c = login(personas["tracker"], client)
    note = "1 nhiệm vụ mật quá hạn của Sở Xây dựng không được đưa vào công văn đôn đốc"
    channel = "cần đôn đốc các nhiệm vụ này qua kênh văn bản mật"
    sxd = registry["SXD"].pk
    preview = c.get(URGING, {"unit": sxd}).content.decode()
    assert note in preview and channel in preview
    assert note in c.post(ISSUE, {"unit": sxd}).content.decode()
    issued = c.post(ISSUE, {"unit": sxd, "confirm": "1"}, follow=True).content.decode()
    assert note in issued
    run_jobs()
    letter = OutgoingDocument.objects.get()
    text = "\n".join(p.text for p in Document(io.BytesIO(letter.docx.read())).paragraphs)
    assert "mật" not in text and overdue_tasks["secret"] not in letter.tasks.all()
    assert "1 nhiệm vụ mật quá hạn không được đưa vào" in c.get(URGING, {"unit": "all"}).content.decode()

    syt = registry["SYT"].pk
    for page in (
        c.get(URGING, {"unit": syt}).content.decode(),
        c.post(ISSUE, {"unit": syt}).content.decode(),
        c.post(ISSUE, {"unit": syt, "confirm": "1"}, follow=True).content.decode(),
    ):
        assert "nhiệm vụ mật" not in page and 'id="secret-left-out"' not in page


def test_a_letter_whose_files_could_not_be_drawn_says_why_and_never_answers_500(
    client, overdue_tasks, personas, registry
):
    record = urging.issue_letter(registry["SXD"], personas["tracker"].user)
    OutgoingDocument.objects.filter(pk=record.pk).update(
        files=OutgoingDocument.Files.FAILED, files_error="Lỗi hệ thống (RuntimeError: hết bộ nhớ)"
    )
    c = login(personas["tracker"], client)
    page = c.get(record.get_absolute_url()).content.decode()
    assert "Chưa tạo được tệp của văn bản: Lỗi hệ thống (RuntimeError: hết bộ nhớ)" in page
    assert "hx-get" not in page and "Tải bản PDF" not in page
    pdf = c.get(reverse("documents:download", args=[record.pk, "pdf"]))
    assert pdf.status_code == 409 and "Retry-After" not in pdf
    assert "Chưa tạo được tệp PDF của văn bản 01/VP-TKBT: Lỗi hệ thống" in pdf.content.decode()


def _failed_letter(registry, personas) -> OutgoingDocument:
    record = urging.issue_letter(registry["SXD"], personas["tracker"].user)
    OutgoingDocument.objects.filter(pk=record.pk).update(
        files=OutgoingDocument.Files.FAILED, files_error="Lỗi hệ thống (OSError: đĩa đầy)"
    )
    return record


def test_the_city_office_draws_a_failed_letters_files_again_from_its_fixed_content(
    client, overdue_tasks, personas, registry
):
    """A letter whose three attempts failed (a full disk, say) is not a dead end: the City Office's "Tạo lại tệp"
    queues it again (an audited change), the worker draws it from the content fixed at issue, the files download."""
    record = _failed_letter(registry, personas)
    c = login(personas["tracker"], client)
    assert 'id="tao-lai-tep"' in c.get(record.get_absolute_url()).content.decode()
    redraw = reverse("documents:redraw", args=[record.pk])
    page = c.post(redraw, follow=True).content.decode()
    assert "Đã đưa văn bản 01/VP-TKBT vào hàng đợi để tạo lại tệp" in page
    record.refresh_from_db()
    assert record.files == OutgoingDocument.Files.QUEUED and record.files_error == ""
    assert AuditEntry.objects.filter(
        object_type="documents.outgoingdocument", action=AuditEntry.Action.UPDATE, object_id=str(record.pk)
    ).exists()
    run_jobs()
    record.refresh_from_db()
    assert record.files == OutgoingDocument.Files.READY
    assert c.get(reverse("documents:download", args=[record.pk, "pdf"])).status_code == 200
    # Drawn already: a second press changes nothing and says so.
    page = c.post(redraw, follow=True).content.decode()
    assert "không ở trạng thái lỗi: không cần tạo lại" in page
    record.refresh_from_db()
    assert record.files == OutgoingDocument.Files.READY


def test_only_the_city_office_may_draw_a_letters_files_again(client, overdue_tasks, personas, registry):
    record = _failed_letter(registry, personas)
    c = login(personas["lead_officer"], client)  # Sở Xây dựng's officer: the letter is addressed to the unit
    page = c.get(record.get_absolute_url())
    assert page.status_code == 200 and 'id="tao-lai-tep"' not in page.content.decode()
    assert c.post(reverse("documents:redraw", args=[record.pk])).status_code == 403
    record.refresh_from_db()
    assert record.files == OutgoingDocument.Files.FAILED


def test_a_confirmed_letter_reads_only_its_units_counts(client, overdue_tasks, personas, registry):
    """Issue 19: the confirmed POST checks the chosen unit against the units alone; of the counted rows it reads
    only the one unit's secret overdue tasks (the note after issuing), not every unit's counts (the overview the
    page shows, a sum over the counted rows of the whole city)."""
    c = login(personas["tracker"], client)
    with CaptureQueriesContext(connection) as ctx:
        response = c.post(ISSUE, {"unit": registry["SXD"].pk, "confirm": "1"})
    assert response.status_code == 302
    counted = [q["sql"] for q in ctx.captured_queries if "tracking_bucketcount" in q["sql"]]
    assert len(counted) == 1 and "lead_unit_id" in counted[0].split("WHERE", 1)[1]


def test_the_admin_shows_the_content_hash_and_the_files_state_but_never_edits_them(
    client, overdue_tasks, personas, registry
):
    from tests.helpers import administrator

    record = urging.issue_letter(registry["SXD"], personas["tracker"].user)
    page = (
        administrator(client)
        .get(f"/quan-tri/documents/outgoingdocument/{record.pk}/change/")
        .content.decode()
    )
    assert record.content_sha256 in page and "Đang chờ tạo tệp" in page
    for field in ("content_sha256", "files", "files_error"):
        assert f'name="{field}"' not in page


ISSUE_STATEMENTS_MAX = 22  # issue 19: 32 before (the units list, the counter read four times, the tasks read twice, the links read three times, a recount)


def test_a_confirmed_letter_costs_a_few_statements_whatever_its_length(
    client, overdue_tasks, personas, registry, make_task
):
    """Issue 19: the confirmed POST of a letter was the busy hour's slowest write. Its statements stay under a
    ceiling, and a longer letter costs no more statements than a short one (nothing per listed task or per unit)."""
    c = login(personas["tracker"], client)

    def issue(unit: str) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            response = c.post(ISSUE, {"unit": registry[unit].pk, "confirm": "1"})
        assert response.status_code == 302
        return [q["sql"] for q in ctx.captured_queries]

    issue("SXD")  # the register's first letter of the year (its counter created)
    make_task(lead="STC", coordinators=(), content="Nhiệm vụ quá hạn duy nhất", due_date=date(2026, 3, 2))
    short = issue("STC")
    for day in range(2, 9):
        make_task(lead="SYT", coordinators=(), content=f"Nhiệm vụ quá hạn {day}", due_date=date(2026, 3, day))
    long = issue("SYT")
    assert OutgoingDocument.objects.get(recipient_unit=registry["STC"]).tasks.count() == 1
    assert (
        OutgoingDocument.objects.get(recipient_unit=registry["SYT"]).tasks.count() == 8
    )  # and the fixture's
    assert len(short) <= ISSUE_STATEMENTS_MAX, "\n".join(short)
    assert len(long) == len(short), "\n".join(long)


def test_a_units_preview_costs_the_same_statements_whatever_the_letters_length(
    client, overdue_tasks, personas, registry, make_task
):
    """Issue 19: the preview reads the letter's lines in one statement (the fields a line shows, nothing read per
    line afterwards), so a unit of 8 lines costs the statements of a unit of 1."""
    c = login(personas["tracker"], client)
    make_task(lead="STC", coordinators=(), content="Nhiệm vụ quá hạn duy nhất", due_date=date(2026, 3, 2))
    for day in range(2, 9):
        make_task(lead="SYT", coordinators=(), content=f"Nhiệm vụ quá hạn {day}", due_date=date(2026, 3, day))

    def preview(unit: str) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            page = c.get(URGING, {"unit": registry[unit].pk}).content.decode()
        return len(ctx.captured_queries), page

    c.get(URGING)  # the session's first page
    (short, _page), (long, page) = preview("STC"), preview("SYT")
    assert page.count("Nhiệm vụ quá hạn ") == 7 and "Kiểm tra an toàn thực phẩm" in page
    assert long == short
