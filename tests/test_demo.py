"""`dondoc loaddemo`: the registry, people, dispatch 3031/UBND-TKBT with the tasks its text assigns, and generated
tasks in every timeliness bucket; `--if-empty` makes a second run harmless; every listed demo login works. (The demo's past: `tests/test_demo_past.py`.)"""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from dondoc.demo import loader as demo
from dondoc.directives.models import Directive
from dondoc.org.models import Person, Unit
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import DeadlineChange, Task
from dondoc.tracking.queries import bucket_counts
from dondoc.tracking.timeliness import soon_limit
from tests.helpers import delete_personas, kept_for_the_scope

pytestmark = pytest.mark.django_db

REF = date(2026, 3, 10)
NINE = "2026-03-10 09:00 +07:00"  # conftest's `frozen`


def _load_at_nine() -> str:
    """The demo loaded at 09:00 on 10/03/2026 into a database without the session's personas (the demo makes its own
    sxd.truong, sxd.cv1); what the command printed."""
    delete_personas()
    out = StringIO()
    with time_machine.travel(NINE, tick=False):
        call_command("loaddemo", tasks=300, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    """Loaded once for the module (a load is 2–3 s on an idle machine, 5–17 s on a busy one) and rolled back after
    it; each test's writes roll back with the test (`kept_for_the_scope`)."""
    yield from kept_for_the_scope(django_db_blocker, _load_at_nine)


@pytest.fixture
def loaded(_demo, frozen):
    """The demo, the clock at 09:00 on 10/03/2026 as when it was loaded; what `loaddemo` printed."""
    return _demo


def test_demo_loads_the_registry_and_people_for_every_department(loaded):
    assert Unit.objects.count() == 179  # 149 in force, 30 former districts (before 01/07/2025)
    for department in Unit.objects.filter(kind=Unit.Kind.DEPARTMENT):
        assert department.current_head() is not None, department
        assert department.people.filter(role=Person.Role.UNIT_OFFICER).count() == 2
    assert Person.objects.filter(unit__kind__in=[Unit.Kind.WARD, Unit.Kind.COMMUNE]).count() == 20 * 3
    assert Person.objects.filter(role=Person.Role.TRACKING_OFFICER, unit__code="VPUBND").count() == 2
    assert "Đã nạp: 179 đơn vị" in loaded


def test_demo_registers_dispatch_3031_with_the_tasks_its_text_assigns(loaded):
    dispatch = Directive.objects.get(notation="3031/UBND-TKBT")
    assert (dispatch.number, dispatch.symbol, dispatch.year, dispatch.issuer.code) == (
        3031,
        "UBND-TKBT",
        2020,
        "H26",
    )
    tasks = dispatch.tasks.all()
    assert all(t.state == tl.ASSIGNED and t.assigned_on == date(2020, 7, 10) for t in tasks)

    office = tasks.filter(lead_unit__code="VPUBND")
    assert set(office.values_list("clause", flat=True)) == {"Đoạn 2", "Đoạn 3", "Đoạn 4"}
    parent = office.get(clause="Đoạn 2", parent__isnull=True)
    departments = Unit.objects.filter(kind=Unit.Kind.DEPARTMENT).exclude(code="VPUBND")
    assert set(parent.children.values_list("lead_unit__code", flat=True)) == set(
        departments.values_list("code", flat=True)
    )

    home_affairs = tasks.filter(lead_unit__code="SNV", clause="Đoạn 5")
    assert home_affairs.count() == 2
    monthly = home_affairs.get(report_day_of_month=25)
    assert monthly.must_report
    assert "trước ngày 25 hằng tháng" in monthly.report_text


def test_dispatch_tasks_name_the_head_of_each_lead_unit_as_accountable(loaded):
    for task in Directive.objects.get(notation="3031/UBND-TKBT").tasks.select_related("lead_unit"):
        assert task.accountable_head == task.lead_unit.current_head(), task.lead_unit


def test_demo_has_tasks_in_every_bucket(loaded):
    counts = bucket_counts(Task.objects.all(), REF, soon_limit(REF))
    missing = [name for name in tl.BUCKETS if name not in tl.NOT_TRACKED and counts[name] == 0]
    assert missing == []
    assert Task.objects.count() >= 300


def test_loaddemo_if_empty_does_nothing_the_second_time(loaded):
    before = (Task.objects.count(), Directive.objects.count(), get_user_model().objects.count())
    out = StringIO()
    call_command("loaddemo", tasks=300, if_empty=True, stdout=out)
    assert (Task.objects.count(), Directive.objects.count(), get_user_model().objects.count()) == before
    assert "bỏ qua" in out.getvalue()


def test_loaddemo_refuses_a_database_that_already_has_tasks(loaded):
    before = Task.objects.count()
    with pytest.raises(CommandError, match="đã có nhiệm vụ"):
        call_command("loaddemo", tasks=10, stdout=StringIO())
    assert Task.objects.count() == before


def test_every_demo_login_listed_on_the_login_page_works(loaded, client):
    logins = demo.demo_logins()
    usernames = [a["username"] for a in logins["accounts"]]
    assert {"lanhdao.chutich", "vp.theodoi1", "snv.thanhtra1", "sxd.truong", "sxd.cv1"} <= set(usernames)
    for username in usernames:
        assert client.login(username=username, password=logins["password"]), username
        assert Person.objects.filter(user__username=username).exists(), username
        client.logout()
    assert not client.login(username="vp.theodoi1", password="sai-mat-khau")


def test_demo_extended_tasks_have_their_approved_request(loaded, client):
    """A demo task that says its deadline was extended once has that one approved request and its two events."""
    extended = Task.objects.filter(deadline_changes__gt=0)
    assert extended.exists()
    for task in extended:
        requests = list(task.deadline_requests.all())
        assert [(r.status, r.kind) for r in requests] == [
            (DeadlineChange.Status.APPROVED, DeadlineChange.Kind.EXTEND)
        ] * task.deadline_changes
        assert (requests[0].old_due_date, requests[0].approved_due_date) == (
            task.original_due_date,
            task.due_date,
        )
        actions_ = set(task.events.values_list("action", flat=True))
        assert {"request_change", "decide_change"} <= actions_
    task = extended.first()
    client.force_login(get_user_model().objects.get(username="vp.theodoi1"))
    page = client.get(reverse("tracking:task_detail", args=[task.pk])).content.decode()
    assert "đã điều chỉnh 1 lần" in page
