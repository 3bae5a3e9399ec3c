"""Spreadsheet import: the template, a good file, a file with bad rows, the same file twice."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from openpyxl import load_workbook

from dondoc.api import spreadsheet
from dondoc.directives.models import Directive
from dondoc.tracking.models import Task
from tests.api.helpers import GOOD_ROWS, upload_sheet, xlsx

pytestmark = pytest.mark.django_db


def test_template_has_vietnamese_headers_and_an_example_that_imports(frozen, office, registry, personas):
    response = office.get("/api/nhap/mau.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["Nhiệm vụ"][1]] == spreadsheet.HEADERS
    assert "Hướng dẫn" in wb.sheetnames
    result = spreadsheet.plan(response.content, personas["tracker"].user)
    assert result.errors == [] and result.new_tasks == 1


def test_good_file_previews_then_imports_in_one_go(frozen, office, directive, registry):
    preview = upload_sheet(office, xlsx(GOOD_ROWS))
    assert preview.status_code == 200, preview.content.decode()
    html = preview.content.decode()
    assert "1 văn bản mới, 3 nhiệm vụ mới" in html
    assert Task.objects.count() == 0  # nothing written by the preview
    done = office.post("/api/nhap/xac-nhan/")
    assert done.status_code == 302
    new = Directive.objects.get(number=27)
    assert new.issued_on == date(2026, 3, 5) and new.authority == "city_committee"
    tasks = {t.clause: t for t in Task.objects.all()}
    assert tasks["1"].lead_unit == registry["SXD"] and tasks["1"].directive == new
    assert {c.code for c in tasks["1"].coordinating_units.all()} == {"STC", "SNV"}
    assert tasks["1"].due_date == date(2026, 3, 31) and tasks["1"].must_report
    assert tasks["2"].lead_unit == registry["SYT"] and tasks["2"].must_submit
    assert tasks["2"].due_date == date(2026, 3, 19)  # 10 working days after 05/03/2026
    assert tasks["3"].directive == directive  # the directive already in the register is reused
    assert tasks["3"].report_day_of_month == 25
    assert all(t.state == "draft" for t in tasks.values())
    assert all(t.events.filter(action="create").count() == 1 for t in tasks.values())


def test_file_with_bad_rows_imports_nothing_and_reports_every_row(frozen, office, registry, personas):
    bad = [
        GOOD_ROWS[0],
        [*GOOD_ROWS[1][:7], "Sở Xây dựng; Sở Y tế", *GOOD_ROWS[1][8:]],  # two lead units
        [*GOOD_ROWS[1][:1], "31/02/2026", *GOOD_ROWS[1][2:]],  # no such date
        [*GOOD_ROWS[1][:7], "Sở Không Có", *GOOD_ROWS[1][8:]],  # unknown unit
        [*GOOD_ROWS[1][:7], "", *GOOD_ROWS[1][8:]],  # no lead unit
        [*GOOD_ROWS[0][:9], "hôm qua", *GOOD_ROWS[0][10:]],  # unreadable deadline
        [*GOOD_ROWS[0][:8], "Sở Xây dựng", *GOOD_ROWS[0][9:]],  # lead is also a coordinator
        ["không số", *GOOD_ROWS[0][1:]],
    ]
    response = upload_sheet(office, xlsx(bad))
    assert response.status_code == 400
    result = spreadsheet.plan(xlsx(bad), personas["tracker"].user)
    reasons = {e.row: e.message for e in result.errors}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9]
    assert "đúng một đơn vị chủ trì" in reasons[3]
    assert "Ngày ban hành" in reasons[4]
    assert "không tìm thấy đơn vị «Sở Không Có»" in reasons[5]
    assert "phải có một đơn vị chủ trì" in reasons[6]
    assert "Thời hạn hoàn thành" in reasons[7]
    assert "không thể đồng thời là đơn vị phối hợp" in reasons[8]
    assert "Số, ký hiệu" in reasons[9]
    html = response.content.decode()
    assert "7 dòng sai" in html and "Xác nhận nhập" not in html
    assert office.post("/api/nhap/xac-nhan/").status_code == 302  # nothing stashed: back to the form
    assert Task.objects.count() == 0 and not Directive.objects.filter(number=27).exists()


def test_same_file_twice_creates_no_duplicates(frozen, office, directive, personas):
    content = xlsx(GOOD_ROWS)
    first = spreadsheet.run(content, personas["tracker"].user)
    assert (first.new_directives, first.new_tasks) == (1, 3)
    upload_sheet(office, content)
    second_preview = upload_sheet(office, content).content.decode()
    assert "0 văn bản mới, 0 nhiệm vụ mới" in second_preview
    assert office.post("/api/nhap/xac-nhan/").status_code == 302
    assert Task.objects.count() == 3 and Directive.objects.filter(number=27).count() == 1


def test_same_task_twice_in_one_file_is_created_once(frozen, personas, directive):
    result = spreadsheet.run(xlsx([GOOD_ROWS[2], GOOD_ROWS[2]]), personas["tracker"].user)
    assert result.errors == []
    assert Task.objects.count() == 1


def test_not_a_spreadsheet_or_wrong_headers(frozen, office):
    response = upload_sheet(office, b"PK\x03\x04 not really")
    assert response.status_code == 400
    assert "không phải bảng tính Excel" in response.content.decode()
    wrong = upload_sheet(office, xlsx([["a"]], headers=["Cột lạ"]))
    assert "Thiếu cột" in wrong.content.decode()


def test_only_the_city_office_imports(frozen, personas):
    client = Client()
    client.force_login(personas["lead_officer"].user)
    assert client.get("/api/nhap/").status_code == 403
    assert client.post("/api/nhap/", {"file": io.BytesIO(xlsx(GOOD_ROWS))}).status_code == 403
    assert Task.objects.count() == 0


def test_menu_offers_import_to_the_city_office_only(frozen, office, personas):
    assert "Nhập từ Excel" in office.get("/api/khoa/").content.decode()
    client = Client()
    client.force_login(personas["lead_officer"].user)
    page = client.get("/api/khoa/").content.decode()
    assert "Nhập từ Excel" not in page and "Khóa API" in page


# ------------------------------------------------------------------------------- the task tree (issue 15)

GOV = ["25/NQ-CP", "05/02/2026", "CP", "Chính phủ", "Nghị quyết về thúc đẩy tăng trưởng"]
TREE_ROWS = [
    [*GOV, "1", "Đẩy mạnh giải ngân vốn đầu tư công", "VPUBND", "", "31/03/2026", "", "", "", "", ""],
    [*GOV, "1.a", "Giải ngân vốn của Sở Xây dựng", "SXD", "STC", "20/03/2026", "", "", "", "", "2"],
    [*GOV, "1.b", "Giải ngân vốn của Sở Y tế", "SYT", "", "31/03/2026", "", "", "", "", "2"],
]  # fmt: skip


def test_parent_column_makes_children_of_the_row_it_names(frozen, personas, registry):
    result = spreadsheet.run(xlsx(TREE_ROWS), personas["tracker"].user)
    assert result.errors == [] and result.new_tasks == 3
    tasks = {t.clause: t for t in Task.objects.all()}
    assert (
        tasks["1.a"].parent == tasks["1"] and tasks["1.b"].parent == tasks["1"] and tasks["1"].parent is None
    )
    assert tasks["1"].directive.authority == "government" and tasks["1.a"].directive == tasks["1"].directive
    tasks["1"].refresh_from_db()
    assert not tasks["1"].has_issued_children  # imported as drafts: split once a child is issued
    # the same file again creates nothing; a new child of the parent already there is attached to it
    more = [*TREE_ROWS, [*GOV, "1.c", "Giải ngân vốn của Sở Tài chính", "STC", "", "", "", "", "", "", "2"]]
    again = spreadsheet.plan(xlsx(more), personas["tracker"].user)
    assert [e.message for e in again.errors] == [
        "Nhiệm vụ cha: Nhiệm vụ cha có thời hạn 31/03/2026: nhiệm vụ con phải có thời hạn hoàn thành, "
        "không sau ngày đó."
    ]
    more[-1][9] = "30/03/2026"
    second = spreadsheet.run(xlsx(more), personas["tracker"].user)
    assert second.errors == [] and second.new_tasks == 1
    assert Task.objects.get(clause="1.c").parent == tasks["1"]


def test_bad_parent_rows_are_reported_in_vietnamese_and_nothing_is_imported(frozen, personas, registry):
    bad = [
        *TREE_ROWS,
        [*GOV, "1.d", "Con muộn", "SNV", "", "02/04/2026", "", "", "", "", "2"],  # after the parent's deadline
        [*GOV, "1.e", "Cháu", "SNV", "", "20/03/2026", "", "", "", "", "3"],  # row 3 is already a child
        [*GOV, "1.f", "Con dòng dưới", "SNV", "", "20/03/2026", "", "", "", "", "20"],  # not a row above
        [*GOV, "1.g", "Con không số", "SNV", "", "20/03/2026", "", "", "", "", "hai"],
        ["27/KH-UBND", "05/03/2026", "H26", "UBND Thành phố", "Kế hoạch", "1", "Khác văn bản", "SXD", "",
         "20/03/2026", "", "", "", "", "2"],
    ]  # fmt: skip
    result = spreadsheet.run(xlsx(bad), personas["tracker"].user)
    reasons = {e.row: e.message for e in result.errors}
    assert sorted(reasons) == [5, 6, 7, 8, 9]
    assert reasons[5] == (
        "Nhiệm vụ cha: Thời hạn hoàn thành của nhiệm vụ con (02/04/2026) không được sau thời hạn của nhiệm vụ "
        "cha (31/03/2026)."
    )
    assert "dòng 3 đã là nhiệm vụ con" in reasons[6]
    assert "dòng 20 không phải là một nhiệm vụ hợp lệ ở phía trên dòng 7" in reasons[7]
    assert "«hai» không phải là số dòng" in reasons[8]
    assert "thuộc văn bản khác" in reasons[9]
    assert Task.objects.count() == 0


def test_a_file_from_the_older_template_without_the_parent_column_still_imports(frozen, personas, directive):
    headers = [h for h in spreadsheet.HEADERS if not h.startswith("Nhiệm vụ cha")]
    result = spreadsheet.run(xlsx(GOOD_ROWS, headers), personas["tracker"].user)
    assert result.errors == [] and result.new_tasks == 3


@pytest.mark.parametrize("issued", ["05/02/2026", "02/02/2026"], ids=["other-date", "same-date"])
def test_a_row_naming_a_secret_directive_is_refused_to_an_uncleared_officer_without_its_details(
    frozen, personas, registry, directive, issued
):
    """The notation is unique, so a row naming a secret directive's notation is refused ("đã có trong sổ"), but to
    an officer not cleared for secrets the refusal shows none of the directive's details (its issue date, its
    subject) and no task is added to it; a cleared officer is still told the issue date that differs."""
    from dondoc.org.models import Person
    from tests.helpers import login, make_person

    Directive.objects.filter(pk=directive.pk).update(secrecy=Directive.Secrecy.SECRET, subject="Kế hoạch mật")
    row = [GOOD_ROWS[2][0], issued, *GOOD_ROWS[2][2:]]
    uncleared = make_person(
        "vp.uncleared", registry["VPUBND"], Person.Role.TRACKING_OFFICER, cleared_for_secrets=False
    )
    response = upload_sheet(login(uncleared), xlsx([row]))
    assert response.status_code == 400
    html = response.content.decode()
    assert "đã có trong sổ" in html
    assert "đã có ngày ban hành" not in html and "Kế hoạch mật" not in html
    result = spreadsheet.run(xlsx([row]), uncleared.user)
    (error,) = result.errors
    assert "đã có trong sổ" in error.message and "02/02/2026" not in error.message
    assert Task.objects.count() == 0
    cleared = spreadsheet.run(xlsx([row]), personas["tracker"].user)
    if issued == "05/02/2026":
        assert "đã có ngày ban hành 02/02/2026" in cleared.errors[0].message
    else:
        assert cleared.errors == [] and Task.objects.count() == 1
