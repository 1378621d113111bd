"""Station definition and people: writing them in, reading them back."""
from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

from db.audit import utc_now
from stationdef import labels
from stationdef.model import (Demand, HotSpot, Person, Post, RuleParam, ShiftType, Skill, StationDef,
                              StationInfo, Team)

if TYPE_CHECKING:
    from db.connection import StationDB


def save_station(sdb: "StationDB", sd: StationDef) -> None:
    """Write a whole station definition into an empty database (inside a write transaction)."""
    db = sdb.db
    s = sd.station
    db["station"].insert({"id": 1, "code": s.code, "name": s.name, "name_en": s.name_en, "zone": s.zone,
                          "kind": s.kind, "address": s.address, "created_at": utc_now()})
    db["teams"].insert_all([{"code": t.code, "name": t.name, "name_en": t.name_en, "kind": t.kind}
                            for t in sd.teams])
    db["skills"].insert_all([{"code": k.code, "name": k.name, "name_en": k.name_en,
                              "sworn_only": int(k.sworn_only)} for k in sd.skills])
    db["shift_types"].insert_all([{"code": x.code, "name": x.name, "name_en": x.name_en, "start": x.start,
                                   "minutes": x.minutes, "crosses_midnight": int(x.crosses_midnight),
                                   "kind": x.kind, "label": x.label} for x in sd.shifts])
    db["posts"].insert_all([{"code": p.code, "name": p.name, "name_en": p.name_en, "kind": p.kind, "team": p.team,
                             "min_sworn": p.min_sworn, "required_skills": json.dumps(list(p.required_skills)),
                             "crew_skills": json.dumps(list(p.crew_skills)),
                             "allowed_types": json.dumps(list(p.allowed_types)),
                             "needs_woman": int(p.needs_woman), "description": p.description, "label": p.label}
                            for p in sd.posts])
    db["demand"].insert_all([d.__dict__ for d in sd.demand])
    db["rule_params"].insert_all([{"key": r.key, "value": json.dumps(r.value), "unit": r.unit,
                                   "description": r.description, "source": r.source} for r in sd.rules])
    db["hot_spots"].insert_all([h.__dict__ for h in sd.hot_spots])


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
                    team=r["team"], name_en=r["name_en"], description=r["description"], label=r["label"])
               for r in sdb.rows("SELECT * FROM posts ORDER BY rowid")], post=True),
        demand=[Demand(**r) for r in sdb.rows("SELECT post, shift, day_kind, count FROM demand ORDER BY rowid")],
        rules=[RuleParam(key=r["key"], value=json.loads(r["value"]), unit=r["unit"], description=r["description"],
                         source=r["source"]) for r in sdb.rows("SELECT * FROM rule_params ORDER BY rowid")],
        hot_spots=[HotSpot(**r) for r in sdb.rows(
            "SELECT code, name, risk, x_m, y_m, active_from, active_to, kind FROM hot_spots ORDER BY rowid")],
    )


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
