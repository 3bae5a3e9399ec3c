"""A calendar change made by one process is what every other process computes with from its next request, pass or
job (`workdays.calendar.check_generation`): the generation the database's triggers raise with every change."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client

from dondoc.api.models import ApiToken
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task
from dondoc.workdays import calendar
from dondoc.workdays.models import CalendarVersion
from tests.helpers import login, subprocess_database

ROOT = Path(__file__).resolve().parents[2]
DUE = date(
    2026, 3, 10
)  # a Tuesday; on 11/03 an open task due then is overdue, unless 10/03 becomes a day off

# A web worker of its own: requests through Django's whole stack (middleware included) as the leader (signed in, or
# with the token given as its argument), on 11/03/2026;
# "get ID" answers the task's bucket (the API's task), "list BUCKET" the list's count and ids, "holiday YYYY-MM-DD" enters a day off by a direct write (the pages refuse a past day: `notices.closed_days`; the
# generation follows every path of change).
WORKER = """
import json, sys
from datetime import date, datetime
from zoneinfo import ZoneInfo
import django
django.setup()
import time_machine
time_machine.travel(datetime(2026, 3, 11, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False).start()
from django.contrib.auth import get_user_model
from django.test import Client
from django.db import transaction
from dondoc.workdays.models import CalendarDay
if len(sys.argv) > 1:  # an API client: the leader's token, no session
    client = Client(HTTP_AUTHORIZATION=f"Bearer {sys.argv[1]}")
else:
    client = Client()
    client.force_login(get_user_model().objects.get(username="lanhdao"))
for line in sys.stdin:
    command, arg = line.split()
    if command == "get":
        response = client.get(f"/api/v1/tasks/{arg}")
        print(json.dumps([response.status_code, response.json().get("bucket")]), flush=True)
    elif command == "list":  # the overdue tasks as the database selects and counts them (working days in SQL)
        page = client.get(f"/api/v1/tasks?bucket={arg}").json()
        print(json.dumps([page["count"], [item["id"] for item in page["items"]]]), flush=True)
    else:
        day = date.fromisoformat(arg)
        with transaction.atomic():
            CalendarDay.objects.update_or_create(date=day, defaults={"kind": "holiday", "name": "Nghỉ thử", "notice": "Thông báo thử"})
        print(json.dumps([1]), flush=True)
"""


class Worker:
    def __init__(self, env: dict[str, str], token: str | None = None):
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, *([token] if token else [])],
            cwd=ROOT,
            env={**env, "ALLOWED_HOSTS": "testserver"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def ask(self, line: str) -> list:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        assert answer, self.process.stderr.read() if self.process.stderr else "no answer"
        return json.loads(answer)

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait(30)


def _task_due(directive, registry) -> Task:
    return Task.objects.create(
        directive=directive,
        lead_unit=registry["SXD"],
        content="Báo cáo tình hình thực hiện",
        state=tl.ASSIGNED,
        assigned_on=date(2026, 3, 2),
        due_date=DUE,
        original_due_date=DUE,
    )


@pytest.fixture
def open_task(transactional_db, personas, directive, registry) -> Task:
    return _task_due(directive, registry)


@pytest.mark.parametrize("by", ["session", "token"])
def test_a_day_off_entered_in_one_worker_is_seen_by_the_others_next_request(open_task, personas, by):
    """Through the pages' session, and through the API's token (its lookup reads the generation: `api.auth`)."""
    token = ApiToken.issue(personas["leader"].user, "lịch")[1] if by == "token" else None
    with subprocess_database() as (env, _count):
        a, b = Worker(env, token), Worker(env, token)
        try:
            assert b.ask(f"get {open_task.pk}") == [200, tl.OVERDUE]  # b has read (and cached) the calendar
            assert b.ask(f"list {tl.OVERDUE}") == [1, [open_task.pk]]
            assert a.ask(f"get {open_task.pk}") == [200, tl.OVERDUE]
            assert a.ask(f"holiday {DUE.isoformat()}") == [1]
            # The deadline falls on a day off now: it rolls to 11/03, due today: due soon, no longer overdue.
            assert b.ask(f"get {open_task.pk}") == [200, tl.DUE_SOON]
            assert b.ask(f"list {tl.OVERDUE}") == [0, []]
            assert b.ask(f"list {tl.DUE_SOON}") == [1, [open_task.pk]]
            assert a.ask(f"get {open_task.pk}") == [200, tl.DUE_SOON]
        finally:
            a.close()
            b.close()


def _enter_day_off_as_another_process(day: date) -> None:
    """A day off written as another process writes it, as far as this one can tell: no signal here."""
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO workdays_calendarday (date, kind, name, notice) VALUES (%s, 'holiday', 'Nghỉ thử', '')",
            [day],
        )


@pytest.mark.django_db
def test_every_change_raises_the_generation_in_its_transaction(registry):
    def version() -> int:
        return CalendarVersion.objects.get(pk=1).version

    start = version()
    _enter_day_off_as_another_process(date(2026, 3, 12))
    assert version() == start + 1
    from dondoc.workdays.models import CalendarDay

    CalendarDay.objects.filter(date=date(2026, 3, 12)).update(
        name="Nghỉ"
    )  # no signal: the trigger all the same
    CalendarDay.objects.filter(date=date(2026, 3, 12)).delete()
    assert version() == start + 3


@pytest.mark.django_db
@pytest.mark.parametrize("by", ["session", "token"])
def test_a_request_after_another_process_changed_the_calendar_computes_with_the_new_one(
    personas, directive, registry, time_machine, by
):
    time_machine.move_to(datetime(2026, 3, 11, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False)
    task = _task_due(directive, registry)
    if by == "token":  # an API client: no session, the generation read with its token
        client = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(personas['leader'].user, 'lịch')[1]}")
    else:
        client = login(personas["leader"])
    assert client.get(f"/api/v1/tasks/{task.pk}").json()["bucket"] == tl.OVERDUE
    assert not calendar.current().is_working_day(date(2026, 3, 8))  # cached
    _enter_day_off_as_another_process(DUE)
    assert client.get(f"/api/v1/tasks/{task.pk}").json()["bucket"] == tl.DUE_SOON
    assert not calendar.current().is_working_day(DUE)


@pytest.mark.django_db
def test_a_follow_up_pass_and_a_job_start_from_the_calendar_in_force(registry):
    from dondoc.followup import engine

    assert calendar.current().is_working_day(DUE)  # cached
    _enter_day_off_as_another_process(DUE)
    engine.run_once(datetime(2026, 3, 11, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")))
    assert not calendar.current().is_working_day(DUE)
    _enter_day_off_as_another_process(date(2026, 3, 12))
    assert calendar.check_generation()  # what the job worker runs before each job (`dondoc worker`)
    assert not calendar.current().is_working_day(date(2026, 3, 12))
    assert not calendar.check_generation()  # nothing new: nothing forgotten
