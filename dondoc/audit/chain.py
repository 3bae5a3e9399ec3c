"""Appending to the hash chain, and checking it.

A request never waits for the chain. Its transaction writes the event to `PendingAuditEntry` (no lock: the id is
the database sequence's); right after the commit `link_pending` moves the committed events, in id order, to the end
of the chain, each with its chain id (last id + 1) and hashes. Only the linking is serialised, so the chain never
forks: on PostgreSQL a transaction-scoped advisory lock, *tried* — a chainer that finds it taken leaves the events
to the holder, which looks again after its commit; on SQLite every transaction already starts with
``BEGIN IMMEDIATE`` (settings), so there is one writer. Ids have no gaps, so a deleted row leaves one. The threads
of one process coalesce their linkings (`_link_committed`): one links, the others leave their events to it. On
PostgreSQL with ``AUDIT_LINK_DELAY_MS`` > 0 (the default: 100) a commit only wakes the process's linker thread,
which links every event committed within that delay in one linking (`_link_soon`), off the request's time.

The chainer's transaction commits without waiting for the disk (PostgreSQL's ``synchronous_commit`` off for that
transaction only, ~5 ms less per write on this machine): it only moves events whose own commit was durable, so a
crash that loses it puts them back in the waiting room, to be linked again by the next chainer — nothing is lost,
and the request's transactions (the events, the tasks) still wait for the disk as before.

Reads of the trail (`AuditEntry.objects`, `verify`, `head`) link what waits first, so a reader sees every
committed event. The exports that reads record (an API list page) are linked in batches, at most once a second
per process (`_link_in_batches`), not after each page. What the chain cannot catch: an event edited or deleted in
the database between its commit and its linking — milliseconds for a write, up to the next linking for an export
(the append-only triggers guard the chain, not the waiting room).
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from dondoc.audit.context import actor
from dondoc.audit.models import GENESIS, AuditEntry, PendingAuditEntry

log = logging.getLogger("dondoc.audit")
ADVISORY_LOCK_KEY = 0x646F6E646F63  # "dondoc": the audit chainer's lock on PostgreSQL
LINK_BATCH = 2000
FIELDS = (
    "at",
    "user_id",
    "username",
    "address",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
)


def jsonable(value: Any) -> Any:
    """A value as it will read back from a JSON column (dates as ISO text, decimals as text)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


# The lock tried, the commit without waiting for the disk, and under the lock the counted tables' pending rows
# folded (`core.counted_sql`: one folder at a time; the rows of commits before this statement's snapshot).
_LOCK_TRIED = (
    "(SELECT pg_try_advisory_xact_lock(%s) AS got, set_config('synchronous_commit', 'off', true) OFFSET 0) l"
)
_TRY_LOCK = f"SELECT got, CASE WHEN got THEN counted_fold() END FROM {_LOCK_TRIED}"


def _try_lock() -> bool:
    """Take the chainer's lock if free, and (PostgreSQL) let this transaction commit without waiting for the disk
    and fold the counted tables' pending rows (`counted_fold()`) — in the statement that takes the lock, so after
    each write's commit at no statement's cost."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute(_TRY_LOCK, [ADVISORY_LOCK_KEY])
        return bool(cursor.fetchone()[0])


def _link_after_commit(waiting: bool = True) -> None:
    """Ask for one linking after the current transaction commits (once per transaction); `waiting`: it wrote
    events, so they will be there to link."""
    linker = _link_committed if waiting else link_pending
    if any(entry[1] in (_link_committed, link_pending) for entry in connection.run_on_commit):
        return
    transaction.on_commit(linker, robust=True)


# The threads of one process coalesce their linkings: a thread whose commit finds another of the process linking
# leaves its events to it and only notes that more wait (`_again`); the linking thread runs once more before it
# stops, and that run's batch is taken after the note, so after the noting thread's commit: its events are in it.
# Across processes the advisory lock does the same (`link_pending`). Each linking costs a write ~2 round trips and
# ~2 ms of PostgreSQL's CPU (issue 19): with 4 threads a process, one linking takes several writes' events.
_coalesce = threading.Lock()
_linking = False  # a thread of this process is linking
_again = False  # a commit since that thread's last batch was taken


def _link_committed() -> None:
    """After a commit that wrote events: link them, or leave them to the thread of this process already linking
    (`_again`); no need to ask first whether any wait (`link_pending`'s step 1). On PostgreSQL with a linking
    delay (`AUDIT_LINK_DELAY_MS`), hand them to the process's linker instead (`_link_soon`)."""
    global _linking, _again
    if _delay() > 0 and connection.vendor == "postgresql":
        _link_soon()
        return
    with _coalesce:
        if _linking:
            _again = True
            return
        _linking = True
    try:
        while True:
            with _coalesce:
                _again = False
            link_pending(waiting=True)
            with _coalesce:
                if not _again:
                    _linking = False
                    return
    except BaseException:
        with _coalesce:
            _linking = False  # the events wait for the next linking (a write's, a read of the trail)
        raise


# The process's linker (PostgreSQL, `AUDIT_LINK_DELAY_MS` > 0): a request's commit only wakes it and answers; the
# linker waits the delay, so that the commits of that time are linked together, then links every committed event
# in one linking (`link_pending`), on its own connection. Each linking costs ~2 round trips, the hashes and the
# counted tables' fold whatever its batch: per write they were ~0.5 ms of the process's CPU and ~1 ms of
# PostgreSQL's, in the request's time (issue 19). An event waits at most the delay plus a linking (a reader of the
# trail links first, so it sees it anyway); a process that dies leaves its events to the next linking.
_wake = threading.Condition()
_asked = False  # a commit since the linker's last batch was taken
_linker: tuple[threading.Thread, threading.Event] | None = None  # the thread, and its stop
_linker_pid = 0


def _delay() -> float:
    """The linker's wait in seconds (`AUDIT_LINK_DELAY_MS`; 0: each commit links in its own thread)."""
    return max(0, getattr(settings, "AUDIT_LINK_DELAY_MS", 0)) / 1000


def _link_soon() -> None:
    """Wake this process's linker (started on first use — in a gunicorn worker, after the fork — again after it
    stopped)."""
    global _asked, _linker, _linker_pid
    with _wake:
        _asked = True
        if _linker is None or _linker_pid != os.getpid() or not _linker[0].is_alive():
            stop = threading.Event()
            thread = threading.Thread(target=_linker_loop, args=(stop,), name="audit-linker", daemon=True)
            _linker, _linker_pid = (thread, stop), os.getpid()
            thread.start()
        _wake.notify_all()


def _after_fork_in_child() -> None:
    """A forked child (gunicorn's workers, `--preload`) starts with the parent's locks as they were at the fork —
    held, if one of the parent's threads held them — and with no linker thread (threads do not survive a fork):
    new locks, no linker, nothing asked; the child's first commit starts its own linker (`_link_soon`)."""
    global _coalesce, _linking, _again, _wake, _asked, _linker, _linker_pid
    _coalesce, _linking, _again = threading.Lock(), False, False
    _wake, _asked, _linker, _linker_pid = threading.Condition(), False, None, 0


os.register_at_fork(after_in_child=_after_fork_in_child)


RETRY_MAX_SECONDS = 30.0  # the longest wait between two failed linkings (the database away)


def _linker_loop(stop: threading.Event) -> None:
    global _asked
    failures = 0
    try:
        while True:
            with _wake:
                while not _asked and not stop.is_set():
                    _wake.wait()
                if stop.is_set():
                    return
            # the commits of this time join the batch; after a failed linking, a longer wait each time
            wait = _delay() if not failures else min(RETRY_MAX_SECONDS, _delay() * 2**failures)
            if stop.wait(wait):
                return
            with _wake:
                _asked = False  # a commit after this asks again: its events may be after the batch's snapshot
            try:
                link_pending(waiting=True)
                failures = 0
            except Exception:
                # A broken connection (the server restarted, the backend ended) is opened anew, and the linking
                # tried again: the batch's commits are over, none would ask for it (review12: left waiting until
                # the next write or read of the trail).
                log.exception("audit: linking failed; tried again on a new connection")
                connection.close()
                failures += 1
                with _wake:
                    _asked = True
    finally:
        connection.close()


EXIT_JOIN_SECONDS = 10.0  # at exit, the longest wait for the linker's current linking (a database that hangs)


def _link_at_exit() -> None:
    """At the process's exit, if its linker runs: the linker stopped (waiting at most `EXIT_JOIN_SECONDS` for its
    current linking), and what still waits linked in this thread (a linker stopped before, `stop_linker`, left its
    events to the next linking; one still stuck in its linking holds the chainer's lock, so this linking leaves
    the events to the next one)."""
    with _wake:
        running = _linker is not None and _linker_pid == os.getpid()
    if not running:
        return
    stop_linker(timeout=EXIT_JOIN_SECONDS)
    try:
        link_pending()
    except Exception:
        log.exception("audit: linking at exit failed; the events wait for the next linking")
    finally:
        connection.close()


def stop_linker(timeout: float | None = None) -> bool:
    """Stop this process's linker after its current linking (tests; events still waiting stay for the next),
    waiting at most `timeout` seconds for it (None: as long as it takes). False if it still runs."""
    global _linker
    with _wake:
        current, _linker = _linker, None
        if current is not None:
            current[1].set()
        _wake.notify_all()
    if current is not None and current[0].is_alive() and current[0] is not threading.current_thread():
        current[0].join(timeout)
        if current[0].is_alive():
            log.error(
                "audit: the linker did not stop within %s s; its events wait for the next linking", timeout
            )
            return False
    return True


atexit.register(_link_at_exit)  # a command that wrote and exits leaves no events waiting


READ_LINK_EVERY = 1.0  # seconds: how often a process's reads (exports) run the chainer themselves
_read_linked_at = -READ_LINK_EVERY


def _link_in_batches() -> None:
    """For an event recorded by a read (an export of a list page): ask for the linking at most once a second per
    process. The chainer costs a read ~8 statements (look, lock, read, chain, insert, delete, look again); a
    reader asking many pages a second would run it on every page for one row each. In between, the events wait in
    `PendingAuditEntry` for the next linking — a write's, a read of the trail (which links first, so it misses
    nothing), this process's next read a second later, or the follow-up pass (`engine.run_once`) — and are
    linked together, in id order, as one batch."""
    global _read_linked_at
    now = time.monotonic()
    if now - _read_linked_at < READ_LINK_EVERY:
        return
    _read_linked_at = now
    _link_after_commit()


def _pending(
    at: Any,
    user_id: int | None,
    username: str,
    address: str | None,
    *,
    action: str,
    object_type: str = "",
    object_id: Any = "",
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
) -> PendingAuditEntry:
    """One event's row as it waits to be linked: texts cut to their columns, before/after made JSON."""
    return PendingAuditEntry(
        at=at,
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
    read: bool = False,
) -> PendingAuditEntry:
    """Record one event (inside the caller's transaction, if any); it joins the chain when that commits, or for an
    event of a `read` (an export) with the next batch (`_link_in_batches`)."""
    row = _pending(
        timezone.now(),
        user_id,
        username,
        address,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        before=before,
        after=after,
    )
    _insert_pending(row)
    if read:
        _link_in_batches()
    else:
        _link_after_commit()
    return row


def append_by_actor(request: Any = None, **entry: Any) -> PendingAuditEntry:
    """Record one event (`append`) done by whoever acts now: the user, username and address of `request`, or of
    the request being served (`context.actor`)."""
    user_id, username, address = actor(request)
    return append(user_id=user_id, username=username, address=address, **entry)


def append_many_by_actor(entries: list[dict[str, Any]]) -> int:
    """`append_by_actor` for many events of one change, written in one statement per thousand (an edit of the
    calendar that moves the effective deadlines of thousands of open tasks: one row each, in order); returns how
    many were recorded."""
    if not entries:
        return 0
    user_id, username, address = actor()
    now = timezone.now()
    rows = [_pending(now, user_id, username, address, **e) for e in entries]
    PendingAuditEntry.objects.bulk_create(rows, batch_size=1000)
    _link_after_commit()
    return len(rows)


def link_pending(*, waiting: bool = False) -> int:
    """Move the committed waiting events, in id order, to the end of the chain; return how many were linked.

    1. Nothing waits (the usual case for a reader): one query, no lock. Skipped the first time when the caller
       knows events wait (`waiting`: right after the commit of a transaction that wrote some).
    2. Try the chainer's lock; if another chainer holds it, stop — it looks again after its commit, and our
       events were committed before we tried, so it sees them.
    3. Under the lock: take a batch of waiting events off the waiting room (`_take_batch`), chain them after the
       last entry; commit (the lock goes with it) and look again, until nothing waits.
    Called inside someone else's transaction (a read of the trail in a request), the lock stays held to that
    commit, so the linking is asked again after it.
    """
    linked = 0
    nested = connection.in_atomic_block
    if connection.vendor == "postgresql" and not nested:
        return _link_in_two_trips(waiting)
    while waiting or _any_waiting():
        waiting = False
        with transaction.atomic():
            if not _try_lock():
                return linked
            if nested:
                _link_after_commit(waiting=False)
            rows, last = _take_batch()
            if not rows:
                return linked
            _insert_entries(_chained(rows, last))
            linked += len(rows)
    return linked


# On PostgreSQL the chainer's statements and the events' INSERT are written as SQL, not built by the ORM: they run
# after every write, and building them costs more CPU than the database takes to run them (issue 19).
_COLUMNS = ", ".join(FIELDS)
_INSERT_PENDING = f"INSERT INTO audit_pendingauditentry ({_COLUMNS}) VALUES ({', '.join(['%s'] * len(FIELDS))}) RETURNING id"
_ENTRY_COLUMNS = ("id", *FIELDS, "prev_hash", "hash")
_INSERT_ENTRY = f"INSERT INTO audit_auditentry ({', '.join(_ENTRY_COLUMNS)}) VALUES "
_ANY_WAITING = "SELECT 1 FROM audit_pendingauditentry LIMIT 1"
# The batch taken off the waiting room and returned, with the chain's last entry, in one statement.
_TAKE = f"""DELETE FROM audit_pendingauditentry
    WHERE id IN (SELECT id FROM audit_pendingauditentry ORDER BY id LIMIT %s)
    RETURNING id, {_COLUMNS}, (SELECT id FROM audit_auditentry ORDER BY id DESC LIMIT 1) AS last_id,
        (SELECT hash FROM audit_auditentry ORDER BY id DESC LIMIT 1) AS last_hash"""
_JSON = {FIELDS.index("before"), FIELDS.index("after")}


# The chainer's transaction on PostgreSQL in two round trips instead of six (issue 19: each costs the process
# ~0.3 ms of CPU, more than the statement costs the database): the lock, taken or not (and under it the counted
# tables' pending rows folded, as in `_TRY_LOCK`), is noted in a setting of the transaction, which the DELETE that takes the batch off then reads (a statement of its own, so its snapshot is
# taken after the lock); the chain's INSERT, the COMMIT and the look for more go together.
_LOCKED = "dondoc.chain_locked"
_BEGIN_TAKE = (
    f"BEGIN; SELECT set_config('{_LOCKED}', got::text, true), CASE WHEN got THEN counted_fold() END "
    f"FROM {_LOCK_TRIED}; "
    + _TAKE.replace("WHERE id IN", f"WHERE current_setting('{_LOCKED}') = 'true' AND id IN")
)
_COMMIT_LOOK = f"COMMIT; {_ANY_WAITING}"


def _link_in_two_trips(waiting: bool) -> int:
    """`link_pending` outside any transaction on PostgreSQL: per batch, (BEGIN, lock, take the batch) then (INSERT
    the chain's entries, COMMIT, anything more waiting?), each sent as one string of statements (psycopg's
    client-side binding: the simple query protocol)."""
    linked = 0
    if not waiting and not _any_waiting():
        return linked
    with connection.cursor() as cursor:
        while True:
            try:
                cursor.execute(_BEGIN_TAKE, [ADVISORY_LOCK_KEY, LINK_BATCH])
                cursor.nextset()  # the lock
                locked = cursor.fetchone()[0] == "true"
                cursor.nextset()  # the batch taken off
                rows, last = _taken(cursor.fetchall())
                if not locked or not rows:
                    cursor.execute("COMMIT")
                    return linked
                entries = _chained(rows, last)
                sql, params = _insert_entries_sql(entries)
                cursor.execute(f"{sql}; {_COMMIT_LOOK}", params)
                cursor.nextset()  # COMMIT
                cursor.nextset()  # the look
                more = cursor.fetchone() is not None
            except BaseException:
                cursor.execute("ROLLBACK")  # nothing taken off, nothing chained
                raise
            linked += len(rows)
            if not more:
                return linked


def _chained(rows: list[dict[str, Any]], last: tuple[int, str] | None) -> list[AuditEntry]:
    """The waiting events `rows`, in order, as the chain's next entries after `last` (id, hash; None: empty)."""
    last_id, prev_hash = last if last else (0, GENESIS)
    entries = []
    for row in rows:
        last_id += 1
        entry = AuditEntry(id=last_id, prev_hash=prev_hash, **row)
        entry.hash = prev_hash = entry.compute_hash()
        entries.append(entry)
    return entries


def _json_param(value: Any) -> Any:
    """A JSON column's parameter as the ORM passes it (`JSONField`: None is SQL NULL)."""
    return None if value is None else connection.ops.adapt_json_value(value, None)


def _insert_pending(row: PendingAuditEntry) -> None:
    if connection.vendor != "postgresql":
        row.save(force_insert=True)
        return
    values = [getattr(row, f) for f in FIELDS]
    for i in _JSON:
        values[i] = _json_param(values[i])
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_PENDING, values)
        row.pk = cursor.fetchone()[0]
    row._state.adding = False


def _any_waiting() -> bool:
    if connection.vendor != "postgresql":
        return PendingAuditEntry.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute(_ANY_WAITING)
        return cursor.fetchone() is not None


def _insert_entries(entries: list[AuditEntry]) -> None:
    if connection.vendor != "postgresql":
        AuditEntry.plain.bulk_create(entries)
        return
    with connection.cursor() as cursor:
        cursor.execute(*_insert_entries_sql(entries))


def _insert_entries_sql(entries: list[AuditEntry]) -> tuple[str, list[Any]]:
    """The INSERT of the chain's `entries` (PostgreSQL) and its parameters."""
    values: list[Any] = []
    for entry in entries:
        row = [getattr(entry, f) for f in _ENTRY_COLUMNS]
        row[1 + FIELDS.index("before")] = _json_param(entry.before)
        row[1 + FIELDS.index("after")] = _json_param(entry.after)
        values += row
    one = f"({', '.join(['%s'] * len(_ENTRY_COLUMNS))})"
    return _INSERT_ENTRY + ", ".join([one] * len(entries)), values


def _take_batch() -> tuple[list[dict[str, Any]], tuple[int, str] | None]:
    """Under the chainer's lock: the next batch of waiting events in id order (their fields by name), removed from
    the waiting room (their chain entries are written in the same transaction), and the chain's last (id, hash),
    None when empty. On PostgreSQL one statement (`DELETE … RETURNING`, the last entry read after the lock was
    taken); elsewhere two reads and a delete."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_TAKE, [LINK_BATCH])
            return _taken(cursor.fetchall())
    pending = list(PendingAuditEntry.objects.order_by("id")[:LINK_BATCH])
    if not pending:
        return [], None
    last = AuditEntry.plain.order_by("-id").values_list("id", "hash").first()
    PendingAuditEntry.objects.filter(id__in=[row.id for row in pending]).delete()
    return [{f: getattr(row, f) for f in FIELDS} for row in pending], last


def _taken(found: list[Any]) -> tuple[list[dict[str, Any]], tuple[int, str] | None]:
    """The rows `_TAKE` returned as `_take_batch` answers them: in id order, by field, and the chain's last entry."""
    taken = sorted(found)
    rows = []
    for _id, *values, _last_id, _last_hash in taken:
        for i in _JSON:  # jsonb reads back as text (Django's loader); the ORM's JSONField would parse it
            values[i] = None if values[i] is None else json.loads(values[i])
        rows.append(dict(zip(FIELDS, values, strict=True)))
    last = (taken[0][-2], taken[0][-1]) if taken else None
    return rows, last if last and last[0] is not None else None


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


def head_once_linked(chunk: int = LINK_BATCH) -> tuple[tuple[int, str], int]:
    """((id, hash) the chain will end with once the events waiting now are linked, how many wait), read in the
    caller's transaction without linking anything — the backup's anchor, read in the dump's own snapshot: the
    events the dump holds still waiting are linked, in id order, by the restored site's first linking
    (`link_pending`, batch after batch, gives the same chain as one pass)."""
    last = AuditEntry.plain.order_by("-id").values_list("id", "hash").first()
    current = (last[0], last[1]) if last else (0, GENESIS)
    waiting = 0
    rows: list[dict[str, Any]] = []
    for row in PendingAuditEntry.objects.order_by("id").values(*FIELDS).iterator(chunk_size=chunk):
        rows.append(row)
        if len(rows) == chunk:
            current, waiting, rows = _chain_end(rows, current), waiting + len(rows), []
    if rows:
        current, waiting = _chain_end(rows, current), waiting + len(rows)
    return current, waiting


def _chain_end(rows: list[dict[str, Any]], last: tuple[int, str]) -> tuple[int, str]:
    entry = _chained(rows, last)[-1]
    return entry.pk, entry.hash
