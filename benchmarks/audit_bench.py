"""`audit verify` on a station with a year of records.

    python benchmarks/audit_bench.py [--days 365] [--calls-per-day 30]

Builds a demo station, then a year of history written the way dutydesk writes it (db/ commands
plus an audit entry that vouches for each record, one transaction per day): 26 two-week
rosters of three versions each (generated, edited, approved and published), ``--calls-per-day``
incidents a day, each taken, dispatched, moved on and closed (four entries), check-in
and leave. Then times `audit verify` (the use case: the chain, every vouched
record recomputed, the signed roster contents) and prints the figures.
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from db import digests, incidents as incidents_db, rosters as rdb  # noqa: E402
from stationdef.incident_types import CATALOGUE  # noqa: E402
from usecases.audit import verify  # noqa: E402
from usecases.context import AppContext  # noqa: E402
from usecases.station import init_demo  # noqa: E402


def build(db: Path, days: int, calls: int, seed: int) -> dict:
    ctx = AppContext(login="admin", db_path=db, db_explicit=True)
    init_demo(ctx)
    rng = random.Random(seed)
    s = ctx.open()
    sdb = s.sdb
    people = [r[0] for r in sdb.conn.execute("SELECT badge FROM people")]
    shifts = [r[0] for r in sdb.conn.execute("SELECT code FROM shift_types")]
    posts = [r[0] for r in sdb.conn.execute("SELECT code FROM posts")]
    start = date(2026, 1, 1)
    counts = {"rosters": 0, "versions": 0, "assignments": 0, "incidents": 0, "leave": 0}
    with sdb.write():
        incidents_db.ensure_types(sdb, CATALOGUE)
    for r0 in range(0, days, 14):
        with sdb.write():
            rid = rdb.create_roster(sdb, start=start + timedelta(days=r0), days=14, login="admin")
            prev = None
            for v, status in enumerate(("superseded", "superseded", "published"), start=1):
                rows = [{"date": (start + timedelta(days=r0 + d)).isoformat(), "badge": b,
                         "shift": rng.choice(shifts), "post": rng.choice(posts), "reason": None}
                        for d in range(14) for b in people if rng.random() < 0.6]
                ver = rdb.add_version(sdb, rid, status=status, login="admin", assignments=rows,
                                      parent_id=prev)
                prev = ver["id"]
                rdb.set_status(sdb, ver["id"], status, content_digest=digests.roster_content(sdb, ver["id"]))
                s.audit("roster.generate" if v == 1 else "roster.publish", entity="roster", entity_id=f"{rid}v{v}")
                counts["versions"] += 1
                counts["assignments"] += len(rows)
            counts["rosters"] += 1
    for d in range(days):
        day = start + timedelta(days=d)
        with sdb.write():
            for _ in range(calls):
                t = f"{day.isoformat()}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z"
                iid = incidents_db.add(sdb, {"type": rng.choice(CATALOGUE).code, "priority": 3, "status": "received",
                                             "place_text": "幸福小区", "received_at": t, "created_by": "duty"})
                s.audit("incident.new", entity="incident", entity_id=iid)
                for status in ("dispatched", "on_scene", "closed"):
                    sdb.conn.execute(f"UPDATE incidents SET status = ?, {status}_at = ? WHERE id = ?", (status, t, iid))
                    s.audit("incident.update", entity="incident", entity_id=iid)
                counts["incidents"] += 1
            if rng.random() < 0.3:
                lid = rdb.add_leave(sdb, rng.choice(people), day, day, "annual", None)
                s.audit("leave.add", entity="leave", entity_id=lid)
                counts["leave"] += 1
    counts["audit_entries"] = sdb.scalar("SELECT count(*) FROM audit_log")
    s.close()
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--calls-per-day", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    db = Path(tempfile.mkdtemp(prefix="dutydesk-audit-")) / "station.db"
    t0 = time.perf_counter()
    counts = build(db, args.days, args.calls_per_day, args.seed)
    print(f"built in {time.perf_counter() - t0:.1f} s: " + ", ".join(f"{k} {v}" for k, v in counts.items())
          + f"; file {db.stat().st_size / 1e6:.1f} MB; load {os.getloadavg()[0]:.2f}")
    times = []
    for _ in range(args.runs):
        with AppContext(login="admin", db_path=db, db_explicit=True).open() as s:
            t0 = time.perf_counter()
            r = verify(s)
            times.append(time.perf_counter() - t0)
        assert r["ok"], r["problems"][:3]
    print(f"audit verify: {r['entries']} entries, {r['records_checked']} records recomputed, "
          f"not covered {len(r['not_covered'])}; seconds " + " / ".join(f"{x:.2f}" for x in times)
          + f" (min {min(times):.2f}); load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
