"""Construction glue: the engine's side of :mod:`scheduler.construct` and
:mod:`scheduler.retype`.

    build = Construction(run)
    build.people()            # first roster one person at a time, passes of best responses
    build.rolling()           # fallback: windows of days for everyone (CP-SAT)
    build.rebuild(rng, best, values, it)      # search move: ruin and recreate a few rows
    build.retype_move(rng, best, values, it)  # search move: exact day re-typing

Every roster it finds goes to the run's incumbent.  The per-person construction applies
when the problem has no history, no fixed cells and the edge exemption (all Curtois
instances); after its first valid roster the sub-models keep every hard rule hard
(``run.sub_rules``), and its re-typer (``run.retyper``) becomes a search move.
"""
from __future__ import annotations

import dataclasses
import math
import os
import random
import sys

from ortools.sat.python import cp_model

from scheduler.context import ModelContext
from scheduler.engine.incumbent import Values
from scheduler.engine.run import Run, counts, cover_need
from scheduler.lits import OFF

_DEBUG = bool(os.environ.get("DUTYDESK_LNS_DEBUG"))


class Construction:
    def __init__(self, run: Run):
        self.run = run
        self._wish: dict = {}
        self._chains = None       # scheduler.engine.chains.PassChains while passes run

    # -- first roster, per person --------------------------------------------------------
    def people(self) -> bool:
        """A first roster one person at a time (see :mod:`scheduler.construct`): every hard
        rule holds, so the search then keeps the hard rules as they are.  False when the
        problem is not of that kind or a person's row cannot be built."""
        self._chains = None
        try:
            return self._passes()
        finally:
            if self._chains is not None:
                self._chains.stop()
            self.run.constructing.clear()

    def _start_chains(self) -> None:
        """Long horizons with spare cores: more chains of passes in child processes
        (:mod:`scheduler.engine.chains`), while the other cores would only wait."""
        o = self.run.options
        spare = o.workers() - 1
        n = spare if o.construct_chains is None else min(o.construct_chains, spare)
        if (n > 0 and self.run.construct_first and o.construct_hold and o.lns
                and not o.deterministic):
            from scheduler.engine.chains import PassChains
            self._chains = PassChains.start(self.run, n)

    def _passes(self) -> bool:
        from scheduler import construct
        run = self.run
        p, o = run.problem, run.options
        if not construct.applicable(p):
            return False
        if o.retype:
            from scheduler.retype import DayRetyper
            run.retyper = DayRetyper(p, run.allowed)
        E, H = len(p.employees), p.horizon
        rng = random.Random(o.seed)
        need = cover_need(p)
        wish = self._wish = construct.wishes(p)
        values = {(e, d): OFF for e in range(E) for d in range(H)}
        T = o.time_limit
        passes = stall = 0
        last = None
        order = list(range(E))
        self._start_chains()
        while True:
            ok = self.pass_(construct, order, values, need, wish, rng)
            if ok is None:
                return True          # stopped
            if not ok:
                return passes > 0
            passes += 1
            if run.retyper is not None:
                # the shift types of every day again, all workers of a day at once (exact)
                if self.retype_all(values, rng):
                    self.need_of(values, need)
            obj = run.valid_objective(values)
            if obj is None:
                return passes > 1
            if _DEBUG:
                print(f"construct_people pass {passes} obj={obj} at={run.elapsed():.1f}",
                      file=sys.stderr)
            if passes == 1:
                # a valid roster: the search keeps every hard rule hard from here on
                run.sub_rules = list(run.rules)
                run.stats["construction"] = "per_person"
                if run.construct_first and o.construct_hold:
                    run.constructing.set()
            run.stats["construction_passes"] = passes
            # a stall: no chain (this one, or one in a child process) found a better roster
            offered = run.incumbent.offer(obj, dict(values), "first")
            best = run.incumbent.best
            stall = 0 if offered or (last is not None and best < last) else stall + 1
            last = best
            # again, each person's row against everyone else's (a best response), while
            # a pass is cheap against the budget and still finds better rosters (the passes
            # are heuristic, not monotone); the other cores already search
            took = run.elapsed() / passes
            share = o.construct_share_long if run.construct_first else o.construct_share
            if run.spent() + took > share * T or stall >= o.construct_stall:
                return True
            rng.shuffle(order)

    def pass_(self, construct, order, values, need, wish, rng) -> bool | None:
        """Each person of ``order`` planned again against everyone else (in place); None
        when stopped, False when a row cannot be built."""
        run = self.run
        p = run.problem
        H = p.horizon
        chunk = run.options.retype_chunk if run.retyper is not None else 0
        for i, e in enumerate(order):
            if run.halted() or run.spent() >= run.options.time_limit:
                return None
            if chunk and i and i % chunk == 0 and len(order) > chunk:
                # the others' types again, so the next rows answer the cover truly missing
                if self.retype_all(values, rng, sweeps=1):
                    self.need_of(values, need)
            for d in range(H):      # take the person's row out of the cover
                v = values[(e, d)]
                if v >= 0 and (d, v) in need:
                    need[(d, v)] += 1
                values[(e, d)] = OFF
            row = run.allowed[e]
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

    def need_of(self, values: Values, need: dict[tuple[int, int], int]) -> None:
        """``need`` (in place): the cover still missing under ``values``."""
        need.clear()
        need.update(cover_need(self.run.problem))
        for (d, v), n in counts(values).items():
            if (d, v) in need:
                need[(d, v)] -= n

    def retype_all(self, values: Values, rng: random.Random, sweeps: int = 8) -> int:
        """Sweeps of :class:`scheduler.retype.DayRetyper` over every day (in a shuffled
        order) until one saves nothing; the objective saved."""
        saved = 0
        days = list(range(self.run.problem.horizon))
        for _ in range(sweeps):
            if self.run.halted():
                break
            rng.shuffle(days)
            gain = self.run.retyper.sweep(values, days)
            saved += gain
            if gain <= 0:
                break
        return saved

    # -- search moves without a sub-model ------------------------------------------------
    def rebuild(self, rng: random.Random, best: int, values: Values, it: int) -> bool:
        """Ruin and recreate: a few people's rows planned again, one after the other, by the
        per-person construction against everyone else's (it keeps every hard rule).  Kept
        when the whole roster is better (or as good: a sideways move)."""
        from scheduler import construct
        run = self.run
        E = len(run.problem.employees)
        need: dict[tuple[int, int], int] = {}
        self.need_of(values, need)
        new = dict(values)
        people = rng.sample(range(E), min(E, rng.randint(1, 6)))
        if not self.pass_(construct, people, new, need, self._wish, rng):
            return False
        if run.retyper is not None:
            self.retype_all(new, rng, sweeps=2)
        obj = run.valid_objective(new)
        if obj is None:
            return False
        if _DEBUG:
            print(f"rebuild {it} people={len(people)} obj={obj} best={best}", file=sys.stderr)
        if obj < best:
            self._offer_move("rebuild", obj, new, it)
            return True
        if obj == best:
            run.incumbent.sideways(best, new)
        return False

    def retype_move(self, rng: random.Random, best: int, values: Values, it: int) -> bool:
        """The incumbent's days re-typed (see :meth:`retype_all`); kept when better."""
        new = dict(values)
        if self.retype_all(new, rng, sweeps=3) <= 0:
            return False
        obj = self.run.valid_objective(new)
        if _DEBUG:
            print(f"retype {it} obj={obj} best={best}", file=sys.stderr)
        if obj is None or obj >= best:
            return False
        self._offer_move("retype", obj, new, it)
        return True

    def _offer_move(self, kind: str, obj: int, values: Values, it: int) -> None:
        if self.run.incumbent.offer(obj, values, "lns", it):
            self.run.count("lns_improvements")
            self.run.count(f"{kind}_improvements")

    # -- first roster, rolling windows (CP-SAT) ------------------------------------------
    def rolling(self) -> None:
        """A first roster for large problems: solve a window of days for everyone at a time
        (rolling horizon, the earlier days frozen, the limits prorated, the minimum minutes
        elastic), then hand it to the LNS, whose sub-models keep the minimum elastic until
        it holds."""
        run = self.run
        o, p = run.options, run.problem
        E, H = len(p.employees), p.horizon
        T = o.time_limit
        budget = 0.5 * T
        window = 14 if H > 28 else 7
        overlap = 3
        values: Values = {}
        t = 0
        steps = max(1, math.ceil(H / window))
        k = 0
        while t < H:
            if run.halted() or run.incumbent.values is not None:
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
            allowed = [row[:end] for row in run.allowed]
            ctx = ModelContext(sub, run.sub_rules, values, free, allowed)
            left = max(0.2, (budget - run.spent()) / max(1, steps - k))
            while True:
                solver = run.solvers.make(left, o.workers())
                status = run.solvers.run(solver, ctx.model)
                if (status != cp_model.UNKNOWN or run.stop.stopped
                        or run.spent() + 2 * left > T):
                    break
                left *= 2  # no roster for this window yet: try longer
            if _DEBUG:
                print(f"construct {t}-{end} vars={len(ctx.work)} {solver.status_name(status)} "
                      f"obj={solver.objective_value} t={solver.wall_time:.2f} "
                      f"at={run.elapsed():.1f}", file=sys.stderr)
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return
            values = ctx.read(solver)
            t = end
            k += 1
        run.incumbent.offer(run.objective_of(values), values, "first")
