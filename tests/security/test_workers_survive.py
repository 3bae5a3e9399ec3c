"""The worker that survives (issue 16 finding 5): the job worker (`dondoc worker`, which also sends the webhooks) as a
real process on a real SQLite file; the test locks the database under it for longer than its busy timeout (what a
large import did), and takes the database away from under it, then gives it back. It logs the error, waits, and
goes on: it then does a queued import. (The old loops died on `database is locked` and never came back.)"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DONDOC = [sys.executable, "-m", "dondoc.cli"]


@pytest.fixture(scope="module")
def filedb(tmp_path_factory) -> Iterator[tuple[Path, dict[str, str]]]:
    """A migrated SQLite file of its own (the test database lives in memory, out of the workers' reach)."""
    folder = tmp_path_factory.mktemp("workers")
    db = folder / "dondoc.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DEBUG": "1",
        "SECRET_KEY": "test-only",
        "MEDIA_ROOT": str(folder / "files"),
        "PYTHONUNBUFFERED": "1",
    }
    subprocess.run([*DONDOC, "migrate", "-v0"], env=env, cwd=ROOT, check=True, timeout=300)
    yield db, env


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Worker:
    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self.handle = log.open("w")
        self.proc = subprocess.Popen(
            [*DONDOC, *args], env=env, cwd=ROOT, stdout=self.handle, stderr=subprocess.STDOUT
        )

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> int | None:
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.handle.close()
        return self.proc.returncode


def idle_worker(env: dict[str, str], interval: str, log: Path) -> Worker:
    """`dondoc worker` started, alive after a few idle passes."""
    worker = Worker(["worker", "--interval", interval], env, log)
    time.sleep(1.5)
    if not worker.alive():
        worker.stop()
        raise AssertionError(worker.text())
    return worker


def outlives(worker: Worker, error: str, logged: str) -> None:
    """The worker meets `error` (or dies), is still alive a second later (the old loops died here), and logged it."""
    wait_for(lambda: error in worker.text() or not worker.alive(), 40, error)
    time.sleep(1.0)
    assert worker.alive(), worker.text()
    assert logged in worker.text()


def locked(db: Path) -> sqlite3.Connection:
    """Hold the database's write lock (what a long import transaction does) until the connection rolls back."""
    conn = sqlite3.connect(db, isolation_level=None, timeout=30)
    conn.execute("BEGIN EXCLUSIVE")
    return conn


SIDES = ("", "-wal", "-shm")


def take_away(db: Path) -> None:
    """The database disappears (a stopped server, an unmounted volume): its file is moved away, so the worker's
    next connection opens an empty file and finds none of its tables."""
    with sqlite3.connect(db, timeout=30) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for side in SIDES:
        if Path(f"{db}{side}").exists():
            os.rename(f"{db}{side}", f"{db}{side}.away")


def bring_back(db: Path) -> None:
    for side in SIDES:
        Path(f"{db}{side}").unlink(missing_ok=True)
        if Path(f"{db}{side}.away").exists():
            os.rename(f"{db}{side}.away", f"{db}{side}")


def test_job_worker_outlives_a_locked_database_and_does_the_next_import(filedb, tmp_path):
    db, env = filedb
    worker = idle_worker(env, "0.3", tmp_path / "jobs.log")
    try:
        conn = locked(db)
        outlives(
            worker, "database is locked", "job worker: pass failed (OperationalError: database is locked)"
        )
        conn.rollback()
        conn.close()
        # A queued import made after the outage: the same worker process takes it and finishes it.
        script = (
            "from django.contrib.auth import get_user_model; from dondoc.api import spreadsheet;"
            "u = get_user_model().objects.create_user('nhap.excel');"
            "print(spreadsheet.queue(b'khong phai bang tinh', u, 9000).pk)"
        )
        subprocess.run([*DONDOC, "shell", "-c", script], env=env, cwd=ROOT, check=True, timeout=120)

        def finished() -> bool:
            with sqlite3.connect(db, timeout=30) as reader:
                row = reader.execute("SELECT status, error FROM api_importrun").fetchone()
            return row is not None and row[0] == "failed" and "không phải bảng tính Excel" in row[1]

        wait_for(finished, 60, "the import to be done")
        assert "working again after" in worker.text()
        assert worker.alive()
    finally:
        worker.stop()


def test_job_worker_outlives_a_database_taken_away(filedb, tmp_path):
    db, env = filedb
    worker = idle_worker(env, "1", tmp_path / "jobs-away.log")
    try:
        take_away(db)
        try:
            outlives(worker, "no such table", "job worker: pass failed (OperationalError: no such table")
        finally:
            bring_back(db)
        wait_for(lambda: "job worker: working again after" in worker.text(), 60, "the recovery")
    finally:
        assert worker.stop() in (0, -15), worker.text()
