"""The counted buckets (`dondoc.tracking.counted`) against the tasks themselves.

Random tasks are written and changed by every route that bypasses the actions — bulk_create, queryset.update, raw
SQL, deletes, save() — and after each round the counts kept by the triggers equal a recount from scratch, and
every counter read from them (the city, each unit, with and without secret tasks, the hidden secret tasks, the
overdue units) equals the same counter counted from the tasks, on today and on later days (the buckets that depend
on the date — overdue, due soon — move as the days pass, the counted rows do not). The task list's first pages,
read in two parts off the counts, are the same rows in the same order as the one sorted query. Runs on SQLite
and PostgreSQL (the triggers differ).
"""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext

from dondoc.core import counted_sql
from dondoc.tracking import counted
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import BucketCount, CityBucketCount, Coordination, Task
from dondoc.tracking.queries import OpenFirst, bucket_counts, hidden_secret_count, list_order, sum_counts
from tests.helpers import RANDOM_UNITS, bucket_sums, held_open, login, random_task_fields

REF = date(2026, 3, 10)  # the frozen today
# today, a Saturday (a deadline on it rolls to Monday), the day after Tết's holiday, two later months
REFS = [REF, date(2026, 3, 14), date(2026, 2, 23), date(2026, 4, 30), date(2026, 6, 1)]


def _pending_rows() -> int:
    return BucketCount.objects.exclude(pending=0).count() + CityBucketCount.objects.exclude(pending=0).count()


def _overdue_by_unit(qs, ref: date, soon: date, n) -> list:
    return list(
        qs.filter(tl.bucket_filter(tl.OVERDUE, ref, soon))
        .values("lead_unit")
        .annotate(n=n)
        .filter(n__gt=0)
        .order_by("lead_unit")
        .values_list("lead_unit", "n")
    )


def _same_counters(user, units: dict) -> None:
    tasks = Task.objects.visible_to(user)
    for ref in REFS:
        soon = tl.soon_limit(ref)
        for unit in (None, *units.values()):
            data = {"unit": unit} if unit else {}
            listed = tasks.filter(lead_unit=unit) if unit else tasks
            expected = bucket_counts(listed, ref, soon)
            for city in (False, True):  # the units' rows, and the city's when no unit is asked
                rows = counted.rows_for(user, data, city=city)
                assert rows is not None
                assert rows.model is (CityBucketCount if city and not unit else BucketCount)
                assert bucket_counts(rows, ref, soon) == expected, (ref, unit, city)
                open_n = counted.bucket_counts(rows.exclude(state=tl.DRAFT), ref, soon)[1]
                assert open_n == listed.filter(state__in=tl.OPEN_STATES).count(), (ref, unit, city)
            for bucket in (None, *tl.BUCKETS) if ref == REF else ():  # the hidden ones: today only
                asked = {**data, "bucket": bucket}
                # the list's buckets are today's: never a past cut-off, so no secret task is counted for anyone
                # (`secrecy.fixed_reference`; tests/security/test_secret_reference_dates.py)
                assert hidden_secret_count(user, asked, ref, soon) == 0, (ref, unit, bucket)
        assert _overdue_by_unit(counted.rows_for(user), ref, soon, Sum("n")) == _overdue_by_unit(
            tasks, ref, soon, Count("id")
        ), ref


@pytest.mark.parametrize("seed", [1])
def test_counts_follow_every_write_and_agree_with_the_tasks(db, frozen, registry, personas, directive, seed):
    rng = random.Random(seed)
    leader = personas["leader"].user  # sees every task, secret ones too
    inspector = personas["inspector"].user  # sees every task but the secret ones
    Task.objects.bulk_create([Task(**random_task_fields(rng, directive, registry)) for _ in range(100)])
    for round_ in range(3):
        ids = list(Task.objects.values_list("id", flat=True))
        for pk in rng.sample(ids, 20):  # queryset.update: no signal, no save()
            Task.objects.filter(pk=pk).update(**random_task_fields(rng, directive, registry))
        with connection.cursor() as cur:  # raw SQL, one statement over many rows
            cur.execute(
                "UPDATE tracking_task SET secret = NOT secret WHERE id IN (%s, %s, %s)", rng.sample(ids, 3)
            )
        Task.objects.filter(pk__in=rng.sample(ids, 5)).delete()
        for _ in range(6):  # save() through the ORM
            Task.objects.create(**random_task_fields(rng, directive, registry))
        task = Task.objects.exclude(state=tl.DRAFT).order_by("?").first()
        task.progress = 40  # a write of no key column
        task.save()
        # PostgreSQL's writers appended pending rows (SQLite's upserted): the counters sum them with the folded
        # rows, and folding them changes no key's sum
        assert (_pending_rows() > 0) == (connection.vendor == "postgresql")
        _same_counters(leader, registry_subset(registry))
        _same_counters(inspector, registry_subset(registry))
        kept = bucket_sums()
        counted_sql.fold_all(connection)
        assert _pending_rows() == 0
        assert kept == bucket_sums(), f"round {round_}: folding changed the counts"
        _same_counters(inspector, registry_subset(registry))
        counted.rebuild()
        assert kept == bucket_sums(), f"round {round_}: the triggers' counts differ from a recount"


def registry_subset(registry: dict) -> dict:
    return {code: registry[code] for code in RANDOM_UNITS}


def test_the_counts_stay_right_as_the_days_pass(db, frozen, registry, personas, directive, client):
    """The same tasks, the date moved on: the task list's counters (read off the counted rows) follow."""
    rng = random.Random(7)
    Task.objects.bulk_create([Task(**random_task_fields(rng, directive, registry)) for _ in range(60)])
    sxd = registry["SXD"]
    for task in Task.objects.exclude(lead_unit=sxd).order_by("id")[::4]:
        Coordination.objects.create(task=task, unit=sxd)
    for day in ("2026-03-10", "2026-03-14", "2026-04-02", "2026-06-01"):
        frozen.move_to(f"{day} 09:00 +07:00")
        ref = date.fromisoformat(day)
        soon = tl.soon_limit(ref)
        for person in (personas["tracker"], personas["lead_officer"], personas["inspector"]):
            login(person, client)  # the session of the day before has expired
            with CaptureQueriesContext(connection) as ctx:
                page = client.get("/nhiem-vu/")
            # the city's rows for who sees every unit (~9k rows at 10^6 tasks), a unit's own rows for its people
            table = counted.CITY_TABLE if person.sees_everything else counted.TABLE
            assert any(table in q["sql"] for q in ctx.captured_queries), person
            listed = Task.objects.visible_to(person.user).exclude(state=tl.DRAFT)
            shown = {c.key: c.n for c in page.context["counts"]}
            expected = bucket_counts(listed, ref, soon)
            assert shown == {k: expected[k] for k in shown}, (day, person)
            assert page.context["counts"][2].part.n == expected[tl.DUE_SOON]
            assert page.context["page"].paginator.count == listed.count()
            assert [t.pk for t in page.context["page"]] == list(
                list_order(listed).values_list("id", flat=True)[:25]
            )


def test_the_list_read_in_two_parts_is_the_same_list(db, frozen, registry, directive):
    rng = random.Random(3)
    Task.objects.bulk_create([Task(**random_task_fields(rng, directive, registry)) for _ in range(70)])
    tasks = Task.objects.exclude(state=tl.DRAFT)
    whole = list(list_order(tasks).values_list("id", flat=True))
    parts = OpenFirst(tasks, tasks.filter(state__in=tl.OPEN_STATES).count())
    assert 0 < parts.open_n < len(whole)
    for start in range(0, len(whole) + 10, 7):
        assert [t.pk for t in parts[start : start + 9]] == whole[start : start + 9], start


def test_a_filter_the_rows_do_not_keep_is_counted_from_the_tasks(db, personas, registry):
    assert counted.rows_for(personas["leader"].user, {"q": "xây"}) is None
    assert counted.rows_for(personas["lead_officer"].user, {"directive": 3}) is None
    assert (
        counted.rows_for(personas["leader"].user, {"unit": registry["SXD"], "bucket": tl.OVERDUE}) is not None
    )


def test_a_unit_sees_the_sum_of_its_parts(db, frozen, registry, personas, directive):
    """A unit's people see the tasks it leads and those it coordinates: the parts counted apart add up to the
    counts of what they see, secret tasks kept out unless cleared."""
    rng = random.Random(5)
    Task.objects.bulk_create([Task(**random_task_fields(rng, directive, registry)) for _ in range(80)])
    sxd = registry["SXD"]
    for task in Task.objects.exclude(lead_unit=sxd).order_by("id")[::3]:
        Coordination.objects.create(task=task, unit=sxd)
    officer = personas["lead_officer"]
    for cleared in (False, True):
        officer.cleared_for_secrets = cleared
        officer.save()
        parts = Task.objects.visible_parts(officer.user)
        assert len(parts) == 2
        seen = Task.objects.visible_to(officer.user)
        assert sum(p.count() for p in parts) == seen.count()
        for ref in REFS:
            soon = tl.soon_limit(ref)
            counts = sum_counts([bucket_counts(p, ref, soon) for p in parts])
            assert counts == bucket_counts(seen, ref, soon), (cleared, ref)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="pending rows are PostgreSQL's")
def test_folding_beside_an_open_writer_and_another_folder(registry, directive):
    """The folder never waits for a writer and folds only what was committed: a writer's transaction still open
    keeps its pending rows through a fold (counted once they commit, folded by the next fold); two folders at
    once (the chainer's lock normally keeps them apart) fold each pending row once. Every key's sum equals a
    recount at the end."""
    import threading

    from django.db import connections, transaction

    rng = random.Random(11)
    ids = [
        t.pk
        for t in Task.objects.bulk_create(
            [Task(**random_task_fields(rng, directive, registry)) for _ in range(40)]
        )
    ]

    def write() -> None:
        for pk in ids[:10]:
            Task.objects.filter(pk=pk).update(**random_task_fields(rng, directive, registry))

    with held_open(write) as errors:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")
            counted_sql.fold_all(connection)  # beside the open writer: no wait, its rows stay pending
        assert _pending_rows() == 0  # the writer's are not visible yet
    assert errors == [] and _pending_rows() > 0
    for pk in ids[10:20]:  # more pending rows, then two folders at once
        Task.objects.filter(pk=pk).update(**random_task_fields(rng, directive, registry))

    def fold() -> None:
        try:
            with transaction.atomic():
                counted_sql.fold_all(connection)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    folders = [threading.Thread(target=fold) for _ in range(2)]
    for t in folders:
        t.start()
    for t in folders:
        t.join()
    assert errors == [] and _pending_rows() == 0
    kept = bucket_sums()
    counted.rebuild()
    assert kept == bucket_sums()
