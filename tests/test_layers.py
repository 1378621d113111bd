"""Import hygiene: the layers of DESIGN.md §4 stay one-way."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "scheduler": {"textual", "sqlite3", "sqlite_utils", "db", "tui", "usecases", "cli", "main"},
    "db": {"textual", "ortools", "tui", "scheduler", "usecases", "cli", "main"},
    "stationdef": {"textual", "ortools", "sqlite3", "sqlite_utils", "db", "tui", "usecases", "cli"},
    "tui": {"sqlite3", "sqlite_utils", "ortools", "db", "cli"},
    "usecases": {"textual", "tui", "cli", "click"},
}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports(layer):
    bad = []
    for f in (REPO / layer).rglob("*.py"):
        hit = imports(f) & FORBIDDEN[layer]
        if hit:
            bad.append(f"{f.relative_to(REPO)} imports {sorted(hit)}")
    assert not bad, "\n".join(bad)
