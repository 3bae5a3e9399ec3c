"""Test helpers that move tasks through their lifecycle with the domain functions (no row written by hand)."""

from __future__ import annotations

from datetime import date

from dondoc.org.models import Person
from dondoc.tracking import actions
from dondoc.tracking.models import Task


def head_of(task: Task) -> Person:
    """A person of the task's lead unit who may act for it (its head, created if the unit has none)."""
    from tests.helpers import make_person

    person = Person.objects.filter(unit=task.lead_unit, role=Person.Role.UNIT_HEAD, active=True).first()
    if person is None:
        code = task.lead_unit.code.lower().replace(".", "")
        person = make_person(f"{code}.truong", task.lead_unit, Person.Role.UNIT_HEAD, Person.Position.HEAD)
    return person


def complete(task: Task, tracker: Person, on: date) -> Task:
    """Acknowledge, submit a result document dated `on`, and have the City Office confirm it."""
    worker = head_of(task).user
    task = actions.acknowledge(task, worker)
    actions.submit_result(task, worker, document_number=f"{task.pk}/BC", document_date=on, summary="Đã xong")
    return actions.confirm_completion(Task.objects.get(pk=task.pk), tracker.user)


def complete_by_lead(task: Task, on: date, personas: dict) -> Task:
    """The lead officer persona acknowledges and submits a result dated `on`, the City Office confirms: the completion
    date is the result's date."""
    lead, office = personas["lead_officer"].user, personas["tracker"].user
    actions.acknowledge(task, lead)
    actions.submit_result(
        task, lead, document_number=f"{task.pk}/BC-SXD", document_date=on, summary="Đã xong"
    )
    return actions.confirm_completion(Task.objects.get(pk=task.pk), office)


def extend(task: Task, new_due: date, personas: dict, *, approve: bool = True) -> None:
    """The lead officer persona asks for `new_due`; the leader approves it unless `approve` is False."""
    actions.request_change(
        task, personas["lead_officer"].user, reason="Chờ ý kiến Bộ", proposed_due_date=new_due
    )
    if approve:
        actions.decide_change(
            Task.objects.get(pk=task.pk),
            personas["leader"].user,
            approve=True,
            decision_document="99/UBND-KT",
        )
