"""The count triggers without the audit trail's lock (PostgreSQL): one statement-level trigger per write, applying
its changes per key in key order (see `dondoc.evaluation.counts`). SQLite's triggers are put back unchanged."""

from django.db import migrations

from dondoc.evaluation import counts


def forwards(apps, schema_editor):
    counts.uninstall(schema_editor.connection)
    counts.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0008_task_tree"), ("tracking", "0008_task_tree")]

    operations = [migrations.RunPython(forwards, forwards)]
