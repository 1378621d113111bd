"""Officers' wishes (意愿): to work, or not to work, a shift (or any shift) on a day, with a
weight 1-3. One row per person and day; the solver reads them through
`db.rosters.requests_between`."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from db.audit import utc_now

if TYPE_CHECKING:
    from db.connection import StationDB


def add_requests(sdb: "StationDB", rows: list[dict], *, login: str) -> list[int]:
    """Insert {badge, date (ISO), shift|None, kind on/off, weight, note} rows (inside a write
    transaction). Returns their ids."""
    now = utc_now()
    ids = []
    for r in rows:
        ids.append(sdb.db["requests"].insert({"badge": r["badge"], "date": r["date"], "shift": r["shift"],
                                              "kind": r["kind"], "weight": r["weight"], "note": r.get("note"),
                                              "created_at": now, "created_by": login}).last_pk)
    return ids


def requests_of(sdb: "StationDB", badges: list[str], start: date, end: date) -> list[dict]:
    """Wishes of these people between start and end (inclusive)."""
    if not badges:
        return []
    marks = ",".join("?" * len(badges))
    return sdb.rows(f"SELECT id, badge, date, shift, kind, weight, note FROM requests "
                    f"WHERE badge IN ({marks}) AND date BETWEEN ? AND ? ORDER BY date, badge, id",
                    (*badges, start.isoformat(), end.isoformat()))


def listing(sdb: "StationDB", start: date | None, end: date | None, badge: str | None = None) -> list[dict]:
    """Wishes with the person's name, in date order; None bounds are open."""
    return sdb.rows("""SELECT q.id, q.badge, p.name, q.date, q.shift, q.kind, q.weight, q.note, q.created_at,
                              q.created_by
                       FROM requests q JOIN people p ON p.badge = q.badge
                       WHERE (? IS NULL OR q.date >= ?) AND (? IS NULL OR q.date <= ?) AND (? IS NULL OR q.badge = ?)
                       ORDER BY q.date, q.badge, q.id""",
                    (*(2 * [start.isoformat() if start else None]), *(2 * [end.isoformat() if end else None]),
                     badge, badge))


def by_ids(sdb: "StationDB", ids: list[int]) -> list[dict]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    return sdb.rows(f"SELECT q.id, q.badge, p.name, q.date, q.shift, q.kind, q.weight, q.note FROM requests q "
                    f"JOIN people p ON p.badge = q.badge WHERE q.id IN ({marks}) ORDER BY q.date, q.badge, q.id",
                    tuple(ids))


def delete(sdb: "StationDB", ids: list[int]) -> int:
    """Remove these wishes (inside a write transaction); returns how many went."""
    if not ids:
        return 0
    marks = ",".join("?" * len(ids))
    return sdb.conn.execute(f"DELETE FROM requests WHERE id IN ({marks})", tuple(ids)).rowcount
