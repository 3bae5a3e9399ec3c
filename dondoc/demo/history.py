"""The demo's reminder history: the follow-up engine itself, run at 08:00 of each working day of the demo's recent
past, writes the reminders it would have sent, so that an overdue demo task already shows "the unit was told and
did nothing" (issue 20, point 14) instead of "Chưa gửi lần nhắc nào".

The engine reads the tasks as they are now: an open task's ladder is the one it had in the past (its deadline and
assignment did not change), while a task completed since then is no longer followed and gets no past reminders.
What was sent in the past was also e-mailed then, and what is older than a few days has been read.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import F
from django.utils import timezone

from dondoc.followup import engine, ladder
from dondoc.followup.models import Notification
from dondoc.workdays import calendar

DAYS = 60  # how far back the engine is run (calendar days)
READ_AFTER = timedelta(days=5)  # reminders older than this have been opened


def replay_followups(now: datetime | None = None, days: int = DAYS) -> int:
    """Run the engine's daily pass on every working day of the last `days` days before `now`, then schedule every
    task from `now` as a fresh install would; returns the number of reminders written."""
    now = now or timezone.now()
    cal = calendar.current()
    today = timezone.localdate(now)
    day = today - timedelta(days=days)
    engine.reschedule_all(ladder.at_day(day))
    written = 0
    while day < today:
        if cal.is_working_day(day):
            written += engine.process_due(ladder.at_day(day)).notifications
        day += timedelta(days=1)
    past = Notification.objects.filter(created_at__lt=ladder.at_day(today))
    past.exclude(email_state=Notification.Email.NONE).update(
        email_state=Notification.Email.SENT, email_sent_at=F("created_at"), email_next_try=None
    )
    past.filter(created_at__lt=now - READ_AFTER).update(read_at=F("created_at") + timedelta(hours=2))
    engine.reschedule_all(now)
    return written
