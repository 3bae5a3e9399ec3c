"""The queries of issue 19's Q4 (create a draft + assign) and Q5 (submit the result + confirm) through the API: a
ceiling per request, so that a repeated read coming back fails here; and the answer of an action, built from the
row the action saved, equal to what a read of the task gives."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc.audit.models import AuditEntry
from dondoc.evaluation.models import MonthCount, TrendCount
from dondoc.tracking.models import BucketCount, CityBucketCount
from tests.api.helpers import task_body

# A transaction that commits, as in production: the chainer links the audit events after each commit.
pytestmark = pytest.mark.django_db(transaction=True)

# Per request, on SQLite; on PostgreSQL five fewer (the chainer's seven are two strings of statements: BEGIN, its
# lock and the batch taken off with the chain's last entry, `DELETE … RETURNING`; then the chain's INSERT, COMMIT
# and its look for more), and for an action two fewer again (the task's history and coordinators come with its
# locked read, and the answer adds the row the action wrote: `tracking.held`).
# Every request: the token with its user and person, and the calendar's generation (1); after the commit the
# chainer's transaction (BEGIN, the waiting events, the chain's last entry, INSERT, DELETE, COMMIT: 6) and its look
# for more (1).
# create: the directive, the lead unit (form); BEGIN, INSERT task, audit event, history row (it reads back the webhook
#   subscribers), COMMIT; the answer reads nothing: the task just created holds its coordinators and its one history row, and has
#   no children and no pending request.
# assign: the task as seen; BEGIN, the task locked (with whether a deadline request is pending and whether it
#   has children), the unit's head, the follow-up facts (coordinators' input deadlines) and rules, UPDATE, audit
#   event, history row (with the webhook subscribers), COMMIT; the answer: the coordinators, the history (the children only
#   when it has some).
# submit_result / confirm_completion: as assign, without the head and the follow-up reads (a task no one owes work
#   on has no next step), with the result (INSERT + its audit event; confirm: the latest result read); the lead
#   unit's officer's answer asks whether its unit coordinates the task from the coordinators already read.
# assign and submit_result also set the task's next follow-up time in its own table when it changes (one upsert,
#   `TaskSchedule.store`: set on assign, cleared once a result waits for confirmation).
# The calendar generation each request begins with is read with the token (`api.auth.TokenLookupMiddleware`).
# An action reads the task as its caller sees it once, in its transaction and under the row lock, with what the
# action's locked read reads (`actions.one_action`, `lock_read`): not once to check it is visible and again to lock
# it; the action's own transaction adds no savepoint inside it.
# On PostgreSQL a new next follow-up time is written by the task's UPDATE itself (`Task._schedule_along`): assign and
# submit_result one fewer again; and the lead unit's head and the follow-up rules in force come with the locked read
# (`actions._current_head`, `actions.LOCKED_WITH`): assign two fewer again.
CEILING = {"create": 15, "assign": 20, "submit_result": 19, "confirm_completion": 17}


def ceiling(name: str) -> int:
    if connection.vendor != "postgresql":
        return CEILING[name]
    # assign: one fewer again, the follow-up facts take the coordinators' input deadlines from the locked read.
    return CEILING[name] - (
        5 if name == "create" else 9 if name == "assign" else 8 if name == "submit_result" else 7
    )


def test_q4_q5_requests_stay_within_their_query_counts(frozen, api_as, directive, registry):
    tracker, officer = api_as("tracker"), api_as("lead_officer")
    body = {"content": "Nhiệm vụ đo số truy vấn", "lead_unit": registry["SXD"].pk, "deadline": "10/04/2026"}
    counts: dict[str, list[str]] = {}

    def run(name: str, client: Any, path: str, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(path, payload)
        assert response.status_code in (200, 201), response.json()
        counts[name] = [q["sql"] for q in ctx.captured_queries]
        return response.json()

    for round_no in range(2):  # the first round warms the caches (calendar, tokens' last-used time)
        pk = run("create", tracker, f"/directives/{directive.pk}/tasks", body)["id"]
        run("assign", tracker, f"/tasks/{pk}/assign")
        officer.post(f"/tasks/{pk}/acknowledge")
        result = {"document_number": f"{round_no}/BC", "document_date": "2026-03-10"}
        run("submit_result", officer, f"/tasks/{pk}/submit_result", result)
        assert run("confirm_completion", tracker, f"/tasks/{pk}/confirm_completion")["state"] == "completed"
    for name, queries in counts.items():
        assert len(queries) <= ceiling(name), (name, len(queries), queries)
    # The audit events of the requests are linked (the chain holds), none left waiting.
    assert AuditEntry.objects.filter(object_type="tracking.task", object_id=str(pk)).count() == 5
    # The counted rows the writes appended (PostgreSQL: pending rows, `core.counted_sql`) were folded by the
    # chainer right after each commit, in the statement that takes its lock: none is left for the readers to sum.
    for counted in (BucketCount, CityBucketCount, MonthCount, TrendCount):
        assert not counted.objects.exclude(pending=0).exists(), counted


def test_action_answers_are_the_task_as_read_again(frozen, api_as, directive, registry, personas):
    """The answer of create and of each action, built from the rows the request wrote, equals a read of the task
    afterwards (the answer of `GET /tasks/{id}`) for the one who acted."""
    tracker, head, officer = api_as("tracker"), api_as("lead_head"), api_as("lead_officer")
    leader = api_as("leader")
    body = task_body(
        registry,
        "Nhiệm vụ so sánh câu trả lời",
        "10/04/2026",
        must_report=True,
        report_deadline="trước ngày 25 hằng tháng",
    )
    created = tracker.post(f"/directives/{directive.pk}/tasks", body)
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json() == tracker.get(f"/tasks/{pk}").json()
    # With several coordinators, and answered by its creator (the history names the actor).
    several = tracker.post(
        f"/directives/{directive.pk}/tasks",
        {**body, "coordinating_units": [registry["STC"].pk, registry["SYT"].pk]},
    ).json()
    assert len(several["coordinating_units"]) == 2 and several["events"][0]["actor"]
    assert several == tracker.get(f"/tasks/{several['id']}").json()
    steps: list[tuple[Any, str, dict[str, Any]]] = [
        (tracker, "assign", {}),
        (officer, "acknowledge", {}),
        (head, "delegate", {"officer": personas["lead_officer"].pk, "internal_due_date": "2026-04-01"}),
        (officer, "report_progress", {"text": "Đã triển khai", "percent": 40}),
        (officer, "request_change", {"reason": "Chờ ý kiến Sở Tài chính", "proposed_due_date": "2026-05-10"}),
        (leader, "decide_change", {"approve": False, "note": "Không chấp thuận"}),
        (
            officer,
            "submit_result",
            {"document_number": "9/BC-SXD", "document_date": "2026-03-10", "summary": "Xong"},
        ),
        (tracker, "return_result", {"reason": "Thiếu phụ lục"}),
        (
            officer,
            "submit_result",
            {"document_number": "10/BC-SXD", "document_date": "2026-03-10", "summary": "Xong"},
        ),
        (tracker, "confirm_completion", {}),
    ]
    for client, action, payload in steps:
        answer = client.post(f"/tasks/{pk}/{action}", payload)
        assert answer.status_code == 200, (action, answer.json())
        assert answer.json() == client.get(f"/tasks/{pk}").json(), action
    assert created.json()["state"] == "draft" and answer.json()["state"] == "completed"


def test_assign_reads_the_head_and_the_rules_in_force_with_the_locked_task(
    frozen, api_as, directive, registry
):
    """What assign takes from the locked read (on PostgreSQL: the lead unit's head, the follow-up rules in force) is
    what asking gives at that moment: the first registered active head, not an inactive or later one; the rules
    without the one switched off — the task's next follow-up time is the engine's, computed again by asking."""
    from dondoc.followup import engine
    from dondoc.followup.models import FollowupRule
    from dondoc.org.models import Person
    from dondoc.tracking.models import Task

    unit = registry["SXD"]
    first = unit.current_head()
    assert first is not None
    Person.objects.create(full_name="Trưởng mới", unit=unit, position=Person.Position.HEAD, role=first.role)
    Person.objects.filter(pk=first.pk).update(active=False)  # the first head leaves: the next one is head
    expected = unit.current_head()
    assert expected is not None and expected.pk != first.pk
    engine.install_default_rules()  # (a transactional test before this one emptied the table)
    FollowupRule.objects.filter(code="completion_before_5").update(active=False)
    tracker = api_as("tracker")
    body = {"content": "Nhiệm vụ giao cho trưởng mới", "lead_unit": unit.pk, "deadline": "10/04/2026"}
    pk = tracker.post(f"/directives/{directive.pk}/tasks", body).json()["id"]
    answer = tracker.post(f"/tasks/{pk}/assign")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["accountable_head"] == "Trưởng mới"
    task = Task.objects.get(pk=pk)
    assert task.accountable_head_id == expected.pk
    stored = task.next_followup_at
    engine.refresh(task)  # asked again: the rules in force, read by the engine's own statement
    assert stored is not None and stored == task.next_followup_at
