"""Pre-counted tasks (`MonthCount` for the evaluation of a period, `TrendCount` for the 12-period trend): the
database triggers that keep them exact, a full recount, and the reads that `stats` answers from.

Why: at 10^6 tasks, counting a quarter from the tasks reads ~270,000 rows and joins each to its directive for the
authority (most of the time of a cold dashboard). The counts hold the same figures grouped by the keys the
evaluation breaks down by, so a period reads a few thousand rows.

What is counted, per task (a task is counted once in each table, under one key):
- a tracked task with a deadline (state assigned … completed): outcome 0 open, 1 completed on time, 2 completed
  late, 3 completed without a date (due only). A result awaiting confirmation counts by its document's date like
  a completed one (`timeliness.has_result`). On time/late here compare with the deadline as written; a late
  row keeps its deadline and completion date, so the reads judge it by the effective deadline (a deadline on a day
  off rolls to the next working day: `WorkdayOrdinal.next_working`) without a recount when the calendar changes;
- a tracked **open** task with no deadline: outcome 4, under its assignment's reporting month.
`day` is the deadline itself for open and late tasks (the split within/over the deadline on a reference date and
the working days need the day), the reporting month's first day (the 15th) otherwise; `done` is the completion
date of a late task (else = `day`). The working days late/overdue are computed when read, from `WorkdayOrdinal`,
so a calendar change needs no recount. `TrendCount` has the same keys without the unit and the completion date.

The figures equal the tasks' on a reference date after which nothing that counts happened (`stats.as_of`), read
by a user who sees every task, for periods made of whole reporting months (`stats._precounted`); `stats` counts
from the tasks otherwise.

Triggers (migration 0005) run on every write to `tracking_task` that changes a key column and on a change of a
directive's authority, so every writer — the actions, the admin, imports, bulk COPY, raw SQL — keeps the counts
exact. A decrement never creates a row, so removing tasks after the counts were emptied (a test database's flush)
leaves them empty. SQLite has one writer at a time (row triggers upserting the key's row). On PostgreSQL no lock
between writers: the triggers run once per statement (transition tables), add up the statement's changes per key
(+1 new, −1 old; a change that leaves a task under the same key adds nothing) and append them as pending rows
(`core.counted_sql.insert_pending`; the unique key ends with `pending`), folded into the key's row by the audit
chainer after the commit (`counted_fold()`). A key counts the sum of its rows: the reads in `stats` sum `n`
(a group of rows summing to 0 counts no task) and none reads one row's `n`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from dondoc.core import counted_sql
from dondoc.tracking import timeliness as tl

OPEN, ON_TIME, LATE, UNDATED, NO_DEADLINE = 0, 1, 2, 3, 4
TRACKED = "('assigned', 'in_progress', 'result_submitted', 'completed')"
OPEN_STATES = "('assigned', 'in_progress', 'result_submitted')"
# Columns of tracking_task that decide a task's keys (an update of any other column changes no count).
TASK_COLUMNS = (
    "due_date",
    "state",
    "completed_on",
    "assigned_on",
    "must_submit",
    "must_report",
    "secret",
    "deadline_changes",
    "directive_id",
    "lead_unit_id",
    "has_issued_children",
)


def month_start(d: date) -> date:
    """The first day (the 15th) of the reporting month containing d."""
    if d.day >= 15:
        return d.replace(day=15)
    return (d.replace(day=1) - timedelta(days=1)).replace(day=15)


def month_end(start: date) -> date:
    """The last day (the 14th) of the reporting month starting on `start`."""
    return month_start(start + timedelta(days=32)) - timedelta(days=1)


# ------------------------------------------------------------------------------------------ key expressions


def _month_sql(expr: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"(date_trunc('month', {expr} - 14) + interval '14 days')::date"
    return f"date({expr}, '-14 days', 'start of month', '+14 days')"


# A standing result judged by its document's date: completed, or submitted awaiting confirmation with its document
# date (`timeliness.has_result`).
_result = tl.has_result_sql


def _counted(r: str) -> str:
    """Tracked, and not split among units: a task with children is counted by them (`stats._tracked`)."""
    return (
        f"({r}.state IN {TRACKED} AND NOT {r}.has_issued_children AND ({r}.due_date IS NOT NULL "
        f"OR ({r}.state IN {OPEN_STATES} AND {r}.assigned_on IS NOT NULL AND NOT {_result(r)})))"
    )


def _outcome(r: str) -> str:
    return (
        f"(CASE WHEN {r}.due_date IS NULL THEN {NO_DEADLINE} WHEN {r}.state = 'completed' AND {r}.completed_on "
        f"IS NULL THEN {UNDATED} WHEN NOT {_result(r)} THEN {OPEN} "
        f"WHEN {r}.completed_on <= {r}.due_date THEN {ON_TIME} ELSE {LATE} END)"
    )


def _late(r: str) -> str:
    """Completed after the deadline as written (whether it is late by the effective deadline is read later)."""
    return f"({_result(r)} AND {r}.completed_on > {r}.due_date)"


def _day(r: str, vendor: str) -> str:
    """The deadline for open and late tasks, else the reporting month of the deadline (or of the assignment)."""
    return (
        f"(CASE WHEN {r}.due_date IS NULL THEN {_month_sql(f'{r}.assigned_on', vendor)} "
        f"WHEN NOT {_result(r)} OR {_late(r)} THEN {r}.due_date "
        f"ELSE {_month_sql(f'{r}.due_date', vendor)} END)"
    )


def _month(r: str, vendor: str) -> str:
    """TrendCount's day: the deadline for open tasks, else the reporting month."""
    return (
        f"(CASE WHEN {r}.due_date IS NULL THEN {_month_sql(f'{r}.assigned_on', vendor)} "
        f"WHEN NOT {_result(r)} THEN {r}.due_date ELSE {_month_sql(f'{r}.due_date', vendor)} END)"
    )


def _done(r: str, vendor: str) -> str:
    return f"(CASE WHEN {_late(r)} THEN {r}.completed_on ELSE {_day(r, vendor)} END)"


def _authority(r: str) -> str:
    return f"(SELECT d.authority FROM directives_directive d WHERE d.id = {r}.directive_id)"


@dataclass(frozen=True)
class _Table:
    name: str
    columns: tuple[str, ...]
    day: Callable[[str, str], str]  # the `day` column's expression for row alias and vendor

    def values(self, r: str, vendor: str, authority: str | None = None) -> list[str]:
        exprs = {
            "day": self.day(r, vendor),
            "done": _done(r, vendor),
            "lead_unit_id": f"{r}.lead_unit_id",
            "authority": authority or _authority(r),
            "submit": f"({r}.must_submit OR {r}.must_report)",
            "secret": f"{r}.secret",
            "outcome": _outcome(r),
            "extended": f"({r}.deadline_changes > 0)",
        }
        return [exprs[c] for c in self.columns]

    @property
    def key(self) -> str:
        return ", ".join(self.columns)

    def target(self, pending: bool) -> str:
        """The unique key (with `pending` from migration 0012 on)."""
        return self.key + (", pending" if pending else "")

    def increment(self, r: str, vendor: str, pending: bool) -> str:
        return (
            f"INSERT INTO {self.name} ({self.key}, n) SELECT {', '.join(self.values(r, vendor))}, 1 "
            f"WHERE {_counted(r)} ON CONFLICT ({self.target(pending)}) DO UPDATE SET n = {self.name}.n + 1"
        )

    def decrement(self, r: str, vendor: str) -> str:
        match = " AND ".join(
            f"{self.name}.{c} = {v}" for c, v in zip(self.columns, self.values(r, vendor), strict=True)
        )
        return f"UPDATE {self.name} SET n = n - 1 WHERE {_counted(r)} AND {match} AND n > 0"

    def deltas(self, r: str, rows: str, sign: int, where: str = "true") -> str:
        """The keys of the counted rows `r` of the transition table `rows` (PostgreSQL), each with `sign`."""
        cols = ", ".join(
            f"{v} AS {c}" for c, v in zip(self.columns, self.values(r, "postgresql"), strict=True)
        )
        return f"SELECT {cols}, {sign} AS k FROM {rows} {r} WHERE {where} AND {_counted(r)}"

    def _key_of(self, prefix: str) -> list[str]:
        return [f"{prefix}{c}" for c in self.columns]

    def apply(self, deltas: str, pending: bool) -> str:
        """Append the signed `deltas` (rows of the keys and k) as pending rows (`core.counted_sql.insert_pending`;
        before migration 0012, `upsert_sum`)."""
        write = counted_sql.insert_pending if pending else counted_sql.upsert_sum
        return write(self.name, self.columns, self._key_of, deltas)

    def fold(self) -> str:
        """The pending rows moved into the folded ones (`core.counted_sql.fold`)."""
        return counted_sql.fold(self.name, self.columns, self._key_of)

    def grouped(self, where: str, vendor: str, authority: str | None = None) -> str:
        """The keys and counts of the tasks `t` matching `where` (with `authority` as the authority if given)."""
        cols = ", ".join(
            f"{v} AS {c}" for c, v in zip(self.columns, self.values("t", vendor, authority), strict=True)
        )
        groups = ", ".join(str(i) for i in range(1, len(self.columns) + 1))
        return (
            f"SELECT {cols}, COUNT(*) AS k FROM tracking_task t WHERE {where} AND {_counted('t')} "
            f"GROUP BY {groups}"
        )


MONTHS = _Table(
    "evaluation_monthcount",
    ("day", "done", "lead_unit_id", "authority", "submit", "secret", "outcome", "extended"),
    _day,
)
TRENDS = _Table(
    "evaluation_trendcount", ("day", "authority", "submit", "secret", "outcome", "extended"), _month
)
TABLES = (MONTHS, TRENDS)


# ------------------------------------------------------------------------------------------------ triggers


def _sqlite(pending: bool) -> list[str]:
    """Row triggers upserting the folded rows (one writer at a time: no pending row)."""
    v = "sqlite"
    ins = " ".join(f"{t.increment('NEW', v, pending)};" for t in TABLES)
    dec = " ".join(f"{t.decrement('OLD', v)};" for t in TABLES)
    move = []
    for t in TABLES:
        same = " AND ".join(
            f"{val} = {t.name}.{c}"
            for c, val in zip(t.columns, t.values("x", v, "OLD.authority"), strict=True)
            if c != "authority"
        )
        move.append(
            f"UPDATE {t.name} SET n = n - (SELECT COUNT(*) FROM tracking_task x WHERE x.directive_id = OLD.id "
            f"AND {_counted('x')} AND {same}) WHERE authority = OLD.authority;"
        )
        move.append(
            f"INSERT INTO {t.name} ({t.key}, n) SELECT * FROM ({t.grouped('t.directive_id = NEW.id', v, 'NEW.authority')}) "
            f"WHERE true ON CONFLICT ({t.target(pending)}) DO UPDATE SET n = {t.name}.n + excluded.n;"
        )
    return [
        f"CREATE TRIGGER eval_counts_ins AFTER INSERT ON tracking_task BEGIN {ins} END",
        f"CREATE TRIGGER eval_counts_del AFTER DELETE ON tracking_task BEGIN {dec} END",
        f"CREATE TRIGGER eval_counts_upd AFTER UPDATE OF {', '.join(TASK_COLUMNS)} ON tracking_task "
        f"BEGIN {dec} {ins} END",
        "CREATE TRIGGER eval_counts_directive AFTER UPDATE OF authority ON directives_directive "
        f"WHEN NEW.authority IS NOT OLD.authority BEGIN {' '.join(move)} END",
    ]


SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS eval_counts_ins",
    "DROP TRIGGER IF EXISTS eval_counts_del",
    "DROP TRIGGER IF EXISTS eval_counts_upd",
    "DROP TRIGGER IF EXISTS eval_counts_directive",
]


def _postgres(pending: bool) -> list[str]:
    v = "postgresql"
    changes = [counted_sql.signed_changes(t.deltas, TASK_COLUMNS) for t in TABLES]
    statements = {
        op: [t.apply(c[op], pending) for t, c in zip(TABLES, changes, strict=True)] for op in counted_sql.OPS
    }
    out = counted_sql.statement_triggers("eval_counts_task", "tracking_task", TASK_COLUMNS, statements)
    move = []
    for t in TABLES:
        keys = ", ".join(t.columns)
        gone = f"SELECT {keys}, -k AS k FROM ({t.grouped('t.directive_id = OLD.id', v, 'OLD.authority')}) g"
        came = f"SELECT {keys}, k FROM ({t.grouped('t.directive_id = NEW.id', v, 'NEW.authority')}) g"
        move.append(f"{t.apply(f'{gone} UNION ALL {came}', pending)};")
    return [
        *out,
        f"""CREATE OR REPLACE FUNCTION eval_counts_directive() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.authority IS NOT DISTINCT FROM OLD.authority THEN
                RETURN NULL;
              END IF;
              {" ".join(move)}
              RETURN NULL;
            END $$""",
        """CREATE TRIGGER eval_counts_directive AFTER UPDATE OF authority ON directives_directive
           FOR EACH ROW EXECUTE FUNCTION eval_counts_directive()""",
        *(counted_sql.fold_function("eval_counts", [t.fold() for t in TABLES]) if pending else []),
        *(counted_sql.pending_index(t.name, t.name) for t in TABLES if pending),
    ]


POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS eval_counts_task ON tracking_task",  # the row trigger before 0008
    "DROP FUNCTION IF EXISTS eval_counts_task()",
    *counted_sql.statement_drops("eval_counts_task", "tracking_task"),
    "DROP TRIGGER IF EXISTS eval_counts_directive ON directives_directive",
    "DROP FUNCTION IF EXISTS eval_counts_directive()",
    *counted_sql.fold_drops("eval_counts"),
]


def columns_ready(conn: BaseDatabaseWrapper) -> bool:
    """Whether the task table has every column the triggers read (`has_issued_children` comes with tracking 0008; a
    migration that runs before it leaves installing and recounting to `evaluation.0008_task_tree`)."""
    with conn.cursor() as cur:
        names = {c.name for c in conn.introspection.get_table_description(cur, "tracking_task")}
    return "has_issued_children" in names


def install(conn: BaseDatabaseWrapper | None = None) -> None:
    """Create the triggers (migration 0005)."""
    conn = conn or connection
    pending = counted_sql.has_pending(conn, MONTHS.name)
    with conn.cursor() as cur:
        for sql in _postgres(pending) if conn.vendor == "postgresql" else _sqlite(pending):
            cur.execute(sql)


def uninstall(conn: BaseDatabaseWrapper | None = None) -> None:
    conn = conn or connection
    with conn.cursor() as cur:
        for sql in POSTGRES_DROP if conn.vendor == "postgresql" else SQLITE_DROP:
            cur.execute(sql)


def rebuild(conn: BaseDatabaseWrapper | None = None) -> dict[str, int]:
    """Count every task again from scratch (for the migration's first fill, and to repair counts written while
    the triggers were off); returns the number of count rows per table. Writers wait meanwhile."""
    conn = conn or connection
    out = {}
    with transaction.atomic(using=conn.alias), conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute("LOCK TABLE tracking_task IN SHARE MODE")
        for t in TABLES:
            cur.execute(f"DELETE FROM {t.name}")
            grouped = t.grouped("true", conn.vendor, "d.authority").replace(
                "FROM tracking_task t",
                "FROM tracking_task t JOIN directives_directive d ON d.id = t.directive_id",
            )
            cur.execute(f"INSERT INTO {t.name} ({t.key}, n) {grouped}")
            cur.execute(f"SELECT COUNT(*) FROM {t.name}")
            out[t.name] = int(cur.fetchone()[0])
    return out
