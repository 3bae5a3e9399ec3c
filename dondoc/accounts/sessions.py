"""Sessions that end after SESSION_COOKIE_AGE seconds without activity, written at most once a minute.

Every request extends a session (README "Bảo mật"). Django does that by saving the session on every request
(SESSION_SAVE_EVERY_REQUEST): a transaction writing the session's row — three statements and a commit that waits
for the disk — on every page, the busy hour's reads included (issue 19). Here a request saves the session only
when it changed or when its last save is SESSION_REFRESH_SECONDS old or more (the time of that save kept in the
session), so a session in use is written once a minute and ends at most that much earlier than the last request
plus SESSION_COOKIE_AGE.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from dondoc.core.prepared import Prepared

SAVED_AT = "_dondoc_saved_at"  # the session's key: when it was last saved (seconds since the epoch)


class SlidingSessionMiddleware(SessionMiddleware):
    """Django's SessionMiddleware, with the session saved when changed or when its last save is older than
    SESSION_REFRESH_SECONDS (instead of SESSION_SAVE_EVERY_REQUEST)."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session: Any = getattr(request, "session", None)
        # a session read by this request (an unread one is neither loaded nor extended) that holds something
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if session.modified or now - session.get(SAVED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[SAVED_AT] = now  # modified: Django saves the session and refreshes its cookie
        return super().process_response(request, response)


def _unexpired(session_key: str, now: Any) -> Any:
    from django.contrib.sessions.models import Session

    return Session.objects.filter(session_key=session_key, expire_date__gt=now)[:1]


class SessionStore(DatabaseStore):
    """SESSION_ENGINE: Django's database sessions, the session read by a statement built once (`core.prepared`):
    every request reads its session."""

    unexpired = Prepared(_unexpired, (str, datetime))

    def _get_session_from_db(self) -> Any:
        session = self.unexpired.first(self.session_key, timezone.now())
        if session is None:
            self._session_key = None
        return session
