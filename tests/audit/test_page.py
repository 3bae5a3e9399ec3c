"""The administrators' audit page: filters (user, dd/mm/yyyy dates, object type, action), pagination, access."""

from __future__ import annotations

import time_machine
from django.contrib.auth import get_user_model

from dondoc.audit import chain
from dondoc.audit.models import AuditEntry
from dondoc.org.models import Person
from tests.helpers import PASSWORD, make_person

URL = "/nhat-ky/"


def admin_client(client, registry):
    make_person("quantri", registry["VPUBND"], Person.Role.ADMIN)
    client.login(username="quantri", password=PASSWORD)
    return client


def test_only_administrators_read_the_audit_trail(client, personas):
    for username in ("sxd.cv1", "vp.theodoi", "lanhdao", "snv.thanhtra"):
        client.login(username=username, password=PASSWORD)
        response = client.get(URL)
        assert response.status_code == 403, username
    get_user_model().objects.create_superuser("root", "r@example.org", PASSWORD)
    client.login(username="root", password=PASSWORD)
    assert client.get(URL).status_code == 200


def test_filters_by_user_dates_object_type_and_action(client, registry):
    with time_machine.travel("2026-03-02 10:00 +07:00", tick=False):
        chain.append(action="update", username="sxd.cv1", object_type="tracking.task", object_id="7",
                     object_repr="Nhiệm vụ A", before={"state": "assigned"}, after={"state": "in_progress"})  # fmt: skip
    with time_machine.travel("2026-03-05 23:30 +07:00", tick=False):
        chain.append(
            action="export", username="snv.thanhtra", object_type="export", object_repr="Báo cáo tháng"
        )
    c = admin_client(client, registry)
    page = c.get(URL, {"user": "sxd"}).content.decode()
    assert "Nhiệm vụ A" in page and "Báo cáo tháng" not in page
    page = c.get(URL, {"date_from": "03/03/2026", "date_to": "05/03/2026"}).content.decode()
    assert (
        "Báo cáo tháng" in page and "Nhiệm vụ A" not in page
    )  # 23:30 Hanoi time on the 5th counts as the 5th
    page = c.get(URL, {"object_type": "tracking.task"}).content.decode()
    assert "Nhiệm vụ A" in page and "Báo cáo tháng" not in page
    page = c.get(URL, {"action": "export"}).content.decode()
    assert "Báo cáo tháng" in page and "Nhiệm vụ A" not in page
    assert "02/03/2026 10:00" in c.get(URL).content.decode()


def test_bad_dates_get_a_vietnamese_message_naming_the_field(client, registry):
    c = admin_client(client, registry)
    response = c.get(URL, {"date_from": "2026-13-45"})
    assert response.status_code == 400
    assert "Từ ngày: nhập theo dạng dd/mm/yyyy" in response.content.decode()
    response = c.get(URL, {"date_from": "10/03/2026", "date_to": "01/03/2026"})
    assert response.status_code == 400
    assert "Đến ngày phải từ ngày" in response.content.decode()


def test_pages_of_fifty_newest_first(client, registry, django_assert_max_num_queries):
    for i in range(120):
        chain.append(action="export", username="x", object_type="export", object_repr=f"Xuất số {i:03d}")
    c = admin_client(client, registry)
    chain.link_pending()  # what the commits did (the test's transaction never commits)
    with django_assert_max_num_queries(12):
        first = c.get(URL, {"action": "export"}).content.decode()
    assert "Xuất số 119" in first and "Xuất số 069" not in first and "Trang 1/3" in first
    third = c.get(URL, {"action": "export", "trang": 3}).content.decode()
    assert "Xuất số 000" in third and "Xuất số 020" not in third
    assert 'href="?action=export&trang=2"' in third  # the filter is kept across pages
    assert AuditEntry.objects.filter(action="export").count() == 120


def test_an_uncleared_administrator_reads_no_secret_task_content_in_the_trail(
    client, registry, make_task, frozen
):
    """The trail keeps every row as written (its content too); the page shows a secret task's content — in its
    name, its before and after — only to an administrator cleared for secrets (`tracking.secrecy`)."""
    from datetime import date

    mark = "K47QX-audit"
    task = make_task(content=f"Phương án bảo vệ {mark}", secret=True, due_date=date(2026, 3, 31))
    make_task(content="Việc công khai Q8RT", due_date=date(2026, 3, 31))
    task.content = f"Phương án bảo vệ sửa {mark}"
    task.save()
    from django.utils import timezone

    from dondoc.directives.models import Directive
    from dondoc.tracking.models import DeadlineChange

    author = get_user_model().objects.create_user("sxd.mat")
    DeadlineChange.objects.create(
        task=task, requested_by=author, requested_at=timezone.now(), reason=f"Vì {mark}"
    )
    Directive.objects.filter(pk=task.directive_id).update(secrecy=Directive.Secrecy.SECRET)
    directive = Directive.objects.get(pk=task.directive_id)
    directive.full_text = f"Toàn văn {mark}"
    directive.save()
    page = admin_client(client, registry).get(URL).content.decode()
    assert mark not in page
    assert "Q8RT" in page  # a task that is not secret is shown as it was
    assert f"Nhiệm vụ mật — số {task.pk}" in page
    Person.objects.filter(user__username="quantri").update(cleared_for_secrets=True)
    assert mark in client.get(URL).content.decode()


def test_the_recorded_details_show_dates_dd_mm_yyyy_and_times_in_hanoi(client, registry):
    """Review 14: the details under an event («Chi tiết ghi nhận») printed the record's values as stored — dates
    2026-03-31, times 2026-03-02T03:00:00Z (UTC: seven hours behind what the administrator's clock said)."""
    with time_machine.travel("2026-03-02 10:00 +07:00", tick=False):
        chain.append(action="update", username="sxd.cv1", object_type="tracking.task", object_id="7",
                     object_repr="Nhiệm vụ A", before={"due_date": "2026-03-31", "completed_on": None},
                     after={"due_date": "2026-04-15", "updated_at": "2026-03-02T03:00:00Z"})  # fmt: skip
    page = admin_client(client, registry).get(URL).content.decode()
    details = page[page.index("Chi tiết ghi nhận") :]
    assert "<code>due_date</code>: 31/03/2026" in details and "<code>due_date</code>: 15/04/2026" in details
    assert "<code>updated_at</code>: 02/03/2026 10:00" in details
    assert "<code>completed_on</code>: (trống)" in details
    assert "2026-03-31" not in details and "T03:00:00Z" not in details
