"""The dashboard's cache (dondoc.evaluation.cache): a second identical question is answered without counting
again, and any change to the data — a task completed, a task created, a deadline extended, a calendar day — is
seen at once, because the key holds the data version."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc.evaluation import cache as eval_cache
from dondoc.evaluation import dashboard, stats
from dondoc.evaluation import periods as pr
from dondoc.tracking.models import Task
from tests.evaluation.lifecycle import complete_by_lead, extend

REF = date(2026, 3, 10)  # the reference date of the `world` fixture (tests/evaluation/conftest.py)

P = pr.monthly(2026, 3)
NONE = stats.Filters()


def build(user):
    return dashboard.build(P, user, ref=REF, filters=NONE)


def counted(ctx: CaptureQueriesContext) -> int:
    """How many counting statements (aggregates over the tasks by deadline, or reads of the counted tables) ran."""
    return sum(
        1
        for q in ctx.captured_queries
        if ("COUNT(" in q["sql"] and "due_date" in q["sql"])
        or "evaluation_monthcount" in q["sql"]
        or "evaluation_trendcount" in q["sql"]
    )


def test_second_question_comes_from_the_cache(world, personas):  # noqa: F811
    user = personas["leader"].user
    first = build(user)
    with CaptureQueriesContext(connection) as ctx:
        again = build(user)
    assert counted(ctx) == 0  # nothing counted again: only the data version was read
    assert again.evaluation.city == first.evaluation.city
    assert [p.counts for p in again.trend] == [p.counts for p in first.trend]


def test_completing_a_task_is_seen_at_once(world, personas):  # noqa: F811
    user = personas["leader"].user
    before = build(user).evaluation.city
    assert (before.overdue, before.late) == (3, 1)
    complete_by_lead(
        Task.objects.get(pk=world["overdue"].pk), date(2026, 3, 9), personas
    )  # 5 working days late
    after = build(user).evaluation.city
    assert (after.overdue, after.late) == (2, 2)
    assert after == stats.evaluate(P, user, ref=REF).city  # the fresh count, not the cached one


def test_new_task_and_extension_are_seen_at_once(world, personas, make_task):  # noqa: F811
    user = personas["leader"].user
    assert build(user).evaluation.city.due == 9
    make_task(due_date=date(2026, 3, 13))
    assert build(user).evaluation.city.due == 10
    extend(Task.objects.get(pk=world["overdue"].pk), date(2026, 3, 20), personas)  # moved out of the period
    city = build(user).evaluation.city
    assert (city.due, city.overdue) == (9, 2)


def test_calendar_change_is_seen_at_once(world, personas):  # noqa: F811
    from dondoc.workdays.models import CalendarDay

    user = personas["leader"].user
    before = build(user).evaluation.city.overdue_days
    CalendarDay.objects.create(date=date(2026, 3, 6), kind="holiday", name="Ngày nghỉ thử nghiệm")
    assert before - build(user).evaluation.city.overdue_days == 3


def test_a_day_changed_in_place_by_another_process_changes_the_data_version(world):  # noqa: F811
    """Another process (its signals never reach this one's cache) turns a stored day into a working day: the same
    number of days, the same largest id; the calendar's generation moves all the same."""
    from dondoc.workdays.models import CalendarDay

    day = CalendarDay.objects.order_by("id").last()
    assert day is not None and day.kind != "workday"
    before = eval_cache.data_version()
    with connection.cursor() as cur:
        cur.execute("UPDATE workdays_calendarday SET kind = 'workday' WHERE id = %s", [day.pk])
    assert eval_cache.data_version() != before


def test_each_visibility_scope_has_its_own_answer(world, personas):  # noqa: F811
    """The leader is cleared for secret tasks, the inspector is not: one must not get the other's numbers."""
    assert build(personas["leader"].user).evaluation.city.due == 9
    assert build(personas["inspector"].user).evaluation.city.due == 8
    assert eval_cache.scope(personas["leader"].user) != eval_cache.scope(personas["inspector"].user)


def test_cache_can_be_switched_off(world, personas, monkeypatch):  # noqa: F811
    monkeypatch.setenv("EVAL_CACHE_SECONDS", "0")
    user = personas["leader"].user
    build(user)
    with CaptureQueriesContext(connection) as ctx:
        build(user)
    assert counted(ctx) >= 2
