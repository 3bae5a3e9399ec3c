"""The register's filters, shared by the register page and the API."""

from __future__ import annotations

from typing import Any

from dondoc.core.queries import filter_given
from dondoc.core.text import fold
from dondoc.directives.models import DirectiveQuerySet


def filter_directives(qs: DirectiveQuerySet, data: dict[str, Any]) -> DirectiveQuerySet:
    """Apply the register's filters (cleaned `DirectiveFilterForm` data): words of the number, symbol or subject,
    the assigning authority, the year and the type of document."""
    if q := fold(data.get("q")):
        qs = qs.filter(search__contains=q)
    return filter_given(qs, data, {"authority": "authority", "year": "year", "doc_type": "doc_type"})
