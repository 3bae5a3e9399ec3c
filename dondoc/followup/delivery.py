"""E-mail delivery of notifications (the in-app channel is the Notification row itself).

Every attempt is recorded (`DeliveryAttempt`) with its result. A notification is claimed with a conditional update
(a short lease) before it is sent, so two engines never send it twice at once; a failure is retried with backoff
(1, 5, 15, 60, 240 minutes) and after `MAX_ATTEMPTS` failures the notification is marked failed and listed for
administrators. A crash between the SMTP server accepting a message and the database recording it can repeat that
one e-mail once (at-least-once delivery); it can never lose one.

People who chose the daily digest get one e-mail at 07:30 on working days (a daily job) with everything since.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from dondoc.followup.models import DeliveryAttempt, Notification

log = logging.getLogger("dondoc.followup")

MAX_ATTEMPTS = 6
BACKOFF = tuple(timedelta(minutes=m) for m in (1, 5, 15, 60, 240))
LEASE = timedelta(minutes=10)


def _message(
    subject: str, template: str, context: dict, to: str, connection: object
) -> EmailMultiAlternatives:
    text = render_to_string(f"followup/email/{template}.txt", context)
    html = render_to_string(f"followup/email/{template}.html", context)
    msg = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to], connection=connection)
    msg.attach_alternative(html, "text/html")
    return msg


def _failed(notification: Notification, now: datetime, error: str) -> None:
    attempts = notification.email_attempts + 1
    gave_up = attempts >= MAX_ATTEMPTS
    Notification.objects.filter(pk=notification.pk).update(
        email_attempts=attempts,
        email_state=Notification.Email.FAILED if gave_up else Notification.Email.PENDING,
        email_next_try=None if gave_up else now + BACKOFF[min(attempts, len(BACKOFF)) - 1],
        email_lease=None,
    )


def deliver_pending(now: datetime | None = None, limit: int = 200) -> tuple[int, int]:
    """Send the pending single e-mails that are due; returns (sent, failed attempts)."""
    now = now or timezone.now()
    ids = list(
        Notification.objects.filter(email_state=Notification.Email.PENDING, email_next_try__lte=now)
        .filter(Q(email_lease__isnull=True) | Q(email_lease__lt=now))
        .order_by("email_next_try", "id")
        .values_list("id", flat=True)[:limit]
    )
    if not ids:
        return 0, 0
    sent = failed = 0
    connection = get_connection(fail_silently=False)
    try:
        for pk in ids:
            claimed = (
                Notification.objects.filter(pk=pk, email_state=Notification.Email.PENDING)
                .filter(Q(email_lease__isnull=True) | Q(email_lease__lt=now))
                .update(email_lease=now + LEASE)
            )
            if not claimed:
                continue  # another engine took it
            n = Notification.objects.select_related("recipient", "task__directive", "task__lead_unit").get(
                pk=pk
            )
            context = {"n": n, "task": n.task, "link": n.absolute_url, "person": n.recipient}
            try:
                _message(
                    f"[Đôn đốc] {n.title}", "notification", context, n.recipient.email, connection
                ).send()
            except Exception as exc:  # noqa: BLE001 — any SMTP or network error is recorded and retried
                failed += 1
                DeliveryAttempt.objects.create(notification=n, at=now, ok=False, error=_error(exc))
                _failed(n, now, _error(exc))
                log.warning("e-mail for notification %s failed: %s", pk, _error(exc))
            else:
                sent += 1
                DeliveryAttempt.objects.create(notification=n, at=now, ok=True)
                Notification.objects.filter(pk=pk).update(
                    email_state=Notification.Email.SENT,
                    email_sent_at=now,
                    email_attempts=F("email_attempts") + 1,
                    email_lease=None,
                    email_next_try=None,
                )
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001, S110 — closing a broken connection must not hide the real outcome
            pass
    return sent, failed


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
