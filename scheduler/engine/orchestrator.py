"""Orchestration: which model runs on which core, for how long, and what comes back.

:class:`RosterEngine` builds the full model (unless the horizon is long), gets a first
roster (a warm start, the per-person construction, or CP-SAT's own portfolio), solves the
full model for a share of the budget (the bound; it may prove optimality) and runs the
search threads (:mod:`scheduler.engine.search`) on the other cores; at the end it validates
the best roster with the rule modules' own validators.  The parts it wires together:

    Solvers        scheduler/engine/solvers.py        CP-SAT parameters, clock, stop them all
    Incumbent      scheduler/engine/incumbent.py      best roster, bound, progress (thread-safe)
    Run            scheduler/engine/run.py            what one solve shares; roster helpers
    Neighbourhoods scheduler/engine/neighbourhoods.py how the search picks a block
    Construction   scheduler/engine/construction.py   first rosters, rebuild and retype moves
    PassChains     scheduler/engine/chains.py         long horizons: passes on the spare cores
    capacity_bound scheduler/engine/bounds.py         a bound from the day and weekend limits
    Search         scheduler/engine/search.py         one search thread's loop
"""
from __future__ import annotations

import math
import threading
import time
from typing import Callable, Sequence

from ortools.sat.python import cp_model

from scheduler.context import ModelContext, domains
from scheduler.engine.bounds import capacity_bound
from scheduler.engine.construction import Construction
from scheduler.engine.incumbent import Incumbent, Values
from scheduler.engine.neighbourhoods import KINDS, Neighbourhoods
from scheduler.engine.options import SolveOptions
from scheduler.engine.run import Run, elastic_weight
from scheduler.engine.search import Search
from scheduler.engine.solvers import Solvers
from scheduler.lits import OFF
from scheduler.problem import Problem, Progress, Roster, Solution, Violation
from scheduler.rules import Rule, standard_rules
from scheduler.stop import StopToken
from scheduler.validate import validate

ProgressCallback = Callable[[Progress], None]


class _FullCallback(cp_model.CpSolverSolutionCallback):
    """Offers every improving solution of the full model to the incumbent."""

    def __init__(self, engine: "RosterEngine", ctx: ModelContext):
        super().__init__()
        self.engine = engine
        self.ctx = ctx

    def on_solution_callback(self) -> None:
        engine, run = self.engine, self.engine.run
        engine._bound_seen(self.best_objective_bound)
        values = self.ctx.read(self)
        obj = run.exact(int(round(self.objective_value)), values, proved=False)
        if run.incumbent.better(obj):
            engine._full_event = time.monotonic()
            run.incumbent.offer(obj, values, "first")


class RosterEngine:
    """Solve a :class:`Problem` with a list of rule modules.

    With two or more workers (and not ``deterministic``) the engine runs a portfolio: the
    full model on ``workers - lns_threads`` workers for ``full_share`` of the budget (it
    gives the bound and may prove optimality; then its core joins the search), and
    ``lns_threads`` search threads of one worker each sharing the incumbent; the first
    search thread builds the first roster.  With one worker, or deterministic limits, it
    runs sequentially: first roster, full solve (``first_fraction``), then the search.
    Long horizons with more than ``construct_cells`` cells get no full model: a
    construction gives the first roster and every core searches.

    ``stop``: a :class:`~scheduler.stop.StopToken` the caller holds (``engine.stop()``
    stops it too); a token stopped before the solve starts stops it at once.
    """

    KINDS = KINDS   # the search's neighbourhood kinds and base weights (may be replaced)

    def __init__(self, problem: Problem, rules: Sequence[Rule] | None = None,
                 options: SolveOptions | None = None, stop: StopToken | None = None):
        self.problem = problem
        self.rules = list(rules) if rules is not None else standard_rules()
        self.options = options or SolveOptions()
        self.stop_token = stop if stop is not None else StopToken()
        self.solvers = Solvers(self.options)
        self.run: Run | None = None                       # the last solve's shared state
        self.neighbourhoods: Neighbourhoods | None = None
        self.construction: Construction | None = None

    # -- control -------------------------------------------------------------------------
    def stop(self) -> None:
        """Stop the running solve from another thread; ``solve`` returns the best so far."""
        self.stop_token.stop()

    def elapsed(self) -> float:
        return self.solvers.elapsed()

    def _bound_seen(self, bound: float) -> None:
        """A bound from the full model: its own progress (for the weak and stall cuts) and
        the incumbent's bound (which the capacity bound may already exceed)."""
        b = int(math.ceil(bound - 1e-6))
        if self._full_bound is None or b > self._full_bound:
            self._full_bound = b
            self._full_event = time.monotonic()
        self.run.incumbent.raise_bound(bound)

    # -- main ----------------------------------------------------------------------------
    def solve(self, hint: Roster | None = None,
              on_progress: ProgressCallback | None = None,
              initial: Roster | None = None) -> Solution:
        """Best roster within the limit, with bound, status and validator findings.

        ``on_progress`` receives a :class:`Progress` at every improvement and at the end; it
        may be called from a solver thread.  ``initial``: a complete roster from a
        construction heuristic; when the validators find no hard violation in it, it is the
        first incumbent (the large-neighbourhood search starts from it at once) and the hint."""
        unsubscribe = self.stop_token.subscribe(self.solvers.stop_all)
        try:
            return self._solve(hint, on_progress, initial)
        finally:
            unsubscribe()

    def _solve(self, hint, on_progress, initial) -> Solution:
        o, p = self.options, self.problem
        inc = Incumbent(self.solvers.elapsed, on_progress, on_done=self.solvers.stop_all)
        allowed = domains(p, self.rules)
        run = self.run = Run(problem=p, rules=self.rules, options=o, solvers=self.solvers,
                             incumbent=inc, stop=self.stop_token, allowed=allowed,
                             sub_rules=[r.elastic(elastic_weight(p)) for r in self.rules],
                             stats={"lns_iterations": 0, "lns_improvements": 0})
        bound = capacity_bound(p, allowed, self.rules)
        if bound is not None:
            # what the day and weekend limits leave uncovered at least (no solver needed)
            run.stats["capacity_bound"] = bound
            inc.raise_bound(bound)
        self.solvers.start(run.halted)
        self._full_event = self.solvers.t0
        self._full_bound: int | None = None
        unknown = set(o.kind_weights) - {k for k, _ in self.KINDS}
        if unknown:
            raise ValueError(f"kind_weights: no such neighbourhood kind {sorted(unknown)}; "
                             f"the kinds are {[k for k, _ in self.KINDS]}")
        kinds = [(k, o.kind_weights.get(k, w)) for k, w in self.KINDS]
        self.neighbourhoods = Neighbourhoods(p, allowed, [(k, w) for k, w in kinds if w > 0])
        self.construction = Construction(run)
        stats = run.stats
        cells = sum(len(a) for row in allowed for a in row)
        stats["cells"] = cells
        # long horizons only: a wide short instance is better served by the full model
        run.construct_first = (o.lns and cells > o.construct_cells
                               and p.horizon > o.construct_min_days)
        ctx = None
        if not run.construct_first:
            ctx = ModelContext(p, self.rules, allowed=allowed)
            stats["build_s"] = round(self.elapsed(), 3)
            stats["variables"] = len(ctx.model.proto.variables)
            stats["constraints"] = len(ctx.model.proto.constraints)
        self._ctx_full = ctx
        if initial is not None:
            found = validate(p, initial, self.rules)
            start_values = run.hint_values(initial)
            if not any(v.hard for v in found) and start_values is not None:
                start = sum(v.penalty for v in found if not v.hard)
                stats["initial_objective"] = start
                hint = hint or initial
                inc.offer(start, start_values, "initial")
        if hint and ctx is not None:
            ctx.add_hint(self._to_values(ctx, hint))
        elif hint and inc.values is None:
            # a large problem has no full model to hint: a complete hint is the first roster
            vals = run.hint_values(hint)
            if vals is not None:
                inc.offer(run.objective_of(vals), vals, "first")

        search = Search(run, self.neighbourhoods, self.construction)
        workers = o.workers()
        if o.lns and workers >= 2 and not o.deterministic:
            full_status = self._portfolio(ctx, search, workers)
        else:
            full_status = self._sequential(ctx, search, workers)
        if inc.first is not None:
            stats["first_objective"], stats["first_s"] = inc.first
        if full_status == cp_model.MODEL_INVALID:  # pragma: no cover - a rule module bug
            raise RuntimeError("CP-SAT model invalid")
        if full_status == cp_model.INFEASIBLE:
            return self._finish(None, None, None, "INFEASIBLE", stats)
        if inc.values is None:
            return self._finish(None, None, inc.bound, "UNKNOWN", stats)
        if full_status == cp_model.OPTIMAL:
            inc.bound = inc.best
        best, values = inc.best, inc.values
        status_name = ("OPTIMAL" if inc.bound is not None and best <= inc.bound
                       else "FEASIBLE")
        return self._finish(values, best, inc.bound, status_name, stats)

    # -- the first roster ----------------------------------------------------------------
    def _first_roster(self) -> None:
        """Called by the first search thread when there is no roster yet: the per-person
        construction where it applies (then the rolling one on long horizons), else CP-SAT's
        own portfolio on the full model."""
        run, o = self.run, self.options
        if run.construct_first:
            if not self.construction.people():
                self.construction.rolling()
        elif o.construct_always and self.construction.people():
            pass
        elif self._ctx_full is not None and not o.deterministic:
            self._quick_first(self._ctx_full)

    def _quick_first(self, ctx: ModelContext) -> int:
        """A first roster fast: CP-SAT's own portfolio on every worker (with two or more its
        feasibility-jump first-solution worker runs), stop at the first solution.  The
        strong-LP one-worker solve may take minutes to find one on mid-size instances."""
        run, inc = self.run, self.run.incumbent
        T = self.options.time_limit
        status = cp_model.UNKNOWN
        round_ = 0
        while inc.values is None and not run.halted():
            left = T - run.spent()
            if left <= 0.05:
                break
            solver = self.solvers.make(min(left, max(0.5, 0.25 * T)), self.options.workers())
            solver.parameters.stop_after_first_solution = True
            solver.parameters.random_seed = self.options.seed + round_
            round_ += 1
            status = self.solvers.run(solver, ctx.model, _FullCallback(self, ctx))
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                values = ctx.read(solver)
                obj = run.exact(int(round(solver.objective_value)), values, proved=False)
                if inc.better(obj):
                    inc.offer(obj, values, "first")
            elif status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
                inc.done.set()
                break
        return status

    # -- the full model ------------------------------------------------------------------
    def _full_solve(self, ctx: ModelContext, limit: float, workers: int,
                    stop_after: float | None = None, weak_after: float | None = None) -> int:
        """Solve the full model.  ``stop_after``: stop once a roster exists after this many
        seconds; ``weak_after``: stop after this many seconds while its bound is below
        ``weak_bound`` of the best roster (it will not prove anything in time; its core is
        better used by the search)."""
        run, inc, o = self.run, self.run.incumbent, self.options
        solver = self.solvers.make(limit, workers)
        solver.best_bound_callback = self._bound_seen
        timer = None
        if stop_after is not None or weak_after is not None:
            def weak() -> bool:
                with inc.lock:
                    best = inc.best
                bound = self._full_bound        # the full model's own, not the capacity one
                if weak_after is None or best is None:
                    return False
                stalled = time.monotonic() - self._full_event > o.full_stall * o.time_limit
                return stalled or (best > 0 and (bound is None or bound < o.weak_bound * best))

            def watch() -> None:
                nonlocal timer
                is_weak = weak()
                if ((stop_after is not None and inc.values is not None)
                        or run.stop.stopped or is_weak):
                    if is_weak:
                        run.stats["full_stopped_weak_s"] = round(self.elapsed(), 2)
                    solver.stop_search()
                else:
                    timer = threading.Timer(0.25, watch)
                    timer.daemon = True
                    timer.start()
            first = min(x for x in (stop_after, weak_after) if x is not None)
            timer = threading.Timer(max(0.0, first), watch)
            timer.daemon = True
            timer.start()
        status = self.solvers.run(solver, ctx.model, _FullCallback(self, ctx))
        if timer is not None:
            timer.cancel()
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            self._bound_seen(solver.best_objective_bound)
            values = ctx.read(solver)
            obj = run.exact(int(round(solver.objective_value)), values,
                            proved=status == cp_model.OPTIMAL)
            if inc.better(obj):
                inc.offer(obj, values, "first")
        if status == cp_model.OPTIMAL:
            inc.proved_optimal(obj)
        if status == cp_model.INFEASIBLE:
            inc.done.set()
        run.stats["full_status"] = solver.status_name(status)
        return status

    # -- cores ---------------------------------------------------------------------------
    def _sequential(self, ctx: ModelContext | None, search: Search, workers: int) -> int:
        o, run = self.options, self.run
        T = o.time_limit
        if ctx is None or run.construct_first:
            search.thread(0, self._first_roster)
            return cp_model.FEASIBLE if run.incumbent.values is not None else cp_model.UNKNOWN
        if o.lns and run.incumbent.values is None:
            status = self._quick_first(ctx)
            if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
                return status
        share = T if not o.lns else max(min(1.0, T), o.first_fraction * T)
        if o.deterministic:
            status = self._full_solve(ctx, share, workers)
            if status == cp_model.UNKNOWN and run.spent() < T and not run.stop.stopped:
                status = self._full_solve(ctx, T - run.spent(), workers)
        else:
            status = self._full_solve(ctx, T, workers, stop_after=share)
        if o.lns and run.incumbent.values is not None and not run.incumbent.done.is_set():
            search.thread(0, self._first_roster)
        return status

    def _portfolio(self, ctx: ModelContext | None, search: Search, workers: int) -> int:
        o = self.options
        full_model = ctx is not None
        lns_threads = max(1, workers // 2) if full_model else workers
        full_workers = max(1, workers - lns_threads)
        result: dict = {"status": cp_model.FEASIBLE}

        def full() -> None:
            result["status"] = self._full_solve(ctx, o.full_share * o.time_limit, full_workers,
                                                weak_after=o.weak_after * o.time_limit)
            if result["status"] not in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
                # not proved within its share: the core joins the search for rosters
                search.thread(lns_threads)

        threads = [threading.Thread(target=full, daemon=True)] if full_model else []
        threads += [threading.Thread(target=search.thread,
                                     args=(k, self._first_roster if k == 0 else None),
                                     daemon=True)
                    for k in range(lns_threads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return result.get("status", cp_model.UNKNOWN)

    # -- results -------------------------------------------------------------------------
    def _to_values(self, ctx: ModelContext, roster: Roster) -> Values:
        out = {}
        for (eid, d), sid in roster.items():
            e = ctx.emp_index.get(eid)
            if e is None:
                continue
            out[(e, d)] = OFF if sid is None else ctx.shift_index.get(sid, OFF)
        return out

    def _finish(self, values, objective, bound, status, stats) -> Solution:
        p = self.problem
        stats["stopped"] = self.stop_token.stopped
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
        self.run.incumbent.progress("done")
        return Solution(assignment=assignment, objective=objective, bound=bound, status=status,
                        wall_s=round(self.elapsed(), 3), problem_name=p.name,
                        violations=violations, stats=stats)


def solve(problem: Problem, rules: Sequence[Rule] | None = None, *, hint: Roster | None = None,
          on_progress: ProgressCallback | None = None, stop: StopToken | None = None,
          **options) -> Solution:
    """One-call form: ``solve(problem, time_limit=10, num_workers=2, seed=1)``."""
    return RosterEngine(problem, rules, SolveOptions(**options), stop).solve(hint, on_progress)
