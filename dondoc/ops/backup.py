"""Backups: a consistent snapshot of the database plus the uploaded files, with a manifest of checksums.

Layout of a backup folder::

    database.sqlite3 | database.dump    SQLite: online backup API (consistent while the server writes);
                                        PostgreSQL: pg_dump custom format (one consistent snapshot)
    files/...                           a copy of MEDIA_ROOT
    manifest.json                       what, when, which database, the audit trail's last row (id and hash,
                                        the anchor for `dondoc audit verify --anchor`, read in the dump's own
                                        snapshot) and sha256 + size of every file above

A restore first checks every checksum and refuses a backup that does not match, changing nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Vietnamese and says what to do."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_args() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"Không tìm thấy lệnh {command[0]}: cài gói postgresql-client cùng phiên bản máy chủ."
        )
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} thất bại (mã {result.returncode}): {result.stderr.strip()[:2000]}")


def _dump_database(target: Path) -> tuple[str, dict[str, Any]]:
    """Write the database's copy into ``target``; (its file name, the audit trail's anchor read in the copy's own
    snapshot). The events waiting to be linked are linked first, so a quiet site's copy holds none; those committed
    meanwhile are in the copy still waiting, and the anchor is the head the chain will have once they are linked
    (`chain.head_once_linked`) — what the restored site's first linking gives, so its `audit verify --anchor` holds
    and its last entry is the manifest's."""
    from dondoc.audit.chain import link_pending

    link_pending()
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        path = target / "database.sqlite3"
        # One read transaction (WAL: one snapshot) for the anchor and the copy, which reads through this same
        # connection; deferred, not Django's BEGIN IMMEDIATE, which would keep the copy from reading
        raw = connection.connection
        raw.execute("BEGIN DEFERRED")
        try:
            audit = _audit_head()
            destination = sqlite3.connect(path)
            try:
                raw.backup(destination)  # online: pages copied under SQLite's own locking
            finally:
                destination.close()
        finally:
            raw.execute("COMMIT")
        return path.name, audit
    if connection.vendor == "postgresql":
        path = target / "database.dump"
        args, env = _pg_args()
        # One snapshot for the anchor and the dump: exported by this transaction (REPEATABLE READ: its reads all
        # see it), imported by pg_dump while the transaction stays open.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            audit = _audit_head()
            _run(
                [
                    "pg_dump",
                    "-Fc",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    *args,
                    "-f",
                    str(path),
                    settings.DATABASES["default"]["NAME"],
                ],
                env,
            )
        return path.name, audit
    raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại {connection.vendor}.")


def _copy_media(target: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    destination = target / "files"
    if media.is_dir():
        shutil.copytree(media, destination, symlinks=False)
    else:
        destination.mkdir()


def _audit_head() -> dict[str, Any]:
    """The manifest's anchor, read in the caller's transaction: the chain's head once the events waiting in it
    are linked, and how many wait."""
    from dondoc.audit.chain import head_once_linked

    (last_id, last_hash), waiting = head_once_linked()
    return {"id": last_id, "hash": last_hash, "waiting": waiting}


def backup(target: Path) -> dict[str, Any]:
    """Write a backup into ``target`` (created; must not exist or be empty) and return its manifest."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"Thư mục «{target}» đã có dữ liệu: chọn một thư mục mới cho bản sao lưu.")
    target.mkdir(parents=True, exist_ok=True)
    database, audit = _dump_database(target)
    _copy_media(target)
    files = {
        path.relative_to(target).as_posix(): {"sha256": sha256_of(path), "size": path.stat().st_size}
        for path in sorted(target.rglob("*"))
        if path.is_file()
    }
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "vendor": connection.vendor,
        "database": database,
        "audit_head": audit,
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


@dataclass
class Problem:
    path: str
    what: str

    def message(self) -> str:
        return f"{self.path}: {self.what}"


def check(source: Path) -> tuple[dict[str, Any], list[Problem]]:
    """Read the manifest and compare every file with its checksum; (manifest, problems)."""
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"«{source}» không phải bản sao lưu của Đôn đốc: thiếu {MANIFEST}.")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        listed: dict[str, dict[str, Any]] = manifest["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{MANIFEST} hỏng hoặc sai định dạng: {exc}") from exc
    problems = []
    for name, expected in listed.items():
        path = source / name
        if not path.is_file():
            problems.append(Problem(name, "thiếu tệp"))
        elif path.stat().st_size != expected["size"] or sha256_of(path) != expected["sha256"]:
            problems.append(Problem(name, "nội dung khác với lúc sao lưu (sai mã sha256)"))
    for path in source.rglob("*"):
        name = path.relative_to(source).as_posix()
        if path.is_file() and name != MANIFEST and name not in listed:
            problems.append(Problem(name, "tệp lạ, không có trong manifest"))
    return manifest, problems


def _restore_database(source: Path, manifest: dict[str, Any]) -> None:
    if manifest.get("vendor") != connection.vendor:
        raise BackupError(
            f"Bản sao lưu là của {manifest.get('vendor')}, cơ sở dữ liệu hiện tại là {connection.vendor}."
        )
    database = source / manifest["database"]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        origin = sqlite3.connect(database)
        try:
            origin.backup(connection.connection)  # replaces every page of the live database, online
        finally:
            origin.close()
        return
    connections.close_all()  # our own idle connections must not hold locks on the tables being replaced
    args, env = _pg_args()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *args,
            "-d",
            settings.DATABASES["default"]["NAME"],
            str(database),
        ],
        env,
    )


def _restore_media(source: Path) -> Path | None:
    """Put the backup's files in MEDIA_ROOT; the files that were there are kept aside, never deleted."""
    media = Path(settings.MEDIA_ROOT)
    incoming = media.with_name(media.name + ".restoring")
    if incoming.exists():
        shutil.rmtree(incoming)
    shutil.copytree(source / "files", incoming)
    kept = None
    if media.exists():
        kept = media.with_name(f"{media.name}.before-restore-{datetime.now(UTC):%Y%m%d%H%M%S}")
        media.rename(kept)
    incoming.rename(media)
    return kept


def restore(source: Path) -> tuple[dict[str, Any], Path | None]:
    """Check the backup, then bring back the database and the files. Returns (manifest, folder of the replaced
    files). Nothing is changed when a checksum does not match."""
    manifest, problems = check(source)
    if problems:
        lines = "\n".join(f"  - {p.message()}" for p in problems)
        raise BackupError(f"Bản sao lưu không toàn vẹn, không khôi phục:\n{lines}")
    _restore_database(source, manifest)
    kept = _restore_media(source)
    return manifest, kept


def table_digests() -> dict[str, list[Any]]:
    """Every table's row count and a sha256 of its rows in primary-key order: two databases with equal digests
    hold the same data. Used by the round-trip test and by operators after a restore."""
    result: dict[str, list[Any]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            digest = hashlib.sha256()
            count = 0
            for row in cursor.fetchall():
                digest.update(repr(row).encode("utf-8"))
                count += 1
            result[table] = [count, digest.hexdigest()]
    return result
