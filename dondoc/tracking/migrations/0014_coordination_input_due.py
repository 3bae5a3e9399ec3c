"""A partial index of the coordinations that have an input deadline (task, unit, deadline): the follow-up engine
reads them for each batch of due tasks, and few coordinations have one (issue 19)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0006_hanoi_former_units"),
        ("tracking", "0013_counted_guard_hashed"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="coordination",
            index=models.Index(
                condition=models.Q(("input_due__isnull", False)),
                fields=["task", "unit", "input_due"],
                name="coordination_input_due",
            ),
        ),
    ]
