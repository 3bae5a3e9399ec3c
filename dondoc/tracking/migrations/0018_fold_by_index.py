"""The tasks' counted rows: their fold (`bucket_counts_fold()`, PostgreSQL) reads the pending rows through the
partial index only (`core.counted_sql.FOLD_SETTINGS`), also in a database whose function was made before."""

from django.db import migrations

from dondoc.core import counted_sql


class Migration(migrations.Migration):
    dependencies = [("tracking", "0017_pending_counted_rows")]
    operations = [counted_sql.fold_settings_operation("bucket_counts")]
