"""The suite's own layout (issue 18): a test module imports no other test module, and no module imports a conftest
file (pytest loads those itself; their fixtures reach the tests by name, and what is not a fixture belongs in a
helpers module). What several modules share lives in
`tests/helpers.py`, a package's `helpers.py` (e.g. `tests/api/helpers.py`) or, for fixtures, a conftest file; a
module that imports another test module also makes pytest's collection of that module depend on the importer.

The imports are read from the source (ast), lazy imports inside functions and relative imports included."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _is_test_module(dotted: str) -> bool:
    last = dotted.rsplit(".", 1)[-1]
    return last.startswith("test_") or last == "conftest"


def _imported_modules(path: Path, root: Path) -> set[str]:
    """The modules `path` imports, relative imports resolved against its package inside tests/."""
    package = ["tests", *path.relative_to(root).parent.parts]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)  # `from tests.x import test_y`
    return found


def imports_of_test_modules(root: Path = TESTS) -> list[str]:
    """Every (file, module) where a file under `root` imports a test module (tests.….test_*) or a conftest."""
    return sorted(
        f"{path.relative_to(root)} imports {module}"
        for path in root.rglob("*.py")
        for module in _imported_modules(path, root)
        if module.startswith("tests.") and _is_test_module(module)
    )


def test_no_test_module_imports_another():
    assert imports_of_test_modules() == [], (
        "move what is shared into tests/helpers.py, the package's helpers.py or a conftest fixture (used by name)"
    )


def test_the_reader_sees_every_form_of_import(tmp_path):
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "test_a.py").write_text("from tests.api.test_import import xlsx\n")
    (tmp_path / "api" / "test_b.py").write_text("def f():\n    from .test_edxml import package\n")
    (tmp_path / "api" / "test_c.py").write_text("from tests.security import test_twofactor\n")
    (tmp_path / "api" / "test_d.py").write_text("import tests.test_pages\n")
    (tmp_path / "api" / "test_f.py").write_text("from tests.conftest import PASSWORD\n")
    (tmp_path / "api" / "test_e.py").write_text(
        "from tests.api.helpers import xlsx\nfrom tests.helpers import PASSWORD\n"
    )
    assert imports_of_test_modules(tmp_path) == [
        "api/test_a.py imports tests.api.test_import",
        "api/test_b.py imports tests.api.test_edxml",
        "api/test_c.py imports tests.security.test_twofactor",
        "api/test_d.py imports tests.test_pages",
        "api/test_f.py imports tests.conftest",
    ]
