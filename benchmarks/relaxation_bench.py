"""The relaxation's lower bound on the roster objective (issue 27, item 3), per station:

    python benchmarks/relaxation_bench.py [--days 28] [--only demo,rural,urban,generated]

For each station (the demo, the issue-22 rural and urban stations, a generated 200-person one):
people and the classes the program cannot tell apart, then the seconds and the bound of
``Relaxation.min_cost`` without and with the fair shares, one variable set per class and (as
a check that the classes change no figure) per person, and what ``objective_bound`` gives
with the budget of a 30 s, 60 s and 120 s solve. The engine's objective to compare with comes
from ``station_bench.py``.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import arrow  # noqa: E402

from scheduler.station.relaxation import (Relaxation, bound_budget, fairness_floor, objective_bound,  # noqa: E402
                                          people_classes)
from stationdef.demo import demo_people, demo_station, generated_station  # noqa: E402
from stationdef.samples import SAMPLES  # noqa: E402
from usecases.context import AppContext  # noqa: E402
from usecases.roster import plan_input  # noqa: E402
from usecases.station import init_station  # noqa: E402

STATIONS = {"demo": lambda: (demo_station(), demo_people(0)), "rural": lambda: SAMPLES["rural"](0),
            "urban": lambda: SAMPLES["urban"](0), "generated": lambda: generated_station(200, seed=0)}


def problem(tmp: str, name: str, days: int):
    ctx = AppContext(login="bench", db_path=Path(tmp) / f"{name}.db", db_explicit=True)
    sd, people = STATIONS[name]()
    init_station(ctx, sd, people, source="bench")
    start = arrow.now("Asia/Shanghai").date() + timedelta(days=7)
    with ctx.open() as s:
        return plan_input(s, start, days)["sp"]


def timed(fn):
    t0 = time.monotonic()
    out = fn()
    return out, round(time.monotonic() - t0, 2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--days", type=int, default=28)
    ap.add_argument("--only", default="demo,rural,urban,generated")
    ap.add_argument("--limit", type=float, default=120, help="LP time limit per run (s)")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only.split(","):
            sp = problem(tmp, name, args.days)
            print(f"{name}: {len(sp.people)} people, {len(people_classes(sp))} classes, {sp.days} days, "
                  f"fairness floor {fairness_floor(sp)}", flush=True)
            for fair in (False, True):
                for agg in (True, False):
                    b, s = timed(lambda: Relaxation(sp, args.limit, aggregate=agg).min_cost(fairness=fair))
                    print(f"  min_cost fairness={fair!s:5} classes={agg!s:5}: {b.status} {b.value} in {s} s "
                          f"{b.terms}", flush=True)
            for limit in (30, 60, 120):
                b = objective_bound(sp, bound_budget(limit))
                print(f"  objective_bound for a {limit} s solve (budget {bound_budget(limit):g} s): {b['value']} "
                      f"by {b['method']} in {b['seconds']} s", flush=True)
    print(f"load average {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    main()
