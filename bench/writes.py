"""The server's side of Q4 and Q5 (issue 19): what each of the four write requests costs inside the application,
one at a time, in this process (Django's test client, no HTTP, no concurrency), so that the figures depend little
on what else the machine is doing.

For each request — create a draft (`POST /directives/{id}/tasks`), assign, submit the result, confirm — it prints
the number of SQL queries (and with `--sql` the statements), the median wall time, the median CPU time of this
thread (`time.thread_time`: the application's own work, without the database's and without waiting for it) and
the mean CPU time of its PostgreSQL backend (`/proc`, when the server runs on this machine).
`--profile N` profiles N rounds of the four with cProfile and prints the functions with most cumulative time.

It runs on a database kept by bench/questions.py (`--keep`), with that script's accounts (it makes them if
missing):

    BENCH_PG_NAME=dondoc_bench_pw .venv/bin/python bench/questions.py --sizes 100000 --keep   # once
    BENCH_PG_NAME=dondoc_bench_pw .venv/bin/python bench/writes.py --size 100000 [--rounds 40] [--sql] [--profile 20]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("BENCH_PG_NAME", "dondoc_bench_questions")
import common  # noqa: E402 — bench/common.py
import questions  # noqa: E402 — bench/questions.py (its accounts)

REQUESTS = ("create", "assign", "submit_result", "confirm_completion")


def _cpu(stat: Path) -> float:
    """CPU seconds (user + system) of the process whose /proc stat file this is; 0 when it cannot be read (the
    database on another machine). The kernel counts in ticks (10 ms): a mean over many requests, not a median."""
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", type=int, default=100000, help="the kept database <BENCH_PG_NAME>_<size>")
    p.add_argument("--rounds", type=int, default=40, help="timed rounds of the four requests")
    p.add_argument("--sql", action="store_true", help="print each request's statements")
    p.add_argument("--profile", type=int, default=0, help="profile this many rounds (cProfile)")
    p.add_argument("--dump", help="with --profile: also write the profile's statistics to this file (pstats)")
    args = p.parse_args()
    if not common.open_database("postgres", args.size, reuse=True):
        print(f"no kept database of {args.size:,} tasks: run bench/questions.py --keep first")
        return 1
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dondoc.core.dates import today

    ctx = questions.prepare()
    headers = {k: {"Authorization": f"Bearer {ctx[k]}"} for k in ("tracker", "officer")}
    client = Client()
    due = (today() + timedelta(days=30)).strftime("%d/%m/%Y")

    def post(who: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        r = client.post(
            "/api/v1" + path, json.dumps(body or {}), content_type="application/json", headers=headers[who]
        )
        assert r.status_code in (200, 201), (path, r.status_code, r.content[:300])
        return json.loads(r.content)

    def steps(i: int) -> list[tuple[str, Any]]:
        """The four requests of one round, each a thunk; acknowledging (untimed) between assign and submit."""
        made: dict[str, int] = {}

        def create() -> None:
            body = {"content": f"Nhiệm vụ đo phía máy chủ số {i}", "lead_unit": ctx["unit"], "deadline": due}
            made["id"] = post("tracker", f"/directives/{ctx['directive']}/tasks", body)["id"]

        def submit() -> None:
            body = {"document_number": f"{i}/BC-SRV", "document_date": today().isoformat()}
            post("officer", f"/tasks/{made['id']}/submit_result", body)

        return [
            ("create", create),
            ("assign", lambda: post("tracker", f"/tasks/{made['id']}/assign")),
            ("", lambda: post("officer", f"/tasks/{made['id']}/acknowledge")),
            ("submit_result", submit),
            ("confirm_completion", lambda: post("tracker", f"/tasks/{made['id']}/confirm_completion")),
        ]

    for _name, step in steps(-1):  # warm-up: imports, the calendar, the URL resolver
        step()
    queries: dict[str, list[str]] = {}
    for name, step in steps(-2):
        with CaptureQueriesContext(connection) as captured:
            step()
        if name:
            queries[name] = [q["sql"] for q in captured.captured_queries]
    wall: dict[str, list[float]] = {n: [] for n in REQUESTS}
    cpu: dict[str, list[float]] = {n: [] for n in REQUESTS}
    db: dict[str, list[float]] = {n: [] for n in REQUESTS}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = Path(f"/proc/{cursor.fetchone()[0]}/stat")  # PostgreSQL on this machine (else no DB CPU)
    load = os.getloadavg()[0]
    for i in range(args.rounds):
        for name, step in steps(i):
            t0, c0, d0 = time.perf_counter(), time.thread_time(), _cpu(backend)
            step()
            if name:
                wall[name].append((time.perf_counter() - t0) * 1000)
                cpu[name].append((time.thread_time() - c0) * 1000)
                db[name].append((_cpu(backend) - d0) * 1000)
    print(f"{args.size:,} tasks, {args.rounds} rounds, load average {load:.1f} → {os.getloadavg()[0]:.1f}")
    print(f"  {'request':<20} {'queries':>7} {'wall p50':>9} {'CPU p50':>8} {'DB CPU mean':>12}")
    for name in REQUESTS:
        print(
            f"  {name:<20} {len(queries[name]):>7} {statistics.median(wall[name]):>7.1f}ms"
            f" {statistics.median(cpu[name]):>6.1f}ms {statistics.mean(db[name]):>10.2f}ms"
        )
    if args.sql:
        for name in REQUESTS:
            print(f"\n{name}: {len(queries[name])} queries")
            for sql in queries[name]:
                print("   ", sql[:200])
    if args.profile:
        profiler = cProfile.Profile(time.thread_time)  # CPU of this thread, not waiting
        for i in range(args.profile):
            for _name, step in steps(10_000 + i):
                profiler.enable()
                step()
                profiler.disable()
        stats = pstats.Stats(profiler)
        if args.dump:
            stats.dump_stats(args.dump)
        stats.sort_stats("cumulative").print_stats(60)
        stats.sort_stats("tottime").print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
