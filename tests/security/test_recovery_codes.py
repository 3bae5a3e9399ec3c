"""Two-factor recovery codes (dondoc.accounts.twofactor): ten one-time codes when two-factor is turned on, shown once,
each accepted once instead of the app's code, wrong ones counted as failed logins, a new set kills the old one, the
count shown, and the audit trail told how many, never which."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dondoc.accounts import twofactor
from dondoc.audit.models import AuditEntry
from tests.helpers import PASSWORD
from tests.security.helpers import SETUP, VERIFY, code, enrolled, password_step, wrong

RECOVERY = "/tai-khoan/hai-buoc/ma-khoi-phuc/"
A = AuditEntry.Action


def shown_codes(page: str) -> list[str]:
    """The codes of the printable block, as the page shows them ("abcd-efgh-jkmn")."""
    if 'id="recovery-codes"' not in page:
        return []
    block = page.split('id="recovery-codes"')[1].split("</ol>")[0]
    return [part.split("</code>")[0] for part in block.split("<code>")[1:]]


def leader_with_codes(personas) -> tuple[TOTPDevice, list[str]]:
    user = personas["leader"].user
    return enrolled(user), twofactor.new_recovery_codes(user)


def no_code_in_the_audit_trail(codes: list[str]) -> None:
    secrets = {c.replace("-", "") for c in codes} | {c for c in codes}
    secrets |= set(StaticToken.objects.values_list("token", flat=True))
    for row in AuditEntry.objects.all():
        text = f"{row.object_repr} {row.before} {row.after}"
        assert not any(s in text for s in secrets), row


def test_turning_two_factor_on_shows_ten_codes_once_and_stores_only_digests(client, personas, frozen):
    leader = personas["leader"].user
    password_step(client, "lanhdao")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=leader)
    frozen.shift(timedelta(seconds=31))
    response = client.post(SETUP, {"code": code(device)})
    assert response.status_code == 302 and response["Location"] == SETUP

    response = client.get(SETUP)
    page = response.content.decode()
    codes = shown_codes(page)
    assert len(codes) == len(set(codes)) == twofactor.RECOVERY_COUNT
    assert all(len(c) == 14 and c.count("-") == 2 for c in codes)
    assert "no-store" in response["Cache-Control"]  # not kept in the browser's cache either
    assert "Còn <strong>10</strong> mã khôi phục chưa dùng." in page
    assert (
        "data-print" in page and "js/print.js" in page and 'style="' not in page
    )  # CSP: no inline script/style

    again = client.get(SETUP).content.decode()
    assert shown_codes(again) == [] and "Còn <strong>10</strong> mã khôi phục" in again  # shown once only

    stored = set(StaticToken.objects.filter(device__user=leader).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & {c.replace("-", "") for c in codes}
    created = AuditEntry.objects.get(action=A.CREATE, object_type="otp_static.staticdevice")
    assert created.username == "lanhdao" and created.after == {"remaining": 10}
    no_code_in_the_audit_trail(codes)


def test_a_recovery_code_replaces_the_app_code_once(client, personas, frozen):
    device, codes = leader_with_codes(personas)
    first = twofactor.shown(codes[0])
    password_step(client, "lanhdao", "10.0.0.5")
    page = client.get(VERIFY).content.decode()
    assert "mã khôi phục" in page
    # Typed as people type: capitals, spaces; the dashes are optional.
    typed = f" {first.upper().replace('-', ' - ')} "
    response = client.post(VERIFY, {"code": typed, "next": "/nhiem-vu/"}, REMOTE_ADDR="10.0.0.5")
    assert response.status_code == 302 and response["Location"] == "/nhiem-vu/"
    message = "Đã đăng nhập bằng một mã khôi phục; còn 9 mã chưa dùng."
    assert message in client.get("/nhiem-vu/").content.decode()
    used = AuditEntry.objects.get(action=A.UPDATE, object_type="otp_static.staticdevice")
    assert (used.before, used.after) == ({"remaining": 10}, {"remaining": 9})
    assert used.username == "lanhdao" and used.address == "10.0.0.5"
    assert "Còn <strong>9</strong>" in client.get(SETUP).content.decode()

    client.post("/dang-xuat/")
    password_step(client, "lanhdao")
    response = client.post(VERIFY, {"code": first})
    assert response.status_code == 200
    assert "«Mã xác thực»: mã khôi phục không đúng hoặc đã được dùng" in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)
    # A failed login like a wrong app code: on the record, and counted by django-axes.
    assert AuditEntry.objects.filter(action=A.LOGIN_FAILED, username="lanhdao").count() == 1
    assert sum(a.failures_since_start for a in AccessAttempt.objects.filter(username="lanhdao")) == 1

    frozen.shift(timedelta(seconds=2))  # the wait after a wrong code
    assert client.post(VERIFY, {"code": codes[1]}).status_code == 302
    assert StaticToken.objects.filter(device__user=device.user).count() == 8
    no_code_in_the_audit_trail(codes)


def test_a_code_is_used_once_even_by_two_requests_at_the_same_moment(personas):
    _, codes = leader_with_codes(personas)
    holder = twofactor.recovery_device(personas["leader"].user)
    assert twofactor.use_recovery_code(holder, codes[3]) is True
    assert twofactor.use_recovery_code(holder, codes[3]) is False
    assert twofactor.use_recovery_code(holder, "abcdefghjkmn") is False
    assert twofactor.recovery_left(holder) == 9


def test_wrong_recovery_codes_share_the_limit_and_the_wait_of_wrong_app_codes(
    client, personas, frozen, settings
):
    settings.OTP_FAILURE_LIMIT = 2
    device, _codes = leader_with_codes(personas)
    password_step(client, "lanhdao")
    assert client.post(VERIFY, {"code": wrong(device)}).status_code == 200
    response = client.post(VERIFY, {"code": "abcd-efgh-jkmn"})  # straight away: the device makes it wait
    assert "«Mã xác thực»: đã nhập sai nhiều lần; hãy chờ 1 giây" in response.content.decode()
    frozen.shift(timedelta(seconds=2))
    response = client.post(VERIFY, {"code": "abcd-efgh-jkmn"})
    assert response.status_code == 302 and response["Location"] == "/dang-nhap/"  # 2 in a row: session ended
    assert AuditEntry.objects.filter(action=A.LOGIN_FAILED, username="lanhdao").count() == 2


@pytest.mark.parametrize("typed", ["12345", "abcd-efgh", "abcd-efgh-jkm0", "1234567"])
def test_a_malformed_code_names_the_field_and_is_not_a_guess(client, personas, frozen, typed):
    leader_with_codes(personas)
    password_step(client, "lanhdao")
    response = client.post(VERIFY, {"code": typed})
    assert response.status_code == 200
    assert "«Mã xác thực»: phải gồm đúng 6 chữ số, hoặc là một mã khôi phục gồm 12 chữ và số" in (
        response.content.decode()
    )
    assert not AuditEntry.objects.filter(action=A.LOGIN_FAILED).exists()


def test_a_new_set_kills_the_old_one(client, personas, frozen):
    device, old = leader_with_codes(personas)
    password_step(client, "lanhdao")
    client.post(VERIFY, {"code": code(device)})
    page = client.get(RECOVERY).content.decode()
    assert "Còn <strong>10</strong>" in page and shown_codes(page) == []

    frozen.shift(timedelta(seconds=31))
    response = client.post(RECOVERY, {"code": wrong(device)})
    assert response.status_code == 200 and "«Mã xác thực»: mã không đúng" in response.content.decode()
    assert twofactor.recovery_left(twofactor.recovery_device(device.user)) == 10

    frozen.shift(timedelta(seconds=31))
    response = client.post(RECOVERY, {"code": code(device)})
    assert response.status_code == 302 and response["Location"] == RECOVERY
    page = client.get(RECOVERY).content.decode()
    new = shown_codes(page)
    assert len(new) == 10 and not {c.replace("-", "") for c in new} & set(old)
    assert "các mã cũ không còn dùng được" in page
    assert shown_codes(client.get(RECOVERY).content.decode()) == []
    renewed = AuditEntry.objects.filter(action=A.UPDATE, object_type="otp_static.staticdevice").last()
    assert (renewed.before, renewed.after) == ({"remaining": 10}, {"remaining": 10})
    assert "bộ cũ hết hiệu lực" in renewed.object_repr

    client.post("/dang-xuat/")
    password_step(client, "lanhdao")
    assert client.post(VERIFY, {"code": old[0]}).status_code == 200  # an old code is dead
    frozen.shift(timedelta(seconds=2))
    assert client.post(VERIFY, {"code": new[0]}).status_code == 302
    no_code_in_the_audit_trail(old + new)


def test_few_codes_left_are_flagged_on_the_two_factor_page(client, personas, frozen):
    device, codes = leader_with_codes(personas)
    holder = twofactor.recovery_device(device.user)
    for c in codes[:7]:
        twofactor.use_recovery_code(holder, c)
    password_step(client, "lanhdao")
    client.post(VERIFY, {"code": code(device)})
    page = client.get(SETUP).content.decode()
    assert "Còn <strong>3</strong> mã khôi phục chưa dùng." in page and "Sắp hết mã khôi phục" in page
    assert 'href="/tai-khoan/hai-buoc/ma-khoi-phuc/"' in page


def test_turning_two_factor_off_with_a_recovery_code_drops_the_codes(client, personas, frozen):
    device, codes = leader_with_codes(personas)
    password_step(client, "lanhdao")
    client.post(VERIFY, {"code": codes[0]})
    response = client.post(SETUP, {"code": codes[1]})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=device.user).exists()
    assert not StaticDevice.objects.filter(user=device.user).exists()
    dropped = AuditEntry.objects.get(action=A.DELETE, object_type="otp_static.staticdevice")
    assert dropped.before == {"remaining": 8} and dropped.username == "lanhdao"


def test_recovery_page_is_for_leaders_and_administrators_with_two_factor_on(client, personas, frozen):
    client.force_login(personas["lead_officer"].user)
    assert client.get(RECOVERY).status_code == 403
    assert client.post(RECOVERY, {"code": "123456"}).status_code == 403
    client.force_login(personas["leader"].user)
    response = client.get(RECOVERY)  # two-factor off: nothing to regenerate
    assert response.status_code == 302 and response["Location"] == SETUP
    assert not StaticDevice.objects.exists()
    admin = get_user_model().objects.create_user("quantri", password=PASSWORD, is_staff=True)
    admin_device = enrolled(admin)
    client.force_login(admin)
    client.post(VERIFY, {"code": code(admin_device)})
    page = client.get(RECOVERY).content.decode()
    assert "Còn <strong>0</strong>" in page  # enrolled before recovery codes existed
