"""The counted buckets (`BucketCount`, `CityBucketCount`): the triggers that keep them exact, a full recount, and the rows a counter
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

Two levels (`LEVELS`): the units' rows (`BucketCount`, ~130k at 10^6 tasks: a unit's counters, the overdue tasks
per unit) and the city's (`CityBucketCount`, the same without the unit and with every task's deadline kept, ~9k
rows: the counters of a reader who sees every unit — the City Office's task list, the leaders' summary). A third
(`CoordinatedBucketCount`, tracking 0020): a task's row without its lead unit, once per unit coordinating it — a unit's
people see the tasks it leads and those it coordinates (~7,000 a unit at 10^6 tasks, 7,143 probes of the task table
when counted from the tasks, ~1,000 rows here); the tasks' triggers keep it through the task's coordinations, and
triggers on `tracking_coordination` keep it when a coordination is added, moved or removed (each over the other
table's current rows, so a task deleted with its coordinations is uncounted once, whichever goes first).

Triggers run on every write to `tracking_task` that changes a key column, so every writer (the actions, the admin,
imports, COPY, raw SQL) keeps the counts exact. SQLite has one writer at a time: a row trigger upserting the key's
row. PostgreSQL, no lock between writers at all: a statement trigger adds up the statement's changes per key (+1
new, −1 old; an update that leaves every key column as it was writes nothing) and appends them as pending rows
(`core.counted_sql.insert_pending`: the unique key ends with `pending`, so two writers of the same key — Q4's
creates for one unit and one deadline — never wait for each other's commit), which the audit chainer folds into
the key's row after the commit (`counted_fold()`). A key counts the sum of its rows: every reader sums `n`
(`bucket_counts`, `queries._listed_total`, the urging page's overdue units) and none reads one row's `n`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import IntegerField, Value

from dondoc.core import counted_sql
from dondoc.tracking import timeliness as tl

TABLE = "tracking_bucketcount"
COLUMNS = ("lead_unit_id", "secret", "state", "due_date", "completed_on")
CITY_TABLE = "tracking_citybucketcount"  # the same without the lead unit (`CityBucketCount`)
CITY_COLUMNS = COLUMNS[1:]
# The tasks a unit coordinates (`CoordinatedBucketCount`): the coordinating unit and the task's row without its lead
# unit; `COORDINATION` is the coordination's alias beside its task's in the triggers' and the recount's statements.
COORDINATED_TABLE = "tracking_coordinatedbucketcount"
COORDINATED_COLUMNS = ("unit_id", *COLUMNS[1:])
COORDINATION = "cu"
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


def city_key(r: str) -> list[str]:
    """The city's row of task `r` (`CITY_COLUMNS` order): its row without the lead unit, the deadline always kept
    (`CityBucketCount`: writers of different deadlines take different rows)."""
    _unit, secret, state, _due, done = key(r)
    return [secret, state, f"{r}.due_date", done]


def coordinated_key(r: str, c: str = COORDINATION) -> list[str]:
    """The row of task `r` as coordination `c` counts it (`COORDINATED_COLUMNS` order): the coordinating unit and
    the task's row without its lead unit (a coordinating unit is never the lead unit: tracking 0002)."""
    return [f"{c}.unit_id", *key(r)[1:]]


def _task_coordinations(r: str) -> str:
    """The coordinations of task `r` beside it (the coordinated level's rows are one per coordination)."""
    return f"JOIN tracking_coordination {COORDINATION} ON {COORDINATION}.task_id = {r}.id"


def _key(prefix: str, date_type: str, columns: tuple[str, ...] = COLUMNS) -> list[str]:
    """The unique key's expressions over columns named with `prefix` ("" for the conflict target of the upserts)."""
    dates = ("due_date", "completed_on")
    return [f"COALESCE({prefix}{c}, {NO_DATE}{date_type})" if c in dates else f"{prefix}{c}" for c in columns]


def _target(date_type: str, columns: tuple[str, ...] = COLUMNS) -> str:
    return ", ".join(_key("", date_type, columns))


def _date_type(vendor: str) -> str:
    return "::date" if vendor == "postgresql" else ""


def _indexes(vendor: str, levels: tuple[Level, ...], pending: bool) -> list[str]:
    """The unique keys (with `pending` from tracking 0017 on: a pending row never meets another's), and on
    PostgreSQL the folder's index of the pending rows."""
    out = []
    for name, table, columns, _ in levels:
        target = _target(_date_type(vendor), columns) + (", pending" if pending else "")
        out.append(f"CREATE UNIQUE INDEX IF NOT EXISTS {name}_key ON {table} ({target})")
        if pending and vendor == "postgresql":
            out.append(counted_sql.pending_index(name, table))
    return out


# The levels of counts: (name of the unique key, table, columns, the row of a task). The units' first: the
# triggers apply their changes in this order. The coordinated level's rows are one per coordination of a task
# (`JOINS`: its coordinations joined to the task), and the coordinations' own triggers keep it too.
Level = tuple[str, str, tuple[str, ...], Callable[[str], list[str]]]
LEVELS: tuple[Level, ...] = (
    ("bucketcount", TABLE, COLUMNS, key),
    ("citybucketcount", CITY_TABLE, CITY_COLUMNS, city_key),
    ("coordinatedbucketcount", COORDINATED_TABLE, COORDINATED_COLUMNS, coordinated_key),
)
UNITS_ONLY = LEVELS[:1]  # migrations 0011 and 0013, before the city's table
UNITS_AND_CITY = LEVELS[:2]  # migrations 0015 to 0019, before the coordinated rows (tracking 0020)
JOINS: dict[str, Callable[[str], str]] = {COORDINATED_TABLE: _task_coordinations}


def _joined(table: str, r: str) -> str:
    return JOINS[table](r) if table in JOINS else ""


# ------------------------------------------------------------------------------------------------ triggers


def _sqlite(levels: tuple[Level, ...], pending: bool) -> list[str]:
    """Row triggers upserting the folded rows (one writer at a time: no pending row)."""
    inc = dec = ""
    for _name, table, columns, row in levels:
        cols = ", ".join(columns)
        conflict = (
            f"ON CONFLICT ({_target('', columns)}{', pending' if pending else ''}) DO UPDATE SET n = n + 1;"
        )
        if table == COORDINATED_TABLE:  # a row per coordination of the task
            inc += (
                f"INSERT INTO {table} ({cols}, n) SELECT {', '.join(row('NEW'))}, 1 FROM tracking_coordination "
                f"{COORDINATION} WHERE {COORDINATION}.task_id = NEW.id {conflict}"
            )
            match = " AND ".join(f"{c} IS {v}" for c, v in zip(columns[1:], row("OLD")[1:], strict=True))
            dec += (
                f"UPDATE {table} SET n = n - 1 WHERE unit_id IN (SELECT unit_id FROM tracking_coordination "
                f"WHERE task_id = OLD.id) AND {match} AND n > 0;"
            )
            continue
        inc += f"INSERT INTO {table} ({cols}, n) VALUES ({', '.join(row('NEW'))}, 1) {conflict}"
        match = " AND ".join(f"{c} IS {v}" for c, v in zip(columns, row("OLD"), strict=True))
        dec += f"UPDATE {table} SET n = n - 1 WHERE {match} AND n > 0;"
    out = [
        f"CREATE TRIGGER bucket_counts_ins AFTER INSERT ON tracking_task BEGIN {inc} END",
        f"CREATE TRIGGER bucket_counts_del AFTER DELETE ON tracking_task BEGIN {dec} END",
        f"CREATE TRIGGER bucket_counts_upd AFTER UPDATE OF {', '.join(TASK_COLUMNS)} ON tracking_task "
        f"BEGIN {dec} {inc} END",
    ]
    if any(table == COORDINATED_TABLE for _n, table, _c, _r in levels):
        out += _sqlite_coordinations()
    return out


# Columns of tracking_coordination that decide its counted row (its unit, its task).
COORDINATION_COLUMNS = ("task_id", "unit_id")


def _sqlite_coordinations() -> list[str]:
    """Row triggers on the coordinations: a coordination added counts its task for its unit, one removed uncounts
    it, one moved (another task or unit) both (`coordinated_key` over the task's current row)."""
    table, columns = COORDINATED_TABLE, COORDINATED_COLUMNS
    cols = ", ".join(columns)
    inc = (
        f"INSERT INTO {table} ({cols}, n) SELECT {', '.join(coordinated_key('t', 'NEW'))}, 1 FROM tracking_task t "
        f"WHERE t.id = NEW.task_id ON CONFLICT ({_target('', columns)}, pending) DO UPDATE SET n = n + 1;"
    )
    match = " AND ".join(
        f"{table}.{c} IS {v}" for c, v in zip(columns, coordinated_key("t", "OLD"), strict=True)
    )
    dec = (
        f"UPDATE {table} SET n = n - 1 WHERE n > 0 AND EXISTS (SELECT 1 FROM tracking_task t "
        f"WHERE t.id = OLD.task_id AND {match});"
    )
    return [
        f"CREATE TRIGGER coordinated_counts_ins AFTER INSERT ON tracking_coordination BEGIN {inc} END",
        f"CREATE TRIGGER coordinated_counts_del AFTER DELETE ON tracking_coordination BEGIN {dec} END",
        f"CREATE TRIGGER coordinated_counts_upd AFTER UPDATE OF {', '.join(COORDINATION_COLUMNS)} "
        f"ON tracking_coordination BEGIN {dec} {inc} END",
    ]


SQLITE_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS {prefix}_{op}"
        for prefix in ("bucket_counts", "coordinated_counts")
        for op in ("ins", "del", "upd")
    )
]


def _deltas(columns: tuple[str, ...], row: Any, join: Callable[[str], str] = lambda r: "") -> Any:
    """`counted_sql.signed_changes`' deltas of one level: the rows of `columns` (`row(alias)`, their values), of
    the changed rows `join`ed to what gives a level its rows (the coordinated level: the tasks' coordinations)."""

    def deltas(r: str, rows: str, sign: int, where: str = "true") -> str:
        cols = ", ".join(f"{v} AS {c}" for c, v in zip(columns, row(r), strict=True))
        return f"SELECT {cols}, {sign} AS k FROM {rows} {r} {join(r)} WHERE {where}"

    return deltas


def _postgres(levels: tuple[Level, ...], pending: bool) -> list[str]:
    """Statement triggers appending pending rows (`core.counted_sql.insert_pending`; before tracking 0017, the
    row upserts), and the fold of both levels."""
    statements: dict[str, list[str]] = {op: [] for op in counted_sql.OPS}
    folds = []
    write = counted_sql.insert_pending if pending else counted_sql.upsert_sum
    for _name, table, columns, row in levels:  # the units' rows, then the city's: every writer in this order
        changes = counted_sql.signed_changes(_deltas(columns, row, partial(_joined, table)), TASK_COLUMNS)
        target = partial(_key, date_type="::date", columns=columns)
        for op in counted_sql.OPS:
            statements[op].append(write(table, columns, target, changes[op]))
        folds.append(counted_sql.fold(table, columns, target))
    out = counted_sql.statement_triggers("bucket_counts", "tracking_task", TASK_COLUMNS, statements)
    if any(table == COORDINATED_TABLE for _n, table, _c, _r in levels):
        out += _postgres_coordinations()
    return out + (counted_sql.fold_function("bucket_counts", folds) if pending else [])


def _postgres_coordinations() -> list[str]:
    """Statement triggers on the coordinations appending pending rows of the coordinated level: +1 for a
    coordination added, -1 for one removed, both for one moved, each over its task's current row."""
    columns = COORDINATED_COLUMNS

    def deltas(r: str, rows: str, sign: int, where: str = "true") -> str:
        cols = ", ".join(f"{v} AS {c}" for c, v in zip(columns, coordinated_key("t", r), strict=True))
        return f"SELECT {cols}, {sign} AS k FROM {rows} {r} JOIN tracking_task t ON t.id = {r}.task_id WHERE {where}"

    changes = counted_sql.signed_changes(deltas, COORDINATION_COLUMNS)
    target = partial(_key, date_type="::date", columns=columns)
    statements = {
        op: [counted_sql.insert_pending(COORDINATED_TABLE, columns, target, changes[op])]
        for op in counted_sql.OPS
    }
    return counted_sql.statement_triggers(
        "coordinated_counts", "tracking_coordination", COORDINATION_COLUMNS, statements
    )


POSTGRES_DROP = [
    *counted_sql.statement_drops("bucket_counts", "tracking_task"),
    *counted_sql.statement_drops("coordinated_counts", "tracking_coordination"),
    *counted_sql.fold_drops("bucket_counts"),
]


def install(conn: BaseDatabaseWrapper | None = None, levels: tuple[Level, ...] = ()) -> None:
    """Create the unique keys and the triggers of `levels` (default: all three; migration tracking 0011 the units'
    only, 0015 to 0018 the units' and the city's)."""
    conn = conn or connection
    levels = levels or LEVELS
    pending = counted_sql.has_pending(conn, TABLE)
    with conn.cursor() as cur:
        for sql in _indexes(conn.vendor, levels, pending):
            cur.execute(sql)
        for sql in _postgres(levels, pending) if conn.vendor == "postgresql" else _sqlite(levels, pending):
            cur.execute(sql)


def uninstall(conn: BaseDatabaseWrapper | None = None) -> None:
    conn = conn or connection
    with conn.cursor() as cur:
        for sql in POSTGRES_DROP if conn.vendor == "postgresql" else SQLITE_DROP:
            cur.execute(sql)


def rebuild(conn: BaseDatabaseWrapper | None = None, levels: tuple[Level, ...] = ()) -> int:
    """Count every task again from scratch into the tables of `levels` (default: all three) — the migrations' first
    fill; a repair after writes with the triggers off; returns the number of the units' count rows. Writers wait
    meanwhile."""
    conn = conn or connection
    levels = levels or LEVELS
    with transaction.atomic(using=conn.alias), conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute("LOCK TABLE tracking_task, tracking_coordination IN SHARE MODE")
        for _name, table, columns, row in levels:
            cols = ", ".join(f"{v} AS {c}" for c, v in zip(columns, row("t"), strict=True))
            groups = ", ".join(str(i) for i in range(1, len(columns) + 1))
            cur.execute(f"DELETE FROM {table}")
            cur.execute(
                f"INSERT INTO {table} ({', '.join(columns)}, n) SELECT {cols}, COUNT(*) FROM tracking_task t "
                f"{_joined(table, 't')} GROUP BY {groups} ORDER BY {groups}"  # a unit's rows side by side
            )
        cur.execute(f"SELECT COUNT(*) FROM {TABLE}")
        return int(cur.fetchone()[0])


# ------------------------------------------------------------------------------------------------ reads

# The list filters the counted rows answer (any other narrows the tasks by a column the rows do not keep).
COUNTED_FILTERS = ("unit", "bucket")


def rows_answering(data: dict[str, Any] | None, *, city: bool = False) -> Any:
    """The counted rows of every task narrowed by the list's filters `data` (cleaned; the bucket is applied by
    the caller), or None when a filter narrows by a column the rows do not keep (words, authority, kind,
    deadlines, a directive, a parent task, the evaluation's measures). With `city` and no unit asked, the city's
    rows (`CityBucketCount`: ~9k rows where the units' are ~130k at 10^6 tasks), for a caller that only counts
    (never groups by unit)."""
    from dondoc.tracking.models import BucketCount, CityBucketCount

    data = data or {}
    if any(value for name, value in data.items() if name not in COUNTED_FILTERS):
        return None
    if data.get("unit"):
        return BucketCount.objects.filter(lead_unit=data["unit"])
    return CityBucketCount.objects.all() if city else BucketCount.objects.all()


def rows_for(user: Any, data: dict[str, Any] | None = None, *, city: bool = False) -> Any:
    """The counted rows of the first of the parts of what `user` sees (`TaskQuerySet.visible_parts`: every task
    for those who see every unit, the tasks a unit leads for its people — the tasks it coordinates are the second
    part, `rows_of_parts`), narrowed by `data` (`rows_answering`; `city`: the city's rows when they answer, for a
    caller that only counts); None when they cannot answer."""
    from dondoc.org.access import person_of

    person = person_of(user)
    if person is None:
        return None
    if not person.sees_everything:
        rows = rows_answering(data)
        rows = rows if rows is None else rows.filter(lead_unit_id=person.unit_id)
    else:
        rows = rows_answering(data, city=city)
    if rows is None:
        return None
    return rows if person.cleared_for_secrets else rows.filter(secret=False)


def rows_of_parts(user: Any, data: dict[str, Any] | None = None, *, city: bool = False) -> list[Any]:
    """The counted rows of each of the parts of what `user` sees, in the order of `TaskQuerySet.visible_parts`
    (every task, or a unit's own tasks and those it coordinates), narrowed by `data`; None for a part they cannot
    answer. The first part's are `rows_for`'s; the coordinated part's are the unit's `CoordinatedBucketCount` rows
    when `data` asks a bucket at most (the rows do not keep the lead unit: a unit asked is counted from the
    tasks)."""
    from dondoc.org.access import person_of
    from dondoc.tracking.models import CoordinatedBucketCount

    first = rows_for(user, data, city=city)
    person = person_of(user)
    if person is None or person.sees_everything:
        return [first]
    if any(value for name, value in (data or {}).items() if name != "bucket"):
        return [first, None]
    coordinated = CoordinatedBucketCount.objects.filter(unit_id=person.unit_id)
    return [first, coordinated if person.cleared_for_secrets else coordinated.filter(secret=False)]


ROW_COLUMNS = ("state", "due_date", "completed_on", "n")  # what `bucket_counts` reads of each row

# `bucket_counts`' numbers: (bucket, whether the row is open: assigned, in progress or result submitted).
_CODES = {
    0: (tl.DRAFTED, False),
    1: (tl.WITHDRAWN, False),
    2: (tl.COMPLETED_LATE, False),
    3: (tl.COMPLETED_ON_TIME, False),
    4: (tl.COMPLETED_LATE, True),  # a result awaiting confirmation, with its document's date
    5: (tl.COMPLETED_ON_TIME, True),
    6: (tl.NO_DEADLINE, True),
    7: (tl.OVERDUE, True),
    8: (tl.DUE_SOON, True),
    9: (tl.IN_DEADLINE, True),
}


def bucket_counts(rows: Any, ref: date, soon: date) -> tuple[dict[str, int], int]:
    """How many tasks fall in each bucket on `ref`, and how many of them are open (state assigned, in progress or
    result submitted): the one count of the buckets that every page, export and API reads (`queries.bucket_counts`
    is its first value), whatever it counts. `rows` are counted rows (units' or city's, `rows_for`) or tasks
    (a `Task` queryset: each task a row of one), or the SQL and parameters of such rows' `ROW_COLUMNS` (a statement
    built once, `core.prepared`) — the same question gives the same numbers either way
    (tests/tracking/test_bucket_counts.py, test_list_fast_paths.py); rows that cannot match (`none()`: a person
    without a unit sees no task) give zeros.

    One statement: each row put in its bucket by one CASE in the order of `timeliness.bucket` (and of
    `bucket_expression`), the open rows' deadlines compared through `overdue_before` and `soon_until` as
    `bucket_filter` compares them, a result late when its completion date is after the effective deadline — looked
    up in the working-day table by one join of its days off, for the rows completed after the deadline as written
    only (a lookup per row instead: 6,762 of the city's 9,293 rows at 10^6, ~20 ms; the join ~3 ms, ~1.8 ms on the
    days off only) — and the rows summed per bucket: a few rows come back. Over tasks, a statement of three columns instead of seven conditional aggregates
    each with the effective deadline's subquery, which Django took ~7 ms of CPU to compile (issue 19)."""
    rule = tl.current_rule()
    adapt = connection.ops.adapt_datefield_value
    before, until = adapt(rule.overdue_before(ref)), adapt(rule.soon_until(soon))
    if isinstance(rows, tuple):  # the rows' statement, built once (`core.prepared.Prepared.sql_with_params`)
        rows_sql, params = rows
    else:
        from dondoc.tracking.models import CountedRow

        if not issubclass(rows.model, CountedRow):  # tasks: each a row of one
            rows = rows.annotate(n=Value(1, output_field=IntegerField()))
        try:
            rows_sql, params = rows.order_by().values(*ROW_COLUMNS).query.sql_with_params()
        except (
            EmptyResultSet
        ):  # rows that cannot match anything (`none()`: a person without a unit sees no task)
            return dict.fromkeys(tl.BUCKETS, 0), 0
    table = tl.effective_deadline_table(rule)
    if (
        table
    ):  # a deadline on a day off counts to the next working day (`timeliness.effective_deadline_expression`)
        effective = "COALESCE(w.next_working, c.due_date)"
        # only the days off can move a deadline (a working day's next working day is itself): the join's hash
        # holds those (~1,700 at 10^6) and not every day of the table (~5,500); the rows it leaves out are
        # compared with their deadline as written, which is the same day
        join = (
            f"LEFT JOIN {table} w ON w.day = c.due_date AND c.completed_on > c.due_date "
            "AND w.next_working > w.day"
        )
    else:
        effective, join = "c.due_date", ""
    # Each row's bucket and openness as one small number (`_CODES`), in `timeliness.bucket`'s order: grouping
    # by one integer instead of a text and a boolean (the city's ~9,300 rows at 10^6, with the join above: 2.8
    # → 1.8 ms of execution)
    late = f"c.completed_on > {effective}"
    sql = f"""SELECT CASE c.state
          WHEN '{tl.DRAFT}' THEN 0 WHEN '{tl.CANCELLED}' THEN 1
          WHEN '{tl.COMPLETED}' THEN CASE WHEN {late} THEN 2 ELSE 3 END
          ELSE CASE
            WHEN c.state = '{tl.RESULT_SUBMITTED}' AND c.completed_on IS NOT NULL THEN
              CASE WHEN {late} THEN 4 ELSE 5 END
            WHEN c.due_date IS NULL THEN 6
            WHEN c.due_date < %s THEN 7
            WHEN c.due_date <= %s THEN 8
            ELSE 9 END END,
        SUM(c.n)
        FROM ({rows_sql}) c {join} GROUP BY 1"""
    counts = dict.fromkeys(tl.BUCKETS, 0)
    whole = {part: bucket for bucket, part in tl.PARTS.items()}
    open_n = 0
    with connection.cursor() as cur:
        cur.execute(sql, [before, until, *params])
        for code, n in cur.fetchall():
            name, is_open = _CODES[code]
            counts[name] += n
            if name in whole:  # due soon is a part of within the deadline, counted in both
                counts[whole[name]] += n
            if is_open:
                open_n += n
    return counts, open_n
