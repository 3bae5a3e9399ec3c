"""`dondoc followup`: the follow-up engine, as a loop (or one pass with --once).

Several copies may run at once, on one machine or several: they claim disjoint batches of due tasks (see
`dondoc.followup.engine`). SIGTERM or SIGINT stops the loop after the batch in hand.

A database that goes away (restart, failover, network) does not end the loop: the pass in hand is rolled back by the
database, the broken connection is dropped, the outage is logged, and the next pass is tried after a growing pause
(the interval, doubled at each failure, up to `MAX_BACKOFF` seconds or the interval if longer); the first pass that
succeeds logs the recovery. Nothing is lost or sent twice: a pass commits batch by batch (see the engine).
"""

from __future__ import annotations

import argparse
import logging
import signal
import time
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
)
from django.utils import timezone

from dondoc.followup import engine

log = logging.getLogger("dondoc.followup")

MAX_BACKOFF = 60.0  # seconds: the longest pause between two attempts while the database is unreachable


def backoff(interval: float, failures: int) -> float:
    """The pause after the `failures`-th pass in a row that could not reach the database."""
    return min(interval * 2 ** (failures - 1), max(interval, MAX_BACKOFF))


class Command(BaseCommand):
    help = "Chạy bộ máy đôn đốc: gửi nhắc việc, đôn đốc theo quy tắc (vòng lặp; --once: một lượt)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="một lượt rồi dừng")
        parser.add_argument(
            "--interval", type=float, default=60.0, help="số giây giữa hai lượt (mặc định 60)"
        )
        parser.add_argument("--batch", type=int, default=engine.BATCH, help="số nhiệm vụ nhận mỗi giao dịch")
        parser.add_argument(
            "--reschedule",
            action="store_true",
            help="tính lại thời điểm đôn đốc tiếp theo của mọi nhiệm vụ (sau khi sửa quy tắc), rồi dừng",
        )
        # For the tests and the benchmark only: act as if it were this moment; pause between batches.
        parser.add_argument("--now", help=argparse.SUPPRESS)
        parser.add_argument("--pause", type=float, default=0.0, help=argparse.SUPPRESS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1 or options["interval"] <= 0:
            self.stderr.write("--batch phải ≥ 1 và --interval phải > 0.")
            raise SystemExit(2)
        now = None
        if options["now"]:
            try:
                now = datetime.fromisoformat(options["now"])
            except ValueError:
                self.stderr.write(
                    f"--now {options['now']!r}: không phải thời điểm ISO 8601 (vd. 2026-03-10T09:00+07:00)."
                )
                raise SystemExit(2) from None
            if now.tzinfo is None:
                now = timezone.make_aware(now)
        if options["reschedule"]:
            n = engine.reschedule_all(now)
            self.stdout.write(f"Đã tính lại thời điểm đôn đốc của {n} nhiệm vụ.")
            return
        stopping = {"now": False}

        def stop(_signum: int, _frame: object) -> None:
            stopping["now"] = True

        if not options["once"]:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        failures = 0
        while True:
            try:
                close_old_connections()
                stats = engine.run_once(now, batch=options["batch"], pause=options["pause"])
            except (OperationalError, InterfaceError) as exc:
                if options["once"]:
                    raise
                failures += 1
                try:
                    connection.close()  # a broken connection is never reused; the next pass opens a new one
                except DatabaseError:
                    pass  # closing what is already broken may fail too; the handle is dropped all the same
                wait = backoff(options["interval"], failures)
                log.warning(
                    "follow-up: the database cannot be reached (%s: %s); attempt %d failed, next in %.1f s",
                    type(exc).__name__,
                    str(exc).strip().splitlines()[0] if str(exc).strip() else "",
                    failures,
                    wait,
                )
            else:
                if options["once"]:
                    self.stdout.write(
                        f"Đã xử lý {stats.tasks} nhiệm vụ, ghi {stats.notifications} thông báo "
                        f"({stats.catchups} thông báo tổng hợp)."
                    )
                    return
                if failures:
                    log.warning("follow-up: the database is back after %d failed attempts", failures)
                failures = 0
                wait = options["interval"]
            slept = 0.0
            while slept < wait and not stopping["now"]:
                time.sleep(min(0.5, wait - slept))
                slept += 0.5
            if stopping["now"]:
                return
