"""Night patrol plans (夜巡方案) and the patrol teams' check-ins at hot spots."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.connection import StationDB


def add_plan(sdb: "StationDB", *, day: str, seed: int, roster_version_id: int | None, created_at: str,
             created_by: str, data: dict) -> int:
    return sdb.db["patrol_plans"].insert({
        "date": day, "seed": seed, "roster_version_id": roster_version_id, "created_at": created_at,
        "created_by": created_by, "plan": json.dumps(data, ensure_ascii=False),
        "metrics": json.dumps(data["metrics"], ensure_ascii=False)}).last_pk


def latest_plan(sdb: "StationDB", day: str) -> dict | None:
    """The newest plan for the night that starts on ``day`` (its ``plan`` JSON still as text)."""
    return sdb.one("SELECT * FROM patrol_plans WHERE date = ? ORDER BY id DESC LIMIT 1", (day,))


def checkins(sdb: "StationDB", plan_id: int) -> list[dict]:
    return sdb.rows("SELECT unit, hot_spot, at FROM checkins WHERE plan_id = ?", (plan_id,))


def add_checkin(sdb: "StationDB", *, unit: str, at: str, hot_spot: str, plan_id: int) -> int:
    return sdb.db["checkins"].insert({"unit": unit, "at": at, "hot_spot": hot_spot, "plan_id": plan_id,
                                      "kind": "visit"}).last_pk
