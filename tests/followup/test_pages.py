"""Pages: the notification centre, the header badge, the task's reminder history, the City Office's page."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dondoc.followup.models import DeliveryAttempt, FollowupRule, Notification
from dondoc.tracking import actions
from tests.followup.helpers import at, walk
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminded(make_task, personas):
    """A task due 10/03/2026, assigned 02/03: its "5 days before" reminder went out on 03/03 at 09:00, to the
    officer and the head (an administrator widened that rule's audience; the default tells the officer alone)."""
    FollowupRule.objects.filter(code="completion_before_5").update(audience=FollowupRule.Audience.UNIT)
    with time_machine.travel(at(date(2026, 3, 2), "08:30"), tick=False):
        task = make_task(assign=False, due_date=date(2026, 3, 10), content="Chỉnh trang vỉa hè phố cổ")
        task = actions.assign(task, personas["tracker"].user, on=date(2026, 3, 2))
    walk(date(2026, 3, 3), date(2026, 3, 3))
    return task


def test_inbox_lists_my_notifications_with_badge_and_links(reminded, personas, frozen):
    c = login(personas["lead_officer"])
    r = c.get(reverse("followup:inbox"))
    html = r.content.decode()
    assert r.status_code == 200
    assert 'id="unread-count">1</span>' in html
    assert f'href="/nhiem-vu/{reminded.pk}/"' in html
    assert "còn 5 ngày làm việc đến thời hạn hoàn thành (10/03/2026)" in html
    other = login(personas["other_officer"]).get(reverse("followup:inbox")).content.decode()
    assert 'id="unread-count">0</span>' in other and "Không có thông báo nào." in other


def test_mark_one_and_all_as_read(reminded, personas, frozen):
    note = Notification.objects.get(recipient=personas["lead_officer"])
    intruder = login(personas["lead_head"])
    assert intruder.post(reverse("followup:mark_read", args=[note.pk])).status_code == 404  # not theirs
    c = login(personas["lead_officer"])
    r = c.post(reverse("followup:mark_read", args=[note.pk]), {"next": "https://evil.example/"})
    assert r.status_code == 302 and r["Location"] == reverse("followup:inbox")
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'id="unread-count">0</span>' in c.get(reverse("followup:inbox")).content.decode()
    head = login(personas["lead_head"])
    head.post(reverse("followup:mark_all_read"))
    assert not Notification.objects.filter(recipient=personas["lead_head"], read_at__isnull=True).exists()
    assert c.get(reverse("followup:mark_all_read")).status_code == 405


def test_preference_digest_and_bad_value(personas, frozen):
    c = login(personas["lead_head"])
    c.post(reverse("followup:preference"), {"email_mode": "digest"})
    assert personas["lead_head"].followup_preference.email_mode == "digest"
    r = c.post(reverse("followup:preference"), {"email_mode": "fax"}, follow=True)
    assert "Cách nhận thư điện tử «fax» không hợp lệ." in r.content.decode()
    personas["lead_head"].followup_preference.refresh_from_db()
    assert personas["lead_head"].followup_preference.email_mode == "digest"


def test_task_page_shows_each_reminder_and_to_whom(reminded, personas, frozen):
    html = login(personas["inspector"]).get(reminded.get_absolute_url()).content.decode()
    assert "Nhắc việc, đôn đốc đã gửi" in html
    assert "03/03/2026 09:00 — Nhắc trước 5 ngày làm việc (thời hạn hoàn thành)" in html
    assert "Gửi Sxd Cv1 (Chuyên viên, " in html and "Gửi Sxd Truong (Thủ trưởng, " in html


def test_office_page_sent_today_failed_and_ignored(reminded, personas, make_task):
    note = Notification.objects.get(recipient=personas["lead_head"])
    Notification.objects.filter(pk=note.pk).update(email_state="failed", email_attempts=6)
    DeliveryAttempt.objects.create(
        notification=note, at=note.created_at, ok=False, error="SMTPServerDisconnected: x"
    )
    c = login(personas["tracker"])
    with time_machine.travel(at(date(2026, 3, 3), "10:00"), tick=False):
        html = c.get(reverse("followup:office")).content.decode()
    assert "Đã gửi ngày 03/03/2026 (2)" in html
    assert "Gửi thư không thành công (1)" in html and "SMTPServerDisconnected" in html
    # 3 working days later (default N), nobody of Sở Xây dựng has acted on the task: the unit ignored it.
    with time_machine.travel(at(date(2026, 3, 9), "10:00"), tick=False):
        c = login(personas["tracker"])  # a new session: the one of 03/03 has expired
        html = c.get(reverse("followup:office")).content.decode()
        assert "<td>Sở Xây dựng</td><td>1</td><td>2</td><td>03/03/2026</td>" in html
        html = c.get(reverse("followup:office"), {"days": "5"}).content.decode()
        assert "<td>Sở Xây dựng</td>" not in html  # not yet 5 working days
        actions.acknowledge(reminded, personas["lead_officer"].user)
        html = c.get(reverse("followup:office")).content.decode()
        assert "<td>Sở Xây dựng</td>" not in html  # the unit acted after the reminder


def test_office_page_filters_and_bad_input(reminded, personas, registry, frozen):
    c = login(personas["tracker"])
    html = c.get(
        reverse("followup:office"), {"day": "03/03/2026", "unit": registry["SYT"].pk}
    ).content.decode()
    assert "Đã gửi ngày 03/03/2026 (0)" in html
    html = c.get(reverse("followup:office"), {"day": "03/03/2026", "kind": "completion"}).content.decode()
    assert "Đã gửi ngày 03/03/2026 (2)" in html
    r = c.get(reverse("followup:office"), {"day": "31/02/2026", "days": "0", "kind": "x"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy" in html
    assert "Số ngày làm việc không phản hồi phải từ 1 đến 60." in html
    assert "Loại thời hạn «x» không hợp lệ." in html


def test_office_page_is_for_city_office_leaders_and_inspectors(personas, frozen):
    assert login(personas["lead_officer"]).get(reverse("followup:office")).status_code == 403
    for who in ("tracker", "leader", "inspector"):
        assert login(personas[who]).get(reverse("followup:office")).status_code == 200


def test_inbox_query_count_does_not_grow_with_notifications(personas, make_task, frozen):
    """The same inbox with 5 and with 30 reminders (one task each) runs the same number of queries."""
    c = login(personas["lead_officer"])

    def remind(count: int) -> None:
        with time_machine.travel(at(date(2026, 3, 2), "08:30"), tick=False):
            for n in range(count):
                task = make_task(assign=False, due_date=date(2026, 3, 10), content=f"Nhiệm vụ số {n}")
                actions.assign(task, personas["tracker"].user, on=date(2026, 3, 2))
        walk(date(2026, 3, 3), date(2026, 3, 3))

    def queries() -> int:
        c.get(reverse("followup:inbox"))  # warm the session and the calendar cache
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(reverse("followup:inbox"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    remind(5)
    with_five = queries()
    remind(25)
    assert Notification.objects.filter(recipient=personas["lead_officer"]).count() == 30
    assert queries() == with_five
