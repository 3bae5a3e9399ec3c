"""What the task page says about its deadline after an extension, and the site's icon (issue 20, point 13)."""

from __future__ import annotations

import re
from datetime import date

from dondoc.tracking import actions
from dondoc.tracking.models import Task
from tests.helpers import PASSWORD


def _extend(task, personas, to: date) -> Task:
    actions.request_change(task, personas["lead_officer"].user, reason="Chờ ý kiến Bộ", proposed_due_date=to)
    actions.decide_change(
        task, personas["leader"].user, approve=True, new_due_date=to, decision_document="9/UBND"
    )
    return Task.objects.get(pk=task.pk)


def _due_block(client, task) -> str:
    page = client.get(task.get_absolute_url()).content.decode()
    return re.search(r'<dd class="col-sm-8" id="due-date">(.*?)</dd>', page, re.S).group(1)


def test_the_original_wording_stands_beside_the_original_deadline_only(client, personas, make_task, frozen):
    task = make_task(due_date=date(2026, 11, 10), due_text="trước ngày 10/11/2026")
    client.login(username="vp.theodoi", password=PASSWORD)
    assert "10/11/2026 <span" in _due_block(client, task)  # before: the wording next to the one deadline
    task = _extend(task, personas, date(2026, 12, 31))
    block = _due_block(client, task)
    current, original = block.split("<br>")
    assert current.strip() == "31/12/2026" and "trước ngày" not in current
    assert "Thời hạn ban đầu" in original and "10/11/2026</span>" in original
    assert "(«trước ngày 10/11/2026»)" in original


def test_the_number_of_extensions_is_what_the_request_rows_say(client, personas, make_task, frozen):
    task = _extend(make_task(due_date=date(2026, 4, 30)), personas, date(2026, 5, 29))
    Task.objects.filter(pk=task.pk).update(deadline_changes=2)  # a counter out of step (the demo's data)
    client.login(username="vp.theodoi", password=PASSWORD)
    block = _due_block(client, task)
    assert "đã điều chỉnh 1 lần" in block
    refused = task
    actions.request_change(
        refused, personas["lead_officer"].user, reason="Thêm", proposed_due_date=date(2026, 6, 30)
    )
    actions.decide_change(refused, personas["leader"].user, approve=False, note="Không đủ căn cứ")
    assert "đã điều chỉnh 1 lần" in _due_block(client, task)  # a refused request changes no deadline


def test_favicon_is_served_and_named_by_every_page(client, personas):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.ico"
    client.login(username="sxd.cv1", password=PASSWORD)
    assert '<link rel="icon" href="/static/favicon.ico"' in client.get("/").content.decode()
