"""Shared fixtures: the registry, the calendar and named personas whose names say their access."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.db import connection, transaction
from pytest_django.plugin import blocking_manager_key

from dondoc.demo.loader import ensure_reference_data
from dondoc.org.models import Person, Unit
from dondoc.workdays import calendar
from tests.helpers import (
    FAST_HASHERS,
    GOV_DUE,
    PERSONAS,
    delete_personas,
    empty_append_only_tables,
    ensure_personas,
    make_directive,
    registered_task,
)

TODAY = date(2026, 3, 10)  # a Tuesday after the 2026 Tết break

# The fixtures through which a test reaches the test database (pytest-django's, and `django_db_setup`, which the
# session-scoped ones that load data for a module ask for). pytest-django refuses every other database access in a
# test ("Database access not allowed"), so a test without one of these nor the `django_db` marker runs the same on
# either database.
DATABASE_FIXTURES = frozenset(
    {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
    | {"django_db_setup"}
)


def uses_the_database(item: pytest.Item) -> bool:
    """Whether `item` reaches the test database (its fixture closure, the `django_db` marker), or starts a site of
    its own on the pass's database (`helpers.site_databases`, marked `pass_database`)."""
    return bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        or item.get_closest_marker("django_db")
        or item.get_closest_marker("pass_database")
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """DONDOC_TEST_DB_ONLY=1 (CI's PostgreSQL pass): only the tests that use the database run; the others run the
    same on SQLite and PostgreSQL, and CI's SQLite pass runs them."""
    if os.environ.get("DONDOC_TEST_DB_ONLY") != "1":
        return
    kept = [item for item in items if uses_the_database(item)]
    left = [item for item in items if not uses_the_database(item)]
    config.stash[_LEFT_TO_SQLITE] = len(left)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


_LEFT_TO_SQLITE = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    if _LEFT_TO_SQLITE in config.stash:
        terminalreporter.write_line(
            f"DONDOC_TEST_DB_ONLY=1: {config.stash[_LEFT_TO_SQLITE]} tests that use no database deselected "
            "(they run in the SQLite pass)"
        )


@pytest.fixture(autouse=True)
def _fresh_calendar_cache(request):
    """The calendar read afresh, and the working-day table's span (`evaluation.workdays._covered`) forgotten: the
    previous test's changes to either were rolled back with it. A test with the database reads the span the table
    has at its start, as a process outside a transaction remembers it once: the product does not remember what it
    sees inside a transaction (it may yet be rolled back), and every test runs in one, so it would ask the database
    again at each of the thousands of SQL deadline questions of a differential test. The rows there at the test's
    start outlive its transaction; a calendar change inside the test forgets the span, as it does in production."""
    from dondoc.evaluation import workdays as ordinals

    calendar.invalidate()
    ordinals._covered.clear()
    names = set(request.fixturenames)
    if {"db", "transactional_db"} & names or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("transactional_db" if _is_transactional(request.node) else "db")
        calendar.check_generation()  # the generation there is at the start (a request's check forgets nothing)
        _remember_the_span()
    yield
    calendar.invalidate()
    ordinals._covered.clear()


def _remember_the_span() -> None:
    from django.db.models import Max, Min

    from dondoc.evaluation import workdays as ordinals

    bounds = ordinals.WorkdayOrdinal.objects.aggregate(lo=Min("day"), hi=Max("day"))
    if bounds["lo"] is not None:
        ordinals._covered[:] = [(bounds["lo"], bounds["hi"])]


@pytest.fixture(autouse=True)
def _fresh_django_cache():
    """Each test starts with an empty cache: a rolled-back test's ids are reused by the next one (SQLite), so an
    answer cached on them (e.g. the dashboard's, keyed on the data version) must not outlive the test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _flushable_append_only(request) -> Iterator[None]:
    """A transactional test (transactional_db, live_server, django_db(transaction=True)) on SQLite: empty the
    append-only tables just before the flush. Set up after the database fixture, so its teardown runs first."""
    if not _is_transactional(request.node):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    if connection.vendor == "sqlite":
        empty_append_only_tables()


@pytest.fixture
def frozen():
    """Freeze time at 09:00 Hanoi time on TODAY (every test that touches a date freezes it)."""
    with time_machine.travel("2026-03-10 09:00 +07:00", tick=False) as traveller:
        yield traveller


def _is_transactional(item) -> bool:
    """A test whose database is emptied by a flush at its end (transactional_db, live_server, transaction=True)."""
    marker = item.get_closest_marker("django_db")
    marked = marker is not None and bool(
        marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
    )
    return bool({"transactional_db", "live_server"} & set(item.fixturenames)) or marked


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test, its fixtures torn down (the flush emptied every table): load the reference data
    (which the migrations put in every database) and the personas again, once, for the tests that follow."""
    result = yield
    if nextitem is not None and _is_transactional(item):
        with item.config.stash[blocking_manager_key].unblock(), transaction.atomic():  # one commit, not ~45
            ensure_reference_data()
            _ground_data()
    return result


def _ground_data() -> None:
    """What every test starts from beside the reference data: the personas, and the SQL working-day table
    (`evaluation.workdays`, built on first need otherwise — inside each test's rolled-back transaction, so again for
    every test that reads an effective deadline in SQL)."""
    from dondoc.evaluation.workdays import ensure_deadline_years

    ensure_personas()
    ensure_deadline_years()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """On PostgreSQL the test connections commit without waiting for the disk (`synchronous_commit` off, theirs
    only: the server's setting and the subprocesses' sites are untouched): a commit of the migrations, of a
    transactional test or of the live server cost ~8 ms waiting for the WAL flush on this machine, 0.4 ms without.
    A commit is still a commit for every other connection; only a crash of the server could lose the last ones,
    and the test database is thrown away after the run. A test that reads the setting asks for `durable_commits`."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture
def durable_commits(transactional_db) -> Iterator[None]:
    """This test's connection back at the server's `synchronous_commit` (on), as outside the tests."""
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = on")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET synchronous_commit")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The session's database, migrated (which loads the registry and the calendar), gets the ground data once; on
    PostgreSQL the flush after a transactional test deletes the rows instead of truncating the tables."""
    with django_db_blocker.unblock():
        _ground_data()
        flush_by_delete = connection.vendor == "postgresql" and _may_skip_triggers()
        ground = _keep_the_ground() if flush_by_delete else set()
    with pytest.MonkeyPatch.context() as patch:
        if flush_by_delete:
            from django.db.backends.postgresql.operations import DatabaseOperations

            patch.setattr(
                DatabaseOperations, "sql_flush", _flush_by_delete(DatabaseOperations.sql_flush, ground)
            )
        yield


GROUND_SCHEMA = "dondoc_ground"


def _keep_the_ground() -> set[str]:
    """PostgreSQL: a copy of every non-empty table of the session's database as it starts (reference data,
    personas, working-day table, content types and permissions) in a schema of its own, which the flush after a
    transactional test copies back (`_flush_by_delete`) instead of loading them again row by row. Returns the
    tables kept."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    kept = set()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {GROUND_SCHEMA} CASCADE")  # a database kept by --reuse-db
        cursor.execute(f"CREATE SCHEMA {GROUND_SCHEMA}")
        for table in tables:
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {name})")
            if cursor.fetchone()[0]:
                cursor.execute(f"CREATE TABLE {GROUND_SCHEMA}.{name} AS SELECT * FROM {name}")
                kept.add(table)
    return kept


def _may_skip_triggers() -> bool:
    """Whether the test database's user may set `session_replication_role` (a superuser, as in CI)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return bool(cursor.fetchone()[0])


def _flush_by_delete(truncate, ground: set[str]):
    """PostgreSQL's `sql_flush` for the flush that ends a transactional test: Django's one `TRUNCATE` of the ~100
    tables costs 3–4 s of waiting on the server for a few hundred rows (new files for every table and index);
    deleting the rows costs a tenth of that. Triggers are off for the flush's own transaction only (`SET LOCAL`):
    the append-only tables' triggers would refuse the deletes and the count triggers would write rows back into the
    count tables; the foreign keys' checks go with them, every table being emptied. The tables and the sequences end
    as TRUNCATE leaves them (sequences not reset; a flush that asks for it gets `truncate`'s SQL), then the
    session's starting rows (`ground`, kept by `_keep_the_ground`) are copied back in the same transaction, ids and
    all: the reference data, the personas and the working-day table need no loading again (`pytest_runtest_teardown`
    finds them there), the content types and permissions none from the flush's post_migrate."""

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [
            "SET LOCAL session_replication_role = replica",
            *(f"DELETE FROM {self.quote_name(table)}" for table in tables),
            *(
                f"INSERT INTO {self.quote_name(table)} SELECT * FROM {GROUND_SCHEMA}.{self.quote_name(table)}"
                for table in tables
                if table in ground
            ),
        ]

    return sql_flush


@pytest.fixture
def registry(db):
    """The unit registry and the official calendar. Migrations load both into every database; only a transactional
    test's flush empties them, so they are loaded again only when missing."""
    ensure_reference_data()
    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def personas(registry):
    """lead_officer/lead_head of Sở Xây dựng (the lead unit), coord_officer of Sở Tài chính (a coordinator),
    other_officer of Sở Y tế (unrelated), tracker of the City Office, leader, inspector: created once for the
    session's database (`django_db_setup`), read here; a test's changes to them roll back with it (a
    transactional test's flush removes them: they are created again after it, as the registry is)."""
    people = Person.objects.select_related("user", "unit").filter(user__username__in=PERSONAS.values())
    by_username = {p.user.username: p for p in people}
    return {key: by_username[username] for key, username in PERSONAS.items()}


@pytest.fixture
def without_personas(db):
    """A database without the session's personas (the demo creates its own sxd.truong and sxd.cv1): deleted
    inside the test's transaction, so the next test has them again."""
    delete_personas()


@pytest.fixture
def directive(registry):
    return make_directive(
        "15/CT-UBND",
        issuer=registry["H26"],
        issued_on=date(2026, 2, 2),
        subject="Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính",
    )


@pytest.fixture
def admins(registry):
    """Two administrators of the admin site (quantri.cleared, quantri.uncleared): one cleared for secrets, one not."""
    from tests.helpers import make_person

    made = {}
    for name, cleared in (("cleared", True), ("uncleared", False)):
        person = make_person(
            f"quantri.{name}", registry["VPUBND"], Person.Role.ADMIN, cleared_for_secrets=cleared
        )
        person.user.is_staff = person.user.is_superuser = True
        person.user.save()
        made[name] = person
    return made


@pytest.fixture
def secret_directive(registry):
    """A secret directive (7/CT-UBND): only people cleared for secrets see it."""
    from dondoc.directives.models import Directive

    return make_directive(
        "7/CT-UBND",
        issuer=registry["H26"],
        issued_on=date(2026, 1, 20),
        subject="Chỉ thị mật về bảo đảm an ninh",
        secrecy=Directive.Secrecy.SECRET,
    )


@pytest.fixture
def make_task(directive, registry, personas):
    """make_task(due=date, assign=True, coordinators=[codes], **fields) → a task led by Sở Xây dựng."""

    def make(*, lead: str = "SXD", coordinators: tuple[str, ...] = ("STC",), assign: bool = True, **fields):
        return registered_task(
            directive,
            registry[lead],
            personas["tracker"].user,
            coordinating_units=[registry[c] for c in coordinators],
            assigned_on=date(2026, 2, 2) if assign else None,
            content=fields.pop("content", "Xây dựng kế hoạch chỉnh trang đô thị"),
            **fields,
        )

    return make


@pytest.fixture(autouse=True)
def _audit_linked_on_commit(settings):
    """The audit events linked by the committing thread, as before the linker (`AUDIT_LINK_DELAY_MS`): a test sees
    the chain as its requests left it; tests/audit/test_linker.py tests the linker."""
    settings.AUDIT_LINK_DELAY_MS = 0


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 at production strength costs about a second per login; the tests do not test hashing."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


# --- the task tree: a Government resolution and its task, registered by the City Office (issue 15) ---------------


@pytest.fixture
def resolution(registry):
    """A Government resolution registered in the directive register."""
    from dondoc.directives.models import Authority

    return make_directive(
        "25/NQ-CP",
        issuer=registry["CP"],
        issued_on=date(2026, 2, 5),
        authority=Authority.GOVERNMENT,
        subject="Nghị quyết về nhiệm vụ, giải pháp thúc đẩy tăng trưởng",
    )


@pytest.fixture
def gov_task(resolution, registry, personas, frozen):
    """The Government's task, registered by the City Office (led by the City Office for the city) and issued."""
    return registered_task(
        resolution,
        registry["VPUBND"],
        personas["tracker"].user,
        assigned_on=date(2026, 2, 6),
        content="Đẩy mạnh giải ngân vốn đầu tư công",
        due_date=GOV_DUE,
    )
