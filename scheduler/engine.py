"""The roster engine: one CP-SAT core, a list of rule modules, a large-neighbourhood search.

    engine = RosterEngine(problem, rules=standard_rules(), options=SolveOptions(time_limit=60))
    solution = engine.solve(hint=None, on_progress=print)   # engine.stop() from another thread

Flow: build the full model, solve it for a share of the budget (``first_fraction``; it stops
early at optimality, and goes on past its share until a first roster exists), then improve
the incumbent by large-neighbourhood search: free a block of people x days, freeze the rest
to the incumbent, re-solve briefly with the incumbent as hint, keep improvements.  Every
sub-model is built by the same rule modules (frozen cells become constants).  The bound comes
from the full model.  The result is validated by the rule modules' own validators.

Determinism: with ``deterministic=True`` every limit is a CP-SAT *deterministic time*
(``time_limit`` is then in deterministic units, roughly seconds), the LNS loop counts
deterministic time, and several workers run with ``interleave_search``; the same input,
options and seed then give the same roster.  Without it (the default, for products and
benchmarks) the wall-clock limits make runs with the same seed differ slightly.
"""
from __future__ import annotations

import math
import os
import random
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

from ortools.sat.python import cp_model

from scheduler.context import ModelContext
from scheduler.lits import OFF
from scheduler.problem import Problem, Progress, Roster, Solution, Violation
from scheduler.rules import Rule, standard_rules
from scheduler.validate import validate

_DEBUG = bool(os.environ.get("DUTYDESK_LNS_DEBUG"))
ProgressCallback = Callable[[Progress], None]


@dataclass
class SolveOptions:
    time_limit: float = 60.0
    num_workers: int | None = None          # default: os.cpu_count()
    seed: int = 0
    deterministic: bool = False
    first_fraction: float = 0.3             # share of the budget for the first full solve
    lns: bool = True
    lns_time: float | None = None           # limit of one sub-solve (default from budget)
    lns_min_cells: int = 40                 # smallest neighbourhood (free person-days)
    lns_start_cells: int | None = None
    log: bool = False                       # CP-SAT search log on stderr
    params: dict = field(default_factory=dict)   # extra CP-SAT parameters

    def workers(self) -> int:
        return max(1, self.num_workers or os.cpu_count() or 1)


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, engine: "RosterEngine", phase: str):
        super().__init__()
        self.engine = engine
        self.phase = phase
        self.count = 0

    def on_solution_callback(self) -> None:
        self.count += 1
        self.engine._report(int(round(self.objective_value)),
                            int(math.ceil(self.best_objective_bound - 1e-6)), self.phase)


class RosterEngine:
    """Solve a :class:`Problem` with a list of rule modules."""

    def __init__(self, problem: Problem, rules: Sequence[Rule] | None = None,
                 options: SolveOptions | None = None):
        self.problem = problem
        self.rules = list(rules) if rules is not None else standard_rules()
        self.options = options or SolveOptions()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._solver: cp_model.CpSolver | None = None
        self._on_progress: ProgressCallback | None = None
        self._t0 = 0.0
        self._best: int | None = None
        self._bound: int | None = None
        self._dtime = 0.0

    # -- control -------------------------------------------------------------------------
    def stop(self) -> None:
        """Stop the running solve from another thread; ``solve`` returns the best so far."""
        self._stop.set()
        with self._lock:
            if self._solver is not None:
                self._solver.stop_search()

    def elapsed(self) -> float:
        return time.monotonic() - self._t0

    def _spent(self) -> float:
        return self._dtime if self.options.deterministic else self.elapsed()

    def _report(self, objective: int | None, bound: int | None, phase: str,
                iteration: int = 0) -> None:
        if objective is not None and (self._best is None or objective < self._best):
            self._best = objective
        if bound is not None and phase == "first":
            self._bound = bound if self._bound is None else max(self._bound, bound)
        if self._on_progress is not None:
            self._on_progress(Progress(self._best, self._bound, self.elapsed(), phase,
                                       iteration))

    # -- solver --------------------------------------------------------------------------
    def _params(self, solver: cp_model.CpSolver, limit: float, *, sub: bool) -> None:
        o = self.options
        p = solver.parameters
        p.num_workers = o.workers()
        p.random_seed = o.seed
        p.log_search_progress = o.log
        if o.deterministic:
            p.max_deterministic_time = max(0.01, limit)
            if o.workers() > 1:
                p.interleave_search = True
        else:
            p.max_time_in_seconds = max(0.01, limit)
        if not sub:
            p.linearization_level = 2
            p.symmetry_level = 2
        for k, v in o.params.items():
            setattr(p, k, v)

    def _run(self, ctx: ModelContext, limit: float, phase: str,
             stop_after: float | None = None) -> tuple[cp_model.CpSolver, int]:
        solver = cp_model.CpSolver()
        self._params(solver, limit, sub=phase != "first")
        cb = _Callback(self, phase) if phase == "first" else None
        timer = None
        if stop_after is not None and not self.options.deterministic:
            def watch() -> None:
                nonlocal timer
                if self._best is not None or self._stop.is_set():
                    solver.stop_search()
                else:
                    timer = threading.Timer(0.25, watch)
                    timer.daemon = True
                    timer.start()
            timer = threading.Timer(max(0.0, stop_after), watch)
            timer.daemon = True
            timer.start()
        with self._lock:
            self._solver = solver
        if self._stop.is_set():
            status = cp_model.UNKNOWN
        else:
            status = solver.solve(ctx.model, cb)
        with self._lock:
            self._solver = None
        if timer is not None:
            timer.cancel()
        self._dtime += solver.response_proto.deterministic_time
        return solver, status

    # -- main ----------------------------------------------------------------------------
    def solve(self, hint: Roster | None = None,
              on_progress: ProgressCallback | None = None) -> Solution:
        """Best roster within the limit, with bound, status and validator findings."""
        o = self.options
        self._t0 = time.monotonic()
        self._on_progress = on_progress
        self._best = self._bound = None
        self._dtime = 0.0
        stats: dict = {"lns_iterations": 0, "lns_improvements": 0}

        ctx = ModelContext(self.problem, self.rules)
        stats["build_s"] = round(self.elapsed(), 3)
        stats["variables"] = len(ctx.model.proto.variables)
        stats["constraints"] = len(ctx.model.proto.constraints)
        if hint:
            ctx.add_hint(self._to_values(ctx, hint))

        T = o.time_limit
        first_share = T if not o.lns else max(1.0, o.first_fraction * T)
        if o.deterministic:
            solver, status = self._run(ctx, first_share, "first")
            if status == cp_model.UNKNOWN and self._spent() < T:
                solver, status = self._run(ctx, T - self._spent(), "first")
        else:
            solver, status = self._run(ctx, max(0.01, T - self._spent()), "first",
                                       stop_after=first_share - self._spent())
        if status == cp_model.MODEL_INVALID:  # pragma: no cover - a bug in a rule module
            raise RuntimeError("CP-SAT model invalid: " + solver.response_proto.solution_info)
        if status == cp_model.INFEASIBLE:
            return self._finish(None, None, None, "INFEASIBLE", stats)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return self._finish(None, None, self._bound, "UNKNOWN", stats)

        values = ctx.read(solver)
        best = int(round(solver.objective_value))
        bound = int(math.ceil(solver.best_objective_bound - 1e-6))
        self._bound = bound if self._bound is None else max(self._bound, bound)
        self._best = best
        stats["first_objective"] = best
        stats["first_s"] = round(self.elapsed(), 3)
        if status == cp_model.OPTIMAL:
            self._bound = best
        elif o.lns:
            best, values = self._lns(values, best, stats)
        status_name = "OPTIMAL" if self._bound is not None and best <= self._bound else "FEASIBLE"
        return self._finish(values, best, self._bound, status_name, stats, ctx)

    # -- large-neighbourhood search ------------------------------------------------------
    def _lns(self, values: dict[tuple[int, int], int], best: int,
             stats: dict) -> tuple[int, dict[tuple[int, int], int]]:
        o = self.options
        p = self.problem
        E, H = len(p.employees), p.horizon
        rng = random.Random(o.seed)
        T = o.time_limit
        it_limit = o.lns_time or min(5.0, max(0.5, T / 30))
        size = float(o.lns_start_cells or max(o.lns_min_cells, min(E * H // 4, 8 * H, 600)))
        size = min(size, E * H)
        allowed_sets = self._allowed_shift_sets()
        it = 0
        while not self._stop.is_set():
            remaining = T - self._spent()
            if remaining <= 0.05 or (self._bound is not None and best <= self._bound):
                break
            it += 1
            free = self._neighbourhood(rng, int(size), allowed_sets)
            frozen = {k: v for k, v in values.items() if k not in free}
            ctx = ModelContext(p, self.rules, frozen)
            ctx.add_hint(values)
            limit = min(it_limit, max(0.01, T - self._spent()))
            solver, status = self._run(ctx, limit, "lns")
            if _DEBUG:
                print(f"lns {it} cells={len(free)} vars={len(ctx.work)} "
                      f"{solver.status_name(status)} obj={solver.objective_value} best={best} "
                      f"t={solver.wall_time:.2f}", file=sys.stderr)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                obj = int(round(solver.objective_value))
                if obj <= best:
                    if obj < best:
                        stats["lns_improvements"] += 1
                        self._report(obj, None, "lns", it)
                    best = obj
                    values = ctx.read(solver)
            if status == cp_model.OPTIMAL:
                size = min(E * H, size * 1.15)
            elif status in (cp_model.FEASIBLE, cp_model.UNKNOWN):
                size = max(o.lns_min_cells, size * 0.8)
        stats["lns_iterations"] = it
        stats["lns_final_cells"] = int(size)
        return best, values

    def _allowed_shift_sets(self) -> list[frozenset[str]]:
        out = []
        for emp in self.problem.employees:
            out.append(frozenset(s for s in self.problem.shift_ids
                                 if emp.max_shifts.get(s, 1) > 0))
        return out

    def _neighbourhood(self, rng: random.Random, size: int,
                       allowed_sets: list[frozenset[str]]) -> set[tuple[int, int]]:
        """A block of people x days with about ``size`` cells."""
        p = self.problem
        E, H = len(p.employees), p.horizon
        kind = rng.random()
        if kind < 0.25 or size >= E * H:
            # every person, a window of days
            w = max(2, min(H, size // max(1, E)))
            people = list(range(E))
        elif kind < 0.5 and size // H >= 2:
            # some people, the whole horizon
            w = H
            people = self._people(rng, max(2, size // H), allowed_sets)
        else:
            # some people, a window of whole weeks (or days for short horizons)
            weeks = max(1, H // 7)
            w = 7 * rng.randint(1, max(1, min(weeks, 4)))
            w = min(w, H)
            k = max(2, min(E, size // w))
            if k == 2 and 2 * w > size:
                w = max(2, size // 2)
            people = self._people(rng, k, allowed_sets)
        start = rng.randint(0, max(0, H - w))
        days = range(start, min(H, start + w))
        return {(e, d) for e in people for d in days}

    def _people(self, rng: random.Random, k: int, allowed_sets) -> list[int]:
        E = len(allowed_sets)
        k = min(k, E)
        if rng.random() < 0.5:
            return rng.sample(range(E), k)
        # people who can do the same kinds of shift as a random pivot
        pivot = rng.randrange(E)
        ps = allowed_sets[pivot]
        scored = sorted(range(E), key=lambda e: (-len(ps & allowed_sets[e]), rng.random()))
        return scored[:k]

    # -- results -------------------------------------------------------------------------
    def _to_values(self, ctx: ModelContext, roster: Roster) -> dict[tuple[int, int], int]:
        out = {}
        for (eid, d), sid in roster.items():
            e = ctx.emp_index.get(eid)
            if e is None:
                continue
            out[(e, d)] = OFF if sid is None else ctx.shift_index.get(sid, OFF)
        return out

    def _finish(self, values, objective, bound, status, stats, ctx=None) -> Solution:
        p = self.problem
        assignment: Roster = {}
        violations: list[Violation] = []
        if values is not None:
            ids = p.shift_ids
            emp_ids = p.employee_ids
            for (e, d), s in values.items():
                assignment[(emp_ids[e], d)] = None if s == OFF else ids[s]
            violations = validate(p, assignment, self.rules)
            stats["validated_objective"] = sum(v.penalty for v in violations if not v.hard)
        self._report(objective, bound, "done")
        sol = Solution(assignment=assignment, objective=objective, bound=bound, status=status,
                       wall_s=round(self.elapsed(), 3), problem_name=p.name,
                       violations=violations, stats=stats)
        return sol


def solve(problem: Problem, rules: Sequence[Rule] | None = None, *, hint: Roster | None = None,
          on_progress: ProgressCallback | None = None, **options) -> Solution:
    """One-call form: ``solve(problem, time_limit=10, num_workers=2, seed=1)``."""
    return RosterEngine(problem, rules, SolveOptions(**options)).solve(hint, on_progress)
