"""The 90-day (at most 150) discipline handling clock urged like a deadline (issue 6 item 4): 5 and 1 working days
before, on the day, every 5 working days after until the outcome is recorded; to the team head and the unit head;
task-less notifications linking to the proposal; once per step and person."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from dondoc.followup import engine
from dondoc.followup.models import Notification
from dondoc.inspection import discipline as dc
from dondoc.inspection import jobs, services
from dondoc.inspection.models import Proposal
from dondoc.workdays import calendar
from tests.helpers import make_plan

pytestmark = pytest.mark.django_db

STARTED = date(2026, 1, 6)  # + 90 days = Monday 06/04/2026 (a working day)
DEADLINE = date(2026, 4, 6)


@pytest.fixture
def proposal(frozen, personas, registry):
    inspector = personas["inspector"].user
    # the tracker is a member: not notified
    plan = make_plan(personas["inspector"], [registry["SXD"]], members=[personas["tracker"]])
    p = services.propose(
        inspector, plan.units.get(), target=Proposal.Target.COLLECTIVE, grounds="Chậm kéo dài"
    )
    return services.record_outcome(inspector, p, handling_started_on=STARTED)


def clock_notes():
    return Notification.objects.filter(task__isnull=True, rule_code__startswith="discipline:").select_related(
        "recipient__user"
    )


def walk(first: date, last: date) -> None:
    day = first
    while day <= last:
        with time_machine.travel(f"{day.isoformat()} 08:00 +07:00", tick=False):
            jobs.handling_clock_job(day)
        day += timedelta(days=1)


def test_steps_5_and_1_before_on_the_day_and_every_5_after(proposal, personas):
    assert proposal.handling_deadline == DEADLINE
    walk(date(2026, 3, 20), date(2026, 4, 21))
    got = {(n.step_day, n.rule_code.rsplit(":", 1)[1], n.recipient.user.username) for n in clock_notes()}
    steps = {
        (date(2026, 3, 30), "-5"),  # 5 working days before Monday 06/04
        (date(2026, 4, 3), "-1"),
        (date(2026, 4, 6), "0"),
        (date(2026, 4, 13), "5"),
        (date(2026, 4, 20), "10"),
    }
    assert got == {(d, s, who) for d, s in steps for who in ("snv.thanhtra", "sxd.truong")}
    note = clock_notes().get(rule_code=f"discipline:{proposal.pk}:-1", recipient=personas["lead_head"])
    assert note.link == reverse("inspection:outcome", args=[proposal.pk]) and note.deadline == DEADLINE
    assert "còn 1 ngày làm việc đến thời hạn xử lý kỷ luật (06/04/2026)" in note.title
    late = clock_notes().get(rule_code=f"discipline:{proposal.pk}:10", recipient=personas["inspector"])
    assert "đã quá thời hạn xử lý kỷ luật (06/04/2026) 10 ngày làm việc" in late.title
    assert late.working_days_late == 10
    # a re-run (retry, second engine) writes nothing more
    count = clock_notes().count()
    walk(date(2026, 4, 13), date(2026, 4, 13))
    assert clock_notes().count() == count


def test_urging_stops_once_the_outcome_is_recorded(proposal, personas):
    walk(date(2026, 4, 6), date(2026, 4, 6))
    assert clock_notes().count() == 2
    with time_machine.travel("2026-04-08 10:00 +07:00", tick=False):
        services.record_outcome(
            personas["inspector"].user,
            proposal,
            handling_started_on=STARTED,
            meeting_on=date(2026, 4, 1),
            form=dc.REPRIMAND,
            decision_number="15/QĐ-SXD",
            decided_on=date(2026, 4, 8),
        )
    walk(date(2026, 4, 7), date(2026, 4, 30))
    assert clock_notes().count() == 2


def test_an_extension_moves_the_clock(proposal, personas):
    services.record_outcome(
        personas["inspector"].user, proposal, handling_started_on=STARTED, extension_days=60
    )  # 150 days: 05/06/2026 (a Friday)
    walk(date(2026, 3, 20), date(2026, 4, 21))
    assert clock_notes().count() == 0
    walk(date(2026, 5, 29), date(2026, 5, 29))  # 5 working days before Friday 05/06
    assert {n.step_day for n in clock_notes()} == {date(2026, 5, 29)}


def test_a_missed_step_is_sent_once_late_and_older_ones_not_at_all(proposal):
    walk(date(2026, 4, 8), date(2026, 4, 8))  # the engine was down from before 30/03 until Wednesday 08/04
    assert {(n.step_day, n.rule_code.rsplit(":", 1)[1]) for n in clock_notes()} == {(date(2026, 4, 6), "0")}


def test_a_deadline_on_a_day_off_counts_from_the_working_day_before(registry):
    cal = calendar.current()
    sunday = date(2026, 4, 5)
    assert not cal.is_working_day(sunday)
    assert jobs.anchor(sunday, cal) == date(2026, 4, 3)
    assert jobs.latest_step(sunday, date(2026, 4, 3), cal) == (0, date(2026, 4, 3))
    assert jobs.latest_step(sunday, date(2026, 4, 2), cal) == (-1, date(2026, 4, 2))
    assert jobs.latest_step(sunday, date(2026, 3, 26), cal) is None  # before the first step


def test_nothing_on_a_day_off_and_the_job_runs_with_the_engine(proposal, settings):
    walk(date(2026, 3, 28), date(2026, 3, 29))  # a weekend in the -5 window
    assert clock_notes().count() == 0
    assert "dondoc.inspection.jobs.handling_clock_job" in settings.DONDOC_DAILY_JOBS
    with time_machine.travel("2026-03-30 08:00 +07:00", tick=False):
        engine.run_once()
    assert {n.step_day for n in clock_notes()} == {date(2026, 3, 30)}


def test_the_unit_head_sees_it_in_the_inbox_with_the_link(proposal, personas, client):
    walk(date(2026, 4, 6), date(2026, 4, 6))
    with time_machine.travel("2026-04-06 09:00 +07:00", tick=False):
        client.force_login(personas["lead_head"].user)
        html = client.get(reverse("followup:inbox")).content.decode()
    assert f'href="{reverse("inspection:outcome", args=[proposal.pk])}"' in html
    assert "hôm nay là thời hạn cuối xử lý kỷ luật (06/04/2026)" in html
