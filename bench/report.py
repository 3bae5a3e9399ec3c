"""`make bench` (report part): the monthly report's time at 10^5 and 10^6 tasks, and the task-list export's.

For each (database, size) a worker process builds a database with bench/run.py's steps (migrations, registry,
calendar, `dondoc.demo.synth` through the fast COPY / executemany writer, VACUUM ANALYZE), then times:

- "monthly report": one complete run as the background worker does it — `report.new_run` + `generate`:
  the counts (`stats.evaluate`, the overdue list, the earlier overdue, the 3-period lateness), the document
  (DOCX and PDF through `dondoc.documents.render`) and the XLSX appendix (every overdue task), files written —
  for Tháng 3/2026 (15/02–14/03) seen on 14/03, the period the 20th's job would prepare on the generator's
  reference date. Printed: wall time per run (p50 and max of `--repeat`) and the time of each step.
- "export CSV": GET of the task list's CSV export (`/danh-gia/xuat/nhiem-vu.csv`) for the tasks due in March,
  streamed through Django's test client as a tracking officer, with rows per second.

    python bench/report.py [--db postgres,sqlite] [--sizes 100000,1000000] [--repeat 3] [--keep] [--reuse]

Target (issue 5): the monthly report ≤ 10 s at 10^6 tasks on PostgreSQL, on this 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402  (bench/common.py: the driver and worker plumbing of the benchmarks)
import run as base  # noqa: E402  (bench/run.py: database set-up, generator, timing helpers)

os.environ.setdefault("BENCH_PG_NAME", "dondoc_bench_report")
base.PG_NAME = os.environ["BENCH_PG_NAME"]
MARK = "REPORT-RESULT "


def main() -> int:
    parser = common.parser(__doc__, db="postgres")
    parser.add_argument("--repeat", type=int, default=3, help="timed report runs (after one warm-up run)")
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    pairs = common.targets(args.db, args.sizes, sqlite_max=args.sqlite_max)
    extra = ["--repeat", str(args.repeat), *common.flags(keep=args.keep, reuse=args.reuse)]
    results = common.drive(__file__, MARK, "=== report: {db}, {size:,} tasks ===", pairs, extra)
    print()
    print(f"{'db':<8} | {'tasks':>10} | {'question':<34} | {'p50':>8} | {'max':>8} | detail")
    for r in results:
        for q in r["questions"]:
            print(
                f"{r['db']:<8} | {r['size']:>10,} | {q['name']:<34} | {q['p50']:7.2f}s | {q['max']:7.2f}s"
                f" | {q['detail']}"
            )
    return 0


def worker(args: argparse.Namespace) -> int:
    db, size = args.db, args.size
    media = tempfile.TemporaryDirectory(prefix="dondoc-bench-report-")
    os.environ["MEDIA_ROOT"] = media.name  # the report files of the benchmark go nowhere permanent
    reused = common.open_database(db, size, reuse=args.reuse)
    from django.db import connection

    try:
        common.fill(size, reused=reused)
        questions = [time_report(args.repeat), time_export()]
    finally:
        connection.close()
        media.cleanup()
    common.finish(
        db, size, keep=args.keep, mark=MARK, result={"db": db, "size": size, "questions": questions}
    )
    return 0


def time_report(repeat: int) -> dict[str, Any]:
    from dondoc.evaluation import periods as pr
    from dondoc.evaluation import report
    from dondoc.evaluation.report_models import ReportRun

    period = pr.last_complete(pr.MONTHLY, base.REF)
    ref = report.reference_for(period, base.REF)
    issuer = report.default_issuer()
    assert issuer is not None
    steps: list[tuple[float, int, str]] = []
    original = report._step

    def record(run: Any, progress: int, stage: str) -> None:
        steps.append((time.perf_counter(), progress, stage))
        original(run, progress, stage)

    report._step = record  # type: ignore[assignment]
    walls, breakdowns = [], []
    run: Any = None
    for i in range(repeat + 1):
        steps.clear()
        t0 = time.perf_counter()
        run = report.generate(report.new_run(period, issuer, ref=ref))  # type: ignore[arg-type]
        wall = time.perf_counter() - t0
        if run.status != ReportRun.Status.DRAFT:
            raise SystemExit(f"report failed: {run.error}")
        marks = [(t0, 0, "start")] + steps + [(t0 + wall, 100, "files saved")]
        breakdown = {f"{a[1]}→{b[1]}%": round(b[0] - a[0], 2) for a, b in zip(marks, marks[1:], strict=False)}
        if i == 0:
            base.log(f"warm-up report: {wall:.2f} s")
            continue
        walls.append(wall)
        breakdowns.append(breakdown)
        base.log(f"report run {i}: {wall:.2f} s  steps {breakdown}  (load average {os.getloadavg()[0]:.1f})")
    report._step = original  # type: ignore[assignment]
    data = report.collect(period, ref)
    city = data.evaluation.city
    sizes = {f: getattr(run, f).size for f in ("docx", "pdf", "xlsx")}
    base.log(
        f"{period.label}, ref {ref:%d/%m/%Y}: due {city.due:,}, overdue {city.overdue:,}, "
        f"units {len(data.evaluation.by_unit)}, late repeatedly {len(data.repeated)}, "
        f"earlier overdue {data.older_overdue:,}; file sizes {sizes}"
    )
    slowest = max(breakdowns[-1].items(), key=lambda kv: kv[1])
    return {
        "name": "monthly report (counts+DOCX+PDF+XLSX)",
        "p50": statistics.median(walls),
        "max": max(walls),
        "detail": f"due {city.due:,}, overdue {city.overdue:,}; slowest step {slowest[0]} {slowest[1]} s",
    }


def time_export() -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from dondoc.org.models import Person, Unit

    user, created = get_user_model().objects.get_or_create(username="bench.theodoi")
    if created:
        Person.objects.create(
            user=user,
            full_name="Chuyên viên theo dõi",
            unit=Unit.objects.get(code="VPUBND"),
            role=Person.Role.TRACKING_OFFICER,
            position=Person.Position.OFFICER,
            cleared_for_secrets=True,
        )
    client = Client()
    client.force_login(user)
    url = "/danh-gia/xuat/nhiem-vu.csv?due_from=01/03/2026&due_to=31/03/2026"
    t0 = time.perf_counter()
    response = client.get(url)
    size = 0
    lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\r\n")
    wall = time.perf_counter() - t0
    assert response.status_code == 200
    rows = lines - 1
    base.log(f"export CSV: {rows:,} rows, {size / 2**20:.1f} MB in {wall:.2f} s ({rows / wall:,.0f} rows/s)")
    return {
        "name": "export CSV (tasks due in 03/2026)",
        "p50": wall,
        "max": wall,
        "detail": f"{rows:,} rows, {rows / wall:,.0f} rows/s",
    }


if __name__ == "__main__":
    sys.exit(main())
