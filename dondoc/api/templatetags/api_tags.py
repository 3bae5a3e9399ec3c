from django import template

from dondoc.org import roles
from dondoc.org.access import has_role

register = template.Library()


@register.filter
def can_import_spreadsheets(user: object) -> bool:
    """The City Office (tracking officers, administrators) imports directives and tasks from Excel."""
    return has_role(user, roles.CITY_OFFICE)


@register.filter
def can_hold_api_tokens(user: object) -> bool:
    """The menu offers "Khóa API" to those whose systems talk to the API: the City Office's tracking officers,
    administrators and staff accounts; a ward or department officer works through the pages (issue 20)."""
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        return True
    return can_import_spreadsheets(user)
