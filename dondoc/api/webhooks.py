"""Webhooks: task changes sent as signed JSON to the subscribers an administrator registered.

Rules:
1. Every history row of a task (`TaskEvent`, written by the domain functions) queues one delivery per active
   subscriber, in the same transaction: an action rolled back sends nothing.
2. The body is JSON; the header ``X-Dondoc-Signature: sha256=<hex>`` is the HMAC-SHA256 of the exact body bytes
   with the subscriber's secret. A secret task's content is not sent (only its id, state and unit).
3. A delivery succeeds on an HTTP 2xx answer. Otherwise it is retried with backoff (1, 4, 16, 64, 256 minutes);
   after `MAX_ATTEMPTS` tries it is marked failed. Every try is logged on the delivery row (code, error).
4. Deliveries are sent by ``dondoc webhooks`` (once, or ``--loop``), never inside the user's request.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from dondoc.api.models import WebhookDelivery, WebhookSubscriber
from dondoc.tracking.models import TaskEvent
from dondoc.tracking.secrecy import shown_content

MAX_ATTEMPTS = 6
TIMEOUT_SECONDS = 10
BACKOFF_BASE = timedelta(minutes=1)
SIGNATURE_HEADER = "X-Dondoc-Signature"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed try: 1, 4, 16, 64, 256 minutes."""
    return BACKOFF_BASE * (4 ** max(attempts - 1, 0))


def payload(event: TaskEvent) -> dict[str, Any]:
    task = event.task
    return {
        "event": f"task.{event.action}",
        "event_id": event.pk,
        "at": timezone.localtime(event.at).isoformat(),
        "actor": (event.actor.get_full_name() or event.actor.username) if event.actor else None,
        "note": "" if task.secret else event.note,
        "task": {
            "id": task.pk,
            "directive": task.directive.notation,
            "content": shown_content(task.pk, task.content, task.secret),
            "lead_unit": task.lead_unit.name,
            "state": task.state,
            "due_date": task.due_date.isoformat() if task.due_date else None,
            "secret": task.secret,
        },
    }


@receiver(post_save, sender=TaskEvent, dispatch_uid="dondoc.api.webhooks.queue")
def queue(sender: Any, instance: TaskEvent, created: bool, **kwargs: Any) -> None:
    """Rule 1: one pending delivery per active subscriber, written in the event's own transaction."""
    if not created or kwargs.get("raw"):
        return
    subscribers = list(WebhookSubscriber.objects.filter(active=True))
    if not subscribers:
        return
    body = json.dumps(payload(instance), ensure_ascii=False, sort_keys=True)
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(subscriber=s, event=instance, payload=body, next_attempt_at=timezone.now())
            for s in subscribers
        ]
    )


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    body = delivery.payload.encode("utf-8")
    request = urllib.request.Request(
        delivery.subscriber.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "dondoc-webhooks/1",
            "X-Dondoc-Event": json.loads(delivery.payload)["event"],
            "X-Dondoc-Delivery": str(delivery.pk),
            SIGNATURE_HEADER: sign(delivery.subscriber.secret, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - admin's URL
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, str(getattr(exc, "reason", exc))[:500]


def deliver_due(now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send every delivery that is due (rule 3); returns how many were delivered, retried and failed."""
    now = now or timezone.now()
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    due = (
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now, subscriber__active=True
        )
        .select_related("subscriber")
        .order_by("next_attempt_at", "id")[:limit]
    )
    for delivery in due:
        code, error = _post(delivery)
        delivery.attempts += 1
        delivery.last_status_code = code
        if code is not None and 200 <= code < 300:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.last_error = ""
            counts["delivered"] += 1
        else:
            delivery.last_error = error or f"HTTP {code}"
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status = WebhookDelivery.Status.FAILED
                counts["failed"] += 1
            else:
                delivery.next_attempt_at = now + backoff(delivery.attempts)
                counts["retry"] += 1
        delivery.save()
    return counts
