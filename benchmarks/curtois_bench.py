"""Run the roster engine on the Curtois & Qu instances and print a Markdown table.

    python benchmarks/curtois_bench.py [--time-limit 60] [--workers 2] [--seed 0] [--only 1,2,3]

The data is read from ../shared/benchmarks/curtois (next to the repository); nothing is
copied into the repository.  Progress goes to stderr, the table to stdout.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
DATA = os.path.join(ROOT, "..", "shared", "benchmarks", "curtois")


def main() -> int:
    from cli.bench import _solve_file
    from scheduler.curtois import BEST_KNOWN

    ap = argparse.ArgumentParser()
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", default=None)
    ap.add_argument("--data", default=DATA)
    a = ap.parse_args()
    nums = [int(x) for x in a.only.split(",")] if a.only else list(range(1, 25))
    print(f"date {dt.datetime.now():%Y-%m-%d %H:%M}, {platform.machine()}, "
          f"{os.cpu_count()} cores, time limit {a.time_limit:g} s, seed {a.seed}\n")
    print("| Inst | best known | objective | bound | gap to best | seconds | status | hard |")
    print("|---|---|---|---|---|---|---|---|")
    for n in nums:
        name = f"Instance{n}"
        print(f"{name} ...", file=sys.stderr, flush=True)
        r = _solve_file(os.path.join(a.data, name + ".txt"), a.time_limit, a.workers,
                        a.seed, progress=sys.stderr.isatty())
        gap = r["gap_to_best_known"]
        print(f"| {n} | {BEST_KNOWN[name]} | {r['objective']} | {r['lower_bound']} | "
              f"{100 * gap:.2f}% | {r['wall_s']:.1f} | {r['status']} | "
              f"{len(r['hard_violations'])} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
