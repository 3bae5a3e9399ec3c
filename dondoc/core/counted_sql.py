"""The SQL of the counted tables' PostgreSQL triggers, shared by `evaluation.counts` and `tracking.counted`: per
statement (transition tables), the statement's changes added up per key (+1 new, −1 old; an update that leaves
every watched column as it was adds nothing and locks no count row) and applied in one `INSERT … ON CONFLICT` in
key order — two writers take the count rows they share in the same order and never deadlock on them, and writers
under different keys never wait for each other. No global lock."""

from __future__ import annotations

from collections.abc import Callable, Sequence

OPS = ("ins", "del", "upd")
_EVENTS = {
    "ins": ("REFERENCING NEW TABLE AS new_rows", "INSERT"),
    "del": ("REFERENCING OLD TABLE AS old_rows", "DELETE"),
    "upd": ("REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows", "UPDATE"),
}


def upsert_sum(table: str, columns: Sequence[str], key: Callable[[str], list[str]], deltas: str) -> str:
    """Add the signed `deltas` (rows of `columns` and k) to the counts of `table`: one statement, keys in order, a
    key whose changes cancel out untouched, a decrement never below zero and never creating a row. `key(prefix)`:
    the expressions of the table's unique key over columns named with `prefix` ("" for the conflict target)."""
    keys = ", ".join(f"d.{c}" for c in columns)
    same = " AND ".join(f"{x} = {d}" for x, d in zip(key("x."), key("d."), strict=True))
    return (
        f"INSERT INTO {table} AS c ({', '.join(columns)}, n) SELECT {keys}, SUM(d.k) FROM ({deltas}) d "
        f"GROUP BY {keys} HAVING SUM(d.k) > 0 OR (SUM(d.k) < 0 AND EXISTS (SELECT 1 FROM {table} x "
        f"WHERE {same})) ORDER BY {keys} ON CONFLICT ({', '.join(key(''))}) "
        "DO UPDATE SET n = GREATEST(c.n + excluded.n, 0)"
    )


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
