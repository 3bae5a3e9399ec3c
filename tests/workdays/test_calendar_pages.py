"""The administrators' calendar pages (issue 15): the year's days from both layers, an official notice entered at
once with a preview of the changed days, CSV export and import (previewed); bad input named, nothing saved."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dondoc.org.models import Person
from dondoc.workdays import calendar, notices
from dondoc.workdays.models import CalendarDay
from tests.helpers import PASSWORD, make_person

pytestmark = pytest.mark.django_db

TET_2027 = {
    "notice_number": "123 / TB-BNV",
    "notice_date": "01/12/2026",
    "name": "Tết Nguyên đán Đinh Mùi",
    "off_from": "03/02/2027",
    "off_to": "10/02/2027",
    "swaps": "12/02/2027 > 20/02/2027",
    "makeup": "",
}


@pytest.fixture
def admin(client, registry):
    make_person("quantri", registry["VPUBND"], Person.Role.ADMIN)
    client.login(username="quantri", password=PASSWORD)
    return client


def test_only_administrators_open_the_calendar_pages(client, personas):
    for username in ("vp.theodoi", "lanhdao", "sxd.cv1"):
        client.login(username=username, password=PASSWORD)
        for url in ("/lich/", "/lich/thong-bao/", "/lich/nhap/", "/lich/xuat.csv"):
            assert client.get(url).status_code == 403, (username, url)


def test_year_page_shows_the_entered_days_and_the_librarys_days(admin, frozen):
    assert 'href="/lich/">Lịch nghỉ lễ</a>' in admin.get("/").content.decode()  # in the administrator's menu
    html = admin.get("/lich/?nam=2026").content.decode()
    assert (
        'data-date="10/01/2026" data-source="entered"' in html
    )  # the make-up Saturday of the official notice
    html = admin.get("/lich/?nam=2027").content.decode()
    assert (
        'data-date="08/02/2027" data-source="library"' in html
    )  # Tết 2027 per the library, not yet confirmed
    assert "Theo thư viện" in html


def test_an_official_notice_is_previewed_then_saved_at_once(admin, frozen):
    before = calendar.current()
    response = admin.post("/lich/thong-bao/", TET_2027)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="calendar-preview"' in html
    for day in ("03/02/2027", "12/02/2027", "20/02/2027"):
        assert f'data-date="{day}" class="table-warning"' in html  # the days whose answer changes
    assert 'data-date="04/02/2027">' in html  # already off per the library: listed, unchanged
    assert not CalendarDay.objects.filter(date__year=2027).exists()  # a preview saves nothing

    response = admin.post("/lich/thong-bao/", {**TET_2027, "confirm": "1"})
    assert response.status_code == 302 and response.url == "/lich/?nam=2027"
    cal = calendar.current()
    assert not cal.is_working_day(date(2027, 2, 3)) and not cal.is_working_day(date(2027, 2, 12))
    assert cal.is_working_day(date(2027, 2, 20))  # the make-up Saturday
    for day in (date(2027, 1, 1), date(2027, 4, 16), date(2027, 4, 30), date(2027, 9, 2), date(2027, 11, 24)):
        assert before.is_working_day(day) == cal.is_working_day(day) is False  # the rest of 2027 untouched
    row = CalendarDay.objects.get(date=date(2027, 2, 12))
    assert (row.kind, row.notice) == ("swapped_off", "123/TB-BNV ngày 01/12/2026")
    assert set(CalendarDay.objects.filter(date__year=2027).values_list("date", flat=True)) == {
        date(2027, 2, d) for d in (3, 4, 5, 8, 9, 10, 12, 20)
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("notice_number", "thông báo Tết", "không đúng dạng"),
        ("notice_date", "2026-12-01", "dd/mm/yyyy"),
        ("off_to", "01/02/2027", "Ngày kết thúc nghỉ phải từ ngày bắt đầu trở đi."),
        ("swaps", "13/02/2027 > 20/02/2027", "ngày nghỉ 13/02/2027 phải là ngày làm việc trong tuần"),
        ("swaps", "12/02/2027 > 19/02/2027", "ngày làm bù 19/02/2027 phải là thứ Bảy hoặc Chủ nhật"),
        ("makeup", "18/02/2027", "18/02/2027 phải là thứ Bảy hoặc Chủ nhật"),
    ],
)
def test_a_bad_notice_is_refused_naming_the_field_and_saves_nothing(admin, frozen, field, value, message):
    response = admin.post("/lich/thong-bao/", {**TET_2027, field: value, "confirm": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'data-field="{field}"' in html and message in html
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_calendar_csv_exports_and_imports_back_with_a_preview(admin, frozen):
    exported = admin.get("/lich/xuat.csv?nam=2026")
    assert exported["Content-Disposition"] == 'attachment; filename="lich-nghi-le-2026.csv"'
    text = exported.content.decode()
    assert text.splitlines()[0] == "date,kind,name,notice"
    assert "2026-01-10,makeup_workday," in text
    assert notices.parse_csv(text) == notices.parse_csv(notices.export_csv(2026))

    upload = "date,kind,name,notice\n2027-02-11,holiday,Tết Nguyên đán Đinh Mùi,123/TB-BNV\n"
    response = admin.post("/lich/nhap/", {"file": SimpleUploadedFile("lich.csv", upload.encode())})
    assert (
        response.status_code == 200
        and 'data-date="11/02/2027" class="table-warning"' in response.content.decode()
    )
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    response = admin.post("/lich/nhap/", {"text": upload, "confirm": "1"})
    assert response.status_code == 302
    assert not calendar.current().is_working_day(date(2027, 2, 11))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("date,kind,name\n2027-02-11,nghi,Tết\n", "Dòng 2, cột kind: «nghi» không hợp lệ"),
        ("date,kind,name\n11-02-2027,holiday,Tết\n", "Dòng 2, cột date: «11-02-2027» không phải ngày"),
        (
            "date,kind,name\n2027-02-11,holiday,Tết\n2027-02-11,holiday,Tết\n",
            "Dòng 3, cột date: ngày 11/02/2027 đã có",
        ),
        ("ngay,loai\n2027-02-11,holiday\n", "Tệp thiếu cột date, kind, name"),
    ],
)
def test_a_bad_calendar_file_is_refused_naming_the_line_and_column(admin, frozen, content, message):
    response = admin.post("/lich/nhap/", {"file": SimpleUploadedFile("lich.csv", content.encode())})
    assert response.status_code == 400 and message in response.content.decode()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


def test_a_day_named_like_a_formula_is_exported_as_text_and_reads_back_as_entered(admin, frozen):
    """An administrator's text that a spreadsheet would run (CSV injection) is prefixed with an apostrophe in the
    export, and the calendar's own import reads the file back to the names as they were entered."""
    name, notice = '=HYPERLINK("http://x.invalid","Tết")', "+1 ngày theo 123/TB-BNV"
    CalendarDay.objects.create(date=date(2027, 2, 11), kind="holiday", name=name, notice=notice)
    text = admin.get("/lich/xuat.csv?nam=2027").content.decode()
    row = text.splitlines()[1]
    assert row.startswith("2027-02-11,holiday,") and "'=HYPERLINK" in row and ",'+1 ngày" in row
    (entry,) = notices.parse_csv(text)
    assert (entry.name, entry.notice) == (name, notice)
