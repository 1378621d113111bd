"""Station roster benchmark: the product's own path (station database -> use case -> solver ->
stored draft version), timed and checked.

    python benchmarks/station_bench.py [--quick]

1. demo station, 28 days, 30 s, 2 workers: hard violations, shortfalls, objective, bound, gap;
2. a generated 200-person station, 31 days, 120 s, 2 workers;
3. repair: one person sick for 3 days in the demo roster, 10 s limit: wall time and changes;
4. the stations of issue 22 (stationdef/samples.py): the rural 交所合一 station of 18 people with
   24 h duties and the 150-person urban station, 28 days, 60 s, 2 workers: hard violations,
   shortfalls, each soft term of the objective, seconds.
Prints one line per run and a JSON summary at the end. ``--only rural,urban`` runs a subset.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import arrow  # noqa: E402

from stationdef.demo import demo_people, demo_station, generated_station  # noqa: E402
from stationdef.samples import SAMPLES  # noqa: E402
from usecases.context import AppContext  # noqa: E402
from usecases.roster import RosterRef, generate, repair  # noqa: E402
from usecases.station import init_station  # noqa: E402




def run_generate(ctx: AppContext, start, days: int, limit: float, seed: int) -> dict:
    trace = []
    with ctx.open() as s:
        t0 = time.monotonic()
        r = generate(s, start, days, time_limit=limit, seed=seed, workers=2,
                     on_progress=lambda p: trace.append((round(p.elapsed, 1), p.objective, p.bound)))
        wall = time.monotonic() - t0
    sv = r["solver"]
    return {"roster_id": r["roster_id"], "days": days, "time_limit": limit, "wall_s": round(wall, 1),
            "status": sv["status"], "objective": sv["objective"], "bound": sv["bound"], "gap": sv["gap"],
            "hard_violations": len(r["hard_violations"]), "shortfalls": sum(x["missing"] for x in r["shortfalls"]),
            "initial_objective": sv.get("initial_objective"), "terms": sv["terms"],
            "relaxation_bound": sv["objective_bound"], "quality": {k: sv["quality"][k] for k in ("lower_bound", "gap")},
            "trace": trace[:3] + trace[-3:]}


def print_bound(res: dict) -> None:
    """The lower bound the chief's gap rests on (issue 27): the engine's, or the relaxation's."""
    rb, q = res["relaxation_bound"], res["quality"]
    print(f"  lower bound {q['lower_bound']} (engine {res['bound']}, relaxation {rb['value']} by {rb['method']} "
          f"in {rb['seconds']} s), gap {q['gap']}", flush=True)


def run_sample(tmp, name: str, start, limit: float, seed: int, out: dict) -> None:
    """One of the issue-22 stations (rural, urban) through the product's path."""
    ctx = AppContext(login="bench", db_path=Path(tmp) / f"{name}.db", db_explicit=True)
    sd, people = SAMPLES[name](seed)
    init_station(ctx, sd, people, source="bench")
    res = run_generate(ctx, start, 28, limit, seed)
    terms = " ".join(f"{k}={v}" for k, v in sorted(res["terms"].items()))
    print(f"{name} {len(people)} people x 28 days, {res['time_limit']:g} s: {res['status']} "
          f"hard={res['hard_violations']} short={res['shortfalls']} objective={res['objective']} "
          f"bound={res['bound']} wall={res['wall_s']} s; soft terms: {terms or 'none'}", flush=True)
    print_bound(res)
    out[f"{name}_28d"] = res


def run_demo(tmp, start, scale: float, seed: int, out: dict):
    ctx = AppContext(login="bench", db_path=Path(tmp) / "demo.db", db_explicit=True)
    init_station(ctx, demo_station(), demo_people(0), source="bench")
    res = run_generate(ctx, start, 28, 30 * scale, seed)
    print(f"demo 62 people x 28 days, {res['time_limit']:g} s: {res['status']} hard={res['hard_violations']} "
          f"short={res['shortfalls']} objective={res['objective']} bound={res['bound']} gap={res['gap']} "
          f"wall={res['wall_s']} s (warm start {res['initial_objective']})", flush=True)
    print_bound(res)
    out["demo_28d"] = res
    return ctx, res


def run_repair(demo_ctx, res, start, scale: float, out: dict) -> None:
    with demo_ctx.open() as s:
        day = start + timedelta(days=3)
        rows = s.sdb.rows("SELECT badge FROM assignments WHERE date = ? ORDER BY badge LIMIT 1", (day.isoformat(),))
        t0 = time.monotonic()
        rep = repair(s, RosterRef(res["roster_id"]), rows[0]["badge"], day, day + timedelta(days=2),
                     reason="bench: sick 3 days", time_limit=8 * scale, workers=2,
                     today=arrow.now("Asia/Shanghai").date())
        wall = time.monotonic() - t0
    r = {"wall_s": round(wall, 1), "status": rep["solver"]["status"], "changes": len(rep["changes"]),
         "hard_violations": len(rep["hard_violations"]),
         "shortfalls": sum(x["missing"] for x in rep["shortfalls"]), "solver_wall_s": rep["solver"]["wall_s"]}
    print(f"repair 1 person x 3 days, {8 * scale:g} s limit: {r['status']} changes={r['changes']} "
          f"hard={r['hard_violations']} short={r['shortfalls']} wall={r['wall_s']} s", flush=True)
    out["repair_3d"] = r


def run_generated(tmp, start, scale: float, seed: int, out: dict) -> None:
    ctx = AppContext(login="bench", db_path=Path(tmp) / "big.db", db_explicit=True)
    sd, people = generated_station(200, seed=seed)
    init_station(ctx, sd, people, source="bench")
    res = run_generate(ctx, start, 31, 120 * scale, seed)
    print(f"generated 200 people x 31 days, {res['time_limit']:g} s: {res['status']} hard={res['hard_violations']} "
          f"short={res['shortfalls']} objective={res['objective']} bound={res['bound']} gap={res['gap']} "
          f"wall={res['wall_s']} s (warm start {res['initial_objective']})", flush=True)
    print_bound(res)
    out["generated_200_31d"] = res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="short limits (smoke run)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", default="demo,repair,generated,rural,urban",
                    help="comma-separated runs: demo, repair (with the demo's roster), generated, rural, urban")
    ap.add_argument("--sample-limit", type=float, default=60, help="seconds for the rural and urban stations")
    args = ap.parse_args()
    only = set(args.only.split(","))
    scale = 0.2 if args.quick else 1.0
    start = arrow.now("Asia/Shanghai").date() + timedelta(days=7)
    out = {"date": arrow.now("Asia/Shanghai").isoformat(timespec="seconds"), "machine": platform.platform(),
           "python": platform.python_version(), "cpus": __import__("os").cpu_count(),
           "load": __import__("os").getloadavg()}
    with tempfile.TemporaryDirectory() as tmp:
        if "demo" in only or "repair" in only:
            demo_ctx, res = run_demo(tmp, start, scale, args.seed, out)
            if "repair" in only:
                run_repair(demo_ctx, res, start, scale, out)
        if "generated" in only:
            run_generated(tmp, start, scale, args.seed, out)
        for name in ("rural", "urban"):
            if name in only:
                run_sample(tmp, name, start, args.sample_limit * scale, args.seed, out)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
