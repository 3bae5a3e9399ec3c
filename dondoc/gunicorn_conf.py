"""gunicorn's settings for Đôn đốc, in one place: `gunicorn -c python:dondoc.gunicorn_conf dondoc.wsgi`.

`make run`, `make load` (bench/load/run.py) and bench/questions.py start gunicorn with this file, and README
"Running in production" tells the operator to, so the server's shape that the benchmarks measured is the one that
runs. Each value can be changed by its environment variable (README's table); a value that cannot be read stops
the start with a message naming the variable.

- `workers` × `threads` (WEB_WORKERS, WEB_THREADS): 2 × 4 — chosen by measurement (bench/README.md "Branch
  serveshape"): on the 2-core machine 3 × 3 and 4 × 2 used more of the server's CPU a write and were no faster
  (each process links its own audit events and warms its own caches); 1 × 8 was as fast with less CPU, but one
  process is one GIL, one core, for every page.
- `keepalive` (WEB_KEEPALIVE, seconds): 75 — longer than a client waits between two requests, so the server never
  closes an idle connection at the moment the client reuses it (gunicorn's default of 2 s did; a reverse proxy in
  front keeps its own connections).
- After a worker has loaded the application (`post_worker_init`), its objects — modules, settings, URL patterns,
  templates, the statements built once per shape — are moved out of the collector's generations (`gc.freeze()`):
  they live as long as the worker, and every full collection walked them again (issue 19: the collector's time in a
  worker ~0.75 → ~0.4 ms a write, bench/README; on the busy hour's read pages the collector takes ~0.3 ms of ~10 and
  the freeze changed nothing measurable — bench/README "Branch busy").
"""

from __future__ import annotations

import gc

from dondoc.core.env import env_int, env_str

WORKERS = 2
THREADS = 4
KEEPALIVE = 75

bind = env_str("BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = env_int("WEB_WORKERS", WORKERS, minimum=1)
threads = env_int("WEB_THREADS", THREADS, minimum=1)
keepalive = env_int("WEB_KEEPALIVE", KEEPALIVE, minimum=1)


def post_worker_init(worker: object) -> None:
    """gunicorn calls it in each worker once the application is loaded: what is left after a collection is kept
    for the worker's life, out of the collector's sight (`gc.freeze`)."""
    gc.collect()
    gc.freeze()
