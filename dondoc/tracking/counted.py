"""The counted buckets (`BucketCount`): the triggers that keep them exact, a full recount, and the rows a counter
reads.

Why: at 10^6 tasks the City Office's task list and the leaders' summary counted every task into its timeliness
bucket on every request (`queries.bucket_counts`: 2–2.5 s). The buckets of a task follow from a few columns, so
the tasks sharing those columns are counted once, and a counter sums a few thousand rows.

A task's row (`KEY`): its lead unit, its secrecy, and its bucket's columns collapsed to what decides its bucket on
any date — an open task (`timeliness.open_q`) as state ``assigned`` with its deadline (overdue, due soon, within
the deadline or without one: decided when read, from the reference date, so the counts stay right as days pass);
a result completed after its deadline as written keeps the deadline and the completion date (late or on time is
decided when read, by the effective deadline: a calendar change needs no recount); any other result is on time on
every date (its state; a result awaiting confirmation keeps its document's date, which marks it as a result); a
draft or a cancelled task is its state. `timeliness.bucket_filter` selects a bucket's rows as it selects the
tasks, so a counter is `Sum("n")` under the same filter as `Count` over the tasks.

Triggers run on every write to `tracking_task` that changes a key column, so every writer (the actions, the admin,
imports, COPY, raw SQL) keeps the counts exact. SQLite has one writer at a time: a row trigger. PostgreSQL, no
global lock: a statement trigger adds up the statement's changes per key (+1 new, −1 old; an update that leaves
every key column as it was touches no count row) and applies them in one `INSERT … ON CONFLICT`, in key order, so
two writers take the count rows they share in the same order and never deadlock; writers under different keys
never wait for each other.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from functools import cache
from typing import Any

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Sum

from dondoc.core import counted_sql
from dondoc.tracking import timeliness as tl

TABLE = "tracking_bucketcount"
COLUMNS = ("lead_unit_id", "secret", "state", "due_date", "completed_on")
# Columns of tracking_task that decide a task's row (an update of any other column changes no count).
TASK_COLUMNS = COLUMNS  # the same names on the task
NO_DATE = "'0001-01-01'"  # a missing date in the unique key (NULLs are distinct in a unique index)


_result = tl.has_result_sql


def _open(r: str) -> str:
    """`timeliness.open_q`."""
    return (
        f"({r}.state IN ('assigned', 'in_progress') OR ({r}.state = 'result_submitted' "
        f"AND {r}.completed_on IS NULL))"
    )


def _late_as_written(r: str) -> str:
    return f"({_result(r)} AND {r}.due_date IS NOT NULL AND {r}.completed_on > {r}.due_date)"


def key(r: str) -> list[str]:
    """The row of task `r` (SQL expressions, in `COLUMNS` order)."""
    return [
        f"{r}.lead_unit_id",
        f"{r}.secret",
        f"(CASE WHEN {_open(r)} THEN 'assigned' ELSE {r}.state END)",
        f"(CASE WHEN {_open(r)} OR {_late_as_written(r)} THEN {r}.due_date END)",
        f"(CASE WHEN {_late_as_written(r)} OR ({r}.state = 'result_submitted' AND {_result(r)}) "
        f"THEN {r}.completed_on END)",
    ]


def _key(prefix: str, date_type: str) -> list[str]:
    """The unique key's expressions over columns named with `prefix` ("" for the conflict target of the upserts)."""
    return [
        f"{prefix}lead_unit_id",
        f"{prefix}secret",
        f"{prefix}state",
        f"COALESCE({prefix}due_date, {NO_DATE}{date_type})",
        f"COALESCE({prefix}completed_on, {NO_DATE}{date_type})",
    ]


def _target(date_type: str) -> str:
    return ", ".join(_key("", date_type))


def _date_type(vendor: str) -> str:
    return "::date" if vendor == "postgresql" else ""


def _index(vendor: str) -> str:
    return f"CREATE UNIQUE INDEX IF NOT EXISTS bucketcount_key ON {TABLE} ({_target(_date_type(vendor))})"


# ------------------------------------------------------------------------------------------------ triggers


def _sqlite() -> list[str]:
    cols = ", ".join(COLUMNS)
    inc = f"INSERT INTO {TABLE} ({cols}, n) VALUES ({', '.join(key('NEW'))}, 1) ON CONFLICT ({_target('')}) DO UPDATE SET n = n + 1;"
    match = " AND ".join(f"{c} IS {v}" for c, v in zip(COLUMNS, key("OLD"), strict=True))
    dec = f"UPDATE {TABLE} SET n = n - 1 WHERE {match} AND n > 0;"
    return [
        f"CREATE TRIGGER bucket_counts_ins AFTER INSERT ON tracking_task BEGIN {inc} END",
        f"CREATE TRIGGER bucket_counts_del AFTER DELETE ON tracking_task BEGIN {dec} END",
        f"CREATE TRIGGER bucket_counts_upd AFTER UPDATE OF {', '.join(TASK_COLUMNS)} ON tracking_task "
        f"BEGIN {dec} {inc} END",
    ]


SQLITE_DROP = [f"DROP TRIGGER IF EXISTS bucket_counts_{op}" for op in ("ins", "del", "upd")]


def _deltas(r: str, rows: str, sign: int, where: str = "true") -> str:
    cols = ", ".join(f"{v} AS {c}" for c, v in zip(COLUMNS, key(r), strict=True))
    return f"SELECT {cols}, {sign} AS k FROM {rows} {r} WHERE {where}"


def _postgres() -> list[str]:
    changes = counted_sql.signed_changes(_deltas, TASK_COLUMNS)
    statements = {
        op: [counted_sql.upsert_sum(TABLE, COLUMNS, lambda a: _key(a, "::date"), changes[op])]
        for op in counted_sql.OPS
    }
    return counted_sql.statement_triggers("bucket_counts", "tracking_task", TASK_COLUMNS, statements)


POSTGRES_DROP = counted_sql.statement_drops("bucket_counts", "tracking_task")


def install(conn: BaseDatabaseWrapper | None = None) -> None:
    """Create the unique key and the triggers (migration tracking 0011)."""
    conn = conn or connection
    with conn.cursor() as cur:
        cur.execute(_index(conn.vendor))
        for sql in _postgres() if conn.vendor == "postgresql" else _sqlite():
            cur.execute(sql)


def uninstall(conn: BaseDatabaseWrapper | None = None) -> None:
    conn = conn or connection
    with conn.cursor() as cur:
        for sql in POSTGRES_DROP if conn.vendor == "postgresql" else SQLITE_DROP:
            cur.execute(sql)


def rebuild(conn: BaseDatabaseWrapper | None = None) -> int:
    """Count every task again from scratch (the migration's first fill; a repair after writes with the triggers
    off); returns the number of count rows. Writers wait meanwhile."""
    conn = conn or connection
    cols = ", ".join(f"{v} AS {c}" for c, v in zip(COLUMNS, key("t"), strict=True))
    groups = ", ".join(str(i) for i in range(1, len(COLUMNS) + 1))
    with transaction.atomic(using=conn.alias), conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute("LOCK TABLE tracking_task IN SHARE MODE")
        cur.execute(f"DELETE FROM {TABLE}")
        cur.execute(
            f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}, n) SELECT {cols}, COUNT(*) FROM tracking_task t "
            f"GROUP BY {groups}"
        )
        cur.execute(f"SELECT COUNT(*) FROM {TABLE}")
        return int(cur.fetchone()[0])


# ------------------------------------------------------------------------------------------------ reads

# The list filters the counted rows answer (any other narrows the tasks by a column the rows do not keep).
COUNTED_FILTERS = ("unit", "bucket")


def rows_answering(data: dict[str, Any] | None) -> Any:
    """The counted rows of every task narrowed by the list's filters `data` (cleaned; the bucket is applied by
    the caller), or None when a filter narrows by a column the rows do not keep (words, authority, kind,
    deadlines, a directive, a parent task, the evaluation's measures)."""
    from dondoc.tracking.models import BucketCount

    data = data or {}
    if any(value for name, value in data.items() if name not in COUNTED_FILTERS):
        return None
    rows = BucketCount.objects.all()
    if data.get("unit"):
        rows = rows.filter(lead_unit=data["unit"])
    return rows


def rows_for(user: Any, data: dict[str, Any] | None = None) -> Any:
    """The counted rows of the first of the parts of what `user` sees (`TaskQuerySet.visible_parts`: every task
    for those who see every unit, the tasks a unit leads for its people — the tasks it coordinates are counted
    from the tasks), narrowed by `data` (`rows_answering`); None when they cannot answer."""
    from dondoc.org.access import person_of

    person = person_of(user)
    rows = rows_answering(data)
    if person is None or rows is None:
        return None
    if not person.sees_everything:
        rows = rows.filter(lead_unit_id=person.unit_id)
    return rows if person.cleared_for_secrets else rows.filter(secret=False)


def bucket_counts(rows: Any, ref: date, soon: date) -> tuple[dict[str, int], int]:
    """How many tasks of the counted `rows` fall in each bucket on `ref` (as `queries.bucket_counts` counts the
    tasks), and how many of them are open (state assigned, in progress or result submitted). The rows are summed
    by their bucket's columns in the database (a few thousand keys for the whole city) and each key is put in its
    bucket by `timeliness.bucket`, the rule itself (its SQL twin would look up the effective deadline of every
    late row's deadline: seconds at 10^6 tasks), the effective deadline looked up once per date."""
    rule = tl.current_rule()
    effective = cache(rule.effective)
    as_written = tl.DeadlineRule(roll=False)  # the deadline passed is already the effective one
    whole = {part: bucket for bucket, part in tl.PARTS.items()}
    counts: Counter[str] = Counter(dict.fromkeys(tl.BUCKETS, 0))
    open_n = 0
    keys = rows.order_by().values_list("state", "due_date", "completed_on").annotate(total=Sum("n"))
    for state, due, done, n in keys:
        name = tl.bucket(state, effective(due), done, ref, soon, as_written)
        counts[name] += n
        if name in whole:  # due soon is a part of within the deadline, counted in both
            counts[whole[name]] += n
        if state in tl.OPEN_STATES:
            open_n += n
    return dict(counts), open_n
