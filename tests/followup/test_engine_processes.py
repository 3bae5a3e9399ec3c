"""The engine as a real process: killed with SIGKILL mid-run it loses and duplicates nothing; two engines at once
on PostgreSQL, then two job workers at once, send nothing twice (notifications and e-mails)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from dondoc.followup.engine import install_default_rules
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task, TaskSchedule
from tests.followup.helpers import at
from tests.helpers import subprocess_database

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-03-10T09:00:00+07:00"
N_TASKS = 240


@pytest.fixture
def many_tasks(transactional_db, personas, directive, registry) -> int:
    """N tasks of Sở Xây dựng due 10/03/2026: each owes its "on the day" warning at 08:00 on 10/03, to the
    officer and the head (2 notifications a task; the head is told from the day of the deadline on)."""
    install_default_rules()
    tasks = Task.objects.bulk_create(
        Task(
            directive=directive,
            lead_unit=registry["SXD"],
            content=f"Nhiệm vụ thử số {i}",
            state=tl.ASSIGNED,
            assigned_on=date(2026, 3, 2),
            due_date=date(2026, 3, 10),
            original_due_date=date(2026, 3, 10),
        )
        for i in range(N_TASKS)
    )
    TaskSchedule.objects.bulk_create(
        TaskSchedule(task=t, next_at=at(date(2026, 3, 10), "08:00")) for t in tasks
    )
    return N_TASKS * 2


@pytest.fixture
def engine_db(transactional_db) -> Iterator[tuple[dict[str, str], Callable[[str], int]]]:
    """(environment for an engine subprocess, count(sql)) on the test database (`helpers.subprocess_database`)."""
    with subprocess_database() as (env, count):
        yield env, count


def engine(env: dict[str, str], *args: str) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "dondoc.cli", "followup", "--once", "--now", NOW, *args]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


COUNT = "SELECT COUNT(*) FROM followup_notification"
DISTINCT = "SELECT COUNT(*) FROM (SELECT DISTINCT task_id, rule_code, step_day, recipient_id FROM followup_notification) d"
DONE = f"SELECT COUNT(*) FROM tracking_taskschedule WHERE next_at > '{at(date(2026, 3, 10), '09:00').isoformat()}'"


def test_sigkill_mid_run_then_restart_loses_and_duplicates_nothing(many_tasks, engine_db):
    env, count = engine_db
    first = engine(env, "--batch", "4", "--pause", "0.05")
    deadline = time.monotonic() + 120
    while count(COUNT) < 20 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert first.poll() is None, f"the engine ended before it could be killed: {first.communicate()}"
    first.send_signal(signal.SIGKILL)
    first.wait(30)
    written = count(COUNT)
    assert 0 < written < many_tasks, "killed mid-run"
    assert written % 2 == 0, "a batch is written whole or not at all"
    second = engine(env)
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert count(COUNT) == many_tasks
    assert count(DISTINCT) == many_tasks
    assert count(DONE) == N_TASKS  # every task moved on to its next step (16/03 08:00)
    # And a third run finds nothing left to do.
    third = engine(env)
    out, err = third.communicate(timeout=120)
    assert third.returncode == 0, err
    assert "Đã xử lý 0 nhiệm vụ" in out
    assert count(COUNT) == many_tasks


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql")) is False,
    reason="two engines at once need PostgreSQL (SKIP LOCKED); SQLite has a single writer",
)
def test_two_engines_at_once_on_postgresql_send_nothing_twice(
    many_tasks, engine_db, smtp, personas, settings
):
    env, count = engine_db
    for key in ("lead_officer", "lead_head"):
        personas[key].email = f"{key}@sxd.hanoi.gov.vn"
        personas[key].save()
    env.update(
        EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp.port), EMAIL_USE_TLS="0", SITE_URL="https://x.test"
    )
    engines = [engine(env, "--batch", "5", "--pause", "0.01") for _ in range(2)]
    outputs = [e.communicate(timeout=300) for e in engines]
    assert [e.returncode for e in engines] == [0, 0], outputs
    handled = [int(out.split("Đã xử lý ")[1].split()[0]) for out, _err in outputs]
    assert sum(handled) == N_TASKS and all(handled), f"both engines worked, on disjoint tasks: {handled}"
    assert count(COUNT) == many_tasks == count(DISTINCT)
    # The engines handed the e-mails to the queue, each once; two job workers at once send them.
    assert count("SELECT COUNT(*) FROM followup_notification WHERE email_state = 'queued'") == many_tasks
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "dondoc.cli", "worker", "--once"], cwd=ROOT, env=env, text=True
        )
        for _ in range(2)
    ]
    assert [w.wait(300) for w in workers] == [0, 0]
    assert count("SELECT COUNT(*) FROM followup_notification WHERE email_state = 'sent'") == many_tasks
    sent = [(m["To"], m["Subject"]) for m in smtp.messages]
    assert len(sent) == many_tasks == len(set(sent)), "each e-mail once"
