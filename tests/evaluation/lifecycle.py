"""Test helpers that move tasks through their lifecycle with the domain functions (no row written by hand)."""

from __future__ import annotations

from datetime import date

from dondoc.org.models import Person
from dondoc.tracking import actions
from dondoc.tracking.models import Task


def head_of(task: Task) -> Person:
    """A person of the task's lead unit who may act for it (its head, created if the unit has none)."""
    from tests.conftest import make_person

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
