"""`dutydesk bench ...`: roster engine benchmarks (Curtois & Qu instances)."""
from __future__ import annotations

import json
import os
import sys
import time

import click

from cli import params as P

from errors import InputError, InputProblem, Infeasible, NoSolution


@click.group()
def bench():
    """Measure the roster engine on public benchmarks."""


def _progress_printer(name: str, enabled: bool):
    if not enabled:
        return None
    last = [0.0]

    def show(pr) -> None:
        now = time.monotonic()
        if pr.phase != "done" and now - last[0] < 0.5:
            return
        last[0] = now
        click.echo(f"\r{name}: {pr.elapsed:6.1f}s  {pr.phase:5s}  objective {pr.objective}  "
                   f"bound {pr.bound}   ", err=True, nl=pr.phase == "done")
    return show


def _solve_file(path: str, time_limit: float, workers: int | None, seed: int,
                progress: bool, deterministic: bool = False) -> dict:
    from scheduler.curtois import BEST_KNOWN, load
    from scheduler.engine import RosterEngine, SolveOptions

    problem = load(path)
    opts = SolveOptions(time_limit=time_limit, num_workers=workers, seed=seed,
                        deterministic=deterministic)
    engine = RosterEngine(problem, options=opts)
    sol = engine.solve(on_progress=_progress_printer(problem.name, progress))
    if sol.status == "INFEASIBLE":
        raise Infeasible(f"{problem.name}: the hard rules cannot all hold")
    if sol.objective is None:
        raise NoSolution(f"{problem.name}: no roster within {time_limit:g} s")
    best = BEST_KNOWN.get(problem.name)
    return {
        "instance": problem.name,
        "objective": sol.objective,
        "lower_bound": sol.bound,
        "status": sol.status,
        "wall_s": sol.wall_s,
        "best_known": best,
        "gap_to_best_known": (None if best is None
                              else round((sol.objective - best) / best, 6)),
        "validated_objective": sol.stats.get("validated_objective"),
        "hard_violations": [v.to_json() for v in sol.hard_violations],
        "time_limit": time_limit,
        "workers": opts.workers(),
        "seed": seed,
        "stats": sol.stats,
        "roster": sol.roster(problem),
    }


def _solver_options(limit_help: str):
    """--time-limit, --workers and --seed, shared by the bench commands."""
    def wrap(fn):
        fn = click.option("--seed", type=P.SEED, default=0, show_default=True)(fn)
        fn = click.option("--workers", type=P.WORKERS, default=None,
                          help="CP-SAT workers (default: the machine's cores).")(fn)
        return click.option("--time-limit", type=P.TIME_LIMIT, default=60.0, show_default=True,
                            help=limit_help)(fn)
    return wrap


@bench.command("curtois")
@click.argument("file", type=click.Path(dir_okay=False))
@_solver_options("Seconds for the whole solve.")
@click.option("--deterministic", is_flag=True,
              help="Deterministic limits: same seed and input give the same roster.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False),
              help="Write the result (with the roster) to this JSON file.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def curtois(file: str, time_limit: float, workers: int | None, seed: int,
            deterministic: bool, out_path: str | None, as_json: bool):
    """Solve one Curtois & Qu instance FILE and validate the roster."""
    if not os.path.isfile(file):
        raise InputError([InputProblem(file=file, message="no such file")])
    res = _solve_file(file, time_limit, workers, seed,
                      progress=sys.stderr.isatty(), deterministic=deterministic)
    if out_path:
        tmp = out_path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(res, fh, ensure_ascii=False)
        os.replace(tmp, out_path)
    if as_json:
        click.echo(json.dumps(res, ensure_ascii=False))
        return
    gap = res["gap_to_best_known"]
    click.echo(f"{res['instance']}: objective {res['objective']} (best known "
               f"{res['best_known']}, gap {'' if gap is None else f'{100 * gap:.2f}%'}), "
               f"bound {res['lower_bound']}, {res['status']}, {res['wall_s']:.1f} s, "
               f"hard violations {len(res['hard_violations'])}")


def _instance_key(name: str) -> tuple:
    digits = "".join(ch for ch in name if ch.isdigit())
    return (int(digits) if digits else 10 ** 9, name)


@bench.command("curtois-all")
@click.argument("directory", type=click.Path(file_okay=False))
@_solver_options("Seconds per instance.")
@click.option("--only", default=None,
              help="Comma-separated instance numbers or names, e.g. 1,2,3.")
@click.option("--json", "as_json", is_flag=True, help="Print all results as JSON.")
def curtois_all(directory: str, time_limit: float, workers: int | None, seed: int,
                only: str | None, as_json: bool):
    """Solve every Instance*.txt in DIRECTORY and print a table."""
    if not os.path.isdir(directory):
        raise InputError([InputProblem(file=directory, message="no such directory")])
    names = sorted((f[:-4] for f in os.listdir(directory)
                    if f.endswith(".txt") and f.startswith("Instance")), key=_instance_key)
    if only:
        wanted = {w.strip() if not w.strip().isdigit() else f"Instance{w.strip()}"
                  for w in only.split(",") if w.strip()}
        names = [n for n in names if n in wanted]
    results = []
    for i, name in enumerate(names, 1):
        click.echo(f"[{i}/{len(names)}] {name} ...", err=True)
        try:
            res = _solve_file(os.path.join(directory, name + ".txt"), time_limit, workers,
                              seed, progress=sys.stderr.isatty())
        except (NoSolution, Infeasible) as exc:
            res = {"instance": name, "objective": None, "lower_bound": None,
                   "status": type(exc).__name__, "wall_s": time_limit,
                   "best_known": None, "gap_to_best_known": None, "hard_violations": []}
            from scheduler.curtois import BEST_KNOWN
            res["best_known"] = BEST_KNOWN.get(name)
        res.pop("roster", None)
        results.append(res)
        click.echo(f"[{i}/{len(names)}] {_row(res)}", err=True)
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False))
        return
    click.echo(_table(results))


_HEAD = ("instance", "best known", "objective", "bound", "gap to best", "seconds", "hard")


def _row(r: dict) -> str:
    gap = r.get("gap_to_best_known")
    return (f"{r['instance']:<11} {r.get('best_known') or '':>10} {r['objective'] or '-':>10} "
            f"{r['lower_bound'] if r['lower_bound'] is not None else '-':>8} "
            f"{'-' if gap is None else f'{100 * gap:.2f}%':>11} {r['wall_s']:>8.1f} "
            f"{len(r.get('hard_violations') or []):>4}")


def _table(results: list[dict]) -> str:
    head = (f"{_HEAD[0]:<11} {_HEAD[1]:>10} {_HEAD[2]:>10} {_HEAD[3]:>8} {_HEAD[4]:>11} "
            f"{_HEAD[5]:>8} {_HEAD[6]:>4}")
    return "\n".join([head] + [_row(r) for r in results])
