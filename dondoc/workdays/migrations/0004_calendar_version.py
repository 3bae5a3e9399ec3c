"""The calendar's generation (`CalendarVersion`), raised by a trigger in the transaction of every change to the
calendar's days (`core.triggers.after_change`).

An upsert, not an update: a test database's flush (TRUNCATE) empties the table, and the next change writes the row
again (a calendar loaded into an emptied database: the follow-up schedules, none yet, are taken as computed from it).
"""

from django.db import migrations, models

from dondoc.core.triggers import after_change, drop_after_change

NAME, DAYS, TABLE = "workdays_calendar_version", "workdays_calendarday", "workdays_calendarversion"
BUMP = (
    f"INSERT INTO {TABLE} (id, version, scheduled) VALUES (1, 1, 1) "
    f"ON CONFLICT (id) DO UPDATE SET version = {TABLE}.version + 1"
)


def forwards(apps, schema_editor):
    for sql in after_change(schema_editor.connection.vendor, NAME, DAYS, BUMP):
        schema_editor.execute(sql)
    apps.get_model("workdays", "CalendarVersion").objects.create(id=1, version=1, scheduled=1)


def backwards(apps, schema_editor):
    for sql in drop_after_change(schema_editor.connection.vendor, NAME, DAYS):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("workdays", "0003_workday_kind")]

    operations = [
        migrations.CreateModel(
            name="CalendarVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField(default=0)),
                ("scheduled", models.BigIntegerField(null=True)),
            ],
            options={"verbose_name": "phiên bản lịch"},
        ),
        migrations.RunPython(forwards, backwards),
    ]
