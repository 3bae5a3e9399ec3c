"""The notification's task and recipient lose their single-column indexes: each leads a composite index that serves
the same lookups, and the follow-up pass wrote two index entries per notification for nothing (issue 19)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0007_email_by_the_queue"),
        ("org", "0006_hanoi_former_units"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="recipient",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notifications",
                to="org.person",
                verbose_name="người nhận",
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="task",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notifications",
                to="tracking.task",
                verbose_name="nhiệm vụ",
            ),
        ),
    ]
