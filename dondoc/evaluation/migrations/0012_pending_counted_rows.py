"""Pending counted rows (`core.counted_sql`, as tracking 0017): on PostgreSQL the count triggers append a pending row
per key instead of upserting the key's row (which every writer of the same key waited on until the other's
commit), and the audit chainer folds them after each commit (`counted_fold()`). The unique keys gain `pending`; the
folder reads the pending rows through a partial index. SQLite's triggers upsert as before."""

from django.db import migrations, models

from dondoc.core import counted_sql
from dondoc.evaluation import counts


def reinstall(apps, schema_editor):
    """The triggers of the columns there are (`counts.install` sees whether `pending` is)."""
    counts.uninstall(schema_editor.connection)
    if counts.columns_ready(schema_editor.connection):
        counts.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    counts.uninstall(schema_editor.connection)


def drop_pending_index(apps, schema_editor):
    counted_sql.fold_all(schema_editor.connection)  # the pending rows into the keys' rows before `pending` goes
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            for table in ("evaluation_monthcount", "evaluation_trendcount"):
                cur.execute(f"DROP INDEX IF EXISTS {table}_pending")
    counts.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0011_counts_guard_hashed"),
        ("tracking", "0017_pending_counted_rows"),
        ("core", "0001_counted_fold"),
    ]

    operations = [
        migrations.RunPython(uninstall, reinstall),
        migrations.RemoveConstraint(
            model_name="monthcount",
            name="eval_monthcount_key",
        ),
        migrations.RemoveConstraint(
            model_name="trendcount",
            name="eval_trendcount_key",
        ),
        migrations.AddField(
            model_name="monthcount",
            name="pending",
            field=models.BigIntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name="trendcount",
            name="pending",
            field=models.BigIntegerField(db_default=0, default=0),
        ),
        migrations.AddConstraint(
            model_name="monthcount",
            constraint=models.UniqueConstraint(
                fields=(
                    "day",
                    "done",
                    "lead_unit_id",
                    "authority",
                    "submit",
                    "secret",
                    "outcome",
                    "extended",
                    "pending",
                ),
                name="eval_monthcount_key",
            ),
        ),
        migrations.AddConstraint(
            model_name="trendcount",
            constraint=models.UniqueConstraint(
                fields=("day", "authority", "submit", "secret", "outcome", "extended", "pending"),
                name="eval_trendcount_key",
            ),
        ),
        migrations.RunPython(reinstall, drop_pending_index),
    ]
