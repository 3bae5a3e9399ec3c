"""Template filters of the periodic report's pages."""

from __future__ import annotations

from django import template

from dondoc.org import roles
from dondoc.org.access import has_role

register = template.Library()


@register.filter
def can_read_reports(user: object) -> bool:
    """Whether the menu offers "Báo cáo": the roles that may read the periodic reports (`roles.SEES_EVERYTHING`)."""
    return has_role(user, roles.SEES_EVERYTHING)
