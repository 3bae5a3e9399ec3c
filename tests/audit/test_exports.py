"""Data leaving the system is on the record (issue 9, "exports of data — recorded with who, when, what"): each
download of an outgoing document, a periodic report file, an inspection notice or evidence file, a task's attached
file, an edXML package or status message, and each API read of the task list writes exactly one audit entry naming
the user, the object and the address (one helper, dondoc.audit.record_export). A refused download writes none."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dondoc.api.models import ApiToken
from dondoc.audit.models import AuditEntry
from dondoc.directives.models import Directive
from dondoc.documents.models import OutgoingDocument
from dondoc.evaluation.report_models import ReportRun
from dondoc.inspection import services
from dondoc.inspection.models import Verdict
from dondoc.tracking import actions
from tests.helpers import login, make_plan

ADDRESS = "10.1.2.3"
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def exports() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).order_by("id"))


def download(c: Client, url: str, status: int = 200):
    response = c.get(url)
    assert response.status_code == status, (url, response.status_code)
    if status == 200 and response.streaming:
        b"".join(response.streaming_content)
    return response


def the_one_entry(person, obj, what: str) -> AuditEntry:
    """Exactly one entry, naming the user, the object (type, id, description) and the address."""
    [entry] = exports()
    assert (entry.user_id, entry.username, entry.address) == (person.user_id, person.user.username, ADDRESS)
    assert (entry.object_type, entry.object_id) == (obj._meta.label_lower, str(obj.pk))
    assert entry.object_repr == f"{what}: {obj}"
    assert entry.after["what"] == what and entry.after["count"] == 1
    return entry


def outgoing(
    registry, doc_type=OutgoingDocument.DocType.URGING, recipient="SXD", number=1
) -> OutgoingDocument:
    record = OutgoingDocument(
        issuer=registry["VPUBND"],
        year=2026,
        number=number,
        symbol="VP-TKBT",
        notation=f"{number:02d}/VP-TKBT",
        doc_type=doc_type,
        subject="V/v đôn đốc thực hiện nhiệm vụ quá hạn",
        issued_on=date(2026, 3, 10),
        recipient_unit=registry[recipient],
    )
    record.docx.save("van-ban.docx", ContentFile(b"PK\x03\x04"), save=False)
    record.pdf.save("van-ban.pdf", ContentFile(PDF), save=False)
    record.save()
    return record


# --- outgoing documents (urging letters, inspection notices) --------------------------------------------------------


def test_downloading_an_outgoing_document_writes_one_entry(client, personas, registry, frozen):
    record = outgoing(registry)
    officer = personas["lead_officer"]  # of the addressed unit
    response = download(login(officer, REMOTE_ADDR=ADDRESS), f"/van-ban-di/{record.pk}/tai-ve/pdf/")
    assert response["Content-Disposition"].startswith("attachment;")
    entry = the_one_entry(officer, record, "Công văn đôn đốc (PDF)")
    assert (
        entry.after["file"] == "01-VP-TKBT.pdf"
        and entry.after["path"] == f"/van-ban-di/{record.pk}/tai-ve/pdf/"
    )


def test_a_refused_document_download_writes_nothing(client, personas, registry, frozen):
    record = outgoing(registry)
    other = login(personas["other_officer"], REMOTE_ADDR=ADDRESS)  # Sở Y tế: neither issuer nor addressee
    download(other, f"/van-ban-di/{record.pk}/tai-ve/pdf/", 404)
    tracker = login(personas["tracker"], REMOTE_ADDR=ADDRESS)
    download(tracker, f"/van-ban-di/{record.pk}/tai-ve/exe/", 404)
    download(tracker, f"/van-ban-di/{record.pk + 1}/tai-ve/pdf/", 404)
    record.pdf.storage.delete(record.pdf.name)  # the file lost on the server: a 404, not a 500, and no entry
    download(tracker, f"/van-ban-di/{record.pk}/tai-ve/pdf/", 404)
    Client(REMOTE_ADDR=ADDRESS).get(f"/van-ban-di/{record.pk}/tai-ve/docx/")  # anonymous: sent to log in
    assert exports() == []


def test_downloading_an_inspection_notice_names_it(client, personas, registry, frozen):
    notice = outgoing(registry, OutgoingDocument.DocType.NOTICE, recipient="SXD")
    download(login(personas["inspector"], REMOTE_ADDR=ADDRESS), f"/van-ban-di/{notice.pk}/tai-ve/docx/")
    the_one_entry(personas["inspector"], notice, "Thông báo (DOCX)")


def test_an_edxml_package_of_an_outgoing_document_writes_one_entry(client, personas, registry, frozen):
    record = outgoing(registry)
    download(login(personas["tracker"], REMOTE_ADDR=ADDRESS), f"/api/edxml/van-ban-di/{record.pk}.xml")
    entry = the_one_entry(personas["tracker"], record, "Gói edXML của văn bản đi")
    assert entry.after["file"] == "01-VP-TKBT.edxml.xml"
    download(
        login(personas["other_officer"], REMOTE_ADDR=ADDRESS), f"/api/edxml/van-ban-di/{record.pk}.xml", 404
    )
    assert len(exports()) == 1


# --- edXML status messages (page and API) --------------------------------------------------------------------------


def test_an_edxml_status_message_writes_one_entry_on_the_page_and_in_the_api(
    client, personas, directive, frozen
):
    tracker = personas["tracker"]
    download(login(tracker, REMOTE_ADDR=ADDRESS), f"/api/edxml/van-ban/{directive.pk}/trang-thai/03.xml")
    the_one_entry(tracker, directive, "Thông điệp trạng thái edXML 03")
    download(
        login(tracker, REMOTE_ADDR=ADDRESS), f"/api/edxml/van-ban/{directive.pk}/trang-thai/06.xml", 404
    )  # not reached
    _, raw = ApiToken.issue(tracker.user, "thử nghiệm")
    api = Client(REMOTE_ADDR=ADDRESS, headers={"Authorization": f"Bearer {raw}"})
    assert api.get(f"/api/v1/edxml/directives/{directive.pk}/status/03").status_code == 200
    assert api.get(f"/api/v1/edxml/directives/{directive.pk}/status/06").status_code == 404
    entries = exports()
    assert len(entries) == 2 and entries[1].object_repr.startswith("Thông điệp trạng thái edXML 03 (API)")


def test_a_secret_directive_status_refused_to_an_uncleared_officer_writes_nothing(
    client, personas, directive
):
    directive.secrecy = Directive.Secrecy.SECRET
    directive.save()
    download(
        login(personas["lead_officer"], REMOTE_ADDR=ADDRESS),
        f"/api/edxml/van-ban/{directive.pk}/trang-thai/03.xml",
        404,
    )
    assert exports() == []


# --- periodic report files -------------------------------------------------------------------------------------------


def report_run(registry, personas) -> ReportRun:
    run = ReportRun(
        period_kind="month",
        period_start=date(2026, 2, 15),
        period_end=date(2026, 3, 14),
        period_year=2026,
        period_number=3,
        reference_date=date(2026, 3, 14),
        issuer=registry["VPUBND"],
        status=ReportRun.Status.DRAFT,
        progress=100,
        created_by=personas["tracker"].user,
    )
    run.docx.save("bao-cao.docx", ContentFile(b"PK\x03\x04"), save=False)
    run.pdf.save("bao-cao.pdf", ContentFile(PDF), save=False)
    run.xlsx.save("bao-cao.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    run.save()
    return run


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_downloading_a_report_file_writes_one_entry(client, personas, registry, frozen, fmt):
    run = report_run(registry, personas)
    download(login(personas["leader"], REMOTE_ADDR=ADDRESS), f"/danh-gia/bao-cao/{run.pk}/tai/{fmt}/")
    entry = the_one_entry(personas["leader"], run, f"Báo cáo định kỳ ({fmt.upper()})")
    assert entry.after["file"].startswith("bao-cao-20260215-20260314")


def test_a_refused_report_download_writes_nothing(client, personas, registry, frozen):
    run = report_run(registry, personas)
    download(
        login(personas["lead_officer"], REMOTE_ADDR=ADDRESS), f"/danh-gia/bao-cao/{run.pk}/tai/pdf/", 403
    )  # a unit's officer
    tracker = login(personas["tracker"], REMOTE_ADDR=ADDRESS)
    download(tracker, f"/danh-gia/bao-cao/{run.pk}/tai/exe/", 404)
    download(tracker, f"/danh-gia/bao-cao/{run.pk + 1}/tai/pdf/", 404)
    run.pdf.storage.delete(run.pdf.name)
    download(tracker, f"/danh-gia/bao-cao/{run.pk}/tai/pdf/", 404)
    assert exports() == []


# --- inspection evidence -----------------------------------------------------------------------------------------------


def test_downloading_inspection_evidence_writes_one_entry_and_a_refusal_none(
    client, personas, registry, make_task, frozen
):
    task = make_task(content="SXD quá hạn", due_date=date(2026, 2, 20))
    inspector = personas["inspector"].user
    plan = make_plan(personas["inspector"], [registry["SXD"]], title="Kiểm tra quý I")
    sxd = plan.units.get()
    services.set_sample(inspector, sxd, [task])
    finding = services.record_finding(
        inspector,
        sxd.findings.get(),
        verdict=Verdict.IRRESPONSIBLE,
        text="Thiếu trách nhiệm",
        evidence=SimpleUploadedFile("bien-ban.pdf", PDF),
    )
    url = f"/thanh-tra/ket-luan/{finding.pk}/tai-lieu/"
    download(
        login(personas["coord_officer"], REMOTE_ADDR=ADDRESS), url, 404
    )  # Sở Tài chính may not read Sở Xây dựng's record
    assert exports() == []
    download(login(personas["lead_head"], REMOTE_ADDR=ADDRESS), url)
    entry = the_one_entry(personas["lead_head"], finding, "Tài liệu chứng minh của kết luận kiểm tra")
    assert entry.after["file"].endswith(".pdf")


# --- a task's attached files ------------------------------------------------------------------------------------------


def test_downloading_a_tasks_file_writes_one_entry_and_a_refusal_none(client, personas, make_task, frozen):
    task = make_task(due_date=date(2026, 3, 31))
    officer = personas["lead_officer"]
    task = actions.acknowledge(task, officer.user)
    report = actions.report_progress(
        task, officer.user, text="Đang triển khai", percent=30, file=SimpleUploadedFile("tien-do.pdf", PDF)
    )
    assert report.file.name.endswith(".pdf")  # the attached file is kept (it used to be dropped)
    url = f"/nhiem-vu/{task.pk}/tep/tien-do/{report.pk}/"
    download(login(personas["other_officer"], REMOTE_ADDR=ADDRESS), url, 404)
    download(
        login(personas["coord_officer"], REMOTE_ADDR=ADDRESS),
        f"/nhiem-vu/{task.pk}/tep/khac/{report.pk}/",
        404,
    )
    assert exports() == []
    download(login(personas["coord_officer"], REMOTE_ADDR=ADDRESS), url)
    entry = the_one_entry(personas["coord_officer"], report, "Tệp đính kèm (báo cáo tiến độ)")
    assert entry.after["task"] == task.pk


# --- API reads of the task list ------------------------------------------------------------------------------------------


def test_an_api_task_list_read_is_one_entry_with_its_filter_and_row_count(
    client, personas, make_task, frozen
):
    for n in range(3):
        make_task(content=f"Nhiệm vụ {n}", due_date=date(2026, 3, 2 + n))
    make_task(lead="SYT", coordinators=(), content="Của Sở Y tế", due_date=date(2026, 3, 2))
    officer = personas["lead_officer"]
    _, raw = ApiToken.issue(officer.user, "thử nghiệm")
    api = Client(REMOTE_ADDR=ADDRESS, headers={"Authorization": f"Bearer {raw}"})
    response = api.get("/api/v1/tasks", {"bucket": "overdue", "limit": 2})
    assert response.status_code == 200 and response.json()["count"] == 3
    [entry] = exports()
    assert (entry.username, entry.address, entry.object_type) == (officer.user.username, ADDRESS, "export")
    assert entry.object_repr == "Danh sách nhiệm vụ (API)"
    assert entry.after["count"] == 2 and entry.after["total"] == 3  # rows sent in this page, rows matching
    assert entry.after["filter"] == {"bucket": "overdue"}
    assert (entry.after["limit"], entry.after["offset"]) == (2, 0)

    assert api.get("/api/v1/tasks", {"bucket": "khong-co"}).status_code == 422  # a bad filter reads nothing
    assert api.get("/api/v1/tasks", {"due_from": "2026-13-01"}).status_code in (400, 422)
    assert Client(REMOTE_ADDR=ADDRESS).get("/api/v1/tasks").status_code == 401
    assert len(exports()) == 1
    api.get("/api/v1/tasks", {"offset": 2})
    assert len(exports()) == 2 and exports()[1].after["count"] == 1
