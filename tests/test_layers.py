"""Import hygiene: the layers of DESIGN.md §4 stay one-way."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

FORBIDDEN = {
    "scheduler": {"textual", "sqlite3", "sqlite_utils", "db", "tui", "usecases", "cli", "main"},
    "db": {"textual", "ortools", "tui", "scheduler", "usecases", "cli", "main"},
    "stationdef": {"textual", "ortools", "sqlite3", "sqlite_utils", "db", "tui", "usecases", "cli"},
    "tui": {"sqlite3", "sqlite_utils", "ortools", "db", "cli"},
    "usecases": {"textual", "tui", "cli", "click"},
    # the message catalogue is read by every layer and reads none of them
    "messages": {"textual", "ortools", "sqlite3", "sqlite_utils", "db", "tui", "usecases", "cli", "scheduler", "main"},
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


SQL_TEXT = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|ALTER|DROP|PRAGMA|BEGIN|WITH)\b")
RAW_ACCESS = re.compile(r"\b(sdb|existing|conn)\.(rows|one|scalar|conn|db|execute|executemany)\b")


@pytest.mark.parametrize("layer", ["usecases", "cli", "tui", "main.py"])
def test_sql_lives_in_db_only(layer):
    """Use cases, the command line and the terminal app call db/ functions named after the
    domain; no SQL text and no raw connection access outside db/ (issue 19)."""
    root = REPO / layer
    files = [root] if root.is_file() else sorted(root.rglob("*.py"))
    bad = []
    for f in files:
        source = f.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_TEXT.match(node.value):
                bad.append(f"{f.relative_to(REPO)}:{node.lineno}: SQL text {node.value[:40]!r}")
        for i, line in enumerate(source.splitlines(), start=1):
            if RAW_ACCESS.search(line):
                bad.append(f"{f.relative_to(REPO)}:{i}: raw database access: {line.strip()[:80]}")
    assert not bad, "\n".join(bad)
