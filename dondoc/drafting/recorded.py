"""The registry's part that lives in the database: the successors the City Office recorded for former units.

Imports only the `org` models, so that `dondoc check` can read it with the few apps it sets up (`checkcli`).
"""

from __future__ import annotations

from dondoc.drafting.registry import heir_keys
from dondoc.org.models import Unit


def recorded_heirs() -> dict[str, tuple[str, ...]]:
    """The successors recorded in the database for each former unit (the migration's and those the City Office
    entered on the merger/split page), by the keys the draft checker knows the former unit by; {} without a
    database (`dondoc check` on a desk), so that the shipped list answers."""
    try:
        units = list(Unit.objects.filter(valid_to__isnull=False).prefetch_related("successors"))
    except Exception:  # noqa: BLE001 — no database, not migrated, or not allowed here: the shipped list answers
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for unit in units:
        names = tuple(sorted(s.name for s in unit.successors.all()))
        if names:
            out.update(dict.fromkeys(heir_keys(unit.name), names))
    return out
