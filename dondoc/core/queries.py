"""Helpers of list pages shared by the apps: a list's filters and its pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

QS = TypeVar("QS", bound=QuerySet[Any])

#: The query parameter of a list's page number (``?trang=2``).
PAGE_PARAM = "trang"


def filter_given(qs: QS, data: Mapping[str, Any], lookups: Mapping[str, str]) -> QS:
    """Narrow `qs` by each filter given in `data` (a form's cleaned data): `lookups` maps the form's field to the
    lookup it filters on; a filter left empty narrows nothing."""
    for field, lookup in lookups.items():
        if data.get(field):
            qs = qs.filter(**{lookup: data[field]})
    return qs


def paged(request: HttpRequest, items: Any, size: int, count: int | None = None) -> tuple[Page, QueryDict]:
    """The page of `items` the request asks for (`?trang=`, the last one when past it) and the request's other
    parameters, which the page links keep. `count`: the number of `items` when the caller knows it already (no
    count query of its own)."""
    paginator = Paginator(items, size)
    if count is not None:
        paginator.count = count  # type: ignore[misc]  # a cached property: set, it is not computed
    page = paginator.get_page(request.GET.get(PAGE_PARAM))
    query = request.GET.copy()
    query.pop(PAGE_PARAM, None)
    return page, query
