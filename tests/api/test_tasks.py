"""Tasks through the API: the same visibility, filters, rights and domain functions as the pages."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Coordination, DeadlineChange, Task, TaskEvent

pytestmark = pytest.mark.django_db


def test_officer_token_lists_only_tasks_of_own_unit(frozen, make_task, api_as):
    mine = make_task(due_date=date(2026, 4, 1))
    other = make_task(lead="SYT", coordinators=(), content="Kiểm tra an toàn thực phẩm")
    body = api_as("lead_officer").get("/tasks").json()
    assert body["count"] == 1
    assert [t["id"] for t in body["items"]] == [mine.pk]
    assert other.pk not in [t["id"] for t in api_as("lead_head").get("/tasks").json()["items"]]
    assert api_as("tracker").get("/tasks").json()["count"] == 2


def test_officer_of_another_unit_cannot_read_task(frozen, make_task, api_as):
    task = make_task()
    response = api_as("other_officer").get(f"/tasks/{task.pk}")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.json()["detail"]
    # a coordinating unit sees it
    assert api_as("coord_officer").get(f"/tasks/{task.pk}").status_code == 200


def test_secret_task_hidden_from_uncleared_officer(frozen, make_task, api_as):
    task = make_task(secret=True)
    assert api_as("lead_officer").get(f"/tasks/{task.pk}").status_code == 404
    assert api_as("tracker").get(f"/tasks/{task.pk}").status_code == 200


def test_task_detail_lists_allowed_actions_and_history(frozen, make_task, api_as):
    task = make_task(due_date=date(2026, 3, 31))
    body = api_as("lead_officer").get(f"/tasks/{task.pk}").json()
    assert body["allowed_actions"] == ["acknowledge", "request_change"]
    assert body["coordinating_units"][0]["abbr"] or body["coordinating_units"][0]["name"]
    assert [e["action"] for e in body["events"]] == ["create", "assign"]
    assert body["due_date"] == "2026-03-31"
    assert body["bucket"] == tl.IN_DEADLINE
    assert body["state"] == tl.ASSIGNED


def test_list_filters_are_the_pages_filters(frozen, make_task, api_as, registry, directive):
    overdue = make_task(due_date=date(2026, 3, 2), content="Cải tạo vỉa hè phố cổ")
    soon = make_task(due_date=date(2026, 3, 11), content="Lập quy hoạch chi tiết")
    later = make_task(due_date=date(2026, 6, 30), lead="SYT", coordinators=(), content="Tiêm chủng mở rộng")
    api = api_as("tracker")

    def ids(**params: object) -> list[int]:
        response = api.get("/tasks", **params)
        assert response.status_code == 200, response.json()
        return [t["id"] for t in response.json()["items"]]

    assert ids(bucket=tl.OVERDUE) == [overdue.pk]
    assert ids(bucket=tl.DUE_SOON) == [soon.pk]
    assert ids(unit=registry["SYT"].pk) == [later.pk]
    assert ids(q="via he") == [overdue.pk]  # accent-insensitive, as on the page
    assert ids(due_from="2026-03-05", due_to="2026-04-01") == [soon.pk]
    assert ids(directive=directive.pk) == [overdue.pk, soon.pk, later.pk]
    reported = make_task(due_date=None, must_report=True, content="Báo cáo định kỳ")
    assert ids(kind=tl.KIND_C) == [reported.pk]
    assert ids(kind=tl.KIND_B, unit=registry["SXD"].pk) == [overdue.pk, soon.pk]
    assert ids(authority=directive.authority, bucket=tl.OVERDUE) == [overdue.pk]
    assert ids(state=tl.ASSIGNED) == [overdue.pk, soon.pk, later.pk, reported.pk]


def test_drafts_are_listed_only_when_asked(frozen, make_task, api_as):
    draft = make_task(assign=False)
    api = api_as("tracker")
    assert api.get("/tasks").json()["count"] == 0
    assert [t["id"] for t in api.get("/tasks", state="draft").json()["items"]] == [draft.pk]


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"bucket": "xyz"}, "bucket", "Tình trạng"),
        ({"due_from": "2026-04-01", "due_to": "2026-03-01"}, "due_to", "Hạn đến ngày"),
        ({"due_from": "31/02/2026"}, "due_from", "ngày không hợp lệ"),
        ({"unit": "abc"}, "unit", "số nguyên"),
        ({"unit": 999999}, "unit", "Đơn vị chủ trì"),
        ({"state": "lost"}, "state", "Trạng thái"),
        ({"limit": 0}, "limit", "lớn hơn hoặc bằng 1"),
        ({"limit": 201}, "limit", "nhỏ hơn hoặc bằng 200"),
        ({"offset": -1}, "offset", "lớn hơn hoặc bằng 0"),
    ],
)
def test_bad_filter_is_422_naming_the_field(frozen, api_as, params, field, words):
    response = api_as("tracker").get("/tasks", **params)
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == field
    assert words in body["errors"][0]["message"]
    assert field in body["detail"]


def test_pagination_limit_offset_and_count(frozen, make_task, api_as):
    tasks = [make_task(due_date=date(2026, 4, d), content=f"Nhiệm vụ {d}") for d in range(1, 8)]
    api = api_as("tracker")
    first = api.get("/tasks", limit=3).json()
    assert (first["count"], first["limit"], first["offset"]) == (7, 3, 0)
    assert [t["id"] for t in first["items"]] == [t.pk for t in tasks[:3]]
    last = api.get("/tasks", limit=3, offset=6).json()
    assert [t["id"] for t in last["items"]] == [tasks[6].pk]
    assert api.get("/tasks", offset=50).json() == {
        "count": 7,
        "limit": 50,
        "offset": 50,
        "next": None,
        "items": [],
    }


def test_keyset_pages_walk_the_list_in_its_order_without_counting_again(frozen, make_task, api_as):
    """Issue 19: `next` of a page fetches the following one by key (deadline, id); tasks without a deadline come
    last, as in the offset pages; the total is counted on the first page only."""
    dated = [make_task(due_date=date(2026, 4, 1 + d % 3), content=f"Có hạn {d}") for d in range(6)]
    undated = [make_task(due_date=None, content=f"Không hạn {d}") for d in range(3)]
    api = api_as("tracker")
    whole = [t["id"] for t in api.get("/tasks", limit=200).json()["items"]]
    assert set(whole) == {t.pk for t in dated + undated} and whole[-3:] == [t.pk for t in undated]
    for limit in (2, 4):  # pages of 4: one of them ends the dated tasks and goes on with the undated ones
        page = api.get("/tasks", limit=limit).json()
        assert page["count"] == 9
        walked = [t["id"] for t in page["items"]]
        while page["next"]:
            page = api.get("/tasks", limit=limit, after=page["next"]).json()
            assert page["count"] is None
            walked += [t["id"] for t in page["items"]]
        assert walked == whole, limit


def test_a_keyset_page_starts_where_the_index_is_at_its_cursor(frozen, make_task, api_as):
    """At 10^6 tasks a page after the cursor was found by reading every task from the first deadline asked and
    dropping those before the cursor (7,180 rows for a page in the middle of Q3): the cursor is a comparison of
    (deadline, id) with the cursor's, which the deadline index of the tasks starts from."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for day in (1, 2, 3):
        make_task(due_date=date(2026, 4, day))
    with CaptureQueriesContext(connection) as ctx:
        api_as("tracker").get("/tasks", limit=2, after="2026-03-31.1")
    (page,) = [q["sql"] for q in ctx.captured_queries if 'FROM "tracking_task"' in q["sql"]]
    assert '("tracking_task"."due_date", "tracking_task"."id") > (' in page


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"after": "hom-qua"}, "after", "Con trỏ trang"),
        ({"after": "2026-04-01.3", "offset": 2}, "offset", "không dùng cả hai"),
        ({"state": ["open", "lost"]}, "state", "Trạng thái «lost»"),
        ({"format": "pdf"}, "format", "format"),
    ],
)
def test_bad_cursor_state_or_format_is_422_naming_the_field(frozen, api_as, params, field, words):
    response = api_as("tracker").get("/tasks", **params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert words in response.json()["errors"][0]["message"] + response.json()["detail"]


def test_open_filter_and_repeated_states(frozen, make_task, api_as):
    assigned = make_task(due_date=date(2026, 4, 1))
    started, done = make_task(due_date=date(2026, 4, 2)), make_task(due_date=date(2026, 4, 3))
    Task.objects.filter(pk=started.pk).update(state="in_progress")
    Task.objects.filter(pk=done.pk).update(state="completed", completed_on=date(2026, 3, 5))
    api = api_as("tracker")
    ids = lambda **p: [t["id"] for t in api.get("/tasks", **p).json()["items"]]  # noqa: E731
    assert ids(state="open") == [assigned.pk, started.pk]
    assert ids(state=["assigned", "completed"]) == [assigned.pk, done.pk]


def test_unit_that_may_not_lead_gets_an_empty_list_not_an_error(frozen, make_task, api_as, registry):
    from dondoc.org.models import Unit

    make_task(due_date=date(2026, 4, 1))
    city = Unit.objects.exclude(kind__in=Unit.ASSIGNABLE_KINDS).first()
    response = api_as("tracker").get("/tasks", unit=city.pk)
    assert response.status_code == 200
    assert response.json()["items"] == [] and response.json()["count"] == 0


def test_a_unit_with_tasks_is_not_looked_up_and_an_unknown_one_is_still_refused(
    frozen, make_task, api_as, registry
):
    """Issue 19 (Q1 at 10^6): the unit's existence was asked before every list (a query per page); a unit that
    leads a listed task exists, so it is asked only when the list is empty — an unknown unit is still a 422, in
    JSON and in CSV."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_task(due_date=date(2026, 4, 1))
    api = api_as("tracker")
    with CaptureQueriesContext(connection) as ctx:
        assert api.get("/tasks", unit=registry["SXD"].pk).json()["count"] == 1
    assert not [q for q in ctx.captured_queries if 'FROM "org_unit" WHERE "org_unit"."id"' in q["sql"]]
    for fmt in ("json", "csv"):
        response = api.get("/tasks", unit=999999, format=fmt)
        assert response.status_code == 422 and response.json()["errors"][0]["field"] == "unit", fmt


def test_csv_answers_every_matching_task_in_one_streamed_call(frozen, make_task, api_as):
    import csv
    import io

    from dondoc.audit.models import AuditEntry

    tasks = [make_task(due_date=date(2026, 4, 1 + d % 5), content=f"Việc {d}") for d in range(7)]
    response = api_as("tracker").get("/tasks", format="csv", state="open")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert sorted(int(r["id"]) for r in rows) == sorted(t.pk for t in tasks)
    assert rows[0]["han"] == "2026-04-01"
    export = AuditEntry.objects.filter(action="export").latest("id")
    assert export.after["count"] == 7 and "CSV" in export.object_repr


def test_csv_is_sent_in_chunks_of_rows_not_a_piece_per_row(frozen, make_task, api_as, monkeypatch):
    """Q3 at 10^6 (12,595 rows): one piece a row made Django and the server handle every row apart; the rows go in
    chunks of `CSV_CHUNK` (the header first), every row once, in the list's order."""
    import csv
    import io

    from dondoc.api import api as endpoints

    monkeypatch.setattr(endpoints, "CSV_CHUNK", 3)
    tasks = [make_task(due_date=date(2026, 4, 1 + d)) for d in range(7)]
    pieces = list(api_as("tracker").get("/tasks", format="csv").streaming_content)
    assert len(pieces) == 1 + 3  # the header, then 3 + 3 + 1 rows
    rows = list(csv.DictReader(io.StringIO(b"".join(pieces).decode("utf-8-sig"))))
    assert [int(r["id"]) for r in rows] == [t.pk for t in tasks]
    assert [len(list(csv.reader(io.StringIO(p.decode("utf-8-sig"))))) for p in pieces] == [1, 3, 3, 1]


def test_csv_columns_are_the_tasks_values(frozen, make_task, api_as):
    """The CSV is written from plain values (issue 19: Q3 at 10^6 in one call), each column the task's own."""
    import csv
    import io

    task = make_task(
        due_date=date(2026, 3, 14), clause="Mục 2"
    )  # a Saturday: the effective deadline rolls on
    response = api_as("tracker").get("/tasks", format="csv")
    (row,) = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    task.refresh_from_db()
    ref = date(2026, 3, 10)
    assert row == {
        "id": str(task.pk),
        "van_ban": task.directive.notation,
        "muc": "Mục 2",
        "noi_dung": task.content,
        "don_vi_chu_tri": task.lead_unit.name,
        "trang_thai": task.state,
        "tinh_trang": task.bucket_on(ref, tl.soon_limit(ref)),
        "han": "2026-03-14",
        "han_hieu_luc": task.effective_due.isoformat(),
        "ngay_giao": task.assigned_on.isoformat(),
        "ngay_hoan_thanh": "",
    }
    assert task.effective_due > task.due_date


def test_task_list_query_count_does_not_grow(frozen, make_task, api_as, django_assert_max_num_queries):
    for d in range(1, 11):
        make_task(due_date=date(2026, 4, d))
    api = api_as("tracker")
    from dondoc.evaluation.workdays import ensure_deadline_years

    ensure_deadline_years()  # the working-day table (effective deadlines in SQL) is built once, not per request
    # The token and its first last-used time, the reader, the working-day table's coverage probe (remembered per
    # process outside a transaction; a test runs inside one), the count, the page, and its one audit event
    # (unchained, no lock: issue 19) — a constant, whatever the number of rows.
    with django_assert_max_num_queries(7):
        assert len(api.get("/tasks").json()["items"]) == 10


@pytest.mark.parametrize("persona", ["tracker", "inspector", "lead_officer"])
def test_list_count_is_the_number_of_tasks_listed_for_every_question(
    frozen, make_task, api_as, registry, persona
):
    """The count is the number of tasks the list walks, whatever the question and whoever asks — secret ones only
    for the cleared, drafts only when asked, a unit's people their own and coordinated tasks (issue 19: the
    count's statement may change, the number may not)."""
    d = date
    make_task(due_date=d(2026, 3, 2), content="Cải tạo vỉa hè phố cổ")  # overdue
    make_task(due_date=d(2026, 3, 3), secret=True)  # overdue, secret
    make_task(due_date=d(2026, 3, 11), lead="SYT", coordinators=())  # due soon
    make_task(due_date=d(2026, 6, 30), coordinators=("SXD",), lead="STC")  # in deadline, SXD coordinates
    make_task()  # no deadline
    make_task(due_date=d(2026, 4, 1), assign=False)  # a draft
    done = [make_task(due_date=d(2026, 3, 5)) for _ in range(4)]
    Task.objects.filter(pk=done[0].pk).update(state=tl.COMPLETED, completed_on=d(2026, 3, 4))  # on time
    Task.objects.filter(pk=done[1].pk).update(state=tl.COMPLETED, completed_on=d(2026, 3, 9))  # late
    Task.objects.filter(pk=done[2].pk).update(state=tl.CANCELLED, cancelled_on=d(2026, 3, 6))
    Task.objects.filter(pk=done[3].pk).update(state=tl.RESULT_SUBMITTED, completed_on=d(2026, 3, 4))
    api = api_as(persona)
    questions = [{}, {"state": "open"}, {"state": [tl.COMPLETED, tl.CANCELLED]}, {"state": tl.DRAFT}]
    questions += [{"bucket": b} for b in tl.BUCKET_LABELS if b != tl.DRAFTED]
    questions += [{"unit": registry["SXD"].pk}, {"unit": registry["SXD"].pk, "bucket": tl.OVERDUE}]
    questions += [{"unit": registry["SYT"].pk, "state": "open"}, {"q": "vỉa hè"}, {"due_from": "2026-03-04"}]
    for params in questions:
        body = api.get("/tasks", limit=200, **params).json()
        assert body["count"] == len(body["items"]), (params, body["count"], [t["id"] for t in body["items"]])
    assert api.get("/tasks", bucket=tl.OVERDUE).json()["count"] == (2 if persona == "tracker" else 1)


def test_list_answer_is_written_by_the_schemas_serializer_with_the_same_values(frozen, make_task, api_as):
    """Issue 19: the list's answer is checked against its schema and written by pydantic (0.35 ms for a page of
    200 tasks where ninja's renderer took 1.7 ms): the values ninja's renderer writes, Vietnamese text as UTF-8."""
    import json

    from django.test import RequestFactory

    from dondoc.api.api import api as ninja_api
    from dondoc.api.schemas import TaskPage

    done = make_task(due_date=date(2026, 3, 2), content="Cải tạo vỉa hè phố cổ")
    Task.objects.filter(pk=done.pk).update(state=tl.RESULT_SUBMITTED, completed_on=date(2026, 3, 4))
    make_task(due_date=date(2026, 3, 11), report_due=date(2026, 3, 20))
    make_task()
    response = api_as("tracker").get("/tasks", limit=2)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Cải tạo vỉa hè phố cổ".encode() in response.content  # not \\u escapes
    body = response.json()
    assert body["next"] and [t["completed_on"] for t in body["items"]] == ["2026-03-04", None]
    as_ninja = ninja_api.renderer.render(
        RequestFactory().get("/"), TaskPage.model_validate(body).model_dump(), response_status=200
    )
    assert json.loads(as_ninja) == body


def test_list_reads_its_rows_as_values_not_model_instances(frozen, make_task, api_as):
    """Issue 19: a page's tasks with their directive and lead unit as model instances took ~6.8 ms of CPU for 200
    rows, as plain values ~1.5 ms; the items are those of the task itself (`GET /tasks/{id}`)."""
    from django.db.models.signals import post_init

    from dondoc.directives.models import Directive

    tasks = [make_task(due_date=date(2026, 3, d), progress=4 * d) for d in (2, 12)]
    Task.objects.filter(pk=tasks[0].pk).update(state=tl.RESULT_SUBMITTED, completed_on=date(2026, 3, 4))
    api = api_as("tracker")
    made = []

    def count(sender, **kwargs):
        made.append(sender)

    for model in (Task, Directive):
        post_init.connect(count, sender=model, weak=False)
    try:
        items = api.get("/tasks").json()["items"]
    finally:
        for model in (Task, Directive):
            post_init.disconnect(count, sender=model)
    assert not made
    for item in items:
        one = api.get(f"/tasks/{item['id']}").json()
        assert item == {name: one[name] for name in item}


def test_postgres_plans_without_parallel_workers_unless_asked(db):
    """Issue 19: on a small server busy with requests, a parallel plan's workers cost more than they save (the
    city's overdue count at 10^6 tasks: 22 ms with two workers, 2.2 ms without); DB_PARALLEL_WORKERS allows them."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's planner setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


# --------------------------------------------------------------------------------------------------- actions


def test_lead_unit_acknowledges_through_the_domain_function(frozen, make_task, api_as):
    task = make_task()
    response = api_as("lead_officer").post(f"/tasks/{task.pk}/acknowledge", {"version": task.version})
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == tl.IN_PROGRESS
    task.refresh_from_db()
    assert task.state == tl.IN_PROGRESS
    assert task.events.filter(action=TaskEvent.Action.ACKNOWLEDGE).count() == 1


def test_action_without_version_is_accepted(frozen, make_task, api_as):
    task = make_task()
    events = TaskEvent.objects.filter(task=task).count()
    response = api_as("lead_officer").post(f"/tasks/{task.pk}/acknowledge")
    assert response.status_code == 200
    task.refresh_from_db()
    assert task.state == "in_progress"  # the action took effect: acknowledged without a version check
    assert response.json()["state"] == "in_progress" and response.json()["version"] == task.version
    assert TaskEvent.objects.filter(task=task).count() == events + 1


def test_stale_version_is_409_and_changes_nothing(frozen, make_task, api_as):
    task = make_task()
    seen = task.version
    assert api_as("lead_officer").post(f"/tasks/{task.pk}/acknowledge", {"version": seen}).status_code == 200
    events = TaskEvent.objects.filter(task=task).count()
    response = api_as("lead_officer").post(
        f"/tasks/{task.pk}/report_progress", {"version": seen, "text": "Đã xong 50%", "percent": 50}
    )
    assert response.status_code == 409
    assert "Vui lòng tải lại" in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == "version"
    task.refresh_from_db()
    assert task.progress == 0
    assert TaskEvent.objects.filter(task=task).count() == events


def test_coordinating_unit_may_not_acknowledge(frozen, make_task, api_as):
    task = make_task()
    response = api_as("coord_officer").post(f"/tasks/{task.pk}/acknowledge")
    assert response.status_code == 403
    assert response.json()["detail"] == "Chỉ đơn vị chủ trì được tiếp nhận nhiệm vụ vừa giao."
    task.refresh_from_db()
    assert task.state == tl.ASSIGNED


def test_officer_of_another_unit_cannot_act_on_task(frozen, make_task, api_as):
    task = make_task()
    assert api_as("other_officer").post(f"/tasks/{task.pk}/acknowledge").status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"text": "Đang làm", "percent": 150}, "percent", "Tiến độ phải từ 0 đến 100"),
        ({"text": "", "percent": 10}, "text", "Phải nhập nội dung báo cáo tiến độ"),
        ({"text": "Đang làm"}, "percent", "thiếu giá trị bắt buộc"),
        ({"text": "Đang làm", "percent": "nhiều"}, "percent", "số nguyên"),
    ],
)
def test_bad_action_body_is_422_naming_the_field(frozen, make_task, api_as, body, field, words):
    task = make_task(assign=False, state=tl.IN_PROGRESS)
    response = api_as("lead_officer").post(f"/tasks/{task.pk}/report_progress", body)
    assert response.status_code == 422, response.json()
    assert response.json()["errors"][0]["field"] == field
    assert words in response.json()["errors"][0]["message"]
    task.refresh_from_db()
    assert task.progress == 0 and not task.progress_reports.exists()


def test_malformed_json_is_400_in_vietnamese(frozen, make_task, api_as):
    task = make_task()
    api = api_as("lead_officer")
    response = api.client.post(
        f"/api/v1/tasks/{task.pk}/acknowledge", "{nope", content_type="application/json", headers=api.headers
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Thân yêu cầu không phải JSON hợp lệ."


def test_full_lifecycle_through_the_api(frozen, make_task, api_as, personas, registry):
    """Every action of the page, through its endpoint, by the persona the rules allow."""
    task = make_task(assign=False, due_date=date(2026, 3, 31))
    tracker, head, officer = api_as("tracker"), api_as("lead_head"), api_as("lead_officer")

    def do(api, action: str, body: dict | None = None) -> dict:
        response = api.post(f"/tasks/{task.pk}/{action}", body or {})
        assert response.status_code == 200, (action, response.json())
        return response.json()

    assert do(tracker, "assign")["state"] == tl.ASSIGNED
    assert do(officer, "acknowledge")["state"] == tl.IN_PROGRESS
    do(head, "delegate", {"officer": personas["lead_officer"].pk, "internal_due_date": "2026-03-25"})
    do(api_as("coord_officer"), "contribute", {"text": "Sở Tài chính thống nhất dự toán"})
    assert do(officer, "report_progress", {"text": "Đã khảo sát", "percent": 40})["progress"] == 40
    do(officer, "request_change", {"reason": "Chờ ý kiến Bộ", "proposed_due_date": "2026-04-15"})
    decided = do(
        api_as("leader"),
        "decide_change",
        {"approve": True, "new_due_date": "2026-04-15", "decision_document": "Văn bản 99/UBND-TKBT"},
    )
    assert decided["due_date"] == "2026-04-15"
    assert DeadlineChange.objects.get(task=task).status == "approved"
    do(officer, "submit_result", {"document_number": "12/BC-SXD", "document_date": "2026-03-10"})
    assert do(tracker, "return_result", {"reason": "Thiếu số liệu"})["state"] == tl.IN_PROGRESS
    do(officer, "submit_result", {"document_number": "13/BC-SXD", "document_date": "2026-03-10"})
    done = do(tracker, "confirm_completion")
    assert done["state"] == tl.COMPLETED and done["completed_on"] == "2026-03-10"
    task.refresh_from_db()
    assert task.officer == personas["lead_officer"]
    assert [e.action for e in task.events.order_by("at", "id")] == [
        "create", "assign", "acknowledge", "delegate", "contribute", "progress", "request_change",
        "decide_change", "submit", "return", "submit", "confirm",
    ]  # fmt: skip


def test_change_lead_and_cancel(frozen, make_task, api_as, registry):
    task = make_task()
    tracker = api_as("tracker")
    moved = tracker.post(
        f"/tasks/{task.pk}/change_lead", {"new_lead": registry["SYT"].pk, "reason": "Đúng chức năng"}
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["lead_unit"]["id"] == registry["SYT"].pk
    # the former lead unit no longer sees it
    assert api_as("lead_officer").get(f"/tasks/{task.pk}").status_code == 404
    same = tracker.post(f"/tasks/{task.pk}/change_lead", {"new_lead": registry["SYT"].pk, "reason": "Lại"})
    assert same.status_code == 422 and same.json()["errors"][0]["field"] == "new_lead"
    refused = tracker.post(f"/tasks/{task.pk}/cancel", {"reason": ""})
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "reason"
    cancelled = api_as("leader").post(f"/tasks/{task.pk}/cancel", {"reason": "Không còn phù hợp"})
    assert cancelled.json()["state"] == tl.CANCELLED
    assert Task.objects.get(pk=task.pk).state == tl.CANCELLED


def test_delegate_to_officer_of_another_unit_is_refused(frozen, make_task, api_as, personas):
    task = make_task(assign=False, state=tl.IN_PROGRESS)
    response = api_as("lead_head").post(
        f"/tasks/{task.pk}/delegate", {"officer": personas["other_officer"].pk}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "officer"
    assert "Cán bộ không thuộc đơn vị" in response.json()["errors"][0]["message"]


def test_progress_report_marked_for_a_report_cycle_through_the_api(frozen, make_task, api_as):
    """Issue 14: the progress action takes `report_cycle` (the cycle's deadline, ISO date) like the page's form."""
    from datetime import date

    from dondoc.followup.models import ReportOccurrence

    task = make_task(report_day_of_month=25, must_report=True)  # assigned 02/02/2026: cycles 25/02, 25/03, …
    api = api_as("lead_officer")
    assert api.post(f"/tasks/{task.pk}/acknowledge").status_code == 200
    bad = api.post(
        f"/tasks/{task.pk}/report_progress", {"text": "Tháng 2", "percent": 20, "report_cycle": "2026-02-24"}
    )
    assert bad.status_code == 422, bad.json()
    assert bad.json()["errors"][0]["field"] == "report_cycle"
    assert "không phải là kỳ báo cáo của nhiệm vụ này" in bad.json()["errors"][0]["message"]
    ok = api.post(
        f"/tasks/{task.pk}/report_progress", {"text": "Tháng 2", "percent": 20, "report_cycle": "2026-02-25"}
    )
    assert ok.status_code == 200, ok.json()
    met = ReportOccurrence.objects.get(task=task)
    assert (met.cycle, met.met_on) == (date(2026, 2, 25), date(2026, 3, 10))


def test_task_shows_its_effective_deadline_and_a_result_awaiting_confirmation(
    frozen, make_task, api_as, personas
):
    """Issue 14: due Sat 14/02/2026 (Tết) → judged by Mon 23/02; a result dated 23/02 awaiting confirmation is
    counted on time and flagged, in the list and the detail."""
    from dondoc.tracking import actions

    task = make_task(due_date=date(2026, 2, 14))
    lead = personas["lead_officer"].user
    frozen.move_to("2026-02-23 10:00 +07:00")
    actions.acknowledge(task, lead)
    actions.submit_result(task, lead, document_number="7/BC-SXD", document_date=date(2026, 2, 23))
    api = api_as("tracker")
    item = api.get("/tasks").json()["items"][0]
    detail = api.get(f"/tasks/{task.pk}").json()
    for out in (item, detail):
        assert out["due_date"] == "2026-02-14" and out["effective_due_date"] == "2026-02-23"
        assert out["awaiting_confirmation"] is True and out["bucket"] == "completed_on_time"


def test_history_names_each_actor_by_full_name_else_username_and_the_system_by_nothing(
    frozen, make_task, api_as, personas
):
    """The history of `GET /tasks/{id}` is read as plain values (issue 19): the actor's name is still the user's
    full name (`get_full_name`), the username when it has none, and nothing for an event of the system."""
    from django.utils import timezone

    from dondoc.tracking.models import TaskEvent

    task = make_task(assign=False)
    officer = personas["lead_officer"].user
    officer.first_name, officer.last_name = "", ""
    officer.save()
    for actor in (None, officer):
        TaskEvent.objects.create(task=task, at=timezone.now(), actor=actor, action=TaskEvent.Action.PROGRESS)
    events = api_as("tracker").get(f"/tasks/{task.pk}").json()["events"]
    tracker = personas["tracker"].user
    assert tracker.get_full_name() and events[0]["actor"] == tracker.get_full_name()
    assert [e["actor"] for e in events[1:]] == ["", officer.username]
    assert events[1]["action_label"] == str(TaskEvent.Action.PROGRESS.label)


def test_the_count_of_a_list_the_counted_rows_answer_is_theirs_and_the_tasks(
    frozen, directive, registry, api_as
):
    """Issue 19: the first page's count of the city's question of a bucket only, for a reader who sees every unit,
    is summed from the city's counted rows (its overdue tasks at 10^6: 17,814 index entries against 366 rows); the
    same number as the tasks listed, for every bucket, for the city and a unit, cleared for secret tasks or not.
    A unit's people (who also see the tasks their unit coordinates) count each part off its rows (their unit's
    and its coordinated tasks'); a unit's question and any other filter are counted from the tasks."""
    import random

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.helpers import random_task_fields

    rng = random.Random(11)
    Task.objects.bulk_create([Task(**random_task_fields(rng, directive, registry)) for _ in range(60)])
    for persona in ("tracker", "inspector"):
        api = api_as(persona)
        for unit in (None, registry["SXD"].pk):
            for bucket in (None, *(b for b in tl.BUCKETS if b != tl.DRAFTED)):  # drafts are never listed
                params = {k: v for k, v in {"unit": unit, "bucket": bucket}.items() if v}
                with CaptureQueriesContext(connection) as ctx:
                    page = api.get("/tasks", limit=200, **params).json()
                assert page["count"] == len(page["items"]), (persona, params)
                counts = [
                    q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"] or "SUM(" in q["sql"]
                ]
                assert len(counts) == 1, (persona, params)
                # the city's question off the city's counted rows; a unit's off its index of the tasks
                assert ("bucketcount" in counts[0]) == (unit is None), (persona, params)
    # a unit's people: their unit's own tasks and those it coordinates, each part off its counted rows
    for task in Task.objects.exclude(lead_unit=registry["SXD"]).order_by("id")[::3]:
        Coordination.objects.create(task=task, unit=registry["SXD"])
    officer = api_as("lead_officer")
    for bucket in (None, tl.OVERDUE, tl.DUE_SOON, tl.COMPLETED_LATE):
        with CaptureQueriesContext(connection) as ctx:
            page = officer.get("/tasks", limit=200, **({"bucket": bucket} if bucket else {})).json()
        assert page["count"] == len(page["items"]), bucket
        assert bucket or page["count"] > 0
        sums = [q["sql"] for q in ctx.captured_queries if "SUM(" in q["sql"] or "COUNT(" in q["sql"]]
        assert len(sums) == 2 and "coordinatedbucketcount" in sums[1], bucket
