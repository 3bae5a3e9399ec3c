"""The task tree through the API (issue 15, point 7): a task created with its parent's id, the `derive` action,
the parent and children on the detail and the list, with the page's rules and Vietnamese errors."""

# ruff: noqa: F811 — the fixtures imported below are the test functions' arguments
from __future__ import annotations

import pytest

from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task

pytestmark = pytest.mark.django_db


def test_a_task_created_with_its_parent_is_its_child(gov_task, api_as, registry):
    api = api_as("tracker")
    body = {"content": "Giải ngân của Sở Y tế", "lead_unit": registry["SYT"].pk, "deadline": "25/03/2026"}
    response = api.post(f"/directives/{gov_task.directive_id}/tasks", {**body, "parent": gov_task.pk})
    assert response.status_code == 201, response.json()
    child = response.json()
    assert child["parent_id"] == gov_task.pk and child["state"] == tl.DRAFT
    parent = api.get(f"/tasks/{gov_task.pk}").json()
    assert parent["children"] == [child["id"]] and parent["parent_id"] is None
    assert "derive" in parent["allowed_actions"]


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"deadline": "02/04/2026"}, "deadline", "không được sau thời hạn của nhiệm vụ cha (31/03/2026)"),
        ({"deadline": ""}, "deadline", "nhiệm vụ con phải có thời hạn hoàn thành"),
        ({"parent": 999999}, "parent", "Nhiệm vụ cha số 999999 không có trong văn bản này"),
    ],
)
def test_a_bad_parent_is_422_naming_the_field_and_creates_nothing(
    gov_task,
    api_as,
    registry,
    extra,
    field,
    words,
):
    body = {
        "content": "Con",
        "lead_unit": registry["SYT"].pk,
        "deadline": "25/03/2026",
        "parent": gov_task.pk,
    }
    response = api_as("tracker").post(f"/directives/{gov_task.directive_id}/tasks", {**body, **extra})
    assert response.status_code == 422, response.json()
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert words in errors[field]
    assert Task.objects.count() == 1


def test_a_parent_of_another_directive_is_refused(gov_task, api_as, registry, directive):
    body = {
        "content": "Con",
        "lead_unit": registry["SYT"].pk,
        "deadline": "25/03/2026",
        "parent": gov_task.pk,
    }
    response = api_as("tracker").post(f"/directives/{directive.pk}/tasks", body)
    assert response.status_code == 422
    assert "không có trong văn bản này" in response.json()["errors"][0]["message"]


def test_derive_action_issues_a_child_and_the_list_filters_by_parent(gov_task, api_as, registry):
    api = api_as("tracker")
    response = api.post(
        f"/tasks/{gov_task.pk}/derive",
        {
            "content": "Giải ngân của Sở Xây dựng",
            "lead_unit": registry["SXD"].pk,
            "coordinating_units": [registry["STC"].pk],
            "deadline": "20/03/2026",
        },
    )
    assert response.status_code == 200, response.json()
    assert len(response.json()["children"]) == 1
    (child,) = Task.objects.filter(parent=gov_task)
    assert child.state == tl.ASSIGNED and child.coordinations.get().unit == registry["STC"]
    listed = api.get("/tasks", parent=gov_task.pk).json()
    assert [t["id"] for t in listed["items"]] == [child.pk] and listed["items"][0]["parent_id"] == gov_task.pk
    late = api.post(
        f"/tasks/{gov_task.pk}/derive",
        {"content": "Con muộn", "lead_unit": registry["SYT"].pk, "deadline": "01/04/2026"},
    )
    assert late.status_code == 422
    assert late.json()["errors"][0]["field"] == "deadline"
    # a unit cannot derive
    assert api_as("lead_head").post(
        f"/tasks/{child.pk}/derive", {"content": "X", "lead_unit": registry["SYT"].pk}
    ).status_code in (403, 404)
