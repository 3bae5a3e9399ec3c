"""The one job queue (README "Tiến trình nền"): the work that is not time-driven — a large report, a large spreadsheet
import, a webhook delivery, an e-mail — is a task of django-tasks (the backport of Django 6's `django.tasks` API)
with its database backend (django-tasks-db). Enqueuing writes one row in the same transaction as the data that asks
for it (an action rolled back queues nothing); `dondoc worker` claims ready rows (`SELECT ... FOR UPDATE SKIP
LOCKED` on PostgreSQL, an exclusive transaction on SQLite) and runs them; several workers may run at once.

What the library leaves to its user is here, the same for every job:
- **retries with backoff** (`@job(backoff=...)`): an attempt that raises enqueues the next attempt to run after its
  pause (the library's `run_after`) and tells the job (`on_retry`); after the last pause the job is told it failed
  (`on_give_up`) and writes the reason, in Vietnamese, on its own record — the one users see. `Refused` is a
  failure no retry can cure (a file that is not a spreadsheet): given up at once. The library keeps each attempt's
  result (FAILED with its traceback, for the administrator).
- **a worker that died** (`requeue_stale`): an attempt left running for `STALE_AFTER` (its worker killed, its
  machine lost) counts as failed, and the job goes on as after any failure (the next attempt, or given up).
- **progress** (`step`): a job's record keeps `progress` (0–100) and `stage`, written at once so the page polling
  it (`core/_job_progress.html`) sees it while the job goes on.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.db import models, transaction
from django.utils import timezone
from django_tasks import task as library_task
from django_tasks.base import Task

log = logging.getLogger("dondoc.jobs")

Hook = Callable[..., None]
STALE_AFTER = timedelta(minutes=60)  # an attempt running longer than this lost its worker


class Refused(Exception):
    """A failure that retrying cannot cure; its message is the Vietnamese reason shown to the user."""


class WorkerLost(Exception):
    """The attempt's worker stopped in its middle (killed, machine lost)."""

    def __str__(self) -> str:
        return "tiến trình nền dừng giữa chừng"


def reason(exc: BaseException) -> str:
    """The Vietnamese reason of a failed attempt, as the job's page shows it."""
    if isinstance(exc, Refused):
        return str(exc)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"Lỗi hệ thống ({type(exc).__name__}{': ' + text if text else ''})"[:2000]


def retry_note(attempt: int, when: datetime, exc: BaseException, limit: int | None = None) -> str:
    """What a job's page says while it waits for its next attempt; at most `limit` characters (the record's
    column: PostgreSQL refuses a longer value, and the failure would go unrecorded), the reason shortened («…»)
    and the next attempt's time kept."""
    local = timezone.localtime(when)
    head, why, tail = (
        f"Lần {attempt} không thành công: ",
        reason(exc),
        f". Sẽ thử lại lúc {local:%H:%M %d/%m/%Y}.",
    )
    if limit is not None and len(head) + len(why) + len(tail) > limit:
        why = why[: max(limit - len(head) - len(tail) - 1, 0)] + "…"
    return (head + why + tail)[: limit or None]


def waiting_again(model: type[models.Model]) -> Hook:
    """The `on_retry` of a job whose record is a row of `model` (with `status`, `progress`, `stage`): the record is
    queued again at 0 %, its page saying when the next attempt runs and why the last one failed."""

    limit = getattr(model._meta.get_field("stage"), "max_length", None)

    def on_retry(record_id: int, *, attempt: int, when: datetime, exc: BaseException) -> None:
        model._default_manager.filter(pk=record_id).update(
            status=model.Status.QUEUED,  # type: ignore[attr-defined]
            progress=0,
            stage=retry_note(attempt, when, exc, limit),
        )

    return on_retry


@dataclass(frozen=True)
class Policy:
    backoff: Sequence[timedelta]
    on_retry: Hook | None
    on_give_up: Hook | None


def _failed(queued: Any, policy: Policy, args: Sequence[Any], attempt: int, exc: BaseException) -> None:
    """After a failed attempt: queue the next one after its pause, or give up."""
    name = queued.func.__name__
    if not isinstance(exc, Refused) and attempt <= len(policy.backoff):
        when = timezone.now() + policy.backoff[attempt - 1]
        queued.using(run_after=when).enqueue(*args, attempt=attempt + 1)
        log.warning("%s%r: attempt %d failed (%s); next at %s", name, tuple(args), attempt, exc, when)
        if policy.on_retry is not None:
            policy.on_retry(*args, attempt=attempt, when=when, exc=exc)
    else:
        log.error("%s%r: gave up after attempt %d (%s)", name, tuple(args), attempt, exc)
        if policy.on_give_up is not None:
            policy.on_give_up(*args, attempt=attempt, exc=exc)


def job(
    *,
    backoff: Sequence[timedelta] = (),
    on_retry: Hook | None = None,
    on_give_up: Hook | None = None,
    priority: int = 0,
) -> Callable[[Callable[..., Any]], Task]:
    """Make `func(*args)` a task of the queue, tried `len(backoff) + 1` times: `func.enqueue(*args)` queues it.

    `on_retry(*args, attempt=, when=, exc=)` is called when attempt `attempt` failed and the next one is queued for
    `when`; `on_give_up(*args, attempt=, exc=)` when the last one failed (or a `Refused` was raised). Arguments must
    be JSON values (ids, not objects)."""
    policy = Policy(tuple(backoff), on_retry, on_give_up)

    def wrap(func: Callable[..., Any]) -> Task:
        @functools.wraps(func)
        def attempt_once(*args: Any, attempt: int = 1) -> Any:
            try:
                return func(*args)
            except Exception as exc:
                _failed(queued, policy, args, attempt, exc)
                raise

        attempt_once.policy = policy  # type: ignore[attr-defined]
        queued: Task = library_task(priority=priority)(attempt_once)
        return queued

    return wrap


def enqueue_many(queued: Task, calls: Sequence[Sequence[Any]], batch: int = 1000) -> int:
    """Queue `queued(*args)` for every `args` of `calls`; returns how many. With the database backend the rows are
    written by one bulk insert per `batch` — the very rows `queued.enqueue(*args)` writes one INSERT at a time
    (the follow-up engine hands thousands of e-mails to the queue after a busy day); any other backend enqueues
    them one by one."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.compat import normalize_json, task_enqueued
    from django_tasks_db.models import DBTaskResult, get_date_max

    backend = queued.get_backend()
    if not isinstance(backend, DatabaseBackend):
        for args in calls:
            queued.enqueue(*args)
        return len(calls)
    backend.validate_task(queued)
    rows = [
        DBTaskResult(
            id=backend._get_id(),
            args_kwargs=normalize_json({"args": list(args), "kwargs": {}}),
            priority=queued.priority,
            task_path=queued.module_path,
            queue_name=queued.queue_name,
            # what the library's pre_save signal (not sent by bulk_create) sets for "run at once"
            run_after=queued.run_after or get_date_max(),
            backend_name=backend.alias,
        )
        for args in calls
    ]
    DBTaskResult.objects.bulk_create(rows, batch_size=batch)
    for row in rows:
        task_enqueued.send(type(backend), task_result=row.task_result)
    return len(rows)


def requeue_stale(now: datetime | None = None) -> int:
    """Attempts left running for `STALE_AFTER` are failed (`WorkerLost`) and their jobs go on as after any failure;
    returns how many. Called by `dondoc worker` about once a minute; a conditional update, so two workers never
    take the same one."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    taken = 0
    for stale in DBTaskResult.objects.running().filter(started_at__lt=now - STALE_AFTER):
        with transaction.atomic():
            lost = WorkerLost()
            if not DBTaskResult.objects.filter(pk=stale.pk, status="RUNNING").update(
                status="FAILED",
                finished_at=now,
                exception_class_path=f"{__name__}.WorkerLost",
                traceback=str(lost),
            ):
                continue
            taken += 1
            try:
                queued = stale.task
            except (ImportError, SuspiciousOperation):
                continue  # no such job any more: failed, nothing to go on with
            policy = getattr(queued.func, "policy", None)
            if policy is not None:
                call = stale.args_kwargs
                _failed(queued, policy, call["args"], call["kwargs"].get("attempt", 1), lost)
    return taken


def step(record: models.Model, progress: int, stage: str) -> None:
    """Record a job's progress at once (autocommit), so its page sees it while the job goes on."""
    record.progress, record.stage = progress, stage  # type: ignore[attr-defined]
    type(record)._default_manager.filter(pk=record.pk).update(progress=progress, stage=stage)
