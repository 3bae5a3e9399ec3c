"""`make bench` (evaluation part): the leaders' dashboard's time at 10^5 and 10^6 tasks.

For each (database, size) it builds a database with bench/run.py's worker steps (migrations, registry, calendar,
`dondoc.demo.synth` through the fast COPY / executemany writer, VACUUM ANALYZE), then times:

- "dashboard data": `dondoc.evaluation.dashboard.build` — every query of the page (city, by unit, by authority,
  by kind, the 12-period trend, the links), for the monthly period containing the reference date;
- "dashboard page": GET /danh-gia/ as a leader through Django's test client (queries + template);
- the same with a filter (authority UBND) and for the quarter.

and prints p50/p95 in milliseconds, twice: "cold" empties the cache (`dondoc.evaluation.cache`) before every
call, so every statement runs; "warm" asks the same question again on unchanged data (what a leader reloading the
page, or a second leader, gets: the data version is read and the answer comes from the cache).

    python bench/evaluation.py [--db postgres,sqlite] [--sizes 100000,1000000] [--repeat 30] [--keep] [--reuse]
        [--explain]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402  (bench/common.py: the driver and worker plumbing of the benchmarks)
import run as base  # noqa: E402  (bench/run.py: database set-up, generator, timing helpers)

os.environ.setdefault("BENCH_PG_NAME", "dondoc_bench_eval")
base.PG_NAME = os.environ["BENCH_PG_NAME"]
MARK = "EVAL-RESULT "


def main() -> int:
    parser = common.parser(__doc__, db="postgres,sqlite")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--explain", action="store_true", help="print the PostgreSQL plans of the count queries"
    )
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    pairs = common.targets(args.db, args.sizes, sqlite_max=args.sqlite_max)
    extra = ["--repeat", str(args.repeat)]
    extra += common.flags(keep=args.keep, reuse=args.reuse, explain=args.explain)
    results = common.drive(__file__, MARK, "=== evaluation: {db}, {size:,} tasks ===", pairs, extra)
    print(
        "\ndb       |      tasks | question                                   "
        "| cold p50 | cold p95 | warm p50 | warm p95  (ms)"
    )
    for r in results:
        for q in r["questions"]:
            print(
                f"{r['db']:<8} | {r['size']:>10,} | {q['name']:<42} "
                f"| {q['cold_p50']:8.1f} | {q['cold_p95']:8.1f} | {q['p50']:8.1f} | {q['p95']:8.1f}"
            )
    return 0


def worker(args: argparse.Namespace) -> int:
    db, size = args.db, args.size
    reused = common.open_database(db, size, reuse=args.reuse)
    from django.db import connection

    try:
        common.fill(size, reused=reused)
        questions = ask(args.repeat, args.explain)
    finally:
        connection.close()
    common.finish(
        db, size, keep=args.keep, mark=MARK, result={"db": db, "size": size, "questions": questions}
    )
    return 0


def _leader() -> Any:
    from django.contrib.auth import get_user_model

    from dondoc.org.models import Person, Unit

    User = get_user_model()
    user, created = User.objects.get_or_create(username="bench.lanhdao")
    if created:
        Person.objects.create(
            user=user,
            full_name="Lãnh đạo",
            unit=Unit.objects.get(code="H26"),
            role=Person.Role.LEADER,
            position=Person.Position.HEAD,
            cleared_for_secrets=True,
        )
    return user


def ask(repeat: int, explain: bool) -> list[dict[str, Any]]:
    import time_machine
    from django.test import Client

    from dondoc.evaluation import dashboard, stats
    from dondoc.evaluation import periods as pr

    ref = base.REF
    user = _leader()
    month = pr.last_complete(pr.MONTHLY, ref)
    quarter = pr.last_complete(pr.QUARTERLY, ref)
    everything = stats.Filters()
    ubnd = stats.Filters(authority="city_committee")
    client = Client()
    out = []
    traveller = time_machine.travel(f"{ref.isoformat()} 09:00 +07:00", tick=True)
    traveller.start()
    try:
        first = dashboard.build(month, user, ref=ref, filters=everything)
        c = first.evaluation.city
        base.log(
            f"{month.label}: due {c.due:,}, on time {c.on_time:,}, late {c.late:,}, in deadline {c.in_deadline:,}, "
            f"overdue {c.overdue:,}, no deadline {c.no_deadline:,}, extended {c.extended:,}; "
            f"{len(first.units)} units"
        )
        questions = [
            (
                f"dashboard data, {month.short}",
                lambda: dashboard.build(month, user, ref=ref, filters=everything),
            ),
            (
                f"dashboard data, {month.short}, UBND",
                lambda: dashboard.build(month, user, ref=ref, filters=ubnd),
            ),
            (
                f"dashboard data, {quarter.short}",
                lambda: dashboard.build(quarter, user, ref=ref, filters=everything),
            ),
            ("dashboard page GET /danh-gia/", lambda: _get(client, "/danh-gia/")),
            (
                "dashboard page, quarter + UBND",
                lambda: _get(
                    client,
                    f"/danh-gia/?loai_ky=quy&ky={quarter.year}-{quarter.number}&cap_giao=city_committee",
                ),
            ),
        ]
        for name, fn in questions:
            if name.startswith("dashboard page"):
                try:
                    client.force_login(user)
                    fn()
                except Exception as exc:  # noqa: BLE001 — another app's state must not hide the data timings
                    base.log(f"{name}: skipped ({type(exc).__name__}: {str(exc).splitlines()[0]})")
                    continue
            cold50, cold95, _answer = base.timed(_cold(fn), repeat, warmup=1)
            p50, p95, _answer = base.timed(fn, repeat, warmup=1)
            base.log(
                f"{name}: cold p50 {cold50:.1f} ms, p95 {cold95:.1f} ms; warm p50 {p50:.1f} ms, p95 {p95:.1f} ms"
            )
            out.append({"name": name, "cold_p50": cold50, "cold_p95": cold95, "p50": p50, "p95": p95})
        if explain:
            _explain(month, ref, user)
    finally:
        traveller.stop()
    return out


def _cold(fn: Any) -> Any:
    """fn with an empty cache: every statement of the dashboard runs."""
    from django.core.cache import cache

    def cold() -> Any:
        cache.clear()
        return fn()

    return cold


def _get(client: Any, url: str) -> int:
    response = client.get(url)
    if response.status_code != 200:
        raise AssertionError(f"{url}: HTTP {response.status_code}")
    return len(response.content)


def _explain(period: Any, ref: date, user: Any) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every counting statement the dashboard runs (without the cache)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dondoc.evaluation import dashboard, stats

    if connection.vendor != "postgresql":
        return
    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as ctx:
        dashboard.compute(period, user, ref=ref, filters=stats.Filters())
    base.log(f"dashboard.compute: {(time.perf_counter() - t0) * 1000:.0f} ms")
    with connection.cursor() as cur:
        cur.execute("SET jit = off")
        cur.execute("SET work_mem = '64MB'")
        for q in ctx.captured_queries:
            if not q["sql"].startswith("SELECT") or "tracking_task" not in q["sql"]:
                continue
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
            plan = "\n".join("    " + r[0] for r in cur.fetchall())
            base.log(f"--- {q['sql'][:120]}...\n{plan}")


if __name__ == "__main__":
    sys.exit(main())
