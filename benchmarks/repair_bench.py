"""Repair benchmark: one person away for 3 days, on the demo station and a 150-person station.

    python benchmarks/repair_bench.py [--people 150] [--cases 5] [--time-limit 8]

For each station: a 28-day roster generated with a short limit, then ``--cases`` repairs (each
from the same version), each of a different person who works on the first of the three days.
Prints per case: cells changed against the fewest possible (the absent person's cells that
must go plus one per seat refilled), changes outside the absence, empty seats before and
after, whether a shift of the absent person overlaps the absence, and seconds.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import arrow  # noqa: E402

from stationdef.demo import demo_people, demo_station, generated_station  # noqa: E402
from usecases.context import AppContext  # noqa: E402
from usecases.roster import RosterRef, generate, repair, show  # noqa: E402
from usecases.station import init_station  # noqa: E402


def bench(label: str, sd, people, tmp: Path, cases: int, limit: float, gen_limit: float) -> list[dict]:
    ctx = AppContext(login="bench", db_path=tmp / f"{label}.db", db_explicit=True)
    init_station(ctx, sd, people, source="bench")
    start = arrow.now("Asia/Shanghai").date() + timedelta(days=7)
    with ctx.open() as s:
        g = generate(s, start, 28, time_limit=gen_limit, workers=2)
        grid = show(s, RosterRef(g["roster_id"], 1))["assignments"]
    day = start + timedelta(days=5)
    shifts = {x.code: x for x in sd.shifts}
    workers = sorted({a["badge"] for a in grid if a["date"] == day.isoformat()})[:cases]
    out = []
    for badge in workers:
        db = tmp / f"{label}-{badge}.db"
        import shutil
        shutil.copy(ctx.db_path, db)
        for suffix in ("-wal", "-shm"):
            src = Path(str(ctx.db_path) + suffix)
            if src.exists():
                shutil.copy(src, str(db) + suffix)
        with AppContext(login="bench", db_path=db, db_explicit=True).open() as s:
            t0 = time.perf_counter()
            r = repair(s, RosterRef(g["roster_id"], 1), badge, day, day + timedelta(days=2), reason="病假",
                       time_limit=limit, workers=2, today=start)
            wall = time.perf_counter() - t0
            after = show(s, RosterRef(g["roster_id"]))["assignments"]
        away = {(day + timedelta(days=i)).isoformat() for i in range(3)}
        before_day = (day - timedelta(days=1)).isoformat()
        overlap = any(a["badge"] == badge and (a["date"] in away or (
            a["date"] == before_day and shifts[a["shift"]].start_minute + shifts[a["shift"]].minutes > 1440))
                      for a in after)
        sv = r["solver"]
        row = {"badge": badge, "changed": len(r["changes"]), "minimum": sv["changes_minimum"],
               "outside": sv["changes_outside"], "empty_after": sv["shortfalls"],
               "widened": bool(sv["widened"]), "overlap": overlap, "seconds": round(wall, 2)}
        out.append(row)
        print(f"{label}: {badge} changed {row['changed']} (fewest possible {row['minimum']}), outside the absence "
              f"{row['outside']}, empty seats after {row['empty_after']}, overlap {overlap}, {wall:.2f} s", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--people", type=int, default=150)
    ap.add_argument("--cases", type=int, default=5)
    ap.add_argument("--time-limit", type=float, default=8)
    ap.add_argument("--generate-limit", type=float, default=20)
    args = ap.parse_args()
    print(f"load {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        rows = bench("demo", demo_station(), demo_people(0), Path(tmp), args.cases, args.time_limit,
                     args.generate_limit)
        sd, people = generated_station(args.people)
        rows_big = bench(f"gen{args.people}", sd, people, Path(tmp), args.cases, args.time_limit,
                         args.generate_limit * 2)
    for label, rs in (("demo", rows), (f"gen{args.people}", rows_big)):
        print(f"{label}: changed {sum(r['changed'] for r in rs)} against fewest possible "
              f"{sum(r['minimum'] for r in rs)} over {len(rs)} cases; outside {sum(r['outside'] for r in rs)}; "
              f"overlaps {sum(r['overlap'] for r in rs)}; seconds median {statistics.median(r['seconds'] for r in rs):.2f} "
              f"max {max(r['seconds'] for r in rs):.2f}")
    print(f"load {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
