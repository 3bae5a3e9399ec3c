"""From a checked draft to the register: prefilling the forms and registering the directive with its tasks.

Registration is one transaction: the directive, every task (through `tracking.actions.create_task`, so each writes
its history row) and, when asked, their assignment (`tracking.actions.assign`, as the directive page's "Giao"
button does). A refused row rolls everything back: nothing is half-registered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from dondoc.directives.models import Authority, Directive
from dondoc.directives.notation import NotationError, parse_notation
from dondoc.drafting.deadlines import Deadline
from dondoc.drafting.extract import Document, Task
from dondoc.drafting.recorded import recorded_heirs as recorded_heirs  # the pages read it from here
from dondoc.drafting.registry import get_registry
from dondoc.org.models import Unit
from dondoc.tracking import actions

#: The assigning level follows from the issuing body's kind.
AUTHORITY_OF_KIND = {
    Unit.Kind.GOVERNMENT: Authority.GOVERNMENT,
    Unit.Kind.PRIME_MINISTER: Authority.PRIME_MINISTER,
    Unit.Kind.PARTY_COMMITTEE: Authority.PARTY_COMMITTEE,
    Unit.Kind.PEOPLES_COUNCIL: Authority.PEOPLES_COUNCIL,
    Unit.Kind.CITY_COMMITTEE: Authority.CITY_COMMITTEE,
    Unit.Kind.CHAIRMAN: Authority.CHAIRMAN,
}
#: Resolutions that name one unit of the registry (a former unit re-homed to its successor included).
RESOLVED = ("current", "successor")


def issuer_of(doc: Document) -> Unit | None:
    """The issuing body: the registry's reading of the header, else the issuer code of the number/symbol."""
    reg = get_registry()
    if doc.meta.issuer:
        res = reg.resolve(doc.meta.issuer)
        if res.status in RESOLVED and res.code:
            unit = Unit.objects.filter(code=res.code).first()
            if unit is not None:
                return unit
    if doc.meta.number:
        try:
            code = parse_notation(doc.meta.number).issuer
        except NotationError:
            return None
        units = list(Unit.objects.filter(abbr=code, valid_to__isnull=True)[:2])
        if len(units) == 1:
            return units[0]
    return None


def directive_initial(doc: Document) -> dict[str, Any]:
    """The register entry as far as the draft states it; the officer completes the rest."""
    meta = doc.meta
    issuer = issuer_of(doc)
    return {
        "notation": meta.number or "",
        "issued_on": meta.date.strftime("%d/%m/%Y") if meta.date else "",  # as the officer types it
        "issuer": issuer.pk if issuer else None,
        "authority": AUTHORITY_OF_KIND.get(issuer.kind, "") if issuer else "",  # type: ignore[call-overload]
        "subject": meta.subject or "",
    }


def _as_form_deadline(d: Deadline | None) -> str:
    """A deadline in the form the register reads: a date, "N ngày làm việc", or empty.

    A period ("trong quý III/2020") ends on its last day; a recurring one has no completion date (it becomes the
    report deadline "trước ngày 25 hằng tháng" when it is a day of every month).
    """
    if d is None or d.kind == "none" or d.vague:
        return ""
    if d.kind == "recurring":
        return ""
    if d.working_days is not None:
        return f"{d.working_days} ngày làm việc"
    return d.day.strftime("%d/%m/%Y") if d.day else ""


def _report_deadline(task: Task) -> str:
    rd = task.report_deadline
    if rd is None or rd.vague:
        return ""
    if rd.kind == "recurring" and rd.value and rd.value.startswith("monthly; day "):
        return f"trước ngày {rd.value.rsplit(' ', 1)[-1]} hằng tháng"
    return _as_form_deadline(rd)


def _due_text(task: Task) -> str:
    """How the draft wrote the completion deadline; a cycle that is only the report deadline is not one."""
    d = task.deadline
    if d.kind == "recurring" and task.report_deadline is d:
        return ""
    return (d.raw or "")[:200]


def _units(names: Iterable[str], local: bool) -> list[Unit]:
    reg = get_registry()
    codes = []
    for name in names:
        res = reg.resolve(name, local=local)
        if res.status in RESOLVED and res.code:
            codes.append(res.code)
    by_code = {u.code: u for u in Unit.objects.assignable().filter(code__in=codes)}
    return [by_code[c] for c in dict.fromkeys(codes) if c in by_code]


def task_initial(doc: Document) -> list[dict[str, Any]]:
    """One row per extracted task. The lead is prefilled only when the clause names exactly one unit of the
    registry that may lead a task; a collective, several units or an unknown one leave it blank, so the officer
    must choose (dispatch 3031: one task, one lead)."""
    rows = []
    for task in doc.tasks:
        lead: Unit | None = None
        if len(task.resolutions) == 1 and not task.collective:
            found = _units([task.resolutions[0].written], doc.local)
            lead = found[0] if found else None
        coordinators = [u for u in _units(task.coordinators, doc.local) if lead is None or u.pk != lead.pk]
        rows.append(
            {
                "content": " ".join(task.text.split()),
                "lead_unit": lead.pk if lead else None,
                "coordinating_units": [u.pk for u in coordinators],
                "deadline": _as_form_deadline(task.deadline),
                "due_text": _due_text(task),
                "report_deadline": _report_deadline(task),
                "must_report": bool(task.report.get("required")),
                "must_submit": task.submit,
                "requirements": "\n".join(task.requirements),
                "secret": False,
            }
        )
    return rows


@dataclass(frozen=True)
class Registered:
    directive: Directive
    tasks: int
    assigned: int


@transaction.atomic
def register(
    directive_form: Any, task_forms: list[Any], user: Any, *, full_text: str, assign_now: bool
) -> Registered:
    """Save the directive and every task form in one transaction; assign them when asked.

    The forms must be valid. Any error raised below (a lead among its coordinators caught by the domain function,
    a duplicate registered meanwhile) rolls the whole registration back.
    """
    directive_form.instance.full_text = full_text
    directive = directive_form.save()
    assigned = 0
    for form in task_forms:
        form.directive = directive
        task = form.save(user)
        if assign_now:
            actions.assign(task, user)
            assigned += 1
    return Registered(directive, len(task_forms), assigned)
