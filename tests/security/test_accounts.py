"""Accounts: lockout per account and per address (django-axes), session expiry after inactivity, Vietnamese
password rules, the first-login password change, deactivation that keeps history."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model

from dondoc.accounts import policy as accounts
from dondoc.audit.models import AccountFlag, AuditEntry
from dondoc.org.models import Person
from dondoc.tracking import actions
from tests.helpers import PASSWORD, administrator

LOGIN = "/dang-nhap/"


def attempt(client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return client.get("/").status_code == 200


def test_account_is_locked_after_the_limit_even_from_many_addresses(client, personas, frozen):
    limit = settings.LOGIN_FAILURE_LIMIT
    for i in range(limit):
        response = attempt(client, "sxd.cv1", "sai-mat-khau", address=f"10.0.1.{i}")
    assert response.status_code == 429
    response = attempt(client, "sxd.cv1", PASSWORD, address="10.0.2.1")  # right password, still locked
    assert response.status_code == 429
    page = response.content.decode()
    assert (
        "Tạm khóa đăng nhập" in page
        and "sxd.cv1" in page
        and f"{settings.LOGIN_LOCKOUT_MINUTES} phút" in page
    )
    assert not logged_in(client)
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOCKOUT, username="sxd.cv1").exists()
    # Another account is not affected.
    assert attempt(client, "stc.cv1", PASSWORD, address="10.0.2.2").status_code == 302
    client.logout()
    # After the cool-off the right password works again.
    frozen.shift(timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1))
    assert attempt(client, "sxd.cv1", PASSWORD, address="10.0.2.1").status_code == 302
    assert logged_in(client)


def test_one_failure_short_of_the_limit_then_success_resets_the_count(client, personas, frozen):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert attempt(client, "sxd.cv1", "sai").status_code == 200
    assert attempt(client, "sxd.cv1", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert attempt(client, "sxd.cv1", "sai").status_code == 200
    assert attempt(client, "sxd.cv1", PASSWORD).status_code == 302


def test_address_is_locked_after_its_own_larger_limit(client, personas, frozen):
    per_address = settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    assert per_address > settings.LOGIN_FAILURE_LIMIT
    for i in range(per_address - 1):  # many accounts, one failure each, from one address: an office's NAT
        assert attempt(client, f"khong-co-{i}", "sai", address="203.0.113.9").status_code == 200
    assert attempt(client, "khong-co-x", "sai", address="203.0.113.9").status_code == 429
    assert attempt(client, "sxd.cv1", PASSWORD, address="203.0.113.9").status_code == 429
    assert attempt(client, "sxd.cv1", PASSWORD, address="203.0.113.10").status_code == 302


def test_session_expires_after_inactivity_but_not_while_in_use(client, personas, frozen):
    age = settings.SESSION_COOKIE_AGE
    assert attempt(client, "sxd.cv1", PASSWORD).status_code == 302
    for _ in range(3):  # each request pushes the expiry further: active users are never thrown out
        frozen.shift(timedelta(seconds=age - 60))
        assert logged_in(client)
    frozen.shift(timedelta(seconds=age + 1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_password_rules_speak_vietnamese(client, personas):
    client.login(username="sxd.cv1", password=PASSWORD)
    response = client.post(
        "/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in page
    assert "Mật khẩu không được chỉ gồm chữ số." in page
    response = client.post(
        "/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": "password123", "new_password2": "password123"},
    )
    assert "Mật khẩu quá phổ biến" in response.content.decode()
    user = personas["lead_officer"].user
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # nothing changed


def test_account_created_by_an_administrator_must_change_its_password_first(client, registry):
    administrator(client)
    response = client.post(
        "/quan-tri/auth/user/add/",
        {
            "username": "moi.cv",
            "password1": "Ban-dau-2026!x",
            "password2": "Ban-dau-2026!x",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new_user = get_user_model().objects.get(username="moi.cv")
    assert AccountFlag.objects.get(user=new_user).must_change_password
    client.logout()

    assert attempt(client, "moi.cv", "Ban-dau-2026!x").status_code == 302
    for path in ("/", "/nhiem-vu/", "/van-ban/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/doi-mat-khau/", path
    page = client.get("/doi-mat-khau/").content.decode()
    assert "cần đặt mật khẩu của riêng mình" in page
    response = client.post(
        "/doi-mat-khau/",
        {
            "old_password": "Ban-dau-2026!x",
            "new_password1": "Rieng-cua-toi-77",
            "new_password2": "Rieng-cua-toi-77",
        },
    )
    assert response.status_code == 302
    assert client.get("/nhiem-vu/").status_code == 200
    assert not AccountFlag.objects.get(user=new_user).must_change_password


def test_accounts_made_by_commands_and_fixtures_are_not_flagged(personas):
    assert not AccountFlag.objects.exists()
    accounts.require_password_change(personas["lead_officer"].user)  # what an import calls
    assert accounts.must_change_password(personas["lead_officer"].user)


def test_deactivated_person_cannot_log_in_and_keeps_history(client, personas, make_task, frozen):
    officer = personas["lead_officer"]
    task = make_task()
    task = actions.acknowledge(task, officer.user)
    events_before = task.events.count()
    officer.active = False
    officer.save()
    officer.user.refresh_from_db()
    assert not officer.user.is_active
    assert attempt(client, "sxd.cv1", PASSWORD).status_code == 200  # refused, with the login form again
    assert not logged_in(client)
    task.refresh_from_db()
    assert task.events.count() == events_before  # nothing rewritten, nothing reassigned
    assert task.events.filter(actor=officer.user).exists()
    assert Person.objects.filter(pk=officer.pk).exists()
    change = AuditEntry.objects.filter(
        action="update", object_type="org.person", object_id=str(officer.pk)
    ).last()
    assert change is not None and change.after == {"active": False}


def test_a_success_from_the_same_address_does_not_reset_another_accounts_failures(client, personas, frozen):
    """Issue 16 finding 2: (limit − 1) wrong passwords for the victim, one correct login as the attacker's own
    account from the same address, repeat: the victim's account is locked all the same."""
    limit = settings.LOGIN_FAILURE_LIMIT
    statuses = []
    for _ in range(3):
        for _ in range(limit - 1):
            statuses.append(attempt(client, "sxd.cv1", "sai", address="203.0.113.5").status_code)
        assert attempt(client, "stc.cv1", PASSWORD, address="203.0.113.5").status_code == 302
        client.logout()
    assert statuses.index(429) == limit - 1 and set(statuses[limit:]) == {429}
    assert attempt(client, "sxd.cv1", PASSWORD, address="198.51.100.7").status_code == 429
    # Someone else's login does not unlock it either.
    assert attempt(client, "syt.cv1", PASSWORD, address="203.0.113.5").status_code == 302
    client.logout()
    assert attempt(client, "sxd.cv1", PASSWORD, address="203.0.113.5").status_code == 429


def test_a_success_clears_its_own_account_but_not_the_address_counter(client, personas, frozen):
    per_address = settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    address = "203.0.113.9"
    for i in range(per_address - 2):
        assert attempt(client, f"khong-co-{i}", "sai", address=address).status_code == 200
    assert attempt(client, "sxd.cv1", "sai", address=address).status_code == 200  # per_address − 1 failures
    # sxd.cv1 logs in elsewhere: its own counter is cleared, the address keeps its failure.
    assert attempt(client, "sxd.cv1", PASSWORD, address="198.51.100.2").status_code == 302
    client.logout()
    assert attempt(client, "khong-co-x", "sai", address=address).status_code == 429  # the per_address-th
    assert attempt(client, "stc.cv1", PASSWORD, address=address).status_code == 429
    # ...and sxd.cv1's account counter starts again from zero.
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        assert attempt(client, "sxd.cv1", "sai", address="198.51.100.3").status_code == 200


def test_wrong_current_password_on_the_password_change_page_counts_as_a_failed_login(
    client, personas, frozen
):
    """Issue 16 finding 9: old-password guessing on /doi-mat-khau/ is limited and audited."""
    assert client.login(username="sxd.cv1", password=PASSWORD)
    limit = settings.LOGIN_FAILURE_LIMIT
    form = {
        "old_password": "doan-sai",
        "new_password1": "Mk-moi-rat-dai-2026",
        "new_password2": "Mk-moi-rat-dai-2026",
    }
    for _ in range(limit - 1):
        response = client.post("/doi-mat-khau/", form, REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 200 and "old_password" in response.context["form"].errors
    assert (
        AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED, username="sxd.cv1").count()
        == limit - 1
    )
    response = client.post("/doi-mat-khau/", form, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429 and "Tạm khóa đăng nhập" in response.content.decode()
    assert not logged_in(client)  # the session that guessed is ended
    # Locked: even the right current password is refused, and the login too.
    assert attempt(client, "sxd.cv1", PASSWORD).status_code == 429
    user = get_user_model().objects.get(username="sxd.cv1")
    assert user.check_password(PASSWORD)


def session_writes(client, url: str = "/") -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return sum(
        1
        for q in ctx.captured_queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
    )


def test_a_session_in_use_is_written_once_a_minute_not_on_every_request(client, personas, frozen):
    """Reading pages writes nothing (issue 19: a commit per page in the busy hour); the extension of a session in
    use is written at most once a minute, and the session still ends SESSION_COOKIE_AGE after that write."""
    refresh = settings.SESSION_REFRESH_SECONDS
    assert attempt(client, "sxd.cv1", PASSWORD).status_code == 302
    assert [session_writes(client) for _ in range(3)] == [0, 0, 0]
    frozen.shift(timedelta(seconds=refresh - 1))
    assert session_writes(client) == 0
    frozen.shift(timedelta(seconds=1))
    assert session_writes(client) == 1  # a minute after the login's save: extended
    assert session_writes(client) == 0
    frozen.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE - 1))  # just before the end of the extension
    assert session_writes(client) == 1
    frozen.shift(timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
