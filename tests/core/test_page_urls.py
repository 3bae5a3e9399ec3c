"""`{% load page_urls %}` (issue 19): `{% static %}` and `{% url %}` that keep the addresses which do not change from
one request to the next write, byte for byte, what Django's tags write — tag by tag, and for the busy hour's whole
pages rendered once with them and once with Django's own (the library's name pointed at Django's `static`)."""

from __future__ import annotations

import copy
import re
from datetime import date

import pytest
from django.conf import settings
from django.template import Context, RequestContext, Template
from django.test import Client, RequestFactory, override_settings
from django.urls import resolve, reverse

from dondoc.core.templatetags import page_urls

pytestmark = pytest.mark.django_db

CASES = (
    "{% static 'css/dondoc.css' %}|{% static path %}|{% static 'a b&c.js' as s %}[{{ s }}]"
    "|{% url 'home' %}|{% url 'followup:inbox' %}|{% url 'tracking:task_list' %}"
    "|{% url 'tracking:task_detail' 7 %}|{% url 'tracking:task_list' as t %}[{{ t }}]|{% url name %}"
    "|{% autoescape off %}{% static 'x&y.css' %}{% url 'home' %}{% endautoescape %}"
)
KEPT = Template("{% load page_urls %}" + CASES)
DJANGOS = Template("{% load static %}" + CASES)


def test_each_tag_writes_what_djangos_writes():
    context = {"path": 'js/<x>&"y".js', "name": "directives:list"}
    page_urls._forget()
    for _ in range(2):  # looked up, then kept
        request = RequestFactory().get("/nhiem-vu/")
        request.resolver_match = resolve("/nhiem-vu/")
        for ctx in (Context(context), RequestContext(request, context)):
            kept, djangos = KEPT.render(copy.copy(ctx)), DJANGOS.render(copy.copy(ctx))
            assert kept == djangos
    assert "/nhiem-vu/7/" in kept and "js/%3Cx%3E%26%22y%22.js" in kept
    assert page_urls._STATIC and page_urls._URLS


def test_a_changed_setting_or_script_prefix_changes_the_addresses():
    from django.urls import set_script_prefix

    before = KEPT.render(Context({"path": "p.js", "name": "home"}))
    with override_settings(STATIC_URL="/tinh/"):
        changed = KEPT.render(Context({"path": "p.js", "name": "home"}))
        assert "/tinh/css/dondoc.css" in changed and changed == DJANGOS.render(
            Context({"path": "p.js", "name": "home"})
        )
    set_script_prefix("/don-doc/")
    try:
        prefixed = KEPT.render(Context({"path": "p.js", "name": "home"}))
        assert prefixed == DJANGOS.render(Context({"path": "p.js", "name": "home"}))
        assert "/don-doc/nhiem-vu/" in prefixed
    finally:
        set_script_prefix("/")
    assert KEPT.render(Context({"path": "p.js", "name": "home"})) == before


def _djangos_tags() -> dict:
    """The templates' settings with `{% load page_urls %}` loading Django's `static` (and so its `{% url %}`)."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["libraries"] = {"page_urls": "django.templatetags.static"}
    return {"TEMPLATES": templates}


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return CSRF.sub("", response.content.decode())


def test_the_busy_hours_pages_are_djangos_text(make_task, personas, registry, frozen):
    """The home pages (leader, City Office, unit officer), the task list, a task page and the dashboard are the
    same text with the kept addresses as with Django's tags; the leader's most-overdue units link to their pages."""
    from dondoc.org.models import Unit

    Unit.objects.filter(pk=registry["SXD"].pk).update(name='Sở <Xây> & "dựng"')
    task = make_task(content='Nội dung <b>&</b> "khẩn"', due_date=date(2026, 2, 10))
    make_task(content="Nhiệm vụ thứ hai", due_date=date(2026, 3, 1))
    pages = [
        (personas["leader"], "/"),
        (personas["leader"], "/danh-gia/"),
        (personas["tracker"], "/"),
        (personas["tracker"], "/nhiem-vu/"),
        (personas["tracker"], f"/nhiem-vu/{task.pk}/"),
        (personas["lead_officer"], "/"),
        (personas["lead_officer"], "/nhiem-vu/?bucket=overdue"),
        (personas["lead_officer"], f"/nhiem-vu/{task.pk}/"),
    ]
    with override_settings(**_djangos_tags()):  # the comparison's reference is Django's own tags
        from django.template import engines

        nodes = (
            engines["django"]
            .from_string("{% load page_urls %}{% static 'a' %}{% url 'home' %}")
            .template.nodelist
        )
        assert [type(n).__module__ for n in nodes[1:]] == [
            "django.templatetags.static",
            "django.template.defaulttags",
        ]
    for person, url in pages:
        client = Client()
        client.force_login(person.user)
        kept = _page(client, url)
        with override_settings(**_djangos_tags()):
            djangos = _page(client, url)
        assert kept == djangos, (person.user.username, url)
    client = Client()
    client.force_login(personas["leader"].user)
    home = _page(client, "/")
    unit_page = reverse("tracking:unit_detail", args=[registry["SXD"].pk])
    assert f'<a href="{unit_page}">Sở &lt;Xây&gt; &amp; &quot;dựng&quot;</a>' in home
