"""The rows' fast links and dates (issue 19) are exactly what `reverse`, `{% url %}` and `|date:"d/m/Y"` give."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from dondoc.core.links import url_by_id, url_of


@pytest.mark.parametrize("viewname", ["tracking:task_detail", "tracking:unit_detail", "directives:detail"])
@pytest.mark.parametrize("pk", [1, 7, 1234567, 918273645])
def test_url_by_id_is_reverse(viewname, pk):
    assert url_by_id(viewname, pk) == reverse(viewname, args=[pk])


def test_url_by_id_follows_the_script_prefix():
    try:
        set_script_prefix("/dondoc/")
        assert url_by_id("tracking:task_detail", 5) == reverse("tracking:task_detail", args=[5])
        assert url_by_id("tracking:task_detail", 5).startswith("/dondoc/")
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize(
    "viewname", ["home", "tracking:task_list", "evaluation:dashboard", "api:tokens", "otp_setup"]
)
def test_url_of_is_reverse_and_follows_the_script_prefix(viewname):
    """The menu's addresses (`menu._allowed`), reversed once per script prefix: what `reverse` gives."""
    assert url_of(viewname) == reverse(viewname)
    try:
        set_script_prefix("/dondoc/")
        assert url_of(viewname) == reverse(viewname) and url_of(viewname).startswith("/dondoc/")
    finally:
        set_script_prefix("/")
    assert url_of(viewname) == reverse(viewname)


@pytest.mark.parametrize(
    "value",
    [
        date(2026, 3, 9),
        date(1999, 12, 31),
        None,
        "",
        datetime(2026, 3, 9, 23, 30, tzinfo=ZoneInfo("UTC")),  # 10/03 in Hà Nội
    ],
)
def test_dmy_is_the_date_filter(value):
    fast = Template('{% load tracking %}{{ v|dmy|default:"—" }}|{{ 5|unit_url }}')
    django = Template('{{ v|date:"d/m/Y"|default:"—" }}|{% url \'tracking:unit_detail\' 5 %}')
    assert fast.render(Context({"v": value})) == django.render(Context({"v": value}))
