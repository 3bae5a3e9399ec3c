"""The process's audit linker (PostgreSQL, `AUDIT_LINK_DELAY_MS` > 0, issue 19): a commit hands its events to the
linker and runs no chainer statement of its own; the commits within the delay are linked in one linking, in
order, and the chain holds."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from dondoc.audit import chain
from dondoc.audit.models import AuditEntry, PendingAuditEntry
from tests.audit.helpers import linked, verify

A = AuditEntry.Action
if connection.vendor != "postgresql":
    pytest.skip("the linker is PostgreSQL's", allow_module_level=True)
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def linker(settings, monkeypatch) -> Any:
    """The linker on, with a delay long enough for a test's commits to fall in one batch; its linkings counted;
    stopped (its connection closed) before the test's database is flushed."""
    settings.AUDIT_LINK_DELAY_MS = 1000
    linkings: list[int] = []
    real = chain.link_pending

    def counted(**kwargs: Any) -> int:
        linked = real(**kwargs)
        if threading.current_thread().name == "audit-linker":  # not the test's reads of the trail
            linkings.append(linked)
        return linked

    monkeypatch.setattr(chain, "link_pending", counted)
    yield linkings
    chain.stop_linker()


def counted(linkings: list[int], n: int, timeout: float = 10.0) -> bool:
    """Wait until the linker has counted `n` linkings: it counts one after its commit, which a reader may see first."""
    end = time.monotonic() + timeout
    while len(linkings) < n and time.monotonic() < end:
        time.sleep(0.01)
    return len(linkings) >= n


def test_commits_within_the_delay_are_linked_together_by_the_linker(linker):
    chain.append(action=A.LOGIN, username="truoc")  # no transaction: committed, handed to the linker
    for name in ("mot", "hai"):
        with CaptureQueriesContext(connection) as ctx:
            with transaction.atomic():
                chain.append(action=A.LOGIN, username=name)
        written = " ".join(q["sql"] for q in ctx.captured_queries)
        assert "audit_auditentry" not in written and "counted_fold" not in written, written
    assert linked() and counted(linker, 1)
    assert linker == [3]  # one linking for the three commits
    names = list(AuditEntry.plain.order_by("id").values_list("username", flat=True))
    assert names == ["truoc", "mot", "hai"]
    assert verify()[0]
    # A commit after the batch asks again: linked by a later linking.
    with transaction.atomic():
        chain.append(action=A.LOGIN, username="ba")
    assert linked() and counted(linker, 2)
    assert linker == [3, 1] and verify()[0]


def test_a_stopped_linker_leaves_the_events_waiting_and_a_reader_links_them(settings, linker):
    settings.AUDIT_LINK_DELAY_MS = 5000
    chain.append(action=A.LOGIN, username="cho")
    chain.stop_linker()
    assert PendingAuditEntry.objects.count() == 1  # the linker stopped before its batch
    assert list(AuditEntry.objects.values_list("username", flat=True)) == ["cho"]  # a read of the trail links
    assert verify()[0]


def test_a_process_that_exits_links_what_its_linker_had_not(linker):
    """A command that writes and exits (the linker still waiting its delay) links its events at exit."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    code = (
        "import django; django.setup(); from dondoc.audit import chain; "
        "chain.append(action='login', username='thoat')"
    )
    env = dict(
        os.environ,
        DATABASE_URL=url,
        AUDIT_LINK_DELAY_MS="60000",
        DJANGO_SETTINGS_MODULE="dondoc.settings",
        SECRET_KEY="linker-test-" + "k" * 40,
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    assert not PendingAuditEntry.objects.exists()
    assert list(AuditEntry.plain.values_list("username", flat=True)) == ["thoat"]
    assert verify()[0]
