from django import template

from dondoc.org import roles
from dondoc.org.access import has_role

register = template.Library()


@register.filter
def can_check_drafts(user: object) -> bool:
    """Whether the navigation shows the draft checker: the roles its pages admit (`roles.DRAFT_CHECKERS`)."""
    return has_role(user, roles.DRAFT_CHECKERS)
