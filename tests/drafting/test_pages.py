"""The draft checker's pages (du-thao/): who may use them, what a bad input is told, the marked result and the
registration of the directive with its tasks in one transaction."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dondoc.directives.models import Authority, Directive
from dondoc.drafting import registration
from dondoc.drafting.forms import DraftDirectiveForm, DraftTaskForm
from dondoc.drafting.views import SESSION_KEY
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task, TaskEvent
from dondoc.workdays import calendar
from tests.helpers import docx_bytes, login, make_directive, pdf_bytes

DATA = Path(__file__).with_name("data")
SEED = (DATA / "seed_3031.txt").read_text(encoding="utf-8")
FORMAL = (DATA / "formal_125.txt").read_text(encoding="utf-8")
CHECK = "/du-thao/"

pytestmark = pytest.mark.django_db


def submit(client, **data):
    return client.post(CHECK, data)


def token_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.fullmatch(r"/du-thao/([\w-]+)/", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def errors(response) -> list[str]:
    html = response.content.decode()
    return [
        re.sub(r"\s+", " ", e).strip()
        for e in re.findall(r'class="text-danger small field-error"[^>]*>(.*?)</div>', html, re.S)
    ]


# --- Who may use the checker ------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, registry):
    response = client.get(CHECK)
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.parametrize("who", ["lead_officer", "lead_head", "coord_officer", "inspector"])
def test_unit_people_and_inspectors_cannot_check_drafts(client, personas, who):
    assert login(personas[who], client).get(CHECK).status_code == 403


@pytest.mark.parametrize("who", ["tracker", "leader"])
def test_city_office_and_leaders_can_check_drafts(client, personas, who):
    response = login(personas[who], client).get(CHECK)
    assert response.status_code == 200
    assert "Kiểm tra dự thảo văn bản chỉ đạo" in response.content.decode()


def test_nav_link_only_for_those_allowed(client, personas):
    assert "Kiểm tra dự thảo" in login(personas["tracker"], client).get("/").content.decode()
    client.logout()
    assert "Kiểm tra dự thảo" not in login(personas["lead_officer"], client).get("/").content.decode()


def test_leader_checks_but_does_not_register(client, personas):
    login(personas["leader"], client)
    token = token_of(submit(client, text=SEED))
    page = client.get(f"/du-thao/{token}/").content.decode()
    assert "Nhiệm vụ 4" in page and "Sửa và đăng ký văn bản" not in page
    assert client.get(f"/du-thao/{token}/dang-ky/").status_code == 403


def test_another_users_draft_is_not_reachable(client, personas):
    """The draft lives in its author's session: another officer with its address gets nothing."""
    login(personas["tracker"], client)
    token = token_of(submit(client, text=SEED))
    client.logout()
    other = login(personas["leader"], client)
    response = other.get(f"/du-thao/{token}/")
    assert response.status_code == 302 and response["Location"] == CHECK


# --- Bad input: a Vietnamese message naming the field, nothing kept ---------------------------------------


def test_empty_draft_is_refused(client, personas):
    response = submit(login(personas["tracker"], client), text="   ")
    assert response.status_code == 400
    assert errors(response) == ["Nội dung dự thảo: hãy dán văn bản hoặc chọn tệp."]
    assert SESSION_KEY not in client.session


def test_text_and_file_together_are_refused(client, personas):
    upload = SimpleUploadedFile("du-thao.txt", SEED.encode())
    response = submit(login(personas["tracker"], client), text=SEED, file=upload)
    assert response.status_code == 400
    assert "chỉ dán văn bản hoặc chọn tệp, không dùng cả hai" in errors(response)[0]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "du-thao.odt",
            b"PK\x03\x04odt",
            "Tệp dự thảo «du-thao.odt»: chỉ nhận tệp DOCX, TXT hoặc PDF có lớp chữ.",
        ),
        ("du-thao.docx", b"khong phai docx", "có đuôi .docx nhưng nội dung không phải tệp DOCX hợp lệ"),
        ("du-thao.pdf", b"MZ\x90\x00 exe", "có đuôi .pdf nhưng nội dung không phải tệp PDF hợp lệ"),
        ("du-thao.txt", b"%PDF-1.4 fake", "có đuôi .txt nhưng không phải văn bản thuần"),
        (
            "du-thao.txt",
            "Giao Sở Y tế".encode("cp1258", "replace") + b"\x00\xff\xfe",
            "không phải văn bản UTF-8",
        ),
    ],
)
def test_wrong_file_type_is_refused_by_content(client, personas, name, content, message):
    response = submit(login(personas["tracker"], client), file=SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert any(message in e for e in errors(response)), errors(response)
    assert SESSION_KEY not in client.session


def test_too_big_file_is_refused(client, personas, settings):
    settings.UPLOAD_MAX_MB = 1
    big = SimpleUploadedFile("du-thao.txt", ("Giao Sở Y tế kiểm tra. " * 60_000).encode())
    response = submit(login(personas["tracker"], client), file=big)
    assert response.status_code == 400
    assert errors(response) == ["Tệp dự thảo «du-thao.txt» quá lớn: tối đa 1 MB."]


def test_too_long_text_is_refused(client, personas, monkeypatch):
    monkeypatch.setattr("dondoc.drafting.forms.MAX_CHARS", 1000)
    response = submit(login(personas["tracker"], client), text="Giao Sở Y tế kiểm tra. " * 50)
    assert response.status_code == 400
    assert errors(response) == ["Nội dung dự thảo quá dài: 1.150 ký tự, tối đa 1.000 ký tự."]


def test_scanned_pdf_is_refused(client, personas):
    response = submit(
        login(personas["tracker"], client), file=SimpleUploadedFile("ban-quet.pdf", pdf_bytes(None))
    )
    assert response.status_code == 400
    assert errors(response)[0].startswith("Tệp dự thảo «ban-quet.pdf» là PDF không có lớp chữ (bản quét)")


def test_bad_expected_date_is_refused(client, personas):
    response = submit(login(personas["tracker"], client), text=SEED, issued_on="31/02/2026")
    assert response.status_code == 400
    assert errors(response) == ["Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 25/12/2026."]


def test_expired_draft_goes_back_to_the_form(client, personas):
    response = login(personas["tracker"], client).get("/du-thao/khong-co/", follow=True)
    assert response.redirect_chain[-1][0] == CHECK
    assert "không còn trong phiên làm việc" in response.content.decode()


# --- The result page -------------------------------------------------------------------------------------


def result_page(client, **data) -> str:
    token = token_of(submit(client, **data))
    response = client.get(f"/du-thao/{token}/")
    assert response.status_code == 200
    return response.content.decode()


def test_seed_dispatch_shows_its_clauses_marked_and_its_findings(client, personas):
    html = result_page(login(personas["tracker"], client), text=SEED)
    # Each task clause is marked in the text, numbered and linked to its card.
    marks = re.findall(r'<mark class="clause (clause-\w+)" id="doan-(\d)">', html)
    assert marks == [("clause-error", "1"), ("clause-error", "2"), ("clause-error", "3"), ("clause-ok", "4")]
    assert re.search(
        r'id="doan-4"><a class="clause-no" href="#nv-4"[^>]*>4</a> UBND thành phố giao <span class="clause-lead">Sở Nội vụ</span>',
        html,
    )
    # Metadata read from the text.
    assert "3031/UBND-TKBT" in html and "10/07/2020" in html and "Ủy ban nhân dân Thành phố Hà Nội" in html
    # The summary and each clause's findings, in Vietnamese.
    assert "4 nhiệm vụ, 5 lỗi" in html and "1/4 nhiệm vụ đạt yêu cầu" in html
    card1 = html[html.index('id="nv-1"') : html.index('id="nv-2"')]
    assert "Nhiệm vụ giao cho một nhóm cơ quan chung chung" in card1
    assert "Nhiệm vụ không có thời hạn hoàn thành." in card1
    assert 'UBND các quận, huyện, thị xã <span class="text-muted">(nhóm chung chung)</span>' in card1
    card3 = html[html.index('id="nv-3"') : html.index('id="nv-4"')]
    assert (
        "Văn phòng UBND Thành phố" in card3 and "Có yêu cầu báo cáo nhưng không có thời hạn báo cáo." in card3
    )
    card4 = html[html.index('id="nv-4"') :]
    assert (
        "Sở Nội vụ" in card4
        and 'Hằng tháng, trước ngày 25 <span class="badge text-bg-light border">Định kỳ</span>' in card4
    )
    assert "Có — thời hạn: Hằng tháng, trước ngày 25" in card4 and "text-bg-success" in card4


def test_formal_draft_shows_deadlines_in_vietnamese(client, personas, frozen):
    html = result_page(login(personas["tracker"], client), text=FORMAL)
    assert 'Ngày 30/06/2026 <span class="badge text-bg-light border">Ngày cụ thể</span>' in html
    assert "Trong 10 ngày làm việc kể từ 02/03/2026, tức đến ngày 16/03/2026" in html
    assert "Trong quý III/2026 (hạn cuối 30/09/2026)" in html
    assert "Chỉnh trang đô thị năm 2026".lower() in html.lower()
    assert '<span class="clause-deadline">trước ngày 30/6/2026</span>' in html


def test_user_text_is_escaped_not_executed(client, personas):
    draft = 'Giao Sở Y tế <script>alert("x")</script> kiểm tra <b>an toàn</b> trước ngày 30/6/2026.'
    html = result_page(login(personas["tracker"], client), text=draft)
    assert "<script>alert" not in html and "<b>an toàn" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '<mark class="clause' in html


def test_docx_upload_is_read(client, personas):
    upload = SimpleUploadedFile("3031.docx", docx_bytes(SEED))
    html = result_page(login(personas["tracker"], client), file=upload)
    assert "3031.docx" in html and "4 nhiệm vụ, 5 lỗi" in html
    assert len(re.findall(r'<mark class="clause', html)) == 4


def test_pdf_with_text_layer_reads_like_the_text(client, personas):
    """The PDF's printed lines are joined back into paragraphs, so the clauses and findings match the TXT."""
    upload = SimpleUploadedFile("3031.pdf", pdf_bytes(SEED))
    html = result_page(login(personas["tracker"], client), file=upload)
    assert "4 nhiệm vụ, 5 lỗi" in html
    assert 'Hằng tháng, trước ngày 25 <span class="badge text-bg-light border">Định kỳ</span>' in html


def test_txt_upload_in_utf16_is_read(client, personas):
    upload = SimpleUploadedFile("3031.txt", SEED.encode("utf-16"))
    assert "4 nhiệm vụ, 5 lỗi" in result_page(login(personas["tracker"], client), file=upload)


# --- Edit and register -----------------------------------------------------------------------------------


@pytest.fixture
def tracker(client, personas):
    return login(personas["tracker"], client)


def register_url(client, text: str) -> str:
    return f"/du-thao/{token_of(submit(client, text=text))}/dang-ky/"


def form_data(response) -> dict[str, object]:
    """What the browser would send back: every prefilled field of the register page, as rendered."""
    dform = response.context["dform"]
    formset = response.context["formset"]
    data: dict[str, object] = {}
    for name in dform.fields:
        value = dform[name].value()
        if value is not None:
            data[name] = value
    data["assign_now"] = "on"
    mgmt = formset.management_form
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        data[f"nv-{name}"] = mgmt[name].value()
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list):
                data[key] = [str(v) for v in value]
            elif value is not None:
                data[key] = value
    return data


def register_seed(tracker, changes: dict[str, object]):
    """Post the register page of the seed dispatch's draft, its prefilled form changed by `changes`."""
    url = register_url(tracker, SEED)
    data = form_data(tracker.get(url))
    data.update(changes)
    return tracker.post(url, data)


def test_register_page_is_prefilled_from_the_draft(tracker, registry):
    response = tracker.get(register_url(tracker, SEED))
    assert response.status_code == 200
    dform = response.context["dform"]
    assert dform["notation"].value() == "3031/UBND-TKBT"
    assert dform["issued_on"].value() == "10/07/2020"
    assert dform["issuer"].value() == registry["H26"].pk
    assert dform["authority"].value() == Authority.CITY_COMMITTEE
    rows = [f.initial for f in response.context["formset"].forms]
    assert len(rows) == 4
    # A collective lead leaves the choice to the officer; a named unit is preselected.
    assert rows[0]["lead_unit"] is None
    assert [r["lead_unit"] for r in rows[1:]] == [
        registry["VPUBND"].pk,
        registry["VPUBND"].pk,
        registry["SNV"].pk,
    ]
    assert rows[3]["deadline"] == "" and rows[3]["report_deadline"] == "trước ngày 25 hằng tháng"
    assert rows[3]["must_report"] is True


def test_registration_creates_the_directive_and_exactly_its_tasks(tracker, registry, frozen):
    url = register_url(tracker, SEED)
    data = form_data(tracker.get(url))
    data["subject"] = "V/v nâng cao kỷ luật, kỷ cương hành chính"
    data["nv-0-lead_unit"] = registry["SXD"].pk  # the collective lead, corrected
    response = tracker.post(url, data)
    directive = Directive.objects.get()
    assert response.status_code == 302 and response["Location"] == directive.get_absolute_url()
    assert (directive.notation, directive.issued_on, directive.issuer.code) == (
        "3031/UBND-TKBT",
        date(2020, 7, 10),
        "H26",
    )
    assert directive.full_text == SEED
    tasks = list(Task.objects.filter(directive=directive).order_by("id"))
    assert [t.lead_unit.code for t in tasks] == ["SXD", "VPUBND", "VPUBND", "SNV"]
    assert all(t.state == tl.ASSIGNED and t.assigned_on == date(2026, 3, 10) for t in tasks)
    snv = tasks[3]
    assert snv.due_date is None and snv.report_day_of_month == 25 and snv.must_report
    assert snv.due_text == "" and snv.report_text == "trước ngày 25 hằng tháng"
    assert snv.content.startswith("UBND thành phố giao Sở Nội vụ")
    # Tracked like any other task: a creation and an assignment in each history.
    assert TaskEvent.objects.filter(task__in=tasks).count() == 8
    assert SESSION_KEY in tracker.session and not tracker.session[SESSION_KEY]
    page = tracker.get(response["Location"]).content.decode()
    assert "Đã vào sổ văn bản 3031/UBND-TKBT và đăng ký 4 nhiệm vụ (đã giao)." in page
    assert "Nhiệm vụ (4)" in page


def test_deadlines_are_registered_as_resolved_dates(tracker, registry, frozen):
    url = register_url(tracker, FORMAL)
    data = form_data(tracker.get(url))
    assert data["nv-0-deadline"] == "30/06/2026" and data["nv-2-deadline"] == "30/09/2026"
    assert data["nv-1-deadline"] == "10 ngày làm việc"
    assert data["nv-0-coordinating_units"] == [str(registry["STC"].pk)]
    data["nv-3-DELETE"] = "on"  # the collective "các sở, ban, ngành" row is dropped
    del data["assign_now"]
    response = tracker.post(url, data)
    assert response.status_code == 302
    tasks = list(Task.objects.order_by("id"))
    assert [t.lead_unit.code for t in tasks] == ["SXD", "SYT", "STC"]
    assert all(t.state == tl.DRAFT for t in tasks)
    assert tasks[0].due_date == date(2026, 6, 30) and tasks[0].due_text == "trước ngày 30/6/2026"
    assert [u.code for u in tasks[0].coordinating_units.all()] == ["STC"]
    assert tasks[1].due_date == calendar.current().working_period_end(date(2026, 3, 2), 10)
    assert tasks[2].due_date == date(2026, 9, 30) and tasks[2].due_text == "trong quý III/2026"


def test_row_without_lead_refuses_everything(tracker, registry):
    response = register_seed(tracker, {"subject": "V/v nâng cao kỷ luật"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nhiệm vụ 1 — Đơn vị chủ trì: Mỗi nhiệm vụ phải có một đơn vị chủ trì." in html
    assert not Directive.objects.exists() and not Task.objects.exists()


def test_lead_among_coordinators_refuses_everything(tracker, registry):
    coordinators = [str(registry["VPUBND"].pk), str(registry["STC"].pk)]
    response = register_seed(
        tracker,
        {
            "subject": "V/v nâng cao kỷ luật",
            "nv-0-lead_unit": registry["SXD"].pk,
            "nv-1-coordinating_units": coordinators,
        },
    )
    assert response.status_code == 400
    assert (
        "Nhiệm vụ 2 — Đơn vị phối hợp: Đơn vị chủ trì «Văn phòng UBND Thành phố» không thể đồng thời là đơn vị phối hợp."
        in response.content.decode()
    )
    assert not Directive.objects.exists() and not Task.objects.exists()


def test_duplicate_directive_is_refused_with_a_link(tracker, registry):
    existing = make_directive(
        "3031/UBND-TKBT", issuer=registry["H26"], issued_on=date(2020, 7, 10), subject="Đã vào sổ"
    )
    response = register_seed(
        tracker, {"subject": "V/v nâng cao kỷ luật", "nv-0-lead_unit": registry["SXD"].pk}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "đã có trong sổ" in html and f'href="{existing.get_absolute_url()}"' in html
    assert Directive.objects.count() == 1 and not Task.objects.exists()


def test_bad_notation_and_missing_subject_are_named(tracker, registry):
    response = register_seed(tracker, {"notation": "3031 UBND", "nv-0-lead_unit": registry["SXD"].pk})
    assert response.status_code == 400
    errs = errors(response)
    assert "Phải nhập trích yếu văn bản." in errs
    assert any("thiếu dấu «/» giữa số và ký hiệu" in e for e in errs)
    assert not Directive.objects.exists()


def test_all_rows_deleted_is_refused(tracker, registry):
    deleted = {f"nv-{i}-DELETE": "on" for i in range(4)}
    response = register_seed(tracker, {"subject": "V/v nâng cao kỷ luật", **deleted})
    assert response.status_code == 400
    assert "văn bản phải có ít nhất một nhiệm vụ" in response.content.decode()
    assert not Directive.objects.exists()


def test_officer_adds_a_task_row(tracker, registry, frozen):
    url = register_url(tracker, SEED)
    data = form_data(tracker.get(url))
    data["subject"] = "V/v nâng cao kỷ luật"
    data["nv-0-lead_unit"] = registry["SXD"].pk
    data["add_row"] = "1"
    response = tracker.post(url, data)
    assert response.status_code == 200 and len(response.context["formset"].forms) == 5
    assert "field-error" not in response.content.decode()  # adding a row is not a submission
    data = form_data(response)
    data["nv-4-content"] = "Sở Tài chính bố trí kinh phí kiểm tra công vụ"
    data["nv-4-lead_unit"] = registry["STC"].pk
    data["nv-4-deadline"] = "30/09/2020"
    response = tracker.post(url, data)
    assert response.status_code == 302
    added = Task.objects.get(lead_unit=registry["STC"])
    assert added.due_date == date(2020, 9, 30) and Task.objects.count() == 5


def test_a_failure_after_the_directive_is_saved_rolls_it_back(registry, personas):
    """The domain function refuses a lead among its coordinators even if a form let it through: the directive
    saved just before is rolled back with it (one transaction)."""
    directive_form = DraftDirectiveForm(
        {
            "notation": "125/UBND-TKBT",
            "issued_on": "02/03/2026",
            "issuer": registry["H26"].pk,
            "authority": Authority.CITY_COMMITTEE,
            "subject": "Chỉnh trang đô thị",
        }
    )
    assert directive_form.is_valid(), directive_form.errors
    rows = []
    for lead in ("SXD", "SYT"):
        form = DraftTaskForm(
            {"content": f"Nhiệm vụ của {lead}", "lead_unit": registry[lead].pk},
            directive=directive_form.instance,
            calendar=calendar.current(),
        )
        assert form.is_valid(), form.errors
        rows.append(form)
    rows[1].cleaned_data["coordinating_units"] = [registry["SYT"]]  # slipped past the form
    with pytest.raises(ValidationError, match="không thể đồng thời là đơn vị phối hợp"):
        registration.register(
            directive_form, rows, personas["tracker"].user, full_text="...", assign_now=True
        )
    assert not Directive.objects.exists() and not Task.objects.exists()


def test_low_confidence_fields_are_shown_to_check_first(client, personas):
    draft = (
        # "chủ trì báo cáo" (presenting at a meeting): whether the unit must report is a guess, so the officer
        # checks it first.
        "Giao Sở Nội vụ chủ trì báo cáo nội dung kiện toàn tổ chức tại phiên họp trước ngày 30/9/2026.\n"
        "Giao Sở Tài chính thẩm định dự toán, báo cáo UBND Thành phố trước ngày 30/9/2026.\n"
    )
    html = result_page(login(personas["tracker"], client), text=draft)
    assert 'id="nv-1-unsure"' in html and "Máy đọc chưa chắc: báo cáo." in html
    assert 'id="nv-2-unsure"' not in html


@pytest.mark.django_db
def test_former_unit_finding_names_the_successors_recorded_in_the_database(registry):
    """The shipped list knows no successor of huyện Ba Vì; once the City Office records the split (Unit.successors,
    as the merger/split page does), the checker's error names the wards and communes recorded."""
    from dondoc.drafting.checks import check_document
    from dondoc.drafting.extract import extract
    from dondoc.org.models import Unit

    doc = extract(
        "Hà Nội, ngày 10 tháng 7 năm 2025\n\n1. Giao UBND huyện Ba Vì rà soát trước ngày 30/9/2025.\n"
    )

    def finding() -> str:
        (found,) = [
            f for f in check_document(doc, heirs=registration.recorded_heirs()) if f.code == "former_unit"
        ]
        return found.message

    assert "chưa có trong danh mục đơn vị kế thừa" in finding()
    former = Unit.objects.get(name="UBND huyện Ba Vì")
    former.successors.add(*Unit.objects.filter(name__in=["UBND xã Ba Vì", "UBND xã Cổ Đô"]))
    message = finding()
    assert "giao cho một đơn vị kế thừa: UBND xã Ba Vì, UBND xã Cổ Đô" in message
