"""Browser fixtures: one headless Chromium per session, a fresh context per test, time frozen (ticking) on TODAY.

The Playwright sync API runs an event loop in the main thread, so Django's async-unsafe check would refuse the
database calls the test body makes; the live server runs in its own thread and is unaffected.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.conftest import PASSWORD

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

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

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(autouse=True)
def _flushable_history(transactional_db) -> Iterator[None]:
    """Set up after the database fixture, so its teardown runs before the flush.

    A transactional test's flush also empties the rows the data migrations wrote (the default urging rules), which a
    later browser test's tasks need to get their follow-up time: put them back first. On SQLite the append-only
    tables (task history, audit trail) refuse the flush's DELETE: tests/conftest.py `_flushable_append_only` empties
    them with their triggers briefly dropped, for every transactional test, these included.
    """
    from dondoc.followup.engine import install_default_rules

    install_default_rules()
    yield


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    """PBKDF2 costs ~1.5 s a hash here: seven personas and every login would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    """09:00 Hanoi time on 10/03/2026, ticking: patched process-wide, so the server thread sees it too."""
    with time_machine.travel("2026-03-10 09:00 +07:00", tick=True) as traveller:
        yield traveller


@pytest.fixture
def new_context(browser: Browser, live_server) -> Iterator[Callable[..., BrowserContext]]:
    """new_context(viewport=…) → a fresh browser context on the live server; all are closed after the test."""
    contexts: list[BrowserContext] = []

    def make(viewport: dict[str, int] | None = None) -> BrowserContext:
        context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=viewport or DESKTOP)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context) -> Page:
    return new_context().new_page()


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
