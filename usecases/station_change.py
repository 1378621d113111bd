"""Changing the station after `init`: export its definition as a station file, and apply an
edited file (what changes, checked against the records, in one transaction, audited).

    dutydesk station export --out station.toml        # the definition as stored
    dutydesk station apply station.toml --dry-run      # what would change, and what stops it
    dutydesk station apply station.toml                # apply (admin or chief)

The comparison is generic over the dataclasses of stationdef.model: items are matched by their
code (demand by post and shift, rules by key) and every field is compared, so a field added to
the station file is compared, written and exported without a change here.

What the records forbid (the change is refused, naming them, and nothing is written):

* the station code changes (the audit log and its anchors name the station by it);
* a post or shift that any roster version uses, or that the duty board's units, officers'
  requests or handover notes name, is removed (a published roster never changes, so the post it
  names cannot vanish; set the demand to 0 to stop planning it);
* a shift's start, length or kind changes while an approved or published roster uses it (the
  chief signed those times);
* a skill that people hold is removed, unless ``remove_held_skills`` (then they lose it, and
  the change says who);
* a team that people belong to is removed;
* a hot spot that incidents or check-ins name is removed.
"""
from __future__ import annotations

import dataclasses
import sqlite3
from datetime import date
from pathlib import Path

from db import station as station_db
from errors import Refused
from messages import t
from stationdef.model import DAY_KINDS, StationDef
from usecases.context import Session

LIVE = ("approved", "published")
SIGNED_SHIFT_FIELDS = ("start", "minutes", "kind")
MAX_NAMED = 8               # people or records named in one message


def _t(session: Session, key: str, /, **values) -> str:
    return t(key, _lang_override=session.ctx.lang, **values)


# -- export --------------------------------------------------------------------------------------

def export_text(session: Session, *, now: str | None = None) -> str:
    """The stored definition as a station file (text) that `init` and `station apply` read."""
    from db import digests
    from db.audit import utc_now
    from stationdef.toml_writer import BASE_MARK, to_toml
    session.sdb.require_station()
    session.require_action("read")
    sd = station_db.load_station(session.sdb)
    comments = [_t(session, "station.export.header", name=sd.station.name, code=sd.station.code,
                   at=now or utc_now(), db=session.sdb.path.name),
                _t(session, "station.export.header_how"),
                _t(session, "station.export.header_base"),
                f"{BASE_MARK} {digests.digest(session.sdb, 'station')}"]
    return to_toml(sd, comments=comments)


def export_file(session: Session, out: str | Path) -> dict:
    from usecases.export import write_file
    text = export_text(session)
    path = write_file(out, text.encode("utf-8"))
    return {"path": str(path), "bytes": len(text.encode("utf-8"))}


# -- comparing two definitions -------------------------------------------------------------------

def _plain(value):
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def _items(section: str, value) -> dict[str, dict]:
    """{key: {field: value}} of one section, as compared."""
    if section == "rules":
        return {r.key: {"value": r.value} for r in value}           # unit, description, source: the catalogue's
    if section == "demand":
        out: dict[str, dict] = {}
        for d in value:
            rest = {f.name: _plain(getattr(d, f.name)) for f in dataclasses.fields(d)
                    if f.name not in ("day_kind", "count")}
            key = "/".join(str(v) for v in rest.values())
            row = out.setdefault(key, {k: v for k, v in rest.items() if k not in ("post", "shift")})
            row[d.day_kind] = d.count
        for row in out.values():
            for k in DAY_KINDS:
                row.setdefault(k, 0)
        return out
    if isinstance(value, list):
        return {item.code: _plain(item) for item in value}
    return {value.code: _plain(value)}


def _shown(row: dict) -> dict:
    """The fields of an added or removed item worth listing (its code is the change's key)."""
    return {k: v for k, v in row.items() if v not in (None, [], ()) and k != "code"}


def diff_definitions(old: StationDef, new: StationDef) -> list[dict]:
    """The changes from ``old`` to ``new``: [{"section", "key", "action": added | changed |
    removed, "fields": {field: [old, new]}}], section by section in the file's order."""
    changes: list[dict] = []
    for f in dataclasses.fields(StationDef):
        before, after = _items(f.name, getattr(old, f.name)), _items(f.name, getattr(new, f.name))
        if f.name == "station":          # one record: its code is checked on its own
            before = {"": next(iter(before.values()))}
            after = {"": next(iter(after.values()))}
        for key, row in after.items():
            was = before.get(key)
            if was is None:
                changes.append({"section": f.name, "key": key, "action": "added",
                                "fields": {k: [None, v] for k, v in _shown(row).items()}})
            else:
                fields = {k: [was.get(k), v] for k, v in row.items() if was.get(k) != v}
                fields |= {k: [v, None] for k, v in was.items() if k not in row and v is not None}
                if fields:
                    changes.append({"section": f.name, "key": key or new.station.code, "action": "changed",
                                    "fields": fields})
        for key, row in before.items():
            if key not in after:
                changes.append({"section": f.name, "key": key, "action": "removed",
                                "fields": {k: [v, None] for k, v in _shown(row).items()}})
    return changes


# -- checking a change against the records -------------------------------------------------------

def _names(people: list[dict]) -> str:
    shown = ", ".join(f"{p['name']} {p['badge']}" for p in people[:MAX_NAMED])
    return shown + (" ..." if len(people) > MAX_NAMED else "")


def _uses(session: Session, versions: list[dict], others: dict[str, int]) -> str:
    parts = [_t(session, "station.change.use.roster", id=v["roster_id"], v=v["version"],
                status=t(f"status.{v['status']}", _lang_override=session.ctx.lang)) for v in versions[:MAX_NAMED]]
    if len(versions) > MAX_NAMED:
        parts.append(_t(session, "station.change.use.more", n=len(versions) - MAX_NAMED))
    parts += [_t(session, f"station.change.use.{what}", n=n) for what, n in sorted(others.items())]
    return ", ".join(parts)


def check_change(session: Session, old: StationDef, changes: list[dict], *,
                 remove_held_skills: bool = False) -> tuple[list[dict], list[dict], tuple[str, ...]]:
    """(problems, notes, skills to take from people) of a change, read from the records now.
    Each problem and note is {"kind", "section", "key", "message"} (message in the session's
    language)."""
    sdb = session.sdb
    removed: dict[str, list[str]] = {}
    changed: dict[str, dict[str, dict]] = {}
    for c in changes:
        if c["action"] == "removed":
            removed.setdefault(c["section"], []).append(c["key"])
        elif c["action"] == "changed":
            changed.setdefault(c["section"], {})[c["key"]] = c["fields"]
    problems: list[dict] = []
    notes: list[dict] = []

    def say(into: list, kind: str, section: str, key: str, msg_key: str, /, **values) -> None:
        into.append({"kind": kind, "section": section, "key": key, "message": _t(session, msg_key, **values)})

    station_fields = next(iter(changed.get("station", {}).values()), {})
    if "code" in station_fields:
        o, n = station_fields["code"]
        say(problems, "station_code", "station", o, "station.change.problem.station_code", old=o, new=n)
    if "zone" in station_fields:
        o, n = station_fields["zone"]
        say(notes, "zone", "station", old.station.code, "station.change.note.zone", old=o, new=n)

    for section, column, kind in (("posts", "post", "post"), ("shifts", "shift", "shift")):
        codes = removed.get(section, [])
        versions = station_db.roster_versions_using(sdb, column, codes)
        others = station_db.other_uses(sdb, kind, codes)
        for code in codes:
            if versions.get(code) or others.get(code):
                say(problems, f"{kind}_in_use", section, code, f"station.change.problem.{kind}_in_use", code=code,
                    uses=_uses(session, versions.get(code, []), others.get(code, {})))
        touched = list(changed.get(section, {}))
        live = {code: [v for v in vs if v["status"] in LIVE]
                for code, vs in station_db.roster_versions_using(sdb, column, touched).items()}
        for code in touched:
            signed = live.get(code) or []
            if not signed:
                continue
            fields = changed[section][code]
            timing = [f for f in SIGNED_SHIFT_FIELDS if f in fields] if section == "shifts" else []
            if timing:
                say(problems, "shift_signed", section, code, "station.change.problem.shift_signed", code=code,
                    fields=", ".join(timing), rosters=_uses(session, signed, {}))
            else:
                say(notes, "signed_rosters", section, code, "station.change.note.signed_rosters",
                    section=_t(session, f"station.section.{section}"), code=code, rosters=_uses(session, signed, {}))

    skills = removed.get("skills", [])
    holders = station_db.skill_holders(sdb, skills)
    taken: list[str] = []
    for code in skills:
        people = holders.get(code, [])
        if people and not remove_held_skills:
            say(problems, "skill_held", "skills", code, "station.change.problem.skill_held", code=code,
                n=len(people), people=_names(people))
        elif people:
            taken.append(code)
            say(notes, "skill_taken", "skills", code, "station.change.note.skill_taken", code=code, n=len(people),
                people=_names(people))
    for code, how in _incident_needs(session, skills).items():
        for which in ("required", "preferred"):
            if how[which]:
                say(notes, f"incident_{which}", "skills", code,
                    "station.change.note.incident_requires" if which == "required"
                    else "station.change.note.incident_prefers", code=code, types=", ".join(how[which]))

    members = station_db.team_members(sdb, removed.get("teams", []))
    for code, people in members.items():
        say(problems, "team_members", "teams", code, "station.change.problem.team_members", code=code,
            n=len(people), people=_names(people))

    spots = station_db.other_uses(sdb, "hot_spot", removed.get("hot_spots", []))
    for code, others in spots.items():
        say(problems, "hot_spot_in_use", "hot_spots", code, "station.change.problem.hot_spot_in_use", code=code,
            uses=_uses(session, [], others))
    return problems, notes, tuple(taken)


def _incident_needs(session: Session, skills: list[str]) -> dict[str, dict[str, list[str]]]:
    """The incident types (the station's table, and the built-in catalogue it is filled from on
    first use) that require or prefer these skills."""
    from stationdef.incident_types import CATALOGUE
    out = station_db.incident_types_needing(session.sdb, skills)
    for it in CATALOGUE:
        for how, needs in (("required", it.required_skills), ("preferred", it.skills)):
            for s in needs:
                if s in skills:
                    codes = out.setdefault(s, {"required": [], "preferred": []})[how]
                    if it.code not in codes:
                        codes.append(it.code)
    return out


# -- apply -----------------------------------------------------------------------------------------

def _counts(changes: list[dict]) -> dict[str, int]:
    return {a: sum(c["action"] == a for c in changes) for a in ("added", "changed", "removed")}


def _reverted(change: dict, now: dict[str, dict[str, dict]]) -> str | None:
    """What of an earlier change the new file would undo (``now``: section -> key -> fields, as
    `_items` gives them), as "section key field", or None."""
    items = now.get(change["section"], {})
    if change["section"] == "station":
        items = {change["key"]: next(iter(items.values()), {})}
    row = items.get(change["key"])
    where = f"{change['section']} {change['key']}"
    if change["action"] == "added":
        return where if row is None else None
    if change["action"] == "removed":
        return where if row is not None else None
    if row is None:
        return where
    for name, (old, new) in change["fields"].items():
        if row.get(name) == old and old != new:
            return f"{where} {name}"
    return None


def _stale(session: Session, base: str | None, new: StationDef) -> dict | None:
    """A problem when the file was exported from a definition that was changed since, and
    applying it would undo one of those changes unseen (two people editing files exported at
    the same time). Changes the file keeps (the same file edited and applied again) are fine."""
    from db import audit as audit_db
    from db import digests
    if base is None or digests.digest(session.sdb, "station") == base:
        return None
    since = audit_db.changes_since(session.sdb, "station", base)
    now = {f.name: _items(f.name, getattr(new, f.name)) for f in dataclasses.fields(StationDef)}
    for entry in since or [None]:
        changes = ((entry or {}).get("after") or {}).get("changes")
        undone = "?" if changes is None else next(filter(None, (_reverted(c, now) for c in changes)), None)
        if undone is not None:
            return {"kind": "stale", "section": "station", "key": "",
                    "message": _t(session, "station.change.problem.stale", what=undone,
                                  who=entry["login"] if entry else "?", at=entry["at"] if entry else "?",
                                  seq=entry["seq"] if entry else "?")}
    return None


def _plan(session: Session, new: StationDef, remove_held_skills: bool, base: str | None = None) -> dict:
    old = station_db.load_station(session.sdb)
    changes = diff_definitions(old, new)
    problems, notes, taken = check_change(session, old, changes, remove_held_skills=remove_held_skills)
    stale = _stale(session, base, new) if changes else None
    if stale:
        problems.insert(0, stale)
    return {"changes": changes, "counts": _counts(changes), "problems": problems, "notes": notes,
            "remove_held_skills": list(taken), "old": old}


def _capacity(session: Session, new: StationDef | None, today: date | None) -> dict | None:
    """The capacity verdict for the next roster period with the stored definition and with
    ``new`` (None when it cannot be computed, e.g. the change is refused)."""
    from usecases.station import next_period_capacity
    before = next_period_capacity(session, today=today)
    after = next_period_capacity(session, today=today, definition=new)
    if before.get("capacity") is None or after.get("capacity") is None:
        return None
    return {"start": before["start"], "days": before["days"], "before": before["capacity"],
            "after": after["capacity"]}


def apply_station_file(session: Session, path: str | Path, *, dry_run: bool = False,
                       remove_held_skills: bool = False, today: date | None = None) -> dict:
    """Compare a station file with the stored definition and (unless ``dry_run``) apply it.

    The file is read and checked as `init` reads it (InputError naming file, line and field).
    Without changes nothing is written and no audit entry is made. Otherwise the comparison and
    the checks are made again inside one `BEGIN IMMEDIATE` transaction, the rows that differ
    are written, and one audit entry ("station.apply") records every change with its old and
    new values and vouches for the station and the people list as they are left."""
    from stationdef.toml_file import load_station_file
    from stationdef.toml_writer import base_of
    session.sdb.require_station()
    session.require_action("station_preview" if dry_run else "station_change")
    new = load_station_file(path)
    base = base_of(Path(path).read_text(encoding="utf-8-sig"))
    out = {"file": str(path), "dry_run": dry_run, "applied": False}
    if dry_run:
        plan = _plan(session, new, remove_held_skills, base)
        plan.pop("old")
        out |= plan
        if plan["changes"] and not plan["problems"]:
            out["capacity"] = _capacity(session, new, today)
        return out
    with session.sdb.write():
        plan = _plan(session, new, remove_held_skills, base)
        plan.pop("old")
        out |= plan
        if plan["problems"]:
            lines = "\n".join(f"  - {p['message']}" for p in plan["problems"])
            raise Refused(_t(session, "station.change.refused", n=len(plan["problems"]), lines=lines))
        if not plan["changes"]:
            return out
        try:
            written = station_db.replace_definition(session.sdb, new, drop_person_skills=plan["remove_held_skills"])
        except sqlite3.IntegrityError as exc:     # a reference the checks above do not know yet
            raise Refused(_t(session, "station.change.problem.still_referred", table="station", error=exc)) from None
        session.audit("station.apply", entity="station", entity_id=new.station.code,
                      after={"file": Path(path).name, "base": base, "changes": plan["changes"],
                             "counts": plan["counts"],
                             "skills_taken_from_people": plan["remove_held_skills"], "rows": written})
        from db.audit import head
        out["audit_seq"] = head(session.sdb)[0]
    out["applied"] = True
    return out
