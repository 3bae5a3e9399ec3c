"""The busy hour's pages (issue 19) in a bounded number of statements, whatever the number of rows: a per-row query
or a second count of the same rows shows as a page over its ceiling. And reading a page writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dondoc.tracking import actions

pytestmark = pytest.mark.django_db

# (who, address, the most statements): the page's own and one more, the session read with the calendar's generation,
# the user with person and unit and the notifications' count (`accounts.sessions`: the session's user is known to
# this process from its login); four statements before.
PAGES = [
    ("lead_officer", "/", 6),
    ("lead_officer", "/nhiem-vu/?bucket=overdue", 5),
    ("lead_officer", "/nhiem-vu/{task}/", 10),
    ("tracker", "/", 7),
    ("tracker", "/nhiem-vu/", 4),
    ("tracker", "/nhiem-vu/?trang=2", 4),
    ("tracker", "/van-ban/", 4),
    ("tracker", "/van-ban/{directive}/", 9),
    ("tracker", "/nhiem-vu/{task}/", 13),  # its action forms choose among the units
    ("tracker", "/van-ban-di/don-doc/", 4),
]


@pytest.fixture
def city(make_task, personas, frozen):
    """Sở Xây dựng's tasks in every open bucket, some it coordinates, a submitted result, a pending request."""
    lead = personas["lead_officer"].user
    tasks = []
    for n in range(30):
        due = date(2026, 2, 1 + n % 28) if n % 3 else date(2026, 5, 1 + n % 28)
        tasks.append(make_task(content=f"Nhiệm vụ số {n}", due_date=due))
    for n in range(5):
        make_task(lead="STC", coordinators=("SXD",), content=f"Phối hợp số {n}", due_date=date(2026, 3, 20))
    make_task(content="Không có thời hạn")
    done = actions.acknowledge(tasks[1], lead)
    actions.submit_result(done, lead, document_number="1/BC", document_date=date(2026, 3, 2))
    actions.acknowledge(tasks[2], lead)
    actions.request_change(tasks[2], lead, proposed_due_date=date(2026, 6, 30), reason="Chờ vốn")
    return tasks


@pytest.mark.parametrize("who,address,ceiling", PAGES)
def test_page_in_a_bounded_number_of_statements(client, personas, city, who, address, ceiling):
    address = address.format(task=city[0].pk, directive=city[0].directive_id)
    client.force_login(personas[who].user)
    assert client.get(address).status_code == 200  # the first request also builds the calendar's caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address).status_code == 200
    # (inside a test's transaction the working-day table's span is looked up again each time: not in production)
    statements = [q["sql"] for q in ctx.captured_queries if "evaluation_workdayordinal" not in q["sql"][:120]]
    assert len(statements) <= ceiling, "\n".join(statements)
    assert not [s for s in statements if s.startswith(("INSERT", "UPDATE", "DELETE"))]


def test_a_units_worklist_reads_no_directive(client, personas, city):
    """The worklist's rows show no directive: its groups are not joined to the directives (at 10^6 the
    within-deadline group sorted 774 tasks joined to theirs)."""
    client.force_login(personas["lead_officer"].user)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    assert not [q["sql"] for q in ctx.captured_queries if "directives_directive" in q["sql"]]


@pytest.mark.parametrize("who", ["lead_officer", "tracker"])
def test_the_worklists_rows_read_only_what_they_show(client, personas, city, who):
    """A home page's worklist rows read the columns a row shows (`views.ROW_FIELDS`), not the task's ~30 (its
    requirements, its search text): at 10^6 the unit's four lists read 200 whole rows."""
    client.force_login(personas[who].user)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/").content.decode()
    rows = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "tracking_task"."id"')]
    assert rows and not [
        s for s in rows if '"tracking_task"."requirements"' in s or '"tracking_task"."search"' in s
    ]
    assert city[5].content in page or who == "tracker"


@pytest.mark.parametrize("who", ["lead_officer", "coord_officer", "tracker", "leader"])
def test_the_task_pages_forms_are_the_rights_of_the_reader(client, personas, city, who):
    """The task page answers the rights' questions (is the reader's unit a coordinator, does a request wait) from
    the coordinators and requests it reads to show them: its forms are those `permissions` gives on the task read
    afresh — with a request waiting (city[2]) and without (city[3])."""
    import re

    from dondoc.tracking import permissions
    from dondoc.tracking.forms import ACTION_FORMS
    from dondoc.tracking.models import Task

    client.force_login(personas[who].user)
    shown = {}
    for task in (city[2], city[3]):
        page = client.get(f"/nhiem-vu/{task.pk}/").content.decode()
        shown[task] = set(re.findall(rf"/nhiem-vu/{task.pk}/thao-tac/(\w+)/", page))
        allowed = permissions.allowed_actions(personas[who], Task.objects.get(pk=task.pk))
        assert shown[task] == {a for a in allowed if a in ACTION_FORMS}, (who, task.pk)
    if who == "coord_officer":
        assert "contribute" in shown[city[2]] and "contribute" in shown[city[3]]
    if who == "leader":  # decides the request waiting on city[2] only
        assert "decide_change" in shown[city[2]] and "decide_change" not in shown[city[3]]


def test_a_units_worklist_reads_the_bucket_of_its_within_deadline_group_only(
    client, personas, city, make_task
):
    """A row of the unit's worklist tells only whether it is due soon (a part of the within-deadline group): that
    group reads each row's bucket, the overdue and no-deadline groups do not (the bucket's SQL is the costliest
    part of a list's statement to build) — and the due-soon row still says so."""
    make_task(content="Sắp tới hạn nộp báo cáo", due_date=date(2026, 3, 11))
    client.force_login(personas["lead_officer"].user)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get("/").content.decode()
    rows = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "tracking_task"."id"')]
    assert len(rows) == 4 and len([s for s in rows if 'AS "bucket"' in s]) == 1
    row = page[page.index("Sắp tới hạn nộp báo cáo") :]
    assert row[: row.index("</tr>")].count("Sắp đến hạn") == 1
    assert page.count("Sắp đến hạn</span>") == 1


@pytest.mark.parametrize("cleared", [False, True])
def test_a_units_coordinated_tasks_are_the_first_it_may_read_by_deadline(
    rf, personas, city, make_task, cleared
):
    """The unit's home lists the first 50 open tasks its unit coordinates by deadline, as `visible_to` gives them:
    secret ones for the cleared only, none closed, none it does not coordinate — read off the open tasks' index
    (`views.first_coordinated`)."""
    from dondoc.org.models import Person
    from dondoc.tracking import actions
    from dondoc.tracking.models import Task
    from dondoc.tracking.views import WORKLIST_LIMIT, first_coordinated

    for n in range(WORKLIST_LIMIT + 3):
        make_task(
            lead="STC",
            coordinators=("SXD",),
            content=f"Phối hợp thêm {n}",
            due_date=date(2026, 4, 1 + n % 28),
        )
    make_task(
        lead="STC", coordinators=("SXD",), content="Phối hợp mật", due_date=date(2026, 1, 5), secret=True
    )
    make_task(lead="STC", coordinators=("SXD",), content="Phối hợp không thời hạn")
    make_task(
        lead="STC", coordinators=("SXD",), content="Phối hợp dự thảo", due_date=date(2026, 1, 6), assign=False
    )
    make_task(lead="STC", coordinators=("SYT",), content="Không phối hợp", due_date=date(2026, 1, 7))
    cancelled = make_task(
        lead="STC", coordinators=("SXD",), content="Phối hợp đã hủy", due_date=date(2026, 1, 8)
    )
    actions.cancel(cancelled, personas["tracker"].user, reason="Không còn cần thiết")
    Person.objects.filter(pk=personas["lead_officer"].pk).update(cleared_for_secrets=cleared)
    person = Person.objects.select_related("user", "unit").get(pk=personas["lead_officer"].pk)
    request = rf.get("/")
    request.user = person.user
    expected = (
        Task.objects.visible_to(person.user)
        .filter(coordinations__unit=person.unit)
        .open()
        .order_by("due_date", "id")[:WORKLIST_LIMIT]
    )
    listed = list(first_coordinated(request, person.unit_id))
    assert [t.pk for t in listed] == [t.pk for t in expected] and len(listed) == WORKLIST_LIMIT
    assert ("Phối hợp mật" in [t.content for t in listed]) == cleared


# (who, address, the most statements Django builds on a request after the first): every request reads its session,
# its user with person and unit, the unread notifications' count through statements built once (`core.prepared`),
# the task page and the homes of a unit and of the City Office all their reads.
BUILT = [
    ("lead_officer", "/", 0),
    ("tracker", "/", 0),
    ("tracker", "/?trang-ket-qua=2", 0),
    ("lead_officer", "/nhiem-vu/{task}/", 0),
    ("tracker", "/nhiem-vu/{task}/", 0),  # its action forms' units too (`forms.assignable_unit_rows`)
    ("coord_officer", "/nhiem-vu/{task}/", 0),
]


@pytest.mark.parametrize("who,address,ceiling", BUILT)
def test_a_page_builds_few_statements_after_its_first_request(client, personas, city, who, address, ceiling):
    """Building a statement costs Django 0.3–1.5 ms of CPU (about half of a task page's before): the busy hour's
    pages build theirs once per process (issue 19)."""
    from unittest import mock

    from django.db.models.sql.compiler import SQLCompiler

    address = address.format(task=city[0].pk, directive=city[0].directive_id)
    client.force_login(personas[who].user)
    assert client.get(address).status_code == 200
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as built:
        assert client.get(address).status_code == 200
    statements = [c.args[0].query for c in built.call_args_list]
    # (inside a test's transaction the working-day table's span is looked up again each time: not in production)
    statements = [
        q for q in statements if q.model is None or q.model._meta.db_table != "evaluation_workdayordinal"
    ]
    assert len(statements) <= ceiling, "\n".join(str(q) for q in statements)


def test_the_unit_choices_are_the_assignable_units_by_kind_and_name(client, personas, city):
    """The City Office's forms on the task page (a new lead; a derived task's lead and coordinators) offer the units
    a task can be given to, in order, their names escaped, whichever statement reads them (`assignable_unit_rows`);
    a unit that has ended is not offered."""
    import re

    from django.utils.html import escape

    from dondoc.org.models import Unit

    Unit.objects.filter(code="SXD").update(name="Sở Xây dựng <b>&</b>")
    ended = Unit.objects.assignable().exclude(code="SXD").order_by("id").first()
    Unit.objects.filter(pk=ended.pk).update(valid_to=date(2026, 1, 1))
    expected = [
        (str(pk), escape(name))
        for pk, name in Unit.objects.assignable().order_by("kind", "name").values_list("pk", "name")
    ]
    client.force_login(personas["tracker"].user)
    html = client.get(f"/nhiem-vu/{city[0].pk}/").content.decode()
    for field in ("new_lead", "lead_unit", "coordinating_units"):
        select = re.search(rf'<select name="[a-z_]+-{field}"[^>]*>(.*?)</select>', html, re.S)
        assert select, field
        options = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select.group(1))
        assert options == expected, field
    assert "Sở Xây dựng &lt;b&gt;&amp;&lt;/b&gt;" in html and "<b>&</b>" not in html
    assert str(ended.pk) not in [pk for pk, _ in expected]


def test_the_city_offices_worklists_are_their_questions_paged(client, personas, city):
    """The City Office's home counts and pages its worklists by statements built once (`home_page.OfficeList`): the
    same tasks page by page (ten a page; in frozen time their order's dates tie, so the pages are compared as
    sets) and the same counts as the questions asked of the tasks directly."""
    import re

    from dondoc.tracking.models import Task

    client.force_login(personas["tracker"].user)
    questions = {
        "results": Task.objects.filter(state="result_submitted"),
        "requests": Task.objects.filter(deadline_requests__status="pending"),
        "unacknowledged": Task.objects.filter(state="assigned"),
    }
    assert questions["unacknowledged"].count() > 20  # three pages
    counts = {key: question.count() for key, question in questions.items()}
    shown: dict[str, list[int]] = {key: [] for key in questions}
    for page in (1, 2, 3, 4):
        query = {f"trang-{slug}": page for slug in ("ket-qua", "de-nghi", "chua-tiep-nhan")}
        html = client.get("/", query).content.decode()
        for key in questions:
            start = html.index(f'id="worklist-{key}"')
            section = html[start : html.index("</section>", start)]
            assert f'<span class="count">{counts[key]}</span>' in section
            if page <= max(1, -(-counts[key] // 10)):  # past the last page: the last page again
                shown[key] += [int(pk) for pk in re.findall(r'href="/nhiem-vu/(\d+)/"', section)]
    for key, question in questions.items():
        assert sorted(shown[key]) == sorted(question.values_list("pk", flat=True)), key


@pytest.mark.parametrize("who", ["lead_officer", "coord_officer", "tracker"])
def test_a_bucket_list_read_by_its_statement_built_once_builds_no_task_query(client, personas, city, who):
    """A list of one bucket whose counters come from the counted rows is read by its statement built once
    (`queries.BucketPage`): the tasks' querysets of the other readings (the visible tasks filtered, the bucket's
    condition, its CASE, the parts of what a unit sees) are not built — building them was ~13% of the unit officer's
    overdue list's CPU for nothing (issue 19). The page is the same (tests/tracking/test_list_fast_paths.py)."""
    from unittest import mock

    from django.db.models.sql.query import Query

    from dondoc.tracking.models import Task

    client.force_login(personas[who].user)
    assert client.get("/nhiem-vu/?bucket=overdue").status_code == 200
    with mock.patch.object(Query, "add_q", autospec=True, side_effect=Query.add_q) as filtered:
        assert client.get("/nhiem-vu/?bucket=overdue").status_code == 200
    on_tasks = [c.args[0] for c in filtered.call_args_list if c.args[0].model is Task]
    assert on_tasks == [], "\n".join(
        str(c.args[1]) for c in filtered.call_args_list if c.args[0].model is Task
    )


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the plans are PostgreSQL's")
@pytest.mark.parametrize("who,address", [("leader", "/"), ("tracker", "/van-ban-di/don-doc/")])
def test_the_overdue_units_are_read_off_the_open_counted_rows_index(client, personas, city, who, address):
    """The overdue tasks by lead unit (the leaders' home page, the urging page's overview) read the open counted
    rows off `bucketcount_open_due` (tracking 0022): its condition is the statements' own, so the planner can
    use it (at 10^6 tasks a scan of the table's ~130k rows, ~15 ms of PostgreSQL CPU a request, issue 19). The
    test's table is small: a scan of it is forbidden so that the plan shows whether the index fits."""
    client.force_login(personas[who].user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address).status_code == 200
    statements = [q["sql"] for q in ctx.captured_queries if 'FROM "tracking_bucketcount"' in q["sql"]]
    assert statements
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in statements:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "bucketcount_open_due" in plan, plan
