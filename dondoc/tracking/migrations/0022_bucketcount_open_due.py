"""`bucketcount_open_due`: the open counted rows by deadline, covering what the overdue-by-unit sums read (the
leaders' home page, the urging page's overview): an index-only scan of ~13k rows instead of a scan of the table's
~130k at 10^6 tasks (issue 19: PostgreSQL CPU of the leaders' home page ~15 -> ~5 ms a request)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0006_hanoi_former_units'),
        ('tracking', '0021_task_open_due_lead'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='bucketcount',
            index=models.Index(condition=models.Q(('state__in', ('assigned', 'in_progress', 'result_submitted'))), fields=['due_date'], include=('lead_unit', 'state', 'completed_on', 'n'), name='bucketcount_open_due'),
        ),
    ]
