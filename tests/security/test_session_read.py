"""Every request's first reads in one statement (issue 19, `accounts.sessions`): the session, the calendar's
generation, the user with person and unit, and on a page the unread count. The user read with the session is the one
this process last found in it (a hint), taken only when it is the user the session names; deactivation, a changed
password and the session's expiry still sign out at the next request, and the count shown stays right."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dondoc.accounts import sessions
from dondoc.followup.models import Notification
from tests.helpers import login, notify

pytestmark = pytest.mark.django_db

LOGIN = "/dang-nhap/"
FIRST_READS = ("django_session", "auth_user", "workdays_calendarversion", "followup_notification")


def first_reads(client, address: str = "/") -> tuple[int, list[str]]:
    """The response's status and the statements that read a session, a user, the generation or the count."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    return response.status_code, [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith("SELECT") and any(t in q["sql"][:600] for t in FIRST_READS)
    ]


def shown_count(response) -> int:
    return int(re.search(r'id="unread-count">(\d+)<', response.content.decode()).group(1))


def signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_a_page_reads_session_user_count_and_generation_in_one_statement(client, personas, frozen):
    login(personas["lead_officer"], client)
    status, reads = first_reads(client)
    assert status == 200 and len(reads) == 2  # the first page after the login: its person's count apart
    status, reads = first_reads(client)
    assert status == 200
    assert len(reads) == 1, reads  # four before: the generation, the session, the user, the count
    assert all(t in reads[0] for t in FIRST_READS)


def test_the_first_request_of_a_session_this_process_has_not_seen_reads_its_user_apart(
    client, personas, frozen
):
    login(personas["lead_officer"], client)
    sessions._users.clear()  # another worker's login: this process knows nothing of the session
    status, reads = first_reads(client)
    assert status == 200 and len(reads) == 3  # session with generation, user, count
    status, reads = first_reads(client)
    assert status == 200 and len(reads) == 1  # from then on, with the session


def test_a_deactivated_account_is_signed_out_at_its_next_request(client, personas, frozen):
    officer = personas["lead_officer"]
    login(officer, client)
    assert client.get("/").status_code == 200
    type(officer.user).objects.filter(pk=officer.user_id).update(is_active=False)  # another process's change
    assert signed_out(client.get("/"))


def test_a_changed_password_signs_the_other_sessions_out(client, personas, frozen):
    officer = personas["lead_officer"]
    login(officer, client)
    assert client.get("/").status_code == 200
    type(officer.user).objects.filter(pk=officer.user_id).update(password=make_password("Mat-khau-moi-2026"))
    key = client.cookies["sessionid"].value
    assert signed_out(client.get("/"))
    assert not Session.objects.filter(session_key=key).exists()  # flushed, as Django does


def test_an_expired_session_signs_out_even_with_its_user_known(client, personas, frozen):
    login(personas["lead_officer"], client)
    assert client.get("/").status_code == 200
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert signed_out(client.get("/"))


def test_a_session_is_never_given_the_user_its_hint_names_but_the_one_it_holds(personas, frozen):
    from django.test import Client

    mine, other = Client(), Client()
    login(personas["lead_officer"], mine)
    login(personas["other_officer"], other)
    notify_many(personas["other_officer"], 2)
    # the process's hint for `other`'s session wrongly names lead_officer (with person)
    lead = personas["lead_officer"]
    sessions._users[other.cookies["sessionid"].value] = (lead.user_id, lead.pk)
    response = other.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.user.pk == personas["other_officer"].user_id
    assert shown_count(response) == 2  # its own person's count, not the hinted one's
    response = other.get("/")  # the hint corrected
    assert response.wsgi_request.user.pk == personas["other_officer"].user_id and shown_count(response) == 2


def notify_many(person, n: int) -> list[Notification]:
    """`n` more reminders to `person` of the one task, each of a day of its own (the rule's key)."""
    from dondoc.tracking.models import Task

    task = Task.objects.get()  # the one `_a_task` made
    before = Notification.objects.filter(recipient=person).count()
    return [
        notify(task, person, date(2026, 3, 9) - timedelta(days=before + i), f"Nhắc {i}") for i in range(n)
    ]


@pytest.fixture(autouse=True)
def _a_task(make_task):
    make_task(content="Nhiệm vụ có nhắc việc", due_date=date(2026, 3, 1))


def test_the_count_read_with_the_session_is_right_after_reading_and_new_reminders(client, personas, frozen):
    officer = personas["lead_officer"]
    login(officer, client)
    notes = notify_many(officer, 3)
    assert shown_count(client.get("/")) == 3
    client.post(f"/don-doc/thong-bao/{notes[0].pk}/da-doc/")
    response = client.get("/")
    assert shown_count(response) == 2
    response = client.post("/don-doc/thong-bao/da-doc-het/", follow=True)  # the page drawn after the POST
    assert shown_count(response) == 0
    notify_many(officer, 1)
    assert shown_count(client.get("/")) == 1
