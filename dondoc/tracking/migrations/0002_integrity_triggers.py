"""Database triggers for two invariants that a CHECK constraint cannot express:

- the task history (tracking_taskevent) is append-only: UPDATE and DELETE are refused;
- a coordinating unit is never the task's lead unit (checked on both tables).
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER taskevent_no_update BEFORE UPDATE ON tracking_taskevent
       BEGIN SELECT RAISE(ABORT, 'task history is append-only'); END""",
    """CREATE TRIGGER taskevent_no_delete BEFORE DELETE ON tracking_taskevent
       BEGIN SELECT RAISE(ABORT, 'task history is append-only'); END""",
    """CREATE TRIGGER coordination_not_lead_ins BEFORE INSERT ON tracking_coordination
       WHEN NEW.unit_id = (SELECT lead_unit_id FROM tracking_task WHERE id = NEW.task_id)
       BEGIN SELECT RAISE(ABORT, 'a coordinating unit cannot be the lead unit'); END""",
    """CREATE TRIGGER coordination_not_lead_upd BEFORE UPDATE ON tracking_coordination
       WHEN NEW.unit_id = (SELECT lead_unit_id FROM tracking_task WHERE id = NEW.task_id)
       BEGIN SELECT RAISE(ABORT, 'a coordinating unit cannot be the lead unit'); END""",
    """CREATE TRIGGER task_lead_not_coordinator BEFORE UPDATE OF lead_unit_id ON tracking_task
       WHEN EXISTS (SELECT 1 FROM tracking_coordination WHERE task_id = NEW.id AND unit_id = NEW.lead_unit_id)
       BEGIN SELECT RAISE(ABORT, 'a coordinating unit cannot be the lead unit'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS taskevent_no_update",
    "DROP TRIGGER IF EXISTS taskevent_no_delete",
    "DROP TRIGGER IF EXISTS coordination_not_lead_ins",
    "DROP TRIGGER IF EXISTS coordination_not_lead_upd",
    "DROP TRIGGER IF EXISTS task_lead_not_coordinator",
]

POSTGRES = [
    """CREATE FUNCTION dondoc_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'task history is append-only'; END $$""",
    """CREATE TRIGGER taskevent_append_only BEFORE UPDATE OR DELETE ON tracking_taskevent
       FOR EACH ROW EXECUTE FUNCTION dondoc_append_only()""",
    """CREATE FUNCTION dondoc_coordination_not_lead() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.unit_id = (SELECT lead_unit_id FROM tracking_task WHERE id = NEW.task_id) THEN
           RAISE EXCEPTION 'a coordinating unit cannot be the lead unit';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER coordination_not_lead BEFORE INSERT OR UPDATE ON tracking_coordination
       FOR EACH ROW EXECUTE FUNCTION dondoc_coordination_not_lead()""",
    """CREATE FUNCTION dondoc_lead_not_coordinator() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF EXISTS (SELECT 1 FROM tracking_coordination WHERE task_id = NEW.id AND unit_id = NEW.lead_unit_id) THEN
           RAISE EXCEPTION 'a coordinating unit cannot be the lead unit';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER task_lead_not_coordinator BEFORE UPDATE OF lead_unit_id ON tracking_task
       FOR EACH ROW EXECUTE FUNCTION dondoc_lead_not_coordinator()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS task_lead_not_coordinator ON tracking_task",
    "DROP FUNCTION IF EXISTS dondoc_lead_not_coordinator()",
    "DROP TRIGGER IF EXISTS coordination_not_lead ON tracking_coordination",
    "DROP FUNCTION IF EXISTS dondoc_coordination_not_lead()",
    "DROP TRIGGER IF EXISTS taskevent_append_only ON tracking_taskevent",
    "DROP FUNCTION IF EXISTS dondoc_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("tracking", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
