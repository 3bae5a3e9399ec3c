"""The request being served, for the audit trail: who acts and from which address.

Model signals know nothing of the request, so a middleware puts it in a context variable (one per thread and per
asyncio task, so concurrent requests never see each other's user).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

current_request: ContextVar[HttpRequest | None] = ContextVar("dondoc_audit_request", default=None)
current_user: ContextVar[Any] = ContextVar("dondoc_audit_user", default=None)


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    """Work done outside a request on behalf of someone — a queued import that the background worker runs — is
    recorded under that user (with no address: the worker is not where the user sat)."""
    token = current_user.set(user)
    try:
        yield
    finally:
        current_user.reset(token)


class AuditContextMiddleware:
    """Makes the current request (hence its user and address) known to the audit trail. Place after
    AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


def address_of(request: HttpRequest | None) -> str | None:
    """The client's IP address: REMOTE_ADDR, or — behind a trusted proxy (TRUST_X_FORWARDED_FOR=1) — the last
    address of X-Forwarded-For, the one our own proxy appended (earlier ones are whatever the client claimed)."""
    if request is None:
        return None
    raw = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            raw = forwarded.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def actor(request: HttpRequest | None = None) -> tuple[int | None, str, str | None]:
    """(user id, username, address) of whoever acts now; outside a request: the user of ``acting_as``, or no
    user (commands, the follow-up engine)."""
    request = request if request is not None else current_request.get()
    if request is None:
        behalf: Any = current_user.get()
        if behalf is not None and getattr(behalf, "is_authenticated", False):
            return behalf.pk, behalf.get_username(), None
        return None, "", None
    user: Any = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return user.pk, user.get_username(), address_of(request)
    return None, "", address_of(request)
