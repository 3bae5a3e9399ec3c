"""E-mail through Django's SMTP backend to a real SMTP server (aiosmtpd): content, retries, digest."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from dondoc.followup import delivery, engine, queries
from dondoc.followup.models import DeliveryAttempt, FollowupRule, Notification, Preference
from dondoc.tracking import actions
from tests.followup.helpers import at, walk
from tests.helpers import free_port, run_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(personas):
    for key, address in (("lead_officer", "cv1@sxd.hanoi.gov.vn"), ("lead_head", "gd@sxd.hanoi.gov.vn")):
        personas[key].email = address
        personas[key].save()
    return personas


def overdue_task(make_task, personas):
    """Due 10/03/2026, assigned 02/03; its "5 days before" reminder (03/03) goes to the officer AND the head here:
    an administrator widened that rule's audience (the default tells the officer alone)."""
    FollowupRule.objects.filter(code="completion_before_5").update(audience=FollowupRule.Audience.UNIT)
    with time_machine.travel(at(date(2026, 3, 2), "08:30"), tick=False):
        task = make_task(
            assign=False, due_date=date(2026, 3, 10), content="Lập quy hoạch chi tiết khu đô thị mới"
        )
        return actions.assign(task, personas["tracker"].user, on=date(2026, 3, 2))


def test_reminder_email_in_vietnamese_with_text_html_and_link(smtp, emails, make_task):
    task = overdue_task(make_task, emails)
    walk(date(2026, 3, 3), date(2026, 3, 3))
    assert len(smtp.messages) == 2
    msg = next(m for m in smtp.messages if m["To"] == "cv1@sxd.hanoi.gov.vn")
    assert msg["From"] == "dondoc@vpub.hanoi.gov.vn"
    subject = f"[Đôn đốc] Nhiệm vụ #{task.pk}: còn 5 ngày làm việc đến thời hạn hoàn thành (10/03/2026)"
    assert msg["Subject"].strip() == subject  # a folded header may keep its leading space
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    link = f"https://dondoc.hanoi.gov.vn/nhiem-vu/{task.pk}/"
    assert "Kính gửi Sxd Cv1," in text
    assert "Nhiệm vụ: Lập quy hoạch chi tiết khu đô thị mới" in text
    assert "Quy tắc đôn đốc: Nhắc trước 5 ngày làm việc (thời hạn hoàn thành)." in text
    assert f"Xem nhiệm vụ: {link}" in text
    assert f'<a href="{link}">Xem nhiệm vụ #{task.pk}</a>' in html
    assert "Văn bản giao: 15/CT-UBND" in html
    note = Notification.objects.get(task=task, recipient=emails["lead_officer"])
    assert (note.email_state, note.email_attempts) == (Notification.Email.SENT, 1)
    assert list(note.attempts.values_list("ok", flat=True)) == [True]


def test_person_without_email_gets_the_in_app_notification_only(smtp, personas, make_task):
    overdue_task(make_task, personas)
    notes = walk(date(2026, 3, 3), date(2026, 3, 3))
    assert len(notes) == 2 and smtp.messages == []
    assert {n.email_state for n in notes} == {Notification.Email.NONE}


def test_failing_smtp_records_each_attempt_and_retries_with_backoff(closed_smtp, emails, make_task, settings):
    overdue_task(make_task, emails)
    walk(date(2026, 3, 3), date(2026, 3, 3))
    note = Notification.objects.get(recipient=emails["lead_officer"])
    assert (note.email_state, note.email_attempts) == (Notification.Email.QUEUED, 1)
    assert note.email_next_try == at(date(2026, 3, 3), "09:01")  # first retry after one minute
    attempt = note.attempts.get()
    assert not attempt.ok and "ConnectionRefusedError" in attempt.error
    # Inside the backoff nothing is tried; after it, the next attempt, then 5, 15, 60, 240 minutes.
    for hhmm, attempts in (
        ("09:00:30", 1),
        ("09:01", 2),
        ("09:06", 3),
        ("09:21", 4),
        ("10:21", 5),
        ("14:21", 6),
    ):
        with time_machine.travel(at(date(2026, 3, 3), hhmm), tick=False):
            run_jobs()
        note.refresh_from_db()
        assert note.email_attempts == attempts, hhmm
    assert (
        note.email_state == Notification.Email.FAILED
    )  # gave up after six attempts; listed for administrators
    assert note.attempts.filter(ok=False).count() == 6
    assert queries.failed_deliveries().filter(pk=note.pk).exists()


def test_an_email_is_queued_once_however_many_engines_pass(smtp, emails, make_task):
    overdue_task(make_task, emails)
    with time_machine.travel(at(date(2026, 3, 3), "09:00"), tick=False):
        engine.run_once()
        engine.run_once()  # a second engine's pass: nothing pending is left to queue
        assert delivery.queue_pending() == 0
        run_jobs()
    assert sorted(m["To"] for m in smtp.messages) == ["cv1@sxd.hanoi.gov.vn", "gd@sxd.hanoi.gov.vn"]


def test_retry_succeeds_when_the_relay_is_back(smtp, emails, make_task, settings):
    overdue_task(make_task, emails)
    settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = free_port(), 2  # the relay is down at 09:00
    walk(date(2026, 3, 3), date(2026, 3, 3))
    assert smtp.messages == []
    settings.EMAIL_PORT = smtp.port
    with time_machine.travel(at(date(2026, 3, 3), "09:02"), tick=False):
        run_jobs()
    assert sorted(m["To"] for m in smtp.messages) == ["cv1@sxd.hanoi.gov.vn", "gd@sxd.hanoi.gov.vn"]
    note = Notification.objects.get(recipient=emails["lead_officer"])
    assert list(note.attempts.order_by("at", "id").values_list("ok", flat=True)) == [False, True]


def test_digest_person_gets_one_email_at_0730_next_working_day(smtp, emails, make_task):
    Preference.objects.create(person=emails["lead_head"], email_mode=Preference.Mode.DIGEST)
    task = overdue_task(make_task, emails)
    walk(date(2026, 3, 3), date(2026, 3, 3))  # the 03/03 reminder is not sent singly to the head
    assert [m["To"] for m in smtp.messages] == ["cv1@sxd.hanoi.gov.vn"]
    with time_machine.travel(at(date(2026, 3, 4), "07:29"), tick=False):
        engine.run_once()
    assert len(smtp.messages) == 1
    with time_machine.travel(at(date(2026, 3, 4), "07:30"), tick=False):
        engine.run_once()
    digest = smtp.messages[-1]
    assert digest["To"] == "gd@sxd.hanoi.gov.vn"
    assert digest["Subject"].strip() == "[Đôn đốc] Tổng hợp 1 thông báo đôn đốc ngày 04/03/2026"
    body = digest.get_body(("plain",)).get_content()
    assert f"Nhiệm vụ #{task.pk}: còn 5 ngày làm việc" in body
    assert f"https://dondoc.hanoi.gov.vn/nhiem-vu/{task.pk}/" in digest.get_body(("html",)).get_content()
    with time_machine.travel(at(date(2026, 3, 4), "12:00"), tick=False):
        engine.run_once()  # the digest ran today already
    assert len(smtp.messages) == 2
    assert DeliveryAttempt.objects.filter(digest=True, ok=True).count() == 1


def test_pending_emails_go_to_the_queue_in_one_insert_not_one_per_notification(
    emails, make_task, django_assert_max_num_queries
):
    """After a busy day the engine hands thousands of e-mails to the queue: the queries do not grow with them."""
    from django_tasks_db.models import DBTaskResult

    task = make_task(due_date=date(2026, 3, 10))
    now = at(date(2026, 3, 3))
    Notification.objects.bulk_create(
        Notification(
            task=task,
            recipient=emails["lead_officer"],
            rule_code="completion_before_5",
            rule_name="Nhắc",
            step_day=date(2026, 3, day),
            title="Nhắc",
            body="Nhắc",
            created_at=now,
            email_state=Notification.Email.PENDING,
            email_next_try=now,
        )
        for day in range(1, 31)
    )
    with django_assert_max_num_queries(5):  # select the pending rows, mark them queued, one insert of 30 jobs
        assert delivery.queue_pending() == 30
    assert DBTaskResult.objects.filter(task_path="dondoc.followup.delivery.send").count() == 30
    assert set(Notification.objects.values_list("email_state", flat=True)) == {Notification.Email.QUEUED}
