"""`dondoc loaddemo`: the registry, people, dispatch 3031/UBND-TKBT with the tasks its text assigns, and generated
tasks in every timeliness bucket; `--if-empty` makes a second run harmless; every listed demo login works."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from dondoc.demo import history
from dondoc.demo import loader as demo
from dondoc.directives.models import Directive
from dondoc.followup import engine, ladder
from dondoc.followup.facts import rows, task_facts
from dondoc.followup.models import Notification
from dondoc.followup.recipients import Directory
from dondoc.org.models import Person, Unit
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import DeadlineChange, Task
from dondoc.tracking.queries import bucket_counts
from dondoc.tracking.timeliness import soon_limit
from dondoc.workdays import calendar

pytestmark = pytest.mark.django_db

REF = date(2026, 3, 10)


@pytest.fixture
def loaded(without_personas, frozen):
    out = StringIO()
    call_command("loaddemo", tasks=300, stdout=out)
    return out.getvalue()


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


# --- the demo's past (issue 20, points 13 and 14) ------------------------------------------------------------------


@pytest.fixture
def before_eight(without_personas):
    """The demo loaded at 07:30 on a working day: the engine has not made today's pass yet."""
    with time_machine.travel("2026-03-10 07:30 +07:00", tick=False) as traveller:
        call_command("loaddemo", tasks=300, stdout=StringIO())
        yield traveller


def _overdue_open_tasks() -> list[Task]:
    tasks = Task.objects.filter(state__in=ladder.FOLLOWED_STATES, due_date__lt=REF).select_related(
        "lead_unit"
    )
    return [t for t in tasks if t.bucket_on(REF, soon_limit(REF)) == tl.OVERDUE]


def test_demo_overdue_tasks_carry_the_reminders_the_ladder_gives_their_past(before_eight):
    """Every overdue open task was reminded on exactly the days its rules give in the replayed window (the ladder
    asked directly, not through the engine), each of the step's recipients once, none today (not yet 08:00)."""
    cal, rules = calendar.current(), engine.active_rules()
    start = REF - timedelta(days=history.DAYS)
    overdue = _overdue_open_tasks()
    assert len(overdue) >= 10
    for task in overdue:
        row = rows([task.pk])[0]
        people = Directory.load({task.lead_unit_id}, {task.directive_id})
        steps = ladder.steps_between(task_facts(task), cal, rules, start, REF - timedelta(days=1))
        expected = {(s.day, s.rule, p) for s in steps for p in people.for_step(s, row)}
        sent = set(task.notifications.values_list("step_day", "rule_code", "recipient_id"))
        assert expected, task.pk
        assert sent == expected, task.pk
    assert not Notification.objects.filter(step_day__gte=REF).exists()
    assert not Notification.objects.filter(rule_code=Notification.CATCHUP).exists()


def test_demo_reminders_were_delivered_and_the_old_ones_read(before_eight):
    past = Notification.objects.all()
    assert past.exists()
    assert not past.filter(email_state__in=[Notification.Email.PENDING, Notification.Email.DIGEST]).exists()
    assert not past.filter(email_state=Notification.Email.SENT, email_sent_at__isnull=True).exists()
    old = past.filter(step_day__lt=REF - timedelta(days=6))
    assert old.exists() and not old.filter(read_at__isnull=True).exists()
    assert past.filter(read_at__isnull=True).exists()  # the last days' reminders wait to be read


def test_engine_after_the_demo_sends_only_todays_steps(before_eight):
    """The history is the engine's own: at 08:00 it sends today's steps, repeats no past one, sums up nothing."""
    before_eight.move_to("2026-03-10 08:05 +07:00")
    before = Notification.objects.count()
    stats = engine.process_due()
    assert stats.catchups == 0
    assert set(Notification.objects.order_by("id")[before:].values_list("step_day", flat=True)) <= {REF}
    assert stats.notifications == Notification.objects.count() - before


def test_demo_overdue_task_page_shows_who_was_reminded(before_eight, client):
    task = max(_overdue_open_tasks(), key=lambda t: (REF - t.due_date).days)
    head = task.lead_unit.current_head()
    client.force_login(get_user_model().objects.get(username="vp.theodoi1"))
    page = client.get(reverse("tracking:task_detail", args=[task.pk])).content.decode()
    assert "Chưa gửi lần nhắc nào" not in page
    assert 'id="reminders"' in page
    assert head is not None and head.full_name in page  # the head was told too, as the ladder escalates


def test_every_unit_officer_with_an_overdue_task_has_notifications_before_eight(before_eight, client):
    units = {t.lead_unit_id for t in _overdue_open_tasks()}
    people = Person.objects.filter(unit_id__in=units, user__isnull=False)
    assert people.exists()
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert {p.unit_id for p in people if p.pk in told} == units


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
