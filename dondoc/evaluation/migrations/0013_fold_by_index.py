"""Evaluation's counted rows (months, trends): `eval_counts_fold()` on PostgreSQL given the fold's settings
(`core.counted_sql.FOLD_SETTINGS`: the pending rows read through their partial index only)."""

from django.db import migrations

from dondoc.core import counted_sql


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0012_pending_counted_rows")]
    operations = [counted_sql.fold_settings_operation("eval_counts")]
