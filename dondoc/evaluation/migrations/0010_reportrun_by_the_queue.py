# Large reports become jobs of the queue (django-tasks-db): the runs still queued (or left running by a worker) are
# handed over to it, each as one job.

from django.db import migrations


def hand_over(apps, schema_editor):
    from dondoc.evaluation.report import generate_report

    run = apps.get_model("evaluation", "ReportRun")
    run.objects.filter(status="running").update(status="queued", progress=0, stage="")
    for pk in run.objects.filter(status="queued").values_list("pk", flat=True):
        generate_report.enqueue(pk)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0009_counts_without_global_lock"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(hand_over, migrations.RunPython.noop)]
