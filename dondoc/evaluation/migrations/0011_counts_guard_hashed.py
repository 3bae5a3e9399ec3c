"""The count triggers' update guard (PostgreSQL) hashed on id instead of a nested loop under `LIMIT 1` (see
tracking 0012 and `core.counted_sql.statement_triggers`). SQLite's triggers are unchanged."""

from django.db import migrations

from dondoc.evaluation import counts


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        counts.uninstall(schema_editor.connection)
        counts.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0010_reportrun_by_the_queue"), ("tracking", "0013_counted_guard_hashed")]

    operations = [migrations.RunPython(forwards, forwards)]
