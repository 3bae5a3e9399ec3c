"""`make bench` (follow-up part): the time to process one working day's follow-ups on PostgreSQL.

For each size a worker process builds a fresh database exactly as bench/run.py does (migrations, the registry, the
calendar, a head and two officers per unit, `dondoc.demo.synth` with COPY), then:

1. schedules every task (`reschedule_all` as of Friday 13/03/2026 18:00: what `dondoc followup --reschedule`
   does after an install), and
2. times the engine's pass on Monday 16/03/2026 at 09:00 — claiming every task whose next step is due, writing
   one notification per recipient, rescheduling — with `process_due` (the code path of `dondoc followup`),
   then an idle pass (nothing due), and prints the figures.

    python bench/followup.py [--db postgres,sqlite] [--sizes 100000,1000000] [--batch 500] [--keep] [--reuse]
                             [--profile] [--statements]

With --keep the database is left as it was before the pass, plus a table `bench_followup_due` holding the due
tasks' schedule; with --reuse a kept database is put back in that state (the pass's notifications deleted, the
due tasks' next follow-up times restored) instead of being generated and scheduled again — minutes at 10^6.
--statements prints the pass's statements on PostgreSQL, grouped by their first words, with their count and time
as the client saw it (and the commits).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import resource
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("BENCH_PG_NAME", "dondoc_bench_followup")  # not the database bench/run.py uses
import common  # noqa: E402 — bench/common.py: the driver and worker plumbing of the benchmarks
import run as base  # noqa: E402 — bench/run.py: database set-up and the generator, shared

MARK = "FOLLOWUP-RESULT "
SCHEDULED_AT = "2026-03-13T18:00:00+07:00"  # Friday evening
DAY_AT = "2026-03-16T09:00:00+07:00"  # Monday 09:00, after the 08:00 steps


def main() -> int:
    parser = common.parser(__doc__, db="postgres", reuse=False)
    parser.add_argument("--reuse", action="store_true", help="reuse the kept database (see --keep)")
    parser.add_argument("--profile", action="store_true", help="print the day's pass's cProfile (top 30)")
    parser.add_argument("--statements", action="store_true", help="time the pass's statements (PostgreSQL)")
    parser.add_argument("--batch", type=int, default=500, help="tasks claimed per transaction")
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    pairs = common.targets(
        args.db, args.sizes, unreachable="PostgreSQL at {server} is unreachable ({why}); going on without it."
    )
    extra = [
        "--batch",
        str(args.batch),
        *common.flags(keep=args.keep, reuse=args.reuse, profile=args.profile, statements=args.statements),
    ]
    results = common.drive(__file__, MARK, "=== follow-up, {db}, {size:,} tasks ===", pairs, extra)
    print()
    head = [
        "db",
        "tasks",
        "open followed",
        "schedule all",
        "due on the day",
        "notifications",
        "day's pass",
        "tasks/s",
        "idle pass",
    ]
    rows = [
        [
            r["db"],
            f"{r['size']:,}",
            f"{r['followed']:,}",
            f"{r['schedule_s']:.1f} s",
            f"{r['due']:,}",
            f"{r['notifications']:,}",
            f"{r['pass_s']:.2f} s",
            f"{r['due'] / r['pass_s']:,.0f}" if r["pass_s"] else "-",
            f"{r['idle_ms']:.1f} ms",
        ]
        for r in results
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(head)]
    print(" | ".join(h.rjust(w) for h, w in zip(head, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
    return 0


def worker(args: argparse.Namespace) -> int:
    db, size = args.db, args.size
    # A fresh database named BENCH_PG_NAME, or the kept one with --reuse.
    reused = common.open_database(db, size, reuse=args.reuse, per_size=False)
    from django.db import connection

    from dondoc.followup import engine, ladder
    from dondoc.followup.models import Notification
    from dondoc.tracking.models import Task, TaskSchedule

    now = datetime.fromisoformat(DAY_AT)
    try:
        if reused:
            restore(now)
            schedule_s = 0.0
        else:
            common.fill(size, reused=False, log_migrate=True)
        followed = Task.objects.filter(state__in=ladder.FOLLOWED_STATES).count()
        if not reused:
            t0 = time.perf_counter()
            engine.reschedule_all(datetime.fromisoformat(SCHEDULED_AT))
            schedule_s = time.perf_counter() - t0
            base.log(f"scheduled {followed:,} followed tasks (of {size:,}) in {schedule_s:.1f} s")
            save(now)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE tracking_taskschedule")
        due = TaskSchedule.objects.filter(next_at__lte=now).count()
        profiler = cProfile.Profile() if args.profile else None
        timings = Statements() if args.statements else None
        t0, cpu0 = time.perf_counter(), time.process_time()
        if profiler is not None:
            profiler.enable()
        with timings if timings is not None else contextlib.nullcontext():
            stats = engine.process_due(now, batch=args.batch)
        pass_s = time.perf_counter() - t0
        cpu_s = time.process_time() - cpu0
        if timings is not None:
            timings.report(pass_s, cpu_s)
        if profiler is not None:
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(30)
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(25)
        notes = Notification.objects.count()
        base.log(
            f"Monday's pass: {stats.tasks:,} tasks due, {notes:,} notifications, {pass_s:.2f} s "
            f"({stats.tasks / pass_s if pass_s else 0:,.0f} tasks/s, {cpu_s:.2f} s of the process's CPU); "
            f"by rule: {dict(stats.by_rule)}"
        )
        assert stats.tasks == due, (stats.tasks, due)
        idle = []
        for _ in range(20):
            t0 = time.perf_counter()
            engine.process_due(now, batch=args.batch)
            idle.append((time.perf_counter() - t0) * 1000)
        idle_ms = sorted(idle)[len(idle) // 2]
        base.log(f"idle pass (nothing due): p50 {idle_ms:.1f} ms")
    finally:
        connection.close()
    result: dict[str, Any] = {
        "db": db,
        "size": size,
        "followed": followed,
        "schedule_s": schedule_s,
        "due": due,
        "notifications": notes,
        "pass_s": pass_s,
        "idle_ms": idle_ms,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    common.finish(db, size, keep=args.keep, mark=MARK, result=result)
    return 0


class Statements:
    """Times every statement and commit of the pass as the client sees it (psycopg's cursors and connections, the
    ORM's and the engine's own), grouped by the statement's first words."""

    def __init__(self) -> None:
        self.spent: dict[str, list[float]] = {}

    def _add(self, key: str, seconds: float) -> None:
        self.spent.setdefault(key, []).append(seconds)

    def __enter__(self) -> Statements:
        import psycopg

        self.saved = psycopg.Cursor.execute, psycopg.Connection.commit
        execute, commit = self.saved
        timer = self

        def timed_execute(cur: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return execute(cur, query, *args, **kwargs)
            finally:
                text = query if isinstance(query, str) else str(query)
                timer._add(" ".join(text.split())[:70], time.perf_counter() - t0)

        def timed_commit(conn: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return commit(conn)
            finally:
                timer._add("COMMIT", time.perf_counter() - t0)

        psycopg.Cursor.execute, psycopg.Connection.commit = timed_execute, timed_commit  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        import psycopg

        psycopg.Cursor.execute, psycopg.Connection.commit = self.saved  # type: ignore[method-assign]

    def report(self, pass_s: float, cpu_s: float) -> None:
        total = sum(sum(v) for v in self.spent.values())
        rows = sorted(self.spent.items(), key=lambda kv: -sum(kv[1]))
        print(f"statements: {sum(len(v) for v in self.spent.values())} round trips, {total:.2f} s of the pass's "
              f"{pass_s:.2f} s; the process's CPU {cpu_s:.2f} s")  # fmt: skip
        for key, spent in rows:
            print(f"  {sum(spent):7.3f} s  {len(spent):4d} × (max {max(spent) * 1000:6.1f} ms)  {key}")


def save(now: datetime) -> None:
    """Keep the schedule of the tasks due at `now` (what the pass changes), for a later --reuse."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_followup_due")
        cur.execute(
            "CREATE TABLE bench_followup_due AS SELECT task_id AS id, next_at AS next_followup_at "
            "FROM tracking_taskschedule WHERE next_at <= %s",
            [now],
        )


def restore(now: datetime) -> None:
    """Put a kept database back as it was before its last pass: no notifications, the due tasks' schedule."""
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM followup_notification")
        cur.execute(
            "UPDATE tracking_taskschedule AS s SET next_at = d.next_followup_at FROM bench_followup_due AS d "
            "WHERE s.task_id = d.id AND s.next_at IS DISTINCT FROM d.next_followup_at"
        )
    with connection.cursor() as cur:
        for table in ("tracking_taskschedule", "followup_notification"):  # not the whole database
            cur.execute(
                f"VACUUM ANALYZE {table}" if connection.vendor == "postgresql" else f"ANALYZE {table}"
            )
    base.log(
        f"reused the kept database, schedule before the pass restored in {time.perf_counter() - t0:.1f} s"
    )


if __name__ == "__main__":
    sys.exit(main())
