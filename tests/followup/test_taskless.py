"""Notifications about something other than a task (the monthly report, a discipline deadline): they carry a link,
show in the notification centre and the City Office's page, go out by e-mail and digest, and are written once."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from dondoc.followup import delivery, engine
from dondoc.followup.models import Notification, Preference
from dondoc.followup.notify import notify_people
from tests.followup.helpers import at
from tests.helpers import run_jobs

pytestmark = pytest.mark.django_db

LINK = "/bao-cao/ket-qua/7/"
TITLE = "Dự thảo báo cáo tháng 3/2026 đã sẵn sàng"


def _notify(people, day=date(2026, 3, 10), code="monthly_report:7") -> int:
    return notify_people(
        people,
        rule_code=code,
        rule_name="Nhắc lập báo cáo tháng",
        step_day=day,
        title=TITLE,
        body="Báo cáo phải gửi trước ngày 25/03/2026.",
        link=LINK,
        deadline=date(2026, 3, 25),
    )


def test_taskless_notification_in_the_inbox_links_to_its_page(client, personas, frozen):
    officer = personas["lead_officer"]
    assert _notify([officer]) == 1
    note = Notification.objects.get(recipient=officer)
    assert (
        note.task is None and note.url == LINK and note.email_state == Notification.Email.NONE
    )  # no address
    client.force_login(officer.user)
    page = client.get(reverse("followup:inbox"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<a class="fw-semibold" href="{LINK}">{TITLE}</a>' in html
    assert 'id="unread-count">1<' in html
    # reading it works like any notification
    client.post(reverse("followup:mark_read", args=[note.pk]))
    note.refresh_from_db()
    assert note.read_at is not None


def test_taskless_notification_is_written_once_per_subject_step_and_person(personas, frozen):
    people = [personas["lead_officer"], personas["lead_head"], personas["lead_officer"]]
    assert _notify(people) == 2  # a person named twice is notified once
    assert _notify(people) == 0  # a re-run writes nothing
    assert _notify(people, code="monthly_report:8") == 2  # another subject: new notifications
    assert _notify(people, day=date(2026, 3, 11)) == 2  # another step day: new notifications
    with pytest.raises(IntegrityError), transaction.atomic():  # the database itself refuses a duplicate
        n = Notification.objects.filter(task__isnull=True).first()
        n.pk = None
        n.save()
    assert Notification.objects.filter(task__isnull=True).count() == 6


def test_office_page_and_api_list_a_taskless_notification(client, personas, frozen):
    _notify([personas["lead_officer"]])
    client.force_login(personas["tracker"].user)
    page = client.get(reverse("followup:office"), {"day": "10/03/2026"})
    assert page.status_code == 200
    assert f'<a href="{LINK}">{TITLE}</a>' in page.content.decode()
    # the API's notification list describes it too (task_id empty, the link given)
    from dondoc.api.api import notification_out
    from dondoc.api.schemas import NotificationOut

    item = NotificationOut.model_validate(notification_out(Notification.objects.get())).model_dump()
    assert item["task_id"] is None and item["link"] == LINK


def test_taskless_notification_by_email_through_smtp(smtp, personas):
    officer = personas["lead_officer"]
    officer.email = "cv1@sxd.hanoi.gov.vn"
    officer.save()
    with time_machine.travel(at(date(2026, 3, 10), "09:00"), tick=False):
        _notify([officer])
        engine.run_once()  # hands the e-mail to the queue
        run_jobs()  # the worker sends it
    assert len(smtp.messages) == 1
    msg = smtp.messages[0]
    assert msg["To"] == "cv1@sxd.hanoi.gov.vn"
    assert msg["Subject"].strip() == f"[Đôn đốc] {TITLE}"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert f"Xem chi tiết: https://dondoc.hanoi.gov.vn{LINK}" in text
    assert f'<a href="https://dondoc.hanoi.gov.vn{LINK}">Xem chi tiết</a>' in html
    assert "Báo cáo phải gửi trước ngày 25/03/2026." in text
    note = Notification.objects.get(recipient=officer)
    assert note.email_state == Notification.Email.SENT


def test_taskless_notification_in_the_digest(smtp, personas):
    head = personas["lead_head"]
    head.email = "gd@sxd.hanoi.gov.vn"
    head.save()
    Preference.objects.create(person=head, email_mode=Preference.Mode.DIGEST)
    with time_machine.travel(at(date(2026, 3, 10), "09:00"), tick=False):
        _notify([head])
        assert Notification.objects.get(recipient=head).email_state == Notification.Email.DIGEST
    with time_machine.travel(at(date(2026, 3, 11), "07:31"), tick=False):
        delivery.send_digests(date(2026, 3, 11))
    assert len(smtp.messages) == 1
    text = smtp.messages[0].get_body(("plain",)).get_content()
    assert TITLE in text and f"https://dondoc.hanoi.gov.vn{LINK}" in text
