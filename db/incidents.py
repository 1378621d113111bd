"""Incidents (警情): the type catalogue, intake, dispatch, transitions and legal clocks.

Every command runs inside the caller's write transaction (`StationDB.write()`, which is
`BEGIN IMMEDIATE`), so a use case reads what it checks and writes in one transaction.
`dispatch` re-checks the call and every unit with conditional UPDATEs: of two terminals
sending the same unit, or two units to the same call, exactly one wins and the other is
refused with what happened instead.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Iterable
from zoneinfo import ZoneInfo

from db import units as units_db
from errors import Refused
from messages import Msg, Name, zone_name

if TYPE_CHECKING:
    from db.connection import StationDB

OPEN = ("dispatched", "en_route", "on_scene")
_SELECT = ("SELECT i.*, t.name AS type_name, t.name_en AS type_name_en FROM incidents i "
           "JOIN incident_types t ON t.code = i.type")


# -- the type catalogue --------------------------------------------------------------------------

def ensure_types(sdb: "StationDB", catalogue: Iterable) -> None:
    """Add the built-in incident types that the station's table lacks (inside a write)."""
    for t in catalogue:
        sdb.conn.execute(
            "INSERT OR IGNORE INTO incident_types (code, name, name_en, priority, min_sworn, needs_woman, "
            "needs_recording, skills, required_skills, min_people) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (t.code, t.name, t.name_en, t.priority, t.min_sworn, int(t.needs_woman), int(t.needs_recording),
             json.dumps(list(t.skills)), json.dumps(list(t.required_skills)), t.min_people))


def get_type(sdb: "StationDB", code: str) -> dict | None:
    return sdb.one("SELECT * FROM incident_types WHERE code = ?", (code,))


def types(sdb: "StationDB") -> list[dict]:
    return sdb.rows("SELECT code, name, name_en, priority, needs_woman FROM incident_types")


# -- reading -------------------------------------------------------------------------------------

def get(sdb: "StationDB", iid: int) -> dict | None:
    return sdb.one(_SELECT + " WHERE i.id = ?", (iid,))


def unit_codes(sdb: "StationDB", iid: int) -> list[str]:
    return [r["unit"] for r in sdb.rows("SELECT unit FROM incident_units WHERE incident_id = ? "
                                        "ORDER BY dispatched_at, unit", (iid,))]


def listing(sdb: "StationDB", *, open_only: bool = False) -> list[dict]:
    where = " WHERE i.status NOT IN ('cleared', 'closed')" if open_only else ""
    rows = sdb.rows(_SELECT + where + " ORDER BY i.priority, i.received_at")
    units: dict[int, list[str]] = {}
    for r in sdb.rows("SELECT incident_id, unit FROM incident_units ORDER BY dispatched_at, unit"):
        units.setdefault(r["incident_id"], []).append(r["unit"])
    for r in rows:
        r["units"] = units.get(r["id"], [])
    return rows


def received_between(sdb: "StationDB", start: str, end: str) -> list[dict]:
    return sdb.rows("SELECT * FROM incidents WHERE received_at >= ? AND received_at < ?", (start, end))


def call_of_unit(sdb: "StationDB", code: str) -> dict | None:
    """The open call a unit is on, newest first, with who sent it and when."""
    return sdb.one(
        "SELECT i.id, i.status, i.place_text, t.name AS type_name, t.name_en AS type_name_en, iu.dispatched_at, "
        "(SELECT e.login FROM unit_status_events e WHERE e.unit = iu.unit AND e.incident_id = i.id "
        " AND e.status = 'dispatched' ORDER BY e.id LIMIT 1) AS dispatched_by "
        "FROM incident_units iu JOIN incidents i ON i.id = iu.incident_id JOIN incident_types t ON t.code = i.type "
        f"WHERE iu.unit = ? AND i.status IN {OPEN} ORDER BY iu.dispatched_at DESC LIMIT 1", (code,))


# -- commands (inside a write transaction) -------------------------------------------------------

def add(sdb: "StationDB", row: dict) -> int:
    return sdb.db["incidents"].insert(row).last_pk


def _local(sdb: "StationDB", utc_text: str | None):
    """A stored instant as the station's clock time, labelled with the station's zone."""
    if not utc_text:
        return "?"
    zone = sdb.scalar("SELECT zone FROM station") or "Asia/Shanghai"
    t = datetime.fromisoformat(utc_text.replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
    return Msg("time.at_zone", time=t.strftime("%H:%M:%S"), zone=zone_name(zone))


def _unit(u: dict | None, code: str) -> Name:
    return Name(u["name"], code) if u and u.get("name") else Name(code)


def dispatch(sdb: "StationDB", iid: int, crews: dict[str, str], *, at: str, login: str,
             override: dict | None = None) -> None:
    """Send the units ``crews`` ({code: members JSON as last seen}) to a received call; an
    ``override`` ({"reason", "lacks"}) is recorded with the call.

    Refused (and rolled back by the caller's transaction) when the call is no longer waiting or
    a unit is no longer free with that crew: the message names the call the unit took."""
    assert sdb.conn.in_transaction, "dispatch runs inside StationDB.write()"
    codes = list(crews)
    reason = override["reason"] if override else None
    lacks = json.dumps(override["lacks"], ensure_ascii=False) if override else None
    cur = sdb.conn.execute("UPDATE incidents SET status = 'dispatched', dispatched_at = ?, unit = ?, "
                           "override_reason = ?, override_lacks = ? WHERE id = ? AND status = 'received'",
                           (at, codes[0], reason, lacks, iid))
    if cur.rowcount != 1:
        inc = get(sdb, iid)
        if inc is None:
            raise Refused(Msg("dispatch.no_incident", id=iid))
        sent = "+".join(unit_codes(sdb, iid)) or "?"
        raise Refused(Msg("dispatch.already_sent", id=iid, status=Msg(f"istatus.{inc['status']}"), sent=sent,
                          at=_local(sdb, inc["dispatched_at"])))
    for code in codes:
        if not units_db.take(sdb, code, members=crews[code], at=at):
            raise unit_not_free(sdb, code)
        sdb.db["incident_units"].insert({"incident_id": iid, "unit": code, "dispatched_at": at})
        units_db.add_event(sdb, code, "dispatched", at, incident_id=iid, login=login, note=reason)


def unit_not_free(sdb: "StationDB", code: str) -> Refused:
    u = units_db.get_unit(sdb, code)
    if u is None:
        return Refused(Msg("dispatch.unit_not_on_duty", unit=Name(code)))
    status = Msg(f"ustatus.{u['status']}")
    call = call_of_unit(sdb, code)
    if call is not None:
        return Refused(Msg("dispatch.unit_took_call_by" if call["dispatched_by"] else "dispatch.unit_took_call", unit=_unit(u, code),
                           status=status, id=call["id"], type=Name(call["type_name"], call["type_name_en"]),
                           place=call["place_text"], at=_local(sdb, call["dispatched_at"]),
                           by=call["dispatched_by"] or ""))
    if u["status"] in units_db.FREE:
        return Refused(Msg("dispatch.unit_crew_changed", unit=_unit(u, code)))
    return Refused(Msg("dispatch.unit_busy", unit=_unit(u, code), status=status))


def set_status(sdb: "StationDB", iid: int, *, expected: str, status: str, at: str) -> bool:
    """Move the call from ``expected`` to ``status`` and stamp ``{status}_at``. True if it moved."""
    if status not in ("received", "dispatched", "en_route", "on_scene", "cleared", "closed"):
        raise ValueError(status)
    cur = sdb.conn.execute(f"UPDATE incidents SET status = ?, {status}_at = ? WHERE id = ? AND status = ?",
                           (status, at, iid, expected))
    return cur.rowcount == 1


def set_clock(sdb: "StationDB", iid: int, *, kind: str, started: str, hours: float) -> bool:
    cur = sdb.conn.execute("UPDATE incidents SET clock_kind = ?, clock_started_at = ?, clock_hours = ? WHERE id = ?",
                           (kind, started, hours, iid))
    return cur.rowcount == 1
