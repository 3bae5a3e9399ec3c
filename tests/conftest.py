"""Shared fixtures: the registry, the calendar and named personas whose names say their access."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.contrib.auth import get_user_model

from dondoc.directives.models import Authority, Directive
from dondoc.org.models import Person, Unit
from dondoc.org.registry import load_units
from dondoc.tracking import actions
from dondoc.workdays import calendar

PASSWORD = "mat-khau-thu-nghiem-2026"
TODAY = date(2026, 3, 10)  # a Tuesday after the 2026 Tết break


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture(autouse=True)
def _fresh_django_cache():
    """Each test starts with an empty cache: a rolled-back test's ids are reused by the next one (SQLite), so an
    answer cached on them (e.g. the dashboard's, keyed on the data version) must not outlive the test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen():
    """Freeze time at 09:00 Hanoi time on TODAY (every test that touches a date freezes it)."""
    with time_machine.travel("2026-03-10 09:00 +07:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def registry(db):
    calendar.load_csv()
    load_units()
    return {u.code: u for u in Unit.objects.all()}


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


@pytest.fixture
def personas(registry):
    """lead_officer/lead_head of Sở Xây dựng (the lead unit), coord_officer of Sở Tài chính (a coordinator),
    other_officer of Sở Y tế (unrelated), tracker of the City Office, leader, inspector."""
    R = Person.Role
    return {
        "lead_head": make_person("sxd.truong", registry["SXD"], R.UNIT_HEAD, Person.Position.HEAD),
        "lead_officer": make_person("sxd.cv1", registry["SXD"], R.UNIT_OFFICER),
        "coord_officer": make_person("stc.cv1", registry["STC"], R.UNIT_OFFICER),
        "other_officer": make_person("syt.cv1", registry["SYT"], R.UNIT_OFFICER),
        "tracker": make_person(
            "vp.theodoi", registry["VPUBND"], R.TRACKING_OFFICER, cleared_for_secrets=True
        ),
        "leader": make_person(
            "lanhdao", registry["H26"], R.LEADER, Person.Position.HEAD, cleared_for_secrets=True
        ),
        "inspector": make_person("snv.thanhtra", registry["SNV"], R.INSPECTOR),
    }


@pytest.fixture
def directive(registry):
    return Directive.objects.create(
        notation="15/CT-UBND",
        number=15,
        symbol="CT-UBND",
        year=2026,
        doc_type="CT",
        issuer=registry["H26"],
        authority=Authority.CITY_COMMITTEE,
        issued_on=date(2026, 2, 2),
        subject="Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính",
    )


@pytest.fixture
def make_task(directive, registry, personas):
    """make_task(due=date, assign=True, coordinators=[codes], **fields) → a task led by Sở Xây dựng."""

    def make(*, lead: str = "SXD", coordinators: tuple[str, ...] = ("STC",), assign: bool = True, **fields):
        task = actions.create_task(
            directive,
            lead_unit=registry[lead],
            coordinating_units=[registry[c] for c in coordinators],
            content=fields.pop("content", "Xây dựng kế hoạch chỉnh trang đô thị"),
            user=personas["tracker"].user,
            **fields,
        )
        if assign:
            task = actions.assign(task, personas["tracker"].user, on=date(2026, 2, 2))
        return task

    return make


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 at production strength costs about a second per persona; the tests do not test hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
