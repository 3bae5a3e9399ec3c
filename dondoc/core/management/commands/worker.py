"""`dondoc worker [--once] [--interval 1]`: the worker of the one job queue (`dondoc.core.jobs`).

It runs the tasks of every queue as they come, one at a time, with the library's own claim and run
(django-tasks-db's `Worker`: a task claimed with `SELECT ... FOR UPDATE SKIP LOCKED`, its result recorded), inside
the loop that outlives the database's troubles (`dondoc.core.worker`: a failed pass is logged and tried again after a
doubling pause). Several may run at once, on several machines. SIGTERM or SIGINT ends it after the task it is
running. `--once` runs what is ready now, then exits (cron, tests).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from dondoc.core import worker

log = logging.getLogger("dondoc.jobs")


def run_ready(worker_id: str) -> bool:
    """Run one ready task, if any (the library's claim and run); True when more are ready."""
    Worker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0,
        batch=True,
        max_tasks=1,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        worker_id=worker_id,
    ).run()
    return DBTaskResult.objects.ready().exists()


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
        logging.getLogger("django_tasks_db").setLevel(logging.WARNING)  # not "Starting worker" at every pass
        worker_id = get_random_string(32)
        worker.run(
            lambda: run_ready(worker_id),
            name="job worker",
            interval=options["interval"],
            once=options["once"],
            log=log,
        )
