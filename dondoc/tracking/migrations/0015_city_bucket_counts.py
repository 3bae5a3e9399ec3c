"""The city's counted buckets (`CityBucketCount`, `tracking.counted`): the units' counts without the unit, kept by
the same triggers (reinstalled with both levels), filled by one grouped pass over the tasks. The counters of a
reader who sees every unit sum ~9k rows instead of ~130k at 10^6 tasks (issue 19, lists at 10^6)."""

from django.db import migrations, models

from dondoc.tracking import counted


def forwards(apps, schema_editor):
    counted.uninstall(schema_editor.connection)
    counted.install(schema_editor.connection, counted.UNITS_AND_CITY)
    counted.rebuild(schema_editor.connection, counted.UNITS_AND_CITY[1:])


def backwards(apps, schema_editor):
    counted.uninstall(schema_editor.connection)
    counted.install(schema_editor.connection, counted.UNITS_ONLY)


class Migration(migrations.Migration):
    dependencies = [("tracking", "0014_coordination_input_due")]

    operations = [
        migrations.CreateModel(
            name="CityBucketCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("secret", models.BooleanField()),
                ("state", models.CharField(max_length=20)),
                ("due_date", models.DateField(null=True)),
                ("completed_on", models.DateField(null=True)),
                ("n", models.IntegerField(default=0)),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
