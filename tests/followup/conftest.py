"""Fixtures of the follow-up tests: walking the engine day by day with time frozen, a real SMTP server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime

import pytest
from aiosmtpd.controller import Controller

from dondoc.followup import engine
from tests.followup.helpers import Mailbox, at
from tests.helpers import free_port


@pytest.fixture
def smtp(settings) -> Iterator[Mailbox]:
    """A real SMTP server (aiosmtpd) on a free port; Django's SMTP backend pointed at it."""
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.port = port
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "dondoc@vpub.hanoi.gov.vn"
    settings.SITE_URL = "https://dondoc.hanoi.gov.vn"
    yield box
    controller.stop()


@pytest.fixture
def closed_smtp(settings) -> int:
    """An SMTP address where nothing listens: every delivery fails."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    return port


@pytest.fixture
def at_time() -> Callable[[date, str], datetime]:
    return at


@pytest.fixture(autouse=True)
def _default_rules(request) -> None:
    """The default ladder, also after a transactional test flushed the rows of the data migration."""
    names = set(request.fixturenames)
    if not ({"db", "transactional_db"} & names or request.node.get_closest_marker("django_db")):
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in names else "db")
    engine.install_default_rules()
