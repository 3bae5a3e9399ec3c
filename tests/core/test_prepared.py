"""Prepared reads (`core.prepared`): the statement built once, each call the queryset's own answer."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db.models import Count
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from dondoc.core.prepared import SHAPE, Prepared
from dondoc.tracking.models import Task

pytestmark = pytest.mark.django_db


def _visible(pk, sees_everything, unit_id, cleared):
    return (
        Task.objects.visible_by(unit_id, everything=sees_everything, cleared=cleared)
        .select_related("lead_unit", "directive")
        .filter(pk__gte=pk)
        .order_by("id")
    )


def _shown(tasks):
    return [(t.pk, t.content, t.lead_unit.name, t.directive.notation, t.secret) for t in tasks]


@pytest.fixture
def tasks(make_task, frozen):
    made = [make_task(content=f"Nhiệm vụ {n}", due_date=date(2026, 3, 1 + n)) for n in range(4)]
    made.append(make_task(lead="STC", coordinators=("SXD",), content="Phối hợp", due_date=date(2026, 4, 1)))
    made.append(make_task(content="Mật", due_date=date(2026, 4, 2), secret=True))
    made.append(make_task(lead="SYT", coordinators=(), content="Không liên quan"))
    return made


@pytest.mark.parametrize("sees_everything,cleared", [(True, True), (False, False), (False, True)])
def test_a_prepared_read_gives_what_its_queryset_gives(tasks, personas, sees_everything, cleared):
    read = Prepared(_visible, (int, SHAPE, int, SHAPE))
    unit = personas["lead_officer"].unit_id
    for start in (tasks[0].pk, tasks[3].pk, tasks[-1].pk + 1):
        expected = _shown(_visible(start, sees_everything, unit, cleared))
        assert _shown(read(start, sees_everything, unit, cleared)) == expected
    # another unit's reader, the same shape: its own tasks
    other = personas["other_officer"].unit_id
    assert _shown(read(tasks[0].pk, False, other, cleared)) == _shown(
        _visible(tasks[0].pk, False, other, cleared)
    )
    assert [t.content for t in read(tasks[0].pk, False, other, cleared)] == ["Không liên quan"]


def test_its_sql_read_as_a_subquery_gives_its_rows(tasks, personas):
    """`sql_with_params` (a statement built once read inside another, `counted.bucket_counts`): the statement
    with each call's values in place; EmptyResultSet for a statement that cannot match anything."""
    from django.core.exceptions import EmptyResultSet
    from django.db import connection

    def due(unit_id, none):
        rows = Task.objects.filter(lead_unit_id=unit_id).order_by().values("id", "due_date")
        return rows.none() if none else rows

    read = Prepared(due, (int, SHAPE))
    for person in ("lead_officer", "coord_officer", "other_officer"):
        unit = personas[person].unit_id
        sql, params = read.sql_with_params(unit, False)
        with connection.cursor() as cur:
            cur.execute(f"SELECT s.id, s.due_date FROM ({sql}) s ORDER BY s.id", params)
            got = [
                (pk, day if isinstance(day, date) or day is None else date.fromisoformat(day))
                for pk, day in cur
            ]
        assert got == list(due(unit, False).order_by("id").values_list("id", "due_date")), person
        assert got, person
    with pytest.raises(EmptyResultSet):
        read.sql_with_params(personas["lead_officer"].unit_id, True)


def test_values_rows_dates_and_times_as_their_queryset(tasks):
    def due_counts(start, day):
        return (
            Task.objects.filter(pk__gte=start, due_date__lte=day)
            .values("lead_unit__code")
            .annotate(n=Count("id"))
            .order_by("lead_unit__code")
        )

    read = Prepared(due_counts, (int, date))
    for day in (date(2026, 3, 2), date(2026, 3, 31), date(2026, 12, 31)):
        assert read(tasks[0].pk, day) == list(due_counts(tasks[0].pk, day))
    sessions = Prepared(
        lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now), (str, datetime)
    )
    Session.objects.create(
        session_key="k" * 32, session_data="x", expire_date=timezone.now() + timedelta(hours=1)
    )
    assert [s.session_key for s in sessions("k" * 32, timezone.now())] == ["k" * 32]
    assert sessions("k" * 32, timezone.now() + timedelta(hours=2)) == []
    assert sessions("z" * 32, timezone.now()) == []


def test_the_statement_is_built_once_per_shape(tasks):
    read = Prepared(_visible, (int, SHAPE, int, SHAPE))
    read(tasks[0].pk, True, 0, True)
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as built:
        assert len(read(tasks[2].pk, True, 0, True)) == len(tasks) - 2
        assert built.call_count == 0
        read(tasks[2].pk, False, 1, False)  # another shape: built
        assert built.call_count > 0


def test_the_columns_converters_are_found_once_and_applied_on_every_run(tasks):
    """The converters of a statement's columns (a date, a datetime, a field's own `from_db_value`) are found on its
    first run on a connection and applied on every run: each run's rows are still the queryset's own."""

    def rows(start):
        return Task.objects.filter(pk__gte=start).order_by("id").values_list("pk", "due_date", "created_at")

    read = Prepared(rows, (int,))
    assert read(tasks[0].pk) == list(rows(tasks[0].pk))
    with mock.patch.object(
        SQLCompiler, "get_converters", autospec=True, side_effect=SQLCompiler.get_converters
    ) as found:
        again = read(tasks[2].pk)
        assert found.call_count == 0
    assert again == list(rows(tasks[2].pk))
    assert isinstance(again[0][1], date) and isinstance(again[0][2], datetime)
    assert _shown(Prepared(_visible, (int, SHAPE, int, SHAPE))(tasks[1].pk, True, 0, True)) == _shown(
        _visible(tasks[1].pk, True, 0, True)
    )


def test_a_read_that_matches_nothing_reads_nothing(tasks, django_assert_num_queries):
    read = Prepared(lambda pk: Task.objects.none().filter(pk=pk), (int,))
    with django_assert_num_queries(0):
        assert read(tasks[0].pk) == [] and read.first(tasks[0].pk) is None


def test_a_value_that_changes_the_statement_is_refused(tasks):
    """A value that is not a parameter (a LIMIT) would be frozen into the statement: refused, not wrong."""
    read = Prepared(lambda n: Task.objects.order_by("id")[:n], (int,))
    with pytest.raises(ValueError, match="SHAPE"):
        read(3)


def test_a_statement_built_with_the_calendars_limits_is_built_again_when_the_calendar_changes(
    make_task, frozen
):
    """A bucket's limits come from the working calendar (a deadline on a day off counts to the next working day)
    and are kept in the statement built for a date: a day made a holiday must count at once — Friday 06/03/2026
    made a day off, a task due that day is no longer overdue on Monday 09/03 (it rolls to that Monday)."""
    from dondoc.tracking import timeliness as tl
    from dondoc.workdays.models import CalendarDay

    due_friday = make_task(content="Hạn thứ Sáu", due_date=date(2026, 3, 6))
    overdue = Prepared(
        lambda ref: Task.objects.filter(due_date__lt=tl.current_rule().overdue_before(ref)).order_by("id"),
        (SHAPE,),
    )
    monday = date(2026, 3, 9)
    assert due_friday in overdue(monday)
    CalendarDay.objects.create(date=date(2026, 3, 6), kind="holiday", name="Ngày nghỉ thử nghiệm")
    assert due_friday not in overdue(monday)
