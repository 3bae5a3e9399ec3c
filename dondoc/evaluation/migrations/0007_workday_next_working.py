"""The effective deadline in SQL (issue 14): each working-day row knows the next working day (a deadline on a day
off rolls to it). The table is derived: emptied here, rebuilt on the next question. The triggers of the counted
tables are installed again (a result awaiting confirmation now counts by its document's date) and the counts
recounted."""

from django.db import migrations, models

from dondoc.evaluation import counts


def forwards(apps, schema_editor):
    schema_editor.execute("DELETE FROM evaluation_workdayordinal")
    counts.uninstall(schema_editor.connection)
    if counts.columns_ready(schema_editor.connection):  # else evaluation.0008_task_tree installs them
        counts.install(schema_editor.connection)
        counts.rebuild(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0006_reportrun_figures"),
        ("tracking", "0006_submitted_result_date"),
    ]

    operations = [
        migrations.AddField(
            model_name="workdayordinal",
            name="next_working",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
