"""Helpers of the two-factor tests: the login pages, the code an authenticator app shows, an enrolled device."""

from __future__ import annotations

from datetime import timedelta

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers import PASSWORD

LOGIN = "/dang-nhap/"
VERIFY = "/dang-nhap/ma-xac-thuc/"
SETUP = "/tai-khoan/hai-buoc/"


def code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now for ``device`` (RFC 6238, the frozen clock)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong(device: TOTPDevice) -> str:
    return f"{(int(code(device)) + 500_000) % 1_000_000:06d}"


def password_step(client, username: str, address: str = "10.0.0.1"):
    response = client.post(LOGIN, {"username": username, "password": PASSWORD}, REMOTE_ADDR=address)
    assert response.status_code == 302, response.content.decode()[:1000]
    return response


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=True)


def next_step(clock, seconds: int = 31) -> None:
    """Move to a later 30-second step: a code is accepted once, and a wrong one makes the device wait."""
    clock.shift(timedelta(seconds=seconds))
