"""The 30 district-level units of Hanoi before 01/07/2025 (12 quận, thị xã Sơn Tây, 17 huyện) as former units
(`valid_to` 01/07/2025) with the successors that could be sourced, and the 126 wards and communes starting on
01/07/2025 (Resolution 1656/NQ-UBTVQH15). Data and sources: `dondoc/org/hanoi_former_units.csv` (its `source`
column); a district whose successors could not be checked against the resolution has none yet — the City Office
records them on the page *Sáp nhập, chia tách đơn vị* when it re-homes that district's tasks."""

from django.db import migrations


def load(apps, schema_editor):
    from dondoc.org.registry import load_former_units

    load_former_units(model=apps.get_model("org", "Unit"))


class Migration(migrations.Migration):
    dependencies = [("org", "0005_unit_successors_many")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop, elidable=False)]
