"""The task tree (issue 15, point 7): `Task.has_issued_children`, kept by a trigger on every write of a task — the
actions, imports, bulk inserts, raw SQL — so the evaluation's two paths (the counted tables and the count from the
tasks) read the same flag. A task split among the city's units is counted by its issued children, not itself.

The flag is recomputed on the parent whenever a task names it or stops naming it, or a child is issued (its
`assigned_on` set): true when the parent has a child that has been issued. Tasks that already had issued children
(the demo's) get it here."""

from django.db import migrations, models


def _recompute(parent: str, differs: str) -> str:
    """Set the flag of task `parent` (an expression: NEW.parent_id, OLD.parent_id) to what its children say."""
    issued = (
        f"EXISTS (SELECT 1 FROM tracking_task c WHERE c.parent_id = {parent} AND c.assigned_on IS NOT NULL)"
    )
    return (
        f"UPDATE tracking_task SET has_issued_children = {issued} "
        f"WHERE id = {parent} AND has_issued_children {differs} {issued}"
    )


WATCHED = "NEW.parent_id IS NOT OLD.parent_id OR NEW.assigned_on IS NOT OLD.assigned_on"
SQLITE = [
    f"""CREATE TRIGGER task_children_ins AFTER INSERT ON tracking_task
        WHEN NEW.parent_id IS NOT NULL AND NEW.assigned_on IS NOT NULL
        BEGIN {_recompute("NEW.parent_id", "IS NOT")}; END""",
    f"""CREATE TRIGGER task_children_del AFTER DELETE ON tracking_task
        WHEN OLD.parent_id IS NOT NULL AND OLD.assigned_on IS NOT NULL
        BEGIN {_recompute("OLD.parent_id", "IS NOT")}; END""",
    f"""CREATE TRIGGER task_children_upd AFTER UPDATE OF parent_id, assigned_on ON tracking_task WHEN {WATCHED}
        BEGIN {_recompute("NEW.parent_id", "IS NOT")}; {_recompute("OLD.parent_id", "IS NOT")}; END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS task_children_ins",
    "DROP TRIGGER IF EXISTS task_children_del",
    "DROP TRIGGER IF EXISTS task_children_upd",
]

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION dondoc_task_children() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP <> 'DELETE' AND NEW.parent_id IS NOT NULL THEN
            {_recompute("NEW.parent_id", "IS DISTINCT FROM")};
          END IF;
          IF TG_OP <> 'INSERT' AND OLD.parent_id IS NOT NULL THEN
            {_recompute("OLD.parent_id", "IS DISTINCT FROM")};
          END IF;
          RETURN NULL;
        END $$""",
    """CREATE TRIGGER task_children AFTER INSERT OR DELETE ON tracking_task
       FOR EACH ROW EXECUTE FUNCTION dondoc_task_children()""",
    """CREATE TRIGGER task_children_upd AFTER UPDATE OF parent_id, assigned_on ON tracking_task FOR EACH ROW
       WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id OR OLD.assigned_on IS DISTINCT FROM NEW.assigned_on)
       EXECUTE FUNCTION dondoc_task_children()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS task_children ON tracking_task",
    "DROP TRIGGER IF EXISTS task_children_upd ON tracking_task",
    "DROP FUNCTION IF EXISTS dondoc_task_children()",
]


def add_column(apps, schema_editor):
    kind = (
        "boolean NOT NULL DEFAULT false"
        if schema_editor.connection.vendor == "postgresql"
        else "bool NOT NULL DEFAULT 0"
    )
    schema_editor.execute(f"ALTER TABLE tracking_task ADD COLUMN has_issued_children {kind}")


def drop_column(apps, schema_editor):
    schema_editor.execute("ALTER TABLE tracking_task DROP COLUMN has_issued_children")


def forwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for sql in POSTGRES if postgres else SQLITE:
        schema_editor.execute(sql)
    schema_editor.execute(
        "UPDATE tracking_task SET has_issued_children = %s WHERE id IN "
        "(SELECT parent_id FROM tracking_task WHERE parent_id IS NOT NULL AND assigned_on IS NOT NULL)",
        [True],
    )


def backwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for sql in POSTGRES_DROP if postgres else SQLITE_DROP:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0007_decision_dates"),
    ]

    operations = [
        # ALTER TABLE ... ADD COLUMN on both databases: Django would rebuild the whole table on SQLite (a NOT NULL
        # column), which the triggers on tracking_task do not survive.
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(add_column, drop_column)],
            state_operations=[
                migrations.AddField(
                    model_name="task",
                    name="has_issued_children",
                    field=models.BooleanField(
                        db_default=False,
                        default=False,
                        editable=False,
                        verbose_name="đã giao nhiệm vụ con cho đơn vị",
                    ),
                )
            ],
        ),
        migrations.AlterField(
            model_name="taskevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Tạo nhiệm vụ"),
                    ("assign", "Giao nhiệm vụ"),
                    ("acknowledge", "Tiếp nhận"),
                    ("delegate", "Phân công cán bộ"),
                    ("contribute", "Đơn vị phối hợp gửi ý kiến"),
                    ("progress", "Báo cáo tiến độ"),
                    ("submit", "Gửi kết quả"),
                    ("confirm", "Xác nhận hoàn thành"),
                    ("return", "Trả lại kết quả"),
                    ("request_change", "Đề nghị điều chỉnh thời hạn"),
                    ("decide_change", "Quyết định về đề nghị điều chỉnh"),
                    ("change_lead", "Thay đổi đơn vị chủ trì"),
                    ("cancel", "Hủy, rút nhiệm vụ"),
                    ("edit", "Sửa thông tin"),
                    ("urge", "Đôn đốc"),
                    ("derive", "Giao nhiệm vụ con"),
                ],
                max_length=20,
                verbose_name="hành động",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
