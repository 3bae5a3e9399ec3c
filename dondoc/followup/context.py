"""The unread notification count shown in every page's header."""

from __future__ import annotations

from django.http import HttpRequest

from dondoc.org.access import person_of


def unread(request: HttpRequest) -> dict[str, object]:
    person = person_of(getattr(request, "user", None))
    if person is None:
        return {}
    from dondoc.followup.models import Notification

    return {
        "unread_notifications": Notification.objects.filter(recipient=person, read_at__isnull=True).count()
    }
