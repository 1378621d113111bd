"""The nightly job's queries (the rest of what it reads and writes goes through db.rosters,
db.station and the roster / patrol use cases)."""
from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.connection import StationDB


def station_name_zone(sdb: "StationDB") -> tuple[str | None, str | None]:
    row = sdb.one("SELECT name, zone FROM station LIMIT 1")
    return (row["name"], row["zone"]) if row else (None, None)


def roster_end(sdb: "StationDB", statuses: tuple[str, ...] | None = None) -> date | None:
    """The last day covered by any roster (of any status, or of one of ``statuses``)."""
    if statuses:
        marks = ",".join("?" * len(statuses))
        end = sdb.scalar(f"""SELECT max(date(r.start, '+' || (r.days - 1) || ' days')) FROM rosters r
                             WHERE EXISTS (SELECT 1 FROM roster_versions v WHERE v.roster_id = r.id
                                           AND v.status IN ({marks}))""", statuses)
    else:
        end = sdb.scalar("SELECT max(date(start, '+' || (days - 1) || ' days')) FROM rosters")
    return date.fromisoformat(end) if end else None


def has_patrol_plan(sdb: "StationDB", day: date) -> bool:
    return bool(sdb.scalar("SELECT count(*) FROM patrol_plans WHERE date = ?", (day.isoformat(),)))


def roster_version_id(sdb: "StationDB", roster_id: int, version: int) -> int | None:
    return sdb.scalar("SELECT id FROM roster_versions WHERE roster_id = ? AND version = ?", (roster_id, version))


def newest_drafts(sdb: "StationDB", since: date) -> list[dict]:
    """The newest version of every roster that ends on or after ``since``, with its solver
    stats (for the morning summary)."""
    rows = sdb.rows("""
        SELECT r.id AS roster_id, r.start, r.days, v.version, v.status, v.solver
        FROM rosters r JOIN roster_versions v ON v.roster_id = r.id
        WHERE date(r.start, '+' || (r.days - 1) || ' days') >= ?
          AND v.version = (SELECT max(version) FROM roster_versions WHERE roster_id = r.id)
        ORDER BY r.start""", (since.isoformat(),))
    for r in rows:
        r["solver"] = json.loads(r["solver"]) if r["solver"] else {}
    return rows


def last_audit(sdb: "StationDB", action: str) -> str | None:
    """When ``action`` was last appended to the audit log (UTC ISO text), or None."""
    return sdb.scalar("SELECT max(at) FROM audit_log WHERE action = ?", (action,))
