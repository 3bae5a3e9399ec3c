"""Exports of the task list: the list's question, the list's visibility, real files opened and read back."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dondoc.evaluation import exports
from dondoc.tracking import timeliness as tl
from dondoc.workdays import calendar
from tests.evaluation.lifecycle import complete
from tests.helpers import login, read_csv

pytestmark = pytest.mark.django_db

XLSX = reverse("evaluation:export_tasks_xlsx")
CSV = reverse("evaluation:export_tasks_csv")
LIST = reverse("tracking:task_list")


@pytest.fixture
def tasks(make_task, personas, frozen):
    """Tasks of every bucket, on 10/03/2026: SXD leads five (one coordinated by STC), SYT leads one."""
    overdue = make_task(content="Quá hạn: báo cáo rà soát", due_date=date(2026, 3, 2), must_report=True)
    in_deadline = make_task(content="Trong hạn: kế hoạch chỉnh trang", due_date=date(2026, 4, 30))
    no_deadline = make_task(content="Không thời hạn: theo dõi", coordinators=())
    late = make_task(content="Hoàn thành muộn", due_date=date(2026, 2, 27))
    late = complete(late, personas["tracker"], date(2026, 3, 4))
    on_time = make_task(content="Hoàn thành đúng hạn", due_date=date(2026, 3, 5))
    on_time = complete(on_time, personas["tracker"], date(2026, 3, 3))
    other = make_task(content="Nhiệm vụ của Sở Y tế", lead="SYT", coordinators=(), due_date=date(2026, 3, 31))
    make_task(content="Dự thảo chưa giao", assign=False, due_date=date(2026, 3, 31))
    return {
        "overdue": overdue,
        "in_deadline": in_deadline,
        "no_deadline": no_deadline,
        "late": late,
        "on_time": on_time,
        "other": other,
    }


def read_xlsx(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].startswith("attachment;")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return wb.active


def list_count(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_xlsx_has_vietnamese_headers_real_dates_and_a_frozen_header(client, personas, tasks):
    ws = read_xlsx(login(personas["tracker"], client).get(XLSX))
    rows = list(ws.iter_rows())
    assert [c.value for c in rows[0]] == exports.HEADERS
    assert rows[0][0].font.bold
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["E"].width == 70  # the task content is the wide column
    by_content = {r[4].value: r for r in rows[1:]}
    overdue = by_content["Quá hạn: báo cáo rà soát"]
    due = overdue[exports.HEADERS.index("Thời hạn")]
    assert due.value == datetime(2026, 3, 2) and due.number_format == "DD/MM/YYYY"
    issued = overdue[exports.HEADERS.index("Ngày văn bản")]
    assert issued.value == datetime(2026, 2, 2) and issued.number_format == "DD/MM/YYYY"
    assert overdue[1].value == "15/CT-UBND"
    assert overdue[exports.HEADERS.index("Tình trạng")].value == "Quá hạn chưa hoàn thành"
    assert overdue[exports.HEADERS.index("Đơn vị phối hợp")].value == "Sở Tài chính"
    assert (
        overdue[exports.HEADERS.index("Thủ trưởng chịu trách nhiệm")].value == personas["lead_head"].full_name
    )
    late = by_content["Hoàn thành muộn"]
    assert late[exports.HEADERS.index("Ngày hoàn thành")].value == datetime(2026, 3, 4)
    assert late[exports.HEADERS.index("Tình trạng")].value == "Hoàn thành quá hạn"
    days_late = late[exports.HEADERS.index("Số ngày làm việc quá hạn")]
    assert days_late.value == 3 and days_late.number_format == "General"  # a number, not a date
    assert [r[0].value for r in rows[1:]] == list(range(1, len(rows)))  # STT runs 1..n
    assert by_content["Không thời hạn: theo dõi"][exports.HEADERS.index("Thời hạn")].value is None


def test_working_days_late_count_the_calendar(client, personas, tasks):
    """Overdue on 10/03/2026 since Monday 02/03: 6 working days (03–06, 09, 10); completed 04/03 against a
    27/02 deadline: 3 working days (02, 03, 04). Not late: empty."""
    ws = read_xlsx(login(personas["tracker"], client).get(XLSX))
    col = exports.HEADERS.index("Số ngày làm việc quá hạn")
    late_days = {r[4].value: r[col].value for r in ws.iter_rows(min_row=2)}
    assert late_days["Quá hạn: báo cáo rà soát"] == 6
    assert late_days["Hoàn thành muộn"] == 3
    assert late_days["Hoàn thành đúng hạn"] is None
    assert late_days["Trong hạn: kế hoạch chỉnh trang"] is None


def test_working_day_counter_agrees_with_the_calendar(registry):
    """The O(1) counter of the exports gives what WorkCalendar.working_days_between gives, across Tết 2026."""
    cal = calendar.current()
    counter = exports.WorkingDayCounter(cal)
    days = [date(2026, 1, 1), date(2026, 2, 13), date(2026, 2, 23), date(2026, 3, 10), date(2025, 12, 31)]
    for a in days:
        for b in days:
            assert counter.between(a, b) == cal.working_days_between(a, b), (a, b)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?bucket=overdue",
        "?bucket=completed_late",
        "?q=hoan+thanh",
        "?due_from=01/03/2026&due_to=31/03/2026",
    ],
)
def test_export_rows_are_the_list_count(client, personas, tasks, query):
    c = login(personas["tracker"], client)
    expected = list_count(c, query)
    ws = read_xlsx(c.get(XLSX + query))
    assert ws.max_row - 1 == expected
    assert len(read_csv(c.get(CSV + query))) - 1 == expected


def test_filtered_export_has_only_the_filtered_bucket(client, personas, tasks):
    rows = read_csv(login(personas["tracker"], client).get(CSV + "?bucket=overdue"))
    assert [r[4] for r in rows[1:]] == ["Quá hạn: báo cáo rà soát"]


def test_csv_dates_are_dd_mm_yyyy_and_headers_vietnamese(client, personas, tasks):
    rows = read_csv(login(personas["tracker"], client).get(CSV))
    assert rows[0] == exports.HEADERS
    overdue = next(r for r in rows if r[4] == "Quá hạn: báo cáo rà soát")
    assert overdue[exports.HEADERS.index("Thời hạn")] == "02/03/2026"
    assert overdue[exports.HEADERS.index("Ngày văn bản")] == "02/02/2026"
    assert overdue[exports.HEADERS.index("Số ngày làm việc quá hạn")] == "6"


def test_csv_with_semicolons_for_a_vietnamese_regional_format(client, personas, tasks):
    rows = read_csv(login(personas["tracker"], client).get(CSV + "?phan_cach=cham_phay"), delimiter=";")
    assert rows[0] == exports.HEADERS
    assert len(rows) - 1 == 6


def test_officer_export_has_only_their_units_tasks(client, personas, tasks):
    """Sở Y tế's officer sees Sở Y tế's task only; Sở Tài chính's officer only the task it coordinates."""
    syt = read_csv(login(personas["other_officer"], client).get(CSV))
    assert [r[4] for r in syt[1:]] == ["Nhiệm vụ của Sở Y tế"]
    assert {r[5] for r in syt[1:]} == {"Sở Y tế"}
    ws = read_xlsx(login(personas["coord_officer"], client).get(XLSX))
    contents = {r[4].value for r in ws.iter_rows(min_row=2)}
    coordinated = {t.content for t in tasks.values() if t.coordinations.filter(unit__code="STC").exists()}
    assert contents == coordinated and "Nhiệm vụ của Sở Y tế" not in contents


def test_secret_task_is_exported_only_to_those_cleared(client, personas, make_task, frozen):
    make_task(content="Nhiệm vụ mật", secret=True, due_date=date(2026, 3, 31))
    assert "Nhiệm vụ mật" not in {r[4] for r in read_csv(login(personas["inspector"], client).get(CSV))}
    assert "Nhiệm vụ mật" in {r[4] for r in read_csv(login(personas["tracker"], client).get(CSV))}


@pytest.mark.parametrize(
    "query, words",
    [
        ("?due_from=31/02/2026", ["Hạn từ ngày", "dd/mm/yyyy"]),
        ("?bucket=bogus", ["Tình trạng", "bogus", "không hợp lệ"]),
        ("?unit=999999", ["Đơn vị chủ trì", "không có trong danh mục"]),
        ("?due_from=10/03/2026&due_to=01/03/2026", ["Hạn đến ngày", "phải sau"]),
        ("?directive=abc", ["Văn bản", "phải là số"]),
        ("?kind=z", ["Loại nhiệm vụ"]),
    ],
)
def test_bad_filter_is_a_vietnamese_400_not_a_500(client, personas, tasks, query, words):
    c = login(personas["tracker"], client)
    for url in (XLSX, CSV):
        response = c.get(url + query)
        assert response.status_code == 400
        text = response.content.decode()
        assert "Không xuất được danh sách" in text
        for word in words:
            assert word in text, (url, word)


def test_bad_csv_separator_is_refused_in_vietnamese(client, personas, tasks):
    response = login(personas["tracker"], client).get(CSV + "?phan_cach=tab")
    assert response.status_code == 400
    assert "Dấu phân cách" in response.content.decode()


def test_anonymous_user_cannot_export(client, tasks):
    for url in (XLSX, CSV):
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_list_page_offers_both_exports_with_its_filters(client, personas, tasks):
    html = login(personas["tracker"], client).get(LIST + "?bucket=overdue&trang=2").content.decode()
    assert f'href="{XLSX}?bucket=overdue"' in html
    assert f'href="{CSV}?bucket=overdue"' in html


def test_export_queries_do_not_grow_with_rows(client, personas, make_task, frozen):
    """Units, directive, people and coordinators come in bulk: the export of 5 and of 30 tasks runs the same number
    of queries (no N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dondoc.evaluation.workdays import ensure_deadline_years

    c = login(personas["tracker"], client)

    def queries(expected_rows: int) -> int:
        ensure_deadline_years()  # the working-day table (effective deadlines in SQL) is built once, not per export
        c.get(CSV)  # warm the session and the calendar cache
        with CaptureQueriesContext(connection) as ctx:
            rows = read_csv(c.get(CSV))
        assert len(rows) == expected_rows + 1
        assert {r[9] for r in rows[1:]} <= set(tl.BUCKET_LABELS.values())
        return len(ctx.captured_queries)

    for i in range(5):
        make_task(content=f"Nhiệm vụ số {i}", due_date=date(2026, 3, 1 + i))
    with_five = queries(5)
    for i in range(5, 30):
        make_task(content=f"Nhiệm vụ số {i}", due_date=date(2026, 3, 1 + i % 28))
    assert queries(30) == with_five


@pytest.mark.parametrize("persona", ["tracker", "lead_officer", "other_officer"])
def test_export_of_a_dashboard_number_has_that_many_rows(client, personas, tasks, persona):
    """The dashboard links each number to the task list (stats.list_url); exporting that list gives exactly the
    tasks the count function counts, for every measure and within the person's visibility."""
    from dondoc.evaluation import periods as pr
    from dondoc.evaluation import stats

    period, ref = pr.custom(date(2026, 2, 15), date(2026, 3, 31)), date(2026, 3, 10)
    person = personas[persona]
    c = login(person, client)
    counts = stats.count(period, person.user, ref=ref)[None]
    for measure in stats.MEASURES:
        url = stats.list_url(measure, period, ref=ref)
        query = url[url.index("?") :]
        rows = read_csv(c.get(CSV + query))
        assert len(rows) - 1 == counts.value(measure) == list_count(c, query), measure


def test_each_export_is_recorded_in_the_audit_trail(client, personas, tasks):
    """Data leaving the system is on the record: who exported what, how many rows (issue 9)."""
    from dondoc.audit.models import AuditEntry

    c = login(personas["tracker"], client)
    expected = list_count(c, "?bucket=overdue")
    b"".join(c.get(XLSX + "?bucket=overdue").streaming_content)
    b"".join(c.get(CSV + "?bucket=overdue").streaming_content)
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).order_by("pk")
    assert [(e.object_repr, e.after["count"], e.username) for e in entries] == [
        ("Danh sách nhiệm vụ (XLSX)", expected, personas["tracker"].user.username),
        ("Danh sách nhiệm vụ (CSV)", expected, personas["tracker"].user.username),
    ]


@pytest.fixture
def both_parts(make_task, personas, frozen):
    """Sở Xây dựng's officer sees the tasks SXD leads and, apart, those it coordinates (led by STC): deadlines
    interleaved, so that the export merges the two parts into the list's order."""
    made = [
        make_task(content="Chủ trì 1", due_date=date(2026, 3, 2)),
        make_task(content="Phối hợp 1", lead="STC", coordinators=("SXD",), due_date=date(2026, 3, 3)),
        make_task(content="Chủ trì 2", due_date=date(2026, 3, 4)),
        make_task(content="Phối hợp 2", lead="STC", coordinators=("SXD",), due_date=date(2026, 3, 4)),
        make_task(content="Chủ trì không hạn", coordinators=()),
        make_task(content="Phối hợp không hạn", lead="STC", coordinators=("SXD",)),
    ]
    done = make_task(
        content="Phối hợp đã xong", lead="STC", coordinators=("SXD",), due_date=date(2026, 2, 20)
    )
    made.append(complete(done, personas["tracker"], date(2026, 2, 19)))
    return made


@pytest.mark.parametrize("query", ["", "?bucket=overdue", "?bucket=no_deadline"])
def test_a_units_export_is_the_list_in_the_lists_order_and_its_record_counts_the_rows_written(
    client, personas, both_parts, query
):
    """Issue 19: the export reads the unit's own tasks and those it coordinates apart (each off its index) and
    merges them in the list's order; it asks for no count of the list, its audit record counts the rows written."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dondoc.audit.models import AuditEntry

    c = login(personas["lead_officer"], client)
    listed = [t.content for t in c.get(LIST + query).context["page"].object_list]
    assert len(listed) < 25  # one page: the whole list
    for url, read in (
        (CSV, read_csv),
        (XLSX, lambda r: [[c.value for c in row] for row in read_xlsx(r).rows]),
    ):
        with CaptureQueriesContext(connection) as ctx:
            rows = read(c.get(url + query))
        assert [r[4] for r in rows[1:]] == listed
        # (the unread notifications' count read with the session, `accounts.sessions`, is not the list's)
        counts = [q["sql"] for q in ctx.captured_queries if "django_session" not in q["sql"]]
        assert not [sql for sql in counts if "COUNT(" in sql.upper() and url == CSV]
        record = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).latest("pk")
        assert record.after["count"] == len(rows) - 1 and record.after["complete"] is True


def test_a_download_cut_short_is_recorded_with_the_rows_sent(rf, personas, tasks):
    """The server closes the response of a download the browser left (as a WSGI server calls `close()`): the record
    is written then, with the rows sent so far, marked incomplete. (The view called directly: the test client's
    own closing reconnects the handler that ends the test's database connection.)"""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    from dondoc.audit.models import AuditEntry
    from dondoc.evaluation.export_views import export_csv

    request = rf.get(CSV)
    request.user = personas["tracker"].user
    response = export_csv(request)
    first = next(iter(response))  # the header alone (rows are sent 500 at a time)
    assert first.decode("utf-8-sig").startswith("STT,")
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()  # not yet sent
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    record = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT)
    assert record.after["complete"] is False and record.after["count"] == 0
