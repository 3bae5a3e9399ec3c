"""How an API request proves who it is: a personal token (Bearer) or the browser's session (with CSRF)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from dondoc.api.models import ApiToken, digest
from dondoc.org.access import remember_person
from dondoc.org.models import Person, Unit
from dondoc.workdays.models import CalendarVersion

LAST_USED_EVERY = timedelta(minutes=1)  # how stale a token's "last used" time may be
CSRF_FAILED = (
    "Thiếu hoặc sai mã CSRF: yêu cầu thay đổi dữ liệu bằng phiên đăng nhập phải gửi tiêu đề «X-CSRFToken»."
)


# The token lookup: the live token of an active account, with its user, person and unit. Every API request asks it,
# so its statement is written once per process from the models' fields (`_lookup`), not compiled by the ORM each
# time: `ApiToken.objects.active().select_related("user__person__unit").filter(digest=…, user__is_active=True)`
# spent ~0.65 ms of CPU compiling and ~0.3 ms building, of a ~6 ms list request (issue 19). The same statement reads
# the calendar's generation (`workdays.calendar`), which every request begins with: a row whatever the token, so an
# API request without a session pays one statement for both (`TokenLookupMiddleware`).
_JOINS: tuple[tuple[type[Model] | None, str, str], ...] = (  # (model, alias, how it joins those before)
    (ApiToken, "t", 'LEFT JOIN {table} t ON t."digest" = %s AND t."revoked_at" IS NULL'),
    (None, "u", 'LEFT JOIN {table} u ON u."id" = t."user_id" AND u."is_active" = %s'),  # the user model
    (Person, "p", 'LEFT JOIN {table} p ON p."user_id" = u."id"'),
    (Unit, "n", 'LEFT JOIN {table} n ON n."id" = p."unit_id"'),
)
# Per model: the model, how many columns it has, where its primary key is, and (index, column, converters) of each
# column the database's value of needs converting (as the ORM does: a JSON column's text, SQLite's dates).
_Part = tuple[type[Model], int, int, list[tuple[int, Any, list[Any]]]]
_statements: dict[str, tuple[str, list[_Part]]] = {}


def _statement() -> tuple[str, list[_Part]]:
    """The lookup's SQL and how to read its row after the generation (`_Part`), made once per process and database
    vendor."""
    found = _statements.get(connection.vendor)
    if found is not None:
        return found
    qn = connection.ops.quote_name
    columns: list[str] = [f"v.{qn('version')}"]
    joins: list[str] = [f"LEFT JOIN {qn(CalendarVersion._meta.db_table)} v ON v.{qn('id')} = 1"]
    parts: list[_Part] = []
    for listed, alias, join in _JOINS:
        model: type[Model] = listed or get_user_model()
        fields = list(model._meta.concrete_fields)
        columns += [f"{alias}.{qn(str(f.column))}" for f in fields]
        joins.append(join.format(table=qn(model._meta.db_table)))
        converted = []
        for i, field in enumerate(fields):
            col = field.get_col(alias)
            converters = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if converters:
                converted.append((i, col, converters))
        parts.append((model, len(fields), fields.index(model._meta.pk), converted))
    sql = f"SELECT {', '.join(columns)} FROM (SELECT 1 AS one) o {' '.join(joins)}"
    _statements[connection.vendor] = (sql, parts)
    return sql, parts


def _read(raw: str) -> tuple[ApiToken | None, int]:
    """(`_lookup(raw)`, the calendar's generation): one statement."""
    sql, parts = _statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, [digest(raw), True])
        row = cursor.fetchone()
    generation = row[0] or 0  # no row: generation 0, as `check_generation` reads it
    objects: list[Any] = []
    start = 1
    for model, width, pk, converted in parts:  # every column of each model, in order
        values = list(row[start : start + width])
        start += width
        names = ()  # every concrete field: `from_db` needs no names
        for i, col, converters in converted:
            for converter in converters:
                values[i] = converter(values[i], col, connection)
        objects.append(None if values[pk] is None else model.from_db(connection.alias, names, values))
    token, user, person, unit = objects
    if token is None or user is None:  # unknown or revoked, or its account deactivated
        return None, generation
    ApiToken._meta.get_field("user").set_cached_value(token, user)
    Person._meta.get_field("user").remote_field.set_cached_value(user, person)  # user.person (None: none)
    if person is not None:
        Person._meta.get_field("user").set_cached_value(person, user)
        Person._meta.get_field("unit").set_cached_value(person, unit)
    return token, generation


def _lookup(raw: str) -> ApiToken | None:
    """The live token `raw` of an active account with its `user`, the user's `person` (None: no person) and the
    person's `unit` loaded with it, as `select_related` loads them: one statement."""
    return _read(raw)[0]


def _bearer(request: HttpRequest) -> str | None:
    """The token of `Authorization: Bearer <khóa>` as `HttpBearer` reads it; None when absent or refused unread."""
    value = request.META.get("HTTP_AUTHORIZATION")  # not `request.headers`: a page would build it for this
    if not value:
        return None
    parts = value.split(" ")
    token = " ".join(parts[1:])
    if parts[0].lower() != "bearer" or not token or len(token) > 200:
        return None
    return token


class TokenLookupMiddleware:
    """Before `CalendarGenerationMiddleware`: a request with a bearer token and no session cookie (an API client) has
    its token looked up here with the calendar's generation, one statement (`_read`); the generation is left as
    `request.calendar_generation` for the calendar's middleware, the token for `TokenAuth` (the same request)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> Any:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:  # with a session: read with the session
            raw = _bearer(request)
            if raw is not None:
                found, generation = _read(raw)
                request.calendar_generation = generation  # type: ignore[attr-defined]
                request.token_read = (raw, found)  # type: ignore[attr-defined]
        return self.get_response(request)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <khóa>`: a live token acts as its owner; a revoked or unknown one is refused."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token or len(token) > 200:
            return None
        read = getattr(request, "token_read", None)  # looked up at this request (`TokenLookupMiddleware`)
        found = (
            read[1] if read is not None and read[0] == token else _lookup(token)
        )  # its person too (`person_of`)
        if found is None:
            return None
        remember_person(found.user)
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at >= LAST_USED_EVERY:
            # At most once a minute: a client asking many times a second would otherwise write the token's row on
            # every read (and queue its reads behind that row's lock).
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods must carry the CSRF token, as on the pages."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, CSRF_FAILED)
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None
