"""Review 14: the API refuses, with 422 naming the field, a deadline far outside the city's calendar and a page
cursor whose id no database key can hold (before: the extension was taken, and the cursor a server error)."""

from __future__ import annotations

from datetime import date

import pytest

from dondoc.tracking import actions
from dondoc.tracking.models import DeadlineChange, Task

pytestmark = pytest.mark.django_db


def test_an_api_extension_to_year_9999_is_422_naming_the_field(make_task, personas, frozen, api_as):
    task = actions.acknowledge(make_task(due_date=date(2026, 3, 31)), personas["lead_officer"].user)
    response = api_as("lead_officer").post(
        f"/tasks/{task.pk}/request_change", {"reason": "Chờ số liệu", "proposed_due_date": "9999-12-31"}
    )
    assert response.status_code == 422, response.json()
    assert response.json()["errors"][0]["field"] == "proposed_due_date"
    assert not DeadlineChange.objects.filter(task=task).exists()
    assert Task.objects.get(pk=task.pk).version == task.version


@pytest.mark.parametrize(
    "cursor", ["2026-03-31.99999999999999999999", "-.99999999999999999999", "2026-03-31.-5"]
)
def test_a_cursor_whose_id_no_key_holds_is_422_naming_the_field(frozen, api_as, cursor):
    response = api_as("tracker").get("/tasks", after=cursor)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "after"


@pytest.mark.parametrize("written", ["9999/12/31", "01/01/0001"])
def test_an_edxml_date_outside_the_calendar_is_refused_naming_the_element(written):
    from dondoc.api import edxml
    from tests.api.helpers import package

    with pytest.raises(edxml.EdxmlError, match="PromulgationDate.*ngoài khoảng cho phép"):
        edxml.parse(package(date_text=written))
