"""Audit trail of the writes that send no per-row signal: bulk inserts and updates (one entry per operation, with
the ids), many-to-many changes (the related ids before and after); and a scan of the code that fails when a new
bulk write on an audited model forgets to record itself."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.test import RequestFactory

from dondoc.api import spreadsheet
from dondoc.audit import bulk
from dondoc.audit.context import AuditContextMiddleware, actor
from dondoc.audit.models import AuditEntry
from dondoc.audit.signals import DEFAULT_MODELS
from dondoc.inspection.models import InspectedUnit, TeamMember
from dondoc.tracking import actions
from dondoc.tracking.models import Coordination, Task
from dondoc.workdays.models import CalendarDay
from tests.api.helpers import GOOD_ROWS, xlsx
from tests.audit.helpers import entries, verify
from tests.helpers import make_plan, merged_unit, run_jobs

A = AuditEntry.Action


def as_request(user, address: str, work) -> None:
    """Run `work()` inside a request of `user` from `address`, through the audit trail's own middleware."""
    request = RequestFactory().post("/", REMOTE_ADDR=address)
    request.user = user

    def view(_request):
        work()
        return HttpResponse()

    AuditContextMiddleware(view)(request)


def recorded_task_ids(field: str) -> set[int]:
    """Tasks whose `field` change is in the trail, recorded row by row or in one bulk entry."""
    found = set()
    for e in entries(action=A.UPDATE, object_type="tracking.task"):
        if e.object_id and field in (e.after or {}):
            found.add(int(e.object_id))
        elif field in (e.after or {}).get("changes", {}):
            found.update(e.after["ids"])
    return found


# --- bulk writes -------------------------------------------------------------------------------------------------


def test_rehoming_a_units_tasks_records_each_moved_task_by_id_with_who_and_where(
    directive, registry, personas, frozen
):
    tracker = personas["tracker"].user
    successor = registry["SXD"]
    old = merged_unit(successor)
    tasks = [
        actions.assign(
            actions.create_task(
                directive, lead_unit=old, content=f"Việc {i}", user=tracker, coordinating_units=[successor]
            ),
            tracker,
            on=date(2025, 3, 1),
        )
        for i in range(3)
    ]
    first_new = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    as_request(tracker, "10.20.30.40", lambda: actions.rehome_unit_tasks(old, tracker, reason="Sáp nhập"))

    assert recorded_task_ids("lead_unit_id") >= {t.pk for t in tasks}
    moved = [e for e in entries(id__gt=first_new, object_type="tracking.task") if e.action == A.UPDATE]
    assert {(e.before["lead_unit_id"], e.after["lead_unit_id"]) for e in moved} == {(old.pk, successor.pk)}
    assert {(e.username, e.address) for e in moved} == {("vp.theodoi", "10.20.30.40")}
    # The successor stops coordinating the tasks it now leads: those rows' deletions are recorded too.
    dropped = entries(id__gt=first_new, action=A.DELETE, object_type="tracking.coordination")
    assert sorted(e.before["task_id"] for e in dropped) == sorted(t.pk for t in tasks)
    assert verify()[0]


def test_coordinators_inserted_in_bulk_are_recorded_in_one_entry_with_their_ids(make_task, registry, frozen):
    task = make_task(coordinators=("STC", "SYT"), assign=False)
    created = entries(action=A.CREATE, object_type="tracking.coordination")
    assert len(created) == 1
    ids = sorted(task.coordinations.values_list("pk", flat=True))
    assert created[0].after["ids"] == ids and created[0].after["count"] == 2
    assert {(r["task_id"], r["unit_id"]) for r in created[0].after["rows"]} == {
        (task.pk, registry["STC"].pk),
        (task.pk, registry["SYT"].pk),
    }
    assert verify()[0]


def test_task_without_coordinators_writes_no_empty_bulk_entry(make_task, frozen):
    make_task(coordinators=(), assign=False)
    assert not entries(object_type="tracking.coordination")


def test_inspection_team_and_units_inserted_in_bulk_are_recorded(personas, registry, frozen):
    plan = make_plan(personas["inspector"], [registry["SXD"], registry["STC"]], title="Kiểm tra quý I")
    team = entries(action=A.CREATE, object_type="inspection.teammember")
    units = entries(action=A.CREATE, object_type="inspection.inspectedunit")
    assert team[-1].after["ids"] == sorted(TeamMember.objects.filter(plan=plan).values_list("pk", flat=True))
    assert units[-1].after["ids"] == sorted(
        InspectedUnit.objects.filter(plan=plan).values_list("pk", flat=True)
    )


def test_record_bulk_names_model_ids_fields_new_values_user_and_address(personas, directive, frozen):
    days = [
        CalendarDay.objects.create(date=date(2027, 6, d), kind="holiday", name="Nghỉ thử")
        for d in (14, 15, 16)
    ]
    ids = [d.pk for d in days]

    def rename() -> None:
        CalendarDay.objects.filter(pk__in=ids).update(name="Nghỉ bù")
        bulk.record_bulk(CalendarDay, ids, {"name": "Nghỉ bù"})

    as_request(personas["tracker"].user, "10.0.0.9", rename)
    row = entries(object_type="workdays.calendarday", action=A.UPDATE)[-1]
    assert row.after == {"count": 3, "ids": sorted(ids), "changes": {"name": "Nghỉ bù"}}
    assert (row.username, row.address) == ("vp.theodoi", "10.0.0.9")


def test_huge_bulk_write_keeps_count_and_filter_instead_of_every_id(registry, monkeypatch):
    monkeypatch.setattr(bulk, "BULK_IDS_MAX", 2)
    row = bulk.record_bulk(Task, [7, 8, 9], {"secret": True}, where="nhiệm vụ của văn bản 3")
    assert row is not None
    assert row.after == {"count": 3, "where": "nhiệm vụ của văn bản 3", "changes": {"secret": True}}


def test_bulk_write_on_a_model_not_audited_or_of_no_rows_records_nothing(registry):
    before = AuditEntry.objects.count()
    assert bulk.record_bulk(Task, []) is None
    assert bulk.record_bulk(AuditEntry, [1, 2]) is None
    assert AuditEntry.objects.count() == before


def test_import_run_by_the_background_worker_is_recorded_under_who_queued_it(
    personas, directive, settings, tmp_path, frozen
):
    settings.MEDIA_ROOT = str(tmp_path)
    spreadsheet.queue(xlsx(GOOD_ROWS), personas["tracker"].user, rows=len(GOOD_ROWS))
    run_jobs()
    created = entries(action=A.CREATE, object_type="tracking.task")
    coordinators = entries(action=A.CREATE, object_type="tracking.coordination")
    assert len(created) == 3 and len(coordinators) == 1
    assert {(e.user_id, e.username, e.address) for e in created + coordinators} == {
        (personas["tracker"].user_id, "vp.theodoi", None)
    }
    assert actor() == (None, "", None)  # the worker's next job is nobody's until it says whose


# --- many-to-many --------------------------------------------------------------------------------------------


def test_changing_a_users_groups_records_the_group_ids_before_and_after(personas):
    user = personas["lead_officer"].user
    editors, readers = Group.objects.create(name="Biên tập"), Group.objects.create(name="Chỉ xem")

    as_request(personas["tracker"].user, "10.1.1.1", lambda: user.groups.add(editors))
    row = entries(action=A.UPDATE, object_type="auth.user", object_id=str(user.pk))[-1]
    assert (row.before, row.after) == ({"groups": []}, {"groups": [editors.pk]})
    assert (row.username, row.address) == ("vp.theodoi", "10.1.1.1")

    user.groups.set([readers])  # a remove and an add: two entries, each with before and after
    last = entries(action=A.UPDATE, object_type="auth.user", object_id=str(user.pk))[-2:]
    assert [(e.before, e.after) for e in last] == [
        ({"groups": [editors.pk]}, {"groups": []}),
        ({"groups": []}, {"groups": [readers.pk]}),
    ]
    user.groups.clear()
    row = entries(action=A.UPDATE, object_type="auth.user", object_id=str(user.pk))[-1]
    assert (row.before, row.after) == ({"groups": [readers.pk]}, {"groups": []})
    assert verify()[0]


def test_adding_members_from_the_groups_side_is_recorded_on_the_group(personas):
    group = Group.objects.create(name="Thanh tra")
    users = [personas["inspector"].user, personas["leader"].user]
    group.user_set.add(*users)
    row = entries(action=A.UPDATE, object_type="auth.group", object_id=str(group.pk))[-1]
    assert (row.before, row.after) == ({"user_set": []}, {"user_set": sorted(u.pk for u in users)})


def test_adding_a_group_the_user_already_has_records_nothing(personas):
    user = personas["lead_officer"].user
    group = Group.objects.create(name="Biên tập")
    user.groups.add(group)
    before = AuditEntry.objects.count()
    user.groups.add(group)
    assert AuditEntry.objects.count() == before


def test_group_permissions_and_task_coordinators_changed_as_relations_are_recorded(
    make_task, registry, frozen
):
    from django.contrib.auth.models import Permission

    group = Group.objects.create(name="Theo dõi")
    perm = Permission.objects.get(codename="view_task")
    group.permissions.add(perm)
    assert entries(object_type="auth.group", object_id=str(group.pk))[-1].after == {"permissions": [perm.pk]}
    task = make_task(coordinators=(), assign=False)
    task.coordinating_units.add(registry["STC"])
    row = entries(action=A.UPDATE, object_type="tracking.task", object_id=str(task.pk))[-1]
    assert row.after == {"coordinating_units": [registry["STC"].pk]}
    assert Coordination.objects.filter(task=task).count() == 1


# --- no new silent bulk write ---------------------------------------------------------------------------------

SOURCE = Path(__file__).resolve().parents[2] / "dondoc"
# Bulk writes on audited models that are deliberately not recorded (README "Nhật ký kiểm toán").
UNRECORDED = {
    ("demo/synth.py", "*"): "bulk loader of synthetic data (loaddemo, benchmarks)",
    ("followup/engine.py", "Task"): "next_followup_at: the engine's own schedule, not a change anyone made",
    ("api/auth.py", "ApiToken"): "last_used_at: skipped as noise like every use",
    (
        "documents/register.py",
        "OutgoingDocument",
    ): "files, files_error: the worker's progress drawing an issued letter's files (queued, running, the reason of a"
    " failure), like a report run's; the files themselves are saved on the row through save(), audited",
    (
        "org/registry.py",
        "Unit",
    ): "the shipped registry, loaded by a data migration (and again into a flushed test db)",
    (
        "workdays/calendar.py",
        "CalendarDay",
    ): "the shipped official calendar, loaded by a data migration (idem)",
}
BULK = re.compile(r"\.(update|bulk_create|bulk_update)\(")


def _statement(text: str, start: int) -> str:
    """From `start` to the end of the expression it begins: the close of an enclosing bracket, or the end of a
    line not followed by a chained `.method(`."""
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth < 0:
                break
        elif c == "\n" and depth == 0 and not text[i + 1 :].lstrip(" ").startswith("."):
            break  # the end of the line, unless the chain goes on with `.method(` on the next one
        i += 1
    return text[start:i]


def test_every_bulk_write_on_an_audited_model_records_itself():
    names = {label.split(".")[1] for label in DEFAULT_MODELS}
    silent = []
    for path in SOURCE.rglob("*.py"):
        rel = path.relative_to(SOURCE).as_posix()
        if "/migrations/" in rel or rel.startswith("audit/") or (rel, "*") in UNRECORDED:
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"\b([A-Z]\w+)\.objects\b", text):
            model = match.group(1)
            if model not in names or (rel, model) in UNRECORDED:
                continue
            statement = _statement(text, match.start())
            if not BULK.search(statement):
                continue
            line_start = text.rfind("\n", 0, match.start())
            context = text[text.rfind("\n", 0, line_start - 1) : match.start() + len(statement)]
            if "record_bulk" not in context:
                silent.append(f"{rel}: {model}.objects…{BULK.search(statement).group(0)}")  # type: ignore[union-attr]
    assert not silent, (
        "bulk writes that the audit trail misses (call dondoc.audit.bulk.record_bulk): " + ", ".join(silent)
    )


@pytest.mark.parametrize("rel", sorted({rel for rel, _ in UNRECORDED}))
def test_the_list_of_unrecorded_bulk_writes_names_files_that_exist(rel):
    assert (SOURCE / rel).exists()
