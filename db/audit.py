"""The append-only, hash-chained audit log.

Each entry's hash covers its own fields and the previous entry's hash, so altering,
removing or reordering an entry breaks the chain from there on. Triggers in the schema refuse
UPDATE and DELETE on the table.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db.connection import StationDB

GENESIS = "0" * 64
_FIELDS = ("seq", "at", "login", "person", "action", "entity", "entity_id", "before", "after", "prev_hash")


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _canonical(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(entry: dict) -> str:
    payload = json.dumps([entry.get(f) for f in _FIELDS], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def head(sdb: "StationDB") -> tuple[int, str]:
    row = sdb.one("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
    return (row["seq"], row["hash"]) if row else (0, GENESIS)


def append(sdb: "StationDB", *, login: str, person: str | None, action: str, entity: str | None = None,
           entity_id: str | int | None = None, before: Any = None, after: Any = None) -> str:
    """Append one entry; must run inside a write transaction (so the chain head cannot race)."""
    assert sdb.conn.in_transaction, "audit.append must run inside StationDB.write()"
    seq, prev = head(sdb)
    entry = {"seq": seq + 1, "at": utc_now(), "login": login, "person": person, "action": action,
             "entity": entity, "entity_id": None if entity_id is None else str(entity_id),
             "before": _canonical(before), "after": _canonical(after), "prev_hash": prev}
    entry["hash"] = entry_hash(entry)
    sdb.db["audit_log"].insert(entry)
    return entry["hash"]


def verify(sdb: "StationDB") -> tuple[bool, int, str, str | None]:
    """Walk the chain. Returns (ok, entries, head hash, problem description or None)."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    for row in sdb.conn.execute(f"SELECT {', '.join(_FIELDS)}, hash FROM audit_log ORDER BY seq"):
        entry = dict(zip(_FIELDS + ("hash",), row))
        count += 1
        if entry["seq"] != expected_seq:
            return False, count, prev, f"entry {expected_seq} is missing (next is {entry['seq']})"
        if entry["prev_hash"] != prev:
            return False, count, prev, f"entry {entry['seq']} does not follow entry {entry['seq'] - 1} (reordered or removed)"
        if entry_hash(entry) != entry["hash"]:
            return False, count, prev, f"entry {entry['seq']} was altered"
        prev = entry["hash"]
        expected_seq += 1
    return True, count, prev, None


def entries(sdb: "StationDB", *, since: str | None = None) -> list[dict]:
    sql = "SELECT seq, at, login, person, action, entity, entity_id, before, after, hash FROM audit_log"
    params: tuple = ()
    if since:
        sql += " WHERE at >= ?"
        params = (since,)
    return sdb.rows(sql + " ORDER BY seq", params)
