"""Loading the unit registry and re-homing a merged unit's tasks."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.db import transaction

from dondoc.core.text import fold
from dondoc.org.models import Unit

CSV_PATH = Path(__file__).with_name("hanoi_units.csv")


@transaction.atomic
def load_units(path: Path = CSV_PATH, model: Any = Unit) -> int:
    """Create or update the units of the registry CSV (code, abbr, name, kind, parent); returns the row count.

    Written in bulk (a few statements, not one per unit): it runs in the data migration that gives every install
    the registry (`model` is then the migration's historical Unit) and again after a test flush. A column of the
    CSV that `model` does not have yet (an older migration state) is skipped."""
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    Unit = model  # noqa: N806 — the real or the historical model
    has = {f.name for f in Unit._meta.get_fields()}
    existing = {u.code: u for u in Unit.objects.all()}
    fields = tuple(f for f in ("abbr", "name", "kind", "identifier") if f in has and f in rows[0])
    created, changed = [], []
    for row in rows:
        unit = existing.get(row["code"])
        if unit is None:
            unit = Unit(code=row["code"], **{f: row[f] for f in fields})
            created.append(unit)
        elif any(getattr(unit, f) != row[f] for f in fields):
            for f in fields:
                setattr(unit, f, row[f])
            changed.append(unit)
        unit.search = fold(f"{unit.name} {unit.abbr} {unit.code} {getattr(unit, 'identifier', '')}")
    Unit.objects.bulk_create(created)
    Unit.objects.bulk_update(
        changed, [*fields, "search"]
    )  # fields: what `model` has of abbr, name, kind, identifier
    by_code = {u.code: u for u in Unit.objects.all()}
    moves: dict[int, list[int]] = {}  # parent id → the units to put under it (one UPDATE per parent)
    for row in rows:
        unit = by_code[row["code"]]
        parent = by_code.get(row["parent"]) if row["parent"] else None
        if row["parent"] and parent is None:
            raise Unit.DoesNotExist(f"parent {row['parent']} of {row['code']} is not in the registry")
        if parent is not None and unit.parent_id != parent.id:
            moves.setdefault(parent.id, []).append(unit.id)
    for parent_id, ids in moves.items():
        Unit.objects.filter(id__in=ids).update(parent_id=parent_id)
    return len(rows)
