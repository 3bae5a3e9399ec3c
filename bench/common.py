"""Plumbing shared by the benchmark drivers bench/evaluation.py, bench/report.py and bench/followup.py.

Each of them runs one worker process per (database, size) — a fresh interpreter, so one size's caches and memory
never weigh on the next — and the worker prints its figures as one JSON line after a marker. This module holds:

- the driver's side: which (database, size) pairs to run (`targets`) and running the workers, echoing what they
  print and collecting their result lines (`drive`);
- the worker's side: the database of a size, reused when kept (`open_database`), filled with bench/run.py's steps
  — migrations, registry, calendar, `dondoc.demo.synth` through the fast COPY / executemany writer — then
  VACUUM ANALYZE (`fill`), and the result line (`emit`).

The database set-up itself (names, URLs, the generator) stays in bench/run.py.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from typing import Any

import run as base  # bench/run.py (this folder is on sys.path: every driver puts it there)

ROOT = base.ROOT


def parser(doc: str | None, *, db: str, reuse: bool = True) -> argparse.ArgumentParser:
    """The options every driver takes: --db (default `db`), --sizes, --keep, and with `reuse` --sqlite-max and
    --reuse; and the worker's hidden --worker and --size. The caller adds its own."""
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", default=db, help="comma-separated: postgres, sqlite")
    p.add_argument("--sizes", default="100000,1000000", help="comma-separated task counts")
    p.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    if reuse:
        p.add_argument("--sqlite-max", type=int, default=100000, help="largest size run on SQLite")
        p.add_argument("--reuse", action="store_true", help="reuse a kept database of the same size")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--size", type=int, help=argparse.SUPPRESS)
    return p


def targets(
    db_arg: str, sizes_arg: str, *, sqlite_max: int | None = None, unreachable: str = ""
) -> list[tuple[str, int]]:
    """The (database, size) pairs to run, in order: every size on each database of `db_arg`, PostgreSQL dropped
    (with the message `unreachable`, formatted with {why} and {server}) when it cannot be reached, SQLite only
    up to `sqlite_max` tasks."""
    dbs = [d.strip() for d in db_arg.split(",") if d.strip()]
    if "postgres" in dbs and (why := base.postgres_unreachable()):
        message = unreachable or "PostgreSQL unreachable ({why}); going on without it."
        print(message.format(why=why, server=base.PG_SERVER), flush=True)
        dbs.remove("postgres")
    sizes = [int(s.replace("_", "")) for s in sizes_arg.split(",") if s.strip()]
    return [
        (db, size)
        for db in dbs
        for size in sizes
        if not (db == "sqlite" and sqlite_max is not None and size > sqlite_max)
    ]


def drive(
    script: str, mark: str, heading: str, pairs: list[tuple[str, int]], extra: list[str]
) -> list[dict[str, Any]]:
    """Run `script --worker --db D --size N *extra` for each pair, under `heading` (formatted with {db} and
    {size}); print what the worker prints and return the JSON of its lines starting with `mark`."""
    results: list[dict[str, Any]] = []
    for db, size in pairs:
        print("\n" + heading.format(db=db, size=size), flush=True)
        cmd = [sys.executable, script, "--worker", "--db", db, "--size", str(size), *extra]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(mark):
                results.append(json.loads(line[len(mark) :]))
            else:
                print(line, end="", flush=True)
        if proc.wait() != 0:
            print(f"worker for {db} at {size:,} tasks failed (exit {proc.returncode})", flush=True)
    return results


def flags(**on: bool) -> list[str]:
    """The boolean options to pass on to the worker: flags(keep=True, reuse=False) → ["--keep"]."""
    return [f"--{name.replace('_', '-')}" for name, value in on.items() if value]


def exists(db: str, size: int) -> bool:
    """Whether the database of this size is there (base.PG_NAME on PostgreSQL)."""
    if db == "sqlite":
        return (base.VAR / f"bench-{size}.sqlite3").exists()
    import psycopg

    with psycopg.connect(f"{base.PG_SERVER}/postgres", autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [base.PG_NAME]).fetchone()
    return row is not None


def open_database(db: str, size: int, *, reuse: bool = False, per_size: bool = True) -> bool:
    """Point the worker at the database of `size` — on PostgreSQL `<BENCH_PG_NAME>_<size>` (`per_size`) or
    `<BENCH_PG_NAME>` — made afresh unless `reuse` and it exists, and set Django up on it. Returns whether a kept
    database is reused (then `fill` does not generate)."""
    if db == "postgres" and per_size:
        base.PG_NAME = f"{os.environ['BENCH_PG_NAME']}_{size}"
    reused = reuse and exists(db, size)
    if not reused:
        base.fresh_database(db, size)
    os.environ["DATABASE_URL"] = base.database_url(db, size)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return reused


def fill(size: int, *, reused: bool, log_migrate: bool = False) -> None:
    """Migrate; generate `size` tasks unless the database is reused; VACUUM ANALYZE (ANALYZE on SQLite)."""
    from django.core.management import call_command
    from django.db import connection

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    if log_migrate:
        base.log(f"migrate: {time.perf_counter() - t0:.1f} s")
    if not reused:
        spec = base.build_spec(size)
        writer = base.FastWriter()
        spec.insert = writer
        base.populate(spec)
        writer.finish()
    else:
        base.log("reusing the kept database")
    # The counted tables' pending rows the generation appended, folded first (`counted_fold()`, as the audit chainer
    # would after the first write): statistics taken before would describe a table of pending rows.
    from dondoc.core import counted_sql

    counted_sql.fold_all(connection)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def finish(db: str, size: int, *, keep: bool, mark: str, result: dict[str, Any]) -> None:
    """Drop the database unless kept, then print the result line for the driver."""
    if not keep:
        base.drop_database(db, size)
    emit(mark, result)


def emit(mark: str, result: dict[str, Any]) -> None:
    print(mark + json.dumps(result), flush=True)
