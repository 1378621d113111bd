"""Import use cases: people and leave from CSV or XLSX files, and single leave entries.

All or nothing: every row is checked first; any problem raises InputError (exit 65) naming
each bad row and column, and nothing is written. A good file is written in one transaction
together with its audit entry. `dry_run` returns the same preview without writing.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from db import rosters as rdb
from db import station as station_db
from errors import InputError, InputProblem
from stationdef import cells
from stationdef.leave_file import LEAVE_KINDS, LeaveEntry, parse_kind, parse_leave, parse_leave_date, resolve_badge
from stationdef.model import Person
from stationdef.people_file import HEADERS, REQUIRED, Table, map_columns, parse_people, read_table
from usecases.context import Session
from usecases.export import skills_text
from usecases.roster import station_today

PERSON_FIELDS = ("name", "sex", "person_type", "team", "years_of_service", "active", "phone", "note", "skills")
OPTIONAL_FIELDS = tuple(f for f in HEADERS if f not in REQUIRED)


def read_file(path: str | Path) -> Table:
    """read_table, with anything a damaged file makes the XLSX/CSV readers throw turned into
    bad input (exit 65) instead of a crash."""
    try:
        return read_table(path)
    except InputError:
        raise
    except Exception as exc:  # a damaged workbook fails while its rows are read (zlib, zipfile, XML errors)
        raise InputError(InputProblem(file=str(path), message=(
            f"the file is damaged or is not a valid {Path(path).suffix.lstrip('.').upper() or 'CSV/XLSX'} file "
            f"({type(exc).__name__}: {exc}); open it in Excel or WPS and save it again"))) from None


# -- people ------------------------------------------------------------------------------------

def _value(p: Person, f: str):
    return skills_text(p.skills) if f == "skills" else getattr(p, f)


def _person_json(p: Person) -> dict:
    return {"badge": p.badge} | {f: _value(p, f) for f in PERSON_FIELDS}


def _merge(new: Person, old: Person | None, present: set[str]) -> Person:
    """Columns the file does not have keep their recorded values (a file without a skills
    column does not wipe everyone's skills)."""
    if old is None:
        return new
    return replace(new, **{f: getattr(old, f) for f in OPTIONAL_FIELDS if f not in present})


def _people_plan(existing: dict[str, Person], people: list[Person]) -> dict:
    added, updated, unchanged = [], [], []
    for p in people:
        old = existing.get(p.badge)
        if old is None:
            added.append(_person_json(p))
        elif old == p:
            unchanged.append(p.badge)
        else:
            changes = {f: {"before": _value(old, f), "after": _value(p, f)}
                       for f in PERSON_FIELDS if getattr(old, f) != getattr(p, f)}
            updated.append({"badge": p.badge, "name": p.name, "changes": changes})
    in_file = {p.badge for p in people}
    return {"added": added, "updated": updated, "unchanged": len(unchanged),
            "not_in_file": sum(b not in in_file for b in existing)}


def import_people(session: Session, path: str | Path, *, dry_run: bool = False) -> dict:
    """Add new people and update existing ones (by badge) from a CSV/XLSX people list.

    People missing from the file are left as they are (set 在岗 to 否 to take someone off duty)."""
    session.sdb.require_station()
    session.require_action("import_people")
    sdb = session.sdb
    table = read_file(path)
    people = parse_people(table, station_db.load_station(sdb))
    present = set(map_columns(table, HEADERS, REQUIRED))
    result = {"file": str(path), "dry_run": dry_run, "columns": sorted(present)}

    def plan() -> tuple[list[Person], dict]:
        existing = {p.badge: p for p in station_db.load_people(sdb)}
        merged = [_merge(p, existing.get(p.badge), present) for p in people]
        return merged, _people_plan(existing, merged)

    if dry_run:
        return result | plan()[1] | {"written": False}
    with sdb.write():   # the plan is made inside the transaction, so it is what gets written
        merged, changes = plan()
        station_db.save_people(sdb, merged)
        if changes["added"] or changes["updated"]:
            session.audit("people.import", entity="people", after={
                "file": Path(path).name, "added": [a["badge"] for a in changes["added"]],
                "updated": {u["badge"]: {f: [c["before"], c["after"]] for f, c in u["changes"].items()}
                            for u in changes["updated"]},
                "unchanged": changes["unchanged"]})
    return result | changes | {"written": bool(changes["added"] or changes["updated"])}


# -- leave -------------------------------------------------------------------------------------

def _leave_json(e: LeaveEntry, names: dict[str, str]) -> dict:
    out = {"badge": e.badge, "name": names.get(e.badge), "start": e.start.isoformat(), "end": e.end.isoformat(),
           "days": (e.end - e.start).days + 1, "kind": e.kind, "kind_zh": LEAVE_KINDS[e.kind][0], "note": e.note}
    return out | ({"row": e.row} if e.row is not None else {})


def _recorded(sdb, entries: list[LeaveEntry]) -> list[LeaveEntry]:
    if not entries:
        return []
    rows = rdb.leave_between(sdb, min(e.start for e in entries), max(e.end for e in entries))
    return [LeaveEntry(badge=r["badge"], start=r["start"], end=r["end"], kind=r["kind"], note=r["note"])
            for r in rows]


def _roster_clashes(sdb, entries: list[LeaveEntry], names: dict[str, str]) -> list[str]:
    """Leave does not change rosters already made: name the assignments it falls on."""
    out = []
    wanted = {}
    for e in entries:
        wanted.setdefault(e.badge, []).append(e)
    for r in rdb.list_rosters(sdb):
        if r["status"] in ("rejected", "superseded"):
            continue
        r_start = date.fromisoformat(r["start"])
        hits = []
        for a in rdb.assignments(sdb, r["version_id"]):
            d = date.fromisoformat(a["date"])
            if any(e.start <= d <= e.end for e in wanted.get(a["badge"], ())):
                hits.append(f"{a['badge']} {names.get(a['badge'], '')} {a['date']} {a['shift']}/{a['post']}")
        if hits:
            out.append(f"roster {r['id']}v{r['version']} ({r['status']}, from {r_start}) has people on duty "
                       f"during their leave: {'; '.join(hits[:8])}{' ...' if len(hits) > 8 else ''}; "
                       f"repair it with `dutydesk roster repair {r['id']} --person BADGE --from D --to D --reason ...`")
    return out


def _leave_plan(sdb, entries: list[LeaveEntry], names: dict[str, str]) -> dict:
    recorded = _recorded(sdb, entries)
    recorded_keys = {e.key for e in recorded}
    first_row: dict[tuple, int | None] = {}
    add, skipped, warnings = [], [], []
    for e in entries:
        if e.key in recorded_keys:
            skipped.append(_leave_json(e, names) | {"why": "already recorded"})
            continue
        if e.key in first_row:
            skipped.append(_leave_json(e, names) | {"why": f"same as row {first_row[e.key]}"})
            continue
        first_row[e.key] = e.row
        others = [o for o in recorded + add if o.badge == e.badge and o.start <= e.end and e.start <= o.end]
        for o in others:
            warnings.append(f"{e.badge} {names.get(e.badge, '')}: {LEAVE_KINDS[e.kind][0]} {e.start}..{e.end}"
                            + (f" (row {e.row})" if e.row else "") + f" overlaps {LEAVE_KINDS[o.kind][0]} "
                            f"{o.start}..{o.end}" + (f" (row {o.row})" if o.row else " (already recorded)"))
        add.append(e)
    warnings += _roster_clashes(sdb, add, names)
    return {"to_add": add, "added": [_leave_json(e, names) for e in add], "skipped": skipped, "warnings": warnings}


def _write_leave(session: Session, plan: dict) -> list[int]:
    return [rdb.add_leave(session.sdb, e.badge, e.start, e.end, e.kind, e.note) for e in plan["to_add"]]


def import_leave(session: Session, path: str | Path, *, dry_run: bool = False) -> dict:
    """Add leave from a CSV/XLSX list; entries identical to recorded leave (same person, dates and
    kind) are skipped and reported."""
    session.sdb.require_station()
    session.require_action("leave")
    sdb = session.sdb
    table = read_file(path)
    names = {p.badge: p.name for p in station_db.load_people(sdb)}
    entries = parse_leave(table, names)
    result = {"file": str(path), "dry_run": dry_run}
    if dry_run:
        plan = _leave_plan(sdb, entries, names)
        return result | {k: v for k, v in plan.items() if k != "to_add"} | {"written": False}
    with sdb.write():
        plan = _leave_plan(sdb, entries, names)
        ids = _write_leave(session, plan)
        if ids:
            session.audit("leave.import", entity="leave", after={
                "file": Path(path).name, "ids": ids, "skipped": len(plan["skipped"]),
                "added": [[e.badge, e.start.isoformat(), e.end.isoformat(), e.kind] for e in plan["to_add"]]},
                vouch=[f"leave:{i}" for i in ids])
    for item, i in zip(plan["added"], ids):
        item["id"] = i
    return result | {k: v for k, v in plan.items() if k != "to_add"} | {"written": bool(ids)}


def _cli_bad(field: str, message: str) -> InputError:
    return InputError(InputProblem(file="command line", field=field, message=message))


def add_leave(session: Session, badge: str, start, end, kind: str, note: str | None = None) -> dict:
    """One leave entry typed on the command line (dates as date objects or text)."""
    session.sdb.require_station()
    session.require_action("leave")
    sdb = session.sdb
    names = {p.badge: p.name for p in station_db.load_people(sdb)}
    problems = []
    who = resolve_badge(cells.clean(badge), set(names))
    if who is None:
        problems.append(InputProblem(file="command line", field="BADGE",
                                     message=f"no person with badge '{cells.clean(badge)}' (see `dutydesk people list`)"))
    dates = {}
    for field, value in (("--from", start), ("--to", end)):
        try:
            dates[field] = parse_leave_date(value)
        except ValueError as exc:
            problems.append(InputProblem(file="command line", field=field, message=str(exc)))
    if len(dates) == 2 and dates["--to"] < dates["--from"]:
        problems.append(InputProblem(file="command line", field="--to",
                                     message=f"{dates['--to']} is before --from {dates['--from']}"))
    try:
        kind = parse_kind(kind)
    except ValueError as exc:
        problems.append(InputProblem(file="command line", field="--kind", message=str(exc)))
    if problems:
        raise InputError(problems)
    entry = LeaveEntry(badge=who, start=dates["--from"], end=dates["--to"], kind=kind,
                       note=cells.clean(note) or None)
    with sdb.write():
        plan = _leave_plan(sdb, [entry], names)
        ids = _write_leave(session, plan)
        if ids:
            session.audit("leave.add", entity="leave", entity_id=ids[0], after=_leave_json(entry, names))
    out = _leave_json(entry, names) | {"id": ids[0] if ids else None, "added": bool(ids),
                                       "warnings": plan["warnings"]}
    if not ids:
        out["why"] = "already recorded: the same person, dates and kind; nothing was added"
    return out


def list_leave(session: Session, start: date | None = None, end: date | None = None) -> list[dict]:
    """Leave that touches [start, end]; without start, from today (station time) on."""
    session.sdb.require_station()
    start = start or station_today(session)
    end = end or date(9999, 12, 31)
    if end < start:
        raise _cli_bad("--to", f"{end} is before --from {start}")
    names = {p.badge: p.name for p in station_db.load_people(session.sdb)}
    rows = rdb.leave_listing(session.sdb, start, end)
    return [{"id": r["id"], "badge": r["badge"], "name": names.get(r["badge"]), "start": r["start"], "end": r["end"],
             "days": (date.fromisoformat(r["end"]) - date.fromisoformat(r["start"])).days + 1, "kind": r["kind"],
             "kind_zh": LEAVE_KINDS.get(r["kind"], (r["kind"],))[0], "note": r["note"],
             "created_at": r["created_at"]} for r in rows]
