"""The counted buckets (`BucketCount`, `tracking.counted`): the table, its unique key, the triggers that keep it, and
its first fill (one grouped pass over the tasks)."""

import django.db.models.deletion
from django.db import migrations, models

from dondoc.tracking import counted


def forwards(apps, schema_editor):
    # the units' level only: the city's table is migration 0014's
    counted.install(schema_editor.connection, counted.UNITS_ONLY)
    counted.rebuild(schema_editor.connection, counted.UNITS_ONLY)


def backwards(apps, schema_editor):
    counted.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0006_hanoi_former_units"),
        ("tracking", "0010_list_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="BucketCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("secret", models.BooleanField()),
                ("state", models.CharField(max_length=20)),
                ("due_date", models.DateField(null=True)),
                ("completed_on", models.DateField(null=True)),
                ("n", models.IntegerField(default=0)),
                (
                    "lead_unit",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="org.unit",
                    ),
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
