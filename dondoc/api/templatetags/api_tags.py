from django import template

from dondoc.org.access import person_of
from dondoc.org.models import Person

register = template.Library()


@register.filter
def can_import_spreadsheets(user: object) -> bool:
    """The City Office (tracking officers, administrators) imports directives and tasks from Excel."""
    person = person_of(user)
    return person is not None and person.role in (Person.Role.TRACKING_OFFICER, Person.Role.ADMIN)
