"""base.html's top menu written by `{% menu_entries %}` (issue 19) is, byte for byte, what its loops wrote: for
every persona's menu (the current page's entry marked), and for entries with texts to escape."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.template import Context, RequestContext, Template
from django.template.loader import get_template
from django.test import RequestFactory

from dondoc.menu import Entry, menu_for

pytestmark = pytest.mark.django_db

# base.html as it was, the reference
OLD = Template(
    '{% load static %}<!doctype html>\n<html lang="vi">\n<head>\n  <meta charset="utf-8">\n  <meta name="viewport" content="width=device-width, initial-scale=1">\n  <meta name="htmx-config" content=\'{"includeIndicatorStyles": false, "allowEval": false}\'>{# CSP: htmx must not inject a <style> #}\n  <link rel="icon" href="{% static \'favicon.ico\' %}" sizes="16x16 32x32 48x48">\n  <title>{% block title %}Đôn đốc{% endblock %} — Đôn đốc</title>\n  <link rel="stylesheet" href="{% static \'vendor/bootstrap/bootstrap.min.css\' %}">\n  <link rel="stylesheet" href="{% static \'vendor/tom-select/tom-select.bootstrap5.min.css\' %}">\n  <link rel="stylesheet" href="{% static \'css/dondoc.css\' %}">\n</head>\n<body>\n<a class="visually-hidden-focusable" href="#noi-dung">Bỏ qua thanh điều hướng</a>\n<nav class="navbar navbar-expand-md navbar-dark bg-primary mb-3" aria-label="Điều hướng chính">\n  <div class="container-fluid">\n    <a class="navbar-brand fw-bold" href="{% url \'home\' %}">Đôn đốc</a>\n    {% if user.is_authenticated %}\n    <button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#nav" aria-controls="nav" aria-expanded="false" aria-label="Mở menu">\n      <span class="navbar-toggler-icon"></span>\n    </button>\n    <div class="collapse navbar-collapse" id="nav">\n      <ul class="navbar-nav me-auto" id="menu-chinh">\n        {% for e in menu.bar %}<li class="nav-item"><a class="nav-link{% if request.path == e.url %} active{% endif %}"{% if request.path == e.url %} aria-current="page"{% endif %} href="{{ e.url }}">{{ e.label }}</a></li>\n        {% endfor %}{% if menu.more %}<li class="nav-item dropdown" id="menu-khac">\n          <a class="nav-link dropdown-toggle" href="#" role="button" data-bs-toggle="dropdown" aria-expanded="false">Khác</a>\n          <ul class="dropdown-menu">{% for e in menu.more %}\n            <li><a class="dropdown-item" href="{{ e.url }}">{{ e.label }}</a></li>{% endfor %}\n          </ul>\n        </li>{% endif %}\n      </ul>\n      {% if unread_notifications is not None %}<a class="nav-link text-white me-3 text-nowrap" id="notification-badge" href="{% url \'followup:inbox\' %}" aria-label="Thông báo: {{ unread_notifications }} chưa đọc">Thông báo <span class="badge {% if unread_notifications %}text-bg-danger{% else %}text-bg-light{% endif %}" id="unread-count">{{ unread_notifications }}</span></a>{% endif %}\n      {% if menu.account %}<div class="dropdown me-3" id="menu-tai-khoan">\n        <a class="nav-link text-white dropdown-toggle nav-user" href="#" role="button" data-bs-toggle="dropdown" aria-expanded="false" title="{{ user.get_full_name|default:user.username }}">{{ user.get_full_name|default:user.username }}</a>\n        <ul class="dropdown-menu dropdown-menu-end">{% for e in menu.account %}\n          <li><a class="dropdown-item" href="{{ e.url }}">{{ e.label }}</a></li>{% endfor %}\n        </ul>\n      </div>{% else %}<span class="navbar-text me-3 nav-user" title="{{ user.get_full_name|default:user.username }}">{{ user.get_full_name|default:user.username }}</span>{% endif %}\n      <form method="post" action="{% url \'logout\' %}" class="d-inline">{% csrf_token %}\n        <button class="btn btn-outline-light btn-sm text-nowrap" type="submit">Đăng xuất</button>\n      </form>\n    </div>\n    {% endif %}\n  </div>\n</nav>\n<main id="noi-dung" class="container-fluid pb-5">\n  {% for message in messages %}\n  <div class="alert alert-{% if message.tags == \'error\' %}danger{% else %}{{ message.tags|default:\'info\' }}{% endif %}" role="alert">{{ message }}</div>\n  {% endfor %}\n  {% block content %}{% endblock %}\n</main>\n<script src="{% static \'vendor/bootstrap/bootstrap.bundle.min.js\' %}"></script>\n<script src="{% static \'vendor/htmx/htmx.min.js\' %}"></script>\n<script src="{% static \'vendor/tom-select/tom-select.complete.min.js\' %}"></script>\n<script src="{% static \'js/typeahead.js\' %}"></script>\n<script src="{% static \'js/form-errors.js\' %}"></script>\n</body>\n</html>\n'
)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _both(user, path: str, menu: dict | None = None) -> tuple[str, str]:
    """base.html, new and old, for `user` at `path`: with the context processors' menu, or with `menu` given (in
    a plain context: the processors would replace it)."""
    request = RequestFactory().get(path)
    request.user = user
    new = get_template("base.html").template
    contexts = [
        RequestContext(request) if menu is None else Context({"request": request, "user": user, "menu": menu})
        for _ in range(2)
    ]
    return tuple(CSRF.sub("", t.render(c)) for t, c in zip((new, OLD), contexts, strict=True))  # type: ignore[return-value]


def test_every_personas_menu_is_the_templates_text(personas):
    superuser = User.objects.create_superuser("quantri.menu", "q@example.com", "x")
    compared = 0
    for user in [*(p.user for p in personas.values()), superuser]:
        bar = menu_for(user)["bar"]
        for path in ("/", bar[1].url, "/khong-co/"):
            new, old = _both(user, path)
            assert new == old, (user.username, path)
            compared += 1
    assert compared == 3 * (len(personas) + 1)
    new, _ = _both(superuser, "/")
    assert 'id="menu-khac"' in new and 'class="nav-link active" aria-current="page" href="/"' in new


def test_odd_entries_are_escaped_as_the_template_did(personas):
    odd = {
        "bar": [Entry("a", 'Trang <"chủ"> & co', "/?a=1&b=<2>"), Entry("b", "Hai", "/hai/")],
        "more": [Entry("c", "Ba & <bốn>", '/ba/?"x"')],
        "account": [],
    }
    for path in ("/?a=1&b=<2>", "/hai/"):
        new, old = _both(personas["tracker"].user, path, menu=odd)
        assert new == old
    assert "Trang &lt;&quot;chủ&quot;&gt; &amp; co" in new
    new, old = _both(personas["tracker"].user, "/", menu={"bar": [], "more": [], "account": []})
    assert new == old
