"""Notifications that concern no task (the monthly report, a discipline handling deadline): one entry point.

The ladder engine writes task reminders itself; other apps call `notify_people`, which writes one task-less
`Notification` per person — in the notification centre at once, and by e-mail as each person chose (one e-mail, the
daily digest, or none), delivered by the engine's e-mail step like any reminder. The unique key (rule code, step
day, recipient) of task-less rows makes a second call for the same step write nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.utils import timezone

from dondoc.followup.models import Notification, Preference
from dondoc.org.models import Person


def email_state(person: Person) -> str:
    """How `person` gets this notification by e-mail: no address or "none" → none; digest; else one e-mail."""
    mode = getattr(getattr(person, "followup_preference", None), "email_mode", None) or Preference.Mode.SINGLE
    if not person.email or mode == Preference.Mode.NONE:
        return Notification.Email.NONE
    return Notification.Email.DIGEST if mode == Preference.Mode.DIGEST else Notification.Email.PENDING


def notify_people(
    people: Iterable[Person],
    *,
    rule_code: str,
    rule_name: str,
    step_day: date,
    title: str,
    body: str,
    link: str,
    deadline: date | None = None,
    working_days_late: int = 0,
    now: datetime | None = None,
) -> int:
    """Write one task-less notification per person (each person once); returns how many were new.

    `rule_code` (≤ 40 characters) must name the subject and the step (e.g. `discipline:12:-5`): together with
    `step_day` and the recipient it is unique, so a re-run, a retry or a second engine writes nothing twice.
    `link` is the path of the page the notification is about (`reverse(...)`).
    """
    now = now or timezone.now()
    if len(rule_code) > 40:
        raise ValueError(f"rule_code too long: {rule_code!r}")
    seen: set[int] = set()
    notes = []
    for person in people:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        state = email_state(person)
        notes.append(
            Notification(
                task=None,
                recipient=person,
                rule_code=rule_code,
                rule_name=rule_name[:200],
                step_day=step_day,
                deadline=deadline,
                working_days_late=working_days_late,
                title=title[:300],
                body=body,
                link=link[:300],
                created_at=now,
                email_state=state,
                email_next_try=now if state == Notification.Email.PENDING else None,
            )
        )
    if not notes:
        return 0
    before = Notification.objects.filter(
        task__isnull=True, rule_code=rule_code, step_day=step_day, recipient_id__in=seen
    ).count()
    Notification.objects.bulk_create(notes, ignore_conflicts=True)
    after = Notification.objects.filter(
        task__isnull=True, rule_code=rule_code, step_day=step_day, recipient_id__in=seen
    ).count()
    return after - before
