"""Two-factor login (TOTP) for leaders and administrators: enrolment, the code after the password, wrong codes
counted as failed logins, disabling, who may use it, and OTP_REQUIRED_FOR_LEADERS (dondoc.accounts.twofactor)."""

from __future__ import annotations

from base64 import b32decode

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from dondoc.accounts import policy as accounts
from dondoc.audit.models import AuditEntry
from tests.helpers import PASSWORD
from tests.security.helpers import LOGIN, SETUP, VERIFY, code, enrolled, next_step, password_step, wrong


def test_leader_enrolls_with_a_code_and_the_audit_records_it_without_the_secret(client, personas, frozen):
    leader = personas["leader"].user
    password_step(client, "lanhdao")
    assert client.get("/").status_code == 200  # no device, not required: nothing in the way
    page = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=leader)
    assert not device.confirmed
    secret = page.split('id="otp-secret">')[1].split("<")[0].replace(" ", "")
    assert b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    assert "otpauth://totp/" in page and f"secret={secret}" in page
    assert "<svg" in page and "<path" in page  # the QR code, drawn on the server
    assert 'style="' not in page  # CSP: no style attributes

    response = client.post(SETUP, {"code": "12ab"})
    assert "«Mã xác thực»: phải gồm đúng 6 chữ số." in response.content.decode()
    response = client.post(SETUP, {"code": ""})
    assert "«Mã xác thực»: chưa nhập mã." in response.content.decode()
    response = client.post(SETUP, {"code": wrong(device)})
    assert "«Mã xác thực»: mã không đúng" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    next_step(frozen)
    response = client.post(SETUP, {"code": code(device)})
    assert response.status_code == 302 and response["Location"] == SETUP
    device.refresh_from_db()
    assert device.confirmed
    assert "Đang bật" in client.get(SETUP).content.decode()
    assert client.get("/").status_code == 200  # this session already proved the code

    rows = AuditEntry.objects.filter(object_type="otp_totp.totpdevice", object_id=str(device.pk))
    assert rows.filter(action="update", after={"confirmed": True}).exists()
    assert rows.filter(action="create").exists()
    for row in AuditEntry.objects.all():
        assert device.key not in f"{row.before} {row.after}"  # the secret never reaches the audit trail


def test_login_with_a_device_requires_the_code_before_any_page(client, personas, frozen):
    device = enrolled(personas["leader"].user)
    password_step(client, "lanhdao")
    for path in ("/", "/nhiem-vu/", "/doi-mat-khau/", "/quan-tri/", SETUP):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), path
    assert client.get("/nhiem-vu/")["Location"] == f"{VERIFY}?next=/nhiem-vu/"
    assert client.get("/nhiem-vu/?q=a&page=2")["Location"] == f"{VERIFY}?next=/nhiem-vu/%3Fq%3Da%26page%3D2"
    page = client.get(VERIFY).content.decode()
    assert "Mã xác thực" in page

    response = client.post(VERIFY, {"code": code(device), "next": "/nhiem-vu/"})
    assert response.status_code == 302 and response["Location"] == "/nhiem-vu/"
    assert client.get("/nhiem-vu/").status_code == 200
    assert client.get("/").status_code == 200

    # The same code cannot be used twice (a code seen over a shoulder is worthless once used).
    client.post("/dang-xuat/")
    password_step(client, "lanhdao")
    response = client.post(VERIFY, {"code": code(device)})
    assert response.status_code == 200 and "«Mã xác thực»: mã không đúng" in response.content.decode()
    assert client.get("/")["Location"].startswith(VERIFY)
    # An outside address as "next" is not followed.
    next_step(frozen)
    response = client.post(VERIFY, {"code": code(device), "next": "https://example.com/"})
    assert response["Location"] == "/"


def test_wrong_codes_are_failed_logins_and_lock_the_account(client, personas, frozen, settings):
    device = enrolled(personas["leader"].user)
    password_step(client, "lanhdao")
    response = client.post(VERIFY, {"code": wrong(device)})
    assert response.status_code == 200
    assert "«Mã xác thực»: mã không đúng" in response.content.decode()

    # Read anew each time: the trail links the events written since (they wait unchained until then).
    def failed() -> int:
        return AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN_FAILED, username="lanhdao").count()

    assert failed() == 1
    assert sum(a.failures_since_start for a in AccessAttempt.objects.filter(username="lanhdao")) == 1

    # Straight away again: django-otp makes the device wait; that try is neither checked nor counted.
    response = client.post(VERIFY, {"code": wrong(device)})
    assert "«Mã xác thực»: đã nhập sai nhiều lần; hãy chờ 1 giây" in response.content.decode()
    assert failed() == 1

    for n in range(2, settings.LOGIN_FAILURE_LIMIT + 1):
        next_step(frozen, 2 ** (n - 1) + 1)
        response = client.post(VERIFY, {"code": wrong(device)})
    # The limit-th wrong code: account locked (django-axes' Vietnamese page) and the session ended.
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert failed() == settings.LOGIN_FAILURE_LIMIT
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    response = client.post(LOGIN, {"username": "lanhdao", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429  # the right password no longer helps
    assert AuditEntry.objects.filter(action=AuditEntry.Action.LOCKOUT, username="lanhdao").exists()


def test_wrong_code_limit_counts_across_logins(client, personas, frozen, settings):
    """OTP_FAILURE_LIMIT below the lockout limit: the session ends, and logging in again does not reset the
    count (a successful password step resets django-axes' count, not the device's)."""
    settings.OTP_FAILURE_LIMIT = 2
    device = enrolled(personas["leader"].user)
    password_step(client, "lanhdao")
    assert client.post(VERIFY, {"code": wrong(device)}).status_code == 200
    next_step(frozen, 2)
    response = client.post(VERIFY, {"code": wrong(device)})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert client.get("/")["Location"].startswith(LOGIN)
    page = client.get(LOGIN).content.decode()
    assert "Đã nhập sai mã xác thực 2 lần liên tiếp" in page

    next_step(frozen, 60)
    password_step(client, "lanhdao")
    response = client.post(VERIFY, {"code": wrong(device)})  # third in a row: out at once
    assert response.status_code == 302 and response["Location"] == LOGIN
    next_step(frozen, 60)
    password_step(client, "lanhdao")
    response = client.post(VERIFY, {"code": code(device)})  # the right code resets the count
    assert response.status_code == 302 and response["Location"] == "/"
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_disable_needs_a_valid_code(client, personas, frozen):
    leader = personas["leader"].user
    device = enrolled(leader)
    password_step(client, "lanhdao")
    client.post(VERIFY, {"code": code(device)})
    next_step(frozen)
    response = client.post(SETUP, {"code": wrong(device)})
    assert response.status_code == 200 and "«Mã xác thực»: mã không đúng" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    next_step(frozen)
    response = client.post(SETUP, {"code": code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert AuditEntry.objects.filter(
        action="delete", object_type="otp_totp.totpdevice", object_id=str(device.pk), username="lanhdao"
    ).exists()
    client.post("/dang-xuat/")
    password_step(client, "lanhdao")
    assert client.get("/").status_code == 200  # no code asked any more


def test_only_leaders_and_administrators_use_two_factor(client, personas, frozen):
    for name in ("lead_officer", "lead_head", "tracker", "inspector"):
        client.force_login(personas[name].user)
        assert client.get(SETUP).status_code == 403, name
        assert client.post(SETUP, {"code": "123456"}).status_code == 403, name
        assert "Xác thực hai bước" not in client.get("/").content.decode()
    assert not TOTPDevice.objects.exists()

    client.force_login(personas["leader"].user)
    assert "Xác thực hai bước" in client.get("/").content.decode()  # the navigation link
    admin = get_user_model().objects.create_user("quantri", password=PASSWORD, is_staff=True)
    client.force_login(admin)
    assert client.get(SETUP).status_code == 200
    assert TOTPDevice.objects.filter(user=admin, confirmed=False).exists()


def test_required_for_leaders_sends_them_to_enrolment(client, personas, frozen, settings):
    settings.OTP_REQUIRED_FOR_LEADERS = True
    password_step(client, "sxd.cv1")  # an officer is not concerned
    assert client.get("/").status_code == 200
    client.post("/dang-xuat/")

    password_step(client, "lanhdao")
    for path in ("/", "/nhiem-vu/", "/quan-tri/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == SETUP, path
    assert client.get("/doi-mat-khau/").status_code == 200  # a password change stays possible
    page = client.get(SETUP).content.decode()
    assert "Hệ thống yêu cầu lãnh đạo và quản trị viên dùng xác thực hai bước" in page
    device = TOTPDevice.objects.get(user=personas["leader"].user)
    assert client.post(SETUP, {"code": code(device)}).status_code == 302
    assert client.get("/nhiem-vu/").status_code == 200

    # Disabling while it is required sends the leader straight back to enrolment.
    next_step(frozen)
    client.post(SETUP, {"code": code(device)})
    assert client.get("/")["Location"] == SETUP


def test_setting_off_leaves_leaders_without_a_device_alone(client, personas, frozen, settings):
    settings.OTP_REQUIRED_FOR_LEADERS = False
    password_step(client, "lanhdao")
    assert client.get("/nhiem-vu/").status_code == 200


def test_code_comes_before_the_first_login_password_change(client, personas, frozen):
    leader = personas["leader"].user
    device = enrolled(leader)
    accounts.require_password_change(leader)
    password_step(client, "lanhdao")
    assert client.get("/doi-mat-khau/")["Location"].startswith(VERIFY)  # the password alone changes nothing
    assert client.get(VERIFY).status_code == 200  # no redirect loop between the two
    response = client.post(VERIFY, {"code": code(device)})
    assert response.status_code == 302
    assert client.get("/")["Location"] == "/doi-mat-khau/"


def test_administrator_removes_a_lost_phone_in_the_admin(client, personas, frozen):
    device = enrolled(personas["leader"].user)
    admin = get_user_model().objects.create_superuser("quantri", "qt@example.org", PASSWORD)
    client.force_login(admin)
    url = f"/quan-tri/otp_totp/totpdevice/{device.pk}/delete/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert AuditEntry.objects.filter(
        action="delete", object_type="otp_totp.totpdevice", object_id=str(device.pk), username="quantri"
    ).exists()
    client.logout()
    password_step(client, "lanhdao")
    assert client.get("/").status_code == 200  # no code asked any more
