"""Handover notes (交接班) between duty officers: written and signed by the outgoing officer,
countersigned once by the incoming one."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.connection import StationDB


def add(sdb: "StationDB", *, at: str, shift_date: str, text: str, from_login: str, to_login: str,
        content: dict) -> int:
    return sdb.db["handover_notes"].insert({
        "at": at, "shift_date": shift_date, "text": text, "from_login": from_login, "to_login": to_login,
        "from_signed_at": at, "content": json.dumps(content, ensure_ascii=False)}).last_pk


def get(sdb: "StationDB", hid: int) -> dict | None:
    h = sdb.one("SELECT * FROM handover_notes WHERE id = ?", (hid,))
    if h is not None:
        h["content"] = json.loads(h["content"]) if h["content"] else None
    return h


def countersign(sdb: "StationDB", hid: int, *, login: str, at: str) -> bool:
    """The incoming officer signs, once. True if this call signed it."""
    cur = sdb.conn.execute("UPDATE handover_notes SET to_signed_at = ? "
                           "WHERE id = ? AND to_login = ? AND to_signed_at IS NULL", (at, hid, login))
    return cur.rowcount == 1


def listing(sdb: "StationDB") -> list[dict]:
    return sdb.rows("SELECT id, at, from_login, to_login, from_signed_at, to_signed_at, text "
                    "FROM handover_notes ORDER BY id DESC")
