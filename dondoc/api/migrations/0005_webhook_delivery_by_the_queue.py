# The webhook deliveries and the large imports become jobs of the queue (django-tasks-db): the deliveries still
# pending and the imports still queued (or left running) are handed over to it, each as one job, before the
# delivery's own schedule column goes.

from django.db import migrations


def hand_over(apps, schema_editor):
    from dondoc.api.spreadsheet import import_file
    from dondoc.api.webhooks import send

    delivery = apps.get_model("api", "WebhookDelivery")
    run = apps.get_model("api", "ImportRun")
    for pk in delivery.objects.filter(status="pending").values_list("pk", flat=True):
        send.enqueue(pk)
    run.objects.filter(status="running").update(status="queued", progress=0, stage="")
    for pk in run.objects.filter(status="queued").values_list("pk", flat=True):
        import_file.enqueue(pk)


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0004_importrun"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [
        migrations.RunPython(hand_over, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="webhookdelivery", name="webhook_due"),
        migrations.RemoveField(model_name="webhookdelivery", name="next_attempt_at"),
    ]
