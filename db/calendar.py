"""Calendar days: workdays, weekends, public holidays and 调休 make-up workdays."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.connection import StationDB


def save_days(sdb: "StationDB", days: list[dict]) -> int:
    """Upsert {date, kind, name, source} rows (inside a write transaction)."""
    sdb.db["calendar_days"].upsert_all(days, pk="date")
    return len(days)


def day_kinds(sdb: "StationDB", start: date, end: date) -> dict[date, dict]:
    rows = sdb.rows("SELECT date, kind, name, source FROM calendar_days WHERE date BETWEEN ? AND ? ORDER BY date",
                    (start.isoformat(), end.isoformat()))
    return {date.fromisoformat(r["date"]): r for r in rows}


def years_known(sdb: "StationDB") -> list[dict]:
    return sdb.rows("""SELECT substr(date, 1, 4) AS year, count(*) AS days,
                              sum(kind = 'holiday') AS holidays, sum(kind = 'adjusted_workday') AS adjusted,
                              group_concat(DISTINCT source) AS sources
                       FROM calendar_days GROUP BY year ORDER BY year""")
