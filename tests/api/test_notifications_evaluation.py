"""Notifications (one's own only) and the evaluation counts of a period (dashboard roles only)."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.tracking import timeliness as tl
from tests.helpers import notify

pytestmark = pytest.mark.django_db


def test_notifications_are_the_callers_own_and_can_be_marked_read(frozen, make_task, personas, api_as):
    task = make_task()
    mine = [notify(task, personas["lead_officer"], date(2026, 3, d), f"Nhắc việc ngày {d}") for d in (5, 6)]
    theirs = notify(task, personas["lead_head"], date(2026, 3, 7))
    api = api_as("lead_officer")
    page = api.get("/notifications").json()
    assert page["count"] == 2
    assert [n["id"] for n in page["items"]] == [mine[1].pk, mine[0].pk]  # newest first
    assert api.post(f"/notifications/{theirs.pk}/read").status_code == 404
    read = api.post(f"/notifications/{mine[0].pk}/read")
    assert read.status_code == 200 and read.json()["read_at"] is not None
    assert [n["id"] for n in api.get("/notifications", unread="true").json()["items"]] == [mine[1].pk]
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_evaluation_counts_of_a_period(frozen, make_task, registry, api_as):
    make_task(due_date=date(2026, 3, 2))  # open past its deadline: overdue
    make_task(assign=False, state=tl.COMPLETED, due_date=date(2026, 3, 5), completed_on=date(2026, 3, 4))
    make_task(due_date=date(2026, 3, 3), lead="SYT", coordinators=())
    api = api_as("leader")
    city = api.get("/evaluation", loai_ky="thang", ky="2026-3").json()
    assert city["period"]["start"] <= "2026-03-02" <= city["period"]["end"]
    (row,) = city["rows"]
    assert (row["due"], row["on_time"], row["overdue"], row["completion_rate"]) == (3, 1, 2, 33.3)
    by_unit = api.get("/evaluation", loai_ky="thang", ky="2026-3", by="unit").json()
    rows = {r["label"]: r for r in by_unit["rows"]}
    assert rows["Sở Xây dựng"]["due"] == 2 and rows["Sở Xây dựng"]["on_time"] == 1
    assert rows["Sở Y tế"]["overdue"] == 1


def test_evaluation_refuses_unit_officers_and_bad_periods(frozen, api_as):
    refused = api_as("lead_officer").get("/evaluation")
    assert refused.status_code == 403
    bad = api_as("tracker").get("/evaluation", loai_ky="thang", ky="2026-13")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "ky"
    by = api_as("tracker").get("/evaluation", by="nowhere")
    assert by.status_code == 422 and by.json()["errors"][0]["field"] == "by"


def test_evaluation_at_a_reference_date_counts_secret_tasks_for_every_reader(frozen, make_task, api_as):
    """ngay=2026-03-01: the task due 02/03 was still within its deadline then. The leader counts the secret task as
    of any day; the inspector (not cleared) as of a past cut-off only (February's 14/02 here: the secret task is
    due in March), else the tasks they may see (`secrecy.fixed_reference`); a date after
    today is refused naming the field."""
    make_task(due_date=date(2026, 3, 2))
    make_task(due_date=date(2026, 3, 3), secret=True)
    for who, n in (("leader", 2), ("inspector", 1)):
        (row,) = (
            api_as(who).get("/evaluation", loai_ky="thang", ky="2026-3", ngay="2026-03-01").json()["rows"]
        )
        assert (row["due"], row["in_deadline"], row["overdue"]) == (n, n, 0), who
        (row,) = api_as(who).get("/evaluation", loai_ky="thang", ky="2026-3").json()["rows"]
        assert (row["due"], row["in_deadline"], row["overdue"]) == (n, 0, n), who
    late = api_as("inspector").get("/evaluation", ngay="2026-03-11")
    assert late.status_code == 422
    (error,) = late.json()["errors"]
    assert error["field"] == "ngay" and "Số liệu tính đến ngày" in error["message"]


def test_evaluation_reads_what_happened_after_its_date_once(frozen, make_task, api_as):
    """Issue 19, Q2: the period's counts and its due-soon counts share one reading of what happened after the
    reference date (`stats.as_of`), as the dashboard page does: one statement of index probes, not two; the
    due-soon count is the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_task(due_date=date(2026, 3, 11))  # due soon
    make_task(due_date=date(2026, 3, 2))  # overdue
    api = api_as("leader")
    with CaptureQueriesContext(connection) as ctx:
        body = api.get("/evaluation", by="unit").json()
    probes = [q["sql"] for q in ctx.captured_queries if "MAX(completed_on)" in q["sql"]]
    assert len(probes) == 1
    assert sum(r["due_soon"] for r in body["rows"]) == 1
