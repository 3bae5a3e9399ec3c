"""The counted buckets' update trigger (PostgreSQL) checks whether a watched column changed with a count over the
transition tables joined on id, hashed, instead of `LIMIT 1`, which the planner ran as a nested loop: n²
comparisons for an update that changes no watched column (`core.counted_sql.statement_triggers`). SQLite's
triggers are unchanged."""

from django.db import migrations

from dondoc.tracking import counted


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        counted.uninstall(schema_editor.connection)
        counted.install(schema_editor.connection, counted.UNITS_ONLY)


class Migration(migrations.Migration):
    dependencies = [("tracking", "0012_list_indexes_at_1m")]

    operations = [migrations.RunPython(forwards, forwards)]
