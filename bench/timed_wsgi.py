"""The application (`dondoc.wsgi`) with each request's time split, for bench/questions.py `--split`: where does a
write request's wall time go when 8 clients ask at once — the thread's own CPU, the statements (from sending to
the answer read back, as the application waits for them), or neither (waiting for the GIL held by another thread
of the worker, for a core)?

One line per request is appended to the file named by `BENCH_TIMING_FILE` (tab-separated: the worker's pid, the
start time (`time.time`), the method and path, wall ms, the thread's CPU ms (`time.thread_time`), the statements'
wall ms, their count, and the COMMITs' wall ms). The statements are timed by `connection.execute_wrapper`; a
COMMIT is not a statement for it (psycopg's `commit()`), so `BaseDatabaseWrapper.commit` is timed apart.

    gunicorn --pythonpath bench timed_wsgi   # what questions.py --split starts
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from dondoc.wsgi import application as app  # sets DJANGO_SETTINGS_MODULE and sets Django up

_local = threading.local()
_out = open(os.environ["BENCH_TIMING_FILE"], "a", buffering=1)  # noqa: SIM115 — one line per request, all run
_write = threading.Lock()
_commit = BaseDatabaseWrapper.commit


def _timed_commit(self: Any) -> None:
    t0 = time.perf_counter()
    try:
        _commit(self)
    finally:
        if (spent := getattr(_local, "spent", None)) is not None:
            spent[2] += time.perf_counter() - t0


BaseDatabaseWrapper.commit = _timed_commit  # type: ignore[method-assign]


def _statement(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
    t0 = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        spent = _local.spent
        spent[0] += time.perf_counter() - t0
        spent[1] += 1


def application(environ: dict[str, Any], start_response: Any) -> Any:
    _local.spent = spent = [0.0, 0, 0.0]
    started, t0, c0 = time.time(), time.perf_counter(), time.thread_time()
    with connection.execute_wrapper(_statement):
        body = list(app(environ, start_response))  # the answers of the API are not streamed (but CSV)
    wall, cpu = time.perf_counter() - t0, time.thread_time() - c0
    _local.spent = None
    line = (
        f"{os.getpid()}\t{started:.6f}\t{environ['REQUEST_METHOD']} {environ['PATH_INFO']}\t{wall * 1000:.3f}"
        f"\t{cpu * 1000:.3f}\t{spent[0] * 1000:.3f}\t{spent[1]}\t{spent[2] * 1000:.3f}\n"
    )
    with _write:
        _out.write(line)
    return body
