"""The calendar's past is closed (DOMAIN.md §5–§6, §8; README "Lịch làm việc"): an administrator's edit may change
whether a day is worked only from today on. So a task delivered on its effective deadline is never turned late by a
later edit, a figure as of a past date (dashboard, API, export, ranking) never changes, no urging is re-triggered,
and the calendar page tells which open tasks' effective deadlines an edit of a coming day moves (audited).

2026 (the shipped calendar): 30/04–03/05 off, so a deadline on Friday 01/05 (a holiday) counts to Monday 04/05; a
deadline on Saturday 09/05 counts to Monday 11/05."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from dondoc.api.models import ApiToken
from dondoc.audit.models import AuditEntry
from dondoc.audit.sentences import describe
from dondoc.evaluation import periods as pr
from dondoc.evaluation import stats
from dondoc.followup import engine
from dondoc.followup.models import Notification
from dondoc.org.models import Person
from dondoc.tracking import actions
from dondoc.tracking.models import Task
from dondoc.workdays import calendar
from dondoc.workdays.models import CalendarDay
from tests.api.helpers import ApiClient
from tests.evaluation.lifecycle import complete_by_lead
from tests.helpers import PASSWORD, administrator, make_person

pytestmark = pytest.mark.django_db

MAY = pr.monthly(2026, 5)  # 15/04–14/05/2026
MAY_SPAN = {"due_from": "15/04/2026", "due_to": "14/05/2026"}
LABOUR_DAY_WORKED = "date,kind,name,notice\n2026-05-01,workday,Sửa lịch: làm việc,01/TB-SNV\n"
SATURDAY_WORKED = {
    "notice_number": "02/TB-SNV",
    "notice_date": "01/06/2026",
    "name": "Làm bù",
    "off_from": "",
    "off_to": "",
    "swaps": "",
    "makeup": "09/05/2026",
}


def hanoi(day: date, hhmm: str = "09:00") -> str:
    return f"{day.isoformat()} {hhmm} +07:00"


@pytest.fixture
def admin(client, registry):
    make_person("quantri", registry["VPUBND"], Person.Role.ADMIN)
    client.login(username="quantri", password=PASSWORD)
    return client


def made(make_task, on: date, due: date) -> Task:
    """A task assigned on `on` (time frozen then), due `due`, acknowledged by the lead unit."""
    with time_machine.travel(hanoi(on), tick=False):
        return make_task(due_date=due)


def figures(client, leader, task: Task, ref: date | None = None) -> dict[str, tuple[int, ...]]:
    """The same question — May 2026 (as of `ref`, default today), on time / late / overdue — asked of every place
    that answers it: the count function, the dashboard, the unit ranking, the API's evaluation and task list, the
    CSV export, the task list and the task's own page."""
    client.force_login(leader)
    when = {"ngay": f"{ref:%d/%m/%Y}"} if ref else {}
    counts = stats.count(MAY, stats.SYSTEM, ref=ref)[None]
    board = client.get("/danh-gia/", {"loai_ky": "thang", "ky": "2026-5", **when}).context["data"]
    cards = {cell.measure: cell.value for cell, _label, _css in board.cards}
    ranking = stats.evaluate(MAY, stats.SYSTEM, ref=ref).by_unit
    _, raw = ApiToken.issue(leader, "thử nghiệm")
    api = ApiClient(raw)
    (row,) = api.get(
        "/evaluation", loai_ky="thang", ky="2026-5", **({"ngay": ref.isoformat()} if ref else {})
    ).json()["rows"]
    out = {
        "count": (counts.on_time, counts.late, counts.overdue),
        "dashboard": (cards[stats.ON_TIME], cards[stats.LATE], cards[stats.OVERDUE]),
        "ranking": tuple(x for r in ranking for x in (r.counts.on_time, r.counts.late, r.counts.overdue)),
        "api": (row["on_time"], row["late"], row["overdue"]),
    }
    if ref is None:  # the lists, the export and the task page speak of today
        span = {"due_from": "2026-04-15", "due_to": "2026-05-14"}
        listed = []
        exported = []
        for bucket in ("completed_on_time", "completed_late", "overdue"):
            listed.append(api.get("/tasks", bucket=bucket, **span).json()["count"])
            response = client.get(reverse("evaluation:export_tasks_csv"), {**MAY_SPAN, "bucket": bucket})
            rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
            exported.append(len(rows) - 1)
        out["api_tasks"] = tuple(listed)
        out["export"] = tuple(exported)
        page = client.get(reverse("tracking:task_detail", args=[task.pk])).content.decode()
        out["task_page"] = tuple(
            int(label in page) for label in ("Hoàn thành đúng hạn", "Hoàn thành quá hạn")
        )
    return out


def test_a_task_delivered_on_its_rolled_deadline_is_never_made_late_by_a_later_edit(
    admin, make_task, personas
):
    """Due Friday 01/05 (a holiday), delivered Monday 04/05: on time. In June an administrator tries to make 01/05
    a working day: refused (the day is past), and every place still says on time."""
    task = made(make_task, date(2026, 4, 20), date(2026, 5, 1))
    with time_machine.travel(hanoi(date(2026, 5, 4), "15:00"), tick=False):
        complete_by_lead(task, date(2026, 5, 4), personas)
    leader = personas["leader"].user
    with time_machine.travel(hanoi(date(2026, 6, 10)), tick=False):
        before = figures(admin, leader, task)
        assert before["count"] == (1, 0, 0) and before["task_page"] == (1, 0)
        admin.force_login(Person.objects.get(user__username="quantri").user)
        response = admin.post("/lich/nhap/", {"text": LABOUR_DAY_WORKED, "confirm": "1"})
        assert response.status_code == 400
        html = response.content.decode()
        assert "Tệp CSV, cột date: Không sửa được ngày đã qua: 01/05/2026" in html
        assert not calendar.current().is_working_day(date(2026, 5, 1))
        assert CalendarDay.objects.get(date=date(2026, 5, 1)).kind == "holiday"  # nothing changed
        assert figures(admin, leader, task) == before


def test_a_figure_as_of_a_past_date_does_not_change_after_a_calendar_edit(admin, make_task, personas):
    """Due Saturday 09/05, still open: within its deadline on Monday 11/05 (it counts to that day). In June an
    administrator tries to make 09/05 a make-up Saturday: refused; the figures as of 11/05 are unchanged."""
    task = made(make_task, date(2026, 4, 20), date(2026, 5, 9))
    leader = personas["leader"].user
    with time_machine.travel(hanoi(date(2026, 6, 10)), tick=False):
        before = figures(admin, leader, task, ref=date(2026, 5, 11))
        assert before["count"] == (0, 0, 0)
        admin.force_login(Person.objects.get(user__username="quantri").user)
        response = admin.post("/lich/thong-bao/", {**SATURDAY_WORKED, "confirm": "1"})
        assert response.status_code == 400
        html = response.content.decode()
        assert (
            'data-field="makeup"' in html
            and "Ngày làm bù khác: Không sửa được ngày đã qua: 09/05/2026" in html
        )
        assert not calendar.current().is_working_day(date(2026, 5, 9))
        assert figures(admin, leader, task, ref=date(2026, 5, 11)) == before


def test_no_urging_follows_an_edit_of_a_past_day(admin, make_task, personas):
    """Due Friday 01/05 (a holiday), open: on Monday 04/05 it is due today, not overdue. An administrator who, that
    morning, tries to make 01/05 a working day is refused, and the 09:00 pass sends no overdue urging."""
    task = made(make_task, date(2026, 4, 20), date(2026, 5, 1))
    with time_machine.travel(hanoi(date(2026, 4, 20), "10:00"), tick=False):
        actions.acknowledge(task, personas["lead_officer"].user)
    with time_machine.travel(hanoi(date(2026, 5, 4), "07:30"), tick=False):
        response = admin.post("/lich/nhap/", {"text": LABOUR_DAY_WORKED, "confirm": "1"})
        assert response.status_code == 400
    with time_machine.travel(hanoi(date(2026, 5, 4)), tick=False):
        engine.run_once()
    codes = set(Notification.objects.filter(task=task).values_list("rule_code", flat=True))
    assert "completion_overdue" not in codes
    assert "completion_on_day" in codes


def test_an_edit_of_coming_days_lists_the_open_tasks_whose_deadlines_move_and_audits_them(
    admin, make_task, personas
):
    """On 10/06 an administrator makes Saturday 13/06 a make-up working day: the open task due that Saturday now
    counts to the Saturday instead of Monday 15/06 — the preview names it (a task completed already is not
    listed), and saving records the move in the audit trail. Days already past keep their answer."""
    moved = made(make_task, date(2026, 6, 1), date(2026, 6, 13))
    done = made(make_task, date(2026, 6, 1), date(2026, 6, 13))
    still = made(make_task, date(2026, 6, 1), date(2026, 6, 12))  # Friday: a working day, does not move
    with time_machine.travel(hanoi(date(2026, 6, 5)), tick=False):
        complete_by_lead(done, date(2026, 6, 5), personas)
    form = {**SATURDAY_WORKED, "makeup": "13/06/2026"}
    with time_machine.travel(hanoi(date(2026, 6, 10)), tick=False):
        html = admin.post("/lich/thong-bao/", form).content.decode()
        assert 'id="moved-deadlines"' in html
        assert f'data-task="{moved.pk}"' in html and "15/06/2026 → 13/06/2026" in html
        assert f'data-task="{done.pk}"' not in html and f'data-task="{still.pk}"' not in html
        assert "1 nhiệm vụ đang thực hiện" in html
        assert "những ngày đã qua giữ nguyên" in html
        response = admin.post("/lich/thong-bao/", {**form, "confirm": "1"})
        assert response.status_code == 302
        assert calendar.current().is_working_day(date(2026, 6, 13))
    (entry,) = [
        e
        for e in AuditEntry.objects.filter(object_type="tracking.task", object_id=str(moved.pk))
        if "thời hạn tính" in (e.before or {})
    ]
    assert not any(
        "thời hạn tính" in (e.before or {})
        for e in AuditEntry.objects.filter(
            object_type="tracking.task", object_id__in=[str(done.pk), str(still.pk)]
        )
    )
    assert entry.before == {"thời hạn tính": "15/06/2026"}
    assert entry.after == {"thời hạn tính": "13/06/2026", "do sửa lịch": "13/06/2026"}
    assert entry.username == "quantri"  # the administrator who saved the edit
    sentence = describe(entry, {})
    assert f"#{moved.pk}" in sentence and "15/06/2026" in sentence and "13/06/2026" in sentence, sentence


def test_the_admin_site_keeps_the_past_closed_too(client, registry, frozen):
    """On 10/03/2026, in the admin site: the make-up Saturday 10/01/2026 can be renamed but not made a day off,
    nor removed; a coming day can still be changed."""
    administrator(client)
    day = CalendarDay.objects.get(date=date(2026, 1, 10))
    url = f"/quan-tri/workdays/calendarday/{day.pk}/change/"
    data = {"date": "2026-01-10", "kind": "holiday", "name": day.name, "notice": day.notice}
    response = client.post(url, data)
    assert (
        response.status_code == 200 and "Không sửa được ngày đã qua: 10/01/2026" in response.content.decode()
    )
    assert CalendarDay.objects.get(pk=day.pk).kind == "makeup_workday"
    assert client.post(url, {**data, "kind": "makeup_workday", "name": "Làm bù (đổi tên)"}).status_code == 302
    assert CalendarDay.objects.get(pk=day.pk).name == "Làm bù (đổi tên)"
    assert client.post(f"/quan-tri/workdays/calendarday/{day.pk}/delete/", {"post": "yes"}).status_code == 403
    assert CalendarDay.objects.filter(pk=day.pk).exists()
    coming = CalendarDay.objects.get(date=date(2026, 4, 27))  # a day off of the Hùng Kings' break
    response = client.post(
        f"/quan-tri/workdays/calendarday/{coming.pk}/change/",
        {"date": "2026-04-27", "kind": "workday", "name": "Đi làm", "notice": ""},
    )
    assert response.status_code == 302 and calendar.current().is_working_day(date(2026, 4, 27))


def test_re_entering_the_past_as_it_was_is_allowed(admin):
    """The year's calendar exported and imported back in June, past days renamed: no day's answer changes, so it is
    saved; the past stays as it was worked."""
    with time_machine.travel(hanoi(date(2026, 6, 10)), tick=False):
        text = admin.get("/lich/xuat.csv?nam=2026").content.decode().replace("Tết", "Tết Bính Ngọ")
        response = admin.post("/lich/nhap/", {"text": text, "confirm": "1"})
        assert response.status_code == 302
        assert "Tết Bính Ngọ" in CalendarDay.objects.get(date=date(2026, 2, 16)).name
        assert not calendar.current().is_working_day(date(2026, 2, 16))
