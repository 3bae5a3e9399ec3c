"""Webhooks against a real local HTTP server: signed JSON on task changes, retries with backoff, delivery log."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from dondoc.api import webhooks
from dondoc.api.models import WebhookDelivery, WebhookSubscriber
from dondoc.tracking import actions
from tests.helpers import run_jobs


class Receiver:
    """An HTTP server on 127.0.0.1 that records each POST and answers with the next queued status (then 200)."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.answers: list[int] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                owner.requests.append((dict(self.headers), body))
                self.send_response(owner.answers.pop(0) if owner.answers else 200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def subscriber(receiver, db):
    return WebhookSubscriber.objects.create(name="Hệ thống báo cáo", url=receiver.url)


def test_a_task_change_is_sent_as_signed_json(subscriber, receiver, make_task, frozen):
    task = make_task(content="Rà soát thủ tục hành chính")  # create + assign: two history rows
    assert WebhookDelivery.objects.filter(subscriber=subscriber).count() == 2
    run_jobs()
    assert len(receiver.requests) == 2
    headers, body = receiver.requests[1]
    expected = "sha256=" + hmac.new(subscriber.secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Dondoc-Signature"] == expected
    data = json.loads(body)
    assert data["event"] == "task.assign" and headers["X-Dondoc-Event"] == "task.assign"
    assert data["task"] == {
        "id": task.pk,
        "directive": "15/CT-UBND",
        "content": "Rà soát thủ tục hành chính",
        "lead_unit": "Sở Xây dựng",
        "state": "assigned",
        "due_date": None,
        "secret": False,
    }
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}
    for delivery in WebhookDelivery.objects.all():
        webhooks.send.enqueue(delivery.pk)  # the same job again: a delivered event is not sent twice
    run_jobs()
    assert len(receiver.requests) == 2


def test_a_secret_task_content_is_not_sent(subscriber, receiver, make_task, frozen):
    make_task(content="Nhiệm vụ mật về an ninh", secret=True)
    run_jobs()
    assert len(receiver.requests) == 2
    for _, body in receiver.requests:
        task = json.loads(body)["task"]
        assert "an ninh" not in body.decode() and task["content"] == f"Nhiệm vụ mật — số {task['id']}"


def test_failures_are_retried_with_backoff_then_given_up(subscriber, receiver, make_task, frozen):
    make_task(assign=False)  # one history row
    receiver.answers = [500] * webhooks.MAX_ATTEMPTS
    tried = timezone.now()
    run_jobs()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.last_status_code, delivery.last_error) == (1, 500, "HTTP 500")
    frozen.shift(30)
    run_jobs()
    assert len(receiver.requests) == 1  # not due yet: nothing sent
    waits = []
    for _ in range(webhooks.MAX_ATTEMPTS - 1):
        assert not DBTaskResult.objects.ready().exists()  # the next try waits for its time
        due = DBTaskResult.objects.get(status="READY").run_after
        waits.append(due - tried)
        frozen.move_to(due)
        tried = due
        run_jobs()
    assert [round(w.total_seconds() / 60) for w in waits] == [1, 4, 16, 64, 256]
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED and delivery.attempts == webhooks.MAX_ATTEMPTS
    assert len(receiver.requests) == webhooks.MAX_ATTEMPTS
    assert not DBTaskResult.objects.filter(status="READY").exists()  # given up: nothing more queued


def test_a_recovered_receiver_gets_the_event_on_retry(subscriber, receiver, make_task, frozen):
    make_task(assign=False)
    receiver.answers = [503]
    run_jobs()
    call_command("worker", "--once")  # not yet due: the worker sends nothing
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING and len(receiver.requests) == 1
    frozen.shift(60)
    run_jobs()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.attempts == 2
    assert receiver.requests[0][1] == receiver.requests[1][1]  # the same event, byte for byte


def test_an_unreachable_receiver_is_logged(db, make_task, frozen):
    WebhookSubscriber.objects.create(name="Tắt", url="http://127.0.0.1:9/khong-co")
    make_task(assign=False)
    run_jobs()
    delivery = WebhookDelivery.objects.get()
    assert delivery.last_status_code is None and delivery.last_error and delivery.attempts == 1


def test_a_rolled_back_action_sends_nothing(subscriber, directive, registry, personas, frozen):
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.create_task(
            directive,
            lead_unit=registry["SXD"],
            coordinating_units=[],
            content="x",
            user=personas["tracker"].user,
        )
        raise RuntimeError
    assert not WebhookDelivery.objects.exists() and not DBTaskResult.objects.exists()


def test_an_inactive_subscriber_receives_nothing(subscriber, receiver, make_task, frozen):
    subscriber.active = False
    subscriber.save()
    make_task()
    assert not WebhookDelivery.objects.exists()


def test_a_subscriber_switched_off_before_the_try_gets_nothing(subscriber, receiver, make_task, frozen):
    make_task(assign=False)
    subscriber.active = False
    subscriber.save()
    run_jobs()
    assert receiver.requests == []
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.PENDING


def test_the_subscribers_come_with_the_history_rows_and_a_new_one_gets_the_later_events(
    subscriber, receiver, make_task, personas, frozen
):
    """Issue 19: an urging letter writes a history row per task in one transaction; the active subscribers are read
    back by the INSERT of the rows, not by a statement of their own (they were 190 statements of a letter's issue,
    then one per transaction). A subscriber saved since is seen by the next rows; a rolled-back savepoint's rows
    send nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tasks = [make_task(content=f"Nhiệm vụ {i}") for i in range(3)]
    WebhookDelivery.objects.all().delete()
    tracker = personas["tracker"].user
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        actions.urge_many([(t, "Đôn đốc") for t in tasks], tracker, letter_notation="01/VP-TKBT")
        second = WebhookSubscriber.objects.create(name="Hệ thống thứ hai", url=receiver.url)
        actions.urge_many([(tasks[0], "Đôn đốc lần hai")], tracker, letter_notation="02/VP-TKBT")
        with pytest.raises(RuntimeError), transaction.atomic():
            actions.urge_many([(tasks[1], "Đôn đốc lần ba")], tracker, letter_notation="03/VP-TKBT")
            raise RuntimeError
        actions.urge_many([(tasks[2], "Đôn đốc lần bốn")], tracker, letter_notation="04/VP-TKBT")
    reads = [
        q
        for q in ctx.captured_queries
        if q["sql"].lstrip().startswith("SELECT") and "webhooksubscriber" in q["sql"]
    ]
    assert reads == []
    inserts = [
        q for q in ctx.captured_queries if "INSERT INTO" in q["sql"] and "tracking_taskevent" in q["sql"]
    ]
    assert len(inserts) == 4  # one per letter, its rows in one statement
    per_subscriber = {
        s.name: sorted(WebhookDelivery.objects.filter(subscriber=s).values_list("event__note", flat=True))
        for s in (subscriber, second)
    }
    assert per_subscriber == {
        "Hệ thống báo cáo": ["Đôn đốc", "Đôn đốc", "Đôn đốc", "Đôn đốc lần bốn", "Đôn đốc lần hai"],
        "Hệ thống thứ hai": ["Đôn đốc lần bốn", "Đôn đốc lần hai"],
    }
