"""Every install starts with Hanoi's unit registry (the authorities, the 15 departments and boards, the 126 wards
and communes since 01/07/2025), not only the demo: a task needs a lead unit from the first day."""

from django.db import migrations


def load_hanoi_registry(apps, schema_editor):
    from dondoc.org.registry import load_units

    load_units(model=apps.get_model("org", "Unit"))


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [migrations.RunPython(load_hanoi_registry, migrations.RunPython.noop, elidable=False)]
