from django import template

from dondoc.org import roles
from dondoc.org.access import person_of

register = template.Library()


@register.filter
def can_check_drafts(user: object) -> bool:
    """Whether the navigation shows the draft checker: the roles its pages admit (`roles.DRAFT_CHECKERS`)."""

    person = person_of(user)
    return person is not None and person.role in roles.DRAFT_CHECKERS
