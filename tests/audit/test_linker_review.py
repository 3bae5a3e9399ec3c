"""Review of the process's audit linker (PostgreSQL): its connection cut by the server (a restart, a killed
backend) — the events wait, the linker opens a new connection at the next commit and links them, the chain holds;
a forked child (gunicorn's workers) starts its own linker and links its events, even if the parent's threads held the
linker's locks at the fork; a process whose linker is stuck still exits, linking its events itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction

from dondoc.audit import chain
from dondoc.audit.models import AuditEntry, PendingAuditEntry
from tests.audit.helpers import linked, verify

A = AuditEntry.Action
if connection.vendor != "postgresql":
    pytest.skip("the linker is PostgreSQL's", allow_module_level=True)
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def linker(settings) -> Any:
    settings.AUDIT_LINK_DELAY_MS = 50
    yield
    chain.stop_linker()


def _cut_other_connections() -> None:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def test_the_linker_survives_its_connection_cut(linker):
    with transaction.atomic():
        chain.append(action=A.LOGIN, username="mot")
    assert linked()
    _cut_other_connections()  # the linker's connection among them
    time.sleep(0.2)
    with transaction.atomic():
        chain.append(action=A.LOGIN, username="hai")
    with transaction.atomic():  # a second commit: if the first linking failed on the dead connection
        chain.append(action=A.LOGIN, username="ba")
    assert linked(), "events left waiting after the linker's connection was cut"
    assert list(AuditEntry.plain.order_by("id").values_list("username", flat=True)) == ["mot", "hai", "ba"]
    assert verify()[0]


def _child_writes_and_exits() -> None:
    """A forked child: write, wait for its linker, exit without the parent's teardown (0: its events linked)."""
    code = 1
    try:
        with transaction.atomic():
            chain.append(action=A.LOGIN, username="con")
        end = time.monotonic() + 10
        while PendingAuditEntry.objects.exists() and time.monotonic() < end:
            time.sleep(0.02)
        code = 0 if not PendingAuditEntry.objects.exists() else 2
    finally:
        os._exit(code)


def test_a_forked_child_links_its_own_events(linker):
    with transaction.atomic():
        chain.append(action=A.LOGIN, username="cha")
    assert linked()
    connection.close()  # as gunicorn's master before forking: no connection shared with the child
    pid = os.fork()
    if pid == 0:
        _child_writes_and_exits()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the child's events were not linked by its linker"
    assert list(AuditEntry.plain.order_by("id").values_list("username", flat=True)) == ["cha", "con"]
    assert verify()[0]


def test_a_child_forked_while_a_parent_thread_held_the_linkers_locks_links_its_events(linker):
    """gunicorn --preload forks the workers from a master whose threads may hold the linker's locks at that
    moment: the child gets them held, and its first commit waited forever for them (before: no lock made anew
    after the fork)."""
    connection.close()
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with chain._wake, chain._coalesce:
            held.set()
            release.wait(30)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(5)
    pid = os.fork()
    if pid == 0:
        _child_writes_and_exits()
    release.set()
    thread.join()
    end = time.monotonic() + 30
    while (done := os.waitpid(pid, os.WNOHANG))[0] == 0 and time.monotonic() < end:
        time.sleep(0.05)
    if done[0] == 0:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail("the forked child hung on a lock its parent's thread held at the fork")
    assert os.waitstatus_to_exitcode(done[1]) == 0, "the child's events were not linked by its linker"
    assert list(AuditEntry.plain.values_list("username", flat=True)) == ["con"]
    assert verify()[0]


STUCK_LINKER = """
import threading, django
django.setup()
from dondoc.audit import chain
real, stuck = chain.link_pending, threading.Event()
def link_pending(**kwargs):
    if threading.current_thread().name == "audit-linker":  # a linking that never ends (a database that hangs)
        stuck.set()
        threading.Event().wait()
    return real(**kwargs)
chain.link_pending = link_pending
chain.EXIT_JOIN_SECONDS = 1
chain.append(action="login", username="ket")
assert stuck.wait(30)
"""


def test_a_process_whose_linker_is_stuck_still_exits_and_links_its_events(linker):
    """At exit the process waits for its linker's current linking at most `EXIT_JOIN_SECONDS`, then links in its
    own thread (before: it joined without a timeout and never exited)."""
    db = connection.settings_dict
    env = dict(
        os.environ,
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        AUDIT_LINK_DELAY_MS="20",
        DJANGO_SETTINGS_MODULE="dondoc.settings",
        SECRET_KEY="linker-test-" + "k" * 40,
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", STUCK_LINKER], env=env, timeout=60, capture_output=True, text=True
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the process did not exit: it waited for its stuck linker")
    assert done.returncode == 0, done.stderr
    assert "did not stop within 1 s" in done.stderr
    assert not PendingAuditEntry.objects.exists()
    assert list(AuditEntry.plain.values_list("username", flat=True)) == ["ket"]
    assert verify()[0]
