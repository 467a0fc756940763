"""The direction of dependencies (DESIGN section 2): ``flowsheet`` (the core) <- ``units``
<- ``solvers`` <- ``scenarios``, ``twin``. A module may import its own package and the
packages below it, never one above: the core finds units, solvers and the commands each
domain adds through entry points. Every import statement counts, those inside functions
included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Rank of each top-level package: a module imports only packages of lower rank, or its own.
RANK = {"flowsheet": 0, "units": 1, "solvers": 2, "scenarios": 3, "twin": 3}

MODULES = sorted(p for package in RANK for p in (ROOT / package).rglob("*.py"))


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """The project packages ``path`` imports, with the line of each import."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {(name.split(".")[0], node.lineno) for name in names
                  if name.split(".")[0] in RANK}
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_one_way(path):
    """No module imports a package above its own in the order of DESIGN section 2."""
    own = path.relative_to(ROOT).parts[0]
    wrong = sorted((line, package) for package, line in imported_packages(path)
                   if package != own and RANK[package] >= RANK[own])
    assert not wrong, f"{path.relative_to(ROOT)} imports " + ", ".join(
        f"'{package}' (line {line})" for line, package in wrong)


def test_the_checker_sees_a_wrong_arrow(tmp_path):
    """The check finds an import inside a function, as the command line's once were."""
    bad = tmp_path / "mod.py"
    bad.write_text("def f():\n    from units.comminution import blocks\n")
    assert imported_packages(bad) == {("units", 2)}
