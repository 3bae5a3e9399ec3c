"""The register's filters, shared by the register page and the API."""

from __future__ import annotations

from typing import Any

from dondoc.core.text import fold
from dondoc.directives.models import DirectiveQuerySet


def filter_directives(qs: DirectiveQuerySet, data: dict[str, Any]) -> DirectiveQuerySet:
    """Apply the register's filters (cleaned `DirectiveFilterForm` data): words of the number, symbol or subject,
    the assigning authority, the year and the type of document."""
    if q := fold(data.get("q")):
        qs = qs.filter(search__contains=q)
    if data.get("authority"):
        qs = qs.filter(authority=data["authority"])
    if data.get("year"):
        qs = qs.filter(year=data["year"])
    if data.get("doc_type"):
        qs = qs.filter(doc_type=data["doc_type"])
    return qs
