"""edXML exchange (DOMAIN.md §10): packages built here to the field list of §10, imported through the page and the
API; revoke, update, replace; status messages 03/04/06; export of a letter the product wrote, read back."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree as ET

import pytest

from dondoc.api import edxml
from dondoc.api.models import EdxmlPackage
from dondoc.directives.models import Attachment, Directive
from dondoc.documents import register
from dondoc.documents.models import OutgoingDocument
from dondoc.tracking import actions
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task, TaskEvent
from tests.api.helpers import CONTENT, NS, package, upload_package
from tests.helpers import docx_bytes, login, snv_report, zip_bytes


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# ------------------------------------------------------------------------------------------------------ import


def test_new_package_registers_the_directive_its_metadata_and_its_zipped_attachments(personas, frozen):
    """dd/MM/yyyy dates, the type by name, a zip payload unpacked into Attachment rows, Priority → urgency."""
    body = docx_bytes("CHỈ THỊ\n" + CONTENT)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    payload = zip_bytes({"van-ban/15-CT-UBND.docx": body, "phu-luc.pdf": pdf})
    response = upload_package(login(personas["tracker"]), package(attachments=[("ho-so.zip", payload)]))
    assert response.status_code == 302, response.content.decode()[:2000]
    directive = Directive.objects.get()
    assert (directive.notation, directive.issuer.code, directive.year) == ("15/CT-UBND", "H26", 2026)
    assert directive.issued_on == date(2026, 2, 2)
    assert directive.subject == "Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính"
    assert (directive.signer_prefix, directive.signer_name, directive.signer_position) == (
        "KT.",
        "Nguyễn Văn A",
        "Phó Chủ tịch",
    )
    assert directive.urgency == Directive.Urgency.URGENT
    assert directive.recipients == "Các sở, ban, ngành Thành phố"
    files = {a.name: a.file.read() for a in Attachment.objects.filter(directive=directive)}
    assert files == {"15-CT-UBND.docx": body, "phu-luc.pdf": pdf}
    pkg = EdxmlPackage.objects.get()
    assert pkg.document_id == "H26,2026/02/02,15/CT-UBND" and pkg.due_date == date(2026, 3, 31)
    assert "rà soát, công khai thủ tục hành chính" in pkg.text  # read from the DOCX in the zip


def test_extracted_tasks_are_offered_and_registered_on_confirmation(personas, registry, frozen):
    client = login(personas["tracker"])
    response = upload_package(client, package(content=CONTENT, date_text="2026/02/02"))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    form_total = page.context["formset"].total_form_count()
    assert form_total == 2
    initial = page.context["formset"].initial
    assert initial[0]["lead_unit"] == registry["SXD"].pk
    assert initial[0]["coordinating_units"] == [registry["STC"].pk]
    assert initial[0]["deadline"] == "31/03/2026"
    assert not Task.objects.exists()  # nothing registered before the officer confirms
    data = {"nv-TOTAL_FORMS": "2", "nv-INITIAL_FORMS": "2", "assign_now": "on"}
    for i, row in enumerate(initial):
        data[f"nv-{i}-content"] = row["content"]
        data[f"nv-{i}-lead_unit"] = str(row["lead_unit"])
        data[f"nv-{i}-deadline"] = row["deadline"]
        if row["coordinating_units"]:
            data[f"nv-{i}-coordinating_units"] = [str(pk) for pk in row["coordinating_units"]]
    data["nv-1-deadline"] = ""  # a task without its own deadline takes none when the officer clears it
    confirmed = client.post(response["Location"], data)
    assert confirmed.status_code == 302, confirmed.content.decode()[:3000]
    tasks = Task.objects.order_by("pk")
    assert [t.lead_unit.code for t in tasks] == ["SXD", "SYT"]
    assert tasks[0].due_date == date(2026, 3, 31) and {u.code for u in tasks[0].coordinating_units.all()} == {
        "STC"
    }
    assert all(t.state == tl.ASSIGNED for t in tasks)
    again = client.post(response["Location"], data)  # a second confirmation registers nothing
    assert again.status_code == 200 and Task.objects.count() == 2


def test_a_package_without_its_own_deadlines_takes_the_due_date(personas, frozen):
    client = login(personas["tracker"])
    text = "1. Giao Sở Xây dựng chủ trì rà soát quy hoạch các khu đô thị mới trên địa bàn Thành phố.\n"
    response = upload_package(client, package(content=text, due="2026/04/30"))
    page = client.get(response["Location"])
    assert [row["deadline"] for row in page.context["formset"].initial] == ["30/04/2026"]


@pytest.mark.parametrize("written", ["2026/02/02", "02/02/2026", "2026-02-02", "2026/02/02 08:30:00"])
def test_dates_are_read_in_every_sender_format(written):
    assert edxml.parse(package(date_text=written)).promulgation_date == date(2026, 2, 2)


@pytest.mark.parametrize("written", ["Chỉ thị", "chi thi", "CT"])
def test_the_type_is_read_by_name_or_by_code(written):
    assert edxml.parse(package(type_name=written)).type_name == "Chỉ thị"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"<edXMLEnvelope><MessageHeader>", "không phải XML hợp lệ"),
        (package(drop=("CodeNumber",)), "«Code/CodeNumber»"),
        (package(drop=("PromulgationDate",)), "«PromulgationInfo/PromulgationDate»"),
        (package(drop=("DocumentId",)), "«DocumentId»"),
        (package(drop=("Subject",)), "«Subject»"),
        (package(date_text="31/02/2026"), "«PromulgationDate»"),
        (package(priority="7"), "«OtherInfo/Priority»"),
        (package(attachments=[("x.pdf", "@@@ khong phai base64")]), "«x.pdf»: nội dung không phải base64"),
        (package(attachments=[("rong.pdf", "")]), "«rong.pdf»: thiếu nội dung"),
        (package(attachments=[("virus.pdf", b"MZ\x90\x00 not a pdf")]), "virus.pdf"),
        (
            package(attachments=[("goi.zip", zip_bytes({"ok.pdf": b"%PDF-1.4\n", "setup.exe": b"MZ"}))]),
            "setup.exe",
        ),
        (package(organ_id="XYZ", organ_name="Cơ quan không có"), "«From»"),
        (package(organ_id="SXD", organ_name="Sở Xây dựng"), "không phải cấp giao"),
        (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "bbbb">]><a>&b;</a>', "DTD"),
    ],
)
def test_a_bad_package_is_refused_naming_the_element_and_changes_nothing(personas, frozen, content, needle):
    response = upload_package(login(personas["tracker"]), content)
    assert response.status_code == 400
    errors = " ".join(str(e) for e in response.context["form"].errors["file"])
    assert needle in errors, errors
    assert not Directive.objects.exists() and not Attachment.objects.exists()
    assert not EdxmlPackage.objects.exists()


def test_a_package_received_twice_or_already_registered_is_refused_with_a_link(personas, directive, frozen):
    client = login(personas["tracker"])
    # Already in the register (same number, symbol, issuer, year), received under another id.
    response = upload_package(client, package(document_id="H26,2026/02/02,15/CT-UBND#1"))
    assert response.status_code == 400
    assert f'href="/van-ban/{directive.pk}/"' in response.content.decode()
    # Received twice under the same DocumentId.
    first = upload_package(
        client, package(number="16", document_id="H26,2026/02/03,16/CT-UBND", date_text="03/02/2026")
    )
    assert first.status_code == 302
    twice = upload_package(
        client, package(number="17", document_id="H26,2026/02/03,16/CT-UBND", date_text="03/02/2026")
    )
    assert twice.status_code == 400 and "đã được nhận" in twice.content.decode()
    assert Directive.objects.count() == 2


def test_only_the_city_office_may_import(personas):
    assert login(personas["lead_officer"]).get("/api/edxml/").status_code == 403


# ------------------------------------------------------------------------------------- revoke, update, replace


def _received(client) -> Directive:
    assert upload_package(client, package()).status_code == 302
    return Directive.objects.get()


def _tasks_of(directive, personas, registry):
    tracker = personas["tracker"].user

    def make(content, assign=True):
        task = actions.create_task(
            directive, lead_unit=registry["SXD"], coordinating_units=[], content=content, user=tracker
        )
        return actions.assign(task, tracker) if assign else task

    return make


def test_a_revoke_message_cancels_the_open_tasks_with_the_reason(personas, registry, frozen):
    client = login(personas["tracker"])
    directive = _received(client)
    make = _tasks_of(directive, personas, registry)
    open_task, draft = make("Rà soát thủ tục"), make("Dự thảo", assign=False)
    done = make("Đã xong")
    lead = personas["lead_officer"].user
    done = actions.acknowledge(done, lead)
    actions.submit_result(done, lead, document_number="3/BC-SXD", document_date=date(2026, 3, 10))
    actions.confirm_completion(done, personas["tracker"].user)
    response = upload_package(client, package(business="1", reason="Ban hành nhầm", date_text="2026/02/02"))
    assert response.status_code == 302, response.content.decode()[:2000]
    states = {t.pk: t.state for t in Task.objects.all()}
    assert states == {open_task.pk: tl.CANCELLED, draft.pk: tl.CANCELLED, done.pk: tl.COMPLETED}
    event = TaskEvent.objects.filter(task=open_task, action=TaskEvent.Action.CANCEL).get()
    assert "thu hồi" in event.note and "Ban hành nhầm" in event.note
    assert Directive.objects.count() == 1


def test_a_revoke_for_an_unknown_document_changes_nothing(personas, frozen):
    response = upload_package(
        login(personas["tracker"]), package(business="1", document_id="H26,2026/01/01,99/CT-UBND")
    )
    assert response.status_code == 400
    assert "«DocumentId»" in response.content.decode()
    assert not EdxmlPackage.objects.exists()


def test_an_update_message_updates_the_metadata(personas, frozen):
    client = login(personas["tracker"])
    directive = _received(client)
    response = upload_package(
        client, package(business="2", subject="Chỉ thị về kỷ luật hành chính (sửa đổi)", priority="3")
    )
    assert response.status_code == 302
    directive.refresh_from_db()
    assert directive.subject == "Chỉ thị về kỷ luật hành chính (sửa đổi)"
    assert directive.urgency == Directive.Urgency.FLASH


def test_a_replace_message_registers_the_new_directive_and_cancels_the_old_ones_tasks(
    personas, registry, frozen
):
    client = login(personas["tracker"])
    old = _received(client)
    task = _tasks_of(old, personas, registry)("Rà soát thủ tục")
    response = upload_package(
        client,
        package(
            number="20",
            date_text="05/03/2026",
            document_id="H26,2026/03/05,20/CT-UBND",
            business="3",
            replaces="H26,2026/02/02,15/CT-UBND",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = Directive.objects.get(number=20)
    task.refresh_from_db()
    assert task.state == tl.CANCELLED
    note = TaskEvent.objects.get(task=task, action=TaskEvent.Action.CANCEL).note
    assert new.notation in note


# ----------------------------------------------------------------------------------------------- status messages


def _status(client, directive, code):
    return client.get(f"/api/edxml/van-ban/{directive.pk}/trang-thai/{code}.xml")


def test_status_messages_follow_the_directive_registered_assigned_completed(personas, registry, frozen):
    client = login(personas["tracker"])
    directive = _received(client)
    assert _status(client, directive, "04").status_code == 404
    response = _status(client, directive, "03")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{NS}}}Status"
    assert root.findtext(f".//{{{NS}}}StatusCode") == "03"
    assert root.findtext(f".//{{{NS}}}ResponseFor/{{{NS}}}DocumentId") == "H26,2026/02/02,15/CT-UBND"
    assert root.findtext(f".//{{{NS}}}From/{{{NS}}}OrganId") == "000.00.00.H26"  # the electronic identifier
    assert root.findtext(f".//{{{NS}}}Timestamp") == "2026/03/10 09:00:00"
    task = _tasks_of(directive, personas, registry)("Rà soát thủ tục")
    assert _status(client, directive, "04").status_code == 200
    assert _status(client, directive, "06").status_code == 404
    lead = personas["lead_officer"].user
    task = actions.acknowledge(task, lead)
    actions.submit_result(task, lead, document_number="3/BC-SXD", document_date=date(2026, 3, 10))
    actions.confirm_completion(task, personas["tracker"].user)
    done = ET.fromstring(_status(client, directive, "06").content)
    assert done.findtext(f".//{{{NS}}}StatusCode") == "06"
    assert "hoàn thành" in done.findtext(f".//{{{NS}}}Description")


def test_the_counting_status_messages_are_given_only_to_the_cleared(personas, registry, frozen):
    """04 and 06 count every task of the directive, secret ones too: an uncleared reader who sees the directive is
    refused them always (whether or not a secret task exists), with the reason; 03 stays open to them."""
    directive = _received(login(personas["tracker"]))
    _tasks_of(directive, personas, registry)(
        "Rà soát thủ tục"
    )  # plain, led by the officer's unit: they see it
    officer = login(personas["lead_officer"])
    assert _status(officer, directive, "03").status_code == 200
    for code in ("04", "06"):
        page = _status(officer, directive, code)
        assert page.status_code == 403 and "chỉ người được xem tài liệu mật" in page.content.decode()
        api = officer.get(f"/api/v1/edxml/directives/{directive.pk}/status/{code}")
        assert api.status_code == 403 and "chỉ người được xem tài liệu mật" in api.json()["detail"]
    assert _status(login(personas["tracker"]), directive, "04").status_code == 200
    assert [s.code for s in edxml.statuses_for(directive, personas["lead_officer"].user)] == ["03"]
    assert [s.code for s in edxml.statuses_for(directive, personas["tracker"].user)] == ["03", "04"]


def test_the_counting_status_messages_are_not_even_computed_for_the_uncleared(personas, registry, frozen):
    """`statuses_for` counted the directive's tasks (04, 06: every task, secret ones too) and then dropped the
    messages for an uncleared reader: a count made for someone who may not have it. It now reads no task of the
    directive for them (no query on the tasks nor their events), and the same messages for the cleared."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dondoc.tracking.models import Task, TaskEvent

    directive = _received(login(personas["tracker"]))
    _tasks_of(directive, personas, registry)("Rà soát thủ tục")
    tables = (Task._meta.db_table, TaskEvent._meta.db_table)
    for persona, codes, reads in (("lead_officer", ["03"], False), ("tracker", ["03", "04"], True)):
        user = personas[persona].user
        with CaptureQueriesContext(connection) as seen:
            assert [s.code for s in edxml.statuses_for(directive, user)] == codes
        touched = any(
            f'"{t}"' in q["sql"] or f" {t} " in q["sql"] for q in seen.captured_queries for t in tables
        )
        assert touched == reads, persona


# ------------------------------------------------------------------------------------------------------- export


def test_an_outgoing_document_exports_as_an_exact_package_that_imports_back(personas, registry, frozen):
    record = register.issue(
        snv_report(date(2026, 3, 5)),
        issuer=registry["SNV"],
        doc_type=OutgoingDocument.DocType.REPORT,
        recipient_unit=registry["VPUBND"],
    )
    client = login(personas["tracker"])
    response = client.get(f"/api/edxml/van-ban-di/{record.pk}.xml")
    assert response.status_code == 200
    raw = response.content
    root = ET.fromstring(raw)
    assert root.tag == f"{{{NS}}}edXMLEnvelope"
    assert root.findtext(f".//{{{NS}}}DocumentId") == "SNV,2026/03/05,01/BC-SNV"
    assert root.findtext(f".//{{{NS}}}PromulgationDate") == "2026/03/05"
    assert root.findtext(f".//{{{NS}}}CodeNumber") == "01"
    assert root.findtext(f".//{{{NS}}}CodeNotation") == "BC-SNV"
    assert root.findtext(f".//{{{NS}}}BussinessDocType") == "0"
    parsed = edxml.parse(raw)
    assert (parsed.organ_id, parsed.notation, parsed.subject) == ("SNV", "01/BC-SNV", record.subject)
    files = {a.name: a.content for a in parsed.attachments}
    assert files["01-BC-SNV.docx"] == record.docx.open("rb").read()
    assert files["01-BC-SNV.pdf"].startswith(b"%PDF")
    assert parsed.type_name == "Báo cáo"


def test_the_document_page_offers_the_edxml_download(personas, registry, frozen):
    record = register.issue(
        snv_report(date(2026, 3, 5)),
        issuer=registry["SNV"],
        doc_type=OutgoingDocument.DocType.REPORT,
        created_by=personas["tracker"].user,
    )
    page = login(personas["tracker"]).get(record.get_absolute_url())
    assert f'href="/api/edxml/van-ban-di/{record.pk}.xml"' in page.content.decode()


# ---------------------------------------------------------------------------------------------------------- API


def test_the_api_imports_a_package_for_the_city_office_only(personas, api_as, frozen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def post(name, content):
        client = api_as(name)
        return client.client.post(
            "/api/v1/edxml", {"file": SimpleUploadedFile("goi.xml", content)}, headers=client.headers
        )

    denied = post("lead_officer", package(content=CONTENT))
    assert denied.status_code == 403 and not Directive.objects.exists()
    bad = post("tracker", package(drop=("CodeNumber",)))
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "file" and "Code/CodeNumber" in bad.json()["detail"]
    ok = post("tracker", package(content=CONTENT))
    assert ok.status_code == 200, ok.content
    body = ok.json()
    assert body["notation"] == "15/CT-UBND" and body["tasks_to_confirm"] == 2
    status = api_as("leader").get(f"/edxml/directives/{body['directive_id']}/status/03")
    assert status.status_code == 200 and b"<edXML:StatusCode>03</edXML:StatusCode>" in status.content


def test_a_package_of_a_secret_directive_is_not_shown_to_an_uncleared_city_officer(
    personas, registry, frozen
):
    """The received package's page shows the directive's subject and the tasks read from its text: once the
    directive is marked secret (the sender's package carries no secrecy), an uncleared officer of the City Office
    gets neither the page nor the directive's notation in the list of recent packages; a cleared one still does."""
    from dondoc.org.models import Person
    from tests.helpers import make_person

    cleared = login(personas["tracker"])
    response = upload_package(cleared, package(content=CONTENT, date_text="2026/02/02"))
    assert response.status_code == 302
    Directive.objects.update(secrecy=Directive.Secrecy.SECRET)
    page = response["Location"]
    assert cleared.get(page).status_code == 200
    uncleared = login(
        make_person(
            "vp.uncleared", registry["VPUBND"], Person.Role.TRACKING_OFFICER, cleared_for_secrets=False
        )
    )
    denied = uncleared.get(page)
    assert denied.status_code == 404
    assert "rà soát" not in denied.content.decode() and "kỷ luật" not in denied.content.decode()
    recent = uncleared.get("/api/edxml/").content.decode()
    assert "15/CT-UBND" not in recent
    assert "15/CT-UBND" in cleared.get("/api/edxml/").content.decode()


def _uncleared_officer(registry):
    from dondoc.org.models import Person
    from tests.helpers import make_person

    return make_person(
        "vp.uncleared", registry["VPUBND"], Person.Role.TRACKING_OFFICER, cleared_for_secrets=False
    )


def _written_records() -> tuple[int, ...]:
    from dondoc.audit.models import AuditEntry, PendingAuditEntry
    from dondoc.followup.models import Notification

    return (
        EdxmlPackage.objects.count(),
        TaskEvent.objects.count(),
        AuditEntry.objects.count() + PendingAuditEntry.objects.count(),
        Notification.objects.count(),
        Attachment.objects.count(),
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"business": "1", "reason": "Ban hành nhầm"},
        {"business": "2", "subject": "Chỉ thị về kỷ luật hành chính (sửa đổi)", "priority": "3"},
        {
            "number": "20",
            "date_text": "05/03/2026",
            "document_id": "H26,2026/03/05,20/CT-UBND",
            "business": "3",
            "replaces": "H26,2026/02/02,15/CT-UBND",
        },
    ],
    ids=["revoke", "update", "replace"],
)
def test_an_uncleared_officer_may_not_revoke_update_or_replace_a_secret_directive(
    personas, registry, frozen, changes
):
    """A person who may not see a secret directive may not change it through edXML (page or API): the answer is
    the one for an unknown document — its notation not named, its existence not revealed — and nothing changes:
    no task cancelled, no field changed, no package, audit entry or notification recorded. A cleared officer may."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    cleared = login(personas["tracker"])
    directive = _received(cleared)
    task = _tasks_of(directive, personas, registry)("Rà soát thủ tục")
    Directive.objects.update(secrecy=Directive.Secrecy.SECRET)
    directive.refresh_from_db()
    content = package(**{"date_text": "2026/02/02", **changes})
    unknown = upload_package(
        cleared, package(business="1", date_text="2026/02/02", document_id="H26,2026/01/01,99/CT-UBND")
    ).content.decode()
    assert "không tìm thấy văn bản" in unknown
    person = _uncleared_officer(registry)
    client = login(person)
    before = _written_records()
    response = upload_package(client, content)
    assert response.status_code == 400
    page = response.content.decode()
    assert "không tìm thấy văn bản" in page
    assert _written_records() == before
    from dondoc.api.models import ApiToken
    from tests.api.helpers import ApiClient

    _, raw = ApiToken.issue(person.user, "thử nghiệm")
    before = _written_records()
    api = ApiClient(raw)
    refused = api.client.post(
        "/api/v1/edxml", {"file": SimpleUploadedFile("goi.xml", content)}, headers=api.headers
    )
    assert refused.status_code == 422 and "không tìm thấy văn bản" in refused.json()["detail"]
    assert _written_records() == before
    task.refresh_from_db()
    assert task.state != tl.CANCELLED
    kept = Directive.objects.get(pk=directive.pk)
    assert (kept.subject, kept.urgency, kept.secrecy) == (
        directive.subject,
        directive.urgency,
        directive.secrecy,
    )
    assert Directive.objects.count() == 1
    ok = upload_package(cleared, content)
    assert ok.status_code == 302, ok.content.decode()[:2000]


def test_a_package_received_twice_for_a_secret_directive_shows_an_uncleared_officer_no_date_or_link(
    personas, registry, frozen
):
    """The DocumentId is unique, so the second receipt is refused, but to an officer not cleared for secrets the
    refusal names neither the day the secret directive's package was received nor a link to it."""
    directive = _received(login(personas["tracker"]))
    Directive.objects.update(secrecy=Directive.Secrecy.SECRET)
    client = login(_uncleared_officer(registry))
    before = _written_records()
    response = upload_package(client, package(date_text="2026/02/02"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "đã được nhận" in html
    assert f"/van-ban/{directive.pk}/" not in html and "đã được nhận ngày" not in html
    assert _written_records() == before
    cleared = upload_package(login(personas["tracker"]), package(date_text="2026/02/02")).content.decode()
    assert "đã được nhận ngày" in cleared and f"/van-ban/{directive.pk}/" in cleared
