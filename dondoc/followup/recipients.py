"""Who receives a step of the ladder (DOMAIN.md §7: the officer, then the unit head, the City Office, the leader).

- Unit level (*đơn vị*): the officer the head named for the task (*cán bộ thực hiện*), or — when nobody was named —
  every active officer of the unit; and the unit's current head (the accountable head recorded at assignment if
  the unit has no active head now). For an input deadline, the coordinating unit's officers and head.
- City Office (*VP UBND*): every active tracking officer.
- Leader in charge (*lãnh đạo phụ trách*): a task records no leader of its own, but its directive records who
  signed it; the leader whose name is the directive's signer is the one who assigned it and is in charge. When no
  leader account bears that name, the active leaders of the directive's issuing body (e.g. UBND Thành phố) are told.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from dondoc.core.text import fold
from dondoc.directives.models import Directive
from dondoc.followup import ladder
from dondoc.org.models import Person


@dataclass
class Directory:
    """The people of the units in a batch, the tracking officers and the leaders, read once."""

    officers: dict[int, list[int]] = field(default_factory=dict)  # unit → active officers
    heads: dict[int, int] = field(default_factory=dict)  # unit → current head
    active: set[int] = field(default_factory=set)
    office: list[int] = field(default_factory=list)
    leaders: list[tuple[int, int, str]] = field(default_factory=list)  # (person, unit, folded name)
    directives: dict[int, tuple[str, int]] = field(
        default_factory=dict
    )  # directive → (folded signer, issuer)

    @classmethod
    def load(cls, unit_ids: Iterable[int], directive_ids: Iterable[int]) -> Directory:
        d = cls()
        officers: dict[int, list[int]] = defaultdict(list)
        people = Person.objects.filter(unit_id__in=set(unit_ids), active=True).order_by("id")
        for pk, unit_id, position in people.values_list("id", "unit_id", "position"):
            d.active.add(pk)
            if position == Person.Position.HEAD:
                d.heads.setdefault(unit_id, pk)
            elif position == Person.Position.OFFICER:
                officers[unit_id].append(pk)
        d.officers = dict(officers)
        d.office = list(
            Person.objects.filter(role=Person.Role.TRACKING_OFFICER, active=True)
            .order_by("id")
            .values_list("id", flat=True)
        )
        d.leaders = [
            (pk, unit_id, fold(name))
            for pk, unit_id, name in Person.objects.filter(role=Person.Role.LEADER, active=True)
            .order_by("id")
            .values_list("id", "unit_id", "full_name")
        ]
        for pk, signer, issuer in Directive.objects.filter(pk__in=set(directive_ids)).values_list(
            "id", "signer_name", "issuer_id"
        ):
            d.directives[pk] = (fold(signer) if signer else "", issuer)
        return d

    def unit_people(
        self, unit_id: int, officer_id: int | None = None, head_id: int | None = None
    ) -> list[int]:
        out = [officer_id] if officer_id in self.active else list(self.officers.get(unit_id, ()))
        head = self.heads.get(unit_id) or (head_id if head_id in self.active else None)
        if head is not None:
            out.append(head)
        return list(dict.fromkeys(out))

    def leader_in_charge(self, directive_id: int) -> list[int]:
        signer, issuer = self.directives.get(directive_id, ("", 0))
        if signer:
            named = [pk for pk, _unit, name in self.leaders if name == signer]
            if named:
                return named
        return [pk for pk, unit, _name in self.leaders if unit == issuer]

    def for_step(self, step: ladder.Step, task: dict) -> list[int]:
        """The people who receive `step` of the task described by `task` (a row of facts.FACT_FIELDS)."""
        if step.audience == ladder.OFFICE:
            return list(self.office)
        if step.audience == ladder.LEADER:
            return self.leader_in_charge(task["directive_id"])
        if step.kind == ladder.INPUT and step.unit_id is not None:
            return self.unit_people(step.unit_id)
        return self.unit_people(task["lead_unit_id"], task["officer_id"], task["accountable_head_id"])
