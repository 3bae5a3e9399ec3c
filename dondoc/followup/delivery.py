"""E-mail delivery of notifications (the in-app channel is the Notification row itself).

Each single e-mail is a job of the queue (`send`, `dondoc.core.jobs`, run by `dondoc worker`): the follow-up
engine writes its notifications with the e-mail pending and, at the end of its pass, hands them to the queue
(`queue_pending`: rows locked with SKIP LOCKED, so two engines never queue one twice). Every attempt is recorded
(`DeliveryAttempt`) with its result; a failure is retried with backoff (1, 5, 15, 60, 240 minutes) and after
`MAX_ATTEMPTS` failures the notification is marked failed and listed for administrators. A crash between the SMTP
server accepting a message and the database recording it can repeat that one e-mail once (at-least-once delivery);
it can never lose one.

People who chose the daily digest get one e-mail at 07:30 on working days (a daily job) with everything since.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from dondoc.core import jobs
from dondoc.followup.models import DeliveryAttempt, Notification

log = logging.getLogger("dondoc.followup")

BACKOFF = tuple(timedelta(minutes=m) for m in (1, 5, 15, 60, 240))
MAX_ATTEMPTS = len(BACKOFF) + 1


def _message(
    subject: str, template: str, context: dict, to: str, connection: object
) -> EmailMultiAlternatives:
    text = render_to_string(f"followup/email/{template}.txt", context)
    html = render_to_string(f"followup/email/{template}.html", context)
    msg = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to], connection=connection)
    msg.attach_alternative(html, "text/html")
    return msg


def queue_pending(limit: int = 5000) -> int:
    """Hand the pending single e-mails to the queue, one job each written by one bulk insert (`jobs.enqueue_many`);
    returns how many (the engine, after its pass)."""
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(email_state=Notification.Email.PENDING)
            .order_by("id")
            .values_list("id", flat=True)[:limit]
        )
        Notification.objects.filter(pk__in=ids).update(email_state=Notification.Email.QUEUED)
        jobs.enqueue_many(send, [(pk,) for pk in ids])
    return len(ids)


def _retrying(notification_id: int, *, attempt: int, when: datetime, exc: BaseException) -> None:
    Notification.objects.filter(pk=notification_id).update(email_next_try=when)


def _gave_up(notification_id: int, *, attempt: int, exc: BaseException) -> None:
    Notification.objects.filter(pk=notification_id).update(
        email_state=Notification.Email.FAILED, email_next_try=None
    )


@jobs.job(backoff=BACKOFF, on_retry=_retrying, on_give_up=_gave_up)
def send(notification_id: int) -> None:
    """One attempt at a notification's e-mail, recorded; an SMTP or network error raises to be tried again."""
    n = Notification.objects.select_related("recipient", "task__directive", "task__lead_unit").get(
        pk=notification_id
    )
    if n.email_state != Notification.Email.QUEUED:
        return  # sent already (a job queued twice)
    now = timezone.now()
    context = {"n": n, "task": n.task, "link": n.absolute_url, "person": n.recipient}
    try:
        _message(f"[Đôn đốc] {n.title}", "notification", context, n.recipient.email, None).send()
    except Exception as exc:
        DeliveryAttempt.objects.create(notification=n, at=now, ok=False, error=_error(exc))
        Notification.objects.filter(pk=n.pk).update(email_attempts=F("email_attempts") + 1)
        raise
    DeliveryAttempt.objects.create(notification=n, at=now, ok=True)
    Notification.objects.filter(pk=n.pk).update(
        email_state=Notification.Email.SENT,
        email_sent_at=now,
        email_attempts=F("email_attempts") + 1,
        email_next_try=None,
    )


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def send_digests(day: date) -> None:
    """The 07:30 digest (a daily job): one e-mail per person who chose it, listing their waiting notifications.

    A person whose e-mail fails keeps their notifications waiting; the job then fails and is retried with backoff.
    """
    now = timezone.now()
    waiting: dict[int, list[Notification]] = defaultdict(list)
    for n in (
        Notification.objects.filter(email_state=Notification.Email.DIGEST)
        .select_related("recipient", "task")
        .order_by("recipient_id", "created_at", "id")
    ):
        waiting[n.recipient_id].append(n)
    if not waiting:
        return
    errors = []
    connection = get_connection(fail_silently=False)
    try:
        for notes in waiting.values():
            errors += _send_digest(notes, day, now, connection)
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001, S110
            pass
    if errors:
        raise RuntimeError(f"{len(errors)} thư tổng hợp gửi không thành công: {errors[0]}")


def _send_digest(notes: Sequence[Notification], day: date, now: datetime, connection: object) -> list[str]:
    person = notes[0].recipient
    items = [{"n": n, "link": n.absolute_url} for n in notes]
    subject = f"[Đôn đốc] Tổng hợp {len(notes)} thông báo đôn đốc ngày {day:%d/%m/%Y}"
    context = {"items": items, "person": person, "day": day, "site": settings.SITE_URL}
    try:
        _message(subject, "digest", context, person.email, connection).send()
    except Exception as exc:  # noqa: BLE001
        DeliveryAttempt.objects.bulk_create(
            [DeliveryAttempt(notification=n, at=now, digest=True, ok=False, error=_error(exc)) for n in notes]
        )
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(
            email_attempts=F("email_attempts") + 1
        )
        return [_error(exc)]
    DeliveryAttempt.objects.bulk_create(
        [DeliveryAttempt(notification=n, at=now, digest=True, ok=True) for n in notes]
    )
    Notification.objects.filter(pk__in=[n.pk for n in notes]).update(
        email_state=Notification.Email.SENT, email_sent_at=now, email_attempts=F("email_attempts") + 1
    )
    return []
