"""Helpers of the browser tests: Chromium's settings, log in, the menu, screenshots, CSP violations."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page, expect

from tests.helpers import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000


def login(page: Page, live_server, username: str, password: str = PASSWORD) -> None:
    """Log in through the Vietnamese login form and wait until the home page shows."""
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).not_to_have_url(re.compile(r"/dang-nhap/"))
    expect(page.get_by_role("button", name="Đăng xuất", include_hidden=True)).to_be_attached()


def open_menu(page: Page, label: str) -> None:
    """Follow the menu entry ``label``: on the bar, or under "Khác" or the user's name (opened first)."""
    page.wait_for_load_state("load")  # Bootstrap's script, which opens the dropdowns, has run
    link = page.locator("nav a", has_text=label).first
    if not link.is_visible():
        item = page.locator("a.dropdown-item", has_text=label)
        page.locator("nav .dropdown", has=item).locator("[data-bs-toggle=dropdown]").click()
    link.click()


def logout(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))


def screenshot(page: Page, name: str) -> Path:
    path = SCREENSHOTS / f"{name}.png"  # `name` may name a folder: "pages/lanh-dao-phone-home"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def watch(page: Page) -> list[str]:
    """Collect every CSP complaint of the page: console messages and violation events."""
    complaints: list[str] = []
    page.on(
        "console",
        lambda msg: complaints.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.add_init_script(RECORD_VIOLATIONS)
    return complaints
