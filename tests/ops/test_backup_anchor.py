"""The backup's audit anchor (issue 19, the linker): read in the dump's own snapshot, it is the head the restored
chain ends with once the events the dump holds still waiting are linked — a restored backup verifies against its
manifest (`audit verify --anchor`) and its last entry is the manifest's, whatever the writers did meanwhile."""

from __future__ import annotations

import shutil
import threading
from io import StringIO
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from dondoc.audit import chain
from dondoc.audit.models import AuditEntry, PendingAuditEntry
from dondoc.ops import backup

A = AuditEntry.Action
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")),
        reason="pg_dump/pg_restore not installed",
    ),
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media").mkdir()
    return tmp_path / "media"


def _other_connection() -> psycopg.Connection[Any]:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"], autocommit=True
    )


def _restored_and_verified(target: Path) -> tuple[dict[str, Any], tuple[int, str], str]:
    """Restore the backup in `target` over the test database, as `dondoc restore` does (its verify with the
    manifest's anchor links what the dump held waiting); (manifest's anchor, the restored head, what verify said)."""
    manifest, _ = backup.restore(target)
    anchor = manifest["audit_head"]
    out = StringIO()
    call_command("audit", "verify", f"--anchor={anchor['id']}:{anchor['hash']}", stdout=out, stderr=out)
    return anchor, chain.head(), out.getvalue()


def _login(name: str) -> None:
    """An event with JSON fields, as the model signals write them (their hash covers them)."""
    with transaction.atomic():
        chain.append(
            action=A.LOGIN,
            username=name,
            before={"tên": "Sở Xây dựng", "hạn": "2026-03-31"},
            after={"n": [1, 2.5, None], "ok": True},
        )


def test_a_backup_taken_while_events_wait_restores_to_the_manifests_head(tmp_path):
    """Events committed but not yet linked when the backup runs — on PostgreSQL another chainer holds the lock
    (a linker busy elsewhere), so the backup cannot link them first and the dump holds them waiting. Before the
    fix the manifest named the chain's head without them: the restored site linked them after it, so its last
    entry was not the manifest's."""
    _login("truoc")
    assert not PendingAuditEntry.objects.exists()
    holder = None
    if connection.vendor == "postgresql":
        holder = _other_connection()
        holder.execute("SELECT pg_advisory_lock(%s)", [chain.ADVISORY_LOCK_KEY])
    try:
        for name in ("mot", "hai", "ba"):
            _login(name)
        if holder is not None:
            assert PendingAuditEntry.objects.count() == 3  # the lock is taken: they wait
        manifest = backup.backup(tmp_path / "sao-luu")
    finally:
        if holder is not None:
            holder.close()
    _login("sau")  # after the backup: not in it
    connections.close_all()
    anchor, restored_head, said = _restored_and_verified(tmp_path / "sao-luu")
    assert "Nhật ký nguyên vẹn" in said
    assert restored_head == (anchor["id"], anchor["hash"])
    assert anchor["id"] == 4
    assert list(AuditEntry.objects.order_by("id").values_list("username", flat=True)) == [
        "truoc",
        "mot",
        "hai",
        "ba",
    ]
    # SQLite: one writer, so the backup linked them first; PostgreSQL: the dump held them waiting
    assert manifest["audit_head"]["waiting"] == (3 if holder is not None else 0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump's snapshot")
def test_the_anchor_and_the_dump_are_one_snapshot(tmp_path, monkeypatch):
    """A write that commits and is linked between the anchor's read and pg_dump's start is in neither (before
    the fix: the anchor was read first, pg_dump took a later snapshot holding the write, and the restored chain
    ended after the manifest's head)."""
    _login("truoc")
    real_run = backup._run

    def run_after_a_write(command: list[str], env: dict[str, str]) -> None:
        if command[0] == "pg_dump":
            writer = threading.Thread(target=_written_in_its_own_connection)
            writer.start()
            writer.join()
        real_run(command, env)

    monkeypatch.setattr(backup, "_run", run_after_a_write)
    manifest = backup.backup(tmp_path / "sao-luu")
    assert AuditEntry.objects.count() == 2  # the write is in the live database
    connections.close_all()
    anchor, restored_head, said = _restored_and_verified(tmp_path / "sao-luu")
    assert "Nhật ký nguyên vẹn" in said
    assert restored_head == (anchor["id"], anchor["hash"]) == (1, manifest["audit_head"]["hash"])
    assert list(AuditEntry.objects.values_list("username", flat=True)) == ["truoc"]


def _written_in_its_own_connection() -> None:
    try:
        PendingAuditEntry.objects.create(at=timezone.now(), action=A.LOGIN, username="trong-luc-sao-luu")
        chain.link_pending()
    finally:
        connection.close()
