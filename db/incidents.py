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

if TYPE_CHECKING:
    from db.connection import StationDB

OPEN = ("dispatched", "en_route", "on_scene")
_SELECT = "SELECT i.*, t.name AS type_name FROM incidents i JOIN incident_types t ON t.code = i.type"


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
        "SELECT i.id, i.status, i.place_text, t.name AS type_name, iu.dispatched_at, "
        "(SELECT e.login FROM unit_status_events e WHERE e.unit = iu.unit AND e.incident_id = i.id "
        " AND e.status = 'dispatched' ORDER BY e.id LIMIT 1) AS dispatched_by "
        "FROM incident_units iu JOIN incidents i ON i.id = iu.incident_id JOIN incident_types t ON t.code = i.type "
        f"WHERE iu.unit = ? AND i.status IN {OPEN} ORDER BY iu.dispatched_at DESC LIMIT 1", (code,))


# -- commands (inside a write transaction) -------------------------------------------------------

def add(sdb: "StationDB", row: dict) -> int:
    return sdb.db["incidents"].insert(row).last_pk


def _local(sdb: "StationDB", utc_text: str | None) -> str:
    if not utc_text:
        return "?"
    zone = sdb.scalar("SELECT zone FROM station") or "Asia/Shanghai"
    t = datetime.fromisoformat(utc_text.replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
    return t.strftime("%H:%M:%S")


def dispatch(sdb: "StationDB", iid: int, crews: dict[str, str], *, at: str, login: str) -> None:
    """Send the units ``crews`` ({code: members JSON as last seen}) to a received call.

    Refused (and rolled back by the caller's transaction) when the call is no longer waiting or
    a unit is no longer free with that crew: the message names the call the unit took."""
    assert sdb.conn.in_transaction, "dispatch runs inside StationDB.write()"
    codes = list(crews)
    cur = sdb.conn.execute("UPDATE incidents SET status = 'dispatched', dispatched_at = ?, unit = ? "
                           "WHERE id = ? AND status = 'received'", (at, codes[0], iid))
    if cur.rowcount != 1:
        inc = get(sdb, iid)
        if inc is None:
            raise Refused(f"no incident {iid}")
        sent = "+".join(unit_codes(sdb, iid)) or "?"
        raise Refused(f"incident {iid} is already {inc['status']} (sent {sent} at {_local(sdb, inc['dispatched_at'])}); "
                      "nothing was done")
    for code in codes:
        if not units_db.take(sdb, code, members=crews[code], at=at):
            raise unit_not_free(sdb, code)
        sdb.db["incident_units"].insert({"incident_id": iid, "unit": code, "dispatched_at": at})
        units_db.add_event(sdb, code, "dispatched", at, incident_id=iid, login=login)


def unit_not_free(sdb: "StationDB", code: str) -> Refused:
    u = units_db.get_unit(sdb, code)
    if u is None:
        return Refused(f"unit {code} is not on duty now")
    call = call_of_unit(sdb, code)
    if call is not None:
        by = f" by {call['dispatched_by']}" if call["dispatched_by"] else ""
        return Refused(f"unit {code} is {u['status']}: it took incident {call['id']} ({call['type_name']}, "
                       f"{call['place_text']}) at {_local(sdb, call['dispatched_at'])}{by}; nothing was done")
    if u["status"] in units_db.FREE:
        return Refused(f"unit {code} changed crew meanwhile (shift change); look again and dispatch")
    return Refused(f"unit {code} is {u['status']}; nothing was done")


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
