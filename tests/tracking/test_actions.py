"""The domain functions on a task (DOMAIN.md §5): one lead, coordinators, history, deadlines, completion, rights."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from dondoc.org.models import Person
from dondoc.tracking import actions
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Coordination, DeadlineChange, Task, TaskEvent
from dondoc.tracking.timeliness import soon_limit
from tests.helpers import make_person, merged_unit

REF = date(2026, 3, 10)


def bucket_now(task: Task) -> str:
    return Task.objects.with_bucket(REF, soon_limit(REF)).get(pk=task.pk).bucket


# --- Exactly one lead unit ----------------------------------------------------------------------------------------


def test_task_cannot_be_stored_without_a_lead_unit(directive):
    with pytest.raises(IntegrityError), transaction.atomic():
        Task.objects.create(directive=directive, content="Nhiệm vụ không có đơn vị chủ trì")


def test_create_task_without_a_lead_unit_fails_and_stores_nothing(directive, personas):
    with pytest.raises((IntegrityError, ValidationError)), transaction.atomic():
        actions.create_task(directive, lead_unit=None, content="Nhiệm vụ thử", user=personas["tracker"].user)
    assert not Task.objects.exists()


def test_create_task_records_its_single_lead_unit_and_coordinators(make_task, registry, frozen):
    task = make_task(coordinators=("STC", "SYT"), assign=False)
    assert task.lead_unit == registry["SXD"]
    assert set(task.coordinating_units.values_list("code", flat=True)) == {"STC", "SYT"}
    assert task.state == tl.DRAFT


def test_create_task_refuses_empty_content(directive, registry, personas):
    with pytest.raises(ValidationError) as exc:
        actions.create_task(
            directive, lead_unit=registry["SXD"], content="   ", user=personas["tracker"].user
        )
    assert "content" in exc.value.message_dict


# --- Coordinators never include the lead --------------------------------------------------------------------------


def test_lead_unit_cannot_also_be_a_coordinator(directive, registry, personas):
    with pytest.raises(ValidationError) as exc:
        actions.create_task(
            directive,
            lead_unit=registry["SXD"],
            coordinating_units=[registry["STC"], registry["SXD"]],
            content="Nhiệm vụ thử",
            user=personas["tracker"].user,
        )
    message = " ".join(exc.value.message_dict["coordinating_units"])
    assert "Sở Xây dựng" in message
    assert "không thể đồng thời là đơn vị phối hợp" in message
    assert not Task.objects.exists()


def test_database_refuses_a_coordination_row_for_the_lead_unit(make_task, frozen):
    task = make_task()
    with pytest.raises(DatabaseError), transaction.atomic():
        Coordination.objects.create(task=task, unit=task.lead_unit)
    assert not Coordination.objects.filter(task=task, unit=task.lead_unit).exists()


def test_database_refuses_turning_a_coordinator_into_the_lead_unit(make_task, registry, frozen):
    task = make_task(coordinators=("STC",))
    with pytest.raises(DatabaseError), transaction.atomic():
        Coordination.objects.filter(task=task).update(unit=registry["SXD"])
    with pytest.raises(DatabaseError), transaction.atomic():
        Task.objects.filter(pk=task.pk).update(lead_unit=registry["STC"])
    task.refresh_from_db()
    assert task.lead_unit == registry["SXD"]


def test_changing_the_lead_to_a_coordinator_drops_that_coordination(make_task, registry, personas, frozen):
    task = make_task(coordinators=("STC", "SYT"))
    task = actions.change_lead(
        task, personas["tracker"].user, new_lead=registry["STC"], reason="Theo chức năng sau hợp nhất"
    )
    task.refresh_from_db()
    assert task.lead_unit == registry["STC"]
    assert set(task.coordinating_units.values_list("code", flat=True)) == {"SYT"}
    assert task.state == tl.ASSIGNED  # a change of lead keeps the state


# --- The history is append-only -----------------------------------------------------------------------------------


def test_history_row_cannot_be_saved_again(make_task, frozen):
    event = make_task().events.first()
    event.note = "sửa lịch sử"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    event.refresh_from_db()
    assert event.note == ""


def test_history_queryset_cannot_update_or_delete(make_task, frozen):
    task = make_task()
    with pytest.raises(PermissionError):
        TaskEvent.objects.filter(task=task).update(note="sửa")
    with pytest.raises(PermissionError):
        TaskEvent.objects.filter(task=task).delete()
    assert TaskEvent.objects.filter(task=task).count() == 2
    assert not TaskEvent.objects.filter(task=task).exclude(note="").exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE tracking_taskevent SET note = 'sửa' WHERE task_id = %s",
        "DELETE FROM tracking_taskevent WHERE task_id = %s",
    ],
)
def test_database_refuses_raw_update_or_delete_of_history(make_task, frozen, sql):
    task = make_task()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [task.pk])
    assert TaskEvent.objects.filter(task=task, note="").count() == 2


# --- Each action writes exactly one history row -------------------------------------------------------------------


def test_each_action_writes_exactly_one_history_row(make_task, personas, frozen):
    tracker, lead = personas["tracker"].user, personas["lead_officer"].user
    leader = personas["leader"].user
    task = make_task(assign=False, coordinators=(), content="Rà soát quy hoạch", due_date=date(2026, 3, 31))
    assert list(task.events.values_list("action", flat=True)) == ["create"]
    steps = [
        ("assign", lambda t: actions.assign(t, tracker)),
        ("acknowledge", lambda t: actions.acknowledge(t, lead)),
        ("progress", lambda t: actions.report_progress(t, lead, text="Đã dự thảo", percent=40)),
        (
            "request_change",
            lambda t: actions.request_change(
                t, lead, reason="Chờ ý kiến", proposed_due_date=date(2026, 4, 30)
            ),
        ),
        (
            "decide_change",
            lambda t: actions.decide_change(t, leader, approve=True, decision_document="12/TB-VP"),
        ),
        ("submit", lambda t: actions.submit_result(t, lead, document_number="1/BC-SXD", document_date=REF)),
        ("return", lambda t: actions.return_result(t, tracker, reason="Thiếu phụ lục")),
        ("submit", lambda t: actions.submit_result(t, lead, document_number="2/BC-SXD", document_date=REF)),
        ("confirm", lambda t: actions.confirm_completion(t, tracker)),
    ]
    for action, step in steps:
        before = task.events.count()
        step(Task.objects.get(pk=task.pk))
        assert task.events.count() == before + 1, action
        assert task.events.order_by("-id").first().action == action
    task.refresh_from_db()
    assert task.state == tl.COMPLETED


def test_change_lead_and_cancel_each_write_one_history_row(make_task, registry, personas, frozen):
    tracker = personas["tracker"].user
    task = make_task()
    actions.change_lead(task, tracker, new_lead=registry["SYT"], reason="Đúng chức năng")
    actions.cancel(Task.objects.get(pk=task.pk), tracker, reason="Không còn phù hợp")
    assert list(task.events.values_list("action", flat=True)) == ["create", "assign", "change_lead", "cancel"]


def test_refused_action_writes_no_history(make_task, personas, frozen):
    task = make_task()
    with pytest.raises(ValidationError):
        actions.cancel(task, personas["tracker"].user, reason="  ")
    assert task.events.count() == 2
    task.refresh_from_db()
    assert task.state == tl.ASSIGNED


# --- Accountability -----------------------------------------------------------------------------------------------


def test_head_of_lead_unit_at_assignment_is_accountable(make_task, personas, frozen):
    task = make_task()
    assert task.accountable_head == personas["lead_head"]
    assert task.assigned_on == date(2026, 2, 2)


def test_new_head_after_assignment_does_not_change_the_accountable_person(
    make_task, registry, personas, frozen
):
    task = make_task()
    old_head = personas["lead_head"]
    old_head.active = False
    old_head.save()
    new_head = make_person("sxd.truongmoi", registry["SXD"], Person.Role.UNIT_HEAD, Person.Position.HEAD)

    task.refresh_from_db()
    assert task.accountable_head == old_head
    assert make_task().accountable_head == new_head  # a task assigned now names the new head


# --- Deadline changes ---------------------------------------------------------------------------------------------


def test_old_deadline_stands_while_an_extension_request_waits(make_task, personas, frozen):
    lead = personas["lead_officer"].user
    task = actions.acknowledge(make_task(due_date=date(2026, 3, 5)), lead)
    change = actions.request_change(
        task, lead, reason="Chờ số liệu của quận", proposed_due_date=date(2026, 3, 31)
    )

    task.refresh_from_db()
    assert change.status == DeadlineChange.Status.PENDING
    assert task.due_date == date(2026, 3, 5)
    assert bucket_now(task) == tl.OVERDUE


def test_approved_extension_sets_new_deadline_and_keeps_the_original(make_task, personas, frozen):
    lead, leader = personas["lead_officer"].user, personas["leader"].user
    task = actions.acknowledge(make_task(due_date=date(2026, 3, 5)), lead)
    actions.request_change(task, lead, reason="Chờ số liệu", proposed_due_date=date(2026, 3, 31))
    change = actions.decide_change(task, leader, approve=True, decision_document="88/TB-VP")

    task.refresh_from_db()
    assert change.status == DeadlineChange.Status.APPROVED
    assert change.approved_due_date == date(2026, 3, 31)
    assert task.due_date == date(2026, 3, 31)
    assert task.original_due_date == date(2026, 3, 5)
    assert task.deadline_changes == 1
    assert task.state == tl.IN_PROGRESS  # a deadline change keeps the state
    assert bucket_now(task) == tl.IN_DEADLINE

    actions.request_change(task, lead, reason="Thêm thời gian", proposed_due_date=date(2026, 4, 15))
    actions.decide_change(
        task, leader, approve=True, new_due_date=date(2026, 4, 10), decision_document="90/TB-VP"
    )
    task.refresh_from_db()
    assert (task.due_date, task.original_due_date, task.deadline_changes) == (
        date(2026, 4, 10),
        date(2026, 3, 5),
        2,
    )


def test_a_second_request_waits_for_the_first_decision_and_no_decision_without_a_request(
    make_task, personas, frozen
):
    """Whether a request is pending is read with the locked task (issue 19): a second request is refused while one
    waits, a decision needs one, and after the decision a new request is taken."""
    lead, leader = personas["lead_officer"].user, personas["leader"].user
    task = actions.acknowledge(make_task(due_date=date(2026, 3, 5)), lead)
    with pytest.raises(PermissionDenied):
        actions.decide_change(task, leader, approve=False, note="Chưa có đề nghị")
    actions.request_change(task, lead, reason="Chờ số liệu", proposed_due_date=date(2026, 3, 31))
    with pytest.raises(ValidationError) as exc:
        actions.request_change(task, lead, reason="Lần hai", proposed_due_date=date(2026, 4, 30))
    assert "đang chờ quyết định" in exc.value.message_dict["reason"][0]
    actions.decide_change(task, leader, approve=False, note="Không có lý do chính đáng")
    actions.request_change(task, lead, reason="Lần hai", proposed_due_date=date(2026, 4, 30))
    assert task.deadline_requests.filter(status=DeadlineChange.Status.PENDING).count() == 1


def test_rejecting_a_request_needs_a_reason(make_task, personas, frozen):
    lead, leader = personas["lead_officer"].user, personas["leader"].user
    task = actions.acknowledge(make_task(due_date=date(2026, 3, 5)), lead)
    actions.request_change(task, lead, reason="Chờ số liệu", proposed_due_date=date(2026, 3, 31))

    with pytest.raises(ValidationError) as exc:
        actions.decide_change(task, leader, approve=False, note=" ")
    assert "note" in exc.value.message_dict
    assert task.deadline_requests.get().status == DeadlineChange.Status.PENDING

    change = actions.decide_change(task, leader, approve=False, note="Không có lý do chính đáng")
    task.refresh_from_db()
    assert change.status == DeadlineChange.Status.REJECTED
    assert (task.due_date, task.deadline_changes) == (date(2026, 3, 5), 0)


def test_extension_request_needs_a_reason_and_a_later_date(make_task, personas, frozen):
    lead = personas["lead_officer"].user
    task = make_task(due_date=date(2026, 3, 20))
    with pytest.raises(ValidationError) as exc:
        actions.request_change(task, lead, reason="", proposed_due_date=date(2026, 3, 15))
    assert set(exc.value.message_dict) == {"reason", "proposed_due_date"}
    assert not task.deadline_requests.exists()


# --- Completion -----------------------------------------------------------------------------------------------


def test_completion_date_is_the_result_documents_date_not_today(make_task, personas, frozen):
    lead, tracker = personas["lead_officer"].user, personas["tracker"].user
    task = actions.acknowledge(make_task(due_date=date(2026, 3, 20)), lead)
    actions.submit_result(task, lead, document_number="45/BC-SXD", document_date=date(2026, 3, 6))
    frozen.move_to("2026-03-25 10:00 +07:00")
    task = actions.confirm_completion(task, tracker)

    assert task.completed_on == date(2026, 3, 6)
    assert task.state == tl.COMPLETED
    assert task.progress == 100


def test_result_document_cannot_be_dated_in_the_future(make_task, personas, frozen):
    lead = personas["lead_officer"].user
    task = actions.acknowledge(make_task(), lead)
    with pytest.raises(ValidationError) as exc:
        actions.submit_result(task, lead, document_number="45/BC-SXD", document_date=date(2026, 3, 11))
    assert "document_date" in exc.value.message_dict


# --- Stale edits and rights ---------------------------------------------------------------------------------------


def test_stale_edit_is_refused_naming_who_changed_the_task(make_task, personas, frozen):
    task = make_task()
    seen = task.version
    actions.acknowledge(task, personas["lead_head"].user, expected_version=seen)

    with pytest.raises(actions.StaleEdit) as exc:
        actions.report_progress(
            task, personas["lead_officer"].user, text="Đã xong 50%", percent=50, expected_version=seen
        )
    message = exc.value.messages[0]
    assert "sxd.truong" in message
    assert "tiếp nhận" in message
    assert "tải lại" in message
    task.refresh_from_db()
    assert task.progress == 0


def test_every_action_increments_the_version(make_task, personas, frozen):
    task = make_task()
    before = task.version
    task = actions.acknowledge(task, personas["lead_officer"].user, expected_version=before)
    assert task.version == before + 1


@pytest.mark.parametrize("persona", ["other_officer", "coord_officer", "tracker"])
def test_only_the_lead_unit_can_acknowledge(make_task, personas, frozen, persona):
    task = make_task()
    with pytest.raises(PermissionDenied) as exc:
        actions.acknowledge(task, personas[persona].user)
    assert "Chỉ đơn vị chủ trì được tiếp nhận" in str(exc.value)
    task.refresh_from_db()
    assert task.state == tl.ASSIGNED
    assert task.events.count() == 2


def test_officer_of_the_lead_unit_can_acknowledge(make_task, personas, frozen):
    task = actions.acknowledge(make_task(), personas["lead_officer"].user)
    assert task.state == tl.IN_PROGRESS


def test_deactivated_person_cannot_act(make_task, personas, frozen):
    officer = personas["lead_officer"]
    officer.active = False
    officer.save()
    with pytest.raises(PermissionDenied):
        actions.acknowledge(make_task(), officer.user)


# --- Re-homing a merged unit's tasks ------------------------------------------------------------------------------


def test_rehome_moves_open_tasks_to_the_successor_with_history(directive, registry, personas, frozen):
    tracker, lead = personas["tracker"].user, personas["lead_officer"].user
    successor = registry["SXD"]
    old = merged_unit(successor)

    def task_of_old(content: str) -> Task:
        return actions.assign(
            actions.create_task(
                directive, lead_unit=old, content=content, user=tracker, coordinating_units=[successor]
            ),
            tracker,
            on=date(2025, 3, 1),
        )

    open_task = task_of_old("Giải phóng mặt bằng")
    done = task_of_old("Báo cáo năm 2024")
    Task.objects.filter(pk=done.pk).update(state=tl.COMPLETED, completed_on=date(2025, 5, 1))

    moved = actions.rehome_unit_tasks(old, tracker, reason="Sắp xếp đơn vị hành chính từ 01/7/2025")

    assert moved == 1
    open_task.refresh_from_db()
    assert open_task.lead_unit == successor
    assert not open_task.coordinations.filter(unit=successor).exists()
    assert open_task.state == tl.ASSIGNED
    assert list(open_task.events.values_list("action", flat=True)) == ["create", "assign", "change_lead"]
    assert open_task.events.last().note == "Sắp xếp đơn vị hành chính từ 01/7/2025"
    assert Task.objects.get(pk=done.pk).lead_unit == old
    assert actions.acknowledge(open_task, lead).state == tl.IN_PROGRESS  # the successor now acts on it


def test_rehome_refuses_a_unit_without_successor(registry, personas):
    with pytest.raises(ValidationError) as exc:
        actions.rehome_unit_tasks(registry["SYT"], personas["tracker"].user, reason="thử")
    assert "successor" in exc.value.message_dict
