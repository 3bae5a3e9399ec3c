"""The SQL of the counted tables' PostgreSQL triggers, shared by `evaluation.counts` and `tracking.counted`.

Per statement (transition tables), the statement's changes are added up per key (+1 new, −1 old; an update that
leaves every watched column as it was adds nothing) and **appended** as pending rows (`insert_pending`): a row per
key with `pending` > 0 (a number from the sequence `counted_pending`, so the table's unique key — the key's columns
and `pending` — never meets another transaction's row). A writer takes no count row's lock: two writers of tasks
under the same key (Q4's creates and assigns for one unit with one deadline) no longer wait for each other's commit
(with the row upserts of before, 17–42% of PostgreSQL's samples waited on `Lock:transactionid` during Q4/Q5). A
key's count is the sum of its rows (`pending` 0, the folded row, and its pending ones): every reader sums `n`.

The folder (`fold`) moves the committed pending rows into the folded rows (`pending` = 0), one statement per
table: the rows deleted and their sums upserted in key order. It runs in the audit chainer's statement that takes
the chainer's lock (`counted_fold()`, after each write's commit), so one folder at a time; a row a writer has not
committed yet is invisible to the folder and waits for the next fold. The sums are the same before and after.
SQLite has one writer at a time: its row triggers upsert the folded rows directly (no pending row ever)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

OPS = ("ins", "del", "upd")
_EVENTS = {
    "ins": ("REFERENCING NEW TABLE AS new_rows", "INSERT"),
    "del": ("REFERENCING OLD TABLE AS old_rows", "DELETE"),
    "upd": ("REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows", "UPDATE"),
}


def _summed(
    table: str, columns: Sequence[str], key: Callable[[str], list[str]], deltas: str, extra: str
) -> str:
    """The signed `deltas` summed per key (with the `extra` columns), keys whose changes cancel out left out, a
    decrement only for a key that has a row."""
    keys = ", ".join(f"d.{c}" for c in columns)
    same = " AND ".join(f"{x} = {d}" for x, d in zip(key("x."), key("d."), strict=True))
    return (
        f"SELECT {keys}, SUM(d.k){extra} FROM ({deltas}) d GROUP BY {keys} HAVING SUM(d.k) > 0 OR "
        f"(SUM(d.k) < 0 AND EXISTS (SELECT 1 FROM {table} x WHERE {same})) ORDER BY {keys}"
    )


def upsert_sum(table: str, columns: Sequence[str], key: Callable[[str], list[str]], deltas: str) -> str:
    """The triggers of a table without `pending` (the migrations before tracking 0017 and evaluation 0012): add the
    signed `deltas` to the counts in one upsert, keys in order, a decrement never below zero nor creating a row."""
    return (
        f"INSERT INTO {table} AS c ({', '.join(columns)}, n) {_summed(table, columns, key, deltas, '')} "
        f"ON CONFLICT ({', '.join(key(''))}) DO UPDATE SET n = GREATEST(c.n + excluded.n, 0)"
    )


def has_pending(conn: BaseDatabaseWrapper, table: str) -> bool:
    """Whether `table` has the `pending` column (a migration before the pending rows installs the older
    triggers)."""
    with conn.cursor() as cur:
        return "pending" in {c.name for c in conn.introspection.get_table_description(cur, table)}


PENDING_SEQUENCE = "counted_pending"
# The tables' fold functions (`fold_function`) by prefix, called in this order by `counted_fold()`.
FOLDERS = ("bucket_counts", "eval_counts")


def insert_pending(table: str, columns: Sequence[str], key: Callable[[str], list[str]], deltas: str) -> str:
    """Append the signed `deltas` (rows of `columns` and k) to `table` as pending rows, one per key whose changes
    do not cancel out; a decrement only for a key that has a row (pending or folded), so removing tasks after the
    counts were emptied leaves them empty. `key(prefix)`: the expressions of the table's key over columns named
    with `prefix`. Takes no lock another writer would wait for."""
    summed = _summed(table, columns, key, deltas, f", nextval('{PENDING_SEQUENCE}')")
    return f"INSERT INTO {table} ({', '.join(columns)}, n, pending) {summed}"


def fold(table: str, columns: Sequence[str], key: Callable[[str], list[str]]) -> str:
    """Move the committed pending rows of `table` into its folded rows: deleted, summed per key and added in key
    order (a key's sum unchanged). `key("")`: the unique key's expressions (without `pending`)."""
    cols = ", ".join(columns)
    return (
        f"WITH moved AS (DELETE FROM {table} WHERE pending <> 0 RETURNING {cols}, n) "
        f"INSERT INTO {table} AS c ({cols}, n, pending) SELECT {cols}, SUM(n), 0 FROM moved GROUP BY {cols} "
        f"HAVING SUM(n) <> 0 ORDER BY {cols} ON CONFLICT ({', '.join(key(''))}, pending) "
        "DO UPDATE SET n = c.n + excluded.n"
    )


def pending_index(name: str, table: str) -> str:
    """The folder's way to the pending rows (a few) without reading the folded ones."""
    return f"CREATE INDEX IF NOT EXISTS {name}_pending ON {table} (pending) WHERE pending <> 0"


# The fold reads the pending rows through their partial index (`pending_index`), never the whole table: it runs
# after every write, and a plan chosen on statistics taken while most rows were pending (a bulk load, a rebuild of
# the counts, before its first fold) read every row of the four tables on every fold — ~20 ms of PostgreSQL's CPU
# per write at 10^5 tasks, 70 % of the write's database time (issue 19; PL/pgSQL also keeps that plan for the
# session). `fold_settings` sets it on the functions of a database migrated before.
FOLD_SETTINGS = "SET enable_seqscan = off"


def fold_settings(conn: BaseDatabaseWrapper, prefix: str, *, on: bool = True) -> None:
    """On PostgreSQL, the fold function of `prefix`, if installed, given its settings (`FOLD_SETTINGS`), or (`on`
    False) without them: for the migrations of a database whose function was made before."""
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cur:
        cur.execute("SELECT to_regproc(%s) IS NOT NULL", [f"{prefix}_fold"])
        if cur.fetchone()[0]:
            cur.execute(f"ALTER FUNCTION {prefix}_fold() {FOLD_SETTINGS if on else 'RESET enable_seqscan'}")


def fold_settings_operation(prefix: str) -> Any:
    """The migration operation setting `fold_settings` on `prefix`'s fold (reset backwards)."""
    from django.db import migrations

    return migrations.RunPython(
        lambda apps, editor: fold_settings(editor.connection, prefix),
        lambda apps, editor: fold_settings(editor.connection, prefix, on=False),
    )


def fold_function(prefix: str, statements: Sequence[str]) -> list[str]:
    """The sequence, and `<prefix>_fold()` running the fold `statements`, and `counted_fold()` (`FOLD_ALL`)."""
    body = "\n".join(f"{sql};" for sql in statements)
    return [
        f"CREATE SEQUENCE IF NOT EXISTS {PENDING_SEQUENCE}",
        f"""CREATE OR REPLACE FUNCTION {prefix}_fold() RETURNS void LANGUAGE plpgsql {FOLD_SETTINGS} AS $$
            BEGIN
              {body}
            END $$""",
        FOLD_ALL,
    ]


# Every table's fold, those installed (a migration before both apps' folds may link the audit chain).
FOLD_ALL = f"""CREATE OR REPLACE FUNCTION counted_fold() RETURNS boolean LANGUAGE plpgsql AS $$
    BEGIN
      {" ".join(f"IF to_regproc('{p}_fold') IS NOT NULL THEN PERFORM {p}_fold(); END IF;" for p in FOLDERS)}
      RETURN true;
    END $$"""


def fold_drops(prefix: str) -> list[str]:
    return [f"DROP FUNCTION IF EXISTS {prefix}_fold()"]


def signed_changes(deltas: Callable[[str, str, int, str], str], watched: Sequence[str]) -> dict[str, str]:
    """Per operation, the signed changes of a statement: `deltas(alias, transition table, sign, where)` selects
    the keys of the rows; an update counts only its rows whose `watched` columns changed (old −1, new +1)."""
    differs = _differs(watched)
    changed = f"o.id IN (SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {differs})"
    changed_new = changed.replace("o.id IN", "n.id IN", 1)
    return {
        "ins": deltas("n", "new_rows", 1, "true"),
        "del": deltas("o", "old_rows", -1, "true"),
        "upd": f"{deltas('o', 'old_rows', -1, changed)} UNION ALL {deltas('n', 'new_rows', 1, changed_new)}",
    }


def _differs(watched: Sequence[str]) -> str:
    return (
        f"ROW({', '.join(f'o.{c}' for c in watched)}) IS DISTINCT FROM "
        f"ROW({', '.join(f'n.{c}' for c in watched)})"
    )


def statement_triggers(
    prefix: str, table: str, watched: Sequence[str], statements: dict[str, list[str]]
) -> list[str]:
    """The functions `<prefix>_<op>()` and the statement triggers on `table` that run `statements[op]`; the update
    trigger returns at once when no `watched` column changed."""
    out = []
    for op in OPS:
        referencing, event = _EVENTS[op]
        # The watched columns of the old and the new rows compared as two arrays sorted by id: linear whatever the
        # plan. A join of the transition tables under `LIMIT 1` ran as a nested loop (the planner expects an early
        # match), n² comparisons when nothing changed — the follow-up pass's 500-task reschedule: 250,000, ~80 ms
        # per trigger — and PL/pgSQL keeps a statement's first plan for the session, so even a join planned for
        # the first (one-row) update would stay a nested loop for the large ones.
        guard = (
            f"IF (SELECT array_agg(ROW(o.id, {', '.join(f'o.{c}' for c in watched)}) ORDER BY o.id) "
            f"FROM old_rows o) IS NOT DISTINCT FROM (SELECT array_agg(ROW(n.id, "
            f"{', '.join(f'n.{c}' for c in watched)}) ORDER BY n.id) FROM new_rows n) THEN RETURN NULL; END IF;"
            if op == "upd"
            else ""
        )
        body = "\n".join(f"{sql};" for sql in statements[op])
        out += [
            f"""CREATE OR REPLACE FUNCTION {prefix}_{op}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  {guard}
                  {body}
                  RETURN NULL;
                END $$""",
            f"""CREATE TRIGGER {prefix}_{op} AFTER {event} ON {table} {referencing}
               FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_{op}()""",
        ]
    return out


def statement_drops(prefix: str, table: str) -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {prefix}_{op} ON {table}" for op in OPS),
        *(f"DROP FUNCTION IF EXISTS {prefix}_{op}()" for op in OPS),
    ]


def fold_all(conn: BaseDatabaseWrapper) -> None:
    """Fold every counted table's pending rows now (`counted_fold()`; the audit chainer does it after each write's
    commit); nothing on SQLite (no pending row)."""
    if conn.vendor == "postgresql":
        with conn.cursor() as cur:
            cur.execute("SELECT counted_fold()")
