"""Browser fixtures: one headless Chromium per session, a fresh context per test, time frozen (ticking) on TODAY.

The Playwright sync API runs an event loop in the main thread, so Django's async-unsafe check would refuse the
database calls the test body makes; the live server runs in its own thread and is unaffected.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
import time_machine
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.e2e.helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    TIMEOUT_MS,
)

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


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
