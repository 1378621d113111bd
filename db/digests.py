"""Content digests of the records the audit log vouches for.

Each audit entry that changes a record carries, in its hashed ``state`` field, the digest of
what the change left behind: ``{"incident:12": "<sha256>", "users": "<sha256>", ...}``.
`audit verify` recomputes the newest vouched digest of every record from the tables, so a
record changed, added or deleted behind dutydesk's back is named with the entry that last
vouched for it.

A record is named by a key: ``kind`` for a whole table (``users``, ``people``, ``station``,
``calendar``) or ``kind:id`` for one record (``roster:3v2``, ``incident:12``, ``leave:7``,
``handover:2``, ``patrol_plan:5``, ``checkin:40``). Each kind digests a fixed list of columns,
so a later migration that adds a column does not change the digest of an old record.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from db.connection import StationDB

ABSENT = "absent"


def _h(value) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rows(sdb: "StationDB", sql: str, params: tuple = ()) -> list[list]:
    return [list(r) for r in sdb.conn.execute(sql, params).fetchall()]


def _record(sdb: "StationDB", sql: str, params: tuple) -> str:
    rows = _rows(sdb, sql, params)
    return _h(rows[0]) if rows else ABSENT


# -- whole tables --------------------------------------------------------------------------------

def _users(sdb: "StationDB", _id: None) -> str:
    return _h([_rows(sdb, "SELECT login, person, created_at FROM users ORDER BY login"),
               _rows(sdb, "SELECT login, role FROM user_roles ORDER BY login, role")])


def _people(sdb: "StationDB", _id: None) -> str:
    return _h([_rows(sdb, "SELECT badge, name, sex, person_type, team, years_of_service, active, phone, note "
                          "FROM people ORDER BY badge"),
               _rows(sdb, "SELECT badge, skill, expires FROM person_skills ORDER BY badge, skill")])


STATION_TABLES = {
    "station": "SELECT code, name, name_en, zone, kind, address FROM station",
    "teams": "SELECT code, name, name_en, kind FROM teams ORDER BY code",
    "skills": "SELECT code, name, name_en, sworn_only FROM skills ORDER BY code",
    "shift_types": "SELECT code, name, name_en, start, minutes, crosses_midnight, kind FROM shift_types ORDER BY code",
    "posts": "SELECT code, name, name_en, kind, team, min_sworn, required_skills, crew_skills, allowed_types, "
             "needs_woman, description FROM posts ORDER BY code",
    "demand": "SELECT post, shift, day_kind, count FROM demand ORDER BY post, shift, day_kind",
    "rule_params": "SELECT key, value FROM rule_params ORDER BY key",
    "hot_spots": "SELECT code, name, kind, risk, x_m, y_m, active_from, active_to FROM hot_spots ORDER BY code",
}


def _station(sdb: "StationDB", _id: None) -> str:
    return _h({table: _rows(sdb, sql) for table, sql in STATION_TABLES.items()})


def _calendar(sdb: "StationDB", _id: None) -> str:
    return _h(_rows(sdb, "SELECT date, kind, name, source FROM calendar_days ORDER BY date"))


# -- single records ------------------------------------------------------------------------------

def roster_content(sdb: "StationDB", version_id: int) -> str:
    """The digest of a version's assignments alone: what a chief signs, printed on exports."""
    return _h(_rows(sdb, "SELECT date, badge, shift, post, reason FROM assignments WHERE version_id = ? "
                         "ORDER BY date, badge", (version_id,)))


def _roster(sdb: "StationDB", ref: str) -> str:
    rid, ver = ref.split("v")
    row = sdb.conn.execute("SELECT id, status FROM roster_versions WHERE roster_id = ? AND version = ?",
                           (int(rid), int(ver))).fetchone()
    if row is None:
        return ABSENT
    return _h([row[1], roster_content(sdb, row[0])])


def _incident(sdb: "StationDB", iid: str) -> str:
    rows = _rows(sdb, "SELECT id, type, priority, status, place_text, hot_spot, x_m, y_m, reporter, reporter_phone, "
                      "notes, unit, received_at, dispatched_at, en_route_at, on_scene_at, cleared_at, closed_at, "
                      "female_search, clock_kind, clock_started_at, clock_hours, created_by FROM incidents WHERE id = ?",
                 (int(iid),))
    if not rows:
        return ABSENT
    return _h([rows[0], _rows(sdb, "SELECT unit, dispatched_at FROM incident_units WHERE incident_id = ? "
                                   "ORDER BY unit", (int(iid),))])


def _leave(sdb: "StationDB", lid: str) -> str:
    return _record(sdb, "SELECT id, badge, start, end, kind, note, created_at FROM leave WHERE id = ?", (int(lid),))


def _handover(sdb: "StationDB", hid: str) -> str:
    return _record(sdb, "SELECT id, at, shift_date, text, from_login, to_login, from_signed_at, to_signed_at, content "
                        "FROM handover_notes WHERE id = ?", (int(hid),))


def _patrol_plan(sdb: "StationDB", pid: str) -> str:
    return _record(sdb, "SELECT id, date, seed, roster_version_id, created_at, created_by, plan FROM patrol_plans "
                        "WHERE id = ?", (int(pid),))


def _checkin(sdb: "StationDB", cid: str) -> str:
    return _record(sdb, "SELECT id, unit, at, hot_spot, plan_id, kind, acknowledged_by FROM checkins WHERE id = ?",
                   (int(cid),))


@dataclass(frozen=True)
class Kind:
    """One kind of record the log vouches for: what a person calls it, its tables, its digest,
    and (for per-record kinds) how to list the records that exist now."""

    label: str
    tables: str
    digest: Callable
    ids_sql: str | None = None


KINDS: dict[str, Kind] = {
    "users": Kind("the user and role table", "users, user_roles", _users),
    "people": Kind("the people list", "people, person_skills", _people),
    "station": Kind("the station definition (teams, skills, shifts, posts, demand, rules, hot spots)",
                    "station and its definition", _station),
    "calendar": Kind("the holiday calendar", "calendar_days", _calendar),
    "roster": Kind("roster version", "roster_versions, assignments", _roster,
                   "SELECT roster_id || 'v' || version FROM roster_versions"),
    "incident": Kind("incident", "incidents, incident_units", _incident, "SELECT id FROM incidents"),
    "leave": Kind("leave entry", "leave", _leave, "SELECT id FROM leave"),
    "handover": Kind("handover", "handover_notes", _handover, "SELECT id FROM handover_notes"),
    "patrol_plan": Kind("patrol plan", "patrol_plans", _patrol_plan, "SELECT id FROM patrol_plans"),
    "checkin": Kind("check-in", "checkins", _checkin, "SELECT id FROM checkins"),
}


def digest(sdb: "StationDB", key: str) -> str:
    kind, _, ident = key.partition(":")
    return KINDS[kind].digest(sdb, ident or None)


def describe(key: str) -> str:
    kind, _, ident = key.partition(":")
    label = KINDS[kind].label
    return f"{label} {ident}" if ident else label


def tables_of(key: str) -> str:
    return KINDS[key.partition(":")[0]].tables


def existing_keys(sdb: "StationDB") -> set[str]:
    """Every record of a per-record kind in the tables now."""
    out = set()
    for kind, k in KINDS.items():
        if k.ids_sql:
            out |= {f"{kind}:{r[0]}" for r in sdb.conn.execute(k.ids_sql)}
    return out


def default_keys(entity: str | None, entity_id) -> list[str]:
    """The records an audit entry about ``entity`` vouches for without being told."""
    if entity in ("users", "user"):
        return ["users"]
    if entity == "station":
        return ["station", "people", "users", "calendar"]
    if entity in ("people", "calendar"):
        return [entity]
    if entity in ("roster", "incident", "handover", "patrol_plan", "checkin", "leave") and entity_id is not None:
        ident = str(entity_id)
        if entity == "roster" or ident.isdigit():
            return [f"{entity}:{ident}"]
    return []
