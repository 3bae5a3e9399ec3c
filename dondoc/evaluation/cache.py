"""The dashboard's cache: the same question on the same data is answered once.

A cached answer is keyed on everything its numbers depend on, so it can never be served for other data:

- the **data version** (`data_version`): one cheap statement reading the largest ids of the task events (every
  domain change to a task, coordination or deadline goes through `tracking.actions`, which writes exactly one
  TaskEvent), of the tasks, coordinations and directives (creations), a fingerprint of the small tables the
  counts read (units with their validity and successors, for the reporting units), the calendar's generation (for
  the working days: raised by the database in the transaction of every change to a calendar day, by any process,
  `workdays.models.CalendarVersion`), plus a generation number in the cache that every saved or deleted Task, Coordination,
  DeadlineChange, Directive, Unit, Person or CalendarDay bumps when its transaction commits (so a change made
  outside the actions, e.g. in the admin, is seen at once too);
- the reference date, the period, the filters;
- the visibility scope of the user (`Task.objects.visible_to`: sees every unit or only its own, cleared for secret
  tasks or not), not the user: two leaders share one answer.

It uses Django's cache framework (`default` cache: LocMemCache unless the operator configures another).
`EVAL_CACHE_SECONDS` (default 300, 0 = no cache) bounds how long an answer lives. Known bound: with the per-process
LocMemCache, a change made *outside* the actions by another process, racing with a commit that got a larger event
id first, is seen after at most EVAL_CACHE_SECONDS; with a shared cache (Redis/Memcached) the generation bump
reaches every process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save

from dondoc.core.env import env_int
from dondoc.directives.models import Directive
from dondoc.org.access import person_of
from dondoc.org.models import Person, Unit
from dondoc.tracking.models import Coordination, DeadlineChange, LeadChange, Task, TaskEvent
from dondoc.workdays.models import CalendarDay, CalendarVersion

T = TypeVar("T")
GENERATION_KEY = "dondoc:eval:generation"
PREFIX = "dondoc:eval:v1"


def seconds() -> int:
    """EVAL_CACHE_SECONDS (default 300): how long a cached answer lives; 0 switches the cache off."""
    return env_int("EVAL_CACHE_SECONDS", 300)


def data_version() -> str:
    """A string that changes whenever a number of the evaluation may change (see the module docstring)."""
    q = connection.ops.quote_name

    def top(model: Any) -> str:
        return f"(SELECT MAX({q('id')}) FROM {q(model._meta.db_table)})"

    unit = q(Unit._meta.db_table)
    heirs, leads = q(Unit.successors.through._meta.db_table), q(LeadChange._meta.db_table)
    cal = q(CalendarVersion._meta.db_table)
    sql = (
        f"SELECT {top(TaskEvent)}, {top(Task)}, {top(Coordination)}, {top(Directive)}, {top(DeadlineChange)}, "
        f"(SELECT COUNT(*) FROM {unit}), (SELECT COUNT(valid_to) FROM {unit}), "
        f"(SELECT COUNT(*) + SUM(to_unit_id) FROM {heirs}), (SELECT MAX(effective_on) FROM {leads}), "
        f"(SELECT version FROM {cal} WHERE {q('id')} = 1)"
    )
    with connection.cursor() as cur:
        cur.execute(sql)
        row = cur.fetchone()
    return f"{cache.get(GENERATION_KEY, 0)}:" + ":".join(str(v) for v in row)


def scope(user: Any) -> str:
    """The part of `user` that decides what `Task.objects.visible_to(user)` returns."""
    from dondoc.evaluation.stats import SYSTEM

    if user is SYSTEM:
        return "system"
    person = person_of(user)
    if person is None:
        return "nobody"
    units = "all" if person.sees_everything else f"unit{person.unit_id}"
    return f"{units}:{'secret' if person.cleared_for_secrets else 'public'}"


def cached(parts: tuple[Any, ...], user: Any, compute: Callable[[], T]) -> T:
    """compute(), or its answer for the same parts, scope and data version if the cache has it."""
    ttl = seconds()
    if ttl <= 0:
        return compute()
    raw = repr((data_version(), scope(user), *parts))
    key = f"{PREFIX}:{hashlib.sha256(raw.encode()).hexdigest()}"
    hit = cache.get(key)
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    value = compute()
    cache.set(key, value, ttl)
    return value


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted): any new value will do
        cache.set(GENERATION_KEY, 1, None)


def _changed(**_kwargs: object) -> None:
    transaction.on_commit(_bump)


for _model in (Task, Coordination, DeadlineChange, Directive, Unit, Person, CalendarDay):
    post_save.connect(_changed, sender=_model, dispatch_uid=f"evaluation_cache_{_model.__name__}")
    post_delete.connect(_changed, sender=_model, dispatch_uid=f"evaluation_cache_del_{_model.__name__}")
