"""`make bench` (follow-up part): the time to process one working day's follow-ups on PostgreSQL.

For each size a worker process builds a fresh database exactly as bench/run.py does (migrations, the registry, the
calendar, a head and two officers per unit, `dondoc.core.synth` with COPY), then:

1. schedules every task (`reschedule_all` as of Friday 13/03/2026 18:00: what `dondoc followup --reschedule`
   does after an install), and
2. times the engine's pass on Monday 16/03/2026 at 09:00 — claiming every task whose next step is due, writing
   one notification per recipient, rescheduling — with `process_due` (the code path of `dondoc followup`),
   then an idle pass (nothing due), and prints the figures.

    python bench/followup.py [--db postgres,sqlite] [--sizes 100000,1000000] [--batch 500] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("BENCH_PG_NAME", "dondoc_bench_followup")  # not the database bench/run.py uses
import run as base  # noqa: E402 — bench/run.py: database set-up and the generator, shared

ROOT = base.ROOT
MARK = "FOLLOWUP-RESULT "
SCHEDULED_AT = "2026-03-13T18:00:00+07:00"  # Friday evening
DAY_AT = "2026-03-16T09:00:00+07:00"  # Monday 09:00, after the 08:00 steps


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="postgres", help="comma-separated: postgres, sqlite")
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated task counts")
    parser.add_argument("--batch", type=int, default=500, help="tasks claimed per transaction")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    dbs = [d.strip() for d in args.db.split(",") if d.strip()]
    if "postgres" in dbs and (why := base.postgres_unreachable()):
        print(f"PostgreSQL at {base.PG_SERVER} is unreachable ({why}); going on without it.", flush=True)
        dbs.remove("postgres")
    results = []
    for db in dbs:
        for size in [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]:
            print(f"\n=== follow-up, {db}, {size:,} tasks ===", flush=True)
            cmd = [
                sys.executable,
                __file__,
                "--worker",
                "--db",
                db,
                "--size",
                str(size),
                "--batch",
                str(args.batch),
            ]
            cmd += ["--keep"] if args.keep else []
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith(MARK):
                    results.append(json.loads(line[len(MARK) :]))
                else:
                    print(line, end="", flush=True)
            if proc.wait() != 0:
                print(f"worker for {db} at {size:,} tasks failed (exit {proc.returncode})", flush=True)
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
    base.fresh_database(db, size)
    os.environ["DATABASE_URL"] = base.database_url(db, size)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ["DEBUG"] = "0"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from dondoc.followup import engine, ladder
    from dondoc.followup.models import Notification
    from dondoc.tracking.models import Task

    try:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        base.log(f"migrate: {time.perf_counter() - t0:.1f} s")
        spec = base.build_spec(size)
        writer = base.FastWriter()
        spec.insert = writer
        base.populate(spec)
        writer.finish()
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        followed = Task.objects.filter(state__in=ladder.FOLLOWED_STATES).count()
        t0 = time.perf_counter()
        engine.reschedule_all(datetime.fromisoformat(SCHEDULED_AT))
        schedule_s = time.perf_counter() - t0
        base.log(f"scheduled {followed:,} followed tasks (of {size:,}) in {schedule_s:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE tracking_task")
        now = datetime.fromisoformat(DAY_AT)
        due = Task.objects.filter(next_followup_at__lte=now).count()
        t0 = time.perf_counter()
        stats = engine.process_due(now, batch=args.batch)
        pass_s = time.perf_counter() - t0
        notes = Notification.objects.count()
        base.log(
            f"Monday's pass: {stats.tasks:,} tasks due, {notes:,} notifications, {pass_s:.2f} s "
            f"({stats.tasks / pass_s if pass_s else 0:,.0f} tasks/s); by rule: {dict(stats.by_rule)}"
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
    if not args.keep:
        base.drop_database(db, size)
    print(MARK + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
