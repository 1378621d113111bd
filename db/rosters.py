"""Rosters, their versions and assignments."""
from __future__ import annotations

import json
from datetime import date, timedelta
from typing import TYPE_CHECKING

from db.audit import utc_now

if TYPE_CHECKING:
    from db.connection import StationDB

LIVE_STATUSES = ("approved", "published")


def create_roster(sdb: "StationDB", *, start: date, days: int, login: str, note: str | None = None) -> int:
    return sdb.db["rosters"].insert({"start": start.isoformat(), "days": days, "created_at": utc_now(),
                                     "created_by": login, "note": note}).last_pk


def add_version(sdb: "StationDB", roster_id: int, *, status: str, login: str, assignments: list[dict],
                parent_id: int | None = None, comment: str | None = None, solver: dict | None = None) -> dict:
    """Insert a new version (number = last + 1) with its assignments; inside a write transaction."""
    last = sdb.scalar("SELECT max(version) FROM roster_versions WHERE roster_id = ?", (roster_id,)) or 0
    vid = sdb.db["roster_versions"].insert({
        "roster_id": roster_id, "version": last + 1, "status": status, "parent_id": parent_id,
        "created_at": utc_now(), "created_by": login, "comment": comment,
        "solver": json.dumps(solver, ensure_ascii=False) if solver is not None else None}).last_pk
    sdb.db["assignments"].insert_all([{"version_id": vid, **a} for a in assignments])
    return {"id": vid, "roster_id": roster_id, "version": last + 1, "status": status}


def get_roster(sdb: "StationDB", roster_id: int) -> dict | None:
    return sdb.one("SELECT * FROM rosters WHERE id = ?", (roster_id,))


def get_version(sdb: "StationDB", roster_id: int, version: int | None = None) -> dict | None:
    if version is None:
        row = sdb.one("SELECT * FROM roster_versions WHERE roster_id = ? ORDER BY version DESC LIMIT 1", (roster_id,))
    else:
        row = sdb.one("SELECT * FROM roster_versions WHERE roster_id = ? AND version = ?", (roster_id, version))
    if row and row.get("solver"):
        row["solver"] = json.loads(row["solver"])
    return row


def versions(sdb: "StationDB", roster_id: int) -> list[dict]:
    return sdb.rows("SELECT id, roster_id, version, status, parent_id, created_at, created_by, comment "
                    "FROM roster_versions WHERE roster_id = ? ORDER BY version", (roster_id,))


def list_rosters(sdb: "StationDB") -> list[dict]:
    return sdb.rows("""
        SELECT r.id, r.start, r.days, r.created_at, r.created_by, v.version, v.status, v.id AS version_id,
               (SELECT count(*) FROM assignments a WHERE a.version_id = v.id) AS assignments
        FROM rosters r JOIN roster_versions v ON v.roster_id = r.id
        WHERE v.version = (SELECT max(version) FROM roster_versions WHERE roster_id = r.id)
        ORDER BY r.start DESC, r.id DESC""")


def assignments(sdb: "StationDB", version_id: int) -> list[dict]:
    return sdb.rows("""SELECT a.date, a.badge, p.name, a.shift, a.post, a.reason
                       FROM assignments a JOIN people p ON p.badge = a.badge
                       WHERE a.version_id = ? ORDER BY a.date, a.shift, a.post, a.badge""", (version_id,))


def live_assignments(sdb: "StationDB", start: date, end: date, *, exclude_roster: int | None = None) -> list[dict]:
    """Assignments of approved or published versions between start and end (inclusive): for each
    roster its newest live version; where rosters overlap, the newer roster wins per date."""
    rows = sdb.rows(f"""
        SELECT a.date, a.badge, a.shift, a.post, v.roster_id, v.version
        FROM assignments a JOIN roster_versions v ON v.id = a.version_id
        WHERE v.status IN {LIVE_STATUSES} AND a.date BETWEEN ? AND ?
          AND v.version = (SELECT max(v2.version) FROM roster_versions v2
                           WHERE v2.roster_id = v.roster_id AND v2.status IN {LIVE_STATUSES})
          AND (? IS NULL OR v.roster_id != ?)
        ORDER BY a.date, v.roster_id""", (start.isoformat(), end.isoformat(), exclude_roster, exclude_roster))
    newest: dict[str, int] = {}
    for r in rows:
        newest[r["date"]] = max(newest.get(r["date"], 0), r["roster_id"])
    return [r for r in rows if r["roster_id"] == newest[r["date"]]]


def overlapping(sdb: "StationDB", start: date, days: int, statuses: tuple[str, ...]) -> list[dict]:
    end = start + timedelta(days=days - 1)
    marks = ",".join("?" * len(statuses))
    return sdb.rows(f"""
        SELECT r.id, r.start, r.days, v.version, v.status FROM rosters r JOIN roster_versions v ON v.roster_id = r.id
        WHERE v.status IN ({marks}) AND r.start <= ? AND date(r.start, '+' || (r.days - 1) || ' days') >= ?""",
                    (*statuses, end.isoformat(), start.isoformat()))


def set_status(sdb: "StationDB", version_id: int, status: str, *, comment: str | None = None,
               audit_head: str | None = None, content_digest: str | None = None) -> None:
    sdb.conn.execute("UPDATE roster_versions SET status = ?, comment = coalesce(?, comment), "
                     "audit_head = coalesce(?, audit_head), content_digest = coalesce(?, content_digest) "
                     "WHERE id = ?", (status, comment, audit_head, content_digest, version_id))


def leave_between(sdb: "StationDB", start: date, end: date) -> list[dict]:
    rows = sdb.rows("SELECT badge, start, end, kind, note FROM leave WHERE start <= ? AND end >= ?",
                    (end.isoformat(), start.isoformat()))
    for r in rows:
        r["start"], r["end"] = date.fromisoformat(r["start"]), date.fromisoformat(r["end"])
    return rows


def requests_between(sdb: "StationDB", start: date, end: date) -> list[dict]:
    rows = sdb.rows("SELECT badge, date, shift, kind, weight FROM requests WHERE date BETWEEN ? AND ?",
                    (start.isoformat(), end.isoformat()))
    for r in rows:
        r["date"] = date.fromisoformat(r["date"])
    return rows


def add_leave(sdb: "StationDB", badge: str, start: date, end: date, kind: str, note: str | None) -> int:
    return sdb.db["leave"].insert({"badge": badge, "start": start.isoformat(), "end": end.isoformat(),
                                   "kind": kind, "note": note, "created_at": utc_now()}).last_pk


def version_id(sdb: "StationDB", roster_id: int, version: int) -> int | None:
    return sdb.scalar("SELECT id FROM roster_versions WHERE roster_id = ? AND version = ?", (roster_id, version))


# -- changing the cells of one draft version (inside a write transaction) ------------------------

def version_state(sdb: "StationDB", version_id: int) -> dict:
    """Status and revision of a version, and the newest version number of its roster."""
    return sdb.one("SELECT v.status, v.revision, v.version, "
                   "(SELECT max(v2.version) FROM roster_versions v2 WHERE v2.roster_id = v.roster_id) AS newest "
                   "FROM roster_versions v WHERE v.id = ?", (version_id,))


def set_cells(sdb: "StationDB", version_id: int, rows: dict[tuple[str, str], dict | None]) -> int:
    """Replace only the cells given ({(badge, ISO date): assignment row or None for off}) and raise
    the version's revision. Returns the new revision."""
    assert sdb.conn.in_transaction, "set_cells runs inside StationDB.write()"
    for (badge, day), row in rows.items():
        sdb.conn.execute("DELETE FROM assignments WHERE version_id = ? AND badge = ? AND date = ?",
                         (version_id, badge, day))
        if row is not None:
            sdb.db["assignments"].insert({"version_id": version_id, "date": day, "badge": badge, **row})
    sdb.conn.execute("UPDATE roster_versions SET revision = revision + 1 WHERE id = ?", (version_id,))
    return sdb.scalar("SELECT revision FROM roster_versions WHERE id = ?", (version_id,))


def last_cell_change(sdb: "StationDB", roster_id: int, badge: str, day_index: int) -> dict | None:
    """The newest audit entry that changed the cell (badge, day of the roster): {login, at, action}."""
    key = f'"{badge}@{day_index}":'
    return sdb.one("SELECT login, at, action FROM audit_log WHERE entity = 'roster' AND entity_id LIKE ? "
                   "AND after LIKE ? ORDER BY seq DESC LIMIT 1", (f"{roster_id}v%", f"%{key}%"))


def published_version(sdb: "StationDB", roster_id: int) -> dict | None:
    return sdb.one("SELECT * FROM roster_versions WHERE roster_id = ? AND status = 'published' "
                   "ORDER BY version DESC LIMIT 1", (roster_id,))


def leave_listing(sdb: "StationDB", start: date, end: date) -> list[dict]:
    """Leave entries that touch [start, end], with their ids, in date order."""
    return sdb.rows("SELECT id, badge, start, end, kind, note, created_at FROM leave "
                    "WHERE start <= ? AND end >= ? ORDER BY start, badge, id", (end.isoformat(), start.isoformat()))
