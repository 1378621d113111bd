"""The large-neighbourhood search: one thread's loop.

Each step draws a kind (:class:`~scheduler.engine.neighbourhoods.Neighbourhoods`), frees a
block of cells of the incumbent, builds the sub-model with the same rule modules (frozen
cells are constants), hints the incumbent (completed: every variable), solves it on one
worker for a short limit and offers the result to the incumbent; equal-cost results are
kept as sideways moves.  Each kind has its own size (+15% when a sub-model is proved
optimal, -20% when it hits the limit) and success rate (improvements per second, a moving
average) that weights how often it is drawn.  With the per-person construction the moves
``rebuild`` and ``retype`` (:class:`~scheduler.engine.construction.Construction`) are drawn
the same way.  Thread 0 restarts after a stall (rows rebuilt; with ``restart_penalty``,
every other restart a penalty phase with the requests weighing more for a while).  With
``half_weekend_weight`` the sub-models also carry a guide (:mod:`scheduler.engine.guides`)
and every result is costed again by the rules alone.
"""
from __future__ import annotations

import os
import random
import sys
import time
from dataclasses import replace
from typing import Callable

from ortools.sat.python import cp_model

from scheduler.context import ModelContext
from scheduler.engine.construction import Construction
from scheduler.engine.guides import HalfWeekends
from scheduler.engine.neighbourhoods import Neighbourhoods
from scheduler.engine.run import Run
from scheduler.problem import Problem

_DEBUG = bool(os.environ.get("DUTYDESK_LNS_DEBUG"))


class Search:
    def __init__(self, run: Run, neighbourhoods: Neighbourhoods, construction: Construction):
        self.run = run
        self.nbh = neighbourhoods
        self.construction = construction

    def _extra_kinds(self) -> list[tuple[str, float]]:
        run = self.run
        if run.stats.get("construction") != "per_person":
            return []
        extra = [("rebuild", run.options.rebuild_weight)]
        if run.retyper is not None:
            extra.append(("retype", run.options.retype_weight))
        return extra

    def thread(self, thread: int, first_roster: Callable[[], None] | None = None) -> None:
        """Search until the limit or a stop.  Thread 0 calls ``first_roster`` when there is
        no roster yet; the others wait for one (and, on long horizons, for the
        construction's passes: each starts from the last one, not from the incumbent, so a
        search meanwhile would only slow them down, one GIL)."""
        run, nbh = self.run, self.nbh
        o, p = run.options, run.problem
        inc = run.incumbent
        E, H = len(p.employees), p.horizon
        rng = random.Random(o.seed * 1000 + thread)
        T = o.time_limit
        it_limit = o.lns_time or min(5.0, max(0.5, T / 60))
        size0 = float(o.lns_start_cells or max(o.lns_min_cells, min(E * H // 4, 8 * H, 400)))
        sizes = {k: min(size0, E * H) for k, _ in nbh.kinds}
        rate = {k: 1.0 for k in [k for k, _ in nbh.kinds] + ["rebuild", "retype"]}
        it = 0
        if thread == 0 and inc.values is None and first_roster is not None:
            first_roster()
        while inc.values is None or (thread > 0 and run.constructing.is_set()):
            if run.halted() or run.spent() >= T:
                return
            time.sleep(0.02)
        # restarts (thread 0, per-person construction only): after ``restart_stall`` of the
        # budget without a better roster, this thread leaves the best roster and searches
        # from a copy with some rows rebuilt (``local``), until it beats the best (then it
        # follows the best again) or stalls once more (then another restart)
        restart = (thread == 0 and o.restart_stall > 0 and not o.deterministic
                   and run.stats.get("construction") == "per_person")
        local: tuple[int, dict] | None = None
        seen_best, seen_t = inc.best, run.spent()
        # every other restart is a penalty phase instead (requests weigh more for a while:
        # the search grants them, the cover's shortfalls move, and then, with the true
        # weights, the search repairs the shortfalls in another basin)
        penalised = (penalised_problem(p, o.restart_penalty)
                     if restart and o.restart_penalty > 1 and p.requests else None)
        pen_until, restarts = -1.0, 0
        # a guide in the sub-models (not in the cost: every result is costed again)
        guide = (HalfWeekends(o.half_weekend_weight)
                 if o.half_weekend_weight > 0 and any(len(w) == 2 for w in p.weekends())
                 else None)
        guided = guide is not None
        while not run.halted():
            remaining = T - run.spent()
            if remaining <= 0.05:
                break
            if inc.best != seen_best:
                seen_best, seen_t = inc.best, run.spent()
                if local is not None and pen_until < 0 and local[0] >= inc.best:
                    local = None
            if restart and run.spent() - seen_t > o.restart_stall * T and remaining > 2 * it_limit:
                restarts += 1
                if penalised is not None and restarts % 2 == 1:
                    best_values = inc.snapshot()[1]
                    local = (run.objective_of(best_values, penalised), best_values)
                    pen_until = run.spent() + o.restart_penalty_share * T
                    run.count("penalty_phases")
                else:
                    local = self._restart(rng, inc.snapshot()[1]) or local
                seen_t = run.spent()
                run.count("restarts")
            sub_problem = p
            if pen_until >= 0:
                if local is not None and run.spent() < pen_until:
                    sub_problem = penalised
                else:   # the phase is over: the local roster at its true cost
                    pen_until, seen_t = -1.0, run.spent()
                    if local is not None:
                        local = (run.objective_of(local[1]), local[1])
            best, values = local if local is not None else inc.snapshot()
            it += 1
            kind = nbh.pick(rng, rate if o.adaptive_kinds else None,
                            self._extra_kinds() if local is None else [])
            if kind in ("rebuild", "retype"):
                t_start = time.monotonic()
                improved = (self.construction.rebuild(rng, best, values, it) if kind == "rebuild"
                            else self.construction.retype_move(rng, best, values, it))
                took = time.monotonic() - t_start
                rate[kind] = 0.8 * rate[kind] + 0.2 * (improved / max(0.1, took))
                continue
            allowed = run.allowed
            if kind == "short_domain":
                picked = nbh.short_domain(rng, int(sizes[kind]), values)
                if picked is None:
                    kind = "guided_some"
                else:
                    free, allowed = picked
            if kind != "short_domain":
                free = nbh.block(rng, kind, int(sizes[kind]), values)
            # run.sub_rules is read afresh: the construction makes it hard after its first pass
            sub_rules = run.sub_rules + [guide] if guided else run.sub_rules
            ctx = ModelContext(sub_problem, sub_rules, values, free, allowed)
            ctx.add_hint(values)
            if o.complete_hint:
                ctx.complete_hint()
            solver = run.solvers.make(min(it_limit, max(0.01, T - run.spent())), 1)
            status = run.solvers.run(solver, ctx.model)
            try:
                wall = solver.wall_time
            except RuntimeError:    # stopped before the sub-solve started: nothing to read
                break
            if _DEBUG:
                print(f"lns[{thread}] {it} {kind} cells={len(free)} vars={len(ctx.work)} "
                      f"{solver.status_name(status)} obj={solver.objective_value} best={best} "
                      f"t={wall:.2f} at={run.elapsed():.1f}", file=sys.stderr)
            improved = False
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                new = ctx.read(solver)
                obj = run.exact(int(round(solver.objective_value)), new,
                                proved=status == cp_model.OPTIMAL and not guided,
                                problem=sub_problem)
                improved = obj < best
                if sub_problem is not p:
                    # penalty phase: follow the penalised cost; the true one may be a new best
                    if obj <= best:
                        local = (obj, new)
                    true = run.objective_of(new)
                    if true < inc.best and inc.offer(true, new, "lns", it):
                        run.count("lns_improvements")
                        run.count("penalty_improvements")
                elif local is not None:
                    if obj <= best:
                        local = (obj, new)
                    if obj < best and inc.offer(obj, new, "lns", it):
                        run.count("lns_improvements")
                        run.count("restart_improvements")
                elif obj < best and inc.offer(obj, new, "lns", it):
                    run.count("lns_improvements")
                elif obj == best and inc.best == best:
                    inc.sideways(best, new)   # same cost, another roster
            rate[kind] = 0.8 * rate[kind] + 0.2 * (improved / max(0.1, wall))
            if status == cp_model.OPTIMAL:
                sizes[kind] = min(E * H, sizes[kind] * 1.15)
            elif status in (cp_model.FEASIBLE, cp_model.UNKNOWN):
                sizes[kind] = max(o.lns_min_cells, sizes[kind] * 0.8)
        run.count("lns_iterations", it)
        with inc.lock:
            run.stats[f"lns_final_cells_{thread}"] = {k: int(v) for k, v in sizes.items()}

    def _restart(self, rng: random.Random, values) -> tuple[int, dict] | None:
        """A copy of ``values`` with ``restart_rows`` of the people's rows planned again by
        the per-person construction (in a random order, against everyone else's) and its
        days re-typed: a worse roster, away from the local optimum the search is stuck in."""
        from scheduler import construct
        run, build = self.run, self.construction
        E = len(run.problem.employees)
        need: dict = {}
        build.need_of(values, need)
        new = dict(values)
        people = rng.sample(range(E), max(2, int(run.options.restart_rows * E)))
        if not build.pass_(construct, people, new, need, build._wish, rng):
            return None
        if run.retyper is not None:
            build.retype_all(new, rng, sweeps=2)
        obj = run.valid_objective(new)
        if _DEBUG:
            print(f"restart at={run.elapsed():.1f} people={len(people)} obj={obj}",
                  file=sys.stderr)
        return None if obj is None else (obj, new)


def penalised_problem(problem: Problem, factor: float) -> Problem:
    """The same problem with every request's weight times ``factor`` (at least +1)."""
    reqs = [replace(r, weight=max(r.weight + 1, int(round(r.weight * factor))))
            for r in problem.requests]
    return replace(problem, requests=reqs)
