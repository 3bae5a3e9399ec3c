"""The periodic report: its documents opened and read back against the count function, its pages, its numbering,
its background generation and the automatic draft of the 20th."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from dondoc.evaluation import jobs, report, stats
from dondoc.evaluation import periods as pr
from dondoc.evaluation.report_models import ReportRun
from dondoc.org.models import Person
from dondoc.tracking import actions, secrecy
from dondoc.workdays import calendar
from tests.evaluation.lifecycle import complete
from tests.helpers import login, make_person, run_jobs, snv_report

pytestmark = pytest.mark.django_db

MARCH = pr.monthly(2026, 3)  # 15/02–14/03/2026
REF = date(2026, 3, 14)


@pytest.fixture
def on_20_march():
    with time_machine.travel("2026-03-20 09:00 +07:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def month(registry, personas, make_task, on_20_march):
    """Tasks around Tháng 3/2026 (15/02–14/03), seen on 14/03:

    Sở Xây dựng: on time (due 27/02, done 25/02), late (due 27/02, done 05/03), overdue (due 06/03), in deadline
    (due 14/03), overdue and secret (due 05/03); overdue at Tháng 2's cut-off too (due 10/02, done 20/02).
    Sở Y tế: overdue (due 02/03), on time (due 10/03, done 09/03); overdue at Tháng 1's cut-off (due 10/01, done
    03/02). Sở Tài chính: one open task with no deadline; late but finished before the cut-off in Tháng 2 (due
    05/02, done 12/02) and in Tháng 3 (due 27/02, done 05/03): never overdue at a cut-off.
    """
    syt_head = make_person("syt.truong", registry["SYT"], Person.Role.UNIT_HEAD, Person.Position.HEAD)
    tracker = personas["tracker"]
    t = {}
    t["on_time"] = complete(
        make_task(content="SXD đúng hạn", due_date=date(2026, 2, 27)), tracker, date(2026, 2, 25)
    )
    t["late"] = complete(
        make_task(content="SXD quá hạn đã xong", due_date=date(2026, 2, 27)), tracker, date(2026, 3, 5)
    )
    t["overdue"] = make_task(content="SXD quá hạn chưa xong", due_date=date(2026, 3, 6))
    t["in_deadline"] = make_task(content="SXD trong hạn", due_date=date(2026, 3, 14))
    t["secret"] = make_task(content="SXD bí mật quá hạn", due_date=date(2026, 3, 5), secret=True)
    t["feb_late"] = complete(
        make_task(content="SXD tháng 2 muộn", due_date=date(2026, 2, 10)), tracker, date(2026, 2, 20)
    )
    t["stc_feb_late"] = complete(
        make_task(content="STC tháng 2 muộn", lead="STC", coordinators=(), due_date=date(2026, 2, 5)),
        tracker,
        date(2026, 2, 12),
    )
    t["stc_mar_late"] = complete(
        make_task(content="STC tháng 3 muộn", lead="STC", coordinators=(), due_date=date(2026, 2, 27)),
        tracker,
        date(2026, 3, 5),
    )
    t["syt_overdue"] = make_task(
        content="SYT quá hạn", lead="SYT", coordinators=(), due_date=date(2026, 3, 2)
    )
    t["syt_on_time"] = complete(
        make_task(content="SYT đúng hạn", lead="SYT", coordinators=(), due_date=date(2026, 3, 10)),
        tracker,
        date(2026, 3, 9),
    )
    # Assigned in December (evaluation as of 14/01 counts only the tasks assigned by then).
    jan = make_task(
        content="SYT tháng 1 muộn", lead="SYT", coordinators=(), due_date=date(2026, 1, 10), assign=False
    )
    t["syt_jan_late"] = complete(
        actions.assign(jan, tracker.user, on=date(2025, 12, 20)), tracker, date(2026, 2, 3)
    )
    t["no_deadline"] = make_task(content="STC không thời hạn", lead="STC", coordinators=())
    t["syt_head"] = syt_head
    return t


def make_run(personas, **kw):
    run = report.new_run(MARCH, personas["tracker"].unit.__class__.objects.get(code="SNV"), ref=REF, **kw)
    return report.generate(run)


def ints(cells):
    """'1.234' → 1234, '85,7%' → 85.7, '—' → None."""
    out = []
    for text in cells:
        text = text.strip()
        if text == "—":
            out.append(None)
        elif text.endswith("%"):
            out.append(float(text[:-1].replace(",", ".")))
        else:
            out.append(int(text.replace(".", "")))
    return out


def expected(counts: stats.Counts):
    return [
        counts.due,
        counts.on_time,
        counts.late,
        counts.in_deadline,
        counts.overdue,
        counts.no_deadline,
        counts.completion_rate,
        counts.on_time_rate,
    ]


def docx_of(run) -> Document:
    with run.docx.open("rb") as f:
        return Document(io.BytesIO(f.read()))


def docx_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def table_with(doc, first_header: str, second_header: str):
    for table in doc.tables:
        head = [c.text.strip() for c in table.rows[0].cells]
        if len(head) > 1 and head[0] == first_header and head[1] == second_header:
            return table
    raise AssertionError(f"no table headed {first_header!r}, {second_header!r}")


# ------------------------------------------------------------------------------------------ the documents


def test_figures_match_hand_count(month, personas):
    """The fixture, counted by hand, as the report counts it (stats.evaluate on 14/03)."""
    ev = stats.evaluate(MARCH, stats.SYSTEM, ref=REF)
    city = ev.city
    assert (city.due, city.on_time, city.late, city.in_deadline, city.overdue) == (8, 2, 2, 1, 3)
    assert city.no_deadline == 1
    by_code = {r.unit.code: r.counts for r in ev.by_unit}
    assert (by_code["SXD"].due, by_code["SXD"].overdue, by_code["SXD"].late) == (5, 2, 1)
    assert (by_code["SYT"].due, by_code["SYT"].overdue, by_code["SYT"].on_time) == (2, 1, 1)


def test_docx_unit_table_is_the_count_function_exactly(month, personas):
    run = make_run(personas)
    assert run.status == ReportRun.Status.DRAFT and run.progress == 100, run.error
    doc = docx_of(run)
    ev = stats.evaluate(MARCH, stats.SYSTEM, ref=REF)
    table = table_with(doc, "STT", "Đơn vị")
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(body) == len(ev.by_unit) + 1  # every reporting unit, then the total
    for cells, row in zip(body, ev.by_unit, strict=False):
        assert cells[1] == row.unit.name
        assert cells[0] == (str(row.rank) if row.rank else "")
        assert ints(cells[2:]) == expected(row.counts)
    assert body[-1][1] == "Tổng cộng" and ints(body[-1][2:]) == expected(ev.city)
    authority = table_with(doc, "STT", "Cấp giao")
    rows = [[c.text for c in r.cells] for r in authority.rows[1:]]
    for cells, group in zip(rows, ev.by_authority, strict=False):
        assert cells[1] == group.label and ints(cells[2:]) == expected(group.counts)
    kind = table_with(doc, "STT", "Loại nhiệm vụ")
    rows = [[c.text for c in r.cells] for r in kind.rows[1:]]
    for cells, group in zip(rows, ev.by_kind, strict=False):
        assert cells[0] == group.key and ints(cells[2:]) == expected(group.counts)


def test_docx_has_the_decree_30_header_and_every_section(month, personas):
    doc = docx_of(make_run(personas))
    text = docx_text(doc)
    for part in (
        "UBND THÀNH PHỐ HÀ NỘI",
        "SỞ NỘI VỤ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "BÁO CÁO",
        "Số:      /BC-SNV",  # a draft is unnumbered
        "I. KẾT QUẢ CHUNG",
        "II. KẾT QUẢ THEO ĐƠN VỊ",
        "III. NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH",
        "IV. ĐƠN VỊ CHẬM MUỘN NHIỀU KỲ",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
        "tháng 3/2026",
        "từ ngày 15/02/2026 đến ngày 14/03/2026",
        "Nơi nhận:",
    ):
        assert part in text, part
    # No inspection in the period: the inspection section is omitted, not printed empty.
    assert "KIỂM TRA CÔNG VỤ" not in text


def test_overdue_section_lists_the_tasks_behind_the_number_with_their_heads(month, personas):
    doc = docx_of(make_run(personas))
    table = table_with(doc, "STT", "Văn bản giao")
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    behind = list(stats.tasks(stats.OVERDUE, MARCH, stats.SYSTEM, ref=REF))
    assert len(behind) == stats.evaluate(MARCH, stats.SYSTEM, ref=REF).city.overdue == 3
    # By deadline the plain ones: SYT 02/03, SXD 06/03; the secret one (05/03) gathered, undated, under its unit.
    assert [r[5] for r in rows] == ["02/03/2026", "06/03/2026", ""]
    assert rows[0][3] == "Sở Y tế" and rows[0][4] == month["syt_head"].full_name
    assert rows[1][3] == "Sở Xây dựng" and rows[1][4] == personas["lead_head"].full_name
    assert rows[2][1:] == ["Văn bản mật", "1 nhiệm vụ thuộc văn bản mật", "Sở Xây dựng", "", "", ""]
    assert "bí mật" not in docx_text(doc) and "05/03/2026" not in docx_text(doc)
    assert secrecy.masked(month["secret"].pk) not in docx_text(doc)  # not even its number: one line per unit
    # Working days overdue on 14/03 (a Saturday): 06/03 → 09–13/03 = 5.
    assert rows[1][6] == "5"
    assert rows[0][1].startswith("15/CT-UBND ngày 02/02/2026")


def test_units_late_repeatedly_are_those_overdue_in_two_of_three_periods(month, personas):
    """SXD: late in Tháng 2 (done 12/02 for 10/02) and Tháng 3; SYT: Tháng 1 (open on 14/01) and Tháng 3; STC
    never late. Rule: late (completed late or overdue, among tasks due) in ≥ 2 of the last 3 periods."""
    window, rows = report.repeated_lateness(MARCH, REF)
    assert [p.name for p in window] == ["Tháng 1/2026", "Tháng 2/2026", "Tháng 3/2026"]
    assert [(r.unit.code, r.per_period, r.late_periods) for r in rows] == [
        ("SXD", [0, 1, 2], 2),
        ("SYT", [1, 0, 1], 2),
    ]
    table = table_with(docx_of(make_run(personas)), "STT", "Đơn vị")  # the first one is section II's
    doc = docx_of(make_run(personas))
    repeated = [t for t in doc.tables if [c.text for c in t.rows[0].cells][-1] == "Số kỳ chậm"][0]
    assert [[c.text for c in r.cells] for r in repeated.rows[1:]] == [
        ["1", "Sở Xây dựng", "0", "1", "2", "2"],
        ["2", "Sở Y tế", "1", "0", "1", "2"],
    ]
    assert table is not repeated


def test_earlier_overdue_tasks_are_the_count_functions_overdue_over_earlier_deadlines(
    month, personas, make_task
):
    """Due before 15/02 and still open on 14/03: one open (due 10/02), one completed after the cut-off (due 10/01,
    done 20/03: still open on 14/03). Not: the fixture's tasks of January and February completed before 14/03."""
    make_task(content="Tháng 2 vẫn quá hạn", due_date=date(2026, 2, 10))
    complete(
        make_task(content="Tháng 1 xong sau kỳ", due_date=date(2026, 1, 10)),
        personas["tracker"],
        date(2026, 3, 20),
    )
    assert report.older_overdue(MARCH, REF) == 2
    earlier = pr.custom(date(2026, 1, 10), date(2026, 2, 14))
    assert stats.count(earlier, stats.SYSTEM, ref=REF)[None].overdue == 2  # the count function agrees
    text = docx_text(docx_of(make_run(personas)))
    assert "Ngoài ra, còn 2 nhiệm vụ có thời hạn trước ngày 15/02/2026 vẫn quá hạn chưa hoàn thành." in text


def test_no_earlier_overdue_sentence_when_there_are_none(month, personas):
    assert report.older_overdue(MARCH, REF) == 0
    assert "Ngoài ra" not in docx_text(docx_of(make_run(personas)))


def test_a_unit_late_in_one_period_only_is_not_late_repeatedly(registry, personas, make_task, on_20_march):
    make_task(content="Chỉ quá hạn tháng 3", due_date=date(2026, 3, 2))
    _window, rows = report.repeated_lateness(MARCH, REF)
    assert rows == []


def test_default_proposals_name_the_units_late_repeatedly_and_typed_ones_replace_them(month, personas):
    text = docx_text(docx_of(make_run(personas)))
    assert "kiểm điểm trách nhiệm" in text and "Sở Xây dựng, Sở Y tế" in text
    typed = docx_text(docx_of(make_run(personas, proposals="Đề nghị A.\nĐề nghị B.")))
    assert "Đề nghị A." in typed and "Đề nghị B." in typed and "kiểm điểm trách nhiệm" not in typed


def test_pdf_is_rendered_and_its_text_has_the_figures(month, personas):
    run = make_run(personas)
    with run.pdf.open("rb") as f:
        raw = f.read()
    assert raw.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(raw))
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", " ", text)
    for part in ("BÁO CÁO", "SỞ NỘI VỤ", "KẾT QUẢ THEO ĐƠN VỊ", "Sở Xây dựng", "Sở Y tế", "/BC-SNV"):
        assert part in flat, part
    ev = stats.evaluate(MARCH, stats.SYSTEM, ref=REF)
    assert f"có {ev.city.due} nhiệm vụ đến hạn" in flat
    assert f"quá hạn chưa hoàn thành {ev.city.overdue} nhiệm vụ" in flat


def test_pdf_overdue_table_never_breaks_a_date_across_lines(month, personas):
    """Issue 20, point 3: "16/11/20 / 26" in a column too narrow for a date. Each date of the overdue table (the
    deadline and the assigning document's date) must come out of the PDF's text whole."""
    run = make_run(personas)
    with run.pdf.open("rb") as f:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(f.read())).pages)
    rows = run.figures["overdue"]
    assert rows
    for row in rows:
        for day in (row["due_date"], row["issued_on"]):
            assert re.search(rf"(?<![\d/]){re.escape(day)}(?![\d/])", text), day
    assert not re.search(r"\b\d{2}/\d{2}/\d{2}\s*\n\s*\d{2}\b", text)


def test_xlsx_appendix_has_the_same_tables_as_numbers(month, personas):
    run = make_run(personas)
    with run.xlsx.open("rb") as f:
        wb = load_workbook(io.BytesIO(f.read()))
    ev = stats.evaluate(MARCH, stats.SYSTEM, ref=REF)
    ws = wb["Theo đơn vị"]
    assert ws.freeze_panes == "A2"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], list(r[2:])) for r in rows] == [
        (u.rank, u.unit.name, expected(u.counts)) for u in ev.by_unit
    ]
    city = list(wb["Toàn Thành phố"].iter_rows(min_row=2, values_only=True))
    assert list(city[0][2:]) == expected(ev.city)
    authority = list(wb["Theo cấp giao"].iter_rows(min_row=2, values_only=True))
    assert [list(r[2:]) for r in authority] == [expected(g.counts) for g in ev.by_authority]
    overdue = wb["Nhiệm vụ quá hạn"]
    listed = list(overdue.iter_rows(min_row=2))
    assert len(listed) == ev.city.overdue == 3  # two plain rows, one line for the unit's secret task
    assert [c.value for c in listed[2][3:5]] == ["1 nhiệm vụ thuộc văn bản mật", "Sở Xây dựng"]
    assert listed[0][6].number_format == "DD/MM/YYYY" and listed[0][6].value.date() == date(2026, 3, 2)
    repeated = list(wb["Chậm muộn nhiều kỳ"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in repeated] == ["Sở Xây dựng", "Sở Y tế"]


def test_city_office_as_issuer_changes_the_header_and_symbol(month, personas, registry):
    run = report.new_run(MARCH, registry["VPUBND"], ref=REF)
    run = report.generate(run)
    text = docx_text(docx_of(run))
    assert "VĂN PHÒNG" in text and "Số:      /BC-VP" in text and "SỞ NỘI VỤ" not in text


def test_issuing_numbers_the_drafted_text_in_the_register(month, personas, client):
    run = make_run(personas)
    c = login(personas["inspector"], client)
    response = c.post(reverse("evaluation:report_issue", args=[run.pk]), {"confirm": "1"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ReportRun.Status.ISSUED and run.document.notation == "01/BC-SNV"
    assert run.document.issued_on == date(2026, 3, 20)
    issued = c.get(reverse("evaluation:report_download", args=[run.pk, "docx"]))
    assert (
        issued["Content-Disposition"].startswith("attachment;") and "so-01" in issued["Content-Disposition"]
    )
    text = docx_text(Document(io.BytesIO(b"".join(issued.streaming_content))))
    assert "Số: 01/BC-SNV" in text and "ngày 20 tháng 3 năm 2026" in text
    second = make_run(personas)
    c.post(reverse("evaluation:report_issue", args=[second.pk]), {"confirm": "1"})
    second.refresh_from_db()
    assert second.document.notation == "02/BC-SNV"
    # Issued once: a second click is refused in Vietnamese, nothing renumbered.
    for data in ({"confirm": "1"}, {}):
        again = c.post(reverse("evaluation:report_issue", args=[run.pk]), data)
        assert again.status_code == 400 and "dự thảo" in again.content.decode()
    run.refresh_from_db()
    assert run.document.notation == "01/BC-SNV"


def test_issuing_asks_for_confirmation_then_the_status_names_the_number_and_date(month, personas, client):
    """Issue 20, point 6: a report takes a register number that is never given back; once issued, the page reads
    "Đã ban hành số …, ngày …", not "Đã ban hành — Đã tạo xong dự thảo"."""
    run = make_run(personas)
    c = login(personas["inspector"], client)
    url = reverse("evaluation:report_issue", args=[run.pk])
    asked = c.post(url)
    page = asked.content.decode()
    assert asked.status_code == 200 and "Số đã cấp không thu hồi được." in page
    assert 'name="confirm" value="1"' in page and "Sở Nội vụ, ghi ngày 20/03/2026" in page
    assert "<script>" not in page  # server-rendered, CSP-clean: no inline script
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DRAFT and run.document is None
    assert c.post(url, {"confirm": "1"}).status_code == 302
    detail = c.get(reverse("evaluation:report_detail", args=[run.pk])).content.decode()
    flat = re.sub(r"<[^>]+>", "", detail)
    assert "Trạng thái: Đã ban hành số 01/BC-SNV, ngày 20/03/2026" in flat
    assert "Đã tạo xong dự thảo" not in flat
    listing = re.sub(r"<[^>]+>", "", c.get(reverse("evaluation:report_list")).content.decode())
    assert "Đã ban hành số 01/BC-SNV, ngày 20/03/2026" in listing


# ------------------------------------------------------------------------------------------ pages


def test_report_pages_by_persona(month, personas, client):
    run = make_run(personas)
    urls = [
        reverse("evaluation:report_list"),
        reverse("evaluation:report_detail", args=[run.pk]),
        reverse("evaluation:report_progress", args=[run.pk]),
        reverse("evaluation:report_download", args=[run.pk, "pdf"]),
    ]
    for name in ("tracker", "leader", "inspector"):
        c = login(personas[name], client)
        assert [c.get(u).status_code for u in urls] == [200] * 4, name
    for name in ("lead_officer", "lead_head", "other_officer"):
        c = login(personas[name], client)
        assert [c.get(u).status_code for u in urls] == [403] * 4, name
        assert c.get(reverse("evaluation:report_new")).status_code == 403
    assert login(personas["leader"], client).get(reverse("evaluation:report_new")).status_code == 403


def test_downloads_are_attachments_of_the_right_type(month, personas, client):
    run = make_run(personas)
    c = login(personas["tracker"], client)
    for fmt, magic in (("docx", b"PK"), ("pdf", b"%PDF"), ("xlsx", b"PK")):
        response = c.get(reverse("evaluation:report_download", args=[run.pk, fmt]))
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content).startswith(magic)
    assert c.get(reverse("evaluation:report_download", args=[run.pk, "exe"])).status_code == 404


def test_form_makes_a_small_report_at_once(month, personas, client, registry):
    c = login(personas["inspector"], client)
    form = c.get(reverse("evaluation:report_new"))
    assert form.status_code == 200
    assert form.context["form"].initial["number"] == 3  # Tháng 3/2026 is the last complete month on 20/03
    response = c.post(
        reverse("evaluation:report_new"),
        {
            "period_kind": "thang",
            "year": "2026",
            "number": "3",
            "issuer": registry["SNV"].pk,
            "proposals": "Kiến nghị X.",
        },
    )
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert run.status == ReportRun.Status.DRAFT and run.reference_date == REF
    assert (run.period_start, run.period_end) == (MARCH.start, MARCH.end)
    page = c.get(run.get_absolute_url()).content.decode()
    assert "hx-trigger" not in page and "Tải DOCX" in page


@pytest.mark.parametrize(
    "data, field, words",
    [
        ({"period_kind": "thang", "year": "2026", "number": "13"}, "number", "từ 1 đến 12"),
        ({"period_kind": "quy", "year": "2026", "number": "5"}, "number", "từ 1 đến 4"),
        ({"period_kind": "thang", "year": "abc", "number": "3"}, "year", "Năm phải là số"),
        ({"period_kind": "tuan", "year": "2026", "number": "3"}, "period_kind", "không hợp lệ"),
        ({"period_kind": "tuy_chon", "start": "10/03/2026", "end": "01/03/2026"}, "end", "phải sau"),
        ({"period_kind": "tuy_chon", "start": "32/01/2026", "end": "01/03/2026"}, "start", "dd/mm/yyyy"),
        (
            {"period_kind": "thang", "year": "2026", "number": "3", "reference_date": "21/03/2026"},
            "reference_date",
            "sau ngày hôm nay",
        ),
        (
            {"period_kind": "thang", "year": "2026", "number": "3", "issuer": "999999"},
            "issuer",
            "Sở Nội vụ hoặc Văn phòng",
        ),
    ],
)
def test_bad_report_request_is_refused_in_vietnamese(month, personas, client, registry, data, field, words):
    c = login(personas["inspector"], client)
    payload = {"issuer": registry["SNV"].pk, **data}
    response = c.post(reverse("evaluation:report_new"), payload)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and words in " ".join(errors[field]), errors
    assert ReportRun.objects.count() == 0


def test_future_period_is_refused(month, personas, client, registry):
    c = login(personas["inspector"], client)
    response = c.post(
        reverse("evaluation:report_new"),
        {"period_kind": "thang", "year": "2026", "number": "6", "issuer": registry["SNV"].pk},
    )
    assert response.status_code == 400 and "chưa bắt đầu" in response.content.decode()


# ------------------------------------------------------------------------------------------ background


def test_large_report_runs_in_the_background_with_progress(
    month, personas, client, registry, settings, monkeypatch
):
    settings.REPORT_INLINE_MAX_TASKS = 0  # everything counts as large
    c = login(personas["tracker"], client)
    c.post(
        reverse("evaluation:report_new"),
        {"period_kind": "thang", "year": "2026", "number": "3", "issuer": registry["SNV"].pk},
    )
    run = ReportRun.objects.get()
    assert run.status == ReportRun.Status.QUEUED
    progress_url = reverse("evaluation:report_progress", args=[run.pk])
    page = c.get(run.get_absolute_url()).content.decode()
    assert f'hx-get="{progress_url}"' in page and 'hx-trigger="every 2s"' in page
    assert "<script>" not in page and "style=" not in page

    seen = []
    step = report._step

    def record(run, progress, stage):
        step(run, progress, stage)
        seen.append(ReportRun.objects.get(pk=run.pk).progress)  # what a poller would read now

    monkeypatch.setattr(report, "_step", record)
    run_jobs()  # the worker (`dondoc worker`), in-process
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DRAFT and run.progress == 100
    assert seen == sorted(seen) and seen[0] < 50 < seen[-1] < 100
    fragment = c.get(progress_url).content.decode()
    assert "hx-trigger" not in fragment and "Tải PDF" in fragment  # polling stops once finished


def test_a_run_is_generated_once_however_often_its_job_runs(month, personas, registry):
    run = report.new_run(MARCH, registry["SNV"], ref=REF)
    report.queue(run)
    run_jobs()
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DRAFT
    files, finished = run.docx.name, run.finished_at
    report.queue(run)  # a second attempt (a job queued twice): the run is no longer queued, nothing is redone
    run_jobs()
    run.refresh_from_db()
    assert (run.status, run.docx.name, run.finished_at) == (ReportRun.Status.DRAFT, files, finished)
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["SUCCESSFUL", "SUCCESSFUL"]


def test_a_failed_run_keeps_its_error(month, personas, registry, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(report, "render_appendix", broken)
    run = report.generate(report.new_run(MARCH, registry["SNV"], ref=REF))
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED and "hỏng" in run.error and not run.xlsx


def test_a_failed_background_run_is_retried_with_backoff_then_shows_why(
    month, on_20_march, personas, registry, client, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("hết chỗ trên đĩa")

    monkeypatch.setattr(report, "render_appendix", broken)
    run = report.new_run(MARCH, registry["SNV"], ref=REF)
    report.queue(run)
    c = login(personas["tracker"], client)
    progress_url = reverse("evaluation:report_progress", args=[run.pk])
    run_jobs()
    run.refresh_from_db()
    assert (run.status, run.progress) == (ReportRun.Status.QUEUED, 0)
    waiting = "Lần 1 không thành công: Lỗi hệ thống (RuntimeError: hết chỗ trên đĩa). Sẽ thử lại lúc 09:01 20/03/2026."
    assert run.stage == waiting
    fragment = c.get(progress_url).content.decode()
    assert waiting in fragment and 'hx-trigger="every 2s"' in fragment  # still polled: it will be tried again
    on_20_march.shift(60)
    run_jobs()
    run.refresh_from_db()
    assert run.stage.startswith("Lần 2 không thành công") and run.stage.endswith("09:06 20/03/2026.")
    on_20_march.shift(5 * 60)
    run_jobs()
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED
    assert run.error == "Lỗi hệ thống (RuntimeError: hết chỗ trên đĩa)"
    fragment = c.get(progress_url).content.decode()
    assert "Không tạo được báo cáo: Lỗi hệ thống (RuntimeError: hết chỗ trên đĩa)" in fragment
    assert "hx-trigger" not in fragment  # polling stops


# ------------------------------------------------------------------------------------------ the 20th


@pytest.mark.parametrize(
    "year, month_no, day",
    [
        (2026, 3, date(2026, 3, 20)),  # a Friday
        (2026, 6, date(2026, 6, 22)),  # Saturday 20/06 → Monday 22/06
        (2026, 9, date(2026, 9, 21)),  # Sunday 20/09 → Monday 21/09
        (2026, 2, date(2026, 2, 23)),  # 20/02 falls in the Tết break (14–22/02) → Monday 23/02
    ],
)
def test_preparation_day_is_the_20th_or_next_working_day(registry, year, month_no, day):
    assert jobs.preparation_day(year, month_no, calendar.current()) == day


def test_monthly_job_prepares_one_draft_on_the_working_day_after_a_saturday_20th(
    personas, registry, make_task
):
    inspector = personas["inspector"]
    with time_machine.travel("2026-06-19 08:00 +07:00", tick=False):
        jobs.monthly_report_job(date(2026, 6, 19))  # Friday: not yet
        assert ReportRun.objects.count() == 0
    with time_machine.travel("2026-06-22 08:00 +07:00", tick=False):
        jobs.monthly_report_job(date(2026, 6, 22))
        run = ReportRun.objects.get()
        assert run.automatic and run.issuer.code == "SNV"
        assert (run.period_start, run.period_end) == (date(2026, 5, 15), date(2026, 6, 14))
        assert run.reference_date == date(2026, 6, 14)
        assert run.status == ReportRun.Status.QUEUED  # a job of the queue, not the engine's work
        run_jobs()
        run.refresh_from_db()
        assert run.status == ReportRun.Status.DRAFT and run.progress == 100
        assert _reminders().filter(recipient=inspector).count() == 1
        reminded = _reminders().count()
        jobs.monthly_report_job(date(2026, 6, 22))  # the same day again (a retry, a second engine)
        jobs.monthly_report_job(date(2026, 6, 23))  # and the next day
        assert ReportRun.objects.count() == 1
        assert _reminders().count() == reminded  # reminded once
        # even called directly: the unique key refuses a second reminder
        assert jobs.remind(run, date(2026, 6, 22)) == 0


def test_monthly_job_catches_up_when_the_engine_missed_the_day(personas, registry):
    with time_machine.travel("2026-03-24 08:00 +07:00", tick=False):
        jobs.monthly_report_job(date(2026, 3, 24))
    assert ReportRun.objects.filter(automatic=True, period_end=date(2026, 3, 14)).count() == 1


def test_monthly_job_reminds_sno_noi_vu_in_app_with_a_link_to_the_draft(personas, registry, client):
    snv_head = make_person(
        "snv.giamdoc", registry["SNV"], Person.Role.UNIT_HEAD, Person.Position.HEAD, email="gd@snv.vn"
    )
    inspector = personas["inspector"]
    inspector.email = "tt@snv.vn"
    inspector.save()
    with time_machine.travel("2026-03-20 08:00 +07:00", tick=False):
        jobs.monthly_report_job(date(2026, 3, 20))
    run = ReportRun.objects.get(automatic=True)
    people = report.responsible_people(registry["SNV"])
    assert {p.pk for p in people} == {snv_head.pk, inspector.pk}
    notes = list(_reminders())
    assert {n.recipient_id for n in notes} == {snv_head.pk, inspector.pk}  # nobody else (not Sở Y tế, ...)
    link = reverse("evaluation:report_detail", args=[run.pk])
    for n in notes:
        assert n.task is None and n.link == link and n.url == link
        assert "trước ngày 25/03/2026" in n.body and n.deadline == date(2026, 3, 25)
        assert n.email_state == "pending"  # both have an address: one e-mail each, sent by the engine
    client.force_login(inspector.user)
    page = client.get(reverse("followup:inbox")).content.decode()
    assert f'href="{link}"' in page and "Dự thảo báo cáo kết quả thực hiện nhiệm vụ tháng 3/2026" in page


def _reminders():
    from dondoc.followup.models import Notification

    return Notification.objects.filter(task__isnull=True, rule_code__startswith=jobs.REMINDER_RULE + ":")


def test_monthly_job_is_registered_with_the_engine(settings):
    assert "dondoc.evaluation.jobs.monthly_report_job" in settings.DONDOC_DAILY_JOBS


def test_long_tables_are_written_with_the_renderers_own_row_xml(registry):
    """render_report_docx clones the renderer's row for long tables: the same XML as render_docx, row for row."""
    from docx import Document as open_docx

    from dondoc.documents import layout as L
    from dondoc.documents.render import render_docx

    rows = [[str(i), f"Đơn vị {i} & <con>", "" if i % 7 else "Dòng\nhai", f"{i * 3}"] for i in range(1, 121)]
    table = L.Table(
        header=["STT", "Đơn vị", "Ghi chú", "Số"], rows=rows, align=["center", "left", "left", "right"]
    )
    doc = snv_report(None, title="Thử", blocks=[L.Paragraph("Mở đầu"), table, L.Paragraph("Kết")])
    fast = open_docx(io.BytesIO(report.render_report_docx(doc)))
    slow = open_docx(io.BytesIO(render_docx(doc)))
    fast_rows = [[c.text for c in r.cells] for r in fast.tables[1].rows]
    slow_rows = [[c.text for c in r.cells] for r in slow.tables[1].rows]
    assert len(fast_rows) == 121 and fast_rows[0] == ["STT", "Đơn vị", "Ghi chú", "Số"]
    assert fast_rows[5] == slow_rows[5] == ["5", "Đơn vị 5 & <con>", "", "15"]
    assert fast_rows[7][2] == "Dòng hai"  # a line break in a cell becomes a space
    assert fast_rows == [[t.replace("\n", " ") for t in r] for r in slow_rows]
    for i in (1, 3, 50, 120):  # same properties, fonts, widths; no run in an empty cell
        assert fast.tables[1].rows[i]._tr.xml == slow.tables[1].rows[i]._tr.xml
    assert [p.text for p in fast.paragraphs] == [p.text for p in slow.paragraphs]


# ------------------------------------------------------------------------------------------ reports that never change


def page_tables(html: str) -> dict[str, dict[str, list[str]]]:
    """The figures tables of a page (the dashboard's or the report's, same markup): {table id: {row label: cells}}
    — every cell after the label (counts, rates, days)."""
    from lxml import html as lhtml

    tree = lhtml.fromstring(html)
    out: dict[str, dict[str, list[str]]] = {}
    for table in tree.xpath("//table[@id]"):
        rows = {}
        for tr in table.xpath("./tbody/tr[th]"):
            label = tr.xpath("./th")[0].text_content().strip()
            rows[label] = [td.text_content().strip() for td in tr.xpath("./th/following-sibling::td")]
        out[table.get("id")] = rows
    return out


def downloads(client, run) -> dict[str, bytes]:
    out = {}
    for fmt in ("docx", "pdf", "xlsx"):
        response = client.get(reverse("evaluation:report_download", args=[run.pk, fmt]))
        assert response.status_code == 200
        out[fmt] = b"".join(response.streaming_content)
    return out


def test_issued_report_shows_the_figures_it_printed_after_the_tasks_change(month, personas, client):
    """Issue T3/2026 (figures to 14/03), then complete a task with a result dated 13/03, approve an extension and
    cancel a task: the report's page and its three files still show what was signed."""
    run = make_run(personas)
    c = login(personas["inspector"], client)
    assert c.post(reverse("evaluation:report_issue", args=[run.pk]), {"confirm": "1"}).status_code == 302
    page = c.get(reverse("evaluation:report_detail", args=[run.pk])).content.decode()
    before = page_tables(page)
    city = before["bang-thanh-pho"]["Toàn Thành phố"]
    # due, on time, late, within, overdue, no deadline, extended (the hand count of test_figures_match_hand_count)
    assert city[:7] == ["8", "2", "2", "1", "3", "1", "0"]
    assert before["bang-don-vi"]["Sở Xây dựng"][:5] == ["5", "1", "1", "1", "2"]
    files = downloads(c, run)
    doc_before = [[cell.text for cell in row.cells] for row in table_with(docx_of(run), "STT", "Đơn vị").rows]

    complete(
        month["in_deadline"], personas["tracker"], date(2026, 3, 13)
    )  # a result dated before the cut-off
    extend_and_cancel(month, personas)
    recount = stats.evaluate(MARCH, stats.SYSTEM, ref=REF).city
    assert (recount.on_time, recount.in_deadline) == (3, 0)  # what a recount on 14/03 would now print

    page = c.get(reverse("evaluation:report_detail", args=[run.pk])).content.decode()
    assert page_tables(page) == before
    assert "Trạng thái: " in page and "Đã tạo xong dự thảo" not in page
    assert downloads(c, run) == files
    run.refresh_from_db()
    doc_after = [[cell.text for cell in row.cells] for row in table_with(docx_of(run), "STT", "Đơn vị").rows]
    assert doc_after == doc_before
    assert run.figures["tasks"][stats.IN_DEADLINE] == [month["in_deadline"].pk]
    # the tasks behind the overdue number, by deadline, as they were on 14/03
    assert run.figures["tasks"][stats.OVERDUE] == [month[k].pk for k in ("syt_overdue", "secret", "overdue")]


def extend_and_cancel(month, personas) -> None:
    """After the report's cut-off: Sở Xây dựng's overdue task gets a new deadline (30/04), Sở Y tế's is withdrawn."""
    from dondoc.tracking import actions
    from dondoc.tracking.models import Task

    task = month["overdue"]
    actions.request_change(
        task, personas["lead_officer"].user, reason="Chờ ý kiến Bộ", proposed_due_date=date(2026, 4, 30)
    )
    actions.decide_change(
        Task.objects.get(pk=task.pk), personas["leader"].user, approve=True, decision_document="99/UBND-KT"
    )
    actions.cancel(
        Task.objects.get(pk=month["syt_overdue"].pk), personas["leader"].user, reason="Không còn cần"
    )


def test_redrafting_the_same_period_and_date_gives_the_same_figures(month, personas):
    """A result dated after the cut-off (16/03) changes nothing in a draft of T3/2026 to 14/03."""
    first = make_run(personas)
    complete(month["in_deadline"], personas["tracker"], date(2026, 3, 16))
    second = make_run(personas)
    assert second.figures == first.figures
    assert second.content["blocks"] == first.content["blocks"]


def test_redrafting_after_later_decisions_gives_the_same_figures(month, personas):
    """An extension approved and a task withdrawn after the cut-off change nothing in a draft to 14/03."""
    first = make_run(personas)
    extend_and_cancel(month, personas)
    second = make_run(personas)
    assert second.figures == first.figures


def test_report_page_links_to_the_dashboard_at_its_period_and_date_and_they_agree(month, personas, client):
    """The inspector (not cleared for secret documents) opens the report, follows its link to the dashboard: T3/2026
    seen on 14/03, and every figure of every table is the same (the secret overdue task counted in both)."""
    run = make_run(personas)
    c = login(personas["inspector"], client)
    page = c.get(reverse("evaluation:report_detail", args=[run.pk])).content.decode()
    from lxml import html as lhtml

    link = lhtml.fromstring(page).get_element_by_id("xem-thong-ke").get("href")
    assert link == "/danh-gia/?loai_ky=thang&ky=2026-3&ngay=14/03/2026"
    dashboard = c.get(link)
    assert dashboard.status_code == 200
    board, frozen = page_tables(dashboard.content.decode()), page_tables(page)
    for table in ("bang-don-vi", "bang-cap-giao", "bang-loai"):
        assert board[table] == frozen[table], table
    cards = [cell.value for cell, _label, _css in dashboard.context["data"].cards]
    assert [str(v) for v in cards] == frozen["bang-thanh-pho"]["Toàn Thành phố"][:7]
    assert cards[:5] == [8, 2, 2, 1, 3]
