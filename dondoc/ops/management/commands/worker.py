"""`dondoc worker [--once] [--interval 1]`: the worker of the one job queue (`dondoc.core.jobs`).

It runs the tasks of every queue as they come, one at a time, with the library's own claim and run
(django-tasks-db: a task claimed with `SELECT ... FOR UPDATE SKIP LOCKED`, its result recorded), inside the loop
that outlives the database's troubles (`dondoc.core.worker`: a failed pass is logged and tried again after a
doubling pause). Several may run at once, on several machines. SIGTERM or SIGINT ends it after the task it is
running; an attempt whose worker was killed (SIGKILL, a lost machine) is taken up again after an hour
(`jobs.requeue_stale`, checked once a minute). `--once` runs what is ready now, then exits (cron, tests).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from dondoc.core import jobs, worker
from dondoc.workdays import calendar

log = logging.getLogger("dondoc.jobs")
STALE_CHECK_SECONDS = 60.0  # how often a worker looks for attempts whose worker died (`jobs.requeue_stale`)


def run_ready(runner: Worker) -> bool:
    """Claim one ready task and run it, as the library's worker loop does (its claim under an exclusive
    transaction, `SKIP LOCKED`; its `run_task` recording the result); False when none is ready. The loop itself is
    `dondoc.core.worker`'s, which replaces an old connection between passes (the library's would close the
    connection of a test's transaction)."""
    ready = DBTaskResult.objects.ready().filter(backend_name=runner.backend_name)
    with exclusive_transaction(ready.db):
        claimed = ready.get_locked()
        if claimed is not None:
            claimed.claim(runner.worker_id)
    if claimed is None:
        return False
    runner.run_task(claimed)
    return True


class Command(BaseCommand):
    help = "Chạy các việc nền (báo cáo lớn, nhập Excel lớn, webhook, thư điện tử) khi chúng đến."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="giây chờ khi không có việc (mặc định 1)"
        )
        parser.add_argument("--once", action="store_true", help="chạy những việc đang chờ rồi thoát")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] <= 0:
            self.stderr.write("--interval phải > 0.")
            raise SystemExit(2)
        runner = Worker(
            queue_names=["*"],
            excluded_queue_names=[],
            interval=options["interval"],
            batch=False,
            max_tasks=None,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            worker_id=get_random_string(32),
        )
        last_check = [float("-inf")]

        def one_pass() -> bool:
            calendar.check_generation()  # each job computes with the calendar as changed by any process
            if time.monotonic() - last_check[0] >= STALE_CHECK_SECONDS:
                jobs.requeue_stale()
                last_check[0] = time.monotonic()
            return run_ready(runner)

        worker.run(
            one_pass,
            name="job worker",
            interval=options["interval"],
            once=options["once"],
            log=log,
        )
