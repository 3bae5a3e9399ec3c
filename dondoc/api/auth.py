"""How an API request proves who it is: a personal token (Bearer) or the browser's session (with CSRF)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from dondoc.api.models import ApiToken, digest
from dondoc.org.access import remember_person

LAST_USED_EVERY = timedelta(minutes=1)  # how stale a token's "last used" time may be
CSRF_FAILED = (
    "Thiếu hoặc sai mã CSRF: yêu cầu thay đổi dữ liệu bằng phiên đăng nhập phải gửi tiêu đề «X-CSRFToken»."
)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <khóa>`: a live token acts as its owner; a revoked or unknown one is refused."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token or len(token) > 200:
            return None
        found = (
            ApiToken.objects.active()
            .select_related("user__person__unit")  # the caller's person too: one query, not two (`person_of`)
            .filter(digest=digest(token), user__is_active=True)
            .first()
        )
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
