"""A result awaiting confirmation is judged by its document's date (issue 14): `completed_on` now holds that date
from the submission on. Fill it for the tasks already awaiting confirmation, from their latest result."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Task = apps.get_model("tracking", "Task")
    Result = apps.get_model("tracking", "Result")
    latest = (
        Result.objects.filter(task_id=OuterRef("pk")).order_by("-submitted_at", "-id").values("document_date")
    )
    Task.objects.filter(state="result_submitted", completed_on__isnull=True).update(
        completed_on=Subquery(latest[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("tracking", "0005_followup")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
