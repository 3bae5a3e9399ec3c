"""Sessions that end after SESSION_COOKIE_AGE seconds without activity, written at most once a minute.

Every request extends a session (README "Bảo mật"). Django does that by saving the session on every request
(SESSION_SAVE_EVERY_REQUEST): a transaction writing the session's row — three statements and a commit that waits
for the disk — on every page, the busy hour's reads included (issue 19). Here a request saves the session only
when it changed or when its last save is SESSION_REFRESH_SECONDS old or more (the time of that save kept in the
session), so a session in use is written once a minute and ends at most that much earlier than the last request
plus SESSION_COOKIE_AGE.

Every request also begins with the same few reads: the calendar's generation (`workdays.calendar`), the session,
the user with its person and unit, and on a page the unread notifications' count. They are one statement here
(`SessionStore.load`): the session's row joined to the generation's, and — once this process has seen the session
— to its user's row and count. The session's key says nothing of its user, so the user read with it is the one
this process last found in that session (`_users`, a hint): `get_user` takes it only when it is the user the
session names, as read in the same statement; else (the first request of a session in this process) the user is
read by a statement of its own, as Django does. Either way the user row, its password's hash (the session's check)
and `is_active` are read at this request, and the count is its own statement's, read as a subquery.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connections, router
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from dondoc.core.prepared import Prepared

SAVED_AT = "_dondoc_saved_at"  # the session's key: when it was last saved (seconds since the epoch)


class SlidingSessionMiddleware(SessionMiddleware):
    """Django's SessionMiddleware, with the session saved when changed or when its last save is older than
    SESSION_REFRESH_SECONDS (instead of SESSION_SAVE_EVERY_REQUEST). A GET or HEAD (a page) reads the unread
    notifications' count with the session; another method may change them before its page is drawn."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.session.with_unread = request.method in ("GET", "HEAD")  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session: Any = getattr(request, "session", None)
        # a session read by this request (an unread one is neither loaded nor extended) that holds something
        if session is not None and session.accessed and not session.is_empty():
            now = int(time.time())
            if session.modified or now - session.get(SAVED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[SAVED_AT] = now  # modified: Django saves the session and refreshes its cookie
        return super().process_response(request, response)


def _users_with_person(user_id: int) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model()._default_manager.select_related("person__unit").filter(pk=user_id)[:1]


user_with_person = Prepared(_users_with_person, (int,))  # its statement built once (`core.prepared`)

_users: dict[
    str, tuple[int, int | None]
] = {}  # session key → (user id, person id) this process last found in it
MAX_KNOWN = 20_000  # sessions known (then forgotten all at once: each is read once more the long way)


def _remember(session_key: str | None, data: dict[str, Any], person_id: int | None = None) -> None:
    try:
        user_id = int(data[auth.SESSION_KEY])
    except (KeyError, TypeError, ValueError):
        _users.pop(session_key or "", None)
        return
    if session_key:
        if len(_users) >= MAX_KNOWN:
            _users.clear()
        known = _users.get(session_key)
        if person_id is None and known is not None and known[0] == user_id:
            person_id = known[1]
        _users[session_key] = (user_id, person_id)


class ReadWithSession:
    """What the session's statement read beside it: the user it named last time (`user_id`; `user` None when no
    such user), that user's person's unread count (None when not read) and the calendar's generation."""

    def __init__(self, generation: int, user_id: int | None, user: Any, person_id: int | None, unread: Any):
        self.generation = generation
        self.user_id = user_id
        self.user = user
        self.person_id = person_id
        self.unread = unread


_read_with: ContextVar[ReadWithSession | None] = ContextVar("dondoc_read_with_session", default=None)


def user_read_with_session(user_id: Any) -> tuple[bool, Any]:
    """(True, the user or None) when the request's session statement read user `user_id`; else (False, None)."""
    read = _read_with.get()
    if read is None or read.user_id is None or str(read.user_id) != str(user_id):
        return False, None
    return True, read.user


def unread_read_with_session(request: HttpRequest, person_id: int) -> int | None:
    """The unread count of `person_id` the session's statement read for this request (a page), or None."""
    read: ReadWithSession | None = getattr(getattr(request, "session", None), "read_with", None)
    if read is None or read.unread is None or read.person_id != person_id:
        return None
    return int(read.unread[0] or 0)  # no row: nothing unread


def _statement(
    connection: Any, key: str | None, user_id: int | None, person_id: int | None
) -> tuple[str, list[Any], int]:
    """The session's statement: the generation, the session's data, the unread count (of `person_id`), the user
    with person and unit (`user_with_person`'s own columns); and how many columns come before the user's."""
    from django.contrib.sessions.models import Session

    from dondoc.followup.context import unread_count
    from dondoc.workdays.models import CalendarVersion

    qn = connection.ops.quote_name
    session = Session._meta.db_table
    columns = [f"v.{qn('version')}", f"s.{qn('session_data')}"]
    joins = [
        f"LEFT JOIN {qn(CalendarVersion._meta.db_table)} v ON v.{qn('id')} = 1",
        f"LEFT JOIN {qn(session)} s ON s.{qn('session_key')} = %s AND s.{qn('expire_date')} > %s",
    ]
    params: list[Any] = [key, connection.ops.adapt_datetimefield_value(timezone.now())]
    before: list[Any] = []
    if person_id is not None:
        sql, unread_params = unread_count.sql_with_params(person_id)
        columns.append(f"CASE WHEN s.{qn('session_key')} IS NULL THEN NULL ELSE ({sql}) END")
        before += unread_params
    if user_id is not None:
        sql, user_params = user_with_person.sql_with_params(user_id)
        columns.append("u.*")
        joins.append(f"LEFT JOIN ({sql}) u ON s.{qn('session_key')} IS NOT NULL")
        params += user_params
    sql = f"SELECT {', '.join(columns)} FROM (SELECT 1 AS one) o {' '.join(joins)}"
    return sql, before + params, len(columns) - (user_id is not None)


class SessionStore(DatabaseStore):
    """SESSION_ENGINE: Django's database sessions, read by one statement with what every request reads besides
    (module docstring); `read_with` is what it read."""

    with_unread = False  # read the unread count too (SlidingSessionMiddleware: a page)
    read_with: ReadWithSession | None = None

    def load(self) -> dict[str, Any]:
        key = self.session_key
        user_id, person_id = _users.get(key or "", (None, None))
        connection = connections[router.db_for_read(self.model)]
        sql, params, first = _statement(connection, key, user_id, person_id if self.with_unread else None)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        data = row[1]
        user = None
        if user_id is not None and data is not None:
            found = user_with_person.from_rows((user_id,), [row[first:]])
            user = found[0] if found and found[0].pk is not None else None
        person = getattr(user, "person", None) if user is not None else None
        self.read_with = ReadWithSession(
            generation=row[0] or 0,
            user_id=user_id if data is not None else None,
            user=user,
            person_id=person_id,
            unread=(row[2],) if first > 2 and data is not None else None,
        )
        if data is None:
            self._session_key = None
            _users.pop(key or "", None)
            return {}
        decoded = self.decode(data)
        _remember(key, decoded, person.pk if person is not None else None)
        return decoded

    def create_model_instance(self, data: dict[str, Any]) -> Any:
        # the login's new session: its user read with it from the next request
        _remember(self.session_key, data)
        return super().create_model_instance(data)

    def calendar_generation(self) -> int | None:
        """The calendar's generation read with the session at this request (`workdays.calendar`), or None when no
        session was read (no session cookie)."""
        self._get_session()  # type: ignore[attr-defined]
        return self.read_with.generation if self.read_with is not None else None


class SessionAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware (the same `auth.get_user`: the backend, the session's password check), the
    user taken from the session's statement when it read the one the session names (`PersonBackend.get_user`)."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: _get_user(request))  # type: ignore[assignment]


def _get_user(request: Any) -> Any:
    if not hasattr(request, "_cached_user"):
        request.session._get_session()  # the session (and what it reads with it) before the user
        token = _read_with.set(getattr(request.session, "read_with", None))
        try:
            request._cached_user = user = auth.get_user(request)
        finally:
            _read_with.reset(token)
        person = getattr(user, "_dondoc_person", None)  # `PersonBackend`: read with the user
        key = request.session.session_key
        known = _users.get(key or "")
        if person is not None and key and known is not None and known == (user.pk, None):
            _users[key] = (known[0], person.pk)  # the next page reads its count with the session too
    return request._cached_user
