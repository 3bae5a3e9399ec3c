"""A database trigger that runs one SQL statement after every change to a table, on SQLite and PostgreSQL alike: on
PostgreSQL once per statement (TRUNCATE included), on SQLite once per row (one writer at a time; SQLite's DELETE
without WHERE calls row triggers when a table has any). For the migrations that keep a derived row or table in step
with a table in the change's own transaction, whatever the path of the change (an action, the admin, a bulk load,
raw SQL)."""

from __future__ import annotations

OPS = ("insert", "update", "delete")


def after_change(vendor: str, name: str, table: str, body: str) -> list[str]:
    """The statements creating trigger `name` on `table` that runs `body` (one statement, no `;`)."""
    if vendor == "postgresql":
        return [
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body}; RETURN NULL; END $$",
            f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
        ]
    return [f"CREATE TRIGGER {name}_{op} AFTER {op.upper()} ON {table} BEGIN {body}; END" for op in OPS]


def drop_after_change(vendor: str, name: str, table: str) -> list[str]:
    """The statements dropping what `after_change` created."""
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    return [f"DROP TRIGGER IF EXISTS {name}_{op}" for op in OPS]
