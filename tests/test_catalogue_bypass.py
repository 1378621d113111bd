"""Every text a user reads comes from the message catalogue (messages/): a scan of the source for
texts that bypass it (issue 24).

A *bypass* is a string literal (or an f-string whose literal parts hold letters) passed where a
user reads it:

- the message of an error or refusal: ``Refused(...)``, ``InputError(...)``, ``NotAuthorised(...)``,
  ``ReadOnly(...)``, ``NotFound(...)``, ``DatabaseBusy(...)``, ``CellChanged(...)``,
  ``Infeasible(...)``, ``NoSolution(...)``, ``BadValue(...)``, ``WorkerFailed(...)``, the
  ``message=`` of an ``InputProblem``, click's ``UsageError`` / ``BadParameter`` / ``self.fail``;
- what the command line prints: ``click.echo(...)``, ``warn(...)``, ``table(title, columns, ...)``;
- what the terminal app shows: ``notify(...)`` and its ``title=``;
- what the readers of stationdef/ report: ``ValueError(...)`` there, ``bad(field, ...)``, ``err(...)``.

A literal that is a catalogue key is fine (it is looked up); so is a text without letters
(``"-"``, ``"+"``, punctuation, ``"{a}: {b}"``).

Files not converted yet are listed in ALLOWED with how many bypasses they still hold. The list
may only shrink: a file with more bypasses than allowed fails (a new English literal), and so
does one with fewer (lower its number, or drop it, in the same change).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

from messages import MESSAGES

REPO = Path(__file__).resolve().parent.parent
SCANNED = ["usecases", "cli", "scheduler", "stationdef", "db", "tui", "main.py"]

ERRORS = {"Refused", "InputError", "NotAuthorised", "ReadOnly", "NotFound", "DatabaseBusy", "CellChanged",
          "Infeasible", "NoSolution", "BadValue", "WorkerFailed", "DutydeskError", "UsageError", "BadParameter",
          "ClickException"}
SHOWN = {"echo", "warn", "notify", "fail", "secho"}
READER_HELPERS = {"bad", "err"}           # stationdef readers: bad(field, message), err(section, i, key, message)
BAD_HELPERS = {"_bad", "_cli_bad"}        # use cases' InputError(InputProblem(...)) helpers: _bad(field, message)
LETTERS = re.compile(r"[A-Za-z\u4e00-\u9fff]")

# Files whose user-facing texts are not all in the catalogue yet, with their number of bypasses.
# Shrink it; never grow it. Empty since the station-file and people-list readers and `import
# people`'s preview were converted (issue 24): a new English literal fails the test.
ALLOWED: dict[str, int] = {}


def _bypassing(node: ast.AST) -> bool:
    """A literal text with letters that is not a catalogue key."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(LETTERS.search(node.value)) and node.value not in MESSAGES
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and isinstance(v.value, str) and LETTERS.search(v.value)
                   for v in node.values)
    if isinstance(node, ast.BinOp):            # "a" + f"b" and "..." % x
        return _bypassing(node.left) or _bypassing(node.right)
    if isinstance(node, ast.IfExp):
        return _bypassing(node.body) or _bypassing(node.orelse)
    return False


def _name(func: ast.AST) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def bypasses(path: Path) -> list[str]:
    rel = path.relative_to(REPO).as_posix()
    in_reader = rel.startswith("stationdef/")
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        shown: list[ast.AST] = []
        if name in ERRORS or name in SHOWN or (in_reader and name == "ValueError"):
            shown += node.args[:1]
            shown += [k.value for k in node.keywords if k.arg in ("message", "title", "hint")]
        elif name == "InputProblem":
            shown += [k.value for k in node.keywords if k.arg == "message"]
        elif name == "table":
            shown += node.args[:1]
            if len(node.args) > 1 and isinstance(node.args[1], (ast.List, ast.Tuple)):
                shown += node.args[1].elts
        elif (in_reader and name in READER_HELPERS) or name in BAD_HELPERS:
            shown += node.args[-1:]
        for arg in shown:
            if _bypassing(arg):
                found.append(f"{rel}:{arg.lineno}: {ast.unparse(arg)[:70]}")
    return found


def scan() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for root in SCANNED:
        p = REPO / root
        for f in ([p] if p.is_file() else sorted(p.rglob("*.py"))):
            hits = bypasses(f)
            if hits:
                out[f.relative_to(REPO).as_posix()] = hits
    return out


def test_user_facing_texts_come_from_the_catalogue():
    found = scan()
    over = [h for f, hits in found.items() if len(hits) > ALLOWED.get(f, 0) for h in hits]
    assert not over, ("texts a user reads that bypass the catalogue (put them in messages/<domain>.py, "
                      "in Chinese and English):\n" + "\n".join(over))


def test_the_allowlist_only_shrinks():
    found = scan()
    stale = {f: (n, len(found.get(f, []))) for f, n in ALLOWED.items() if len(found.get(f, [])) < n}
    assert not stale, "files now with fewer bypasses than ALLOWED says (lower the numbers): " + repr(stale)


def test_the_scan_finds_a_bypass(tmp_path):
    """The scan itself works: an English refusal, an echoed text and a table title are found; a
    catalogue key and a text without letters are not."""
    f = REPO / "tests" / "_bypass_probe.py"
    f.write_text('from errors import Refused\nimport click\n'
                 'def a(x):\n    raise Refused(f"roster {x} is busy")\n'
                 'def b():\n    click.echo("Wrote the file")\n'
                 'def c(table):\n    table("Units", ["unit", "-"], [])\n'
                 'def d(t):\n    click.echo(t("cli.wrote", path="x"))\n    click.echo("-")\n'
                 '    raise Refused("roster.swap_same")\n', encoding="utf-8")
    try:
        hits = bypasses(f)
    finally:
        f.unlink()
    assert [h.split(": ", 1)[1] for h in hits] == ["f'roster {x} is busy'", "'Wrote the file'", "'Units'", "'unit'"]
