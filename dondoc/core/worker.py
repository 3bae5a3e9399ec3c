"""The loop of a background worker that outlives its database's troubles (the job worker `dondoc worker`; the
follow-up engine's loop reads the same way).

One pass at a time: a pass that raises — the database locked by a long import on SQLite, a PostgreSQL restart — is
logged with its traceback, its connection dropped (never reused broken), and the next pass is tried after a pause
that doubles at each failure in a row (up to MAX_BACKOFF seconds or the interval); the first pass that succeeds logs
the recovery. (A job that fails is not a failed pass: the queue records it and tries it again, `dondoc.core.jobs`.)
SIGTERM or SIGINT ends the loop between passes.
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable

from django.db import DatabaseError, close_old_connections, connection

MAX_BACKOFF = 60.0  # seconds


def backoff(interval: float, failures: int) -> float:
    """The pause after the `failures`-th failed pass in a row."""
    return min(interval * 2 ** (failures - 1), max(interval, MAX_BACKOFF))


def run(one_pass: Callable[[], bool], *, name: str, interval: float, once: bool, log: logging.Logger) -> None:
    """Call `one_pass()` (True: it did something, call again at once; False: nothing to do, wait `interval`) until
    stopped; with `once`, until it has nothing to do, and an error ends it (cron sees the failure)."""
    stopping = {"now": False}

    def stop(_signum: int, _frame: object) -> None:
        stopping["now"] = True

    if not once:
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
    failures = 0
    while not stopping["now"]:
        try:
            if not once:  # a long-running loop: a connection too old or broken is replaced before the pass
                close_old_connections()
            busy = one_pass()
        except Exception as exc:  # noqa: BLE001 — a worker that dies leaves every queued job waiting forever
            if once:
                raise
            failures += 1
            try:
                connection.close()
            except DatabaseError:
                pass  # closing a broken connection may fail too; the handle is dropped all the same
            wait = backoff(interval, failures)
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            log.error(
                "%s: pass failed (%s: %s); attempt %d, next in %.1f s",
                name,
                type(exc).__name__,
                first,
                failures,
                wait,
                exc_info=True,
            )
        else:
            if failures:
                log.warning("%s: working again after %d failed attempts", name, failures)
            failures = 0
            if busy:
                continue
            if once:
                return
            wait = interval
        slept = 0.0
        while slept < wait and not stopping["now"]:
            time.sleep(min(0.2, wait - slept))
            slept += 0.2
