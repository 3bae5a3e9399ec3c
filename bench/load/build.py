"""Fill `make load`'s database with a city's worth of demo data, fast (bench/load/run.py runs this when LOAD_FAST
is on, by default above 100,000 tasks): the demo of `dondoc loaddemo` — its accounts, password and dispatch 3031 —
with people (a head and two officers) in EVERY ward and commune, not only 20 (`LOAD_WARDS`, default all: about 140
units' officers log in), the generated rows written with the benchmarks' COPY writer (bench/run.py `FastWriter`)
and without the per-task history rows and replayed reminders (`loaddemo` spends most of its time on those).

    DATABASE_URL=... python bench/load/build.py TASKS

The data is as of today, as `loaddemo`'s: a page's "overdue" is the demo's.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))  # bench/: run.py (the COPY writer)
sys.path.insert(0, str(ROOT))


# Without the history rows a submitted task would have no result to confirm (the City Office's confirmation would
# fail): the result `dondoc.demo.synth._history` gives it — the document of its completion date, submitted by its
# officer (or head, or the City Office) at 16:00.
RESULTS_SQL = """
    INSERT INTO tracking_result
        (task_id, submitted_by_id, submitted_at, document_number, document_date, summary, file, returned_reason)
    SELECT t.id, COALESCE(officer.user_id, head.user_id, (SELECT id FROM auth_user WHERE username = 'vp.theodoi1')),
           (t.completed_on + time '16:00') AT TIME ZONE 'Asia/Ho_Chi_Minh', 'BC-' || t.id, t.completed_on,
           'Đã hoàn thành nhiệm vụ theo yêu cầu.', '', ''
    FROM tracking_task t
    LEFT JOIN org_person officer ON officer.id = t.officer_id
    LEFT JOIN org_person head ON head.id = t.accountable_head_id
    WHERE t.state = 'result_submitted' AND NOT EXISTS (SELECT 1 FROM tracking_result r WHERE r.task_id = t.id)
"""


def main() -> int:
    tasks = int(sys.argv[1])
    wards = int(os.environ["LOAD_WARDS"]) if os.environ.get("LOAD_WARDS") else None
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    import django

    django.setup()
    import run as bench  # bench/run.py
    from django.db import connection

    from dondoc.demo import loader

    started = time.perf_counter()
    shown = [0]

    def progress(done: int, total: int) -> None:
        if done - shown[0] >= max(total // 10, 1) or done == total:
            shown[0] = done
            print(f"  {done:>9,} / {total:,} nhiệm vụ, {time.perf_counter() - started:6.0f} s", flush=True)

    writer = bench.FastWriter()
    created = loader.load(n_tasks=tasks, wards=wards, history_events=False, insert=writer, progress=progress)
    writer.finish()
    with connection.cursor() as cur:
        cur.execute(RESULTS_SQL)
        print(f"  {cur.rowcount:,} kết quả chờ xác nhận", flush=True)
    # The counted tables' pending rows folded now, as the audit chainer would after the first write, and those
    # tables compacted: folded after the VACUUM below, their dead versions would stay (this server may run with
    # autovacuum off), and the city's counters would scan ~20x the pages they need (session 11: 1,528 pages for
    # 9,293 rows).
    from dondoc.core import counted_sql

    counted_sql.fold_all(connection)
    with connection.cursor() as cur:
        cur.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = 'pending' "
            "AND table_schema = current_schema()"
        )
        for (table,) in cur.fetchall():
            cur.execute(f"VACUUM FULL {connection.ops.quote_name(table)}")
        cur.execute("VACUUM ANALYZE")
    print(f"  {created}, {time.perf_counter() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
