"""When a result was returned (`Result.returned_at`): the figures as of a date before the return count the task as it
stood then. Results returned before this field existed get the time of the task's first "return" history row at or
after their submission."""

from django.db import migrations, models


def backfill(apps, schema_editor):
    Result = apps.get_model("tracking", "Result")
    TaskEvent = apps.get_model("tracking", "TaskEvent")
    for result in Result.objects.exclude(returned_reason="").filter(returned_at__isnull=True).iterator():
        at = (
            TaskEvent.objects.filter(task_id=result.task_id, action="return", at__gte=result.submitted_at)
            .order_by("at", "id")
            .values_list("at", flat=True)
            .first()
        )
        if at is not None:
            Result.objects.filter(pk=result.pk).update(returned_at=at)


class Migration(migrations.Migration):
    dependencies = [("tracking", "0018_fold_by_index")]

    operations = [
        migrations.AddField(
            model_name="result",
            name="returned_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="thời điểm trả lại"),
        ),
        migrations.AddIndex(
            model_name="result",
            index=models.Index(
                condition=models.Q(("returned_at__isnull", False)), fields=["returned_at"], name="result_returned_at"
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
