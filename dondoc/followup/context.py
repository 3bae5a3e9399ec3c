"""The unread notification count shown in every page's header."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.http import HttpRequest

from dondoc.accounts.sessions import unread_read_with_session
from dondoc.core.prepared import Prepared
from dondoc.org.access import person_of


def _unread_count(person_id: int) -> Any:
    from dondoc.followup.models import Notification

    unread = Notification.objects.filter(recipient_id=person_id, read_at__isnull=True)
    return unread.values("recipient_id").annotate(n=Count("id")).values_list("n", flat=True)


# Every page asks it: its statement built once (`core.prepared`); no row when there is nothing unread.
unread_count = Prepared(_unread_count, (int,))


def unread(request: HttpRequest) -> dict[str, object]:
    person = person_of(getattr(request, "user", None))
    if person is None:
        return {}
    read = unread_read_with_session(
        request, person.pk
    )  # read with the session, by `unread_count`'s statement
    return {"unread_notifications": read if read is not None else unread_count.first(person.pk) or 0}
