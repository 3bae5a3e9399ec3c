"""Every set of roles is written once, in `dondoc/org/roles.py` (issue 18): a page or a rule names the set."""

from __future__ import annotations

import ast
from pathlib import Path

from dondoc.org import roles
from dondoc.org.models import Person

SOURCE = Path(__file__).resolve().parents[2] / "dondoc"


def _is_role(node: ast.expr) -> bool:
    """`Role.X`, `Person.Role.X` or `self.Role.X` (the person's roles, not an inspection team's)."""
    if not isinstance(node, ast.Attribute) or not isinstance(node.value, (ast.Attribute, ast.Name)):
        return False
    owner = node.value
    if isinstance(owner, ast.Name):
        return owner.id == "Role"
    return owner.attr == "Role" and not (isinstance(owner.value, ast.Name) and owner.value.id == "TeamMember")


def role_sets_written_outside_roles() -> list[str]:
    found = []
    for path in SOURCE.rglob("*.py"):
        if path == SOURCE / "org" / "roles.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            elements = (
                getattr(node, "elts", None) if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else None
            )
            if elements is None and isinstance(node, ast.Call):
                elements = node.args  # require_role(Role.A, Role.B)
            if elements and sum(_is_role(e) for e in elements) >= 2:
                found.append(f"{path.relative_to(SOURCE)}:{node.lineno}")
    return found


def test_no_set_of_roles_is_written_outside_the_role_module():
    assert role_sets_written_outside_roles() == [], "name the set in dondoc/org/roles.py and import it"


def test_the_city_office_is_the_tracking_officer_and_the_administrator():
    assert roles.CITY_OFFICE == {Person.Role.TRACKING_OFFICER, Person.Role.ADMIN}
    assert roles.SEES_EVERYTHING == set(Person.Role) - roles.UNIT_PEOPLE
