"""Reminders written before secret content was masked carried the task's content on their first body line
("Nhiệm vụ: …"); rewrite that line of every notification about a secret task as `secrecy.shown_content` writes it."""

from django.db import migrations

MASK = "Nhiệm vụ: Nhiệm vụ mật — số {pk}"  # dondoc.tracking.secrecy.MASK, frozen here as migrations must be


def mask(apps, schema_editor):
    Notification = apps.get_model("followup", "Notification")
    for note in Notification.objects.filter(task__secret=True).only("id", "task_id", "body").iterator():
        lines = note.body.split("\n")
        if lines and lines[0].startswith("Nhiệm vụ: "):
            lines[0] = MASK.format(pk=note.task_id)
            Notification.objects.filter(pk=note.pk).update(body="\n".join(lines))


class Migration(migrations.Migration):
    dependencies = [("followup", "0005_report_occurrence"), ("tracking", "0001_initial")]

    operations = [migrations.RunPython(mask, migrations.RunPython.noop)]
