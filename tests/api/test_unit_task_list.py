"""Issue 19, Q1: one unit's task list of one bucket through the API (`/tasks?unit=U&bucket=B`), read by statements
built once per shape, answers as the list of any other question: the tasks its reader may see, in deadline order,
counted, each item as the task's own answer shows it, and the export recorded."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.audit.models import AuditEntry
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task

pytestmark = pytest.mark.django_db

BUCKETS = (None, *(b for b in tl.BUCKET_LABELS if b != tl.DRAFTED))


def _in(found: str, bucket: str | None) -> bool:
    """Whether a task of bucket `found` is listed in `bucket` (every one without; due soon is in deadline too)."""
    return bucket is None or found == bucket or tl.PARTS.get(bucket) == found


def _tasks(make_task):
    d = date
    made = [
        make_task(due_date=d(2026, 3, 2)),  # overdue
        make_task(due_date=d(2026, 3, 3), secret=True),  # overdue, secret
        make_task(due_date=d(2026, 3, 7)),  # a Saturday: effective Monday 09/03, overdue
        make_task(due_date=d(2026, 3, 11), lead="STC", coordinators=("SXD",)),  # due soon, SXD coordinates
        make_task(due_date=d(2026, 3, 11), lead="STC", coordinators=()),  # due soon, STC alone
        make_task(due_date=d(2026, 6, 30), lead="SYT", coordinators=()),  # in deadline
        make_task(due_date=d(2026, 3, 4), lead="SYT", coordinators=()),  # overdue
        make_task(),  # no deadline
        make_task(due_date=d(2026, 4, 1), assign=False),  # a draft: never listed without asking
    ]
    done = [make_task(due_date=d(2026, 3, 5)) for _ in range(4)]
    Task.objects.filter(pk=done[0].pk).update(state=tl.COMPLETED, completed_on=d(2026, 3, 4))
    Task.objects.filter(pk=done[1].pk).update(state=tl.COMPLETED, completed_on=d(2026, 3, 9))
    Task.objects.filter(pk=done[2].pk).update(state=tl.CANCELLED, cancelled_on=d(2026, 3, 6))
    Task.objects.filter(pk=done[3].pk).update(state=tl.RESULT_SUBMITTED, completed_on=d(2026, 3, 4))
    return made + done


@pytest.mark.parametrize("persona", ["tracker", "inspector", "lead_officer"])
def test_a_units_list_of_a_bucket_is_what_its_reader_sees_in_order_counted(
    frozen, make_task, api_as, registry, personas, persona
):
    """For every unit and bucket: the tasks of `visible_to` (secret ones for the cleared only; a unit's people
    their unit's and coordinated tasks), led by the unit, in the bucket, by deadline (none last) then id; the count
    is theirs, pages cut where asked, and each item is the task's own answer (`GET /tasks/{id}`)."""
    _tasks(make_task)
    ref = date(2026, 3, 10)
    soon = tl.soon_limit(ref)
    api = api_as(persona)
    visible = list(Task.objects.visible_to(personas[persona].user).exclude(state=tl.DRAFT))
    for code in ("SXD", "STC", "SYT", "H26"):
        unit = registry[code].pk
        for bucket in BUCKETS:
            expected = sorted(
                (t for t in visible if t.lead_unit_id == unit and _in(t.bucket_on(ref, soon), bucket)),
                key=lambda t: (t.due_date is None, t.due_date or ref, t.pk),
            )
            params = {"unit": unit, **({"bucket": bucket} if bucket else {})}
            page = api.get("/tasks", limit=200, **params).json()
            assert page["count"] == len(expected), (code, bucket)
            assert [t["id"] for t in page["items"]] == [t.pk for t in expected], (code, bucket)
            for item in page["items"]:
                one = api.get(f"/tasks/{item['id']}").json()
                assert item == {name: one[name] for name in item}, (code, bucket)
            if len(expected) > 1:
                second = api.get("/tasks", limit=1, offset=1, **params).json()
                assert [t["id"] for t in second["items"]] == [expected[1].pk]
                past = api.get("/tasks", limit=5, offset=50, **params).json()  # no row to carry the count
                assert (past["count"], past["items"], past["next"]) == (len(expected), [], None)
                assert second["count"] == len(expected) and second["next"] == (
                    f"{expected[1].due_date.isoformat() if expected[1].due_date else '-'}.{expected[1].pk}"
                )
    assert (
        api.get("/tasks", unit=registry["SXD"].pk, bucket="xyz").status_code == 422
    )  # still the form's check
    assert api.get("/tasks", unit=987654).status_code == 422  # an unknown unit, still refused


def test_a_units_list_records_its_export(frozen, make_task, api_as, registry):
    """One audit entry a page, with the question, the page's bounds and the total, as every list page records."""
    _tasks(make_task)
    api = api_as("tracker")
    before = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count()
    page = api.get("/tasks", unit=registry["SXD"].pk, bucket=tl.OVERDUE, limit=2).json()
    entries = list(AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).order_by("id"))[before:]
    assert len(entries) == 1
    after = entries[0].after
    assert after["what"] == "Danh sách nhiệm vụ (API)" and after["count"] == 2 == len(page["items"])
    assert after["filter"] == {"unit": registry["SXD"].pk, "bucket": tl.OVERDUE}
    assert (after["limit"], after["offset"], after["total"]) == (2, 0, page["count"]) and page["count"] == 3


def test_a_units_list_builds_its_statements_once(frozen, make_task, api_as, registry, monkeypatch):
    """Issue 19: the list of one unit's bucket is read by statements built once per shape: asked again for
    another unit, Django compiles no statement (building and compiling the count and the page, with the filter
    form, were ~3 ms of the request's CPU)."""
    from django.db.models.sql import compiler

    _tasks(make_task)
    api = api_as("tracker")
    assert api.get("/tasks", unit=registry["SXD"].pk, bucket=tl.OVERDUE).json()["count"] == 3
    compiled = []
    original = compiler.SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        compiled.append(self.query.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(compiler.SQLCompiler, "as_sql", as_sql)
    page = api.get("/tasks", unit=registry["SYT"].pk, bucket=tl.OVERDUE).json()
    assert page["count"] == 1 and compiled == []
