"""Helpers of the follow-up tests: instants in Hanoi time, a walk of the engine over days, a mailbox."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import time_machine

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
