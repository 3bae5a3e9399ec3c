"""A unit may have several successors (a district split among wards): `successor` (one) becomes `successors`
(many); every existing successor is kept."""

from django.db import migrations, models


def copy_successors(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    Through = Unit.successors.through
    rows = [
        Through(from_unit_id=pk, to_unit_id=succ)
        for pk, succ in Unit.objects.filter(successor__isnull=False).values_list("pk", "successor_id")
    ]
    Through.objects.bulk_create(rows, ignore_conflicts=True)


def copy_back(apps, schema_editor):
    """Reversed: the first successor of each unit becomes its one successor again."""
    Unit = apps.get_model("org", "Unit")
    for row in Unit.successors.through.objects.order_by("-to_unit_id"):
        Unit.objects.filter(pk=row.from_unit_id).update(successor_id=row.to_unit_id)


class Migration(migrations.Migration):
    dependencies = [("org", "0004_unit_identifier")]

    operations = [
        migrations.AddField(
            model_name="unit",
            name="successors",
            field=models.ManyToManyField(
                blank=True, related_name="predecessors_many", to="org.unit", verbose_name="đơn vị kế thừa"
            ),
        ),
        migrations.RunPython(copy_successors, copy_back),
        migrations.RemoveConstraint(model_name="unit", name="unit_not_own_successor"),
        migrations.RemoveField(model_name="unit", name="successor"),
        migrations.AlterField(
            model_name="unit",
            name="successors",
            field=models.ManyToManyField(
                blank=True, related_name="predecessors", to="org.unit", verbose_name="đơn vị kế thừa"
            ),
        ),
    ]
