"""Daily jobs: run once per working day across every engine, at or after 07:30 Hanoi time.

`DONDOC_DAILY_JOBS` lists dotted paths of functions `job(day: date) -> None` (e.g. the monthly report draft). Each
run is a row keyed (job, day), unique in the database; an engine claims it with a conditional update (a lease), so
two engines never run the same job for the same day at once; a failure is retried with backoff, up to
`MAX_ATTEMPTS` times. Days the engines were down are not replayed: a job receives the day it runs on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from dondoc.followup.models import DailyJobRun
from dondoc.workdays import calendar

log = logging.getLogger("dondoc.followup")

RUN_FROM = time(7, 30)
LEASE = timedelta(hours=1)
MAX_ATTEMPTS = 5
BACKOFF = (timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1), timedelta(hours=2))


def run_daily(now: datetime, paths: Iterable[str]) -> list[str]:
    """Run each job not yet done today, if today is a working day and it is 07:30 or later. Returns those run."""
    local = timezone.localtime(now)
    day = local.date()
    if local.time() < RUN_FROM or not calendar.current().is_working_day(day):
        return []
    ran = []
    for path in paths:
        try:
            with transaction.atomic():
                run, _created = DailyJobRun.objects.get_or_create(job=path, day=day)
        except IntegrityError:  # another engine created it at the same moment
            run = DailyJobRun.objects.get(job=path, day=day)
        claimed = (
            DailyJobRun.objects.filter(pk=run.pk, attempts__lt=MAX_ATTEMPTS)
            .exclude(state="done")
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
            .update(state="running", lease_until=now + LEASE, attempts=F("attempts") + 1, started_at=now)
        )
        if not claimed:
            continue
        run.refresh_from_db()
        try:
            import_string(path)(day)
        except Exception as exc:  # noqa: BLE001 — a failing job must not stop the engine; it is retried
            log.exception("daily job %s failed for %s", path, day)
            wait = BACKOFF[min(run.attempts, len(BACKOFF)) - 1]
            DailyJobRun.objects.filter(pk=run.pk).update(
                state="failed", lease_until=now + wait, error=f"{type(exc).__name__}: {exc}"[:2000]
            )
        else:
            DailyJobRun.objects.filter(pk=run.pk).update(
                state="done", finished_at=timezone.now(), lease_until=None, error=""
            )
            ran.append(path)
    return ran
