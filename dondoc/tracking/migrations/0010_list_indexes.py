"""Indexes of the task lists at 10^6 tasks (issue 19): a unit's counters read off `task_lead_bucket` (the columns
of the buckets: state, deadline, completion date, secrecy) instead of the table, which replaces
`task_lead_state_due` (its first three columns); the city's open tasks in deadline order (`task_open_due`), of
which the overdue page is the first rows and whose columns count the open buckets without the table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directives", "0003_one_row_per_notation"),
        ("org", "0006_hanoi_former_units"),
        ("tracking", "0009_lead_changes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="task",
            name="task_lead_state_due",
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                fields=["lead_unit", "state", "due_date", "completed_on", "secret"], name="task_lead_bucket"
            ),
        ),
        migrations.AddIndex(
            model_name="task",
            index=models.Index(
                condition=models.Q(("state__in", ("assigned", "in_progress", "result_submitted"))),
                fields=["due_date", "id", "state", "completed_on", "secret"],
                name="task_open_due",
            ),
        ),
    ]
