"""Browsable API docs served from vendored Swagger UI: no CDN, no inline script (the CSP forbids both)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase


class LocalSwagger(DocsBase):
    """Swagger UI from `static/vendor/swagger-ui/`, started by `static/js/api-docs.js` with settings passed as
    JSON data (`json_script`), never as code."""

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        settings = {"url": self.get_openapi_url(api, kwargs), "layout": "BaseLayout", "deepLinking": True}
        return render(request, "api/docs.html", {"api": api, "swagger_settings": settings})
