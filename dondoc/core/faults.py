"""What a user sees when the database is down: a Vietnamese "try again later" page with status 503, never a
stack trace, and no manual step to recover.

Recovery needs nothing from us: Django drops a connection that raised an error at the end of the request
(``close_if_unusable_or_obsolete``), so the first request after the database returns opens a fresh one.

Two places catch the error: the middleware's ``process_exception`` (errors raised by a view) and ``server_error``,
the project's ``handler500`` (errors raised inside another middleware, e.g. loading the session or the user, which
Django turns into a 500 before any outer middleware could see them).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views import defaults

log = logging.getLogger("dondoc.faults")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def unavailable() -> HttpResponse:
    """The 503 page. Rendered without the request, so no context processor touches the database."""
    response = HttpResponse(loader.render_to_string("core/503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Answers 503 (Vietnamese page) when a view fails because the database cannot be reached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            log.error("database unavailable: %s %s: %s", request.method, request.path, exception)
            return unavailable()
        return None


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: the 503 page when the error is the database's, Django's plain 500 page otherwise."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        log.error("database unavailable: %s %s: %s", request.method, request.path, error)
        return unavailable()
    response = defaults.server_error(request, template_name)
    return response if isinstance(response, HttpResponse) else HttpResponseServerError()
