"""The engine as a real process outlives a real PostgreSQL restart (issue 9, point 5).

The shared server is never stopped: the test makes a private throwaway cluster (`initdb` + `pg_ctl` on a free port in
a temporary folder, run as the `postgres` OS user when the test runs as root, since PostgreSQL refuses root), copies
the test database into it with `pg_dump`/`pg_restore`, and points one long-running `dondoc followup` at it. The
engine delivers a due reminder; the server is stopped for a few of the engine's ticks and started again; another task
falls due; the SAME engine process delivers it, and nothing is written twice.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task, TaskSchedule
from tests.followup.helpers import at
from tests.helpers import free_port

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-03-10T09:00:00+07:00"
DUE = at(date(2026, 3, 10), "08:00")  # the "on the day" step of a task due 10/03/2026 (officer and head)
TICK = 0.5  # seconds between two passes of the engine under test
NAME = "dondoc_engine_outage"


def _bin_dir() -> Path | None:
    """The newest server installation's binaries (Debian's layout), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


class Cluster:
    """A private PostgreSQL server in a temporary folder: stopped and started at will, removed at the end."""

    def __init__(self, bindir: Path) -> None:
        self.bin = bindir
        self.root = Path(tempfile.mkdtemp(prefix="dondoc-pg-"))
        self.as_owner: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(self.root, "postgres", "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        self.data = self.root / "data"
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}"

    def run(self, *args: str, owner: bool = False) -> None:
        command = [*(self.as_owner if owner else []), *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise AssertionError(f"{' '.join(command)}: {result.returncode}\n{result.stderr}\n{tail}")

    def init(self) -> None:
        self.run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                 "--locale=C.UTF-8", "--no-sync", "--no-instructions", owner=True)  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
                 "-o", options, "-w", "-t", "30", "start", owner=True)  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop",
                 owner=True)  # fmt: skip

    def running(self) -> bool:
        status = [*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data), "status"]
        return subprocess.run(status, capture_output=True).returncode == 0

    def copy_of(self, source: dict, name: str) -> str:
        """Copy the database `source` (Django's settings of a connection) into this cluster; its URL."""
        dump = self.root / "copy.dump"
        self.run(str(self.bin / "pg_dump"), "-Fc", "--no-owner", "-h", source["HOST"] or "127.0.0.1",
                 "-p", str(source["PORT"] or 5432), "-U", source["USER"], "-f", str(dump), source["NAME"])  # fmt: skip
        self.run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        self.run(str(self.bin / "pg_restore"), "--no-owner", "-h", "127.0.0.1", "-p", str(self.port),
                 "-U", "postgres", "-d", name, str(dump))  # fmt: skip
        return f"{self.url}/{name}"

    def remove(self) -> None:
        if self.data.exists() and self.running():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def _skip_reason() -> str | None:
    bindir = _bin_dir()
    if bindir is None or not (bindir / "initdb").exists():
        return (
            "initdb/pg_ctl not found under /usr/lib/postgresql/*/bin: cannot make a private server to restart"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no `postgres` OS user to run a private server as"
        if shutil.which("runuser") is None:
            return "running as root and `runuser` is missing: cannot run a private server as `postgres`"
    return None


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    bindir = _bin_dir()
    assert bindir is not None
    server = Cluster(bindir)
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.remove()


def until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out after {timeout:.0f} s waiting for: {what}"
        time.sleep(0.1)


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="a PostgreSQL server restart: PostgreSQL only"
)
def test_engine_process_survives_a_postgresql_restart_and_sends_nothing_twice(
    transactional_db, personas, directive, registry, cluster, tmp_path
):
    assert connection.vendor == "postgresql"
    first, second = Task.objects.bulk_create(
        Task(
            directive=directive,
            lead_unit=registry["SXD"],
            content=content,
            state=tl.ASSIGNED,
            assigned_on=date(2026, 3, 2),
            due_date=date(2026, 3, 10),
            original_due_date=date(2026, 3, 10),
        )
        for content in ("Nhiệm vụ đến hạn nhắc", "Nhiệm vụ đến hạn sau khi khởi động lại")
    )
    TaskSchedule.objects.create(task=first, next_at=DUE)
    url = cluster.copy_of(connection.settings_dict, NAME)

    def count(sql: str, *params: object) -> int:
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as db:
            row = db.execute(sql, params).fetchone()
            return int(row[0]) if row else 0

    def notes(task: Task) -> int:
        return count("SELECT COUNT(*) FROM followup_notification WHERE task_id = %s", task.pk)

    env = {**os.environ, "SECRET_KEY": "test-only", "DJANGO_SETTINGS_MODULE": "dondoc.settings", "DEBUG": "0",
           "DATABASE_URL": url, "DB_CONN_MAX_AGE": "600", "LOG_LEVEL": "INFO", "PYTHONUNBUFFERED": "1"}  # fmt: skip
    log = tmp_path / "engine.log"
    with log.open("w") as sink:
        engine = subprocess.Popen(
            [sys.executable, "-m", "dondoc.cli", "followup", "--interval", str(TICK), "--now", NOW],
            cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
    try:
        until(lambda: notes(first) == 2 or engine.poll() is not None, 60, "the first reminder")
        assert engine.poll() is None, log.read_text()
        assert notes(first) == 2  # the officer and the head of the lead unit

        cluster.stop()
        time.sleep(6 * TICK)  # several ticks with no server: every attempt fails
        assert engine.poll() is None, f"the engine died with the database:\n{log.read_text()}"
        until(lambda: "the database cannot be reached" in log.read_text(), 10, "the outage in the log")

        cluster.start()
        count(
            "INSERT INTO tracking_taskschedule (task_id, next_at) VALUES (%s, %s) RETURNING 1", second.pk, DUE
        )
        until(lambda: notes(second) == 2 or engine.poll() is not None, 60, "the reminder after the restart")
        assert engine.poll() is None, log.read_text()  # the SAME process, never restarted
        # The pass that delivered logs its recovery once it ends: wait for the line rather than race it.
        until(lambda: "the database is back after" in log.read_text(), 10, "the recovery in the log")
        said = log.read_text()
        assert "Traceback" not in said, said
        assert notes(first) == 2 and notes(second) == 2
        distinct = "SELECT COUNT(*) FROM (SELECT DISTINCT task_id, rule_code, step_day, recipient_id FROM followup_notification WHERE task_id IS NOT NULL) d"
        assert (
            count("SELECT COUNT(*) FROM followup_notification WHERE task_id IS NOT NULL")
            == 4
            == count(distinct)
        )
        engine.send_signal(signal.SIGTERM)
        assert engine.wait(30) == 0, log.read_text()
    finally:
        if engine.poll() is None:
            engine.kill()
            engine.wait(30)
