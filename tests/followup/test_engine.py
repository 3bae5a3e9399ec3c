"""The engine against the database, time frozen: exactly the notifications the rules say, to the right people."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from dondoc.followup import engine, ladder
from dondoc.followup.models import DailyJobRun, FollowupRule, Notification
from dondoc.org.models import Person
from dondoc.tracking import actions
from dondoc.tracking.models import Coordination, Task, TaskSchedule
from tests.followup.helpers import at, triples, walk

pytestmark = pytest.mark.django_db

OFFICER, HEAD, TRACKER, LEADER = "sxd.cv1", "sxd.truong", "vp.theodoi", "lanhdao"
UNIT = (OFFICER, HEAD)
ALONE = (OFFICER,)  # before the deadline the officer alone: the ladder climbs (DOMAIN.md §7)


def assigned(make_task, personas, on: date, **fields) -> Task:
    """A task of Sở Xây dựng created and assigned on `on` (09:00), time frozen there."""
    with time_machine.travel(at(on, "08:30"), tick=False):
        task = make_task(assign=False, **fields)
        return actions.assign(task, personas["tracker"].user, on=on)


def expected(*rows: tuple[date, str, tuple[str, ...]]) -> set[tuple[date, str, str]]:
    return {(d, rule, who) for d, rule, people in rows for who in people}


def test_task_walked_to_15_working_days_overdue_across_tet(make_task, personas):
    """Due Thursday 12/02/2026, just before the Tết break (14–22/02 off): the ladder counts working days only.

    Working days after the deadline: 13/02 (+1), then Tết, 23/02 (+2) … 26/02 (+5), 27/02 (+6), 02–06/03
    (+7 … +11), 09–12/03 (+12 … +15). The ladder climbs: the officer alone before the deadline, the head from the
    day itself, the City Office at +5, the leader at +10.
    """
    task = assigned(make_task, personas, date(2026, 2, 2), due_date=date(2026, 2, 12))
    notes = walk(date(2026, 2, 2), date(2026, 3, 12))
    assert triples(notes) == expected(
        (date(2026, 2, 5), "completion_before_5", ALONE),
        (date(2026, 2, 11), "completion_before_1", ALONE),
        (date(2026, 2, 12), "completion_on_day", UNIT),
        (date(2026, 2, 13), "completion_overdue", UNIT),
        (date(2026, 2, 26), "completion_escalate_office", (TRACKER,)),
        (date(2026, 2, 27), "completion_overdue", UNIT),
        (date(2026, 3, 5), "completion_escalate_leader", (LEADER,)),
        (date(2026, 3, 6), "completion_overdue", UNIT),
    )
    assert (
        len(notes) == 12
    )  # 2 officer steps + 4 unit steps × (officer, head) + office + leader; no duplicates
    assert min(n.step_day for n in notes if n.recipient.user.username == HEAD) == date(2026, 2, 12)
    # Nothing is ever written on a day off, and every step was written on its own day at the 09:00 run.
    assert all(n.created_at.astimezone(ladder.TZ).date() == n.step_day for n in notes)
    overdue = {n.step_day: n.working_days_late for n in notes if n.rule_code == "completion_overdue"}
    assert overdue == {date(2026, 2, 13): 1, date(2026, 2, 27): 6, date(2026, 3, 6): 11}
    on_day = next(n for n in notes if n.rule_code == "completion_on_day")
    assert on_day.title == f"Nhiệm vụ #{task.pk}: hôm nay đến thời hạn hoàn thành (12/02/2026)"
    assert "Quy tắc đôn đốc: Cảnh báo đến hạn (thời hạn hoàn thành)." in on_day.body
    task.refresh_from_db()
    assert task.next_followup_at == at(date(2026, 3, 13), "08:00")  # +16, the next repeat


def test_delegated_officer_alone_is_reminded_before_the_deadline(make_task, personas, registry):
    from tests.helpers import make_person

    make_person("sxd.cv2", registry["SXD"], Person.Role.UNIT_OFFICER)
    task = assigned(make_task, personas, date(2026, 3, 2), due_date=date(2026, 3, 10))
    with time_machine.travel(at(date(2026, 3, 2), "10:00"), tick=False):
        actions.delegate(task, personas["lead_head"].user, officer=personas["lead_officer"])
    notes = walk(date(2026, 3, 3), date(2026, 3, 3))
    assert triples(notes) == expected((date(2026, 3, 3), "completion_before_5", ALONE))


def test_undelegated_task_reminds_every_officer_of_the_unit(make_task, personas, registry):
    from tests.helpers import make_person

    make_person("sxd.cv2", registry["SXD"], Person.Role.UNIT_OFFICER)
    assigned(make_task, personas, date(2026, 3, 2), due_date=date(2026, 3, 10))
    notes = walk(date(2026, 3, 3), date(2026, 3, 3))
    assert triples(notes) == expected((date(2026, 3, 3), "completion_before_5", (OFFICER, "sxd.cv2")))


def test_leader_in_charge_is_the_directive_signer(make_task, personas, registry, directive):
    from tests.helpers import make_person

    other = make_person("pct.b", registry["H26"], Person.Role.LEADER, Person.Position.DEPUTY)
    directive.signer_name = other.full_name
    directive.save()
    assigned(make_task, personas, date(2026, 2, 2), due_date=date(2026, 2, 12))
    with time_machine.travel(at(date(2026, 3, 4), "07:00"), tick=False):
        engine.reschedule_all()
    notes = walk(date(2026, 3, 5), date(2026, 3, 5))
    assert (date(2026, 3, 5), "completion_escalate_leader", "pct.b") in triples(notes)
    assert not any(n.recipient.user.username == LEADER for n in notes)


def test_step_on_a_day_off_moves_to_next_working_day_0800(make_task, personas):
    """Deadline Saturday 25/04/2026; Monday 27/04 is a day off (Hùng Kings): the "on the day" warning goes out on
    Tuesday 28/04 at 08:00, "1 day before" on Friday 24/04; nothing on 25–27/04."""
    task = assigned(make_task, personas, date(2026, 4, 1), due_date=date(2026, 4, 25))
    notes = walk(date(2026, 4, 2), date(2026, 4, 29), hhmm="08:00")
    assert triples(notes) == expected(
        (date(2026, 4, 20), "completion_before_5", ALONE),  # 5 working days before Tuesday 28/04
        (date(2026, 4, 24), "completion_before_1", ALONE),
        (date(2026, 4, 28), "completion_on_day", UNIT),
        (date(2026, 4, 29), "completion_overdue", UNIT),
    )
    assert {n.created_at.astimezone(ladder.TZ).strftime("%d/%m %H:%M") for n in notes} == {
        "20/04 08:00",
        "24/04 08:00",
        "28/04 08:00",
        "29/04 08:00",
    }
    task.refresh_from_db()
    assert task.next_followup_at is not None and task.next_followup_at.astimezone(ladder.TZ).hour == 8


def test_nothing_is_sent_before_0800(make_task, personas):
    assigned(make_task, personas, date(2026, 3, 2), due_date=date(2026, 3, 10))
    assert walk(date(2026, 3, 3), date(2026, 3, 3), hhmm="07:59") == []
    assert len(walk(date(2026, 3, 3), date(2026, 3, 3), hhmm="08:00")) == 1


def test_completion_stops_the_ladder_and_return_resumes_it(make_task, personas):
    task = assigned(make_task, personas, date(2026, 3, 2), due_date=date(2026, 3, 10))
    walk(date(2026, 3, 3), date(2026, 3, 3))
    officer = personas["lead_officer"].user
    with time_machine.travel(at(date(2026, 3, 4), "10:00"), tick=False):
        actions.acknowledge(task, officer)
        actions.submit_result(
            task, officer, document_number="12/BC-SXD", document_date=date(2026, 3, 4), summary="x"
        )
    task.refresh_from_db()
    assert task.next_followup_at is None  # a submitted result pauses the reminders
    assert walk(date(2026, 3, 5), date(2026, 3, 12)) == []
    with time_machine.travel(at(date(2026, 3, 13), "07:00"), tick=False):
        actions.return_result(task, personas["tracker"].user, reason="Thiếu số liệu")
    task.refresh_from_db()
    # 13/03 is +3: no step; +5 (17/03) escalates to the City Office, +6 (18/03) urges the unit again.
    assert task.next_followup_at == at(date(2026, 3, 17), "08:00")
    notes = walk(date(2026, 3, 13), date(2026, 3, 18))
    assert triples(notes) == expected(
        (date(2026, 3, 17), "completion_escalate_office", (TRACKER,)),
        (date(2026, 3, 18), "completion_overdue", UNIT),
    )


def test_approved_extension_and_cancel_reschedule(make_task, personas):
    task = assigned(make_task, personas, date(2026, 3, 2), due_date=date(2026, 3, 10))
    officer, tracker = personas["lead_officer"].user, personas["tracker"].user
    walk(date(2026, 3, 3), date(2026, 3, 4))
    with time_machine.travel(at(date(2026, 3, 4), "10:00"), tick=False):
        actions.request_change(task, officer, reason="Chờ số liệu", proposed_due_date=date(2026, 3, 31))
        task.refresh_from_db()
        assert task.next_followup_at == at(
            date(2026, 3, 9), "08:00"
        )  # the old deadline stands until approved
        actions.decide_change(task, personas["leader"].user, approve=True, decision_document="45/UBND-TKBT")
    task.refresh_from_db()
    assert task.next_followup_at == at(date(2026, 3, 24), "08:00")  # 5 working days before 31/03
    with time_machine.travel(at(date(2026, 3, 5), "10:00"), tick=False):
        actions.cancel(task, tracker, reason="Không còn phù hợp")
    task.refresh_from_db()
    assert task.next_followup_at is None


def test_change_of_lead_unit_reminds_the_new_unit(make_task, personas, registry):
    from tests.helpers import make_person

    make_person("syt.truong", registry["SYT"], Person.Role.UNIT_HEAD, Person.Position.HEAD)
    task = assigned(make_task, personas, date(2026, 3, 2), due_date=date(2026, 3, 10), coordinators=())
    with time_machine.travel(at(date(2026, 3, 2), "10:00"), tick=False):
        actions.change_lead(task, personas["tracker"].user, new_lead=registry["SYT"], reason="Đúng chức năng")
    notes = walk(date(2026, 3, 3), date(2026, 3, 3))
    assert triples(notes) == expected((date(2026, 3, 3), "completion_before_5", ("syt.cv1",)))


def test_catch_up_after_downtime_is_one_summary_per_person(make_task, personas):
    """The engine was stopped from 04/02 to 26/02 (Tết inside): on its return, each person gets ONE summary of the
    missed steps plus today's step, not a burst of stale reminders."""
    task = assigned(make_task, personas, date(2026, 2, 2), due_date=date(2026, 2, 12))
    walk(date(2026, 2, 2), date(2026, 2, 3))
    notes = walk(date(2026, 2, 27), date(2026, 2, 27))
    assert triples(notes) == expected(
        (date(2026, 2, 27), "catchup", UNIT),
        (date(2026, 2, 27), "catchup", (TRACKER,)),
        (date(2026, 2, 27), "completion_overdue", UNIT),
    )
    summary = next(n for n in notes if n.rule_code == "catchup" and n.recipient.user.username == OFFICER)
    assert summary.title == f"Nhiệm vụ #{task.pk}: tổng hợp 4 lần nhắc chưa gửi được (đến 27/02/2026)"
    for line in (
        "05/02/2026: Nhắc trước 5",
        "11/02/2026: Nhắc trước 1",
        "12/02/2026: Cảnh báo đến hạn",
        "13/02/2026: Đôn đốc quá hạn",
    ):
        assert line in summary.body
    tracker = next(n for n in notes if n.rule_code == "catchup" and n.recipient.user.username == TRACKER)
    assert "26/02/2026: Báo VP UBND" in tracker.body
    assert walk(date(2026, 2, 27), date(2026, 2, 27)) == []  # a re-run writes nothing more


def test_catch_up_resumed_on_a_day_off_waits_for_the_next_working_day_0800(make_task, personas, smtp):
    """Issue 14: the engine stopped after 03/02 and resumed on Sunday 15/02/2026, inside Tết (14–22/02 off). It writes
    and mails nothing that day nor on the other days off, nor on Monday 23/02 before 08:00; at 08:00 on 23/02 each
    person gets ONE summary of the steps they missed (the head only those from the deadline on)."""
    for key in ("lead_officer", "lead_head"):
        personas[key].email = f"{personas[key].user.username}@sxd.hanoi.gov.vn"
        personas[key].save()
    task = assigned(make_task, personas, date(2026, 2, 2), due_date=date(2026, 2, 12))
    walk(date(2026, 2, 2), date(2026, 2, 3))
    assert walk(date(2026, 2, 15), date(2026, 2, 22)) == []
    assert walk(date(2026, 2, 23), date(2026, 2, 23), hhmm="07:59") == []
    assert smtp.messages == []
    task.refresh_from_db()
    assert task.next_followup_at == at(date(2026, 2, 5), "08:00")  # still due: nothing was swallowed
    notes = walk(date(2026, 2, 23), date(2026, 2, 23), hhmm="08:00")
    assert triples(notes) == expected((date(2026, 2, 23), "catchup", UNIT))
    assert {n.created_at for n in notes} == {at(date(2026, 2, 23), "08:00")}
    officer = next(n for n in notes if n.recipient.user.username == OFFICER)
    head = next(n for n in notes if n.recipient.user.username == HEAD)
    assert officer.title == f"Nhiệm vụ #{task.pk}: tổng hợp 4 lần nhắc chưa gửi được (đến 23/02/2026)"
    assert head.title == f"Nhiệm vụ #{task.pk}: tổng hợp 2 lần nhắc chưa gửi được (đến 23/02/2026)"
    assert "12/02/2026: Cảnh báo đến hạn" in head.body and "05/02/2026" not in head.body
    assert sorted(m["To"] for m in smtp.messages) == [
        "sxd.cv1@sxd.hanoi.gov.vn",
        "sxd.truong@sxd.hanoi.gov.vn",
    ]
    # Then the ladder goes on as usual: +5 (26/02) to the City Office.
    assert triples(walk(date(2026, 2, 23), date(2026, 2, 26))) == expected(
        (date(2026, 2, 26), "completion_escalate_office", (TRACKER,))
    )


def test_unit_head_gets_no_reminder_before_the_deadline(make_task, personas):
    """DOMAIN.md §7: the officer first; the head from the day of the deadline."""
    assigned(make_task, personas, date(2026, 3, 2), due_date=date(2026, 3, 10))
    before = walk(date(2026, 3, 3), date(2026, 3, 9))
    assert triples(before) == expected(
        (date(2026, 3, 3), "completion_before_5", ALONE), (date(2026, 3, 9), "completion_before_1", ALONE)
    )
    assert triples(walk(date(2026, 3, 10), date(2026, 3, 10))) == expected(
        (date(2026, 3, 10), "completion_on_day", UNIT)
    )


def test_tracking_contact_is_reminded_when_no_officer_is_named(make_task, personas, registry):
    from dondoc.followup.models import TrackingContact
    from tests.helpers import make_person

    contact = make_person("sxd.daumoi", registry["SXD"], Person.Role.UNIT_OFFICER)
    TrackingContact.objects.create(unit=registry["SXD"], person=contact)
    assigned(make_task, personas, date(2026, 3, 2), due_date=date(2026, 3, 10))
    notes = walk(date(2026, 3, 3), date(2026, 3, 10))
    assert triples(notes) == expected(
        (date(2026, 3, 3), "completion_before_5", ("sxd.daumoi",)),
        (date(2026, 3, 9), "completion_before_1", ("sxd.daumoi",)),
        (date(2026, 3, 10), "completion_on_day", ("sxd.daumoi", HEAD)),
    )


def test_rerun_with_a_rewound_schedule_duplicates_nothing(make_task, personas):
    task = assigned(make_task, personas, date(2026, 3, 2), due_date=date(2026, 3, 10))
    walk(date(2026, 3, 3), date(2026, 3, 3))
    TaskSchedule.objects.update_or_create(task=task, defaults={"next_at": at(date(2026, 3, 3), "08:00")})
    walk(date(2026, 3, 3), date(2026, 3, 3))
    assert Notification.objects.filter(task=task).count() == 1


def test_report_deadline_reminders_stop_when_reported(make_task, personas):
    task = assigned(
        make_task, personas, date(2026, 3, 2), report_due=date(2026, 3, 20), must_report=True, due_date=None
    )
    officer = personas["lead_officer"].user
    notes = walk(date(2026, 3, 3), date(2026, 3, 18))
    assert {(d, r) for d, r, _ in triples(notes) if r.startswith("report")} == {
        (date(2026, 3, 13), "report_before_5"),
    }
    with time_machine.travel(at(date(2026, 3, 18), "15:00"), tick=False):
        actions.acknowledge(task, officer)
        actions.report_progress(task, officer, text="Đã hoàn thành 40%", percent=40)
    notes = walk(date(2026, 3, 19), date(2026, 4, 10))
    assert not [n for n in notes if n.kind == ladder.REPORT]


def test_recurring_monthly_report_reminded_each_month(make_task, personas):
    """ "Báo cáo trước ngày 25 hằng tháng": each month its own ladder; a report marked for March meets March only.
    25/04/2026 is a Saturday and 27/04 a day off, so April's "on the day" is Tuesday 28/04."""
    task = assigned(
        make_task, personas, date(2026, 3, 2), report_day_of_month=25, due_date=date(2026, 12, 31)
    )
    officer = personas["lead_officer"].user
    notes = walk(date(2026, 3, 3), date(2026, 3, 25))
    assert {(d, r) for d, r, _ in triples(notes)} == {
        (date(2026, 3, 18), "report_before_5"),
        (date(2026, 3, 24), "report_before_1"),
        (date(2026, 3, 25), "report_on_day"),
    }
    with time_machine.travel(at(date(2026, 3, 25), "16:00"), tick=False):
        actions.acknowledge(task, officer)
        actions.report_progress(task, officer, text="Tiến độ chung", percent=20)  # not marked: meets nothing
        task.refresh_from_db()
        assert task.next_followup_at == at(date(2026, 3, 26), "08:00")  # March's overdue step still owed
        actions.report_progress(
            task, officer, text="Báo cáo tháng 3", percent=30, report_cycle=date(2026, 3, 25)
        )
    notes = walk(date(2026, 3, 26), date(2026, 4, 29))
    assert {(d, r) for d, r, _ in triples(notes)} == {
        (date(2026, 4, 20), "report_before_5"),
        (date(2026, 4, 24), "report_before_1"),
        (date(2026, 4, 28), "report_on_day"),
        (date(2026, 4, 29), "report_overdue"),
    }


def test_coordinator_input_deadline_reminds_the_coordinating_unit(make_task, personas, registry):
    from tests.helpers import make_person

    make_person("stc.truong", registry["STC"], Person.Role.UNIT_HEAD, Person.Position.HEAD)
    task = assigned(make_task, personas, date(2026, 3, 2), due_date=date(2026, 4, 30))
    Coordination.objects.filter(task=task, unit=registry["STC"]).update(input_due=date(2026, 3, 13))
    with time_machine.travel(at(date(2026, 3, 2), "10:00"), tick=False):
        engine.reschedule_all()
    notes = walk(date(2026, 3, 3), date(2026, 3, 16))
    coord = {(d, r, who) for d, r, who in triples(notes) if r.startswith("input")}
    assert coord == expected(
        (date(2026, 3, 6), "input_before_5", ("stc.cv1",)),
        (date(2026, 3, 12), "input_before_1", ("stc.cv1",)),
        (date(2026, 3, 13), "input_on_day", ("stc.cv1", "stc.truong")),
        (date(2026, 3, 16), "input_overdue", ("stc.cv1", "stc.truong")),
    )
    with time_machine.travel(at(date(2026, 3, 16), "15:00"), tick=False):
        actions.contribute(task, personas["coord_officer"].user, text="Sở Tài chính góp ý")
    notes = walk(date(2026, 3, 17), date(2026, 3, 31))
    assert not [n for n in notes if n.kind == ladder.INPUT]


def test_task_without_deadline_gets_a_monthly_progress_request(make_task, personas):
    assigned(make_task, personas, date(2026, 2, 10), due_date=None)
    notes = walk(date(2026, 2, 11), date(2026, 5, 5))
    assert triples(notes) == expected(
        (date(2026, 3, 2), "no_deadline_monthly", ALONE),
        (date(2026, 4, 1), "no_deadline_monthly", ALONE),
        (date(2026, 5, 4), "no_deadline_monthly", ALONE),  # 01–03/05 are days off
    )


def test_inactive_rule_is_not_applied(make_task, personas):
    FollowupRule.objects.filter(code="completion_before_5").update(active=False)
    assigned(make_task, personas, date(2026, 3, 2), due_date=date(2026, 3, 10))
    notes = walk(date(2026, 3, 3), date(2026, 3, 9))
    assert {r for _, r, _ in triples(notes)} == {"completion_before_1"}


calls: list[date] = []


def record_day(day: date) -> None:
    calls.append(day)


def test_daily_jobs_run_once_per_working_day(settings, db):
    settings.DONDOC_DAILY_JOBS = ["tests.followup.test_engine.record_day"]
    calls.clear()
    walk(date(2026, 2, 12), date(2026, 2, 24), hhmm="07:00")  # before 07:30: nothing
    assert calls == []
    for hhmm in ("07:30", "12:00", "16:00"):
        walk(date(2026, 2, 12), date(2026, 2, 24), hhmm=hhmm)
    assert calls == [date(2026, 2, 12), date(2026, 2, 13), date(2026, 2, 23), date(2026, 2, 24)]
    assert DailyJobRun.objects.filter(job="tests.followup.test_engine.record_day", state="done").count() == 4


def failing_job(day: date) -> None:
    raise RuntimeError("hỏng")


def test_failing_daily_job_is_retried_with_backoff(settings, db):
    settings.DONDOC_DAILY_JOBS = ["tests.followup.test_engine.failing_job"]
    for hhmm in ("08:00", "08:01", "08:06"):
        with time_machine.travel(at(date(2026, 3, 10), hhmm), tick=False):
            engine.run_once()
    run = DailyJobRun.objects.get(job="tests.followup.test_engine.failing_job")
    assert (run.state, run.attempts) == ("failed", 2)  # 08:01 was inside the 5-minute backoff
    assert "RuntimeError: hỏng" in run.error


def test_data_migration_moves_the_shipped_before_rules_to_the_officer(db):
    """Followup migration 0004: the shipped "before" rules (still "officer and head") now tell the officer alone; a
    rule an administrator changed is left as it is."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("dondoc.followup.migrations.0004_ladder_climbs_tracking_contact")
    FollowupRule.objects.filter(code__in=migration.BEFORE_DEADLINE).update(audience=ladder.UNIT)
    FollowupRule.objects.filter(code="report_before_1").update(
        audience=ladder.OFFICE
    )  # an administrator's choice
    migration.officer_first(apps, None)
    audiences = dict(
        FollowupRule.objects.filter(code__in=migration.BEFORE_DEADLINE).values_list("code", "audience")
    )
    assert audiences.pop("report_before_1") == ladder.OFFICE
    assert set(audiences.values()) == {ladder.OFFICER} and len(audiences) == 6
    defaults = {r.code: r.audience for r in ladder.DEFAULT_RULES if r.code in migration.BEFORE_DEADLINE}
    assert set(defaults.values()) == {ladder.OFFICER}  # a fresh install gets the same from the defaults


def test_tracking_contact_must_belong_to_the_unit(personas, registry):
    from django.core.exceptions import ValidationError

    from dondoc.followup.models import TrackingContact

    with pytest.raises(ValidationError) as err:
        TrackingContact(unit=registry["SXD"], person=personas["other_officer"]).full_clean()
    assert err.value.message_dict["person"] == ["Cán bộ đầu mối phải thuộc chính đơn vị này."]


def test_a_pass_reads_the_rules_and_the_city_people_once_for_all_its_batches(make_task, personas):
    """The batches of one pass share what reads alike (issue 19: 31 batches at 10^6): the rules and their names,
    the City Office, the leaders and the recipients' e-mail choices are read by the first batch only (a later
    batch reads only people not seen yet), each batch's claim reads what its reminders say of the tasks, and every
    batch still writes its steps."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    tasks = [assigned(make_task, personas, date(2026, 3, 2), due_date=date(2026, 3, 10)) for _ in range(3)]
    with time_machine.travel(at(date(2026, 3, 10)), tick=False), CaptureQueriesContext(connection) as ctx:
        stats = engine.process_due(batch=1)
    sql = [q["sql"] for q in ctx.captured_queries]
    # The officer and the head for each task's step of the day, and a catch-up each for the two missed before it.
    assert stats.tasks == 3 and stats.by_rule == {"completion_on_day": 6}
    assert Notification.objects.filter(task__in=tasks).count() == stats.notifications == 9
    assert sum("followup_followuprule" in q for q in sql) == 2  # the rules in force, then every rule's name
    assert sum("org_person" in q and "role" in q for q in sql) == 2  # the City Office, the leaders
    assert sum("followup_preference" in q for q in sql) == 1  # the e-mail choices: known after the first
    # What the reminders say of each task and who signed its directive (the leader in charge) come with the claim:
    # the tasks are claimed by their ids alone (3 batches and the claim that finds nothing more), then the claimed
    # ones read once a batch with their directives, which are never read apart.
    claims = [
        q
        for q in sql
        if q.startswith("SELECT") and "tracking_taskschedule" in q and '"directives_directive"' not in q
    ]
    reads = [q for q in sql if q.startswith('SELECT "tracking_task"') and '"directives_directive"' in q]
    # PostgreSQL: the claim that finds nothing in its window of earliest due tasks looks at them all (`claim`).
    assert len(claims) == (5 if connection.vendor == "postgresql" else 4) and len(reads) == 3
    assert not any(q.startswith('SELECT "directives_directive"') for q in sql)


def test_change_of_lead_to_a_coordinator_drops_its_input_step(make_task, personas, registry):
    """The new lead leaves the coordinators, and its input deadline the next follow-up step: the action's facts
    (on PostgreSQL taken from the coordinations its locked read holds, issue 19) are those of a fresh read."""
    from tests.helpers import make_person

    make_person("stc.truong", registry["STC"], Person.Role.UNIT_HEAD, Person.Position.HEAD)
    task = assigned(make_task, personas, date(2026, 3, 2), due_date=date(2026, 4, 30))
    Coordination.objects.filter(task=task, unit=registry["STC"]).update(input_due=date(2026, 3, 13))
    with time_machine.travel(at(date(2026, 3, 2), "10:00"), tick=False):
        engine.reschedule_all()
        assert TaskSchedule.objects.get(task=task).next_at == at(date(2026, 3, 6), "08:00")  # input_before_5
        actions.change_lead(task, personas["tracker"].user, new_lead=registry["STC"], reason="Đúng chức năng")
        stored = TaskSchedule.objects.get(task=task).next_at
        fresh = Task.objects.get(pk=task.pk)
        engine.refresh(fresh)
    assert stored == fresh.next_followup_at
    assert stored != at(date(2026, 3, 6), "08:00")
