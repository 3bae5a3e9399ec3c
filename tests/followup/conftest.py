"""Fixtures of the follow-up tests: walking the engine day by day with time frozen, a real SMTP server."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
import time_machine
from aiosmtpd.controller import Controller

from dondoc.followup import engine
from dondoc.followup.models import Notification
from tests.helpers import run_jobs

HANOI = "+07:00"


def at(day: date, hhmm: str = "09:00") -> datetime:
    return datetime.fromisoformat(f"{day.isoformat()} {hhmm}{HANOI}")


def walk(first: date, last: date, hhmm: str = "09:00") -> list[Notification]:
    """Run the engine once a day at `hhmm` (days off included) from `first` to `last`, each pass followed by the job
    worker (it sends the e-mails the pass queued), as `make run` runs both; the task reminders written (task-less
    notifications of daily jobs, e.g. the monthly report's, are left out)."""
    before = set(Notification.objects.values_list("id", flat=True))
    day = first
    while day <= last:
        with time_machine.travel(at(day, hhmm), tick=False):
            engine.run_once()
            run_jobs()
        day += timedelta(days=1)
    return list(
        Notification.objects.exclude(id__in=before)
        .filter(task__isnull=False)
        .select_related("recipient__user")
        .order_by("step_day", "id")
    )


def triples(notes: list[Notification]) -> set[tuple[date, str, str]]:
    """(day, rule, username) of each notification: what the tests compare against the rules."""
    return {(n.step_day, n.rule_code, n.recipient.user.username) for n in notes}


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()
        self.port = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
        msg = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(msg)  # type: ignore[arg-type]
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
