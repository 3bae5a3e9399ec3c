"""The audit trail is append-only in the database itself: UPDATE and DELETE of a row are refused by a trigger.

The hash chain makes an edit *detectable* (`dondoc audit verify`); the triggers make it *impossible* for the
application, an administrator's slip in a SQL console or a bulk script. Someone with the rights to drop a trigger can
still edit rows — that is what the chain is for. What is not blocked, on purpose:

- TRUNCATE on PostgreSQL (row triggers do not see it): the test runner empties tables with it; a truncated trail is
  caught by `dondoc audit verify --anchor` with the last row kept in the backup manifest.
- `dondoc restore`: SQLite copies database pages (no row is updated), `pg_restore --clean` drops and recreates the
  table with its trigger; the function is created with OR REPLACE so that migrating a database restored from a
  backup taken before this migration does not stumble on the function left behind.
"""

from django.db import migrations

MESSAGE = "audit trail is append-only (nhật ký kiểm toán chỉ được ghi thêm)"

SQLITE = [
    f"""CREATE TRIGGER auditentry_no_update BEFORE UPDATE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER auditentry_no_delete BEFORE DELETE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS auditentry_no_update",
    "DROP TRIGGER IF EXISTS auditentry_no_delete",
]

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION dondoc_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION USING MESSAGE = '{MESSAGE}: ' || TG_OP || ' refused'; END $$""",
    """CREATE OR REPLACE TRIGGER auditentry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
       FOR EACH ROW EXECUTE FUNCTION dondoc_audit_append_only()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS auditentry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS dondoc_audit_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
