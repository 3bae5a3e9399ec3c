"""Webhooks: task changes sent as signed JSON to the subscribers an administrator registered.

Rules:
1. Every history row of a task (`TaskEvent`, written by the domain functions) queues one delivery per active
   subscriber, in the same transaction: an action rolled back sends nothing.
2. The body is JSON; the header ``X-Dondoc-Signature: sha256=<hex>`` is the HMAC-SHA256 of the exact body bytes
   with the subscriber's secret. A secret task's content is not sent (only its id, state and unit).
3. A delivery succeeds on an HTTP 2xx answer. Otherwise it is retried with backoff (1, 4, 16, 64, 256 minutes);
   after `MAX_ATTEMPTS` tries it is marked failed. Every try is logged on the delivery row (code, error).
4. Each delivery is a job of the queue (`send`, `dondoc.core.jobs`), queued with the event and sent by `dondoc
   worker`, never inside the user's request. A subscriber switched off before the try gets nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from dondoc.api.models import WebhookDelivery, WebhookSubscriber
from dondoc.core import jobs
from dondoc.tracking.models import TaskEvent
from dondoc.tracking.secrecy import shown_content

TIMEOUT_SECONDS = 10
BACKOFF = tuple(timedelta(minutes=4**i) for i in range(5))  # 1, 4, 16, 64, 256 minutes
MAX_ATTEMPTS = len(BACKOFF) + 1
SIGNATURE_HEADER = "X-Dondoc-Signature"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


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


# The active subscribers' ids, in (name, id) order, as a JSON array (None or "[]": none): read back with each history
# row by the INSERT that writes it (`TaskEvent.returned`, `actions.insert_events`), so an event costs no statement
# of its own to find them, and a letter's hundreds of rows none either; the same snapshot as the row's own.
_ACTIVE_IDS = {
    "postgresql": "(SELECT json_agg(id ORDER BY name, id) FROM api_webhooksubscriber WHERE active)",
    "sqlite": "(SELECT json_group_array(id) FROM (SELECT id FROM api_webhooksubscriber WHERE active ORDER BY name, id))",
}
RETURNED = "webhook_subscribers"  # the name the history row holds them under
TaskEvent.returned[RETURNED] = _ACTIVE_IDS.__getitem__


def _subscriber_ids(event: TaskEvent) -> list[int]:
    """The active subscribers for `event`: those its INSERT read back, else (a row saved otherwise) read now."""
    found: Any = getattr(event, RETURNED, False)
    if found is False:
        found = list(
            WebhookSubscriber.objects.filter(active=True).order_by("name", "id").values_list("id", flat=True)
        )
    if isinstance(found, str):
        found = json.loads(found)
    return list(found or [])


@receiver(post_save, sender=TaskEvent, dispatch_uid="dondoc.api.webhooks.queue")
def queue(sender: Any, instance: TaskEvent, created: bool, **kwargs: Any) -> None:
    """Rule 1: one pending delivery per active subscriber, and its job, written in the event's own transaction."""
    if not created or kwargs.get("raw"):
        return
    subscribers = _subscriber_ids(instance)
    if not subscribers:
        return
    body = json.dumps(payload(instance), ensure_ascii=False, sort_keys=True)
    deliveries = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(subscriber_id=pk, event=instance, payload=body) for pk in subscribers]
    )
    for delivery in deliveries:
        send.enqueue(delivery.pk)


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


class NotDelivered(Exception):
    """The receiver did not answer 2xx: the job is tried again after its pause."""


def _gave_up(delivery_id: int, *, attempt: int, exc: BaseException) -> None:
    WebhookDelivery.objects.filter(pk=delivery_id).update(status=WebhookDelivery.Status.FAILED)


@jobs.job(backoff=BACKOFF, on_give_up=_gave_up)
def send(delivery_id: int) -> None:
    """One try of a delivery (rule 3): POST it, log the try on its row; raise to be tried again later."""
    delivery = WebhookDelivery.objects.select_related("subscriber").get(pk=delivery_id)
    if delivery.status != WebhookDelivery.Status.PENDING or not delivery.subscriber.active:
        return
    code, error = _post(delivery)
    delivery.attempts += 1
    delivery.last_status_code = code
    if code is not None and 200 <= code < 300:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.last_error = ""
        delivery.save()
        return
    delivery.last_error = error or f"HTTP {code}"
    delivery.save()
    raise NotDelivered(delivery.last_error)
