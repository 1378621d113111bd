"""Night patrol planner benchmark: the product's planner on the demo's 12 hot spots with 3
teams, and on 60 generated hot spots with 20 teams, 12-hour nights.

    python benchmarks/patrol_bench.py
"""
from __future__ import annotations

import json
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheduler.patrol.model import PatrolProblem, Spot, Team  # noqa: E402
from scheduler.patrol.planner import plan_night  # noqa: E402
from scheduler.patrol.validate import metrics, validate_plan  # noqa: E402
from stationdef.demo import demo_station  # noqa: E402
from usecases.patrol import _windows  # noqa: E402


def demo_spots() -> list[Spot]:
    return [Spot(h.code, h.name, h.risk, h.x_m, h.y_m, _windows(h.active_from, h.active_to, 1200, 720))
            for h in demo_station().hot_spots]


def generated_spots(n: int, seed: int = 0) -> list[Spot]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        start = rng.choice([18, 19, 20, 21, 22, 0]) * 60
        length = rng.choice([180, 240, 360, 480, 1440])
        end = (start + length) % 1440
        a, b = f"{start // 60:02d}:{start % 60:02d}", f"{end // 60:02d}:{end % 60:02d}"
        if length == 1440:
            a, b = "00:00", "24:00"
        out.append(Spot(f"h{i}", f"热点{i}", round(rng.uniform(0.5, 4.0), 1), rng.uniform(-6000, 6000),
                        rng.uniform(-6000, 6000), _windows(a, b, 1200, 720)))
    return out


def run(label: str, spots, teams: int, seed: int) -> dict:
    p = PatrolProblem(night_start="2026-12-03T20:00:00+08:00", minutes=720, spots=spots,
                      teams=[Team(f"T{i}", f"巡逻{i}") for i in range(teams)], seed=seed)
    t0 = time.monotonic()
    plan = plan_night(p)
    wall = time.monotonic() - t0
    m = metrics(p, plan)
    hard = [v for v in validate_plan(p, plan) if v["hard"]]
    r = {"case": label, "spots": len(spots), "teams": teams, "seed": seed, "wall_s": round(wall, 2),
         "stopped_by": plan.stats["stopped_by"], "visits": sum(v.kind == "visit" for v in plan.visits),
         "uncovered": len(plan.uncovered), "hard_violations": len(hard),
         "risk_weighted_coverage": m["risk_weighted_coverage"],
         "max_gap_min": max(m["longest_gap_min"].values() or [0]),
         "mean_utilisation": round(sum(t["utilisation"] for t in m["teams"].values()) / max(1, len(m["teams"])), 3)}
    print(f"{label}: {r['wall_s']} s ({r['stopped_by']}), {r['visits']} visits, coverage {r['risk_weighted_coverage']}, "
          f"longest gap {r['max_gap_min']} min, uncovered {r['uncovered']}, hard violations {r['hard_violations']}, "
          f"utilisation {r['mean_utilisation']}", flush=True)
    return r


def main() -> None:
    out = {"machine": platform.platform(), "python": platform.python_version(), "runs": []}
    for seed in (1, 2, 3):
        out["runs"].append(run("demo 12 spots x 3 teams", demo_spots(), 3, seed))
    for seed in (1, 2):
        out["runs"].append(run("60 spots x 20 teams", generated_spots(60, seed), 20, seed))
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
