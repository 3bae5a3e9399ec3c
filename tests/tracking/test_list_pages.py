"""The City Office's home and the task list read as a worklist (issue 20, point 9): paged worklists, the most urgent
task on top, a found count that matches its counters and says what it counts, drafts apart from cancelled tasks."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from dondoc.tracking import actions
from tests.evaluation.lifecycle import complete_by_lead

pytestmark = pytest.mark.django_db


def section(html: str, key: str) -> str:
    start = html.index(f'id="worklist-{key}"')
    return html[start : html.index("</section>", start)]


def test_the_city_office_home_pages_each_worklist_on_its_own(client, personas, make_task, frozen):
    """~4,850 px of three unpaged tables: now ten rows a list, each list paged by its own parameter."""
    for n in range(12):
        make_task(due_date=date(2026, 4, 1), content=f"Nhiệm vụ chưa tiếp nhận số {n:02d}")
    client.force_login(personas["tracker"].user)

    html = client.get(reverse("home")).content.decode()
    unacknowledged = section(html, "unacknowledged")
    assert 'class="count">12<' in unacknowledged
    assert len(re.findall(r"Nhiệm vụ chưa tiếp nhận số \d\d", unacknowledged)) == 10
    assert "trang-chua-tiep-nhan=2" in unacknowledged and "Trang 1/2" in unacknowledged

    html = client.get(reverse("home"), {"trang-chua-tiep-nhan": 2, "trang-ket-qua": 1}).content.decode()
    unacknowledged = section(html, "unacknowledged")
    assert len(re.findall(r"Nhiệm vụ chưa tiếp nhận số \d\d", unacknowledged)) == 2
    assert "?trang-ket-qua=1&trang-chua-tiep-nhan=1" in unacknowledged  # the other list's page is kept


def test_the_task_list_opens_with_the_most_overdue_open_task_not_a_task_without_deadline(
    client, personas, make_task, frozen
):
    """The demo opened with its 2020 tasks without deadline (SQLite sorts NULL first); completed ones sat among the
    open. Open tasks first — most overdue, then nearest deadline — then those without deadline, then the closed."""
    make_task(due_date=None, content="Việc không có thời hạn")
    complete_by_lead(
        make_task(due_date=date(2026, 2, 5)), date(2026, 2, 4), personas
    )  # closed: after the open ones
    make_task(due_date=date(2026, 3, 20), content="Việc còn trong hạn")
    make_task(due_date=date(2026, 2, 3), content="Việc quá hạn lâu nhất")
    make_task(due_date=date(2026, 3, 11), content="Việc sắp đến hạn")
    client.force_login(personas["tracker"].user)

    html = client.get(reverse("tracking:task_list")).content.decode()
    order = re.findall(r"Việc [^<]+|Xây dựng kế hoạch chỉnh trang đô thị", html.split("<tbody>")[1])
    assert order == [
        "Việc quá hạn lâu nhất",
        "Việc sắp đến hạn",
        "Việc còn trong hạn",
        "Việc không có thời hạn",
        "Xây dựng kế hoạch chỉnh trang đô thị",  # the completed one
    ]


def test_the_found_count_is_the_sum_of_the_chips_and_says_what_it_counts(
    client, personas, make_task, directive, frozen
):
    """'Tìm thấy 3024' beside chips adding up to 2,990: the cancelled tasks were counted and not said."""
    make_task(due_date=date(2026, 3, 2))
    make_task(due_date=date(2026, 3, 20))
    make_task(due_date=None)
    actions.cancel(make_task(due_date=date(2026, 3, 4)), personas["leader"].user, reason="Không cần nữa")
    make_task(assign=False, due_date=date(2026, 4, 1), content="Dự thảo chưa giao")
    client.force_login(personas["tracker"].user)

    html = client.get(reverse("tracking:task_list")).content.decode()
    chips = re.findall(r'class="badge [^"]*bucket-chip"[^>]*>[^<]*<span class="count">(\d+)</span>', html)
    found = int(re.search(r"Tìm thấy (\d+) nhiệm vụ", html).group(1))
    assert found == 4 == sum(map(int, chips))
    assert "Không tính dự thảo chưa giao; gồm 1 nhiệm vụ đã hủy." in html
    assert 'data-bucket="cancelled"' in html and 'data-bucket="draft"' not in html
    assert "Dự thảo chưa giao" not in html

    html = client.get(reverse("tracking:task_list"), {"bucket": "cancelled"}).content.decode()
    assert "Tìm thấy 1 nhiệm vụ" in html and ">Đã hủy</span>" in html


def test_the_directive_page_counts_drafts_apart_from_cancelled_tasks(
    client, personas, make_task, directive, frozen
):
    make_task(assign=False, due_date=date(2026, 4, 1))
    actions.cancel(make_task(due_date=date(2026, 3, 4)), personas["leader"].user, reason="Không cần nữa")
    client.force_login(personas["tracker"].user)

    html = client.get(directive.get_absolute_url()).content.decode()
    assert "Chưa giao hoặc đã hủy" not in html
    assert re.search(r'data-bucket="draft"[^>]*>Dự thảo \(chưa giao\): <span class="count">1<', html)
    assert re.search(r'data-bucket="cancelled"[^>]*>Đã hủy: <span class="count">1<', html)
