"""Task list queries (filters, counters, ordering) shared by the pages, the exports and the API."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from django import forms
from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When

from dondoc.core.prepared import SHAPE, Prepared
from dondoc.core.text import fold
from dondoc.tracking import counted, secrecy
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import TaskQuerySet


class ListFilter(Protocol):
    """A filter of the task list that an app above tracking adds (DESIGN.md: tracking never imports those apps): its
    `fields` join `TaskFilterForm`, `clean` checks them together (adding the form's errors), `filter` narrows the
    tasks. The app registers it in its `AppConfig.ready` (`LIST_FILTERS[name] = ...`)."""

    fields: dict[str, forms.Field]

    def clean(self, form: forms.Form, data: dict[str, Any]) -> None: ...

    def filter(self, qs: TaskQuerySet, data: dict[str, Any], ref: date) -> TaskQuerySet: ...


LIST_FILTERS: dict[str, ListFilter] = {}


def filter_tasks(qs: TaskQuerySet, data: dict[str, Any], ref: date, soon: date) -> TaskQuerySet:
    """Apply the list filters (cleaned form data) except the bucket."""
    if q := fold(data.get("q")):
        qs = qs.filter(
            Q(search__contains=q) | Q(directive__search__contains=q) | Q(lead_unit__search__contains=q)
        )
    if data.get("unit"):
        qs = qs.filter(lead_unit=data["unit"])
    if data.get("authority"):
        qs = qs.filter(directive__authority=data["authority"])
    if data.get("kind"):
        qs = qs.filter(tl.kind_filter(data["kind"]))
    if data.get("due_from"):
        qs = qs.filter(due_date__gte=data["due_from"])
    if data.get("due_to"):
        qs = qs.filter(due_date__lte=data["due_to"])
    if data.get("directive"):
        qs = qs.filter(directive_id=data["directive"])
    if data.get("parent"):
        qs = qs.filter(parent_id=data["parent"])
    for extra in LIST_FILTERS.values():
        qs = extra.filter(qs, data, ref)
    return qs


def directive_task_counts(user: Any, directive_ids: Collection[int]) -> dict[int, int]:
    """How many tasks each directive of `directive_ids` has for `user`: the tasks of `Task.objects.visible_to(user)`
    (drafts included, as the directive page lists them), 0 for a directive with none. The one count behind the
    register (/van-ban/), the directive page's heading and the API's `task_count`.

    The rule is the one of a question naming a directive (`SECRET_BLIND`): a secret task answers the uncleared as an
    unknown one, so it is not counted for them — counted, a plain directive with a secret task would show one task
    more than its page lists, telling the uncleared that it has one. A unit's people count the tasks their unit
    leads or coordinates, the tasks they see. The dashboard's totals, which count secret tasks for every reader who
    sees every unit (`hidden_secret_count`), never break down by directive."""
    from dondoc.tracking.models import Task

    if not directive_ids:
        return {}
    rows = (
        Task.objects.visible_to(user)
        .filter(directive_id__in=list(directive_ids))
        .order_by()
        .values("directive_id")
        .annotate(n=Count("id"))
        .values_list("directive_id", "n")
    )
    found = dict(rows)
    return {pk: found.get(pk, 0) for pk in directive_ids}


#: The list's filters that pick tasks by what only their readers know (their words, their directive, their parent):
#: no secret task is counted for the uncleared when one is asked (`hidden_secret_count`).
SECRET_BLIND = ("q", "directive", "parent")


def hidden_secret_count(user: Any, data: dict[str, Any], ref: date, soon: date) -> int:
    """How many secret tasks answer the list's question (`data`: the cleaned filters, bucket included) for a reader
    who sees every unit but is not cleared for secret documents: the dashboard counts them for such a reader (its
    totals are the signed report's), the list cannot show them, so the page says how many there are. 0 for
    anyone else (a unit's people count only what they see; the cleared see them listed). 0 too for a question
    the dashboard never asks — words searched, a directive or a parent task named by its id (`SECRET_BLIND`): told
    how many secret tasks answer it, the reader would learn which words a secret task holds or whether a secret
    directive has tasks; asked so, a secret task answers as an unknown one. 0 as well under a date window narrower
    than the reporting periods (`secrecy.counts_secret_share`: "Sở X, due on 12/03" would tell that Sở X has a
    secret task due that day), and under a question answered as of any day but a past reporting cut-off (the
    buckets, today; a measure as of another day): the same window asked on two days would show the day a secret
    task went overdue. There the dashboard counts none for the reader either."""
    from dondoc.org.access import person_of
    from dondoc.tracking.models import Task

    person = person_of(user)
    if person is None or not person.sees_everything or person.cleared_for_secrets:
        return 0
    if any(data.get(name) for name in SECRET_BLIND):
        return 0
    windows = [(data.get("due_from"), data.get("due_to")), (data.get("period_from"), data.get("period_to"))]
    # the day the question is answered as of: a measure's `as_of` (the dashboard's reference date), else today —
    # the buckets and the list's own filters read the tasks as they are now
    asked_on = (data.get("as_of") or ref) if data.get("measure") and not data.get("bucket") else ref
    if not secrecy.counts_secret_share(person, windows, asked_on):  # narrower, or not as of a past cut-off
        return 0
    # (the counted rows never answer here: they keep no measure nor deadline, and a question without one is
    # today's, where none is counted)
    secret = filter_tasks(Task.objects.filter(secret=True).exclude(state=tl.DRAFT), data, ref, soon)
    if data.get("bucket"):
        secret = secret.in_bucket(data["bucket"], ref, soon)
    return secret.count()


def counted_list_count(user: Any, data: dict[str, Any], ref: date, soon: date) -> int | None:
    """How many tasks a list of the question `data` (the cleaned filters, bucket included; never the drafts) shows
    `user`, summed from the counted rows of each part of what they see when the rows answer
    (`counted.rows_of_parts`: the city's rows for a reader who sees every unit, a unit's own and coordinated rows
    for its people). None when the tasks are to be counted: then, or when a unit is asked (its tasks are counted
    off its index in 0.07 ms for Q1 at 10^6, its counted rows in 0.3 ms). At 10^6 the city's overdue tasks are
    17,814 entries of the deadline index (7 ms) against 366 of the city's rows (1 ms)."""
    from dondoc.org.access import person_of

    person = person_of(user)
    if person is None or data.get("unit"):
        return None
    parts = counted.rows_of_parts(user, data, city=True)
    if any(rows is None for rows in parts):
        return None
    return sum(_listed_total(rows, data.get("bucket"), ref, soon) for rows in parts)


def _listed_total(rows: Any, bucket: str | None, ref: date, soon: date) -> int:
    """The tasks of the counted `rows` that a list of `bucket` shows (every one but the drafts without a bucket)."""
    rows = rows.exclude(state=tl.DRAFT)
    if bucket:
        rows = rows.filter(tl.bucket_filter(bucket, ref, soon))
    return int(rows.aggregate(n=Sum("n"))["n"] or 0)


# The buckets whose tasks are all open (their filter is `open_q() & ...`): a list of one of them is in deadline
# order, which the partial indexes of the open tasks hold (`task_open_due`, `task_open_lead_due`).
OPEN_BUCKETS = (tl.OVERDUE, tl.DUE_SOON, tl.IN_DEADLINE, tl.NO_DEADLINE)


def list_order(qs: TaskQuerySet, bucket: str | None = None) -> TaskQuerySet:
    """The order a task list opens in (*việc cần làm trước, lên trước*): the open tasks first, the most overdue
    at the top and then the nearest deadline; the open tasks without a deadline after every dated one (never a
    2020 task without deadline on top); then the closed tasks (completed, cancelled), by deadline. Ties by id.
    A list of one open `bucket` holds open tasks only: the same order without the open-first key, so that the
    database reads the first page off an index in deadline order instead of sorting every matching task."""
    by_deadline = (F("due_date").asc(nulls_last=True), "id")
    if bucket in OPEN_BUCKETS:
        return qs.order_by(*by_deadline)
    closed = Case(
        When(state__in=tl.OPEN_STATES, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return qs.order_by(closed, *by_deadline)


# The columns the task list's rows show (`templatetags.tracking.list_rows`: content and secrecy through
# `secrecy.content_for`, the lead unit's name, the directive's notation, the deadline, the state and completion date
# of "chờ xác nhận"): the list reads these only (~1.3 ms less of model building a page of 25 than every column of
# the task, its unit and its directive).
LIST_COLUMNS = (
    "id",
    "content",
    "secret",
    "state",
    "due_date",
    "completed_on",
    "lead_unit__id",
    "lead_unit__name",
    "directive__id",
    "directive__notation",
)


class OpenFirst:
    """A task list in the order of `list_order` without a bucket, read in its two parts: the `open_n` open tasks
    first, in deadline order — off the deadline index of the open tasks (`task_open_due`, `task_open_lead_due`)
    — then the closed ones; the same rows in the same order as `list_order(tasks)` without sorting every task.
    `open_n` is how many of `tasks` are open (from the counted rows)."""

    ordered = True

    def __init__(self, tasks: TaskQuerySet, open_n: int) -> None:
        self.tasks, self.open_n = tasks, open_n

    def __getitem__(self, part: slice) -> list[Any]:
        start, stop = part.start or 0, part.stop
        by_deadline = (F("due_date").asc(nulls_last=True), "id")
        out: list[Any] = []
        if start < self.open_n:
            open_ = self.tasks.filter(state__in=tl.OPEN_STATES).order_by(*by_deadline)
            out += open_[start : min(stop, self.open_n)]
        if stop > self.open_n:
            closed = self.tasks.exclude(state__in=tl.OPEN_STATES).order_by(*by_deadline)
            out += closed[max(start - self.open_n, 0) : stop - self.open_n]
        return out


def _bucket_page(
    unit_id: int,
    everything: bool,
    cleared: bool,
    unit: int,
    has_unit: bool,
    bucket: str,
    ref: date,
    soon: date,
    start: int,
    stop: int,
) -> TaskQuerySet:
    """A page of the task list of one bucket, of one unit (`has_unit`) or of all, as a reader of unit `unit_id`
    who sees every unit or not, cleared for secret tasks or not, reads it: the task list's own queryset
    (`views.task_list`)."""
    from dondoc.tracking.models import Task

    tasks = Task.objects.visible_by(unit_id, everything=everything, cleared=cleared).exclude(state=tl.DRAFT)
    if has_unit:
        tasks = tasks.filter(lead_unit=unit)
    tasks = tasks.in_bucket(bucket, ref, soon)
    if not everything and bucket in OPEN_BUCKETS:
        # A unit's people's tasks are those it leads or coordinates: the database walks the city's open tasks in
        # deadline order testing each, so the page's ids are read first, off `task_open_due` alone (it has every
        # column they are tested on), and then only the page's rows (at 10^6: 2,338 buffers, one visit of the
        # table per task passed over, against ~260).
        ids = Task.objects.filter(pk__in=list_order(tasks, bucket).values("pk")[start:stop])
        rows = ids.with_bucket(ref, soon, among=bucket).select_related("lead_unit", "directive")
        return list_order(rows.only(*LIST_COLUMNS), bucket)
    tasks = tasks.with_bucket(ref, soon, among=bucket)
    return list_order(tasks.select_related("lead_unit", "directive").only(*LIST_COLUMNS), bucket)[start:stop]


bucket_page = Prepared(_bucket_page, (int, SHAPE, SHAPE, int, SHAPE, SHAPE, SHAPE, SHAPE, SHAPE, SHAPE))


class BucketPage:
    """The task list of one bucket (`bucket_page`) for Django's Paginator, its pages read by statements built once
    (`core.prepared`: building and compiling the list's statement was ~1.8 ms of a page's CPU, issue 19); the
    length is the bucket's counter (the Paginator is given it)."""

    ordered = True

    def __init__(self, person: Any, unit: Any, bucket: str, ref: date, soon: date) -> None:
        self.args = (
            person.unit_id,
            person.sees_everything,
            person.cleared_for_secrets,
            unit.pk if unit else 0,
            unit is not None,
            bucket,
            ref,
            soon,
        )

    def __getitem__(self, part: slice) -> list[Any]:
        return bucket_page(*self.args, part.start or 0, part.stop)


def bucket_counts(qs: Any, ref: date, soon: date) -> dict[str, int]:
    """How many tasks of `qs` — tasks or counted rows (`counted.rows_for`) — fall in each bucket: the counts of
    `counted.bucket_counts`, the one count of the buckets (without the number of open tasks)."""
    return counted.bucket_counts(qs, ref, soon)[0]


def sum_counts(parts: list[dict[str, int]]) -> dict[str, int]:
    """The counts of disjoint parts of a list (`TaskQuerySet.visible_parts`) added up."""
    return {name: sum(p[name] for p in parts) for name in tl.BUCKETS}


def list_count(counts: dict[str, int], bucket: str | None) -> int:
    """How many tasks a list shows, from the counts of its tasks (`bucket_counts` of the same question before
    the bucket): the chosen bucket's, or without one every task but the drafts (never listed); the due-soon
    tasks are a part of the within-deadline ones, counted once. The page then needs no count of its own."""
    if bucket:
        return counts[bucket]
    return sum(n for key, n in counts.items() if key != tl.DRAFTED and key not in tl.PARTS.values())


@dataclass
class Counter:
    """One bucket's number as pages show it; `part` is the number of its part ("trong đó sắp đến hạn: N")."""

    key: str
    label: str
    n: int
    part: Counter | None = None


def counters(
    counts: dict[str, int], *, nonzero: bool = False, untracked: Collection[str] = ()
) -> list[Counter]:
    """The counters of `bucket_counts` for a page: one per bucket, the due-soon tasks shown as a part of the
    within-deadline ones (`tl.PARTS`), never beside them; `nonzero` drops the empty buckets; of the buckets not
    tracked (`tl.NOT_TRACKED`: drafts, cancelled) only those named in `untracked` are kept."""
    parts = set(tl.PARTS.values())
    out = []
    for key in tl.BUCKETS:
        dropped = key in tl.NOT_TRACKED and key not in untracked
        if dropped or key in parts or (nonzero and not counts.get(key)):
            continue
        part = tl.PARTS.get(key)
        out.append(
            Counter(
                key,
                tl.BUCKET_LABELS[key],
                counts.get(key, 0),
                Counter(part, tl.BUCKET_LABELS[part], counts.get(part, 0)) if part else None,
            )
        )
    return out
