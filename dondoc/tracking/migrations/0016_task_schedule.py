"""The follow-up schedule in a table of its own (issue 19): `tracking_task.next_followup_at` moves, with its data, to
`tracking_taskschedule (task_id, next_at)` — one row per task that has a next step. The daily pass moves the time
of ~15k tasks at 10^6; on `tracking_task` each move was a new version of a wide row in its ~17 indexes (never a HOT
update: the column is indexed for the claim) and fired the table's update triggers; here it writes two index
entries. Measured at 10^6 (191,796 scheduled tasks): see bench/README.md, follow-up."""

import django.db.models.deletion
from django.db import migrations, models


def move(apps, schema_editor):
    with schema_editor.connection.cursor() as cur:
        cur.execute(
            "INSERT INTO tracking_taskschedule (task_id, next_at) "
            "SELECT id, next_followup_at FROM tracking_task WHERE next_followup_at IS NOT NULL"
        )


def move_back(apps, schema_editor):
    with schema_editor.connection.cursor() as cur:
        cur.execute(
            "UPDATE tracking_task SET next_followup_at = "
            "(SELECT s.next_at FROM tracking_taskschedule s WHERE s.task_id = tracking_task.id) "
            "WHERE id IN (SELECT task_id FROM tracking_taskschedule)"
        )


def drop_column(apps, schema_editor):
    """Drop the column in place (its index first): on SQLite Django would rebuild the table, losing its triggers."""
    conn = schema_editor.connection
    with conn.cursor() as cur:
        for name, c in conn.introspection.get_constraints(cur, "tracking_task").items():
            if c["index"] and c["columns"] == ["next_followup_at"]:
                cur.execute(f"DROP INDEX {conn.ops.quote_name(name)}")
        cur.execute("ALTER TABLE tracking_task DROP COLUMN next_followup_at")


def add_column(apps, schema_editor):
    with schema_editor.connection.cursor() as cur:
        cur.execute("ALTER TABLE tracking_task ADD COLUMN next_followup_at timestamp with time zone NULL")
        cur.execute("CREATE INDEX tracking_task_next_followup_at ON tracking_task (next_followup_at)")


class Migration(migrations.Migration):
    dependencies = [("tracking", "0015_city_bucket_counts")]

    operations = [
        migrations.CreateModel(
            name="TaskSchedule",
            fields=[
                (
                    "task",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="schedule",
                        serialize=False,
                        to="tracking.task",
                    ),
                ),
                (
                    "next_at",
                    models.DateTimeField(blank=True, db_index=True, null=True, verbose_name="lần đôn đốc tiếp theo"),
                ),
            ],
        ),
        migrations.RunPython(move, move_back),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField(model_name="task", name="next_followup_at")],
            database_operations=[migrations.RunPython(drop_column, add_column)],
        ),
    ]
