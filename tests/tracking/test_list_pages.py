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


# --- Lists at 10^6 tasks (issue 19, point 3) ----------------------------------------------------------------------


def _list_setup(make_task, personas):
    """One task of every bucket the list shows: overdue, due soon, in deadline, no deadline, completed on time and
    late, cancelled (and a draft, never listed); two overdue ones to order."""
    make_task(due_date=date(2026, 3, 2), content="Việc quá hạn A")
    make_task(due_date=date(2026, 2, 20), content="Việc quá hạn B")
    make_task(due_date=date(2026, 3, 11), content="Việc sắp đến hạn")
    make_task(due_date=date(2026, 4, 20), content="Việc còn trong hạn")
    make_task(due_date=None, content="Việc không có thời hạn")
    complete_by_lead(make_task(due_date=date(2026, 2, 25)), date(2026, 2, 24), personas)
    complete_by_lead(make_task(due_date=date(2026, 2, 5)), date(2026, 2, 27), personas)
    actions.cancel(make_task(due_date=date(2026, 3, 4)), personas["leader"].user, reason="Không cần nữa")
    make_task(assign=False, due_date=date(2026, 4, 1), content="Dự thảo chưa giao")


@pytest.mark.parametrize(
    "bucket",
    [
        None,
        "overdue",
        "due_soon",
        "in_deadline",
        "no_deadline",
        "completed_on_time",
        "completed_late",
        "cancelled",
    ],
)
def test_the_list_is_counted_once_and_its_length_is_the_number_of_its_rows(
    client, personas, make_task, frozen, bucket
):
    """The page's length was a second COUNT of the rows its counters had just counted (69 ms of the overdue page at
    10^5): now it is the counter of the bucket asked, or the counters' sum — the same number as the rows listed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dondoc.tracking import timeliness as tl
    from dondoc.tracking.models import Task

    _list_setup(make_task, personas)
    client.force_login(personas["tracker"].user)
    params = {"bucket": bucket} if bucket else {}
    client.get(reverse("tracking:task_list"), params)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("tracking:task_list"), params)
    counts = [
        q["sql"]
        for q in ctx.captured_queries
        if ("COUNT(" in q["sql"] and '"tracking_task"' in q["sql"]) or "bucketcount" in q["sql"]
    ]
    # the counters only (read off the city's counted rows: `tracking.counted`)
    assert len(counts) == 1, counts
    assert '"tracking_citybucketcount"' in counts[0]
    listed = Task.objects.exclude(state=tl.DRAFT)
    if bucket:
        from dondoc.core.dates import today

        listed = listed.in_bucket(bucket, today(), tl.soon_limit(today()))
    page = response.context["page"]
    assert page.paginator.count == listed.count() == len(page.object_list) > 0


def test_an_open_bucket_is_listed_in_the_order_of_the_whole_list(client, personas, make_task, frozen):
    """A list of one open bucket is ordered by deadline alone (what the index `task_open_due` holds): the same
    order as the whole list's, whose open-first key is the same for every open task."""
    from dondoc.core.dates import today
    from dondoc.tracking import timeliness as tl
    from dondoc.tracking.models import Task
    from dondoc.tracking.queries import OPEN_BUCKETS, list_order

    _list_setup(make_task, personas)
    for n in range(3):
        make_task(due_date=date(2026, 3, 2), content=f"Cùng hạn {n}")  # ties broken by id
    ref = today()
    soon = tl.soon_limit(ref)
    tasks = Task.objects.exclude(state=tl.DRAFT).with_bucket(ref, soon)
    whole = list(list_order(tasks).values_list("id", "bucket"))
    for bucket in OPEN_BUCKETS:
        alone = list(list_order(tasks.in_bucket(bucket, ref, soon), bucket).values_list("id", flat=True))
        chosen = set(tasks.in_bucket(bucket, ref, soon).values_list("id", flat=True))
        assert alone == [pk for pk, _ in whole if pk in chosen] and alone, bucket
