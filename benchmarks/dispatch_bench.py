"""Dispatch recommendation benchmark: rank 50 units for a call (the product's ranking).

    python benchmarks/dispatch_bench.py
Prints the median and worst time over repeated runs, for a call one unit can take and for a
call that needs two units together (all pairs are considered).
"""
from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scheduler.dispatch import Member, Need, UnitState, rank  # noqa: E402


def units(n: int, seed: int = 0) -> list[UnitState]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        members = [Member(f"{i}a", f"民警{i}", rng.choice("MF"), "sworn", frozenset(rng.sample(
            ["patrol", "driving", "antifraud", "mediation", "traffic"], 2))),
                   Member(f"{i}b", f"辅警{i}", rng.choice("MMF"), "duty_aux", frozenset({"patrol"}))]
        out.append(UnitState(code=f"U{i}", name=f"巡逻{i}", status=rng.choice(["available"] * 4 + ["patrol", "on_scene"]),
                             members=members, x_m=rng.uniform(-5000, 5000), y_m=rng.uniform(-5000, 5000),
                             load=rng.randint(0, 3), minutes_on_duty=rng.randint(0, 600)))
    return out


def time_it(label: str, us, need, repeat: int = 200) -> None:
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = rank(us, need)
        ts.append((time.perf_counter() - t0) * 1000)
    print(f"{label}: median {statistics.median(ts):.2f} ms, worst {max(ts):.2f} ms over {repeat} runs "
          f"({len(r.units)} ranked, {len(r.excluded)} excluded)")


def main() -> None:
    us = units(50)
    time_it("50 units, one unit fits (dispute)", us, Need(priority=3, min_sworn=1, skills=("mediation",), x_m=0, y_m=0))
    time_it("50 units, two units needed (fight: 3 people, 2 民警)", us,
            Need(priority=1, min_sworn=2, min_people=3, x_m=100, y_m=-200))


if __name__ == "__main__":
    main()
