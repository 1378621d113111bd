"""Station definition and people: writing them in, reading them back."""
from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

from db.audit import utc_now
from stationdef import labels
from stationdef.model import (Demand, HotSpot, Person, Post, RuleParam, ShiftType, Skill, Staffing, StaffingNeed,
                              StationDef, StationInfo, Team)

if TYPE_CHECKING:
    from db.connection import StationDB


def _station_row(s: StationInfo) -> dict:
    return {"code": s.code, "name": s.name, "name_en": s.name_en, "zone": s.zone, "kind": s.kind,
            "address": s.address}


def definition_rows(sd: StationDef) -> dict[str, list[dict]]:
    """The rows of the definition tables (teams, skills, ... hot spots) that hold ``sd``, in the
    order they are written (a table after those it refers to)."""
    return {
        "teams": [{"code": t.code, "name": t.name, "name_en": t.name_en, "kind": t.kind} for t in sd.teams],
        "skills": [{"code": k.code, "name": k.name, "name_en": k.name_en, "sworn_only": int(k.sworn_only)}
                   for k in sd.skills],
        "shift_types": [{"code": x.code, "name": x.name, "name_en": x.name_en, "start": x.start,
                         "minutes": x.minutes, "crosses_midnight": int(x.crosses_midnight), "kind": x.kind,
                         "label": x.label} for x in sd.shifts],
        "posts": [{"code": p.code, "name": p.name, "name_en": p.name_en, "kind": p.kind, "team": p.team,
                   "min_sworn": p.min_sworn, "required_skills": json.dumps(list(p.required_skills)),
                   "crew_skills": json.dumps(list(p.crew_skills)),
                   "allowed_types": json.dumps(list(p.allowed_types)),
                   "needs_woman": int(p.needs_woman), "description": p.description,
                   "enforcement": int(p.enforcement), "staffing": _staffing_json(p.staffing), "label": p.label}
                  for p in sd.posts],
        "demand": [dict(d.__dict__) for d in sd.demand],
        "rule_params": [{"key": r.key, "value": json.dumps(r.value), "unit": r.unit, "description": r.description,
                         "source": r.source} for r in sd.rules],
        "hot_spots": [{**{k: v for k, v in h.__dict__.items() if k != "windows"},
                       "windows": json.dumps([list(w) for w in h.windows])} for h in sd.hot_spots],
    }


# the primary key of each definition table (rows are compared and replaced by it)
DEFINITION_KEYS = {"teams": ("code",), "skills": ("code",), "shift_types": ("code",), "posts": ("code",),
                   "demand": ("post", "shift", "day_kind"), "rule_params": ("key",), "hot_spots": ("code",)}


def save_station(sdb: "StationDB", sd: StationDef) -> None:
    """Write a whole station definition into an empty database (inside a write transaction)."""
    db = sdb.db
    db["station"].insert({"id": 1, **_station_row(sd.station), "created_at": utc_now()})
    for table, rows in definition_rows(sd).items():
        db[table].insert_all(rows)


def replace_definition(sdb: "StationDB", sd: StationDef, *, drop_person_skills: tuple[str, ...] = ()) -> dict:
    """Make the station tables hold ``sd`` (inside a write transaction the caller holds), writing
    only the rows that differ: rows of ``sd`` are inserted or updated by their key, rows not in
    ``sd`` are deleted (demand of a removed post goes with it). ``drop_person_skills``: skills
    taken from the people who hold them first (the skill is removed from the station).

    The caller has checked that nothing else refers to a row that goes (rosters, people,
    incidents): a reference left would fail the foreign keys and roll everything back.
    Returns {table: {"written": n, "deleted": n}}."""
    assert sdb.conn.in_transaction, "replace_definition must run inside StationDB.write()"
    db = sdb.db
    station = _station_row(sd.station)
    old_station = sdb.one(f"SELECT {', '.join(station)} FROM station WHERE id = 1")
    if old_station != station:
        db["station"].update(1, station)
    if drop_person_skills:
        marks = ", ".join("?" * len(drop_person_skills))
        sdb.conn.execute(f"DELETE FROM person_skills WHERE skill IN ({marks})", tuple(drop_person_skills))
    wanted = definition_rows(sd)
    out: dict[str, dict] = {}
    gone: dict[str, list[tuple]] = {}
    for table, rows in wanted.items():
        keys = DEFINITION_KEYS[table]
        cols = list(db[table].columns_dict)
        current = {tuple(r[k] for k in keys): r for r in sdb.rows(f"SELECT {', '.join(cols)} FROM {table}")}
        new = {tuple(r[k] for k in keys): r for r in rows}
        written = 0
        for key, row in new.items():
            old = current.get(key)
            if old is None or any(old.get(c) != v for c, v in row.items()):
                db[table].upsert(row, pk=keys)
                written += 1
        gone[table] = [k for k in current if k not in new]
        out[table] = {"written": written, "deleted": len(gone[table])}
    for table in reversed(list(wanted)):         # a table before those it refers to
        where = " AND ".join(f"{k} = ?" for k in DEFINITION_KEYS[table])
        for key in gone[table]:
            sdb.conn.execute(f"DELETE FROM {table} WHERE {where}", key)
    return out


def load_station(sdb: "StationDB") -> StationDef:
    st = sdb.one("SELECT * FROM station WHERE id = 1")
    info = StationInfo(code=st["code"], name=st["name"], zone=st["zone"], kind=st["kind"],
                       name_en=st["name_en"], address=st["address"])
    return StationDef(
        station=info,
        teams=[Team(**r) for r in sdb.rows("SELECT code, name, kind, name_en FROM teams ORDER BY rowid")],
        skills=[Skill(code=r["code"], name=r["name"], name_en=r["name_en"], sworn_only=bool(r["sworn_only"]))
                for r in sdb.rows("SELECT * FROM skills ORDER BY rowid")],
        shifts=labels.filled([ShiftType(code=r["code"], name=r["name"], start=r["start"], minutes=r["minutes"],
                                        kind=r["kind"], name_en=r["name_en"], label=r["label"])
                              for r in sdb.rows("SELECT * FROM shift_types ORDER BY rowid")], post=False),
        posts=labels.filled([Post(code=r["code"], name=r["name"], kind=r["kind"], min_sworn=r["min_sworn"],
                    required_skills=tuple(json.loads(r["required_skills"])),
                    crew_skills=tuple(json.loads(r["crew_skills"])),
                    allowed_types=tuple(json.loads(r["allowed_types"])), needs_woman=bool(r["needs_woman"]),
                    team=r["team"], name_en=r["name_en"], description=r["description"],
                    enforcement=bool(r["enforcement"]), staffing=_staffing_of(r["staffing"]), label=r["label"])
               for r in sdb.rows("SELECT * FROM posts ORDER BY rowid")], post=True),
        demand=[Demand(**r) for r in sdb.rows("SELECT post, shift, day_kind, count FROM demand ORDER BY rowid")],
        rules=[RuleParam(key=r["key"], value=json.loads(r["value"]), unit=r["unit"], description=r["description"],
                         source=r["source"]) for r in sdb.rows("SELECT * FROM rule_params ORDER BY rowid")],
        hot_spots=[HotSpot(**{**r, "windows": tuple(tuple(w) for w in json.loads(r["windows"]))}) for r in sdb.rows(
            "SELECT code, name, risk, x_m, y_m, active_from, active_to, kind, windows FROM hot_spots ORDER BY rowid")],
    )


def _staffing_json(staffing) -> str:
    return json.dumps([{"name": a.name, "need": [{"count": n.count, "types": list(n.types), "skills": list(n.skills)}
                                                 for n in a.need]} for a in staffing], ensure_ascii=False)


def _staffing_of(raw: str) -> tuple[Staffing, ...]:
    return tuple(Staffing(name=a.get("name"), need=tuple(StaffingNeed(count=n["count"], types=tuple(n["types"]),
                                                                      skills=tuple(n["skills"])) for n in a["need"]))
                 for a in json.loads(raw or "[]"))


def _person_row(p: Person) -> dict:
    return {"badge": p.badge, "name": p.name, "sex": p.sex, "person_type": p.person_type, "team": p.team,
            "years_of_service": p.years_of_service, "active": int(p.active), "phone": p.phone, "note": p.note}


def save_people(sdb: "StationDB", people: list[Person]) -> dict:
    """Insert new people and update existing ones by badge (inside a write transaction).

    Returns {"added": [...badges], "updated": [...badges], "unchanged": n}.
    """
    existing = {p.badge: p for p in load_people(sdb)}
    added, updated, unchanged = [], [], 0
    for p in people:
        old = existing.get(p.badge)
        if old == p:
            unchanged += 1
            continue
        sdb.db["people"].upsert(_person_row(p), pk="badge")
        sdb.conn.execute("DELETE FROM person_skills WHERE badge = ?", (p.badge,))
        sdb.db["person_skills"].insert_all(
            [{"badge": p.badge, "skill": s, "expires": e.isoformat() if e else None} for s, e in p.skills.items()])
        (updated if old else added).append(p.badge)
    return {"added": added, "updated": updated, "unchanged": unchanged}


def load_people(sdb: "StationDB", *, active_only: bool = False) -> list[Person]:
    skills: dict[str, dict[str, date | None]] = {}
    for r in sdb.rows("SELECT badge, skill, expires FROM person_skills ORDER BY rowid"):
        skills.setdefault(r["badge"], {})[r["skill"]] = date.fromisoformat(r["expires"]) if r["expires"] else None
    where = "WHERE active = 1" if active_only else ""
    return [Person(badge=r["badge"], name=r["name"], sex=r["sex"], person_type=r["person_type"], team=r["team"],
                   years_of_service=r["years_of_service"], active=bool(r["active"]),
                   skills=skills.get(r["badge"], {}), phone=r["phone"], note=r["note"])
            for r in sdb.rows(f"SELECT * FROM people {where} ORDER BY rowid")]


# -- small lookups the use cases check against ----------------------------------------------------

def zone(sdb: "StationDB") -> str:
    return sdb.scalar("SELECT zone FROM station") or "Asia/Shanghai"


def station_name(sdb: "StationDB") -> str | None:
    return sdb.scalar("SELECT name FROM station")


def rule_value(sdb: "StationDB", key: str, default=None):
    raw = sdb.scalar("SELECT value FROM rule_params WHERE key = ?", (key,))
    return default if raw is None else json.loads(raw)


def find_hot_spot(sdb: "StationDB", code_or_name: str) -> dict | None:
    return sdb.one("SELECT code, name, x_m, y_m FROM hot_spots WHERE code = ? OR name = ?", (code_or_name,) * 2)


def hot_spot_points(sdb: "StationDB") -> dict[str, dict]:
    return {h["code"]: h for h in sdb.rows("SELECT code, name, x_m, y_m FROM hot_spots")}


def person_exists(sdb: "StationDB", badge: str, *, active_only: bool = False) -> bool:
    sql = "SELECT 1 FROM people WHERE badge = ?" + (" AND active = 1" if active_only else "")
    return sdb.scalar(sql, (badge,)) is not None


def shift_exists(sdb: "StationDB", code: str) -> bool:
    return sdb.scalar("SELECT 1 FROM shift_types WHERE code = ?", (code,)) is not None


def post_exists(sdb: "StationDB", code: str) -> bool:
    return sdb.scalar("SELECT 1 FROM posts WHERE code = ?", (code,)) is not None


def shift_start(sdb: "StationDB", code: str) -> str | None:
    """The shift's start as HH:MM, or None for an unknown shift."""
    return sdb.scalar("SELECT start FROM shift_types WHERE code = ?", (code,))


def has_demand(sdb: "StationDB") -> bool:
    return bool(sdb.scalar("SELECT count(*) FROM demand WHERE count > 0"))


# -- what refers to the definition (checked before a station change removes or changes a row) ----

def _marks(codes) -> str:
    return ", ".join("?" * len(codes))


def roster_versions_using(sdb: "StationDB", column: str, codes: list[str]) -> dict[str, list[dict]]:
    """{code: [{"roster_id", "version", "status"}]} of the roster versions with an assignment
    on one of these posts (``column="post"``) or shifts (``column="shift"``)."""
    assert column in ("post", "shift")
    if not codes:
        return {}
    out: dict[str, list[dict]] = {}
    for r in sdb.rows(f"SELECT DISTINCT a.{column} AS code, v.roster_id, v.version, v.status FROM assignments a "
                      f"JOIN roster_versions v ON v.id = a.version_id WHERE a.{column} IN ({_marks(codes)}) "
                      "ORDER BY v.roster_id, v.version", tuple(codes)):
        out.setdefault(r.pop("code"), []).append(r)
    return out


def other_uses(sdb: "StationDB", kind: str, codes: list[str]) -> dict[str, dict[str, int]]:
    """{code: {what: count}} of the records other than rosters that name these posts, shifts or
    hot spots (units of the duty board, officers' requests, handover notes, incidents, check-ins)."""
    if not codes:
        return {}
    refs = {"post": [("units", "units", "post")],
            "shift": [("units", "units", "shift"), ("requests", "requests", "shift"),
                      ("handover_notes", "handover_notes", "shift")],
            "hot_spot": [("incidents", "incidents", "hot_spot"), ("checkins", "checkins", "hot_spot")]}[kind]
    out: dict[str, dict[str, int]] = {}
    for what, table, column in refs:
        for r in sdb.rows(f"SELECT {column} AS code, count(*) AS n FROM {table} WHERE {column} IN ({_marks(codes)}) "
                          f"GROUP BY {column}", tuple(codes)):
            out.setdefault(r["code"], {})[what] = r["n"]
    return out


def skill_holders(sdb: "StationDB", codes: list[str]) -> dict[str, list[dict]]:
    """{skill: [{"badge", "name", "active"}]} of the people who hold these skills."""
    if not codes:
        return {}
    out: dict[str, list[dict]] = {}
    for r in sdb.rows("SELECT s.skill, p.badge, p.name, p.active FROM person_skills s "
                      f"JOIN people p ON p.badge = s.badge WHERE s.skill IN ({_marks(codes)}) ORDER BY p.rowid",
                      tuple(codes)):
        out.setdefault(r.pop("skill"), []).append(r)
    return out


def team_members(sdb: "StationDB", codes: list[str]) -> dict[str, list[dict]]:
    """{team: [{"badge", "name", "active"}]} of the people in these teams."""
    if not codes:
        return {}
    out: dict[str, list[dict]] = {}
    for r in sdb.rows(f"SELECT team, badge, name, active FROM people WHERE team IN ({_marks(codes)}) ORDER BY rowid",
                      tuple(codes)):
        out.setdefault(r.pop("team"), []).append(r)
    return out


def incident_types_needing(sdb: "StationDB", skills: list[str]) -> dict[str, dict[str, list[str]]]:
    """{skill: {"required": [type codes], "preferred": [type codes]}} of the incident catalogue's
    types that need (a unit must hold it) or prefer these skills."""
    wanted = set(skills)
    out: dict[str, dict[str, list[str]]] = {}
    if not wanted:
        return out
    for r in sdb.rows("SELECT code, skills, required_skills FROM incident_types ORDER BY rowid"):
        for how, col in (("required", "required_skills"), ("preferred", "skills")):
            for s in sorted(set(json.loads(r[col] or "[]")) & wanted):
                out.setdefault(s, {"required": [], "preferred": []})[how].append(r["code"])
    return out
