"""Review of the session statement's hint (`accounts.sessions._users`: session key → user and person): a person
given to another account, a person moved to another unit, a sign-out and sign-in of another account on the same
browser, each at the next page; and the calendar's generation still read on the requests without a session (an API
token's)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from dondoc.api.models import ApiToken
from dondoc.org.models import Person
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task
from dondoc.workdays import calendar
from tests.api.helpers import ApiClient
from tests.helpers import login, notify

pytestmark = pytest.mark.django_db


def shown_count(response) -> int:
    return int(re.search(r'id="unread-count">(\d+)<', response.content.decode()).group(1))


@pytest.fixture
def reminded(make_task):
    return make_task(content="Nhiệm vụ có nhắc việc", due_date=date(2026, 3, 1))


def _notes(task, person, n: int) -> None:
    for i in range(n):
        notify(task, person, date(2026, 3, 9) - timedelta(days=i), f"Nhắc {i}")


def test_an_account_given_another_person_shows_that_persons_count_and_unit(
    client, personas, registry, reminded, frozen
):
    officer = personas["lead_officer"]
    login(officer, client)
    _notes(reminded, officer, 3)
    client.get("/")
    assert shown_count(client.get("/")) == 3  # the hint knows (user, person)
    user = officer.user
    Person.objects.filter(pk=officer.pk).update(user=None)
    other = Person.objects.create(full_name="Người khác", unit=registry["STC"], user=user)
    _notes(reminded, other, 1)
    for _ in range(2):  # the hint's person is stale, then corrected
        response = client.get("/")
        assert response.status_code == 200
        assert response.wsgi_request.user.person.pk == other.pk
        assert response.wsgi_request.user.person.unit_id == registry["STC"].pk
        assert shown_count(response) == 1


def test_a_person_moved_to_another_unit_is_of_that_unit_at_the_next_page(client, personas, registry, frozen):
    officer = personas["lead_officer"]
    login(officer, client)
    client.get("/")
    client.get("/")
    Person.objects.filter(pk=officer.pk).update(unit=registry["STC"])
    response = client.get("/")
    assert response.wsgi_request.user.person.unit_id == registry["STC"].pk


def test_another_account_signed_in_on_the_same_browser_is_itself(client, personas, reminded, frozen):
    first, second = personas["lead_officer"], personas["other_officer"]
    _notes(reminded, first, 3)
    _notes(reminded, second, 1)
    login(first, client)
    client.get("/")
    assert shown_count(client.get("/")) == 3
    old_key = client.cookies["sessionid"].value
    client.post("/dang-xuat/")
    login(second, client)
    assert client.cookies["sessionid"].value != old_key
    for _ in range(2):
        response = client.get("/")
        assert response.wsgi_request.user.pk == second.user_id and shown_count(response) == 1


def test_a_token_request_sees_another_processs_day_off(personas, directive, registry, time_machine):
    time_machine.move_to(datetime(2026, 3, 11, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False)
    task = Task.objects.create(
        directive=directive,
        lead_unit=registry["SXD"],
        content="Báo cáo tình hình thực hiện",
        state=tl.ASSIGNED,
        assigned_on=date(2026, 3, 2),
        due_date=date(2026, 3, 10),
    )
    _, raw = ApiToken.issue(personas["leader"].user, "thử nghiệm")
    api = ApiClient(raw)
    assert api.get(f"/tasks/{task.pk}").json()["bucket"] == tl.OVERDUE
    assert calendar.current().is_working_day(date(2026, 3, 10))  # cached
    with connection.cursor() as cur:  # as another process writes it: no signal here
        cur.execute(
            "INSERT INTO workdays_calendarday (date, kind, name, notice) VALUES (%s, 'holiday', 'Nghỉ thử', '')",
            [date(2026, 3, 10)],
        )
    assert api.get(f"/tasks/{task.pk}").json()["bucket"] == tl.DUE_SOON
