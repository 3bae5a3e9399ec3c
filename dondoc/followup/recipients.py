"""Who receives a step of the ladder (DOMAIN.md §7: the officer, then the unit head, the City Office, the leader).

- Officer level (before a deadline): the officer the head named for the task (*cán bộ thực hiện*), or — when nobody
  was named — the unit's tracking contact (`TrackingContact`), or when it has none every active officer of the unit;
  a unit with no officer at all: its head (a reminder must reach someone).
- Unit level (on the day and after): the officer level and the unit's current head (the accountable head recorded
  at assignment if the unit has no active head now). For an input deadline, the coordinating unit's people.
- City Office (*VP UBND*): every active tracking officer.
- Leader in charge (*lãnh đạo phụ trách*): a task records no leader of its own, but its directive records who
  signed it; the leader whose name is the directive's signer is the one who assigned it and is in charge. When no
  leader account bears that name, the active leaders of the directive's issuing body (e.g. UBND Thành phố) are told.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from dondoc.core.text import fold
from dondoc.followup import ladder
from dondoc.followup.models import TrackingContact
from dondoc.org.models import Person


@dataclass
class Directory:
    """The people of the units in a batch, the tracking officers and the leaders, read once."""

    officers: dict[int, list[int]] = field(default_factory=dict)  # unit → active officers
    heads: dict[int, int] = field(default_factory=dict)  # unit → current head
    contacts: dict[int, int] = field(default_factory=dict)  # unit → tracking contact
    active: set[int] = field(default_factory=set)
    office: list[int] = field(default_factory=list)
    leaders: list[tuple[int, int, str]] = field(default_factory=list)  # (person, unit, folded name)
    directives: dict[int, tuple[str, int]] = field(
        default_factory=dict
    )  # directive → (folded signer, issuer)

    @classmethod
    def load(
        cls,
        unit_ids: Iterable[int],
        directives: Mapping[int, tuple[str, int]],
        city: Directory | None = None,
    ) -> Directory:
        """The people of these units; the directives' signers and issuing bodies (directive → (signer,
        issuer), as `texts.info_of` gives them); the City Office and the leaders taken from `city` (a directory
        loaded earlier, e.g. for the pass's previous batch) when given, else read."""
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
        d.contacts = dict(
            TrackingContact.objects.filter(unit_id__in=set(unit_ids), person__active=True).values_list(
                "unit_id", "person_id"
            )
        )
        if city is not None:
            d.office, d.leaders = city.office, city.leaders
        else:
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
        for pk, (signer, issuer) in directives.items():
            d.directives[pk] = (fold(signer) if signer else "", issuer)
        return d

    def officer_people(self, unit_id: int, officer_id: int | None = None) -> list[int]:
        """The named officer, else the unit's tracking contact, else its active officers."""
        if officer_id is not None and officer_id in self.active:
            return [officer_id]
        if unit_id in self.contacts:
            return [self.contacts[unit_id]]
        return list(self.officers.get(unit_id, ()))

    def head(self, unit_id: int, head_id: int | None = None) -> int | None:
        return self.heads.get(unit_id) or (head_id if head_id in self.active else None)

    def unit_people(
        self, unit_id: int, officer_id: int | None = None, head_id: int | None = None
    ) -> list[int]:
        out = self.officer_people(unit_id, officer_id)
        head = self.head(unit_id, head_id)
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
            unit_id, officer_id, head_id = step.unit_id, None, None  # the coordinating unit's people
        else:
            unit_id, officer_id, head_id = (
                task["lead_unit_id"],
                task["officer_id"],
                task["accountable_head_id"],
            )
        if step.audience == ladder.OFFICER:
            head = self.head(unit_id, head_id)
            return self.officer_people(unit_id, officer_id) or ([head] if head is not None else [])
        return self.unit_people(unit_id, officer_id, head_id)
