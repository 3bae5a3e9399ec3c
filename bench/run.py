"""`make bench`: time the two questions the pages ask most, on SQLite and PostgreSQL, at 10^5 and 10^6 tasks.

For every (database, size) a worker process builds a fresh database (migrations, the unit registry, the working
calendar, a head and two officers per unit), fills it with `dondoc.demo.synth` (the same deterministic generator
as the demo, bulk inserts, no history rows), runs ANALYZE, then times each question through the ORM — the code
path the pages use — and as a hand-written SQL statement, and prints p50/p95. See bench/README.md.

    python bench/run.py [--db sqlite,postgres] [--sizes 100000,1000000] [--repeat 50] [--explain] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_NAME = os.environ.get("BENCH_PG_NAME", "dondoc_bench")
REF = date(2026, 3, 16)  # a Monday: the "today" of every question, and the generator's reference date
SEED = 3031
MARK = "BENCH-RESULT "


# --------------------------------------------------------------------------------------------------- driver


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated task counts")
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=50, help="timed runs of each query (after warm-up)")
    parser.add_argument("--explain", action="store_true", help="print the query plans of the bare SQL")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases afterwards")
    parser.add_argument(
        "--insert",
        choices=["fast", "orm"],
        default="fast",
        help="write rows with COPY (PostgreSQL) / executemany (SQLite), or with Django's bulk_create",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)

    dbs = [d.strip() for d in args.db.split(",") if d.strip()]
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    for d in dbs:
        if d not in ("sqlite", "postgres"):
            parser.error(f"unknown database {d!r}")
    if "postgres" in dbs and (why := postgres_unreachable()):
        print(f"PostgreSQL at {PG_SERVER} is unreachable ({why}); going on without it.", flush=True)
        dbs.remove("postgres")

    results: list[dict[str, Any]] = []
    started = time.perf_counter()
    for db in dbs:
        for size in sizes:
            print(f"\n=== {db}, {size:,} tasks ===", flush=True)
            cmd = [sys.executable, __file__, "--worker", "--db", db, "--size", str(size)]
            cmd += ["--repeat", str(args.repeat)] + (["--explain"] if args.explain else [])
            cmd += ["--keep"] if args.keep else []
            cmd += ["--insert", args.insert]
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
            assert proc.stdout is not None
            try:
                for line in proc.stdout:
                    if line.startswith(MARK):
                        results.append(json.loads(line[len(MARK) :]))
                    else:
                        print(line, end="", flush=True)
            finally:
                if proc.poll() is None and sys.exc_info()[0] is not None:
                    proc.terminate()  # interrupted: do not leave the worker writing on its own
            if proc.wait() != 0:
                print(f"worker for {db} at {size:,} tasks failed (exit {proc.returncode})", flush=True)
    print()
    print(table(results))
    print(f"\nTotal time {time.perf_counter() - started:.0f} s.")
    return 0


def postgres_unreachable() -> str | None:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001 — any failure means "no PostgreSQL here"
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def table(results: list[dict[str, Any]]) -> str:
    head = ["db", "tasks", "generate", "rows/s", "peak RSS", "question", "rows", "ORM p50", "ORM p95"]
    head += ["SQL p50", "SQL p95"]
    rows: list[list[str]] = []
    for r in results:
        for q in r["questions"]:
            rows.append(
                [
                    r["db"],
                    f"{r['size']:,}",
                    f"{r['generate_s']:.0f} s",
                    f"{r['size'] / r['generate_s']:,.0f}",
                    f"{r['peak_rss_mb']:.0f} MB",
                    q["name"],
                    str(q["rows"]),
                    f"{q['orm_p50']:.2f} ms",
                    f"{q['orm_p95']:.2f} ms",
                    f"{q['sql_p50']:.2f} ms",
                    f"{q['sql_p95']:.2f} ms",
                ]
            )
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(head)]

    def fmt(cells: list[str]) -> str:
        return " | ".join(
            c.ljust(w) if i in (0, 5) else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    lines = [fmt(head), "-+-".join("-" * w for w in widths)]
    lines += [fmt(row) for row in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------- worker


def log(message: str) -> None:
    print(message, flush=True)


def database_url(db: str, size: int) -> str:
    if db == "sqlite":
        return f"sqlite:///{VAR / f'bench-{size}.sqlite3'}"
    return f"{PG_SERVER}/{PG_NAME}"


def fresh_database(db: str, size: int) -> None:
    if db == "sqlite":
        VAR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            (VAR / f"bench-{size}.sqlite3{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')
        conn.execute(f"CREATE DATABASE \"{PG_NAME}\" ENCODING 'UTF8' TEMPLATE template0")


def drop_database(db: str, size: int) -> None:
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (VAR / f"bench-{size}.sqlite3{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)')


def worker(args: argparse.Namespace) -> int:
    db, size = args.db, args.size
    fresh_database(db, size)
    os.environ["DATABASE_URL"] = database_url(db, size)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ["DEBUG"] = "0"  # no query log growing in memory
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        log(f"migrate: {time.perf_counter() - t0:.1f} s")
        spec = build_spec(size)
        writer = FastWriter() if args.insert == "fast" else None
        spec.insert = writer
        generate_s = populate(spec)
        if writer is not None:
            writer.finish()
        t0 = time.perf_counter()
        with connection.cursor() as cur:
            # PostgreSQL: VACUUM too, so the visibility map is set as autovacuum would leave it on a live system
            # (index-only scans depend on it); SQLite: ANALYZE fills sqlite_stat1 for its planner.
            cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        log(f"(VACUUM) ANALYZE: {time.perf_counter() - t0:.1f} s; database size {database_size(db, size)}")
        questions = ask(args.repeat, args.explain)
    finally:
        connection.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result = {
        "db": db,
        "size": size,
        "generate_s": generate_s,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
        "questions": questions,
    }
    log(f"peak RSS of the worker: {result['peak_rss_mb']:.0f} MB")
    if not args.keep:
        drop_database(db, size)
    print(MARK + json.dumps(result), flush=True)
    return 0


def database_size(db: str, size: int) -> str:
    from django.db import connection

    if db == "sqlite":
        total = sum(
            p.stat().st_size for s in ("", "-wal") if (p := VAR / f"bench-{size}.sqlite3{s}").exists()
        )
    else:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_database_size(current_database())")
            total = cur.fetchone()[0]
    return f"{total / 2**20:,.0f} MB"


def build_spec(size: int) -> Any:
    """Units, calendar and people as the demo has them; the spec of the generator."""
    from django.db import transaction

    from dondoc.demo import synth
    from dondoc.org.models import Person, Unit
    from dondoc.org.registry import load_units
    from dondoc.workdays import calendar

    t0 = time.perf_counter()
    with transaction.atomic():
        calendar.load_csv()
        load_units()
        units = list(Unit.objects.filter(kind__in=[Unit.Kind.DEPARTMENT, Unit.Kind.WARD, Unit.Kind.COMMUNE]))
        units = [u for u in units if u.code != "VPUBND"]
        names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Cường"]
        people = []
        for u in units:
            people.append(
                Person(
                    full_name=names[0],
                    unit=u,
                    role=Person.Role.UNIT_HEAD,
                    position=Person.Position.HEAD,
                    title="Thủ trưởng",
                )
            )
            for name in names[1:]:
                people.append(
                    Person(
                        full_name=name,
                        unit=u,
                        role=Person.Role.UNIT_OFFICER,
                        position=Person.Position.OFFICER,
                        title="Chuyên viên",
                    )
                )
        Person.objects.bulk_create(people)
    heads: dict[int, int] = {}
    officers: dict[int, list[int]] = {}
    for p in Person.objects.all():
        if p.position == Person.Position.HEAD:
            heads[p.unit_id] = p.pk
        else:
            officers.setdefault(p.unit_id, []).append(p.pk)
    log(
        f"registry: {len(units)} lead units, {len(people)} people, calendar ({time.perf_counter() - t0:.1f} s)"
    )
    return synth.Spec(
        n_tasks=size,
        ref=REF,
        units=units,
        issuers=synth.hanoi_issuers(),
        calendar=calendar.current(),
        seed=SEED,
        heads=heads,
        officers=officers,
        with_history=False,
        batch=10000,
    )


class FastWriter:
    """Writes the generator's model instances with PostgreSQL COPY or SQLite executemany, skipping Django's insert
    compiler (which costs more than the generator itself at 10^6 rows). The database is fresh, so the writer
    numbers the rows itself and moves the id sequences on at the end. Values are the instances' own attributes,
    exactly what bulk_create would send; auto_now fields get the time of the batch."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.next_id: dict[type, int] = {}

    def __call__(self, objs: list[Any]) -> None:
        from django.db import connection, transaction
        from django.utils import timezone

        model = type(objs[0])
        meta = model._meta
        fields = list(meta.concrete_fields)
        table = meta.db_table
        if model not in self.next_id:
            with connection.cursor() as cur:
                cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                self.next_id[model] = cur.fetchone()[0] + 1
        start = self.next_id[model]
        for i, obj in enumerate(objs):
            obj.pk = start + i
            obj._state.adding = False
            obj._state.db = "default"
        self.next_id[model] = start + len(objs)
        now = timezone.now()
        stamped = {
            f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        }
        for obj in objs:
            for name in stamped:
                setattr(obj, name, now)
        names = [f.attname for f in fields]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with transaction.atomic(), connection.cursor() as wrapper:
            raw = wrapper.cursor
            if connection.vendor == "postgresql":
                with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for obj in objs:
                        copy.write_row([getattr(obj, n) for n in names])
            else:
                stamp = now.replace(tzinfo=None).isoformat(" ")

                def value(v: Any) -> Any:
                    if isinstance(v, datetime):
                        return stamp
                    if isinstance(v, date):
                        return v.isoformat()
                    return v

                marks = ", ".join("?" * len(fields))
                raw.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                    [[value(getattr(obj, n)) for n in names] for obj in objs],
                )

    def finish(self) -> None:
        """Move the id sequences past the rows written (PostgreSQL; SQLite keeps AUTOINCREMENT up by itself)."""
        if self.connection.vendor != "postgresql":
            return
        with self.connection.cursor() as cur:
            for model, next_id in self.next_id.items():
                table = model._meta.db_table
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [next_id - 1])


def populate(spec: Any) -> float:
    from dondoc.demo import synth

    started, cpu = time.perf_counter(), time.process_time()
    step = max(spec.n_tasks // 10, 1)
    shown = [0]

    def progress(done: int, total: int) -> None:
        if done - shown[0] >= step or done == total:
            shown[0] = done
            elapsed = time.perf_counter() - started
            log(f"  generated {done:>9,} / {total:,} tasks  {elapsed:6.1f} s  {done / elapsed:>8,.0f} rows/s")

    spec.progress = progress
    directives, tasks = synth.generate(spec)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    log(
        f"generate: {directives:,} directives, {tasks:,} tasks in {elapsed:.1f} s ({tasks / elapsed:,.0f} tasks/s);"
        f" {cpu:.1f} s of CPU in this process (the rest: the database, or other processes on the machine)"
    )
    return elapsed


# --------------------------------------------------------------------------------------------------- questions


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn: Callable[[], Any], repeat: int, warmup: int = 5) -> tuple[float, float, Any]:
    """p50 and p95 in milliseconds of `repeat` calls after `warmup` untimed ones; and the last answer."""
    answer = None
    for _ in range(warmup):
        answer = fn()
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        answer = fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return (
        percentile(samples, 0.5),
        statistics.quantiles(samples, n=20)[-1] if repeat >= 2 else samples[0],
        answer,
    )


def ask(repeat: int, explain: bool) -> list[dict[str, Any]]:
    from django.db import connection
    from django.db.models import Count

    from dondoc.tracking import timeliness as tl
    from dondoc.tracking.models import Task
    from dondoc.tracking.queries import bucket_counts
    from dondoc.tracking.timeliness import soon_limit

    ref, soon = REF, soon_limit(REF)
    vendor = connection.vendor

    def param(d: date) -> Any:
        return d.isoformat() if vendor == "sqlite" else d

    open_states = "('assigned', 'in_progress', 'result_submitted')"

    # A typical unit for the overdue page: the median one by number of overdue tasks.
    per_unit = list(
        Task.objects.in_bucket(tl.OVERDUE, ref, soon)
        .values_list("lead_unit")
        .annotate(n=Count("id"))
        .order_by("n", "lead_unit")
    )
    unit_id, unit_overdue = per_unit[len(per_unit) // 2]
    log(
        f"overdue tasks per unit: min {per_unit[0][1]}, median {unit_overdue} (unit {unit_id}), max {per_unit[-1][1]}"
    )

    def overdue_orm() -> list[int]:
        page = list(
            Task.objects.filter(lead_unit_id=unit_id)
            .in_bucket(tl.OVERDUE, ref, soon)
            .with_bucket(ref, soon)
            .select_related("lead_unit", "directive")
            .order_by("due_date", "id")[:25]
        )
        return [t.pk for t in page]

    overdue_sql_text = f"""
        SELECT t.id, t.content, t.due_date, t.state, u.name, d.notation
        FROM tracking_task t
        JOIN org_unit u ON u.id = t.lead_unit_id
        JOIN directives_directive d ON d.id = t.directive_id
        WHERE t.lead_unit_id = %s AND t.state IN {open_states} AND t.due_date < %s
        ORDER BY t.due_date, t.id
        LIMIT 25"""

    def overdue_sql() -> list[int]:
        with connection.cursor() as cur:
            cur.execute(overdue_sql_text, [unit_id, param(ref)])
            return [row[0] for row in cur.fetchall()]

    # The bucket counts per unit of the tasks due in the reference month.
    first = ref.replace(day=1)
    after = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    month = Task.objects.filter(due_date__gte=first, due_date__lt=after)

    def month_orm() -> list[tuple]:
        rows = (
            month.values("lead_unit")
            .annotate(**{b: Count("id", filter=tl.bucket_filter(b, ref, soon)) for b in tl.BUCKETS})
            .order_by("lead_unit")
        )
        return [(r["lead_unit"], *(r[b] for b in tl.BUCKETS)) for r in rows]

    completed = "t.state = 'completed'"
    on_time = "(t.due_date IS NULL OR t.completed_on IS NULL OR t.completed_on <= t.due_date)"
    opened = f"t.state IN {open_states}"
    month_sql_text = f"""
        SELECT t.lead_unit_id,
          SUM(CASE WHEN {completed} AND {on_time} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {completed} AND NOT {on_time} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {opened} AND t.due_date > %s THEN 1 ELSE 0 END),
          SUM(CASE WHEN {opened} AND t.due_date >= %s AND t.due_date <= %s THEN 1 ELSE 0 END),
          SUM(CASE WHEN {opened} AND t.due_date < %s THEN 1 ELSE 0 END),
          SUM(CASE WHEN {opened} AND t.due_date IS NULL THEN 1 ELSE 0 END),
          SUM(CASE WHEN t.state = 'draft' THEN 1 ELSE 0 END),
          SUM(CASE WHEN t.state = 'cancelled' THEN 1 ELSE 0 END)
        FROM tracking_task t
        WHERE t.due_date >= %s AND t.due_date < %s
        GROUP BY t.lead_unit_id
        ORDER BY t.lead_unit_id"""
    month_params = [param(soon), param(ref), param(soon), param(ref), param(first), param(after)]

    def month_sql() -> list[tuple]:
        with connection.cursor() as cur:
            cur.execute(month_sql_text, month_params)
            return [tuple(int(v) for v in row) for row in cur.fetchall()]

    # The same counts for the whole city (bucket_counts as the dashboard calls it), for comparison.
    def city_orm() -> dict[str, int]:
        return bucket_counts(month, ref, soon)

    city_sql_text = month_sql_text.replace("SELECT t.lead_unit_id,", "SELECT").split("GROUP BY")[0]

    def city_sql() -> tuple:
        with connection.cursor() as cur:
            cur.execute(city_sql_text, month_params)
            return tuple(int(v or 0) for v in cur.fetchone())

    assert tl.BUCKETS == (
        tl.COMPLETED_ON_TIME,
        tl.COMPLETED_LATE,
        tl.IN_DEADLINE,
        tl.DUE_SOON,
        tl.OVERDUE,
        tl.NO_DEADLINE,
        tl.DRAFTED,
        tl.WITHDRAWN,
    ), "the hand-written SQL lists the buckets in this order"

    questions = [
        (
            f"overdue page, 1 unit ({unit_overdue} overdue)",
            overdue_orm,
            overdue_sql,
            overdue_sql_text,
            [unit_id, ref],
        ),
        (f"month counts per unit ({first:%m/%Y})", month_orm, month_sql, month_sql_text, month_params),
        (f"month counts, city ({first:%m/%Y})", city_orm, city_sql, city_sql_text, month_params),
    ]
    out = []
    for name, orm, sql, text, params in questions:
        orm_p50, orm_p95, orm_answer = timed(orm, repeat)
        sql_p50, sql_p95, sql_answer = timed(sql, repeat)
        if isinstance(orm_answer, dict):
            orm_answer = tuple(orm_answer[b] for b in tl.BUCKETS)
        if orm_answer != sql_answer:
            raise AssertionError(f"{name}: the ORM and the bare SQL disagree")
        n_rows = len(sql_answer) if isinstance(sql_answer, list) else 1
        log(
            f"{name}: {n_rows} rows; ORM p50 {orm_p50:.2f} ms p95 {orm_p95:.2f} ms; "
            f"SQL p50 {sql_p50:.2f} ms p95 {sql_p95:.2f} ms"
        )
        if explain:
            log(plan(text, [param(p) if isinstance(p, date) else p for p in params]))
        out.append(
            {
                "name": name,
                "rows": n_rows,
                "orm_p50": orm_p50,
                "orm_p95": orm_p95,
                "sql_p50": sql_p50,
                "sql_p95": sql_p95,
            }
        )
    return out


def plan(sql: str, params: list[Any]) -> str:
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("EXPLAIN QUERY PLAN " + sql, params)
            lines = [f"    {row[-1]}" for row in cur.fetchall()]
        else:
            cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            lines = [f"    {row[0]}" for row in cur.fetchall()]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
