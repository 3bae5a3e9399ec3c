"""Covering indexes for the evaluation's counts (on tracking_task; created here, in the evaluation app).

- eval_task_due_cover: the tasks due in a period are a range of due_date; every column the counts read is in the
  index, so PostgreSQL answers with an index-only scan (INCLUDE) and SQLite with a covering index.
- eval_task_nodue_cover: the open tasks with no deadline (partial: due_date IS NULL), by assignment date.
"""

from django.db import migrations

COLUMNS = "lead_unit_id, completed_on, deadline_changes, secret, directive_id, must_submit, must_report"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS eval_task_due_cover ON tracking_task (due_date, state) INCLUDE ({COLUMNS})"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS eval_task_nodue_cover ON tracking_task (assigned_on) "
            f"INCLUDE (state, {COLUMNS}) WHERE due_date IS NULL"
        )
    else:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS eval_task_due_cover ON tracking_task (due_date, state, {COLUMNS})"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS eval_task_nodue_cover ON tracking_task "
            f"(assigned_on, state, {COLUMNS}) WHERE due_date IS NULL"
        )


def backwards(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS eval_task_due_cover")
    schema_editor.execute("DROP INDEX IF EXISTS eval_task_nodue_cover")


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0002_reportrun"),
        ("tracking", "0005_followup"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
