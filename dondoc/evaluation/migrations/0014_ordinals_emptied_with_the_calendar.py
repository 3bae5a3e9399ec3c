"""The working-day ordinals (`WorkdayOrdinal`) emptied by a trigger in the transaction of every change to the
calendar's days (`core.triggers.after_change`: any path, the pages, the admin, a bulk load, raw SQL), in place of
the signal handlers that emptied them in Python — one of them after the commit, when another process may already
have rebuilt the table from the new calendar (which it then took for built, over an empty table). The next
question rebuilds it (`evaluation.workdays.ensure_ordinals`)."""

from django.db import migrations

from dondoc.core.triggers import after_change, drop_after_change

NAME, DAYS = "evaluation_empty_ordinals", "workdays_calendarday"


def forwards(apps, schema_editor):
    for sql in after_change(schema_editor.connection.vendor, NAME, DAYS, "DELETE FROM evaluation_workdayordinal"):
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in drop_after_change(schema_editor.connection.vendor, NAME, DAYS):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0013_fold_by_index"),
        ("workdays", "0004_calendar_version"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
