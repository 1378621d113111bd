"""Province scale: ~1,100 generated station files (small rural / medium / large urban) through
the nightly job, where the host reads and writes every file and only pure solve jobs travel.

    python benchmarks/province_bench.py [--count 1100] [--sample 60] [--time-limit 5]
                                        [--modes pool,dask] [--parallel 2] [--dir DIR]

1. generates ``--count`` station files with the stationdef demo/generator helpers (a mix of
   small rural stations ~30 people / 5 posts, medium ones like the demo ~60 / 10, and large
   urban ones ~180 / 30);
2. measures the host's share over ALL of them: reading each station into its solve input
   (``prepare_station``), without solving;
3. runs the nightly job over ``--sample`` stations of the same mix (all of them with
   ``--sample 0``) through the process pool and through a ``LocalCluster`` (worker processes,
   one thread each) on this machine: stations per minute, core-seconds per station by size,
   peak memory per worker, host read / validate / write time;
4. projects 1,100 stations to 16, 64 and 256 cores (assumptions printed with the figures).

Each mode gets a fresh copy of the sample's files, so both solve the same inputs.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stationdef.demo import demo_people, demo_station, generated_station  # noqa: E402
from usecases.context import AppContext  # noqa: E402
from usecases.nightly import abandon, prepare_station, run_many  # noqa: E402
from usecases.station import init_station  # noqa: E402

MIX = (("small", 0.6), ("medium", 0.3), ("large", 0.1))
SMALL_POSTS = ("CMD", "WIN", "PAT1", "CASE", "COM")


def small_station(seed: int):
    """A rural station: the demo's command desk, window, one patrol car, case duty and
    community work, with two thirds of the demo's people (every group cut by a third)."""
    base = demo_station()
    posts = [p for p in base.posts if p.code in SMALL_POSTS]
    demand = [d for d in base.demand if d.post in SMALL_POSTS]
    sd = replace(base, station=replace(base.station, code=f"RUR{seed}", name=f"乡村{seed}派出所"), posts=posts,
                 demand=demand)
    return sd, [p for i, p in enumerate(demo_people(seed)) if i % 3 != 2]


def make(kind: str, seed: int):
    if kind == "small":
        return small_station(seed)
    if kind == "medium":
        sd = demo_station()
        return replace(sd, station=replace(sd.station, code=f"MED{seed}", name=f"城镇{seed}派出所")), demo_people(seed)
    sd, people = generated_station(186, seed)
    return replace(sd, station=replace(sd.station, code=f"URB{seed}", name=f"城区{seed}派出所")), people


def kinds_for(count: int) -> list[str]:
    out = []
    for kind, share in MIX:
        out += [kind] * round(count * share)
    out = (out + ["small"] * count)[:count]
    random.Random(0).shuffle(out)
    return out


def load() -> dict:
    one, five, fifteen = os.getloadavg()
    return {"load_1m": round(one, 2), "load_5m": round(five, 2), "load_15m": round(fifteen, 2)}


def generate(folder: Path, kinds: list[str]) -> tuple[list[tuple[str, str]], float]:
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    out = []
    for i, kind in enumerate(kinds):
        p = folder / f"{kind}{i:04d}.db"
        out.append((str(p), kind))
        if p.exists():          # --dir of an earlier run: keep its files (they are never written to)
            continue
        sd, people = make(kind, i)
        init_station(AppContext(login="bench", db_path=p, db_explicit=True), sd, people, source=f"province bench {i}")
        if (i + 1) % 100 == 0:
            print(f"  generated {i + 1}/{len(kinds)} ({time.monotonic() - t0:.0f} s)", file=sys.stderr, flush=True)
    return out, time.monotonic() - t0


def host_reads(files: list[tuple[str, str]], options: dict) -> dict:
    """The host's reading of every station into its solve job, without solving (the lock is
    taken and released as in a real run)."""
    by = {}
    t0 = time.monotonic()
    for path, kind in files:
        prep = prepare_station(AppContext(login="bench", db_path=Path(path), db_explicit=True), options)
        abandon(prep)
        by.setdefault(kind, []).append(prep.read_s)
    return {"total_s": round(time.monotonic() - t0, 1),
            "per_station_s": {k: round(statistics.mean(v), 4) for k, v in by.items()}}


def run_mode(mode: str, files: list[tuple[str, str]], options: dict, parallel: int) -> dict:
    kind_of = {p: k for p, k in files}
    paths = [p for p, _ in files]
    before = load()
    t0 = time.monotonic()
    done = []

    def progress(r):
        done.append(r)
        if len(done) % 10 == 0:
            print(f"  {mode}: {len(done)}/{len(paths)} stations, {time.monotonic() - t0:.0f} s", file=sys.stderr,
                  flush=True)
    if mode == "pool":
        results = run_many(paths, "bench", options, parallel=parallel, on_result=progress)
    else:
        from distributed import LocalCluster
        with LocalCluster(n_workers=parallel, threads_per_worker=1, processes=True, dashboard_address=None,
                          memory_limit=0) as lc:
            results = run_many(paths, "bench", options, cluster=lc, on_result=progress)
    wall = time.monotonic() - t0
    ok = [r for r in results if r["ok"]]
    by_kind: dict[str, dict[str, list]] = {}
    peak: dict[int, float] = {}
    host = {"read_s": 0.0, "validate_s": 0.0, "write_s": 0.0}
    for r in ok:
        t = r["summary"]["timing"]
        k = by_kind.setdefault(kind_of[r["db"]], {"cpu": [], "wall": [], "short": [], "host": []})
        k["cpu"].append(t["solve_cpu_s"])
        k["wall"].append(t["solve_wall_s"])
        k["host"].append(t["read_s"] + t["validate_s"] + t["write_s"])
        k["short"].append((r["summary"]["roster"] or {}).get("shortfalls", 0))
        for key in host:
            host[key] += t[key]
        if t["worker"]:
            peak[t["worker"]["pid"]] = max(peak.get(t["worker"]["pid"], 0), t["worker_peak_rss_mb"] or 0)
    n = len(results)
    return {"mode": mode, "stations": n, "ok": len(ok), "failed": n - len(ok),
            "errors": sorted({r["error"][:200] for r in results if not r["ok"]})[:5],
            "wall_s": round(wall, 1), "stations_per_minute": round(n / wall * 60, 2),
            "core_seconds_per_station": round(wall * parallel / n, 2),
            "by_size": {k: {"stations": len(v["cpu"]), "solve_cpu_s": round(statistics.mean(v["cpu"]), 2),
                            "solve_wall_s": round(statistics.mean(v["wall"]), 2),
                            "host_s": round(statistics.mean(v["host"]), 3),
                            "shortfalls_mean": round(statistics.mean(v["short"]), 1)} for k, v in by_kind.items()},
            "peak_rss_mb_per_worker": {"max": max(peak.values(), default=None), "workers": len(peak)},
            "host_total_s": {k: round(v, 1) for k, v in host.items()},
            "load_before": before, "load_after": load()}


def project(mode: dict, host_read_per_station: float, count: int = 1100) -> dict:
    """Solve work spreads over the cores; the host's read+validate+write is serial in one
    process and overlaps the solving (stations are read while others solve)."""
    core_s = mode["core_seconds_per_station"]
    host_s = host_read_per_station + sum(mode["host_total_s"][k] for k in ("validate_s", "write_s")) / mode["ok"]
    out = {}
    for cores in (16, 64, 256):
        solve_min = count * core_s / cores / 60
        host_min = count * host_s / 60
        out[cores] = {"solve_bound_min": round(solve_min, 1), "host_bound_min": round(host_min, 1),
                      "wall_min": round(max(solve_min, host_min), 1)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1100, help="station files generated")
    ap.add_argument("--sample", type=int, default=60, help="stations run through each mode (0: all)")
    ap.add_argument("--time-limit", type=float, default=5)
    ap.add_argument("--parallel", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--modes", default="pool,dask")
    ap.add_argument("--dir", help="keep the generated files here (default: a temporary folder)")
    args = ap.parse_args()
    tmp = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="province-"))
    try:
        kinds = kinds_for(args.count)
        print(f"generating {args.count} stations ({ {k: kinds.count(k) for k, _ in MIX} }) in {tmp}", file=sys.stderr)
        files, gen_s = generate(tmp / "all", kinds)
        options = {"time_limit": args.time_limit, "workers": 1, "seed": 0}
        reads = host_reads(files, options)
        n = args.sample or args.count
        sample = []
        for kind, share in MIX:     # the same mix in the sample
            sample += [f for f in files if f[1] == kind][:max(1, round(n * share))]
        sample = sample[:n]
        out = {"machine": platform.platform(), "cpus": os.cpu_count(), "count": args.count, "sample": len(sample),
               "time_limit_s": args.time_limit, "parallel": args.parallel, "generate_s": round(gen_s, 1),
               "disk_mb": round(sum(Path(p).stat().st_size for p, _ in files) / 2**20, 1),
               "host_read_all": reads, "modes": {}, "load_start": load()}
        for mode in args.modes.split(","):
            folder = tmp / mode
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
            copies = []
            for p, k in sample:
                shutil.copy(p, folder / Path(p).name)
                copies.append((str(folder / Path(p).name), k))
            m = run_mode(mode, copies, options, args.parallel)
            per = statistics.mean(reads["per_station_s"][k] for _, k in sample)
            m["projection_1100"] = project(m, per)
            out["modes"][mode] = m
            print(f"{mode}: {m['ok']}/{m['stations']} ok in {m['wall_s']} s, {m['stations_per_minute']} stations/min, "
                  f"{m['core_seconds_per_station']} core-s/station; by size {m['by_size']}; peak worker RSS "
                  f"{m['peak_rss_mb_per_worker']} MB; host {m['host_total_s']}; load {m['load_before']} -> "
                  f"{m['load_after']}", file=sys.stderr)
            for cores, p in m["projection_1100"].items():
                print(f"  1,100 stations on {cores} cores: about {p['wall_min']} min "
                      f"(solving {p['solve_bound_min']}, host {p['host_bound_min']})", file=sys.stderr)
        print(json.dumps(out, ensure_ascii=False))
    finally:
        if not args.dir:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
