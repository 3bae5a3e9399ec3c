"""Who sees which task and directive (DOMAIN.md §2, §5): units see their own, the city sees all, secrets stay hidden."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from dondoc.directives.models import Directive
from dondoc.tracking.models import Task


@pytest.fixture
def task(make_task, frozen):
    return make_task(coordinators=("STC",))


def visible(persona, personas) -> set[int]:
    return set(Task.objects.visible_to(personas[persona].user).values_list("pk", flat=True))


@pytest.mark.parametrize("persona", ["lead_officer", "lead_head"])
def test_people_of_the_lead_unit_see_its_task(task, personas, persona):
    assert visible(persona, personas) == {task.pk}


def test_officer_of_a_coordinating_unit_sees_the_task(task, personas):
    assert visible("coord_officer", personas) == {task.pk}


def test_officer_of_another_unit_cannot_see_task(task, personas):
    assert visible("other_officer", personas) == set()


@pytest.mark.parametrize("persona", ["tracker", "leader", "inspector"])
def test_city_office_leaders_and_inspectors_see_every_task(make_task, personas, frozen, persona):
    ours = make_task()
    theirs = make_task(lead="SYT", coordinators=())
    assert visible(persona, personas) == {ours.pk, theirs.pk}


def test_task_led_by_another_unit_is_hidden_from_the_lead_unit_officer(make_task, personas, frozen):
    make_task(lead="SYT", coordinators=())
    assert visible("lead_officer", personas) == set()
    assert visible("other_officer", personas) != set()


def test_secret_task_is_hidden_from_people_not_cleared(make_task, personas, frozen):
    secret = make_task(secret=True)
    assert visible("lead_officer", personas) == set()
    assert visible("coord_officer", personas) == set()
    assert visible("inspector", personas) == set()  # sees every unit, but is not cleared for secrets
    assert visible("tracker", personas) == {secret.pk}
    assert visible("leader", personas) == {secret.pk}


def test_secret_task_is_visible_to_a_cleared_officer_of_the_lead_unit(make_task, personas, frozen):
    secret = make_task(secret=True)
    officer = personas["lead_officer"]
    officer.cleared_for_secrets = True
    officer.save()
    assert visible("lead_officer", personas) == {secret.pk}


def test_anonymous_and_deactivated_users_see_nothing(task, personas):
    assert not Task.objects.visible_to(AnonymousUser()).exists()
    tracker = personas["tracker"]
    tracker.active = False
    tracker.save()
    fresh_user = type(tracker.user).objects.get(pk=tracker.user_id)  # a new request loads the user afresh
    assert not Task.objects.visible_to(fresh_user).exists()


def test_account_without_a_person_sees_nothing(task, django_user_model):
    user = django_user_model.objects.create_user("khong.co.ho.so", password="mat-khau-dai-2026")
    assert not Task.objects.visible_to(user).exists()


# --- Directives ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["lead_officer", "other_officer", "inspector"])
def test_secret_directive_is_hidden_from_people_not_cleared(directive, secret_directive, personas, persona):
    assert list(Directive.objects.visible_to(personas[persona].user)) == [directive]


@pytest.mark.parametrize("persona", ["tracker", "leader"])
def test_cleared_people_see_secret_directives(directive, secret_directive, personas, persona):
    assert set(Directive.objects.visible_to(personas[persona].user)) == {directive, secret_directive}


def test_anonymous_user_sees_no_directive(directive):
    assert not Directive.objects.visible_to(AnonymousUser()).exists()
