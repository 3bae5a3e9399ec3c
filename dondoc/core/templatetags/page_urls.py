"""`{% static %}` and `{% url %}` as Django's, the addresses that do not change from one request to the next
looked up once per process (`{% load page_urls %}` in place of `{% load static %}`).

Every page writes nine static files' addresses (base.html) and three or more addresses of pages without arguments
(the home page, the notifications, the logout form's): ~14 µs a `{% static %}` and ~20–30 µs a `{% url %}`, ~0.2 ms
of every page (issue 19). A static file's address is the storage's for that name (kept by the name and the script
prefix; emptied when a setting changes, as tests do). A `{% url %}` with no arguments and no `as` is `reverse` of the
same name, current application, script prefix and URLconf: kept by those four, any other `{% url %}` is Django's.
Neither depends on the reader: an address is the same text for everyone.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

_STATIC: dict[tuple[str, str], str] = {}
_URLS: dict[tuple[str, str | None, str, Any], str] = {}
MAX_KEPT = 1024


@receiver(setting_changed)
def _forget(**_: Any) -> None:
    """A changed setting (STATIC_URL, STORAGES, ROOT_URLCONF…) may change any address."""
    _STATIC.clear()
    _URLS.clear()


def _keep(table: dict[Any, str], key: Any, value: str) -> str:
    if len(table) >= MAX_KEPT:
        table.clear()
    table[key] = value
    return value


class KeptStaticNode(StaticNode):
    def url(self, context: template.Context) -> str:
        path = self.path.resolve(context)
        key = (path, get_script_prefix())
        found = _STATIC.get(key)
        return found if found is not None else _keep(_STATIC, key, self.handle_simple(path))


@register.tag("static")
def static(parser: template.base.Parser, token: template.base.Token) -> StaticNode:
    """Django's `{% static path [as name] %}`, the address kept by path."""
    return KeptStaticNode.handle_token(parser, token)


class KeptURLNode(URLNode):
    """A `{% url 'name' %}` without arguments nor `as`: URLNode.render's `reverse`, kept."""

    def render(self, context: template.Context) -> str:
        view_name = self.view_name.resolve(context)
        request = getattr(context, "request", None)
        try:
            current_app = request.current_app  # type: ignore[union-attr]
        except AttributeError:
            try:
                current_app = request.resolver_match.namespace  # type: ignore[union-attr]
            except AttributeError:
                current_app = None
        key = (view_name, current_app, get_script_prefix(), get_urlconf())
        found = _URLS.get(key)
        if found is None:
            found = _keep(_URLS, key, reverse(view_name, current_app=current_app))
        return conditional_escape(found) if context.autoescape else found


@register.tag("url")
def url(parser: template.base.Parser, token: template.base.Token) -> URLNode:
    """Django's `{% url %}`; one without arguments nor `as` kept (`KeptURLNode`)."""
    node = django_url(parser, token)
    if node.args or node.kwargs or node.asvar:
        return node
    return KeptURLNode(node.view_name, [], {}, None)
