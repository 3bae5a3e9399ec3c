"""The unit's home page's reads, each statement built once (`core.prepared`, issue 19).

A unit's home ("Việc của tôi") counts the unit's open tasks by bucket (its counted rows, `counts`), lists the first
tasks of three of its buckets and the first tasks it coordinates: five statements, each built once
per shape (whether the reader is cleared for secrets, sees every unit; the day and the due-soon limit) and run with
the unit's id. The City Office's home counts and pages its three worklists the same way (a page's bounds are part of
its statement: LIMIT and OFFSET are written in the SQL).
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from django.db.models import Count, Q, QuerySet, Value

from dondoc.core.prepared import SHAPE, Prepared
from dondoc.tracking import counted
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import BucketCount, Coordination, Task, TaskQuerySet
from dondoc.tracking.secrecy import readable

# What a worklist's row shows (`task_rows`: its content as the reader may see it, its deadline, its lead unit): the
# rows read only these columns of the task (~30 otherwise, some long texts); the bucket is annotated.
ROW_FIELDS = ("content", "secret", "due_date", "lead_unit_id")
WORKLIST_LIMIT = 50


def _mine(unit_id: int, sees_everything: bool, cleared: bool) -> TaskQuerySet:
    """The open tasks the unit leads, as its people may see them (`visible_to`)."""
    return (
        Task.objects.visible_by(unit_id, everything=sees_everything, cleared=cleared)
        .filter(lead_unit_id=unit_id)
        .open()
    )


def _open_rows(unit_id: int, cleared: bool) -> QuerySet[Any]:
    """The unit's counted rows of its open tasks (`tracking.counted`: an open task's row has state ``assigned``), as
    its people may see them."""
    rows = BucketCount.objects.filter(lead_unit_id=unit_id, state=tl.ASSIGNED)
    return (rows if cleared else rows.filter(secret=False)).values(*counted.ROW_COLUMNS)


def counts(unit_id: int, cleared: bool, ref: date, soon: date) -> dict[str, int]:
    """The unit's open tasks (`_mine`) by bucket, from the unit's counted rows of open tasks — the task list's
    counters of the same question, by the same count (`counted.bucket_counts`)."""
    return counted.bucket_counts(open_rows.sql_with_params(unit_id, cleared), ref, soon)[0]


def _group(
    unit_id: int, sees_everything: bool, cleared: bool, ref: date, soon: date, bucket: str, with_bucket: bool
) -> QuerySet[Task]:
    tasks = _mine(unit_id, sees_everything, cleared).in_bucket(bucket, ref, soon)
    tasks = tasks.order_by("due_date", "id").only(*ROW_FIELDS)  # no directive
    # a row tells only its group's part (`task_rows`: "Sắp đến hạn" within the deadline), so only a group with a
    # part reads each row's bucket
    return (tasks.with_bucket(ref, soon) if with_bucket else tasks)[:WORKLIST_LIMIT]


def _coordinated(unit_id: int, cleared: bool) -> QuerySet[Task]:
    """The first WORKLIST_LIMIT open tasks a unit coordinates, by deadline, as its people may read them (`visible_to`
    for a unit's people: the tasks it coordinates, the secret ones for the cleared only).

    A unit coordinates ~7,000 tasks at 10^6, scattered among ~200,000 open ones: read as a join, the database
    fetched each open task it walked past in deadline order (~6,000, 40–50 ms). Here the ids are read off the open
    tasks' index in deadline order (`task_open_due` holds id, state and secrecy: no table access), each tested
    against the unit's coordination rows hashed once — "or pk < 0" (never true) keeps that test a hashed lookup
    rather than a join (~8 ms) — and the rows of those ids are read in the same statement."""
    coordinated = Coordination.objects.filter(unit_id=unit_id).values("task_id")
    reader = SimpleNamespace(cleared_for_secrets=cleared)
    open_coordinated = readable(Task.objects.open().filter(Q(pk__in=coordinated) | Q(pk__lt=0)), reader)
    first = open_coordinated.order_by("due_date", "id").values("pk")[:WORKLIST_LIMIT]
    return (
        Task.objects.filter(pk__in=first)
        .select_related("lead_unit")
        .only(*ROW_FIELDS, "lead_unit__name")
        .order_by("due_date", "id")
    )


open_rows = Prepared(_open_rows, (int, SHAPE))
group = Prepared(_group, (int, SHAPE, SHAPE, SHAPE, SHAPE, SHAPE, SHAPE))
coordinated = Prepared(_coordinated, (int, SHAPE))


# --- The City Office's home: three worklists, each paged on its own -------------------------------------------------


def _office_list(key: str, sees_everything: bool, unit_id: int, cleared: bool) -> TaskQuerySet:
    """One worklist of the City Office's home: the results awaiting confirmation, the deadline requests awaiting a
    decision, the tasks their units have not acknowledged."""
    shown = Task.objects.visible_by(unit_id, everything=sees_everything, cleared=cleared)
    shown = shown.select_related("lead_unit").only(*ROW_FIELDS, "lead_unit__name")
    if key == "results":
        return shown.filter(state=tl.RESULT_SUBMITTED).order_by("updated_at")
    if key == "requests":
        return shown.filter(deadline_requests__status="pending").order_by("due_date")
    return shown.filter(state=tl.ASSIGNED).order_by("assigned_on")


def _office_count(key: str, sees_everything: bool, unit_id: int, cleared: bool) -> QuerySet[Any]:
    listed = _office_list(key, sees_everything, unit_id, cleared).order_by()
    return listed.values(one=Value(1)).annotate(n=Count("*")).values_list("n", flat=True)


def _office_rows(
    key: str, sees_everything: bool, unit_id: int, cleared: bool, start: int, stop: int
) -> QuerySet[Task]:
    return _office_list(key, sees_everything, unit_id, cleared)[start:stop]


office_count = Prepared(_office_count, (SHAPE, SHAPE, int, SHAPE))
office_rows = Prepared(_office_rows, (SHAPE, SHAPE, int, SHAPE, SHAPE, SHAPE))  # a page's bounds: its shape


class OfficeList:
    """A worklist for Django's Paginator: its count and its pages' rows read by statements built once."""

    ordered = True  # (the Paginator warns of an unordered list otherwise)

    def __init__(self, key: str, reader: tuple[bool, int, bool]) -> None:
        self.key, self.reader = key, reader

    def count(self) -> int:
        return office_count.first(self.key, *self.reader) or 0

    def __getitem__(self, part: slice) -> list[Task]:
        return office_rows(self.key, *self.reader, part.start or 0, part.stop)
