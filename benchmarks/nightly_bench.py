"""Nightly job throughput: N demo-like stations (different seeds), each solved with a short
time limit through the product's multi-station runner, and the projected wall time for 1,100
stations on 16 / 64 / 256 cores.

    python benchmarks/nightly_bench.py [--stations 100] [--time-limit 5] [--parallel 2]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stationdef.demo import demo_people, demo_station  # noqa: E402
from usecases.context import AppContext  # noqa: E402
from usecases.nightly import run_many  # noqa: E402
from usecases.station import init_station  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=100)
    ap.add_argument("--time-limit", type=float, default=5)
    ap.add_argument("--parallel", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        t0 = time.monotonic()
        for i in range(args.stations):
            p = Path(tmp) / f"station{i:03d}.db"
            init_station(AppContext(login="bench", db_path=p, db_explicit=True), demo_station(), demo_people(i),
                         source=f"bench seed {i}")
            paths.append(str(p))
        setup = time.monotonic() - t0
        t0 = time.monotonic()
        done = []

        def progress(r):
            done.append(r)
            if len(done) % 10 == 0:
                print(f"  {len(done)}/{len(paths)} stations, {time.monotonic() - t0:.0f} s", file=sys.stderr, flush=True)
        results = run_many(paths, "bench", {"time_limit": args.time_limit, "workers": 1}, parallel=args.parallel,
                           on_result=progress)
        wall = time.monotonic() - t0
    ok = [r for r in results if r["ok"]]
    per_station_core_s = wall * args.parallel / len(results)
    rate = len(results) / wall * 60
    short = sum(r["summary"]["roster"]["shortfalls"] for r in ok if r["summary"]["roster"])
    hard = sum(r["summary"]["roster"]["hard_violations"] for r in ok if r["summary"]["roster"])
    out = {"machine": platform.platform(), "cpus": os.cpu_count(), "stations": len(results), "ok": len(ok),
           "time_limit_s": args.time_limit, "parallel": args.parallel, "setup_s": round(setup, 1),
           "wall_s": round(wall, 1), "stations_per_minute": round(rate, 2),
           "core_seconds_per_station": round(per_station_core_s, 2),
           "total_shortfalls": short, "total_hard_violations": hard,
           "projected_wall_min_for_1100": {c: round(1100 * per_station_core_s / c / 60, 1) for c in (16, 64, 256)}}
    print(f"{len(ok)}/{len(results)} stations ok in {wall:.1f} s with {args.parallel} processes: "
          f"{rate:.2f} stations/min, {per_station_core_s:.1f} core-s per station; "
          f"shortfalls {short}, hard violations {hard}")
    for c, m in out["projected_wall_min_for_1100"].items():
        print(f"  1,100 stations on {c} cores: about {m} min")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
