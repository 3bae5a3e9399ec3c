"""The ladder climbs (issue 14, DOMAIN.md §7): reminders before a deadline go to the officer alone, the head joins on
the day. Default rules still as shipped (audience "unit") are moved to the officer; a rule an administrator changed
is left as it is. Units get a tracking contact (who is reminded when no officer is named)."""

import django.db.models.deletion
from django.db import migrations, models


# The default rules whose audience moves from "unit" (officer and head) to "officer".
BEFORE_DEADLINE = [
    "completion_before_5",
    "completion_before_1",
    "report_before_5",
    "report_before_1",
    "input_before_5",
    "input_before_1",
    "no_deadline_monthly",
]


def officer_first(apps, schema_editor):
    rules = apps.get_model("followup", "FollowupRule").objects
    rules.filter(code__in=BEFORE_DEADLINE, audience="unit").update(audience="officer")


def head_too(apps, schema_editor):
    rules = apps.get_model("followup", "FollowupRule").objects
    rules.filter(code__in=BEFORE_DEADLINE, audience="officer").update(audience="unit")


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0003_taskless"),
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="followuprule",
            name="audience",
            field=models.CharField(
                choices=[
                    ("officer", "Cán bộ thực hiện (hoặc đầu mối theo dõi của đơn vị)"),
                    ("unit", "Cán bộ thực hiện và thủ trưởng đơn vị"),
                    ("office", "Chuyên viên theo dõi VP UBND"),
                    ("leader", "Lãnh đạo phụ trách"),
                ],
                max_length=10,
                verbose_name="người nhận",
            ),
        ),
        migrations.RunPython(officer_first, head_too),
        migrations.CreateModel(
            name="TrackingContact",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="org.person",
                        verbose_name="cán bộ đầu mối theo dõi",
                    ),
                ),
                (
                    "unit",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="followup_contact",
                        to="org.unit",
                        verbose_name="đơn vị",
                    ),
                ),
            ],
            options={
                "verbose_name": "đầu mối theo dõi của đơn vị",
                "verbose_name_plural": "đầu mối theo dõi của đơn vị",
            },
        ),
    ]
