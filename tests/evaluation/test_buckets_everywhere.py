"""One meaning per bucket everywhere (issue 14 point 6): "sắp đến hạn" is a part of "đang thực hiện trong hạn", and
every place that shows the within-deadline number (or its due-soon part) for the same question shows the same one —
the dashboard, the leader's and the unit's home pages, the task list's counters and the list behind the dashboard's
link, the API's evaluation and task list, and the exported rows."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from dondoc.api.models import ApiToken
from dondoc.evaluation import periods as pr
from dondoc.evaluation import stats
from tests.api.helpers import ApiClient
from tests.evaluation.lifecycle import complete_by_lead

pytestmark = pytest.mark.django_db

MARCH = pr.monthly(2026, 3)  # 15/02–14/03/2026; today is Tue 10/03/2026, due soon = deadline ≤ Fri 13/03
PERIOD = {"due_from": "15/02/2026", "due_to": "14/03/2026"}


@pytest.fixture
def month(frozen, personas, make_task):
    """Sở Xây dựng's tasks, all due in Tháng 3/2026 or without a deadline: overdue (02/03), due soon (10/03, 12/03,
    13/03), within the deadline and not soon (Sat 14/03), completed on time, and one with no deadline."""
    make_task(due_date=date(2026, 3, 2))
    for day in (10, 12, 13):
        make_task(due_date=date(2026, 3, day))
    make_task(due_date=date(2026, 3, 14))
    complete_by_lead(make_task(due_date=date(2026, 3, 5)), date(2026, 3, 4), personas)
    make_task(due_date=None)


def chip(html: str, bucket: str) -> int:
    match = re.search(rf'data-bucket="{bucket}"[^>]*>[^<]*<span class="count">(\d+)</span>', html)
    assert match, bucket
    return int(match.group(1))


def found(html: str) -> int:
    match = re.search(r"Tìm thấy (\d+) nhiệm vụ", html)
    assert match
    return int(match.group(1))


def test_within_deadline_and_its_due_soon_part_are_the_same_number_everywhere(month, personas, client):
    within, soon = 4, 3  # 10/03, 12/03, 13/03 and 14/03; of which due soon: 10/03, 12/03, 13/03
    leader = personas["leader"].user
    client.force_login(leader)

    board = client.get("/danh-gia/", {"loai_ky": "thang", "ky": "2026-3"})
    data = board.context["data"]
    card = next(cell for cell, _label, _css in data.cards if cell.measure == stats.IN_DEADLINE)
    assert (card.value, data.due_soon.value) == (within, soon)
    assert re.search(rf'id="sap-den-han">trong đó sắp đến hạn: <a [^>]*>{soon}</a>', board.content.decode())
    # every count links to a list of exactly that many tasks
    assert found(client.get(card.url).content.decode()) == within
    assert found(client.get(data.due_soon.url).content.decode()) == soon

    home = client.get(reverse("home")).content.decode()
    assert (chip(home, "in_deadline"), chip(home, "due_soon")) == (within, soon)
    assert re.search(r"\(trong đó <a [^>]*>sắp đến hạn: <span class=\"count\">3</span></a>\)", home)

    listed = client.get(reverse("tracking:task_list"), PERIOD).content.decode()
    assert (chip(listed, "in_deadline"), chip(listed, "due_soon")) == (within, soon)
    for bucket, n in (("in_deadline", within), ("due_soon", soon)):
        assert (
            found(client.get(reverse("tracking:task_list"), {**PERIOD, "bucket": bucket}).content.decode())
            == n
        )
        exported = client.get(reverse("evaluation:export_tasks_csv"), {**PERIOD, "bucket": bucket})
        rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
        assert len(rows) - 1 == n, bucket  # the header, then one row a task

    client.force_login(personas["lead_officer"].user)
    unit_home = client.get(reverse("home")).content.decode()
    assert re.search(
        rf'data-count="{within}">{within} nhiệm vụ</a> \(trong đó <a [^>]*data-count="{soon}"', unit_home
    )

    _, raw = ApiToken.issue(leader, "thử nghiệm")
    api = ApiClient(raw)
    (row,) = api.get("/evaluation", loai_ky="thang", ky="2026-3").json()["rows"]
    assert (row["in_deadline"], row["due_soon"]) == (within, soon)
    span = {"due_from": "2026-02-15", "due_to": "2026-03-14"}
    assert api.get("/tasks", bucket="in_deadline", **span).json()["count"] == within
    assert api.get("/tasks", bucket="due_soon", **span).json()["count"] == soon
    assert stats.count(MARCH, stats.SYSTEM)[None].in_deadline == within
