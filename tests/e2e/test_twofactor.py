"""Two-factor login in Chromium: the leader enrols from the navigation link (secret read off the page, QR code
shown), logs out, logs in again and lands on the home page only after the code; no CSP complaint on the way."""

from __future__ import annotations

import re
from base64 import b32decode
from datetime import timedelta

import pytest
from django_otp.oath import totp
from playwright.sync_api import Page, expect

from tests.e2e.helpers import login, logout, open_menu, screenshot, watch
from tests.helpers import PASSWORD

pytestmark = pytest.mark.browser


def code_for(secret: str) -> str:
    key = b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def test_leader_enrols_then_logs_in_with_the_code(page: Page, live_server, personas, clock):
    complaints = watch(page)
    login(page, live_server, "lanhdao")
    open_menu(page, "Xác thực hai bước")
    expect(page.get_by_role("heading", name="Xác thực hai bước")).to_be_visible()
    expect(page.get_by_role("img", name="Mã QR để thêm vào ứng dụng xác thực")).to_be_visible()
    secret = page.locator("#otp-secret").inner_text().replace(" ", "")
    page.get_by_label("Mã xác thực").fill(code_for(secret))
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    expect(page.locator("#otp-enabled")).to_be_visible()
    logout(page)

    clock.shift(timedelta(seconds=31))  # a code is accepted once: the next one
    page.get_by_label("Tên đăng nhập").fill("lanhdao")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/dang-nhap/ma-xac-thuc/"))
    wrong = f"{(int(code_for(secret)) + 500_000) % 1_000_000:06d}"
    page.get_by_label("Mã xác thực").fill(wrong)
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("alert").filter(has_text="«Mã xác thực»: mã không đúng")).to_be_visible()
    page.goto(f"{live_server.url}/nhiem-vu/")  # no page before the code
    expect(page).to_have_url(re.compile(r"/dang-nhap/ma-xac-thuc/\?next=/nhiem-vu/"))
    screenshot(page, "twofactor-verify")

    clock.shift(timedelta(seconds=3))  # django-otp's wait after a wrong code
    page.get_by_label("Mã xác thực").fill(code_for(secret))
    page.get_by_role("button", name="Xác nhận").click()
    expect(page).to_have_url(re.compile(r"/nhiem-vu/$"))
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    assert complaints == []
    assert page.evaluate("window.__csp") == []


def password_step(page: Page, username: str) -> None:
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/dang-nhap/ma-xac-thuc/"))


def test_leader_sees_recovery_codes_once_and_logs_in_with_one_only_once(
    page: Page, live_server, personas, clock
):
    """Enable → the ten codes, printable, shown once → log out → log in with a code instead of the app's → the same
    code refused the next time."""
    complaints = watch(page)
    login(page, live_server, "lanhdao")
    open_menu(page, "Xác thực hai bước")
    secret = page.locator("#otp-secret").inner_text().replace(" ", "")
    page.get_by_label("Mã xác thực").fill(code_for(secret))
    page.get_by_role("button", name="Bật xác thực hai bước").click()

    codes_block = page.get_by_role("region", name="Mã khôi phục của tài khoản lanhdao")
    expect(codes_block).to_be_visible()
    codes = codes_block.locator("li code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", c) for c in codes)
    expect(codes_block.get_by_role("button", name="In các mã")).to_be_visible()
    expect(page.locator("#recovery-left")).to_have_text("Còn 10 mã khôi phục chưa dùng.")
    screenshot(page, "twofactor-recovery-codes")
    page.emulate_media(media="print")  # printed, the codes come alone
    expect(page.locator("nav").first).to_be_hidden()
    expect(page.locator("#otp-enabled")).to_be_hidden()
    expect(page.locator("#recovery-codes li code").first).to_be_visible()
    page.emulate_media(media="screen")
    page.reload()
    expect(page.locator("#recovery-codes")).to_have_count(0)  # shown once
    expect(page.locator("#otp-enabled")).to_be_visible()
    logout(page)

    password_step(page, "lanhdao")
    expect(page.get_by_text("Nhập một mã khôi phục")).to_be_visible()
    page.get_by_label("Mã xác thực").fill(codes[4])
    page.get_by_role("button", name="Xác nhận").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("alert").filter(has_text="còn 9 mã chưa dùng")).to_be_visible()
    open_menu(page, "Xác thực hai bước")
    expect(page.locator("#recovery-left")).to_have_text("Còn 9 mã khôi phục chưa dùng.")
    logout(page)

    password_step(page, "lanhdao")
    page.get_by_label("Mã xác thực").fill(codes[4])
    page.get_by_role("button", name="Xác nhận").click()
    expect(
        page.get_by_role("alert").filter(has_text="«Mã xác thực»: mã khôi phục không đúng hoặc đã được dùng")
    ).to_be_visible()
    page.goto(f"{live_server.url}/nhiem-vu/")
    expect(page).to_have_url(re.compile(r"/dang-nhap/ma-xac-thuc/"))  # still no page without a second factor
    assert complaints == []
    assert page.evaluate("window.__csp") == []
