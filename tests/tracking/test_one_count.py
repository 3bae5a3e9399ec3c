"""One count of the buckets (`counted.bucket_counts`, issue 19): the same question gives the same number on every
page, export and API.

- the one count, over tasks or over the counted rows, equals the Python twin of the buckets task by task
  (`timeliness.bucket`) and, bucket by bucket, the number of tasks a list of that bucket shows (`in_bucket`); its
  number of open tasks is the open tasks'; rows that cannot match count zeros;
- the places that show a bucket's number agree: the task list's counters (with and without a unit), a unit's home,
  a unit's page, the leaders' home, the API's count of a bucket's list and the rows of the CSV export of the same
  question — for a unit officer (its own and coordinated tasks, each part counted from its counted rows, no secret
  ones) and for who sees every unit.
"""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from dondoc.api.models import ApiToken
from dondoc.tracking import counted
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Coordination, Task
from dondoc.tracking.queries import bucket_counts
from tests.helpers import login, random_task_fields, read_csv, twin_bucket_counts

pytestmark = pytest.mark.django_db

# today, a Saturday (a deadline on it rolls to Monday), the day after Tết's holiday, a later month
REFS = [date(2026, 3, 10), date(2026, 3, 14), date(2026, 2, 23), date(2026, 4, 30)]


@pytest.fixture
def tasks(frozen, registry, personas, directive):
    """Random tasks of four units, a third of the others' coordinated by SXD (the lead officer's unit)."""
    rng = random.Random(19)
    Task.objects.bulk_create([Task(**random_task_fields(rng, directive, registry)) for _ in range(120)])
    sxd = registry["SXD"]
    for task in Task.objects.exclude(lead_unit=sxd).order_by("id")[::3]:
        Coordination.objects.create(task=task, unit=sxd)
    return Task.objects.all()


@pytest.mark.parametrize("who", ["lead_officer", "tracker", "inspector"])
def test_the_one_count_is_the_twin_and_the_lists(tasks, registry, personas, who):
    user = personas[who].user
    for ref in REFS:
        soon = tl.soon_limit(ref)
        parts = Task.objects.exclude(state=tl.DRAFT).visible_parts(user)
        for seen in (*parts, Task.objects.visible_to(user), Task.objects.filter(lead_unit=registry["STC"])):
            counts, open_n = counted.bucket_counts(seen, ref, soon)
            assert (counts, open_n) == twin_bucket_counts(seen, ref, soon), ref
            assert counts == bucket_counts(seen, ref, soon)
            for name in tl.BUCKETS:  # a counter is the length of its list
                assert counts[name] == seen.in_bucket(name, ref, soon).count(), (ref, name)
        # each part's counted rows (a unit's own and coordinated tasks, or every task) count as its tasks
        parts_rows = counted.rows_of_parts(user, {}, city=True)
        assert len(parts_rows) == len(parts)
        for part, rows in zip(parts, parts_rows, strict=True):
            rows = rows.exclude(state=tl.DRAFT)
            assert counted.bucket_counts(rows, ref, soon) == twin_bucket_counts(part, ref, soon), ref
        for bucket in (tl.OVERDUE, tl.COMPLETED_LATE):  # a bucket asked: the same rows answer
            asked = counted.rows_of_parts(user, {"bucket": bucket}, city=True)
            for part, rows in zip(parts, asked, strict=True):
                n = counted.bucket_counts(rows.exclude(state=tl.DRAFT), ref, soon)[0][bucket]
                assert n == twin_bucket_counts(part, ref, soon)[0][bucket], (ref, bucket)
        # a unit asked: the coordinated rows do not keep the lead unit (that part is counted from the tasks)
        assert counted.rows_of_parts(user, {"unit": registry["STC"].pk}, city=True)[1:] in ([], [None])
    assert counted.bucket_counts(Task.objects.none(), REFS[0], tl.soon_limit(REFS[0])) == (
        dict.fromkeys(tl.BUCKETS, 0),
        0,
    )


def _shown(counters) -> dict:
    """A page's counters as numbers: each bucket's, and its part's (due soon within the deadline)."""
    out = {c.key: c.n for c in counters}
    out.update({c.part.key: c.part.n for c in counters if c.part})
    return out


def _api(user) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user, 'đếm')[1]}")


def _same(shown: dict, expected: dict, where: str) -> None:
    assert shown and shown == {k: expected[k] for k in shown}, where


@pytest.mark.parametrize("who", ["lead_officer", "leader"])
def test_every_place_shows_the_same_number(tasks, registry, personas, client, who):
    person = personas[who]
    sxd = registry["SXD"]
    login(person, client)
    api = _api(person.user)
    ref = date(2026, 3, 10)
    soon = tl.soon_limit(ref)
    seen = Task.objects.visible_to(person.user).exclude(state=tl.DRAFT)
    expected = twin_bucket_counts(seen, ref, soon)[0]
    own = twin_bucket_counts(seen.filter(lead_unit=sxd), ref, soon)[0]
    opened = twin_bucket_counts(seen.filter(lead_unit=sxd, state__in=tl.OPEN_STATES), ref, soon)[0]
    assert expected[tl.OVERDUE] and own[tl.OVERDUE] and expected != own  # the question matters

    _same(_shown(client.get("/nhiem-vu/").context["counts"]), expected, "list")
    _same(_shown(client.get("/nhiem-vu/", {"unit": sxd.pk}).context["counts"]), own, "list of a unit")
    _same(_shown(client.get(f"/nhiem-vu/don-vi/{sxd.pk}/").context["counts"]), own, "unit page")
    home = client.get("/").context
    if who == "lead_officer":  # a unit's home: its own open tasks, by bucket
        _same(_shown(c for c, _rows in home["groups"]), opened, "unit home")
    else:  # the leaders' home: every task
        _same(_shown(home["counts"]), expected, "leaders' home")
    for name in (tl.OVERDUE, tl.DUE_SOON, tl.IN_DEADLINE, tl.COMPLETED_LATE, tl.WITHDRAWN):
        for question, numbers in (({}, expected), ({"unit": sxd.pk}, own)):
            asked = {**question, "bucket": name}
            page = client.get("/nhiem-vu/", asked).context["page"]
            assert page.paginator.count == numbers[name], (name, question, "list length")
            listed = api.get("/api/v1/tasks", {**asked, "limit": 1}).json()["count"]
            assert listed == numbers[name], (name, question, "API")
            rows = read_csv(client.get(reverse("evaluation:export_tasks_csv"), asked))
            assert len(rows) - 1 == numbers[name], (name, question, "CSV export")


def test_a_deadline_on_a_day_off_counts_from_the_next_working_day(frozen, registry, personas, directive):
    """The one count joins the working-day table on the days off only (a working day's deadline is its own):
    results after a deadline on a Saturday, a Sunday or a Tết holiday are on time up to the next working day and
    late after it; one after a Friday's deadline is late on the Monday — from the tasks, the units' rows and the
    city's rows alike, every bucket the twin's, with the open ones."""
    sat, sun, fri, mon, tue = (date(2026, 3, d) for d in (7, 8, 6, 9, 10))
    rows = [  # (state, deadline, completion date)
        (tl.COMPLETED, sat, mon),  # rolled to Monday: on time
        (tl.COMPLETED, sat, tue),  # late
        (tl.COMPLETED, fri, mon),  # late
        (tl.COMPLETED, sun, sun),  # on time as written
        (tl.RESULT_SUBMITTED, sat, mon),  # awaiting confirmation, on time
        (tl.RESULT_SUBMITTED, sun, tue),  # awaiting confirmation, late
        # a Tết holiday's deadline: on time on the next working day, late the day after
        (tl.COMPLETED, date(2026, 2, 17), date(2026, 2, 23)),
        (tl.COMPLETED, date(2026, 2, 17), date(2026, 2, 24)),
        (tl.ASSIGNED, sat, None),  # overdue
        (tl.IN_PROGRESS, date(2026, 3, 12), None),  # due soon
        (tl.ASSIGNED, date(2026, 4, 30), None),  # within the deadline
        (tl.ASSIGNED, None, None),
        (tl.CANCELLED, sat, None),
        (tl.DRAFT, sat, None),
    ]
    unit = registry["STC"]
    Task.objects.bulk_create(
        [
            Task(
                directive=directive,
                lead_unit=unit,
                content="Nhiệm vụ hạn vào ngày nghỉ",
                state=state,
                due_date=due,
                completed_on=done,
                assigned_on=None if state == tl.DRAFT else date(2026, 1, 5),
            )
            for state, due, done in rows
        ]
    )
    user = personas["tracker"].user
    ref = date(2026, 3, 10)
    soon = tl.soon_limit(ref)
    expected = twin_bucket_counts(Task.objects.all(), ref, soon)
    assert expected[0][tl.COMPLETED_ON_TIME] == 4 and expected[0][tl.COMPLETED_LATE] == 4
    assert expected[1] == 6  # the two results awaiting confirmation and the four open tasks
    for city in (False, True):
        assert counted.bucket_counts(counted.rows_for(user, {}, city=city), ref, soon) == expected, city
    assert counted.bucket_counts(Task.objects.all(), ref, soon) == expected
