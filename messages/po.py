"""The catalogue as a gettext .po file, for translators (Poedit, Weblate, Lokalize, ...).

    python -m messages.po export > dutydesk-zh.po        # every message: msgctxt key, msgid English, msgstr Chinese
    python -m messages.po check dutydesk-zh.po           # what a translated file changes, and what is wrong in it
    python -m messages.po apply dutydesk-zh.po           # write its Chinese back into messages/<module>.py

The catalogue stays the Python modules of this package (docs/messages.md says why); the .po
file is a view of it. ``apply`` refuses a file whose placeholders differ from the English (a
``{name}`` lost or renamed in translation), keys the catalogue does not have, and empty
translations, and changes nothing then. It rewrites only the Chinese string of each changed key,
in place, so the module's layout and comments stay as they are.
"""
from __future__ import annotations

import ast
import json
import string
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _modules() -> list[Path]:
    return sorted(p for p in HERE.glob("*.py") if p.name not in ("__init__.py", "po.py", "help.py"))


def entries() -> list[tuple[str, str, str, str]]:
    """(module file name, key, zh, en) for every message, in module order."""
    out = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for key, zh_node, en_node in _pairs(tree):
            out.append((path.name, key, zh_node.value, en_node.value))
    return out


def _pairs(tree: ast.AST):
    """(key, zh Constant node, en Constant node) of the literal MESSAGES dict entries."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values):
                if isinstance(k, ast.Constant) and isinstance(k.value, str) and isinstance(v, ast.Tuple) \
                        and len(v.elts) == 2 and all(isinstance(e, ast.Constant) and isinstance(e.value, str)
                                                     for e in v.elts):
                    yield k.value, v.elts[0], v.elts[1]


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def export() -> str:
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', '"Language: zh_CN\\n"', ""]
    for module, key, zh, en in entries():
        lines += [f"#: messages/{module}", "#, python-brace-format", f"msgctxt {_q(key)}", f"msgid {_q(en)}",
                  f"msgstr {_q(zh)}", ""]
    return "\n".join(lines)


def parse_po(text: str) -> dict[str, tuple[str, str]]:
    """key (msgctxt) -> (msgid, msgstr) of a .po file (the subset export writes: single or
    continued quoted lines)."""
    out: dict[str, tuple[str, str]] = {}
    cur: dict[str, str] = {}
    field = None

    def flush():
        if "msgctxt" in cur:
            out[cur["msgctxt"]] = (cur.get("msgid", ""), cur.get("msgstr", ""))
        cur.clear()
    for raw in text.splitlines() + [""]:
        line = raw.strip()
        if not line:
            flush()
            field = None
            continue
        if line.startswith("#"):
            continue
        for name in ("msgctxt", "msgid", "msgstr"):
            if line.startswith(name + " "):
                if name == "msgctxt" or (name == "msgid" and "msgid" in cur):
                    if name == "msgctxt" and cur:
                        flush()
                field = name
                cur[field] = json.loads(line[len(name) + 1:])
                break
        else:
            if line.startswith('"') and field:
                cur[field] += json.loads(line)
    return out


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return {"<unbalanced braces>"}


def check(po_text: str) -> tuple[dict[str, str], list[str]]:
    """The Chinese the file changes ({key: new zh}) and what is wrong in it (one line each)."""
    known = {key: (module, zh, en) for module, key, zh, en in entries()}
    changed, problems = {}, []
    for key, (msgid, msgstr) in parse_po(po_text).items():
        if key not in known:
            problems.append(f"{key}: not a key of the catalogue")
            continue
        _, zh, en = known[key]
        if not msgstr.strip():
            problems.append(f"{key}: no translation")
        elif _placeholders(msgstr) != _placeholders(en):
            problems.append(f"{key}: placeholders {sorted(_placeholders(msgstr))}, the English has "
                            f"{sorted(_placeholders(en))}")
        elif msgstr != zh:
            changed[key] = msgstr
    return changed, problems


def apply(po_text: str) -> dict[str, str]:
    """Write the file's changed Chinese into the modules; nothing when it has problems."""
    changed, problems = check(po_text)
    if problems:
        raise ValueError("\n".join(problems))
    for path in _modules():
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        edits = [(zh_node, changed[key]) for key, zh_node, _ in _pairs(tree) if key in changed]
        if not edits:
            continue
        lines = source.splitlines(keepends=True)
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line.encode("utf-8")))
        data = source.encode("utf-8")
        for node, text in sorted(edits, key=lambda e: (e[0].lineno, e[0].col_offset), reverse=True):
            start = offsets[node.lineno - 1] + node.col_offset
            end = offsets[node.end_lineno - 1] + node.end_col_offset
            data = data[:start] + json.dumps(text, ensure_ascii=False).encode("utf-8") + data[end:]
        path.write_text(data.decode("utf-8"), encoding="utf-8")
    return changed


def main(argv: list[str]) -> int:
    if argv[:1] == ["export"] and len(argv) == 1:
        sys.stdout.write(export())
        return 0
    if argv[:1] in (["check"], ["apply"]) and len(argv) == 2:
        text = Path(argv[1]).read_text(encoding="utf-8")
        if argv[0] == "check":
            changed, problems = check(text)
            for k, v in changed.items():
                print(f"changed {k}: {v}")
            for p in problems:
                print(f"problem {p}", file=sys.stderr)
            return 65 if problems else 0
        try:
            changed = apply(text)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 65
        print(f"{len(changed)} translation(s) written")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
