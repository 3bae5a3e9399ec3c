"""The tasks a unit coordinates, counted (`CoordinatedBucketCount`, `tracking.counted`): a unit's people's
counters summed their coordinated tasks from the tasks (~7,000 a unit at 10^6 tasks, 7,143 probes of the task
table); now from ~a thousand rows of their unit, kept by the tasks' triggers (reinstalled with the third level)
and by new triggers on the coordinations, filled by one grouped pass over the coordinations and their tasks
(issue 19, lists at 10^6)."""

from django.db import migrations, models

from dondoc.tracking import counted


def forwards(apps, schema_editor):
    counted.uninstall(schema_editor.connection)
    counted.install(schema_editor.connection, counted.LEVELS)
    counted.rebuild(schema_editor.connection, counted.LEVELS[2:])


def backwards(apps, schema_editor):
    counted.uninstall(schema_editor.connection)
    with schema_editor.connection.cursor() as cur:
        for name, _table, _columns, _row in counted.LEVELS[2:]:
            cur.execute(f"DROP INDEX IF EXISTS {name}_key")
            cur.execute(f"DROP INDEX IF EXISTS {name}_pending")
    counted.install(schema_editor.connection, counted.UNITS_AND_CITY)


class Migration(migrations.Migration):
    dependencies = [("tracking", "0019_result_returned_at")]

    operations = [
        migrations.CreateModel(
            name="CoordinatedBucketCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("secret", models.BooleanField()),
                ("state", models.CharField(max_length=20)),
                ("due_date", models.DateField(null=True)),
                ("completed_on", models.DateField(null=True)),
                ("n", models.IntegerField(default=0)),
                ("pending", models.BigIntegerField(db_default=0, default=0)),
                (
                    "unit",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="org.unit",
                    ),
                ),
            ],
            options={"abstract": False},
        ),
        migrations.RunPython(forwards, backwards),
    ]
