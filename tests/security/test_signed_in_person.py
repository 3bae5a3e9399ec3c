"""Who is signed in, read once a request: the user with its person and unit in one statement
(`accounts.policy.PersonBackend`, issue 19), and the same answers as `person_of` gave reading them apart."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc.org.access import person_of
from dondoc.org.models import Person
from tests.helpers import PASSWORD

NO_PERSON = "Tài khoản chưa được gắn với cán bộ"


def statements_of(client, address: str = "/") -> list[str]:
    client.get(address)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_a_page_reads_the_user_its_person_and_unit_in_one_statement(client, personas, frozen):
    client.force_login(personas["lead_officer"].user)
    statements = statements_of(client)
    users = [s for s in statements if 'FROM "auth_user"' in s]
    assert len(users) == 1 and '"org_person"' in users[0] and '"org_unit"' in users[0]
    assert not [s for s in statements if 'FROM "org_person"' in s]


def test_a_login_through_the_form_reads_them_together_too(client, personas, frozen):
    username = personas["tracker"].user.username
    assert client.post("/dang-nhap/", {"username": username, "password": PASSWORD}).status_code == 302
    assert not [s for s in statements_of(client) if 'FROM "org_person"' in s]


def test_the_person_is_the_active_one_of_the_account(client, personas, frozen):
    person = personas["lead_officer"]
    client.force_login(person.user)
    response = client.get("/")
    assert response.wsgi_request.user._dondoc_person == person
    assert person_of(response.wsgi_request.user).unit == person.unit
    Person.objects.filter(pk=person.pk).update(active=False)  # (saved, the account is signed out as well)
    response = client.get("/")
    assert person_of(response.wsgi_request.user) is None and NO_PERSON in response.content.decode()


def test_an_account_with_no_person_is_no_one(client, db):
    client.force_login(get_user_model().objects.create_user("khong.can.bo", password=PASSWORD))
    response = client.get("/")
    assert person_of(response.wsgi_request.user) is None and NO_PERSON in response.content.decode()


def test_a_deactivated_account_is_signed_out(client, personas, frozen):
    user = personas["leader"].user
    client.force_login(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get("/").status_code == 302
