"""The task tree (issue 15, point 7): the City Office registers a higher authority's task and gives its parts to the
city's units — each child with its own single lead unit and a deadline no later than the parent's — through one
domain function (`actions.derive`), the task page's form, with the parent's page showing its children and their
buckets. `Task.has_issued_children` is kept by a trigger whatever writes the child (both databases)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from dondoc.audit.models import AuditEntry
from dondoc.tracking import actions
from dondoc.tracking import timeliness as tl
from dondoc.tracking.models import Task, TaskEvent
from tests.helpers import GOV_DUE, act, login

pytestmark = pytest.mark.django_db


def derive(parent, personas, lead="SXD", **fields):
    fields.setdefault("due_date", date(2026, 3, 20))
    return actions.derive(
        parent,
        personas["tracker"].user,
        lead_unit=parent.lead_unit.__class__.objects.get(code=lead),
        content=fields.pop("content", f"Giải ngân vốn đầu tư công của {lead}"),
        **fields,
    )


def test_city_office_derives_a_child_of_the_same_directive_issued_at_once(gov_task, personas, registry):
    child = derive(gov_task, personas, coordinating_units=[registry["STC"]])
    child.refresh_from_db()
    gov_task.refresh_from_db()
    assert child.parent_id == gov_task.pk and child.directive_id == gov_task.directive_id
    assert child.lead_unit.code == "SXD" and [c.unit.code for c in child.coordinations.all()] == ["STC"]
    assert child.state == tl.ASSIGNED and child.assigned_on == date(2026, 3, 10)
    assert gov_task.has_issued_children
    # one history row on each: the child's creation and issue, the parent's "Giao nhiệm vụ con"
    assert list(child.events.values_list("action", flat=True)) == [
        TaskEvent.Action.CREATE,
        TaskEvent.Action.ASSIGN,
    ]
    (event,) = gov_task.events.filter(action=TaskEvent.Action.DERIVE)
    assert event.changes["child"] == [None, f"số {child.pk}"] and event.changes["due_date"] == [
        None,
        "20/03/2026",
    ]
    # and the audit trail has the child's row
    assert AuditEntry.objects.filter(object_id=str(child.pk), action="create").exists()


def test_a_draft_parent_gets_draft_children(resolution, registry, personas, frozen):
    parent = actions.create_task(
        resolution, lead_unit=registry["VPUBND"], content="Nhiệm vụ Chính phủ giao", due_date=GOV_DUE
    )
    child = derive(parent, personas)
    parent.refresh_from_db()
    assert (
        child.state == tl.DRAFT and not parent.has_issued_children
    )  # counted by its children once they are issued


@pytest.mark.parametrize(
    ("due", "words"),
    [
        (date(2026, 4, 1), "Thời hạn hoàn thành của nhiệm vụ con (01/04/2026) không được sau thời hạn của nhiệm vụ cha (31/03/2026)."),
        (None, "Nhiệm vụ cha có thời hạn 31/03/2026: nhiệm vụ con phải có thời hạn hoàn thành"),
    ],
)  # fmt: skip
def test_a_child_due_after_its_parent_is_refused_and_nothing_changes(gov_task, personas, due, words):
    before = (Task.objects.count(), TaskEvent.objects.count(), gov_task.version)
    with pytest.raises(ValidationError) as exc:
        derive(gov_task, personas, due_date=due)
    assert words in exc.value.message_dict["due_date"][0]
    gov_task.refresh_from_db()
    assert (Task.objects.count(), TaskEvent.objects.count(), gov_task.version) == before
    assert not gov_task.has_issued_children


def test_create_task_enforces_the_tree_whatever_calls_it(gov_task, personas, registry, directive):
    # the same rules in the one function every path uses (the API and the import call it through the form)
    with pytest.raises(ValidationError) as exc:
        actions.create_task(
            directive, lead_unit=registry["SXD"], content="Con", parent=gov_task, due_date=date(2026, 3, 1)
        )
    assert "không thuộc văn bản này" in exc.value.message_dict["parent"][0]
    child = derive(gov_task, personas)
    with pytest.raises(ValidationError) as exc:
        actions.create_task(
            gov_task.directive,
            lead_unit=registry["SYT"],
            content="Cháu",
            parent=child,
            due_date=date(2026, 3, 1),
        )
    assert "đã là nhiệm vụ con" in exc.value.message_dict["parent"][0]


def test_a_secret_parent_has_secret_children(resolution, registry, personas, frozen):
    parent = actions.create_task(
        resolution, lead_unit=registry["VPUBND"], content="Nhiệm vụ mật", due_date=GOV_DUE, secret=True
    )
    assert derive(parent, personas).secret


@pytest.mark.parametrize("persona", ["leader", "lead_head", "inspector"])
def test_only_the_city_office_derives(gov_task, personas, persona):
    with pytest.raises(PermissionDenied):
        actions.derive(
            gov_task,
            personas[persona].user,
            lead_unit=gov_task.lead_unit,
            content="Con",
            due_date=date(2026, 3, 20),
        )


def test_a_completed_or_cancelled_task_takes_no_children(gov_task, personas):
    actions.cancel(gov_task, personas["tracker"].user, reason="Chính phủ rút nhiệm vụ")
    with pytest.raises(PermissionDenied):
        derive(gov_task, personas)


# ---------------------------------------------------------------------------------------------------- the pages


def test_task_page_form_derives_a_child_and_the_parent_page_shows_its_children(
    client, gov_task, personas, registry
):
    c = login(personas["tracker"], client)
    page = c.get(reverse("tracking:task_detail", args=[gov_task.pk])).content.decode()
    assert "Giao nhiệm vụ con cho đơn vị của Thành phố" in page and 'id="children"' not in page
    response = act(
        c,
        gov_task,
        "derive",
        content="Giải ngân vốn của Sở Xây dựng",
        lead_unit=registry["SXD"].pk,
        coordinating_units=registry["STC"].pk,
        deadline="20/03/2026",
    )
    assert response.status_code == 302
    gov_task.refresh_from_db()
    late = derive(gov_task, personas, lead="SYT", due_date=date(2026, 3, 2))  # overdue on 10/03
    page = c.get(reverse("tracking:task_detail", args=[gov_task.pk])).content.decode()
    assert 'id="children"' in page and "Nhiệm vụ con đã giao cho các đơn vị (2)" in page
    assert 'data-bucket="overdue"' in page and 'data-bucket="in_deadline"' in page
    assert f"?parent={gov_task.pk}&amp;bucket=overdue" in page
    child_page = c.get(reverse("tracking:task_detail", args=[late.pk])).content.decode()
    assert 'id="parent-task"' in child_page and gov_task.get_absolute_url() in child_page
    # the counter's link lists exactly the overdue child
    listed = c.get(reverse("tracking:task_list"), {"parent": gov_task.pk, "bucket": "overdue"})
    assert [t.pk for t in listed.context["page"]] == [late.pk]


def test_task_page_form_refuses_a_late_deadline_in_vietnamese(client, gov_task, personas, registry):
    c = login(personas["tracker"], client)
    response = act(c, gov_task, "derive", content="Con", lead_unit=registry["SXD"].pk, deadline="15/04/2026")
    assert response.status_code == 400
    form = next(f for f in response.context["action_forms"] if f.action == "derive")
    assert form.errors["deadline"] == [
        "Thời hạn hoàn thành của nhiệm vụ con (15/04/2026) không được sau thời hạn của nhiệm vụ cha (31/03/2026)."
    ]
    assert not Task.objects.filter(parent=gov_task).exists()


def test_derive_form_is_offered_to_the_city_office_only(client, gov_task, personas):
    for name, offered in (("tracker", True), ("leader", False), ("lead_head", False)):
        page = login(personas[name], client).get(reverse("tracking:task_detail", args=[gov_task.pk]))
        assert ('id="action-derive"' in page.content.decode()) is offered, name


# ------------------------------------------------------------------------------------------------ the database


def test_has_issued_children_follows_raw_writes_of_children(gov_task, registry):
    """Whatever writes a child — the ORM without the actions, raw SQL — the parent's flag says whether one of its
    children has been issued (the counts read it)."""
    issued = Task.objects.create(
        directive=gov_task.directive,
        lead_unit=registry["SXD"],
        content="Con 1",
        parent=gov_task,
        state=tl.ASSIGNED,
        assigned_on=date(2026, 3, 2),
    )
    draft = Task.objects.create(
        directive=gov_task.directive, lead_unit=registry["SYT"], content="Con 2", parent=gov_task
    )

    def flag() -> bool:
        gov_task.refresh_from_db()
        return gov_task.has_issued_children

    assert flag()
    with connection.cursor() as cur:
        cur.execute("UPDATE tracking_task SET parent_id = NULL WHERE id = %s", [issued.pk])
    assert not flag()  # the child left is a draft
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE tracking_task SET assigned_on = %s, state = 'assigned' WHERE id = %s",
            [date(2026, 3, 5), draft.pk],
        )
    assert flag()
    Task.objects.filter(pk=draft.pk).delete()
    assert not flag()
    Task.objects.filter(pk=issued.pk).update(parent=gov_task)
    assert flag()
