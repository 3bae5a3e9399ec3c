"""The address of an object's page by its id, without `django.urls.reverse` for each one.

A list page links every row to its page (a task, its lead unit, its directive): at ~20 µs a `reverse` (and ~40 µs a
`{% url %}` tag) that was a few milliseconds of every busy-hour page (issue 19). The address of a page whose only
argument is an integer id is the same text around the id: it is reversed once (for the current script prefix and
URLconf) and the id put in its place.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

_MARK = 918273645  # an id no row has, to find where the id goes in the reversed address


@lru_cache(maxsize=256)
def _around(viewname: str, prefix: str, urlconf: str | None) -> tuple[str, str]:
    url = reverse(viewname, args=[_MARK], urlconf=urlconf)
    before, mark, after = url.partition(str(_MARK))
    assert mark and str(_MARK) not in after, url
    return before, after


@lru_cache(maxsize=256)
def _reversed(viewname: str, prefix: str, urlconf: str | None) -> str:
    return reverse(viewname, urlconf=urlconf)


def url_of(viewname: str) -> str:
    """`reverse(viewname)` for a page without arguments (the menu's ten entries on every page), reversed once per
    script prefix and URLconf."""
    return _reversed(viewname, get_script_prefix(), get_urlconf())


def url_by_id(viewname: str, pk: int) -> str:
    """`reverse(viewname, args=[pk])` for a page whose one argument is an integer id."""
    return url_maker(viewname)(pk)


def url_maker(viewname: str) -> Callable[[int], str]:
    """`url_by_id` for many ids of one page kind (a list's rows): the address around the id looked up once."""
    before, after = _around(viewname, get_script_prefix(), get_urlconf())
    return lambda pk: f"{before}{int(pk)}{after}"
