"""What a task read on PostgreSQL brings with it as JSON columns, for an answer that does not ask again (issue 19):
its coordinations with their units' names, and its history as the answer shows it."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection

from dondoc.org.models import Person, Unit
from dondoc.tracking.models import Coordination, Task, TaskEvent


def coordinations_sql(task_id: str) -> str:
    """A task's coordinations as one JSON column: [id, unit, input due, the unit's name and abbreviation] each, in
    id order; `task_id` is the SQL of the task's id (a parameter or a column)."""
    return (
        "(SELECT json_agg(json_build_array(c.id, c.unit_id, c.input_due, n.name, n.abbr) ORDER BY c.id) "
        f"FROM {Coordination._meta.db_table} c JOIN {Unit._meta.db_table} n ON n.id = c.unit_id "
        f"WHERE c.task_id = {task_id})"
    )


def history_sql(task_id: str) -> str:
    """A task's history as one JSON column, oldest first: [at, action, the actor's first name, last name and
    username (null without an actor), changes, note] each, as `api._events` reads it."""
    users = get_user_model()._meta.db_table
    return (
        "(SELECT json_agg(json_build_array(e.at, e.action, u.first_name, u.last_name, u.username, e.changes, e.note)"
        f" ORDER BY e.at, e.id) FROM {TaskEvent._meta.db_table} e LEFT JOIN {users} u ON u.id = e.actor_id"
        f" WHERE e.task_id = {task_id})"
    )


def head_sql(unit_id: str) -> str:
    """The row of the head of unit `unit_id` now (`Unit.current_head`) as one JSON column (null: none); `unit_id` is
    the SQL of the unit's id. No parameter (the head's position is the code's constant)."""
    return (
        f"SELECT row_to_json(p) FROM {Person._meta.db_table} p WHERE p.unit_id = {unit_id}"
        f" AND p.position = '{Person.Position.HEAD.value}' AND p.active ORDER BY p.id LIMIT 1"
    )


def person(found: Any) -> Person | None:
    """The person read as `head_sql` reads it (JSON text or values; None: none), every field loaded."""
    if isinstance(found, str):
        found = json.loads(found)
    return None if found is None else _loaded(Person, found)


def _loaded(model: Any, values: dict[str, Any]) -> Any:
    """An instance of `model` as the ORM loads it with only these fields (`Model.from_db` takes the values in the
    model's field order; the others are read when asked)."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[n] for n in names])


def hold_coordinations(t: Task, found: Any) -> None:
    """Let `t` hold its coordinations read as `coordinations_sql` (JSON text or values; None: none), each with its
    unit as far as the answer and the rights read it (id, name, abbreviation; any other field is read when asked)."""
    if isinstance(found, str):
        found = json.loads(found)
    held = []
    for pk, unit_id, input_due, name, abbr in found or []:
        due = date.fromisoformat(input_due) if input_due else None
        c = _loaded(Coordination, {"id": pk, "task_id": t.pk, "unit_id": unit_id, "input_due": due})
        unit = _loaded(Unit, {"id": unit_id, "name": name, "abbr": abbr})
        Coordination._meta.get_field("unit").set_cached_value(c, unit)
        Coordination._meta.get_field("task").set_cached_value(c, t)
        held.append(c)
    t.hold_coordinations(held)


def history_rows(found: Any) -> list[tuple[Any, ...]]:
    """The history read as `history_sql` (JSON text or values; None: none) as `api._events` gives it: the time
    as an aware datetime."""
    if isinstance(found, str):
        found = json.loads(found)
    return [(datetime.fromisoformat(at), *rest) for at, *rest in found or []]
