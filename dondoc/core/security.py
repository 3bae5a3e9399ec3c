"""Response headers that Django 5.2 does not set by itself: the Content-Security-Policy.

The policy forbids inline scripts, inline styles and anything loaded from another origin, so an injected
``<script>`` or ``onclick=`` cannot run even if a template forgets to escape something. Templates therefore carry
no inline code: JavaScript lives in ``dondoc/static/js/`` and data reaches it through ``json_script``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

DEFAULT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
)


def policy() -> str:
    """The policy sent with every response (setting CONTENT_SECURITY_POLICY, or the strict default)."""
    return getattr(settings, "CONTENT_SECURITY_POLICY", "") or DEFAULT_POLICY


class ContentSecurityPolicyMiddleware:
    """Adds Content-Security-Policy to every response that does not already carry one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", policy())
        return response
