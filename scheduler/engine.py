"""The roster engine: one CP-SAT core, a list of rule modules, a large-neighbourhood search.

    engine = RosterEngine(problem, rules=standard_rules(), options=SolveOptions(time_limit=60))
    solution = engine.solve(hint=None, on_progress=print)   # engine.stop() from another thread

Flow: build the full model, find a quick first roster, solve the full model for a share of
the budget (it stops early at optimality) and improve the incumbent by large-neighbourhood
search: free a block of people x days, freeze the rest to the incumbent, re-solve briefly
with the incumbent as hint, keep improvements.  Every sub-model is built by the same rule
modules (frozen cells become constants).  The bound comes from the full model.  The result
is validated by the rule modules' own validators.  See :class:`RosterEngine` for how the
cores are used.

Determinism: with ``deterministic=True`` every limit is a CP-SAT *deterministic time*
(``time_limit`` is then in deterministic units, roughly seconds), the LNS loop counts
deterministic time, and several workers run with ``interleave_search``; the same input,
options and seed then give the same roster.  Without it (the default, for products and
benchmarks) wall-clock limits and threads make runs with the same seed differ.
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

from scheduler.context import ModelContext, domains
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
    first_fraction: float = 0.3             # sequential mode: share of the first full solve
    lns: bool = True
    lns_time: float | None = None           # limit of one sub-solve (default from budget)
    lns_min_cells: int = 40                 # smallest neighbourhood (free person-days)
    adaptive_kinds: bool = True             # draw neighbourhood kinds by recent success
    rebuild_weight: float = 0.15            # ruin-and-recreate by the construction (if used)
    retype_weight: float = 0.1              # exact day re-typing of the incumbent (if used)
    lns_start_cells: int | None = None
    complete_hint: bool = True              # sub-solves start from the incumbent, every
                                            # variable hinted (not only the cells)
    full_share: float = 0.4                 # portfolio: share of the full-model solve
    weak_after: float = 0.25                # ... cut short after this share while its bound
    weak_bound: float = 0.5                 # is below this fraction of the best roster
    full_stall: float = 0.2                 # ... or after this share without a new bound or
                                            # roster of its own (it will not prove in time)
    construct_min_days: int = 56
    construct_share: float = 0.7            # per-person construction: passes within this
    construct_share_long: float = 0.85      # ... (long horizons: the passes are the search)
    construct_stall: int = 6                # ... or until this many passes find nothing better
    construct_hold: bool = True             # long horizons: other cores wait for the passes
    retype: bool = True                     # per-person construction: re-type whole
                                            # days exactly (min-cost flow) after
                                            # passes/rebuilds, and as a search move
    retype_chunk: int = 25                  # ... and within a pass after this many rows
    construct_always: bool = True           # per-person construction as the first roster
                                            # whenever it applies (not only long horizons)
    construct_cells: int = 30_000           # above: no full model; first roster by rolling
                                            # construction, then LNS on every core
    log: bool = False                       # CP-SAT search log on stderr
    params: dict = field(default_factory=dict)   # extra CP-SAT parameters

    def workers(self) -> int:
        return max(1, self.num_workers or os.cpu_count() or 1)


class _FullCallback(cp_model.CpSolverSolutionCallback):
    """Offers every improving solution of the full model to the shared incumbent."""

    def __init__(self, engine: "RosterEngine", ctx: ModelContext):
        super().__init__()
        self.engine = engine
        self.ctx = ctx

    def on_solution_callback(self) -> None:
        self.engine._bound_seen(self.best_objective_bound)
        values = self.ctx.read(self)
        obj = self.engine._exact(int(round(self.objective_value)), values, proved=False)
        if self.engine._better(obj):
            self.engine._full_event = time.monotonic()
            self.engine._offer(obj, values, "first")


class RosterEngine:
    """Solve a :class:`Problem` with a list of rule modules.

    With two or more workers (and not ``deterministic``) the engine runs a portfolio: a quick
    first roster from CP-SAT's own portfolio, the full model on ``workers - lns_threads``
    workers for ``full_share`` of the budget (it gives the bound and may prove optimality;
    then its core joins the search), and ``lns_threads`` large-neighbourhood-search threads
    of one worker each sharing the incumbent.  With one worker, or deterministic limits, it
    runs sequentially: first roster, full solve (``first_fraction``), then the LNS.  Long
    horizons with more than ``construct_cells`` cells get no full model: a rolling
    construction gives the first roster and every core runs the LNS.
    """

    def __init__(self, problem: Problem, rules: Sequence[Rule] | None = None,
                 options: SolveOptions | None = None):
        self.problem = problem
        self.rules = list(rules) if rules is not None else standard_rules()
        self.options = options or SolveOptions()
        self._stop = threading.Event()
        self._done = threading.Event()
        self._constructing = threading.Event()   # long horizons: passes hold the other cores
        self._lock = threading.RLock()
        self._solvers: set[cp_model.CpSolver] = set()
        self._on_progress: ProgressCallback | None = None
        self._t0 = 0.0
        self._best: int | None = None
        self._values: dict[tuple[int, int], int] | None = None
        self._bound: int | None = None
        self._dtime = 0.0
        self._stats: dict = {}

    # -- control -------------------------------------------------------------------------
    def stop(self) -> None:
        """Stop the running solve from another thread; ``solve`` returns the best so far."""
        self._stop.set()
        with self._lock:
            for solver in self._solvers:
                solver.stop_search()

    def elapsed(self) -> float:
        return time.monotonic() - self._t0

    def _spent(self) -> float:
        return self._dtime if self.options.deterministic else self.elapsed()

    # -- shared incumbent ------------------------------------------------------------------
    def _better(self, objective: int) -> bool:
        return self._best is None or objective < self._best

    def _offer(self, objective: int, values: dict[tuple[int, int], int], phase: str,
               iteration: int = 0) -> bool:
        with self._lock:
            if not self._better(objective):
                return False
            self._best = objective
            self._values = values
            if "first_objective" not in self._stats:
                self._stats["first_objective"] = objective
                self._stats["first_s"] = round(self.elapsed(), 3)
        self._progress(phase, iteration)
        if self._bound is not None and objective <= self._bound:
            self._done.set()
            self._stop_solvers()
        return True

    def _bound_seen(self, bound: float) -> None:
        b = int(math.ceil(bound - 1e-6))
        with self._lock:
            raised = self._bound is None or b > self._bound
            if raised:
                self._bound = b
                self._full_event = time.monotonic()
            proved = self._best is not None and self._best <= self._bound
        if raised and self._best is not None:
            self._progress("bound")
        if proved:
            self._done.set()
            self._stop_solvers()

    def _stop_solvers(self) -> None:
        with self._lock:
            for solver in self._solvers:
                solver.stop_search()

    def _progress(self, phase: str, iteration: int = 0) -> None:
        if self._on_progress is not None:
            self._on_progress(Progress(self._best, self._bound, self.elapsed(), phase,
                                       iteration))

    # -- solver --------------------------------------------------------------------------
    def _solver(self, limit: float, workers: int) -> cp_model.CpSolver:
        o = self.options
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.num_workers = workers
        p.random_seed = o.seed
        p.log_search_progress = o.log
        if o.deterministic:
            p.max_deterministic_time = max(0.01, limit)
            if workers > 1:
                p.interleave_search = True
        else:
            p.max_time_in_seconds = max(0.01, limit)
        if workers == 1:
            # one worker: the strongest LP (clauses and sequences in the relaxation); the
            # multi-worker portfolio picks its own linearization per subsolver
            p.linearization_level = 2
        for k, v in o.params.items():
            setattr(p, k, v)
        return solver

    def _run(self, solver: cp_model.CpSolver, model: cp_model.CpModel,
             callback: cp_model.CpSolverSolutionCallback | None = None) -> int:
        with self._lock:
            if self._stop.is_set() or self._done.is_set():
                return cp_model.UNKNOWN
            self._solvers.add(solver)
        try:
            status = solver.solve(model, callback)
        finally:
            with self._lock:
                self._solvers.discard(solver)
                self._dtime += solver.response_proto.deterministic_time
        return status

    # -- main ----------------------------------------------------------------------------
    def solve(self, hint: Roster | None = None,
              on_progress: ProgressCallback | None = None,
              initial: Roster | None = None) -> Solution:
        """Best roster within the limit, with bound, status and validator findings.

        ``on_progress`` receives a :class:`Progress` at every improvement and at the end; it
        may be called from a solver thread.  ``initial``: a complete roster from a
        construction heuristic; when the validators find no hard violation in it, it is the
        first incumbent (the large-neighbourhood search starts from it at once) and the hint."""
        o = self.options
        self._t0 = time.monotonic()
        self._on_progress = on_progress
        self._best = self._bound = self._values = None
        self._dtime = 0.0
        self._done.clear()
        self._stats = stats = {"lns_iterations": 0, "lns_improvements": 0}
        self._full_event = self._t0
        self._retyper = None

        self._allowed = domains(self.problem, self.rules)
        self._sub_rules = [r.elastic(self._elastic_weight()) for r in self.rules]
        cells = sum(len(a) for row in self._allowed for a in row)
        stats["cells"] = cells
        # long horizons only: a wide short instance is better served by the full model
        self._construct_first = (o.lns and cells > o.construct_cells
                                 and self.problem.horizon > o.construct_min_days)
        self._full_model = not self._construct_first
        ctx = None
        self._ctx_full = None
        if self._full_model:
            ctx = ModelContext(self.problem, self.rules, allowed=self._allowed)
            self._ctx_full = ctx
            stats["build_s"] = round(self.elapsed(), 3)
            stats["variables"] = len(ctx.model.proto.variables)
            stats["constraints"] = len(ctx.model.proto.constraints)
        if initial is not None:
            found = validate(self.problem, initial, self.rules)
            start_values = self._hint_values(initial)
            if not any(v.hard for v in found) and start_values is not None:
                start = sum(v.penalty for v in found if not v.hard)
                stats["initial_objective"] = start
                hint = hint or initial
                self._offer(start, start_values, "initial")
        if hint and ctx is not None:
            ctx.add_hint(self._to_values(ctx, hint))
        elif hint and self._values is None:
            # a large problem has no full model to hint: a complete hint is the first roster
            vals = self._hint_values(hint)
            if vals is not None:
                self._offer(self._objective_of(vals), vals, "first")

        workers = o.workers()
        if o.lns and workers >= 2 and not o.deterministic:
            full_status = self._portfolio(ctx, workers)
        else:
            full_status = self._sequential(ctx, workers)
        if full_status == cp_model.MODEL_INVALID:  # pragma: no cover - a rule module bug
            raise RuntimeError("CP-SAT model invalid")
        if full_status == cp_model.INFEASIBLE:
            return self._finish(None, None, None, "INFEASIBLE", stats)
        if self._values is None:
            return self._finish(None, None, self._bound, "UNKNOWN", stats)
        if full_status == cp_model.OPTIMAL:
            self._bound = self._best
        best, values = self._best, self._values
        status_name = ("OPTIMAL" if self._bound is not None and best <= self._bound
                       else "FEASIBLE")
        return self._finish(values, best, self._bound, status_name, stats)

    def _full_solve(self, ctx: ModelContext, limit: float, workers: int,
                    stop_after: float | None = None, weak_after: float | None = None) -> int:
        """Solve the full model.  ``stop_after``: stop once a roster exists after this many
        seconds; ``weak_after``: stop after this many seconds while its bound is below
        ``weak_bound`` of the best roster (it will not prove anything in time; its core is
        better used by the search)."""
        solver = self._solver(limit, workers)
        solver.best_bound_callback = self._bound_seen
        timer = None
        if stop_after is not None or weak_after is not None:
            def weak() -> bool:
                with self._lock:
                    best, bound = self._best, self._bound
                if weak_after is None or best is None:
                    return False
                stalled = (time.monotonic() - self._full_event
                           > self.options.full_stall * self.options.time_limit)
                return stalled or (best > 0 and (bound is None
                                                 or bound < self.options.weak_bound * best))

            def watch() -> None:
                nonlocal timer
                is_weak = weak()
                if ((stop_after is not None and self._values is not None)
                        or self._stop.is_set() or is_weak):
                    if is_weak:
                        self._stats["full_stopped_weak_s"] = round(self.elapsed(), 2)
                    solver.stop_search()
                else:
                    timer = threading.Timer(0.25, watch)
                    timer.daemon = True
                    timer.start()
            first = min(x for x in (stop_after, weak_after) if x is not None)
            timer = threading.Timer(max(0.0, first), watch)
            timer.daemon = True
            timer.start()
        status = self._run(solver, ctx.model, _FullCallback(self, ctx))
        if timer is not None:
            timer.cancel()
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self._bound_seen(solver.best_objective_bound)
            values = ctx.read(solver)
            obj = self._exact(int(round(solver.objective_value)), values,
                              proved=status == cp_model.OPTIMAL)
            if self._better(obj):
                self._offer(obj, values, "first")
        if status == cp_model.OPTIMAL:
            with self._lock:
                self._bound = max(self._bound or obj, obj)
            self._done.set()
        if status == cp_model.INFEASIBLE:
            self._done.set()
        self._stats["full_status"] = solver.status_name(status)
        return status

    def _quick_first(self, ctx: ModelContext) -> int:
        """A first roster fast: CP-SAT's own portfolio on every worker (with two or more its
        feasibility-jump first-solution worker runs), stop at the first solution.  The
        strong-LP one-worker solve may take minutes to find one on mid-size instances."""
        T = self.options.time_limit
        status = cp_model.UNKNOWN
        round_ = 0
        while self._values is None and not (self._stop.is_set() or self._done.is_set()):
            left = T - self._spent()
            if left <= 0.05:
                break
            solver = self._solver(min(left, max(0.5, 0.25 * T)), self.options.workers())
            solver.parameters.stop_after_first_solution = True
            solver.parameters.random_seed = self.options.seed + round_
            round_ += 1
            status = self._run(solver, ctx.model, _FullCallback(self, ctx))
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                values = ctx.read(solver)
                obj = self._exact(int(round(solver.objective_value)), values, proved=False)
                if self._better(obj):
                    self._offer(obj, values, "first")
            elif status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
                self._done.set()
                break
        return status

    def _sequential(self, ctx: ModelContext | None, workers: int) -> int:
        o = self.options
        T = o.time_limit
        if ctx is None or self._construct_first:
            self._lns(0)
            return cp_model.FEASIBLE if self._values is not None else cp_model.UNKNOWN
        if o.lns and self._values is None:
            status = self._quick_first(ctx)
            if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
                return status
        share = T if not o.lns else max(min(1.0, T), o.first_fraction * T)
        if o.deterministic:
            status = self._full_solve(ctx, share, workers)
            if status == cp_model.UNKNOWN and self._spent() < T and not self._stop.is_set():
                status = self._full_solve(ctx, T - self._spent(), workers)
        else:
            status = self._full_solve(ctx, T, workers, stop_after=share)
        if o.lns and self._values is not None and not self._done.is_set():
            self._lns(0)
        return status

    def _portfolio(self, ctx: ModelContext | None, workers: int) -> int:
        o = self.options
        lns_threads = max(1, workers // 2) if self._full_model else workers
        full_workers = max(1, workers - lns_threads)
        result: dict = {"status": cp_model.FEASIBLE}

        def full() -> None:
            result["status"] = self._full_solve(ctx, o.full_share * o.time_limit, full_workers,
                                                weak_after=o.weak_after * o.time_limit)
            if result["status"] not in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
                # not proved within its share: the core joins the search for rosters
                self._lns(lns_threads)

        threads = [threading.Thread(target=full, daemon=True)] if self._full_model else []
        threads += [threading.Thread(target=self._lns, args=(k,), daemon=True)
                    for k in range(lns_threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return result.get("status", cp_model.UNKNOWN)

    # -- large-neighbourhood search ------------------------------------------------------
    def _lns(self, thread: int) -> None:
        o = self.options
        p = self.problem
        E, H = len(p.employees), p.horizon
        rng = random.Random(o.seed * 1000 + thread)
        T = o.time_limit
        it_limit = o.lns_time or min(5.0, max(0.5, T / 60))
        size0 = float(o.lns_start_cells or max(o.lns_min_cells, min(E * H // 4, 8 * H, 400)))
        sizes = {k: min(size0, E * H) for k, _ in self.KINDS}
        rate = {k: 1.0 for k in [k for k, _ in self.KINDS] + ["rebuild", "retype"]}
        allowed_sets = self._allowed_shift_sets()
        it = 0
        if thread == 0 and self._values is None:
            if self._construct_first:
                if not self._construct_people():
                    self._construct()
            elif o.construct_always and self._construct_people():
                pass
            elif self._ctx_full is not None and not o.deterministic:
                self._quick_first(self._ctx_full)
        # wait for the first roster (of the full model or of the construction) and, on long
        # horizons, for the construction passes: each pass starts from the last one, not
        # from the incumbent, so a search meanwhile would only slow them down (one GIL)
        while self._values is None or (thread > 0 and self._constructing.is_set()):
            if self._stop.is_set() or self._done.is_set() or self._spent() >= T:
                return
            time.sleep(0.02)
        while not (self._stop.is_set() or self._done.is_set()):
            remaining = T - self._spent()
            if remaining <= 0.05:
                break
            with self._lock:
                best, values = self._best, self._values
            it += 1
            kind = self._pick_kind(rng, rate if o.adaptive_kinds else None)
            if kind in ("rebuild", "retype"):
                t_start = time.monotonic()
                improved = (self._rebuild(rng, best, values, it) if kind == "rebuild"
                            else self._retype_move(rng, best, values, it))
                took = time.monotonic() - t_start
                rate[kind] = 0.8 * rate[kind] + 0.2 * (improved / max(0.1, took))
                continue
            allowed = self._allowed
            if kind == "short_domain":
                picked = self._short_domain_block(rng, int(sizes[kind]), values)
                if picked is None:
                    kind = "guided_some"
                else:
                    free, allowed = picked
            if kind != "short_domain":
                free = self._neighbourhood(rng, kind, int(sizes[kind]), allowed_sets, values)
            ctx = ModelContext(p, self._sub_rules, values, free, allowed)
            ctx.add_hint(values)
            if o.complete_hint:
                ctx.complete_hint()
            solver = self._solver(min(it_limit, max(0.01, T - self._spent())), 1)
            status = self._run(solver, ctx.model)
            try:
                wall = solver.wall_time
            except RuntimeError:    # stopped before the sub-solve started: nothing to read
                break
            if _DEBUG:
                print(f"lns[{thread}] {it} {kind} cells={len(free)} vars={len(ctx.work)} "
                      f"{solver.status_name(status)} obj={solver.objective_value} best={best} "
                      f"t={wall:.2f}", file=sys.stderr)
            improved = False
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                new = ctx.read(solver)
                obj = self._exact(int(round(solver.objective_value)), new,
                                  proved=status == cp_model.OPTIMAL)
                improved = obj < best
                if obj < best and self._offer(obj, new, "lns", it):
                    with self._lock:
                        self._stats["lns_improvements"] += 1
                elif obj == best and self._best == best:
                    with self._lock:   # a sideways move: same cost, another roster
                        if self._best == best:
                            self._values = new
            rate[kind] = 0.8 * rate[kind] + 0.2 * (improved / max(0.1, wall))
            if status == cp_model.OPTIMAL:
                sizes[kind] = min(E * H, sizes[kind] * 1.15)
            elif status in (cp_model.FEASIBLE, cp_model.UNKNOWN):
                sizes[kind] = max(o.lns_min_cells, sizes[kind] * 0.8)
        with self._lock:
            self._stats["lns_iterations"] += it
            self._stats[f"lns_final_cells_{thread}"] = {k: int(v) for k, v in sizes.items()}

    def _elastic_weight(self) -> int:
        """Penalty per missing minute while a roster is under construction: more than any
        soft term can pay back, so a roster that meets the minimum is always preferred."""
        p = self.problem
        top = max([c.weight_under for c in p.cover] + [r.weight for r in p.requests] + [1])
        return 2 * top

    def _construct(self) -> None:
        """A first roster for large problems: solve a window of days for everyone at a time
        (rolling horizon, the earlier days frozen, the limits prorated, the minimum minutes
        elastic), then hand it to the LNS, whose sub-models keep the minimum elastic until
        it holds."""
        import dataclasses
        o = self.options
        p = self.problem
        E, H = len(p.employees), p.horizon
        T = o.time_limit
        budget = 0.5 * T
        window = 14 if H > 28 else 7
        overlap = 3
        values: dict[tuple[int, int], int] = {}
        t = 0
        steps = max(1, math.ceil(H / window))
        k = 0
        while t < H:
            if self._stop.is_set() or self._done.is_set() or self._values is not None:
                return
            end = min(H, t + window)
            frac = end / H
            emps = []
            for emp in p.employees:
                if end < H:
                    # prorate by the days the person is available (leave comes in blocks)
                    off = p.days_off.get(emp.id, frozenset())
                    avail = max(1, H - sum(1 for d in off if 0 <= d < H))
                    fe = (end - sum(1 for d in off if 0 <= d < end)) / avail
                    emp = dataclasses.replace(
                        emp,
                        min_minutes=None if emp.min_minutes is None
                        else int(emp.min_minutes * fe),
                        max_minutes=None if emp.max_minutes is None
                        else min(emp.max_minutes, math.ceil(emp.max_minutes * fe) + 720),
                        max_shifts={s: (n if n >= H else min(n, math.ceil(n * fe) + 1))
                                    for s, n in emp.max_shifts.items()},
                        max_weekends=None if emp.max_weekends is None
                        else min(emp.max_weekends, math.ceil(emp.max_weekends * frac) + 1))
                emps.append(emp)
            sub = dataclasses.replace(
                p, horizon=end, employees=emps,
                requests=[r for r in p.requests if r.day < end],
                cover=[c for c in p.cover if c.day < end],
                fixed={k2: v for k2, v in p.fixed.items() if k2[1] < end})
            lo = max(0, t - overlap) if t else 0
            free = {(e, d) for e in range(E) for d in range(lo, end)}
            allowed = [row[:end] for row in self._allowed]
            ctx = ModelContext(sub, self._sub_rules, values, free, allowed)
            left = max(0.2, (budget - self._spent()) / max(1, steps - k))
            while True:
                solver = self._solver(left, o.workers())
                status = self._run(solver, ctx.model)
                if (status != cp_model.UNKNOWN or self._stop.is_set()
                        or self._spent() + 2 * left > T):
                    break
                left *= 2  # no roster for this window yet: try longer
            if _DEBUG:
                print(f"construct {t}-{end} vars={len(ctx.work)} {solver.status_name(status)} "
                      f"obj={solver.objective_value} t={solver.wall_time:.2f} "
                      f"at={self.elapsed():.1f}", file=sys.stderr)
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return
            values = ctx.read(solver)
            t = end
            k += 1
        self._offer(self._objective_of(values), values, "first")

    def _construct_people(self) -> bool:
        try:
            return self._construct_people_passes()
        finally:
            self._constructing.clear()

    def _construct_people_passes(self) -> bool:
        """A first roster one person at a time (see :mod:`scheduler.construct`): every hard
        rule holds, so the search then keeps the hard rules as they are.  False when the
        problem is not of that kind or a person's row cannot be built."""
        from scheduler import construct
        p = self.problem
        if not construct.applicable(p):
            return False
        if self.options.retype:
            from scheduler.retype import DayRetyper
            self._retyper = DayRetyper(p, self._allowed)
        E, H = len(p.employees), p.horizon
        rng = random.Random(self.options.seed)
        need = self._cover_need()
        wish = self._wish = construct.wishes(p)
        values = {(e, d): OFF for e in range(E) for d in range(H)}
        T = self.options.time_limit
        passes = stall = 0
        order = list(range(E))
        while True:
            ok = self._construct_pass(construct, order, values, need, wish, rng)
            if ok is None:
                return True          # stopped
            if not ok:
                return passes > 0
            passes += 1
            if self._retyper is not None:
                # the shift types of every day again, all workers of a day at once (exact)
                if self._retype_all(values, rng):
                    self._need_of(values, need)
            obj = self._valid_objective(values)
            if obj is None:
                return passes > 1
            if _DEBUG:
                print(f"construct_people pass {passes} obj={obj} at={self.elapsed():.1f}",
                      file=sys.stderr)
            if passes == 1:
                # a valid roster: the search keeps every hard rule hard from here on
                self._sub_rules = list(self.rules)
                self._stats["construction"] = "per_person"
                if self._construct_first and self.options.construct_hold:
                    self._constructing.set()
            self._stats["construction_passes"] = passes
            stall = 0 if self._offer(obj, dict(values), "first") else stall + 1
            # again, each person's row against everyone else's (a best response), while
            # a pass is cheap against the budget and still finds better rosters (the passes
            # are heuristic, not monotone); the other cores already search
            took = self.elapsed() / passes
            share = (self.options.construct_share_long if self._construct_first
                     else self.options.construct_share)
            if (self._spent() + took > share * T
                    or stall >= self.options.construct_stall):
                return True
            rng.shuffle(order)

    def _construct_pass(self, construct, order, values, need, wish, rng) -> bool | None:
        p = self.problem
        H = p.horizon
        chunk = self.options.retype_chunk if self._retyper is not None else 0
        for i, e in enumerate(order):
            if self._stop.is_set() or self._done.is_set() or self._spent() >= self.options.time_limit:
                return None
            if chunk and i and i % chunk == 0 and len(order) > chunk:
                # the others' types again, so the next rows answer the cover truly missing
                if self._retype_all(values, rng, sweeps=1):
                    self._need_of(values, need)
            for d in range(H):      # take the person's row out of the cover
                v = values[(e, d)]
                if v >= 0 and (d, v) in need:
                    need[(d, v)] += 1
                values[(e, d)] = OFF
            row = self._allowed[e]
            value = construct.day_values(p, e, row, need, rng, wish.get(e))
            types = None
            # first the count the missing cover asks for (fewer, longer shifts), then the
            # count the shortest shifts fill (always possible when a safe type exists)
            for rng_ in (construct.target_range(p, e, row, need),
                         construct.count_range(p, e, row)):
                if rng_ is None:
                    continue
                pat = construct.pattern(p, e, row, value, *rng_)
                safe = None if pat is None else construct.simple_type(p, e, row, sum(pat))
                if safe is not None:
                    types = construct.assign_types_blocks(p, e, row, pat, safe, need,
                                                          wish.get(e, {}))
                if types is not None:
                    break
            if types is None:
                return False
            for d, s in types.items():
                values[(e, d)] = s
            construct.reduce_need(need, values, e, H)
        return True

    def _need_of(self, values: dict[tuple[int, int], int],
                 need: dict[tuple[int, int], int]) -> None:
        """``need`` (in place): the cover still missing under ``values``."""
        need.clear()
        need.update(self._cover_need())
        for (d, v), n in self._counts(values).items():
            if (d, v) in need:
                need[(d, v)] -= n

    def _retype_all(self, values: dict[tuple[int, int], int], rng: random.Random,
                    sweeps: int = 8) -> int:
        """Sweeps of :class:`scheduler.retype.DayRetyper` over every day (in a shuffled
        order) until one saves nothing; the objective saved."""
        saved = 0
        days = list(range(self.problem.horizon))
        for _ in range(sweeps):
            if self._stop.is_set() or self._done.is_set():
                break
            rng.shuffle(days)
            gain = self._retyper.sweep(values, days)
            saved += gain
            if gain <= 0:
                break
        return saved

    def _valid_objective(self, values: dict[tuple[int, int], int]) -> int | None:
        """The validators' objective of a complete roster, or None if a hard rule breaks."""
        p = self.problem
        eids, sids = p.employee_ids, p.shift_ids
        roster = {(eids[e], d): (None if v == OFF else sids[v]) for (e, d), v in values.items()}
        found = validate(p, roster, self.rules)
        if any(v.hard for v in found):
            return None
        return sum(v.penalty for v in found)

    def _rebuild(self, rng: random.Random, best: int, values: dict[tuple[int, int], int],
                 it: int) -> bool:
        """Ruin and recreate: a few people's rows planned again, one after the other, by the
        per-person construction against everyone else's (it keeps every hard rule).  Kept
        when the whole roster is better (or as good: a sideways move)."""
        from scheduler import construct
        E = len(self.problem.employees)
        need: dict[tuple[int, int], int] = {}
        self._need_of(values, need)
        new = dict(values)
        people = rng.sample(range(E), min(E, rng.randint(1, 6)))
        if not self._construct_pass(construct, people, new, need, self._wish, rng):
            return False
        if self._retyper is not None:
            self._retype_all(new, rng, sweeps=2)
        obj = self._valid_objective(new)
        if obj is None:
            return False
        if _DEBUG:
            print(f"rebuild {it} people={len(people)} obj={obj} best={best}", file=sys.stderr)
        if obj < best:
            self._offer_move("rebuild", obj, new, it)
            return True
        if obj == best:
            with self._lock:
                if self._best == best:
                    self._values = new
        return False

    def _retype_move(self, rng: random.Random, best: int,
                     values: dict[tuple[int, int], int], it: int) -> bool:
        """The incumbent's days re-typed (see :meth:`_retype_all`); kept when better."""
        new = dict(values)
        if self._retype_all(new, rng, sweeps=3) <= 0:
            return False
        obj = self._valid_objective(new)
        if _DEBUG:
            print(f"retype {it} obj={obj} best={best}", file=sys.stderr)
        if obj is None or obj >= best:
            return False
        self._offer_move("retype", obj, new, it)
        return True

    def _offer_move(self, kind: str, obj: int, values: dict[tuple[int, int], int],
                    it: int) -> None:
        """Offer the roster of a search move made without a sub-model; count it."""
        if self._offer(obj, values, "lns", it):
            with self._lock:
                self._stats["lns_improvements"] += 1
                key = f"{kind}_improvements"
                self._stats[key] = self._stats.get(key, 0) + 1

    def _exact(self, objective: int, values: dict[tuple[int, int], int], proved: bool) -> int:
        """The cost of a roster CP-SAT found.  Its objective is exact when proved optimal;
        a solution found on the way may carry slack (a cover both under and over by one
        costs both weights although the two cancel), so its cost is recomputed from the
        roster (constants only, a few ms; 0.08 s on Instance 24)."""
        return objective if proved else self._objective_of(values)

    def _objective_of(self, values: dict[tuple[int, int], int]) -> int:
        """The objective of a complete roster under the LNS rules (constants only)."""
        ctx = ModelContext(self.problem, self._sub_rules, values, set(), self._allowed)
        return int(ctx.offset)

    def _hint_values(self, hint: Roster) -> dict[tuple[int, int], int] | None:
        sidx = {s: i for i, s in enumerate(self.problem.shift_ids)}
        vals = {}
        for e, eid in enumerate(self.problem.employee_ids):
            for d in range(self.problem.horizon):
                if (eid, d) not in hint:
                    return None
                sid = hint[(eid, d)]
                vals[(e, d)] = OFF if sid is None else sidx.get(sid, OFF)
        return vals

    def _allowed_shift_sets(self) -> list[frozenset[str]]:
        out = []
        for emp in self.problem.employees:
            out.append(frozenset(s for s in self.problem.shift_ids
                                 if emp.max_shifts.get(s, 1) > 0))
        return out

    def _cover_need(self) -> dict[tuple[int, int], int]:
        """(day, shift index) -> required people, from the cover rows."""
        p = self.problem
        sidx = {s: i for i, s in enumerate(p.shift_ids)}
        need: dict[tuple[int, int], int] = {}
        for c in p.cover:
            if c.shift in sidx and 0 <= c.day < p.horizon:
                need[(c.day, sidx[c.shift])] = need.get((c.day, sidx[c.shift]), 0) + c.requirement
        return need

    @staticmethod
    def _counts(values: dict[tuple[int, int], int]) -> dict[tuple[int, int], int]:
        """(day, shift index) -> people on it in a roster."""
        count: dict[tuple[int, int], int] = {}
        for (_e, d), v in values.items():
            if v >= 0:
                count[(d, v)] = count.get((d, v), 0) + 1
        return count

    def _day_costs(self, values: dict[tuple[int, int], int]) -> list[float]:
        """Soft cost of the incumbent per day (cover and requests), plus 1."""
        p = self.problem
        sidx = {s: i for i, s in enumerate(p.shift_ids)}
        eidx = {e: i for i, e in enumerate(p.employee_ids)}
        count = self._counts(values)
        cost = [1.0] * p.horizon
        for c in p.cover:
            if 0 <= c.day < p.horizon and c.shift in sidx:
                n = count.get((c.day, sidx[c.shift]), 0)
                cost[c.day] += (c.weight_under * max(0, c.requirement - n)
                                + c.weight_over * max(0, n - c.requirement))
        for r in p.requests:
            if 0 <= r.day < p.horizon and r.employee in eidx:
                got = values.get((eidx[r.employee], r.day), OFF) == sidx.get(r.shift)
                if got != r.on:
                    cost[r.day] += r.weight
        return cost

    # kinds of neighbourhood and how often each is drawn; each kind keeps its own size
    KINDS = (("guided_all", 0.175), ("guided_some", 0.175), ("days", 0.1625),
             ("people", 0.1625), ("block", 0.325), ("short_type", 0.1),
             ("guided_pair", 0.1), ("short_domain", 0.1))

    def _shortfalls(self, values: dict[tuple[int, int], int]) -> list[tuple[int, int, int]]:
        """(day, shift index, cost of the shortfall) of every cover the roster misses."""
        p = self.problem
        sidx = {sid: i for i, sid in enumerate(p.shift_ids)}
        count = self._counts(values)
        out = []
        for c in p.cover:
            if c.shift in sidx and 0 <= c.day < p.horizon:
                missing = c.requirement - count.get((c.day, sidx[c.shift]), 0)
                if missing > 0:
                    out.append((c.day, sidx[c.shift], c.weight_under * missing))
        return out

    @staticmethod
    def _draw(rng: random.Random, short: list[tuple[int, int, int]]) -> tuple[int, int]:
        """A (day, shift index) of the shortfalls, drawn by their cost."""
        day, s, _ = rng.choices(short, weights=[w for _, _, w in short])[0]
        return day, s

    def _short_type_block(self, rng: random.Random, size: int,
                          values: dict[tuple[int, int], int]) -> set[tuple[int, int]] | None:
        """A (day, shift type) under its cover, drawn by the shortfall's cost; free the people
        who may work that type over a window of one to three weeks around the day (the people
        who could fill the gap and the days their other shifts can move to)."""
        p = self.problem
        E, H = len(p.employees), p.horizon
        short = self._shortfalls(values)
        if not short:
            return None
        day, s = self._draw(rng, short)
        able = [e for e in range(E) if any(s in self._allowed[e][d]
                                           for d in range(max(0, day - 3), min(H, day + 4)))]
        if not able:
            return None
        w = min(H, 7 * rng.randint(1, 3))
        k = max(2, min(len(able), size // w))
        if k < len(able):
            # the people on the type near the day first: they are the ones to move
            able.sort(key=lambda e: (-sum(values.get((e, x)) == s for x in
                                          range(max(0, day - 7), min(H, day + 8))), rng.random()))
            able = able[:k]
        start = min(max(0, day - rng.randint(0, w - 1)), max(0, H - w))
        return {(e, d) for e in able for d in range(start, min(H, start + w))}

    def _short_domain_block(self, rng: random.Random, size: int,
                            values: dict[tuple[int, int], int]):
        """Everyone over a window around a (day, shift type) under its cover, but each free
        cell may only keep its shift, be off, or take one of the types short in the window
        (up to three, drawn by their shortfall's cost).  Fewer literals per cell, so the
        window can be long: shifts of a scarce type move between people and days, and
        surplus shifts go off to pay for them in minutes, runs and weekends.  None when
        nothing is short.  Returns (free cells, the sub-model's domains)."""
        E, H = len(self.problem.employees), self.problem.horizon
        short = self._shortfalls(values)
        if not short:
            return None
        day, s0 = self._draw(rng, short)
        w = max(2, min(H, 2 * size // max(1, E)))
        start = min(max(0, day - rng.randint(0, w - 1)), max(0, H - w))
        days = range(start, start + w)
        weight: dict[int, float] = {}
        for d, s, c in short:
            if start <= d < start + w and s != s0:
                weight[s] = weight.get(s, 0.0) + c
        types = {s0}
        while weight and len(types) < 3:
            s = rng.choices(list(weight), weights=list(weight.values()))[0]
            types.add(s)
            del weight[s]
        # every person's row is copied (everyone is free in the window); the day lists
        # outside the window stay the engine's own
        allowed = list(self._allowed)
        free = set()
        for e in range(E):
            row = allowed[e] = list(allowed[e])
            for d in days:
                cur = values.get((e, d), OFF)
                row[d] = [s for s in row[d] if s == cur or s in types]
                free.add((e, d))
        return free, allowed

    def _pick_kind(self, rng: random.Random, rate: dict[str, float] | None = None) -> str:
        """A kind drawn by its base weight times its recent success rate (improvements per
        second of solving, a moving average; every kind keeps a floor so none starves)."""
        p = self.problem
        kinds = [(k, w) for k, w in self.KINDS
                 if not (k == "people" and len(p.employees) < 3)]
        if self._stats.get("construction") == "per_person":
            kinds.append(("rebuild", self.options.rebuild_weight))
            if self._retyper is not None:
                kinds.append(("retype", self.options.retype_weight))
        if rate:
            # relative to the best of the kinds drawn here (a kind never drawn, e.g.
            # ``retype`` without its retyper, keeps its start rate and must not count)
            top = max(rate.get(k, 0.0) for k, _ in kinds) or 1.0
            kinds = [(k, w * (0.15 + rate.get(k, top) / top)) for k, w in kinds]
        return rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0]

    def _neighbourhood(self, rng: random.Random, kind: str, size: int,
                       allowed_sets: list[frozenset[str]],
                       values: dict[tuple[int, int], int] | None = None
                       ) -> set[tuple[int, int]]:
        """A block of people x days of the given kind with about ``size`` cells:
        ``guided_all`` / ``guided_some``: everyone / about size/7 people, a window around a
        day drawn by the incumbent's cost there; ``guided_pair``: everyone, two windows (one
        of them guided); ``short_type``: see :meth:`_short_type_block`; ``days``: everyone,
        a window of days; ``people``: some people, the whole horizon; ``block``: some people,
        whole weeks.  (``short_domain`` also narrows the domains: :meth:`_short_domain_block`.)
        """
        p = self.problem
        E, H = len(p.employees), p.horizon
        if size >= E * H:
            return {(e, d) for e in range(E) for d in range(H)}
        if kind == "short_type" and values is not None:
            picked = self._short_type_block(rng, size, values)
            if picked is not None:
                return picked
            kind = "guided_some"
        if kind == "guided_pair" and values is not None:
            # everyone on two windows: one around a costly day, one anywhere else (a
            # weekend, a night or some minutes moved from one window to the other)
            cost = self._day_costs(values)
            w = max(2, min(H // 2, size // (2 * E)))
            center = rng.choices(range(H), weights=cost)[0]
            a = min(max(0, center - rng.randint(0, w - 1)), max(0, H - w))
            others = [x for x in range(0, H - w + 1) if x + w <= a or x >= a + w]
            if not others:
                return {(e, d) for e in range(E) for d in range(H)}
            b = rng.choice(others)
            days = list(range(a, a + w)) + list(range(b, b + w))
            return {(e, d) for e in range(E) for d in days}
        if kind.startswith("guided") and values is not None:
            cost = self._day_costs(values)
            center = rng.choices(range(H), weights=cost)[0]
            k = E if kind == "guided_all" else max(2, min(E, size // 7))
            w = max(2, min(H, size // k))
            start = min(max(0, center - rng.randint(0, w - 1)), max(0, H - w))
            people = list(range(E)) if k >= E else rng.sample(range(E), k)
            return {(e, d) for e in people for d in range(start, min(H, start + w))}
        if kind == "people" and size // H >= 2:
            w = H
            people = self._people(rng, max(2, size // H), allowed_sets)
        elif kind in ("days", "guided_all", "guided_some"):
            w = max(2, min(H, size // max(1, E)))
            people = list(range(E))
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

    def _finish(self, values, objective, bound, status, stats) -> Solution:
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
            if any(v.hard for v in violations):
                # only possible when a large problem's construction could not reach every
                # minimum in time: say so, and report the soft cost of what we have
                stats["search_objective"] = objective
                objective = stats["validated_objective"]
                status = "HARD_VIOLATIONS"
        self._progress("done")
        sol = Solution(assignment=assignment, objective=objective, bound=bound, status=status,
                       wall_s=round(self.elapsed(), 3), problem_name=p.name,
                       violations=violations, stats=stats)
        return sol


def solve(problem: Problem, rules: Sequence[Rule] | None = None, *, hint: Roster | None = None,
          on_progress: ProgressCallback | None = None, **options) -> Solution:
    """One-call form: ``solve(problem, time_limit=10, num_workers=2, seed=1)``."""
    return RosterEngine(problem, rules, SolveOptions(**options)).solve(hint, on_progress)
