"""`make load`: a bounded load test of the personas' journeys (bench/load/locustfile.py) against gunicorn on
PostgreSQL, on loopback, and a summary: requests per second, p50/p95 in ms, errors.

1. A database of its own (LOAD_PG_URL/LOAD_PG_NAME, default dondoc_load), migrated and filled once with the demo
   data at LOAD_TASKS tasks (default 100000; kept between runs, rebuilt when LOAD_REBUILD=1).
2. gunicorn (LOAD_WORKERS workers × LOAD_THREADS threads) on a free loopback port.
3. locust headless: LOAD_USERS users, spawned LOAD_SPAWN a second, for LOAD_TIME; CSV stats parsed and printed.
Exit status 1 when any request failed.
"""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("LOAD_PG_URL", "postgres://postgres@127.0.0.1:5432")
PG_NAME = os.environ.get("LOAD_PG_NAME", "dondoc_load")


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def dondoc(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([str(BIN / "dondoc"), *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"dondoc {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", f"{PG_URL}/{database}", "-Atqc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


def prepare(env: dict[str, str], tasks: int) -> None:
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{PG_NAME}'") == "1"
    if exists and os.environ.get("LOAD_REBUILD") == "1":
        psql(f"DROP DATABASE {PG_NAME} WITH (FORCE)")
        exists = False
    if not exists:
        psql(f"CREATE DATABASE {PG_NAME}")
    dondoc(env, "migrate", "--noinput", "-v0")
    have = psql("SELECT count(*) FROM tracking_task", PG_NAME)
    if have == "0":
        started = time.monotonic()
        print(f"Nạp dữ liệu mẫu: {tasks} nhiệm vụ ...", flush=True)
        dondoc(env, "loaddemo", "--tasks", str(tasks))
        print(f"  xong sau {time.monotonic() - started:.0f} s", flush=True)
        psql("ANALYZE", PG_NAME)
    print(
        f"Cơ sở dữ liệu {PG_NAME}: {psql('SELECT count(*) FROM tracking_task', PG_NAME)} nhiệm vụ", flush=True
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="dondoc.settings",
        DATABASE_URL=f"{PG_URL}/{PG_NAME}",
        SECRET_KEY=os.environ.get("SECRET_KEY", "load-test-only-" + "z" * 40),
        DEBUG="0",
        DEMO="0",
        LOG_LEVEL="WARNING",
        # The load comes from one address: lift the per-address lockout for this run only.
        LOGIN_FAILURE_LIMIT_PER_ADDRESS="1000000",
    )
    prepare(env, env_int("LOAD_TASKS", 100_000))
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "dondoc.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(env_int("LOAD_WORKERS", 2)),
            "--threads",
            str(env_int("LOAD_THREADS", 4)),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/dang-nhap/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "load"
            users, spawn, duration = (
                env_int("LOAD_USERS", 20),
                env_int("LOAD_SPAWN", 5),
                os.environ.get("LOAD_TIME", "60s"),
            )
            print(f"locust: {users} người dùng, {duration}, gunicorn 127.0.0.1:{port}", flush=True)
            subprocess.run(
                [
                    str(BIN / "locust"),
                    "-f",
                    str(Path(__file__).with_name("locustfile.py")),
                    "--headless",
                    "-u",
                    str(users),
                    "-r",
                    str(spawn),
                    "-t",
                    duration,
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                check=False,
                stdout=subprocess.DEVNULL,
            )
            return report(Path(f"{prefix}_stats.csv"))
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(stats: Path) -> int:
    rows = list(csv.DictReader(stats.open(encoding="utf-8")))
    print(f"{'Yêu cầu':40} {'số':>7} {'lỗi':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}")
    failures = 0
    for row in rows:
        name = row["Name"] if row["Type"] else "TỔNG"
        print(
            f"{name[:40]:40} {row['Request Count']:>7} {row['Failure Count']:>5} "
            f"{float(row['Requests/s']):7.1f} {row['50%']:>7} {row['95%']:>7}"
        )
        if row["Name"] == "Aggregated":
            failures = int(row["Failure Count"])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
