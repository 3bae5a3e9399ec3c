"""Appending to the hash chain, and checking it.

Writes are serialised so the chain never forks: two transactions that both read the same last row and append after
it would leave two rows with the same ``prev_hash``. On PostgreSQL a transaction-scoped advisory lock is held until
commit; on SQLite every transaction already starts with ``BEGIN IMMEDIATE`` (settings), so there is one writer.
The entry's id is chosen under that lock (last id + 1), so ids have no gaps and a deleted row leaves one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from dondoc.audit.models import GENESIS, AuditEntry

ADVISORY_LOCK_KEY = 0x646F6E646F63  # "dondoc": the audit chain's lock on PostgreSQL


def jsonable(value: Any) -> Any:
    """A value as it will read back from a JSON column (dates as ISO text, decimals as text)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def append(
    *,
    action: str,
    user_id: int | None = None,
    username: str = "",
    address: str | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Add one entry at the end of the chain (inside the caller's transaction, if any)."""
    with transaction.atomic():
        _lock()
        last = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
        entry = AuditEntry(
            id=(last[0] + 1) if last else 1,
            prev_hash=last[1] if last else GENESIS,
            at=timezone.now(),
            user_id=user_id,
            username=username[:150],
            address=address,
            action=action,
            object_type=object_type[:100],
            object_id=str(object_id)[:64],
            object_repr=object_repr[:300],
            before=jsonable(before),
            after=jsonable(after),
        )
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
        return entry


@dataclass(frozen=True)
class Break:
    """A place where the chain does not hold: a row edited, or rows deleted before ``entry_id``."""

    kind: str  # "edited" | "deleted" | "tail" (the anchored last row is gone)
    entry_id: int
    first_missing: int | None = None

    def message(self) -> str:
        if self.kind == "tail":
            return f"Bản ghi #{self.entry_id} (mốc đã lưu) không còn: các bản ghi cuối chuỗi đã bị xóa."
        if self.kind == "edited":
            return f"Bản ghi #{self.entry_id} đã bị sửa trực tiếp trong cơ sở dữ liệu (mã băm không khớp)."
        if self.first_missing is not None and self.first_missing < self.entry_id:
            span = (
                f"#{self.first_missing}"
                if self.first_missing == self.entry_id - 1
                else f"#{self.first_missing} đến #{self.entry_id - 1}"
            )
            return f"Bản ghi {span} đã bị xóa (chuỗi bị đứt trước bản ghi #{self.entry_id})."
        return f"Chuỗi bị đứt trước bản ghi #{self.entry_id}: bản ghi liền trước đã bị xóa hoặc thay thế."


def verify(chunk: int = 2000) -> Iterator[Break]:
    """Walk the chain in id order; yield every break, the first one first.

    A row is *edited* when its stored hash differs from the hash recomputed from its fields, or when the next row
    does not point at it (the hash column itself rewritten). Rows are *deleted* when the ids jump: ids are given
    without gaps under the chain's lock.
    """
    prev_id, prev_hash = 0, GENESIS
    reported: int | None = None
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=chunk):
        if entry.pk != prev_id + 1:
            yield Break("deleted", entry.pk, first_missing=prev_id + 1)
        elif entry.prev_hash != prev_hash and prev_id and reported != prev_id:
            yield Break("edited", prev_id)
        elif entry.prev_hash != prev_hash and not prev_id:
            yield Break("deleted", entry.pk, first_missing=1)
        if entry.compute_hash() != entry.hash:
            yield Break("edited", entry.pk)
            reported = entry.pk
        prev_id, prev_hash = entry.pk, entry.hash


def head() -> tuple[int, str]:
    """(id, hash) of the last entry — an anchor to keep outside the database (the backup manifest keeps it)."""
    last = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
    return (last[0], last[1]) if last else (0, GENESIS)
