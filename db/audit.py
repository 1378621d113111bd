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
    """The entry's hash: its fields and the previous hash, and the vouched state where there is
    one (entries written before schema 5 have none, and keep their hash)."""
    fields = [entry.get(f) for f in _FIELDS]
    if entry.get("state") is not None:
        fields.append(entry["state"])
    payload = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def head(sdb: "StationDB") -> tuple[int, str]:
    row = sdb.one("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
    return (row["seq"], row["hash"]) if row else (0, GENESIS)


def anchor(sdb: "StationDB") -> dict:
    """The chain head to keep outside the database: {"station", "seq", "hash", "at"}."""
    seq, h = head(sdb)
    code = sdb.scalar("SELECT code FROM station")
    return {"station": code, "seq": seq, "hash": h, "at": utc_now()}


def append(sdb: "StationDB", *, login: str, person: str | None, action: str, entity: str | None = None,
           entity_id: str | int | None = None, before: Any = None, after: Any = None,
           vouch: list[str] | tuple[str, ...] = ()) -> str:
    """Append one entry; must run inside a write transaction (so the chain head cannot race).

    The entry vouches for the record it is about (``entity``/``entity_id``, see
    `db.digests.default_keys`) and for the keys in ``vouch``: their digests, computed now inside
    the same transaction, are part of the hashed entry."""
    from db.digests import default_keys, digest
    assert sdb.conn.in_transaction, "audit.append must run inside StationDB.write()"
    seq, prev = head(sdb)
    keys = dict.fromkeys([*default_keys(entity, entity_id), *vouch])
    state = {k: digest(sdb, k) for k in keys} or None
    entry = {"seq": seq + 1, "at": utc_now(), "login": login, "person": person, "action": action,
             "entity": entity, "entity_id": None if entity_id is None else str(entity_id),
             "before": _canonical(before), "after": _canonical(after), "prev_hash": prev,
             "state": _canonical(state)}
    entry["hash"] = entry_hash(entry)
    if entry["state"] is None:
        del entry["state"]        # so an entry without digests is the same row as before schema 5
    sdb.db["audit_log"].insert(entry)
    return entry["hash"]


def verify(sdb: "StationDB") -> tuple[bool, int, str, str | None]:
    """Walk the chain. Returns (ok, entries, head hash, problem description or None)."""
    report = check_chain(sdb)
    return report["chain_ok"], report["entries"], report["head"], report["chain_problem"]


def check_chain(sdb: "StationDB") -> dict:
    """The chain alone, plus the newest vouched digest of every record (for `check`)."""
    prev = GENESIS
    expected_seq = 1
    count = 0
    vouched: dict[str, tuple[str, int, str, str]] = {}      # key -> (digest, seq, action, at)
    hashes: dict[int, str] = {}
    problem = None
    good_head, good_seq = GENESIS, 0
    cols = _FIELDS + ("hash", "state")
    for row in sdb.conn.execute(f"SELECT {', '.join(cols)} FROM audit_log ORDER BY seq"):
        entry = dict(zip(cols, row))
        count += 1
        if problem is None:     # the first break is reported; reading goes on for the records' digests
            if entry["seq"] != expected_seq:
                problem = f"entry {expected_seq} is missing (next is {entry['seq']})"
            elif entry["prev_hash"] != prev:
                problem = f"entry {entry['seq']} does not follow entry {entry['seq'] - 1} (reordered or removed)"
            elif entry_hash(entry) != entry["hash"]:
                problem = f"entry {entry['seq']} was altered"
            if problem is not None:
                good_head, good_seq = prev, expected_seq - 1
        if entry["state"]:
            for key, value in json.loads(entry["state"]).items():
                vouched[key] = (value, entry["seq"], entry["action"], entry["at"])
        hashes[entry["seq"]] = entry["hash"]
        prev = entry["hash"]
        expected_seq = entry["seq"] + 1
    if problem is not None:       # the head is the last entry before the break
        prev, last = good_head, good_seq
    else:
        last = expected_seq - 1
    return {"chain_ok": problem is None, "entries": count, "head": prev, "head_seq": last,
            "chain_problem": problem, "vouched": vouched, "hashes": hashes}


def check(sdb: "StationDB", anchors: list[dict] = ()) -> dict:
    """Everything `audit verify` checks: the chain; every record the log vouches for against
    the tables (changed, missing, or present with no entry vouching for it); the content digest
    stored with approved and published roster versions; and the anchors kept outside.

    Returns {"ok", "entries", "head", "head_seq", "problems": [...], "not_covered": [...],
    "anchors_checked", "records_checked"}; each problem names the table, the record and the
    entry that last vouched for it."""
    from db import digests
    chain = check_chain(sdb)
    problems: list[dict] = []
    if chain["chain_problem"]:
        problems.append({"kind": "chain", "table": "audit_log", "message": chain["chain_problem"]})
    vouched = chain["vouched"]
    for key, (value, seq, action, at) in sorted(vouched.items(), key=lambda kv: kv[1][1]):
        now = digests.digest(sdb, key)
        if now == value:
            continue
        where = f"audit entry {seq} ({action}, {at})"
        if now == digests.ABSENT:
            kind, msg = "missing", f"{digests.describe(key)} is missing; {where} says it exists"
        elif value == digests.ABSENT:
            kind, msg = "changed", f"{digests.describe(key)} exists, but {where} says it was removed"
        else:
            kind, msg = "changed", f"{digests.describe(key)} differs from what {where} vouched for"
        problems.append({"kind": kind, "table": digests.tables_of(key), "record": key, "entry": seq, "message": msg})
    for r in sdb.rows("SELECT roster_id, version, id, status, content_digest FROM roster_versions "
                      "WHERE content_digest IS NOT NULL"):
        now = digests.roster_content(sdb, r["id"])
        if now != r["content_digest"]:
            problems.append({"kind": "changed", "table": "assignments", "record": f"roster:{r['roster_id']}v{r['version']}",
                             "message": f"roster {r['roster_id']} v{r['version']} ({r['status']}): its assignments no "
                                        f"longer match the content digest {r['content_digest'][:16]} signed with it"})
    not_covered = sorted(digests.existing_keys(sdb) - set(vouched), key=_natural)
    anchors_checked = 0
    for a in anchors:
        anchors_checked += 1
        seq, h = int(a["seq"]), str(a["hash"])
        src = a.get("source", "anchor")
        if seq == 0:
            continue
        if seq > chain["head_seq"] and chain["chain_ok"]:
            problems.append({"kind": "anchor", "table": "audit_log", "entry": seq,
                             "message": f"{src}: the log ends at entry {chain['head_seq']}, but entry {seq} was "
                                        f"anchored (hash {h[:16]}): entries were cut off"})
        elif seq in chain["hashes"] and chain["hashes"][seq] != h:
            problems.append({"kind": "anchor", "table": "audit_log", "entry": seq,
                             "message": f"{src}: entry {seq} is not the entry anchored (hash {h[:16]}, now "
                                        f"{chain['hashes'][seq][:16]}): the chain was rewritten"})
    return {"ok": not problems, "entries": chain["entries"], "head": chain["head"], "head_seq": chain["head_seq"],
            "problems": problems, "not_covered": not_covered, "anchors_checked": anchors_checked,
            "records_checked": len(vouched)}


def _natural(key: str):
    kind, _, ident = key.partition(":")
    return (kind, [int(x) if x.isdigit() else x for x in ident.replace("v", " v ").split()])


def entries(sdb: "StationDB", *, since: str | None = None) -> list[dict]:
    sql = "SELECT seq, at, login, person, action, entity, entity_id, before, after, hash FROM audit_log"
    params: tuple = ()
    if since:
        sql += " WHERE at >= ?"
        params = (since,)
    return sdb.rows(sql + " ORDER BY seq", params)


def reason_of(sdb: "StationDB", action: str, entity_id: str) -> str | None:
    """The reason recorded with the newest ``action`` entry about ``entity_id`` (e.g. the
    chief's reason for approving a roster version with empty seats)."""
    row = sdb.one("SELECT after FROM audit_log WHERE action = ? AND entity_id = ? ORDER BY seq DESC LIMIT 1",
                  (action, entity_id))
    if not row or not row["after"]:
        return None
    return json.loads(row["after"]).get("reason")


def first_after(sdb: "StationDB", action: str):
    """The ``after`` of the first entry of ``action`` (e.g. how the station was initialised), or None."""
    row = sdb.one("SELECT after FROM audit_log WHERE action = ? ORDER BY seq LIMIT 1", (action,))
    if not row or not row["after"]:
        return None
    try:
        return json.loads(row["after"])
    except ValueError:
        return None
