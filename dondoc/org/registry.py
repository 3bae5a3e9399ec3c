"""Loading the unit registry and re-homing a merged unit's tasks."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from dondoc.org.models import Unit

CSV_PATH = Path(__file__).with_name("hanoi_units.csv")


@transaction.atomic
def load_units(path: Path = CSV_PATH) -> int:
    """Create or update the units of the registry CSV (code, abbr, name, kind, parent); returns the row count."""
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_code: dict[str, Unit] = {}
    for row in rows:
        unit, _created = Unit.objects.update_or_create(
            code=row["code"], defaults={"abbr": row["abbr"], "name": row["name"], "kind": row["kind"]}
        )
        by_code[unit.code] = unit
    for row in rows:
        if row["parent"]:
            unit = by_code[row["code"]]
            unit.parent = by_code.get(row["parent"]) or Unit.objects.get(code=row["parent"])
            unit.save(update_fields=["parent", "search"])
    return len(rows)
