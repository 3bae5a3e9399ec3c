"""The follow-up pass's statements at scale (issue 19, PostgreSQL): what each batch writes and reads costs the
database no more than it must."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from dondoc.followup import engine
from dondoc.followup.models import Notification
from dondoc.tracking.models import Coordination, Task

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the engine's PostgreSQL statements"),
]


def test_the_notification_rows_are_parsed_once_not_once_per_column(make_task, personas):
    """A busy day writes ~23,000 notifications at 10^6 tasks, 19 columns each. As `json` (text) every `e->>i`
    parsed its row again up to the i-th value, two thirds of the INSERT's time (bench/README: the follow-up pass);
    as `jsonb` the rows are parsed once. Checked on the statement itself, not by timing it (a timed test flakes
    on a busy machine): the parameter is read as jsonb, never as json, and every row lands."""
    task, officer = make_task(), personas["lead_officer"].pk
    now = timezone.now()
    notes = [
        (
            task.pk,
            officer,
            "completion_on_day",
            "Nhắc vào ngày đến hạn",
            "completion",
            "unit",
            date(2026, 1, 1) + timedelta(days=i),
            date(2026, 3, 16),
            0,
            f"Nhiệm vụ #{task.pk}: hôm nay đến hạn",
            "Nhiệm vụ: nội dung dài " * 8,
            now,
            Notification.Email.NONE,
            None,
        )  # fmt: skip
        for i in range(1500)
    ]
    sql, param = engine._insert_statement(notes)
    assert "FROM jsonb_array_elements(%s::jsonb)" in sql, sql
    assert "::json)" not in sql and " json_array_elements(" not in sql, sql
    with connection.cursor() as cur:
        cur.execute(sql, [param])
    assert Notification.objects.filter(task=task).count() == 1500


def _redundant(table: str) -> list[tuple[str, str]]:
    """(index, index it duplicates): a plain index whose columns lead another full (non-partial) index."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relname, i.indkey::int2[], i.indisunique, i.indpred IS NOT NULL FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass",
            [table],
        )
        rows = cur.fetchall()
    full = [(name, list(cols)) for name, cols, _unique, partial in rows if not partial]
    return [
        (name, other)
        for name, cols, unique, partial in rows
        if not unique and not partial
        for other, longer in full
        if other != name and len(longer) > len(cols) and longer[: len(cols)] == list(cols)
    ]


def test_no_index_of_the_notifications_only_repeats_another():
    """Each index of `followup_notification` costs the pass one entry per notification: the task's and the
    recipient's lookups are served by the composite indexes they lead, with no index of their own."""
    assert _redundant(Notification._meta.db_table) == []


def test_the_input_deadlines_of_a_batch_are_read_off_their_own_index(make_task, registry):
    """The engine asks, for every batch of 500 due tasks, which coordinations have an input deadline; few have
    one, so the answer comes from a partial index of those, not from ~500 rows of the table visited by task."""
    task = make_task(coordinators=())
    Coordination.objects.create(task=task, unit=registry["STC"], input_due=date(2026, 3, 20))
    others = [make_task() for _ in range(3)]  # coordinated by Sở Tài chính, no input deadline
    ids = [task.pk, *(t.pk for t in others)]
    query = Coordination.objects.filter(task_id__in=ids, input_due__isnull=False)  # as `facts.facts_for`
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")  # a table of four rows: the planner would scan it
        plan = query.values_list("task_id", "unit_id", "input_due").explain()
    assert "coordination_input_due" in plan, plan
    assert list(query.values_list("task_id", flat=True)) == [task.pk]
    assert Task.objects.filter(pk__in=ids).count() == 4
