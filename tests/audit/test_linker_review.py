"""Review of the process's audit linker (PostgreSQL): its connection cut by the server (a restart, a killed
backend) — the events wait, the linker opens a new connection at the next commit and links them, the chain holds;
a forked child (gunicorn's workers) starts its own linker and links its events."""

from __future__ import annotations

import os
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


def test_a_forked_child_links_its_own_events(linker):
    with transaction.atomic():
        chain.append(action=A.LOGIN, username="cha")
    assert linked()
    connection.close()  # as gunicorn's master before forking: no connection shared with the child
    pid = os.fork()
    if pid == 0:  # the child: write, wait for its linker, exit without the parent's teardown
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
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the child's events were not linked by its linker"
    assert list(AuditEntry.plain.order_by("id").values_list("username", flat=True)) == ["cha", "con"]
    assert verify()[0]
