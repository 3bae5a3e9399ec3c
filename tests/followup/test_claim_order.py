"""The engine's claim locks its tasks in one order, the primary key's, whatever their due times: two engines (or an
engine and an action, `tracking.actions` locks several tasks in key order too) never wait for each other's rows
taken in the opposite order. Two real connections on PostgreSQL, each holding its claim open while the other
claims."""

from __future__ import annotations

import os
import threading
from datetime import date, timedelta

import pytest
from django.db import connection, transaction

from dondoc.followup import engine
from dondoc.followup.engine import install_default_rules
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task, TaskSchedule
from tests.followup.helpers import at

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")),
    reason="row locks of two connections need PostgreSQL (SQLite has a single writer)",
)

NOW = at(date(2026, 3, 10), "09:00")


@pytest.fixture
def due_backwards(transactional_db, personas, directive, registry) -> list[int]:
    """Six due tasks whose due times run AGAINST their keys: the last created is the most overdue."""
    install_default_rules()
    tasks = Task.objects.bulk_create(
        Task(
            directive=directive,
            lead_unit=registry["SXD"],
            content=f"Nhiệm vụ thử thứ tự khoá {i}",
            state=tl.ASSIGNED,
            assigned_on=date(2026, 3, 2),
            due_date=date(2026, 3, 10),
            original_due_date=date(2026, 3, 10),
        )
        for i in range(6)
    )
    ids = sorted(t.pk for t in tasks)
    TaskSchedule.objects.bulk_create(
        TaskSchedule(task_id=pk, next_at=NOW - timedelta(hours=1 + i)) for i, pk in enumerate(ids)
    )
    return ids


def test_two_engines_claim_in_primary_key_order_not_in_due_order(due_backwards):
    ids = due_backwards
    held = threading.Event()
    release = threading.Event()
    second: dict[str, object] = {}

    def other_engine() -> None:
        try:
            with transaction.atomic():  # its own connection (Django's are per thread)
                second["ids"] = engine.claim(NOW, 2)
                held.set()
                release.wait(30)
        except BaseException as error:  # noqa: BLE001 — reported by the main thread
            second["error"] = error
            held.set()
        finally:
            connection.close()

    with transaction.atomic():
        first = engine.claim(NOW, 2)
        thread = threading.Thread(target=other_engine)
        thread.start()
        try:
            assert held.wait(30), "the second engine's claim waited for the first's rows"
            # The second engine skips the rows the first holds and takes the next ones in the same order.
            assert "error" not in second, second
            assert first == ids[:2], f"locked in key order: {first}, tasks {ids} (most overdue last)"
            assert second["ids"] == ids[2:4], f"the second engine, next in key order: {second['ids']}"
            # What a third claim sees from the main connection: its own rows stay its own, the rest in key order.
            with connection.cursor() as cur:
                cur.execute(
                    "SELECT id FROM tracking_task WHERE id = ANY(%s) ORDER BY id FOR UPDATE SKIP LOCKED",
                    [ids],
                )
                assert [pk for (pk,) in cur.fetchall()] == [*ids[:2], *ids[4:]]
        finally:
            release.set()
            thread.join(30)
    assert not thread.is_alive()


def test_a_pass_processes_every_due_task_in_key_order_batches(due_backwards):
    """The whole pass with batches of 2: every due task once, none left due."""
    stats = engine.process_due(NOW, batch=2)
    assert stats.tasks == len(due_backwards)
    assert not TaskSchedule.objects.filter(next_at__lte=NOW).exists()


def test_a_batch_commits_without_waiting_for_the_disk_and_only_the_batch(due_backwards, durable_commits):
    """Each batch's transaction sets `synchronous_commit` off for itself (a lost batch is claimed again); the
    connection is back at the server's setting after it."""
    seen: list[str] = []
    asking = False

    def spy(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal asking
        result = execute(sql, params, many, context)
        if not asking and sql.startswith('SELECT "tracking_task"') and "directives_directive" in sql:
            asking = True  # the claimed rows' read: inside the batch's transaction
            try:
                with connection.cursor() as cur:
                    cur.execute("SHOW synchronous_commit")
                    seen.append(cur.fetchone()[0])
            finally:
                asking = False
        return result

    with connection.execute_wrapper(spy):
        stats = engine.process_due(NOW, batch=4)
    assert stats.tasks == 6
    assert seen == ["off", "off"], seen
    with connection.cursor() as cur:
        cur.execute("SHOW synchronous_commit")
        assert cur.fetchone()[0] == "on"


def test_a_claim_looks_past_a_window_that_other_engines_hold(due_backwards):
    """The claim first looks at the `WINDOW` × batch earliest due tasks (here the four of highest key); when
    another engine holds all of them, it still finds the tasks due after them."""
    ids = due_backwards
    earliest = ids[-engine.WINDOW :]
    held = threading.Event()
    release = threading.Event()

    def other_engine() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute("SELECT id FROM tracking_task WHERE id = ANY(%s) FOR UPDATE", [earliest])
                held.set()
                release.wait(30)
        finally:
            held.set()
            connection.close()

    thread = threading.Thread(target=other_engine)
    thread.start()
    try:
        assert held.wait(30)
        with transaction.atomic():
            assert engine.claim(NOW, 1) == [ids[0]]
    finally:
        release.set()
        thread.join(30)
