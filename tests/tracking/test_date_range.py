"""Review 14: a date far outside the city's calendar (31/12/9999, 01/01/0001) is refused where it is typed — the
page's date fields, a written deadline, the API's deadline actions, an edXML package — with a message naming the
field, and changes nothing. Before, an officer's extension request to 31/12/9999 was taken, and the leader's
approval of it ended in a server error (the reminder ladder counted working days past year 9999); the follow-up
page answered ?day=01/01/0001 with a server error too."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from dondoc.core.fields import VietDateField
from dondoc.tracking import actions
from dondoc.tracking.deadlines import DeadlineError, resolve_deadline
from dondoc.tracking.models import DeadlineChange
from dondoc.workdays.arith import WorkCalendar
from dondoc.workdays.csvdata import load_csv_entries
from tests.helpers import act, login

FAR = date(9999, 12, 31)


class DayForm(forms.Form):
    day = VietDateField(label="Ngày")


@pytest.mark.parametrize("raw", ["01/01/0001", "31/12/1944", "01/01/2101", "31/12/9999"])
def test_a_typed_date_outside_the_calendar_is_refused_naming_its_range(raw):
    form = DayForm({"day": raw})
    assert not form.is_valid()
    assert form.errors["day"] == [f"Ngày «{raw}» ngoài khoảng cho phép: từ 01/01/1945 đến 31/12/2100."]


@pytest.mark.parametrize("raw", ["01/01/1945", "10/03/2026", "31/12/2100"])
def test_a_typed_date_inside_the_calendar_is_taken(raw):
    assert DayForm({"day": raw}).is_valid()


def test_a_written_deadline_outside_the_calendar_is_refused():
    with pytest.raises(DeadlineError, match="ngoài khoảng cho phép"):
        resolve_deadline("31/12/9999", date(2026, 3, 2), WorkCalendar(load_csv_entries()))


@pytest.mark.django_db
def test_the_follow_up_page_refuses_a_day_outside_the_calendar(personas, frozen):
    client = login(personas["tracker"])
    for raw in ("01/01/0001", "31/12/9999"):
        response = client.get(reverse("followup:office"), {"day": raw})
        assert response.status_code == 400
        assert "ngoài khoảng cho phép" in response.content.decode()


@pytest.mark.django_db
def test_an_extension_to_year_9999_is_refused_on_the_page_and_nothing_is_written(make_task, personas, frozen):
    task = actions.acknowledge(make_task(due_date=date(2026, 3, 31)), personas["lead_officer"].user)
    response = act(
        login(personas["lead_officer"]),
        task,
        "request_change",
        proposed_due_date="31/12/9999",
        reason="Chờ số liệu",
    )
    assert response.status_code == 400
    assert "ngoài khoảng cho phép" in response.content.decode()
    assert not DeadlineChange.objects.filter(task=task).exists()


@pytest.mark.django_db
def test_deadline_actions_refuse_a_date_outside_the_calendar(make_task, personas, frozen):
    """The domain functions themselves refuse it (the API and imports call them with dates they parsed)."""
    lead, leader = personas["lead_officer"].user, personas["leader"].user
    task = actions.acknowledge(make_task(due_date=date(2026, 3, 31)), lead)
    with pytest.raises(ValidationError) as refused:
        actions.request_change(task, lead, reason="Chờ số liệu", proposed_due_date=FAR)
    assert "proposed_due_date" in refused.value.message_dict
    actions.request_change(task, lead, reason="Chờ số liệu", proposed_due_date=date(2026, 4, 30))
    with pytest.raises(ValidationError) as refused:
        actions.decide_change(task, leader, approve=True, new_due_date=FAR, decision_document="88/TB-VP")
    assert "new_due_date" in refused.value.message_dict
    task.refresh_from_db()
    assert task.due_date == date(2026, 3, 31)
    assert DeadlineChange.objects.get(task=task).status == DeadlineChange.Status.PENDING
