"""`{% load dashboard_tags %}`: whether the navigation shows "Thống kê, đánh giá"."""

from __future__ import annotations

from django import template

from dondoc.org.access import person_of

register = template.Library()


@register.filter
def can_see_dashboard(user: object) -> bool:
    """Leaders, the City Office, inspectors and administrators (the roles the dashboard view admits)."""
    from dondoc.evaluation.views import DASHBOARD_ROLES

    person = person_of(user)
    return person is not None and person.role in DASHBOARD_ROLES
