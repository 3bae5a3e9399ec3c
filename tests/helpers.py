"""Helpers shared by the test modules (fixtures live in the conftest files)."""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import TypeVar

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from dondoc.org.models import Person, Unit
from dondoc.tracking import timeliness as tl

# The database of this run of the suite: CI runs it once on SQLite and once on PostgreSQL (DATABASE_URL).
PASS_DATABASE = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"


def site_databases() -> list:
    """Parameters for a test that starts a fresh site in a subprocess on either database: each runs in the pass of
    its own database (skipped in the other), so a CI run checks each once instead of twice. Marked `pass_database`:
    such a test uses no test database yet its outcome depends on the pass, so the PostgreSQL pass keeps it
    (conftest.uses_the_database)."""
    return [
        pytest.param(
            name,
            marks=[
                pytest.mark.pass_database,
                pytest.mark.skipif(name != PASS_DATABASE, reason=f"runs in the {name} pass"),
            ],
        )
        for name in ("sqlite", "postgresql")
    ]


def free_port() -> int:
    """A TCP port free on this machine now (for a server the test starts, or one that is down)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def login(person, client=None, **client_kwargs):
    """`client` (a new one with `client_kwargs` when none is given) logged in as `person` with the password, as a
    user logs in: the lockout backend and the login signals run (`force_login` skips them)."""
    from django.test import Client

    client = client or Client(**client_kwargs)
    client.logout()
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def administrator(client):
    """`client` logged in as a new superuser «quantri» (the administration pages), through the login backends."""
    get_user_model().objects.create_superuser("quantri", "qt@example.org", PASSWORD)
    assert client.login(username="quantri", password=PASSWORD)
    return client


def make_directive(notation, *, issuer, issued_on, subject="Chỉ thị", authority=None, **fields):
    """A directive in the register, its number, symbol, year and type read from `notation` as the register page
    reads them (no year in the notation: the year of `issued_on`); the authority defaults to UBND Thành phố."""
    from dondoc.directives.forms import symbol_of
    from dondoc.directives.models import Authority, Directive
    from dondoc.directives.notation import parse_notation

    parsed = parse_notation(notation)
    return Directive.objects.create(
        notation=notation,
        number=parsed.number,
        symbol=symbol_of(parsed),
        year=parsed.year or issued_on.year,
        doc_type=parsed.doc_type or "",
        issuer=issuer,
        authority=authority or Authority.CITY_COMMITTEE,
        issued_on=issued_on,
        subject=subject,
        **fields,
    )


def run_jobs() -> None:
    """Run the queued jobs that are due now, as `dondoc worker --once` does (the real worker, in-process)."""
    from django.core.management import call_command

    call_command("worker", "--once")


def act(client, task, action, **fields):
    """Post the task page's form for `action` (fields without their prefix), with the task's version."""
    from django.urls import reverse

    data = {f"{action}-version": task.version, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(reverse("tracking:task_action", args=[task.pk, action]), data)


def plan_fields(**extra):
    """The fields of an inspection plan of Q1/2026 (visits 10–20/03/2026), changed by `extra`."""
    from datetime import date

    from dondoc.inspection.models import InspectionPlan

    fields = dict(
        decision_number="12/QĐ-SNV",
        decision_date=date(2026, 3, 2),
        title="Kiểm tra công vụ việc thực hiện nhiệm vụ được giao quý I/2026",
        mode=InspectionPlan.Mode.SCHEDULED,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 9),
        starts_on=date(2026, 3, 10),
        ends_on=date(2026, 3, 20),
    )
    fields.update(extra)
    return fields


def read_csv(response, delimiter=","):
    """The rows of a CSV download (checked: 200, text/csv, an attachment, UTF-8 with the byte-order mark)."""
    import csv
    import io

    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode()), "Excel needs the UTF-8 byte-order mark to read Vietnamese"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


def docx_bytes(text: str) -> bytes:
    """A Word document with one paragraph a line of `text`."""
    import io

    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """A zip archive (deflated) of `files`, name → content."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def pdf_bytes(text: str | None) -> bytes:
    """A PDF with a text layer (Vietnamese in DejaVu Serif), or, with None, a "scan": a drawing and no text."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    buf = io.BytesIO()
    if text is None:
        c = canvas.Canvas(buf, pagesize=A4)
        c.rect(100, 100, 300, 500, fill=1)
        c.showPage()
        c.save()
        return buf.getvalue()
    pdfmetrics.registerFont(TTFont("DejaVuSerif", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"))
    style = ParagraphStyle("vi", fontName="DejaVuSerif", fontSize=12, leading=15)
    SimpleDocTemplate(buf, pagesize=A4).build([Paragraph(p, style) for p in text.split("\n") if p.strip()])
    return buf.getvalue()


def register_directive(client, registry, **overrides):
    """Post the register page's form (a directive 16/CT-UBND of UBND Thành phố), changed by `overrides`."""
    from django.urls import reverse

    from dondoc.directives.models import Authority

    data = {
        "notation": "16/CT-UBND",
        "issued_on": "05/03/2026",
        "issuer": registry["H26"].pk,
        "authority": Authority.CITY_COMMITTEE,
        "subject": "Chỉ thị về phòng, chống cháy nổ",
        **overrides,
    }
    return client.post(reverse("directives:create"), data)


def registered_task(directive, lead_unit, user, *, assigned_on=None, **fields):
    """A task of `directive` led by `lead_unit`, created by `user` (a registrar) through the task actions and, with
    `assigned_on`, assigned on that day; `fields` go to `create_task` (content, due_date, coordinating_units…)."""
    from dondoc.tracking import actions

    task = actions.create_task(directive, lead_unit=lead_unit, user=user, **fields)
    return task if assigned_on is None else actions.assign(task, user, on=assigned_on)


def notify(task, person, day: date, title: str = "Nhắc việc"):
    """A reminder of `task` (the overdue rule) to `person`, written at 08:00 Hanoi time on `day` as the engine does."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from dondoc.followup.models import Notification

    return Notification.objects.create(
        task=task,
        recipient=person,
        rule_code="qua_han",
        rule_name="Quá hạn",
        step_day=day,
        title=title,
        body="Nhiệm vụ đã quá hạn",
        created_at=datetime.combine(day, time(8), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
    )


def make_plan(head, units, *, members=(), user=None, **extra):
    """An inspection plan of `units` (its fields `plan_fields(**extra)`), its team `head` and `members` (persons),
    created by `user` (the head's user when None) through the inspection services."""
    from dondoc.inspection import services
    from dondoc.inspection.models import TeamMember

    team = [services.TeamEntry(head, TeamMember.Role.HEAD)]
    team += [services.TeamEntry(member, TeamMember.Role.MEMBER) for member in members]
    return services.create_plan(user or head.user, team=team, units=units, **plan_fields(**extra))


def sampled_finding(inspector, inspected, task, verdict, text, **extra):
    """`inspector` (a person) samples `task` at `inspected` (an inspected unit) and records its finding."""
    from dondoc.inspection import services

    services.set_sample(inspector.user, inspected, [task])
    return services.record_finding(
        inspector.user, inspected.findings.get(), verdict=verdict, text=text, **extra
    )


def merged_unit(successor, code="000.00.00.QCG", name="UBND quận Cầu Giấy (cũ)"):
    """A district dissolved on 01/07/2025 whose successor is `successor` (the 2025 merger of units)."""
    from datetime import date

    from dondoc.org.models import Unit

    old = Unit.objects.create(
        code=code, name=name, kind=Unit.Kind.HISTORIC_DISTRICT, valid_to=date(2025, 7, 1)
    )
    old.successors.add(successor)
    return old


def snv_report(day=date(2026, 3, 20), **changes):
    """A report of Sở Nội vụ (BC-SNV) dated `day` (None: not yet numbered), as the document register issues it;
    `changes` replace its fields (blocks, title…)."""
    from dataclasses import replace

    from dondoc.documents.layout import OfficialDocument, Paragraph, Signature

    report = OfficialDocument(
        parent_body="UBND THÀNH PHỐ HÀ NỘI",
        issuing_body="SỞ NỘI VỤ",
        symbol="BC-SNV",
        place="Hà Nội",
        day=day,
        subject="Kết quả thực hiện nhiệm vụ tháng 3/2026",
        kind="BÁO CÁO",
        blocks=[Paragraph("Nội dung báo cáo.")],
        signature=Signature(position="GIÁM ĐỐC", name="Trần Văn B"),
        archive="TTr",
    )
    return replace(report, **changes)


PASSWORD = "mat-khau-thu-nghiem-2026"


# The tables the database keeps append-only with triggers, and those triggers on SQLite. A transactional test ends
# with a flush: PostgreSQL empties every table with TRUNCATE, which row triggers do not see; SQLite deletes the rows,
# and the triggers refuse ("task history is append-only", "audit trail is append-only").
_TASK_TRIGGERS = importlib.import_module("dondoc.tracking.migrations.0002_integrity_triggers")
_AUDIT_TRIGGERS = importlib.import_module("dondoc.audit.migrations.0002_append_only_triggers")
APPEND_ONLY_SQLITE = {
    "tracking_taskevent": _TASK_TRIGGERS.SQLITE[:2],  # the others guard coordinations, not history
    "audit_auditentry": _AUDIT_TRIGGERS.SQLITE,
}


T = TypeVar("T")


def kept_for_the_scope(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """The body of a module- (or class-) scoped fixture whose data, written once by `build`, every test of the scope
    reads: `build` runs inside a transaction that stays open while the scope's tests run and is rolled back after
    them. Each test's own transaction (the `db` fixture) nests inside it as a savepoint, so what a test writes still
    rolls back with the test, and the next test sees `build`'s data as it was. Not for transactional tests (their
    flush would empty it). `build` runs with the settings the tests have (conftest's autouse `settings` fixtures are
    per test: the fast password hasher, or the logins it writes would not work in the tests). Use:
    `yield from kept_for_the_scope(django_db_blocker, load)`."""
    from django.test import override_settings

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                built = build()
        except BaseException as error:
            outer.__exit__(type(error), error, error.__traceback__)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def empty_append_only_tables() -> None:
    """SQLite: empty the append-only tables with their triggers dropped for the moment, and put the triggers back."""
    with connection.cursor() as cursor:
        for table, triggers in APPEND_ONLY_SQLITE.items():
            for sql in triggers:
                cursor.execute(f"DROP TRIGGER IF EXISTS {sql.split()[2]}")
            cursor.execute(f"DELETE FROM {table}")
            for sql in triggers:
                cursor.execute(sql)


def make_person(
    username: str, unit: Unit, role: str, position: str = Person.Position.OFFICER, **extra
) -> Person:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, first_name=username)
    return Person.objects.create(
        user=user,
        full_name=username.replace(".", " ").title(),
        unit=unit,
        role=role,
        position=position,
        **extra,
    )


GOV_DUE = date(2026, 3, 31)


# The random tasks of the differential tests of the counted tables (`tests/tracking/test_bucket_counts.py`,
# `tests/evaluation/test_counts.py`): a state drawn from RANDOM_STATES (completed twice as often as the others), a
# lead unit from RANDOM_UNITS, days drawn by `random_day`.
RANDOM_STATES = [
    tl.DRAFT,
    tl.ASSIGNED,
    tl.IN_PROGRESS,
    tl.RESULT_SUBMITTED,
    tl.COMPLETED,
    tl.COMPLETED,
    tl.CANCELLED,
]
RANDOM_UNITS = ("SXD", "STC", "SYT", "SNV")


def random_day(rng, lo: date, hi: date) -> date:
    """A day between `lo` and `hi` (both included), drawn by `rng` (a random.Random)."""
    return lo + timedelta(days=rng.randint(0, (hi - lo).days))


def random_task_fields(rng, directive, units: dict) -> dict:
    """The fields of a random task of `directive` (today frozen on 10/03/2026): a state of RANDOM_STATES, a lead
    unit of RANDOM_UNITS among `units`, a deadline or none, a completion date for a result, secret or not."""
    ref = date(2026, 3, 10)
    state = rng.choice(RANDOM_STATES)
    due = None if rng.random() < 0.2 else random_day(rng, date(2026, 1, 20), date(2026, 5, 31))
    done = None
    if state == tl.COMPLETED or (state == tl.RESULT_SUBMITTED and rng.random() < 0.6):
        hi = min(ref, (due or ref) + timedelta(days=12))
        done = random_day(rng, min(hi, (due or ref) - timedelta(days=10)), hi)
    return {
        "directive": directive,
        "lead_unit": units[rng.choice(RANDOM_UNITS)],
        "content": "Nhiệm vụ thử",
        "due_date": due,
        "state": state,
        "completed_on": done,
        "assigned_on": None if state == tl.DRAFT else date(2026, 1, 5),
        "secret": rng.random() < 0.2,
    }


# The personas of the session's database (conftest's `personas` fixture): key → username.
PERSONAS = {
    "lead_head": "sxd.truong",
    "lead_officer": "sxd.cv1",
    "coord_officer": "stc.cv1",
    "other_officer": "syt.cv1",
    "tracker": "vp.theodoi",
    "leader": "lanhdao",
    "inspector": "snv.thanhtra",
}


def ensure_personas() -> None:
    """Create the personas (`PERSONAS`) when missing: ground data of the session's database, like the registry the
    migrations load, so written without audit entries (bulk_create sends no signal) and hashed with the fast hasher
    the tests use."""
    from django.contrib.auth.hashers import make_password
    from django.test import override_settings

    if Person.objects.filter(user__username=PERSONAS["lead_head"]).exists():
        return
    R, P = Person.Role, Person.Position
    units = {u.code: u for u in Unit.objects.filter(code__in=["SXD", "STC", "SYT", "VPUBND", "H26", "SNV"])}
    plan = [  # username, unit, role, position, cleared for secrets
        (PERSONAS["lead_head"], "SXD", R.UNIT_HEAD, P.HEAD, False),
        (PERSONAS["lead_officer"], "SXD", R.UNIT_OFFICER, P.OFFICER, False),
        (PERSONAS["coord_officer"], "STC", R.UNIT_OFFICER, P.OFFICER, False),
        (PERSONAS["other_officer"], "SYT", R.UNIT_OFFICER, P.OFFICER, False),
        (PERSONAS["tracker"], "VPUBND", R.TRACKING_OFFICER, P.OFFICER, True),
        (PERSONAS["leader"], "H26", R.LEADER, P.HEAD, True),
        (PERSONAS["inspector"], "SNV", R.INSPECTOR, P.OFFICER, False),
    ]
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        password = make_password(PASSWORD)
    User = get_user_model()
    User.objects.bulk_create([User(username=u, password=password, first_name=u) for u, *_ in plan])
    users = {u.username: u for u in User.objects.filter(username__in=[u for u, *_ in plan])}
    Person.objects.bulk_create(
        [
            Person(
                user=users[username],
                full_name=username.replace(".", " ").title(),
                unit=units[code],
                role=role,
                position=position,
                cleared_for_secrets=cleared,
            )
            for username, code, role, position, cleared in plan
        ]
    )


def delete_personas() -> None:
    """Delete the personas and their accounts (a test that needs a database without them)."""
    Person.objects.filter(user__username__in=PERSONAS.values()).delete()
    get_user_model().objects.filter(username__in=PERSONAS.values()).delete()


# The tests do not test hashing: PBKDF2 at production strength costs about a second per login.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The urging letter's table (the documents conftest's `overdue_tasks`) of Sở Xây dựng's letter on 10/03/2026, computed by hand from the 2026 calendar:
# 27/02 → 10/03 is 2–6 and 9–10 March, 7 working days; 05/03 → 10/03 is 6, 9, 10 March, 3 working days.
SXD_URGING_ROWS = [
    [
        "1",
        "15/CT-UBND ngày 02/02/2026",
        "Hoàn thiện đề án cải tạo chung cư cũ",
        "27/02/2026",
        "7",
        "Quá hạn chưa hoàn thành (Đã giao)",
    ],
    [
        "2",
        "15/CT-UBND ngày 02/02/2026",
        "Báo cáo rà soát công trình xây dựng trái phép",
        "05/03/2026",
        "3",
        "Quá hạn chưa hoàn thành (Đang thực hiện)",
    ],
    [
        "3",
        "15/CT-UBND ngày 02/02/2026",
        "Lập kế hoạch chỉnh trang vỉa hè",
        "12/03/2026",
        "—",
        "Sắp đến hạn (Đã giao)",
    ],
]


def bucket_sums() -> dict:
    """The three levels of the tasks' counted rows (the units', the city's, the coordinated): every key that counts something, with the
    sum of its rows (folded and pending) — what their readers see."""
    from django.db.models import Sum

    from dondoc.tracking import counted
    from dondoc.tracking.models import BucketCount, CityBucketCount, CoordinatedBucketCount

    levels = (
        (BucketCount, counted.COLUMNS),
        (CityBucketCount, counted.CITY_COLUMNS),
        (CoordinatedBucketCount, counted.COORDINATED_COLUMNS),
    )
    return {
        model.__name__: {
            r[:-1]: r[-1]
            for r in model.objects.values(*columns).annotate(s=Sum("n")).order_by().values_list(*columns, "s")
            if r[-1]
        }
        for model, columns in levels
    }


@contextlib.contextmanager
def held_open(write: Callable[[], object]) -> Iterator[list[BaseException]]:
    """Another connection's transaction (a thread) that ran `write` and stays open, uncommitted, while the block runs;
    it commits when the block ends. Yields the list the thread's errors land in (PostgreSQL's concurrent-writer
    tests: the block's statements must neither wait for it nor see its rows)."""
    import threading

    from django.db import connections

    holding, done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold() -> None:
        try:
            with transaction.atomic():
                write()
                holding.set()
                done.wait(timeout=5)
        except BaseException as exc:  # reported through `errors`
            errors.append(exc)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(timeout=5), errors
        yield errors
    finally:
        done.set()
        holder.join()


def twin_bucket_counts(tasks, ref: date, soon: date) -> tuple[dict, int]:
    """The counts of `counted.bucket_counts` by the Python twin of the buckets (`timeliness.bucket`, task by task):
    each bucket's tasks (due soon a part of within the deadline, counted in both) and the open ones."""
    counts = dict.fromkeys(tl.BUCKETS, 0)
    whole = {part: bucket for bucket, part in tl.PARTS.items()}
    for state, due, done in tasks.values_list("state", "due_date", "completed_on"):
        name = tl.bucket(state, due, done, ref, soon)
        counts[name] += 1
        if name in whole:
            counts[whole[name]] += 1
    return counts, tasks.filter(state__in=tl.OPEN_STATES).count()


@contextlib.contextmanager
def subprocess_database() -> Iterator[tuple[dict[str, str], Callable[[str], int]]]:
    """(environment for a subprocess of the product, count(sql)) on the test database of a transactional test.

    PostgreSQL: the test database itself. SQLite: the in-memory test database is copied to a file first (the
    subprocess cannot see memory), and counts are read from that file.
    """
    import sqlite3
    import tempfile
    from pathlib import Path

    env = {**os.environ, "SECRET_KEY": "test-only", "DJANGO_SETTINGS_MODULE": "dondoc.settings", "DEBUG": "0"}
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        )

        def count(sql: str) -> int:
            with connection.cursor() as cur:
                cur.execute(sql)
                return int(cur.fetchone()[0])

        yield env, count
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "engine.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        env["DATABASE_URL"] = f"sqlite:///{path}"

        def count(sql: str) -> int:
            with sqlite3.connect(path, timeout=10) as db:
                return int(db.execute(sql).fetchone()[0])

        yield env, count
