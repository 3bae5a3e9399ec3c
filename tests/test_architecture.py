"""The floors of the house (DESIGN.md, "Layout"): a room imports only rooms on its own floor or below.

The imports are read from the source (ast), lazy imports inside functions included. The upward imports that exist
today are listed in KNOWN_UPWARD with the move that will end each (issue 18); the test fails on any new one, and
also when a listed one is gone, so that the list only shrinks.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "dondoc"

FLOORS = {
    # ground: pure helpers
    "core": 0,
    # the domain
    "workdays": 1,
    "org": 1,
    "directives": 1,
    "tracking": 1,
    "audit": 1,
    # features
    "followup": 2,
    "documents": 2,
    "drafting": 2,
    "evaluation": 2,
    "inspection": 2,
    # edges
    "api": 3,
    "accounts": 3,
    "ops": 3,
    "demo": 3,
}

# (importing file relative to dondoc/, imported module) → the move that removes it.
KNOWN_UPWARD = {}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            if node.module == "dondoc":
                found.update(f"dondoc.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def upward_imports() -> set[tuple[str, str]]:
    upward = set()
    for path in SOURCE.rglob("*.py"):
        parts = path.relative_to(SOURCE).parts
        if len(parts) < 2 or "migrations" in parts or parts[0] not in FLOORS:
            continue
        for module in _imports(path):
            target = module.split(".")
            if target[0] == "dondoc" and len(target) > 1 and target[1] in FLOORS:
                if FLOORS[target[1]] > FLOORS[parts[0]]:
                    upward.add(("/".join(parts), module))
    return upward


def test_every_app_is_on_a_floor():
    apps = {p.name for p in SOURCE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert apps == set(FLOORS), "FLOORS names exactly the apps: put a new app on a floor, drop a gone one"


README_FLOORS = {"ground": 0, "domain": 1, "features": 2, "edges": 3}


def test_the_readmes_drawing_puts_each_app_on_its_floor():
    """The README's "Layout" draws the floors, a line each ("domain      workdays/  org/ (…)  …"): the apps it
    draws on each floor are those of FLOORS, no more, no fewer."""
    readme = (SOURCE.parent / "README.md").read_text(encoding="utf-8")
    drawn: dict[str, int] = {}
    for line in readme.splitlines():
        floor = line.split(" ", 1)[0]
        if floor in README_FLOORS and "/" in line:
            for app in re.findall(r"(?:^|\s)([a-z]+)/", line):
                drawn[app] = README_FLOORS[floor]
    assert drawn == FLOORS


def test_no_room_imports_a_room_on_a_higher_floor():
    new = upward_imports() - set(KNOWN_UPWARD)
    assert not new, "upward imports (send a signal or move the code down instead): " + ", ".join(
        f"{file} → {module}" for file, module in sorted(new)
    )


def test_the_list_of_known_upward_imports_only_shrinks():
    gone = set(KNOWN_UPWARD) - upward_imports()
    assert not gone, "these upward imports are gone: remove them from KNOWN_UPWARD: " + ", ".join(
        f"{file} → {module}" for file, module in sorted(gone)
    )


def test_the_reader_sees_an_upward_import(tmp_path, monkeypatch):
    """The reader itself: a lazy import inside a function of a domain app is found."""
    app = tmp_path / "tracking"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "x.py").write_text("def f():\n    from dondoc.followup import engine\n    return engine\n")
    monkeypatch.setattr(f"{__name__}.SOURCE", tmp_path)
    assert upward_imports() == {("tracking/x.py", "dondoc.followup")}
