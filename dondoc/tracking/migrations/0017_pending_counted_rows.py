"""Pending counted rows (`core.counted_sql`): on PostgreSQL the triggers append a pending row per key instead of
upserting the key's row (which every writer of the same key waited on until the other's commit), and the audit
chainer folds them after each commit (`counted_fold()`). The unique keys gain `pending` (a pending row never meets
another transaction's row); the folder reads the pending rows through a partial index. SQLite's triggers upsert
as before (its unique key with `pending`, always 0)."""

from django.db import migrations, models

from dondoc.core import counted_sql
from dondoc.tracking import counted


def _drop(schema_editor):
    counted.uninstall(schema_editor.connection)
    with schema_editor.connection.cursor() as cur:
        for name, _table, _columns, _row in counted.UNITS_AND_CITY:
            cur.execute(f"DROP INDEX IF EXISTS {name}_key")
            cur.execute(f"DROP INDEX IF EXISTS {name}_pending")


def _uninstall(apps, schema_editor):
    counted.uninstall(schema_editor.connection)


def forwards(apps, schema_editor):
    _drop(schema_editor)
    counted.install(schema_editor.connection, counted.UNITS_AND_CITY)


def back_to_upserts(apps, schema_editor):
    """Backwards, once `pending` is gone: the row upserts' keys and triggers (`counted.install` sees no column)."""
    counted.install(schema_editor.connection, counted.UNITS_AND_CITY)


def backwards(apps, schema_editor):
    counted_sql.fold_all(schema_editor.connection)  # the pending rows into the keys' rows before `pending` goes
    _drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("tracking", "0016_task_schedule"), ("core", "0001_counted_fold")]

    operations = [
        migrations.RunPython(_uninstall, back_to_upserts),
        migrations.AddField(
            model_name="bucketcount", name="pending", field=models.BigIntegerField(db_default=0, default=0)
        ),
        migrations.AddField(
            model_name="citybucketcount",
            name="pending",
            field=models.BigIntegerField(db_default=0, default=0),
        ),
        migrations.RunPython(forwards, backwards),
    ]
