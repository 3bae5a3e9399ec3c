"""The leaders' dashboard (*Thống kê, đánh giá*, the busy hour's slowest page, issue 19) computed in a bounded
number of statements, whatever the number of tasks and units: the state of things after the reference date is read
once, the counts run in one transaction, the units are read once. Its figures stay those of `stats` (the cache's
and the report's tests compare them); reading it writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc.evaluation import dashboard, stats
from dondoc.evaluation import periods as pr
from dondoc.tracking import actions

pytestmark = pytest.mark.django_db

REF = date(2026, 3, 10)  # the reference date of the `world` fixture (tests/evaluation/conftest.py)
MONTH = pr.containing(pr.MONTHLY, REF)
FILTERED = f"/danh-gia/?loai_ky=thang&ky={MONTH.year}-{MONTH.number}&ngay={REF:%d/%m/%Y}&authority=government"
# (who, address, the most statements on PostgreSQL, on SQLite): the session read (with the calendar's generation),
# the data version, what happened after the reference date (with the reference date's working-day ordinal), one
# transaction of the counts (begin, its settings, the tasks due and those with no deadline grouped every way at
# once, the reporting units with their successors, the units, the trend, the due-soon part, commit). SQLite has no
# GROUPING SETS (one statement per breakdown) and no settings. Before (25 and 23 statements): what happened after
# the reference date read three times, the working-day ordinal twice, three transactions, the units twice.
PAGES = [
    ("leader", "/danh-gia/", 12, 15),
    ("tracker", "/danh-gia/", 12, 15),
    ("leader", FILTERED, 12, 15),
]


def statements_of(client, address: str) -> list[str]:
    """The statements of one dashboard request computed afresh (the evaluation cache emptied, as in the busy hour,
    where every write changes the data version)."""
    assert client.get(address).status_code == 200  # the first request also builds the calendar's caches
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address).status_code == 200
    # (inside a test's transaction the working-day table's span is looked up again each time: not in production)
    return [q["sql"] for q in ctx.captured_queries if "evaluation_workdayordinal" not in q["sql"][:120]]


@pytest.mark.parametrize("who,address,pg,sqlite", PAGES)
def test_dashboard_in_a_bounded_number_of_statements(client, personas, world, who, address, pg, sqlite):
    client.force_login(personas[who].user)
    statements = statements_of(client, address)
    ceiling = pg if connection.vendor == "postgresql" else sqlite
    assert len(statements) <= ceiling, f"{len(statements)} statements:\n" + "\n".join(statements)
    assert not [s for s in statements if s.startswith(("INSERT", "UPDATE", "DELETE"))]


@pytest.fixture
def settled(make_task, personas, frozen):
    """Tasks of the month with nothing decided after today (`stats.AsOf.now`): the dashboard reads the counted
    tables (`stats._precounted`), as in the busy hour — one open within its deadline, one overdue, one completed on
    time, one with no deadline, one secret and overdue."""
    lead = personas["lead_officer"].user
    make_task(due_date=date(2026, 3, 12))
    make_task(due_date=date(2026, 3, 3))
    make_task(due_date=date(2026, 3, 4), secret=True)
    make_task()
    done = actions.acknowledge(make_task(due_date=date(2026, 3, 6)), lead)
    actions.submit_result(done, lead, document_number="1/BC", document_date=date(2026, 3, 5))
    assert stats.as_of(REF).now


@pytest.mark.parametrize("who,pg,sqlite", [("leader", 10, 13), ("tracker", 10, 13)])
def test_dashboard_from_the_counted_tables_in_a_bounded_number_of_statements(
    client, personas, settled, who, pg, sqlite
):
    """From the counted tables (the busy hour's case): no transaction at all, their statements need no settings —
    the session, the data version, what happened after the reference date, the due and no-deadline counts grouped
    every way at once, the reporting units, the units, the trend and its days off, the due-soon part. Before: 28
    statements at 10^6 tasks (bench/load/leader_pages.py)."""
    client.force_login(personas[who].user)
    statements = statements_of(client, "/danh-gia/")
    assert [s for s in statements if "evaluation_monthcount" in s]  # the counted tables answered
    ceiling = pg if connection.vendor == "postgresql" else sqlite
    assert len(statements) <= ceiling, f"{len(statements)} statements:\n" + "\n".join(statements)
    response = client.get("/danh-gia/")
    city = response.context["data"].evaluation.city
    # counted for every reader of the whole city, secret included (DOMAIN.md): 4 due, 1 on time, 2 overdue
    assert (city.due, city.on_time, city.in_deadline, city.overdue, city.no_deadline) == (4, 1, 1, 2, 1)
    assert city == stats.evaluate(MONTH, stats.SYSTEM, ref=REF, precounted=False).city


def test_as_of_is_read_once(client, personas, world):
    """Whether anything happened after the reference date is one statement per request, not one per count (the
    city's and the breakdowns', the trend's, the due-soon part's)."""
    client.force_login(personas["leader"].user)
    statements = statements_of(client, "/danh-gia/")
    assert len([s for s in statements if "MAX(completed_on)" in s]) == 1


@pytest.mark.parametrize("who", ["leader", "tracker"])
def test_dashboard_figures_unchanged(client, personas, world, who):
    """The page's figures are `stats.evaluate` and `stats.trend` of the month on the reference date for the
    reader's scope (secret tasks counted for every reader who sees the whole city), computed once in the request."""
    user = personas[who].user
    client.force_login(user)
    cache.clear()
    response = client.get("/danh-gia/")
    data = response.context["data"]
    counting = dashboard.counting_user(user, ref=REF)
    expected = stats.evaluate(MONTH, counting, ref=REF)
    assert data.evaluation.city == expected.city
    assert [(r.unit.pk, r.counts, r.rank) for r in data.evaluation.by_unit] == [
        (r.unit.pk, r.counts, r.rank) for r in expected.by_unit
    ]
    assert [(g.key, g.counts) for g in data.evaluation.by_authority] == [
        (g.key, g.counts) for g in expected.by_authority
    ]
    assert [(g.key, g.counts) for g in data.evaluation.by_kind] == [
        (g.key, g.counts) for g in expected.by_kind
    ]
    trend = stats.trend(MONTH, counting, n=dashboard.TREND_PERIODS, ref=REF)
    assert [p.counts for p in data.trend] == [p.counts for p in trend]
    soon = dashboard.due_soon(MONTH, counting, ref=REF, filters=stats.Filters()).get(None, 0)
    assert (data.due_soon.value if data.due_soon else 0) == soon
    # the world's secret task is overdue: counted for every reader of the whole city (DOMAIN.md), shown to none
    assert data.evaluation.city.overdue == 3
