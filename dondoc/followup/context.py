"""The unread notification count shown in every page's header (the statement; the context processor that shows it
is `accounts.context.unread`, beside the session statement that usually reads it)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from dondoc.core.prepared import Prepared


def _unread_count(person_id: int) -> Any:
    from dondoc.followup.models import Notification

    unread = Notification.objects.filter(recipient_id=person_id, read_at__isnull=True)
    return unread.values("recipient_id").annotate(n=Count("id")).values_list("n", flat=True)


# Every page asks it: its statement built once (`core.prepared`); no row when there is nothing unread.
unread_count = Prepared(_unread_count, (int,))
