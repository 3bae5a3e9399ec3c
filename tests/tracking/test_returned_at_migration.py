"""Migration tracking 0019 (`Result.returned_at`): a result returned before the field existed gets the time of its
own return — the first "return" history row at or after its submission, not the task's first or latest return.
The figures as of a date read it (`TaskQuerySet.with_result_on`): a task returned twice must give each result
its own return's time, or a date between the first return and the next submission shows the first result
as standing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dondoc.tracking import actions
from dondoc.tracking.models import Result, Task


def _at(frozen, when: str) -> datetime:
    frozen.move_to(f"{when} +07:00")
    return datetime.fromisoformat(f"{when}+07:00")


def _submit(task: Task, user, number: str, on: date) -> Result:
    return actions.submit_result(Task.objects.get(pk=task.pk), user, document_number=number, document_date=on)


def _return(task: Task, user) -> None:
    actions.return_result(Task.objects.get(pk=task.pk), user, reason="Chưa đạt")


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_each_returned_result_the_time_of_its_own_return(make_task, personas, frozen):
    tracker, lead = personas["tracker"].user, personas["lead_officer"].user
    twice, standing, same_instant = (make_task(due_date=date(2026, 3, 20)) for _ in range(3))
    for task in (twice, standing, same_instant):
        actions.acknowledge(task, lead)
    # Returned twice: sent 03/03, returned 05/03; sent again 09/03, returned 12/03; sent a third time 16/03.
    _at(frozen, "2026-03-03 10:00")
    first = _submit(twice, lead, "1/BC", date(2026, 3, 3))
    first_return = _at(frozen, "2026-03-05 15:00")
    _return(twice, tracker)
    _at(frozen, "2026-03-09 10:00")
    second = _submit(twice, lead, "2/BC", date(2026, 3, 9))
    second_return = _at(frozen, "2026-03-12 15:00")
    _return(twice, tracker)
    _at(frozen, "2026-03-16 10:00")
    third = _submit(twice, lead, "3/BC", date(2026, 3, 16))
    # Never returned: sent and confirmed.
    kept = _submit(standing, lead, "4/BC", date(2026, 3, 16))
    actions.confirm_completion(Task.objects.get(pk=standing.pk), tracker)
    # Returned the instant it was sent (time frozen: the history row's time equals the submission's).
    prompt = _submit(same_instant, lead, "5/BC", date(2026, 3, 16))
    _return(same_instant, tracker)
    expected = {
        first.pk: first_return,
        second.pk: second_return,
        third.pk: None,
        kept.pk: None,
        prompt.pk: datetime.fromisoformat("2026-03-16 10:00+07:00"),
    }
    assert dict(Result.objects.values_list("pk", "returned_at")) == expected  # as `return_result` writes it

    executor = MigrationExecutor(connection)
    executor.migrate([("tracking", "0018_fold_by_index")])  # the column goes, the reasons and history stay
    executor.loader.build_graph()
    executor.migrate([("tracking", "0019_result_returned_at")])
    historical = executor.loader.project_state([("tracking", "0019_result_returned_at")]).apps
    migrated = historical.get_model("tracking", "Result").objects.values_list("pk", "returned_at")
    assert dict(migrated) == expected
    executor.loader.build_graph()  # the later migrations (the tests after this one run on the whole schema)
    executor.migrate(executor.loader.graph.leaf_nodes())

    # As of 07/03 (after the first return, before the second submission) the first result no longer stood; as of
    # 04/03 it did, and as of 10/03 the second one did.
    def stood(day: date) -> bool:
        return Task.objects.with_result_on(day).get(pk=twice.pk).stood_then

    assert (stood(date(2026, 3, 4)), stood(date(2026, 3, 7)), stood(date(2026, 3, 10))) == (True, False, True)
