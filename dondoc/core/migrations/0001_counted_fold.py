"""`counted_fold()` (PostgreSQL): the fold of every counted table installed (`core.counted_sql.FOLD_ALL`), which
the audit chainer calls in the statement that takes its lock. Here, before any table's fold, so that it exists
whenever the chainer runs."""

from django.db import migrations

from dondoc.core import counted_sql


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cur:
            cur.execute(counted_sql.FOLD_ALL)


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
