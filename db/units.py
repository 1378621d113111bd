"""Units on duty (处警单元): their crews, their one status, status events and check-ins.

Commands run inside the caller's write transaction; a change that depends on the unit's
current status is a conditional UPDATE whose row count is checked, so two terminals can never
both take the same free unit.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.connection import StationDB

FREE = ("available", "patrol")
BUSY = ("dispatched", "en_route", "on_scene")


def all_units(sdb: "StationDB") -> list[dict]:
    return sdb.rows("SELECT * FROM units ORDER BY code")


def get_unit(sdb: "StationDB", code: str) -> dict | None:
    return sdb.one("SELECT * FROM units WHERE code = ?", (code,))


def add_unit(sdb: "StationDB", row: dict) -> None:
    sdb.db["units"].insert(row)


def set_crew(sdb: "StationDB", code: str, *, name: str, date: str | None, shift: str | None, members: str,
             kind: str, status: str, status_at: str | None) -> None:
    sdb.conn.execute("UPDATE units SET name = ?, date = ?, shift = ?, members = ?, kind = ?, status = ?, "
                     "status_at = ? WHERE code = ?", (name, date, shift, members, kind, status, status_at, code))


def open_calls(sdb: "StationDB", code: str, *, except_incident: int | None = None) -> int:
    """How many open (dispatched, en route, on scene) incidents the unit is on."""
    return sdb.scalar(
        "SELECT count(*) FROM incident_units iu JOIN incidents i ON i.id = iu.incident_id "
        "WHERE iu.unit = ? AND i.status IN ('dispatched', 'en_route', 'on_scene') AND (? IS NULL OR i.id != ?)",
        (code, except_incident, except_incident))


def set_off_duty(sdb: "StationDB", code: str, at: str) -> None:
    sdb.conn.execute("UPDATE units SET status = 'off_duty', status_at = ? WHERE code = ?", (at, code))


def form_adhoc(sdb: "StationDB", code: str, *, name: str, post: str, date: str, shift: str, members: str,
               kind: str, at: str) -> None:
    """A post's crew that is not a unit (the traffic post, case duty...) becomes a unit for a
    call sent by override (``adhoc`` = 1), free to be taken by `take`. Inside the caller's write
    transaction: a unit of that code already out on a call is left as it is (then `take` fails
    and the caller is refused with the call it took); one stood down is formed again."""
    sdb.conn.execute("INSERT OR IGNORE INTO units (code, name, post, date, shift, members, status, status_at, kind, "
                     "adhoc) VALUES (?, ?, ?, ?, ?, ?, 'off_duty', ?, ?, 1)", (code, name, post, date, shift, members,
                                                                              at, kind))
    sdb.conn.execute("UPDATE units SET name = ?, date = ?, shift = ?, members = ?, kind = ?, status = 'available', "
                     "status_at = ? WHERE code = ? AND adhoc = 1 AND status IN ('off_duty', 'available')",
                     (name, date, shift, members, kind, at, code))


def take(sdb: "StationDB", code: str, *, members: str, at: str) -> bool:
    """Mark a free unit dispatched, if it is still free and still the same crew. True if taken."""
    cur = sdb.conn.execute(
        f"UPDATE units SET status = 'dispatched', status_at = ? WHERE code = ? AND status IN {FREE} AND members = ?",
        (at, code, members))
    return cur.rowcount == 1


def set_status(sdb: "StationDB", code: str, status: str, at: str) -> None:
    sdb.conn.execute("UPDATE units SET status = ?, status_at = ? WHERE code = ?", (status, at, code))


def add_event(sdb: "StationDB", code: str, status: str, at: str, *, incident_id: int | None, login: str,
              note: str | None = None) -> None:
    sdb.db["unit_status_events"].insert({"unit": code, "status": status, "at": at, "incident_id": incident_id,
                                         "login": login, "note": note})


def calls_since(sdb: "StationDB", code: str, since: str) -> int:
    """Calls the unit was sent to since ``since`` (its load)."""
    return sdb.scalar("SELECT count(*) FROM incident_units WHERE unit = ? AND dispatched_at >= ?", (code, since))


def acknowledge(sdb: "StationDB", code: str, *, at: str, login: str) -> dict | None:
    """Record the duty officer's acknowledgement of a check-in: the unit as it was, with the new
    check-in's ``checkin_id``; None if there is no such unit."""
    u = get_unit(sdb, code)
    if u is None:
        return None
    sdb.conn.execute("UPDATE units SET last_checkin_at = ? WHERE code = ?", (at, code))
    cid = sdb.db["checkins"].insert({"unit": code, "at": at, "kind": "ack", "acknowledged_by": login}).last_pk
    return u | {"checkin_id": cid}


def ensure_patrol_team(sdb: "StationDB", code: str, *, name: str, badges: list[str]) -> None:
    """A patrol team from the night's plan gets a unit row the first time it checks in."""
    sdb.conn.execute("INSERT OR IGNORE INTO units (code, name, post, status, members) VALUES (?, ?, ?, 'patrol', ?)",
                     (code, name, code, json.dumps(badges)))
