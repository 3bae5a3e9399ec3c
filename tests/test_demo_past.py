"""The demo's past (issue 20, points 13 and 14): `dondoc loaddemo` run at 07:30 on a working day, before the
engine's pass of the day, leaves the reminders the follow-up engine itself would have written at 08:00 of each past
working day — the right steps to the right people, delivered, the old ones read — and the engine then sends only
today's steps. (`tests/test_demo.py`: the demo loaded at 09:00.)"""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from dondoc.demo import history
from dondoc.followup import engine, ladder
from dondoc.followup.facts import rows, task_facts
from dondoc.followup.models import Notification
from dondoc.followup.recipients import Directory
from dondoc.org.models import Person
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task
from dondoc.tracking.timeliness import soon_limit
from dondoc.workdays import calendar
from tests.helpers import delete_personas, kept_for_the_scope

pytestmark = pytest.mark.django_db

REF = date(2026, 3, 10)
HALF_PAST_SEVEN = "2026-03-10 07:30 +07:00"


def _load_before_eight() -> None:
    """The demo loaded at 07:30 into a database without the session's personas (the demo makes its own sxd.truong,
    sxd.cv1)."""
    delete_personas()
    with time_machine.travel(HALF_PAST_SEVEN, tick=False):
        call_command("loaddemo", tasks=300, stdout=StringIO())


@pytest.fixture(scope="module")
def _demo(django_db_setup, django_db_blocker):
    """Loaded once for the module and rolled back after it; each test's writes roll back with the test
    (`kept_for_the_scope`)."""
    yield from kept_for_the_scope(django_db_blocker, _load_before_eight)


@pytest.fixture
def before_eight(_demo):
    """The demo loaded at 07:30 on a working day: the engine has not made today's pass yet; the clock is at 07:30."""
    with time_machine.travel(HALF_PAST_SEVEN, tick=False) as traveller:
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
        signer = (task.directive.signer_name or "", task.directive.issuer_id)
        people = Directory.load({task.lead_unit_id}, {task.directive_id: signer})
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
