"""The part of the nightly job that runs on a worker (a Dask worker, a pool process, or in
process): pure solving from plain data.

The host that keeps a station's SQLite file reads the station into a :class:`SolveJob` (the
scheduler's own problem dataclasses, which pickle), sends it here, and gets a
:class:`SolveOutput` back; it validates that on the host and writes it there. Nothing in this
module opens a file or imports the database layer, so a worker needs only the dutydesk package
and never sees a station file (SQLite in WAL mode must stay on one host).
"""
from __future__ import annotations

import hashlib
import os
import resource
import socket
import time
import traceback
from dataclasses import dataclass, field

from pathlib import Path

from scheduler.patrol.model import Plan, PatrolProblem
from scheduler.problem import Solution
from scheduler.station.model import StationRosterProblem


@dataclass
class SolveJob:
    """One station's solve input for one night."""

    key: str                                   # a label for logs (the host's database path)
    roster: StationRosterProblem | None = None
    patrol: PatrolProblem | None = None
    time_limit: float = 60.0
    patrol_time_limit: float = 30.0
    seed: int = 0
    workers: int | None = 1                    # CP-SAT threads for this station (None: all cores)
    deterministic: bool = False                # CP-SAT deterministic time (reproducible)
    code: str | None = None                    # the host's code_digest(): a worker on other code refuses


@dataclass
class SolveOutput:
    key: str
    roster: Solution | None = None
    patrol: Plan | None = None
    error: object = None                       # why nothing was solved: a text, or a messages.Msg
    trace: str | None = None
    wall_s: float = 0.0
    cpu_s: float = 0.0                         # process CPU time spent in this job (all threads)
    peak_rss_mb: float = 0.0                   # the worker process's peak resident memory so far
    worker: dict = field(default_factory=dict)  # {"host", "pid"}
    objective_bound: dict | None = None        # the relaxation's lower bound (relaxation.objective_bound)


# What a worker solves and validates with: a worker left on other code would build other rules
# than the host checks with (or fail on a field it does not know), so a job says which code sent it.
CODE_ROOTS = ("scheduler", "messages", "stationdef", "errors.py")
_digest: str | None = None


def code_digest() -> str:
    """A digest of the source files of ``CODE_ROOTS`` (paths and contents), computed once per process."""
    global _digest
    if _digest is None:
        root = Path(__file__).resolve().parent.parent
        h = hashlib.sha256()
        for name in CODE_ROOTS:
            base = root / name
            files = [base] if base.is_file() else sorted(base.rglob("*.py"))
            for f in files:
                h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
        _digest = h.hexdigest()
    return _digest


def solve_roster(sp: StationRosterProblem, *, time_limit: float, seed: int, workers: int,
                 deterministic: bool = False) -> Solution:
    """The same CP-SAT core as ``roster generate`` (scheduler.station.build.solve_station)."""
    from scheduler.engine import SolveOptions
    from scheduler.station.build import solve_station
    options = SolveOptions(time_limit=time_limit, num_workers=workers, seed=seed, deterministic=deterministic)
    return solve_station(sp, options).solution


def solve_job(job: SolveJob) -> SolveOutput:
    """Solve one station's roster extension and night patrol plan. Never raises: an unexpected
    error comes back in ``error`` so that one station cannot take the others down."""
    t0, c0 = time.monotonic(), time.process_time()
    out = SolveOutput(key=job.key, worker={"host": socket.gethostname(), "pid": os.getpid()})
    if job.code is not None and job.code != code_digest():
        from messages import Msg
        out.error = Msg("nightly.code_mismatch", host=job.code[:12], worker=code_digest()[:12])
        return out
    try:
        if job.roster is not None:
            from scheduler.station.relaxation import bound_and_engine_limit
            out.objective_bound, engine_time = bound_and_engine_limit(job.roster, job.time_limit, job.deterministic)
            out.roster = solve_roster(job.roster, time_limit=engine_time, seed=job.seed, workers=job.workers,
                                      deterministic=job.deterministic)
            if out.roster.status in ("INFEASIBLE", "UNKNOWN"):
                job_patrol = None         # the host reports the roster failure; no plan is stored then
            else:
                job_patrol = job.patrol
        else:
            job_patrol = job.patrol
        if job_patrol is not None:
            from scheduler.patrol.planner import plan_night
            out.patrol = plan_night(job_patrol, time_limit=job.patrol_time_limit)
    except Exception as exc:  # noqa: BLE001 - reported to the host, never raised on the worker
        out.error = f"{type(exc).__name__}: {exc}"
        out.trace = traceback.format_exc(limit=8)
    out.wall_s = round(time.monotonic() - t0, 3)
    out.cpu_s = round(time.process_time() - c0, 3)
    out.peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


class UntrustedResult(ValueError):
    """A worker's roster does not fit the problem it was given, or does not validate as the
    worker said it would: nothing of it is stored."""


def check_roster(sp: StationRosterProblem, solution: Solution):
    """On the host: rebuild the station's model data from ``sp`` (no CP-SAT) and check the
    worker's roster with the rule modules' independent validators. Returns the
    ``StationResult`` the roster use cases report from, with the violations found *here*.

    Raises :class:`UntrustedResult` when the roster names people, days or slots the problem
    does not have, or when the validators here disagree with what the worker reported.
    """
    from dataclasses import replace

    from scheduler.station.build import StationResult, build
    from scheduler.station.model import Assignment, split_slot
    from scheduler.validate import validate
    problem, rules = build(sp)
    if solution.status in ("INFEASIBLE", "UNKNOWN"):
        return StationResult(sp=sp, problem=problem, solution=solution, rules=rules)
    badges = {p.badge for p in sp.people}
    codes = set(problem.shift_ids)
    odd = [(k, v) for k, v in solution.assignment.items()
           if k[0] not in badges or not 0 <= k[1] < sp.days or (v is not None and v not in codes)]
    if odd:
        raise UntrustedResult(f"{len(odd)} cells do not fit the problem, e.g. {odd[0]}")
    grid = {(p.badge, d): solution.assignment.get((p.badge, d)) for p in sp.people for d in range(sp.days)}
    found = validate(problem, grid, rules)
    hard_here = sum(v.hard for v in found)
    soft_here = sum(v.penalty for v in found if not v.hard)
    claimed = solution.stats.get("validated_objective")
    if hard_here != len(solution.hard_violations) or (claimed is not None and claimed != soft_here):
        raise UntrustedResult(f"validated here: {hard_here} hard violations, soft cost {soft_here}; the worker "
                              f"reported {len(solution.hard_violations)} and {claimed}")
    checked = replace(solution, assignment=grid, violations=found,
                      stats=dict(solution.stats, host_validated_objective=soft_here))
    assignments = [Assignment(b, d, *split_slot(code)) for (b, d), code in sorted(grid.items(),
                                                                                   key=lambda kv: (kv[0][1], kv[0][0]))
                   if code is not None]
    return StationResult(sp=sp, problem=problem, solution=checked, rules=rules, assignments=assignments)


def shortfalls(sp: StationRosterProblem, grid: dict) -> list[dict]:
    """Demand not met, per (day, shift, post): the count only (the explanation of who could
    have filled each gap is ``scheduler.station.report.shortfalls``, computed when a chief
    opens the roster, not here for 1,100 stations a night)."""
    from scheduler.station.model import slot_code
    staffed: dict[tuple[int, str], int] = {}
    for (_, d), code in grid.items():
        if code is not None:
            staffed[(d, code)] = staffed.get((d, code), 0) + 1
    out = []
    for (d, s, p), n in sorted(sp.demand.items()):
        got = staffed.get((d, slot_code(s, p)), 0)
        if got < n:
            out.append({"date": sp.date(d).isoformat(), "shift": s, "post": p, "missing": n - got})
    return out
