"""`make bench` (issue 19, "lists at 10^6"): the server time of the overdue page and of the API task list.

Issue 19's target: the task list filtered to overdue (the HTML page) and the API's task list answer in p95 ≤ 20 ms
of server time at 10^6 tasks. Server time here is the time Django takes to answer the request in this process
(`django.test.Client`: middleware, view, queries, template or JSON; no network, no gunicorn), p50 and p95 of
`--repeat` requests after 5 warm-up ones, with the number of queries of one request and the process's CPU time of a
request (p50, `time.process_time`: what the page costs the application, steadier than wall time on a shared machine)
beside it.

1. A database of each size (bench/run.py's generator, shared with bench/questions.py: the same `BENCH_PG_NAME`
   reuses its kept database with `--reuse`), and the tracking officer of the City Office that bench/questions.py
   makes (sees every unit, cleared for secret tasks), with an API token.
2. The clock set to the dataset's "today" (bench/run.py's REF, Monday 16/03/2026), so that the overdue tasks are
   the few per cent the generator made overdue, as on a live system.
3. The requests, for the median unit by number of overdue tasks (as bench/run.py's "overdue page, 1 unit") and for
   the whole city:
   - overdue page, 1 unit: `/nhiem-vu/?bucket=overdue&unit=U` (the page with its counters, first page of 25);
   - overdue page, city: `/nhiem-vu/?bucket=overdue`;
   - overdue page, unit officer: the same page as bench/questions.py's unit officer (`bench.chuyenvien`, or on a
     copy of bench/load's database its first unit officer), who sees the tasks the unit leads and those it
     coordinates (each part counted from its counted rows, tracking 0019);
   - API overdue, 1 unit: `/api/v1/tasks?unit=U&bucket=overdue&limit=25` (count + first page, issue 19's Q1);
   - API overdue, city, first page, and the next page through its keyset cursor (`after`, no count).

    python bench/lists.py [--db postgres] [--sizes 100000,1000000] [--reuse] [--keep] [--repeat 50]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("BENCH_PG_NAME", "dondoc_bench_questions")
import common  # noqa: E402 — bench/common.py
import run as base  # noqa: E402 — bench/run.py

MARK = "LISTS-RESULT "


def main() -> int:
    parser = common.parser(__doc__, db="postgres")
    parser.add_argument("--repeat", type=int, default=50, help="timed requests of each page")
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    pairs = common.targets(args.db, args.sizes, sqlite_max=args.sqlite_max)
    extra = ["--repeat", str(args.repeat), *common.flags(keep=args.keep, reuse=args.reuse)]
    results = common.drive(
        __file__, MARK, "=== overdue page and API list, {db}, {size:,} tasks ===", pairs, extra
    )
    print()
    for r in results:
        print(f"{r['db']}, {r['size']:,} tasks (load average before: {r['load']}):")
        print(f"  {'request':<52} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8}")
        for name, (queries, p50, p95, cpu) in r["figures"].items():
            print(f"  {name:<52} {queries:>7} {p50:>8.1f} {p95:>8.1f} {cpu:>8.1f}")
    return 0


def server_times(get: Any, repeat: int) -> tuple[int, float, float, float]:
    """(queries of one request, p50 ms, p95 ms, CPU p50 ms) of `repeat` calls of get() after 5 warm-up ones."""
    from django.db import connection

    for _ in range(5):
        get()
    queries = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        get()
    samples, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        get()
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return len(queries), statistics.median(samples), base.percentile(samples, 0.95), statistics.median(cpu)


def worker(args: Any) -> int:
    reused = common.open_database(args.db, args.size, reuse=args.reuse)
    common.fill(args.size, reused=reused)
    import questions  # bench/questions.py: the same accounts
    import time_machine
    from django.db.models import Count
    from django.test import Client

    from dondoc.tracking import timeliness as tl
    from dondoc.tracking.models import Task

    ctx = questions.prepare()
    load = os.getloadavg()[0]
    morning = datetime(base.REF.year, base.REF.month, base.REF.day, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    figures: dict[str, tuple[int, float, float, float]] = {}
    with time_machine.travel(morning, tick=True):
        ref = base.REF
        per_unit = list(
            Task.objects.in_bucket(tl.OVERDUE, ref, tl.soon_limit(ref))
            .values_list("lead_unit")
            .annotate(n=Count("id"))
            .order_by("n", "lead_unit")
        )
        unit, overdue = per_unit[len(per_unit) // 2]
        base.log(f"median unit by overdue tasks: {unit} ({overdue} overdue)")
        page = Client()
        page.force_login(ctx["tracker_user"])
        api = Client(HTTP_AUTHORIZATION=f"Bearer {ctx['tracker']}")
        officer = Client()
        officer.force_login(ctx["officer_user"])  # bench.chuyenvien, or a load database's unit officer

        def get(client: Client, path: str, **params: Any) -> Any:
            def call() -> Any:
                response = client.get(path, params)
                assert response.status_code == 200, (path, params, response.status_code)
                return response

            return call

        first = api.get("/api/v1/tasks", {"bucket": tl.OVERDUE, "limit": 25}).json()
        requests = {
            f"overdue page, 1 unit ({overdue} overdue)": get(
                page, "/nhiem-vu/", bucket=tl.OVERDUE, unit=unit
            ),
            "overdue page, city": get(page, "/nhiem-vu/", bucket=tl.OVERDUE),
            "overdue page, unit officer (led + coordinated)": get(officer, "/nhiem-vu/", bucket=tl.OVERDUE),
            "API overdue, 1 unit, count + first 25 (Q1)": get(
                api, "/api/v1/tasks", bucket=tl.OVERDUE, unit=unit, limit=25
            ),
            f"API overdue, city, count + first 25 ({first['count']})": get(
                api, "/api/v1/tasks", bucket=tl.OVERDUE, limit=25
            ),
            "API overdue, city, next 25 (keyset)": get(
                api, "/api/v1/tasks", bucket=tl.OVERDUE, limit=25, after=first["next"]
            ),
        }
        for name, call in requests.items():
            figures[name] = server_times(call, args.repeat)
            queries, p50, p95, cpu = figures[name]
            base.log(f"{name}: {queries} queries, p50 {p50:.1f} ms, p95 {p95:.1f} ms, CPU p50 {cpu:.1f} ms")
    common.finish(
        args.db,
        args.size,
        keep=args.keep,
        mark=MARK,
        result={"db": args.db, "size": args.size, "load": f"{load:.1f}", "figures": figures},
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
