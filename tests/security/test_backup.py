"""Backup and restore, end to end through the real commands: every table comes back row for row, the uploaded
files come back byte for byte, and a backup whose checksums do not match is refused without touching anything.

Runs on a SQLite file and, when pg_dump/pg_restore and the server are there, on a PostgreSQL database of its own.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import site_databases

PROJECT = Path(__file__).resolve().parents[2]
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_NAME = f"dondoc_sec_backup_{os.getpid()}"  # one per test process: the SQLite and PostgreSQL passes may run at once


def _pg_available() -> bool:
    if not (shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("psql")):
        return False
    probe = subprocess.run(
        ["psql", f"{PG_SERVER}/postgres", "-Atc", "select 1"], capture_output=True, text=True
    )
    return probe.returncode == 0


@pytest.fixture(params=site_databases())
def site(request, tmp_path):
    """Environment of a fresh installation: its own database and MEDIA_ROOT, migrated, with demo data."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG", "DEMO"))}
    env.update(
        DJANGO_SETTINGS_MODULE="dondoc.settings",
        SECRET_KEY="backup-test-key-" + "x" * 40,
        DONDOC_VAR_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(tmp_path / "var" / "files"),
    )
    if request.param == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    else:
        if not _pg_available():
            pytest.skip("pg_dump/pg_restore or the PostgreSQL server are not available")
        for sql in (f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)", f"CREATE DATABASE {PG_NAME}"):
            subprocess.run(["psql", f"{PG_SERVER}/postgres", "-qc", sql], check=True, capture_output=True)
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_NAME}"
    dondoc(env, "migrate", "--noinput", "-v0")
    dondoc(env, "loaddemo", "--tasks", "40")
    media = Path(env["MEDIA_ROOT"])
    (media / "results" / "2026").mkdir(parents=True)
    (media / "results" / "2026" / "ket-qua.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(2048))
    (media / "progress").mkdir()
    (media / "progress" / "tien-do.docx").write_bytes(b"PK\x03\x04" + os.urandom(512))
    yield env
    if request.param == "postgresql":
        subprocess.run(
            ["psql", f"{PG_SERVER}/postgres", "-qc", f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)"],
            capture_output=True,
        )


def dondoc(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "dondoc.cli", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"dondoc {' '.join(args)}: {result.returncode}\n{result.stdout}\n{result.stderr}"
        )
    return result


def tables(env: dict[str, str]) -> dict[str, list]:
    code = "import json; from dondoc.ops.backup import table_digests; print(json.dumps(table_digests()))"
    return json.loads(dondoc(env, "shell", "-c", code).stdout.strip().splitlines()[-1])


def files(env: dict[str, str]) -> dict[str, str]:
    root = Path(env["MEDIA_ROOT"])
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


SPOIL = """
from django.db import connection
from dondoc.workdays.models import CalendarDay
CalendarDay.objects.filter(date__year=2026).delete()
c = connection.cursor()
c.execute("UPDATE directives_directive SET subject = 'sửa bậy'")
c.execute("UPDATE org_unit SET name = name || ' (x)'")
"""


def spoil(env: dict[str, str]) -> dict[str, list]:
    """What a bad day does: rows changed and deleted, a file lost, a stray file added. Returns the new digests,
    read after the spoiling process exited: its audit events are linked by its commits or, with the linker on
    (`AUDIT_LINK_DELAY_MS` > 0), by its linker or at its exit — read in that process they could still wait."""
    dondoc(env, "shell", "-c", SPOIL)
    spoiled = tables(env)
    media = Path(env["MEDIA_ROOT"])
    (media / "results" / "2026" / "ket-qua.pdf").unlink()
    (media / "la.txt").write_text("không thuộc bản sao lưu")
    return spoiled


def test_backup_round_trip_and_refusal_of_a_damaged_backup(site, tmp_path):
    """One installation per database (the commands are slow to start): back up, spoil, restore, compare every
    table and file; a damaged copy of the backup is refused and changes nothing; --yes is required."""
    before_tables, before_files = tables(site), files(site)
    assert before_tables["tracking_task"][0] > 40 and before_tables["audit_auditentry"][0] > 0
    target = tmp_path / "sao-luu"
    said = dondoc(site, "backup", str(target)).stdout
    assert "Đã sao lưu" in said
    manifest = json.loads((target / "manifest.json").read_text())
    assert set(manifest["files"]) >= {"files/results/2026/ket-qua.pdf", "files/progress/tien-do.docx"}
    assert manifest["audit_head"]["id"] == before_tables["audit_auditentry"][0]

    # A damaged copy: one byte of the database flipped.
    damaged = tmp_path / "hong"
    shutil.copytree(target, damaged)
    database = next(p for p in damaged.iterdir() if p.name.startswith("database."))
    data = bytearray(database.read_bytes())
    data[len(data) // 2] ^= 0xFF
    database.write_bytes(bytes(data))

    spoiled_tables = spoil(site)
    spoiled_files = files(site)
    assert spoiled_tables != before_tables and spoiled_files != before_files

    result = dondoc(site, "restore", str(damaged), "--yes", check=False)
    assert result.returncode != 0
    assert "không toàn vẹn" in result.stderr and database.name in result.stderr
    assert (
        files(site) == spoiled_files
    )  # nothing touched (tables: checked by the restore below starting here)

    result = dondoc(site, "restore", str(target), check=False)
    assert result.returncode != 0 and "--yes" in result.stderr
    assert tables(site) == spoiled_tables

    said = dondoc(site, "restore", str(target), "--yes").stdout
    assert "Đã khôi phục" in said and "Nhật ký nguyên vẹn" in said
    after_tables = tables(site)
    assert sorted(after_tables) == sorted(before_tables)
    assert [t for t in before_tables if after_tables[t] != before_tables[t]] == []
    assert files(site) == before_files
    # The restored audit trail is still append-only in the database (its triggers came back with it).
    tamper = "from django.db import connection; connection.cursor().execute('DELETE FROM audit_auditentry')"
    refused = dondoc(site, "shell", "-c", tamper, check=False)
    assert refused.returncode != 0 and "append-only" in refused.stderr
    assert tables(site)["audit_auditentry"] == before_tables["audit_auditentry"]
    kept = [p for p in Path(site["MEDIA_ROOT"]).parent.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1 and (kept[0] / "la.txt").exists()  # replaced files are set aside, not deleted

    (target / "manifest.json").unlink()
    result = dondoc(site, "restore", str(target), "--yes", check=False)
    assert result.returncode != 0 and "thiếu manifest.json" in result.stderr
