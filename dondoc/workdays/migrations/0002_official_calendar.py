"""Every install starts with the official civil-service calendar 2025–2026 (holidays, swapped days, make-up
Saturdays), not only the demo: deadlines on a fresh install must already skip Tết and count make-up Saturdays."""

from django.db import migrations


def load_official_calendar(apps, schema_editor):
    from dondoc.workdays.calendar import load_csv

    load_csv(model=apps.get_model("workdays", "CalendarDay"))


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(load_official_calendar, migrations.RunPython.noop, elidable=False)]
