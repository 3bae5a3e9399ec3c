"""The task tree (issue 15): a task split among the city's units (`Task.has_issued_children`) is counted by its children,
not itself. The triggers of the counted tables are installed again (they read the new column) and the counts
recounted."""

from django.db import migrations

from dondoc.evaluation import counts


def forwards(apps, schema_editor):
    counts.uninstall(schema_editor.connection)
    counts.install(schema_editor.connection)
    counts.rebuild(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0007_workday_next_working"),
        ("tracking", "0008_task_tree"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
