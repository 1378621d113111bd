"""The audit log's use cases: verify the chain and the records it vouches for, keep anchors.

An *anchor* is the chain head (entry number and hash) written somewhere a local user of the
station file cannot rewrite: the nightly job's log shipped to another machine, a printed and
signed handover sheet, the approval message a chief keeps. `verify` with anchors proves that
the database still holds every anchored entry at its place, so a cut-off or rebuilt chain
shows. See docs/audit.md for the threat model.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from db import audit as audit_db
from errors import InputError, InputProblem
from messages import Msg
from usecases.context import Session

_TEXT_ANCHOR = re.compile(r"#(\d+)\s+([0-9a-f]{64})\b")


def _found(obj, source: str, out: list[dict]) -> None:
    """Anchors anywhere in a JSON document: objects with an integer "seq" and a 64-hex "hash"."""
    if isinstance(obj, dict):
        seq, h = obj.get("seq"), obj.get("hash")
        if isinstance(seq, int) and not isinstance(seq, bool) and isinstance(h, str) and re.fullmatch(r"[0-9a-f]{64}", h):
            out.append({"seq": seq, "hash": h, "station": obj.get("station"), "at": obj.get("at"), "source": source})
        for v in obj.values():
            _found(v, source, out)
    elif isinstance(obj, list):
        for v in obj:
            _found(v, source, out)


def read_anchors(paths: list[str | Path]) -> list[dict]:
    """Anchors from files: JSON documents, JSON lines (nightly logs, `audit anchor` files), or
    text with "#SEQ HASH" (a handover sheet typed or copied back). A file with none is an error."""
    out: list[dict] = []
    problems = []
    for p in paths:
        path = Path(p)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(InputProblem(file=str(path), message=Msg("file.cannot_read", detail=str(exc))))
            continue
        found: list[dict] = []
        try:
            _found(json.loads(text), str(path), found)
        except json.JSONDecodeError:
            for n, line in enumerate(text.splitlines(), start=1):
                line = line.strip()
                if not line:
                    continue
                try:
                    _found(json.loads(line), f"{path}:{n}", found)
                except json.JSONDecodeError:
                    found += [{"seq": int(m.group(1)), "hash": m.group(2), "source": f"{path}:{n}"}
                              for m in _TEXT_ANCHOR.finditer(line)]
        if not found:
            problems.append(InputProblem(file=str(path), message=Msg("audit.no_anchor")))
        out += found
    if problems:
        raise InputError(problems)
    return out


def verify(session: Session, anchor_files: list[str | Path] = ()) -> dict:
    """The chain, every record the log vouches for, signed roster contents, and the anchors."""
    session.sdb.require_station()
    anchors = read_anchors(list(anchor_files)) if anchor_files else []
    station = audit_db.anchor(session.sdb)["station"]
    foreign = [a for a in anchors if a.get("station") not in (None, station)]
    report = audit_db.check(session.sdb, [a for a in anchors if a not in foreign])
    report["anchors_other_station"] = len(foreign)
    # the old single-line summary, kept for scripts that read it
    report["problem"] = report["problems"][0]["message"] if report["problems"] else None
    return report


def anchor(session: Session, out: str | Path | None = None) -> dict:
    """The chain head now; appended as one JSON line to ``out`` when given (for cron to ship)."""
    session.sdb.require_station()
    a = audit_db.anchor(session.sdb)
    if out is not None:
        with open(out, "a", encoding="utf-8") as f:
            f.write(json.dumps({"anchor": a}, ensure_ascii=False) + "\n")
    return a
