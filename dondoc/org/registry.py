"""Loading the unit registry (the current units and the former ones) from its CSV files; a merged unit's tasks
move with `tracking.actions.rehome_unit_tasks`."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from dondoc.core.text import fold
from dondoc.org.models import Unit

CSV_PATH = Path(__file__).with_name("hanoi_units.csv")
FORMER_CSV_PATH = Path(__file__).with_name("hanoi_former_units.csv")
#: The day Hanoi's districts, the town of Sơn Tây and their wards and communes gave way to the 126 wards and
#: communes directly under the city (Resolution 1656/NQ-UBTVQH15 of 16/06/2025, in force 01/07/2025).
COMMUNE_REFORM = date(2025, 7, 1)


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
    if "successors" in has:  # the former units come with the registry (not in older migration states)
        load_former_units(model=Unit)
    return len(rows)


@transaction.atomic
def load_former_units(path: Path = FORMER_CSV_PATH, model: Any = Unit) -> int:
    """The units that ended (`hanoi_former_units.csv`: code, name, kind, parent, valid_to, successors — registry
    codes separated by spaces —, source) and the start of the wards and communes that followed them; returns the
    row count. Idempotent and additive: a unit is created when its code is missing, its end date and the start of
    the wards and communes (01/07/2025) are set only where empty, successors are only added — what an
    administrator entered stays. Runs in a data migration (`model` the historical Unit) and after a test flush."""
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    Unit = model  # noqa: N806 — the real or the historical model
    with CSV_PATH.open(encoding="utf-8") as fh:
        new_local = [r["code"] for r in csv.DictReader(fh) if r["kind"] in ("ward", "commune")]
    Unit.objects.filter(code__in=new_local, valid_from__isnull=True).update(valid_from=COMMUNE_REFORM)
    existing = set(Unit.objects.filter(code__in=[r["code"] for r in rows]).values_list("code", flat=True))
    parents = dict(Unit.objects.filter(code__in={r["parent"] for r in rows}).values_list("code", "id"))
    created = []
    for row in rows:
        if row["code"] in existing:
            continue
        unit = Unit(
            code=row["code"], name=row["name"], kind=row["kind"], parent_id=parents.get(row["parent"])
        )
        unit.search = fold(f"{unit.name} {unit.code}")
        created.append(unit)
    Unit.objects.bulk_create(created)
    by_code = dict(Unit.objects.values_list("code", "id"))
    for row in rows:
        Unit.objects.filter(code=row["code"], valid_to__isnull=True).update(
            valid_to=date.fromisoformat(row["valid_to"])
        )
    Through = Unit.successors.through  # noqa: N806
    links = [
        Through(from_unit_id=by_code[row["code"]], to_unit_id=by_code[code])
        for row in rows
        for code in row["successors"].split()
    ]
    have = set(Through.objects.values_list("from_unit_id", "to_unit_id"))
    Through.objects.bulk_create([t for t in links if (t.from_unit_id, t.to_unit_id) not in have])
    return len(rows)
