"""Interleaved A/B runs of engine options on Curtois instances (wall-clock mode, the mode of
the published table): for each instance and seed, variant A then variant B, one after the
other, each in a fresh process, with the 1-minute load average before each run.

    python benchmarks/engine_options_ab.py --only 8,12,13 --seeds 0 \\
        --a '{}' --b '{"restart_stall": 0.1}' [--time-limit 60 --workers 2] > ab.json

Prints one JSON line per run on stderr and the list on stdout; a summary table at the end
on stderr (mean objective and gap per variant).  Single runs on a noisy machine: read the
differences against the run-to-run spread (docs/benchmarks.md).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path("/work/shared/benchmarks/curtois")
if not DATA.exists():
    DATA = ROOT.parent / "shared" / "benchmarks" / "curtois"

ONE = """
import json, sys
sys.path.insert(0, {root!r})
from scheduler.curtois import BEST_KNOWN, load
from scheduler.engine import RosterEngine, SolveOptions
p = load({path!r})
sol = RosterEngine(p, options=SolveOptions(time_limit={T}, num_workers={W}, seed={seed},
                                           **json.loads({opts!r}))).solve()
best = BEST_KNOWN.get(p.name)
print(json.dumps({{"objective": sol.objective, "hard": len(sol.hard_violations),
                  "best_known": best, "gap": round((sol.objective - best) / best, 4),
                  "restarts": sol.stats.get("restarts", 0),
                  "restart_improvements": sol.stats.get("restart_improvements", 0),
                  "penalty_phases": sol.stats.get("penalty_phases", 0),
                  "penalty_improvements": sol.stats.get("penalty_improvements", 0),
                  "wall_s": sol.wall_s}}))
"""


def run_one(inst: int, seed: int, opts: str, T: float, W: int) -> dict:
    load = os.getloadavg()[0]
    code = ONE.format(root=str(ROOT), path=str(DATA / f"Instance{inst}.txt"), T=T, W=W,
                      seed=seed, opts=opts)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    r.update(instance=inst, seed=seed, options=json.loads(opts), load=round(load, 2))
    return r


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="8,12,13,15,17,18")
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--a", default="{}")
    ap.add_argument("--b", default='{"restart_stall": 0.1}')
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    out = []
    for seed in [int(s) for s in args.seeds.split(",")]:
        for inst in [int(x) for x in args.only.split(",")]:
            for tag, opts in (("A", args.a), ("B", args.b)):
                r = run_one(inst, seed, opts, args.time_limit, args.workers)
                r["variant"] = tag
                out.append(r)
                print(json.dumps(r), file=sys.stderr, flush=True)
    print(json.dumps(out, indent=1))
    for tag in ("A", "B"):
        rs = [r for r in out if r["variant"] == tag]
        print(f"{tag}: mean gap {100 * sum(r['gap'] for r in rs) / len(rs):.2f}% over "
              f"{len(rs)} runs, hard {sum(r['hard'] for r in rs)}", file=sys.stderr)
    print(paired_summary(out), file=sys.stderr)


def paired_summary(out: list[dict]) -> str:
    """Per instance and over all pairs (same instance and seed): the mean of A's gap minus
    B's in points, how often B was better / worse / equal, and a paired t statistic (|t|
    under about 2 is within the run-to-run spread)."""
    runs = {(r["instance"], r["seed"], r["variant"]): r["gap"] for r in out}
    diffs: dict[int, list[float]] = {}
    for (inst, seed, tag), gap in runs.items():
        if tag == "A" and (inst, seed, "B") in runs:
            diffs.setdefault(inst, []).append(100 * (gap - runs[(inst, seed, "B")]))
    lines = ["paired (A gap - B gap, points; > 0: B better):"]
    for inst, d in sorted(diffs.items()) + [("all", sum(diffs.values(), []))]:
        if not d:
            continue
        better = sum(x > 0 for x in d)
        worse = sum(x < 0 for x in d)
        lines.append(f"  {inst}: mean {statistics.mean(d):+.2f} over {len(d)} pairs, B better "
                     f"{better}, worse {worse}, equal {len(d) - better - worse}"
                     f"{_t(d)}")
    return "\n".join(lines)


def _t(d: list[float]) -> str:
    if len(d) < 2:
        return ""
    sd = statistics.stdev(d)
    if sd == 0:
        return ""
    return f", t {statistics.mean(d) / (sd / math.sqrt(len(d))):+.2f}"


if __name__ == "__main__":
    main()
