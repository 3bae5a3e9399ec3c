"""Every page's header: the unread notification count, read with the session when it could be."""

from __future__ import annotations

from django.http import HttpRequest

from dondoc.accounts.sessions import unread_read_with_session
from dondoc.followup.context import unread_count
from dondoc.org.access import person_of


def unread(request: HttpRequest) -> dict[str, object]:
    person = person_of(getattr(request, "user", None))
    if person is None:
        return {}
    read = unread_read_with_session(
        request, person.pk
    )  # read with the session, by `unread_count`'s statement
    return {"unread_notifications": read if read is not None else unread_count.first(person.pk) or 0}
