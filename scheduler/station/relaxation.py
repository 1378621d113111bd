"""The station roster as a linear program: what no roster can beat.

``Relaxation`` states the roster's hard rules that a linear program can state (GLOP): at most
one shift a day and the rest day(s) after a 24 h duty, the forbidden successions (minimum
rest, no day shift after a night), the consecutive-days window, the 辅警 overtime cap per
calendar month, skills and person types, and the sworn share of a staffed post. A cell is a
fraction between 0 and 1. Every roster the engine may return is a point of this program, so

* ``max_filled`` — its most seats filled — bounds the seats any roster fills: ``demand -
  optimum`` seats stay empty whatever the roster (the capacity analysis, ``capacity.py``);
* ``min_cost`` — its least cost for the objective terms it can state, with the engine's
  weights: empty and extra seats, the weekly hours target, the community share, weekends over
  the cap and the fair shares — is a lower bound on the engine's objective. The other terms
  (women on duty, requests, changes) cost nothing here and never less than nothing in a
  roster. Where a roster's figure moves in whole steps (minutes in multiples of the shift
  lengths, counts in whole shifts against shares in tenths), the cost between two reachable
  values is their chord, so a target no roster can meet exactly costs what it must.

``objective_bound`` runs it within a share of the solve's time limit (``bound_budget``): the
gap a chief reads for a station of any size, where the full CP-SAT model proves no bound in
the time limit (a 150-person month: about 1 s, gap under 1% at 60 s; benchmarks.md). People the
program cannot tell apart share one set of variables (``people_classes``), which changes no
figure and makes it 3 to 35 times faster.

What the program leaves out (team crews and compositions, the roster's history at the start
apart from its weekends, the seam with the next roster) only loosens it, so both figures stay
bounds.
"""
from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

from scheduler.station.capacity import rest_days_after_24h
from scheduler.station.model import AUXILIARY, StationRosterProblem, slot_code


@dataclass
class CostBound:
    """The least cost of the terms the program states; ``terms`` splits the program's optimum
    by objective term (a split of one optimum, not a bound per term)."""

    value: int | None
    status: str
    terms: dict[str, int] = field(default_factory=dict)


def people_classes(sp: StationRosterProblem) -> list[tuple]:
    """The people in classes the program cannot tell apart (type, skills with their expiry, team,
    days away, the year's counts, other rosters' minutes), one representative each with the
    class's size. Averaging any solution over a class keeps it a solution of no higher cost
    (every rule and cost of the program is convex and the same for each member), so one
    variable per class and cell gives the same optimum, with 5 times fewer variables on the
    150-person station."""
    classes: dict[tuple, list] = {}
    for p in sp.people:
        key = (p.person_type, p.team, p.team_kind, tuple(sorted((k, str(v)) for k, v in p.skills.items())),
               tuple(sorted(sp.unavailable.get(p.badge, {}))), tuple(sorted(sp.prior.get(p.badge, {}).items())),
               tuple(sorted(sp.month_minutes.get(p.badge, {}).items())),
               tuple(sp.history.get(p.badge) or ()))
        classes.setdefault(key, []).append(p)
    return [(members[0], len(members)) for members in classes.values()]


class Relaxation:
    """One linear program of one station problem; use it for one objective (``max_filled``
    or ``min_cost``), as each adds its own variables."""

    def __init__(self, sp: StationRosterProblem, time_limit_s: float = 10.0, *, aggregate: bool = True):
        from ortools.linear_solver import pywraplp
        self.sp = sp
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        if self.solver is None:
            return
        self.solver.SetTimeLimit(int(time_limit_s * 1000))
        self.inf = self.solver.infinity()
        self.reps = people_classes(sp) if aggregate else [(p, 1) for p in sp.people]
        self._cells()
        self._person_rules()

    def add(self, terms, lo: float, hi: float) -> None:
        """sum(coef * var) in [lo, hi], through the plain constraint API (the natural API is ten
        times slower on models of this size)."""
        ct = self.solver.Constraint(lo, hi)
        for coef, var in terms:
            ct.SetCoefficient(var, coef)

    def _cells(self) -> None:
        sp = self.sp
        shifts, posts = sp.shift_by_code, sp.post_by_code
        self.by_person_day: dict[tuple[int, int], list] = defaultdict(list)
        self.by_person_day_shift: dict[tuple[int, int, str], list] = defaultdict(list)
        self.minutes_of: dict[int, list] = defaultdict(list)        # e -> (day, minutes, community minutes, var)
        self.cells: dict[int, list] = defaultdict(list)             # e -> (day, slot code, var)
        self.seats: dict[tuple[int, str, str], list] = defaultdict(list)
        self.sworn_in: dict[tuple[int, str, str], list] = defaultdict(list)
        eligible: dict[tuple[int, str, int], bool] = {}
        for e, (person, weight) in enumerate(self.reps):
            away = sp.unavailable.get(person.badge, {})
            for (d, s, p), n in sp.demand.items():
                if d in away or (sp.frozen_days and d < sp.frozen_days):
                    continue
                key = (e, p, d)
                if key not in eligible:
                    eligible[key] = sp.eligible(person, posts[p], d) is None
                if not eligible[key]:
                    continue
                v = self.solver.NumVar(0, 1, "")
                minutes = shifts[s].minutes
                self.by_person_day[(e, d)].append(v)
                self.by_person_day_shift[(e, d, s)].append(v)
                self.minutes_of[e].append((d, minutes, minutes if posts[p].kind == "community" else 0, v))
                self.seats[(d, s, p)].append((weight, v))
                self.cells[e].append((d, slot_code(s, p), v))
                if person.sworn:
                    self.sworn_in[(d, s, p)].append((weight, v))

    def _person_rules(self) -> None:
        from scheduler.station.build import forbidden_shift_pairs
        from scheduler.station.rules import aux_month_caps
        sp, add, inf = self.sp, self.add, self.inf
        rest = rest_days_after_24h(sp)
        duty24 = [s.code for s in sp.shifts if s.kind == "24h"]
        pairs = [(a, b) for a, b in forbidden_shift_pairs(sp) if a not in duty24]
        mc = int(sp.param("max_consecutive_days", 6))
        for e, (person, _) in enumerate(self.reps):
            for d in range(sp.days):
                work = self.by_person_day.get((e, d), [])
                if not work:
                    continue
                after_24h = [v for k in range(1, rest + 1) for s in duty24
                             for v in self.by_person_day_shift.get((e, d - k, s), [])]
                add([(1, v) for v in work + after_24h], -inf, 1)             # one shift a day, rest after 24 h
                for a, b in pairs:
                    xa = self.by_person_day_shift.get((e, d - 1, a), [])
                    xb = self.by_person_day_shift.get((e, d, b), [])
                    if xa and xb:
                        add([(1, v) for v in xa + xb], -inf, 1)            # forbidden successions
            for d0 in range(0, max(0, sp.days - mc)):
                window = [v for d in range(d0, d0 + mc + 1) for v in self.by_person_day.get((e, d), [])]
                if len(window) > mc:
                    add([(1, v) for v in window], -inf, mc)                 # consecutive-days limit
            if person.person_type in AUXILIARY and self.minutes_of[e]:
                for days, _, _, left in aux_month_caps(sp, person.badge).values():    # per calendar month
                    in_month = set(days)
                    add([(m, v) for d, m, _, v in self.minutes_of[e] if d in in_month], -inf, left)

    def _sworn_share(self, key, n: int, filled) -> None:
        """A staffed post has its 民警 (``min_sworn``), stated for a fraction ``filled / n`` of it."""
        from scheduler.station.rules import min_sworn
        need = min(min_sworn(self.sp, self.sp.post_by_code[key[2]]), n)
        if need:
            self.add([(n * w, v) for w, v in self.sworn_in[key]] + [(-need, filled)], 0, self.inf)

    def _sum(self, terms, const: int = 0):
        """A variable equal to ``sum(terms) + const``: the cost constraints then read one variable,
        not every cell again (three times faster on a 150-person month)."""
        y = self.solver.NumVar(-self.inf, self.inf, "")
        self.add([(1, y)] + [(-c, v) for c, v in terms], const, const)
        return y

    def _lattice_cost(self, y, origin: int, step: int, target: int, below: int, above: int):
        """A variable no more than ``below * (target - y)`` under the target and ``above * (y -
        target)`` over it, where a roster's ``y`` is ``origin`` plus a multiple of ``step``:
        between the two reachable values around the target the cost is their chord (the convex
        hull of the cost at the values a roster can reach), so a target that no roster meets
        exactly costs at least what the nearest reachable values cost."""
        add, inf = self.add, self.inf
        z = self.solver.NumVar(0, inf, "")
        add([(1, z), (below, y)], below * target, inf)        # z >= below * (t - y)
        add([(1, z), (-above, y)], -above * target, inf)      # z >= above * (y - t)
        lo = origin + (target - origin) // step * step
        if lo != target:
            f_lo, f_hi = below * (target - lo), above * (lo + step - target)
            slope = (f_hi - f_lo) / step                     # z >= f_lo + slope * (y - lo)
            add([(1, z), (-slope, y)], f_lo - slope * lo, inf)
        return z

    def _excess(self, top, y, origin: int, share: int) -> None:
        """``top >= max(0, y - share)`` where a roster's ``y`` is ``origin`` plus a multiple of 10."""
        self.add([(1, top), (-1, y)], -share, self.inf)
        lo = origin + (share - origin) // 10 * 10
        if lo != share:
            slope = (lo + 10 - share) / 10                   # from (lo, 0) to (lo + 10, lo + 10 - share)
            self.add([(1, top), (-slope, y)], -slope * lo, self.inf)

    def _fairness(self, costs: list) -> None:
        """Each person's nights, weekend days, holidays and 24 h duties near the fair share
        (``rules.Fairness``), in tenths: the spread on the counts a roster can reach, and the
        largest excess over a share."""
        from scheduler.station.rules import W_FAIR_MAX, W_FAIR_SPREAD, Fairness
        rule = Fairness(self.sp)
        for cat, (pool, share) in rule.plan().items():
            top = self.solver.NumVar(0, self.inf, "")
            costs.append((W_FAIR_MAX, top))
            in_pool = set(pool)
            for e, (person, weight) in enumerate(self.reps):
                b = person.badge
                if b not in in_pool:
                    continue
                prior = 10 * self.sp.prior.get(b, {}).get(cat, 0)
                y = self._sum([(10, v) for d, code, v in self.cells[e] if rule.in_category(cat, d, code)], prior)
                costs.append((weight, self._lattice_cost(y, prior, 10, share[b], W_FAIR_SPREAD, W_FAIR_SPREAD)))
                self._excess(top, y, prior, share[b])

    def _weekends(self, costs: list) -> None:
        """Weekends over the cap in each window of 4 (``rules.WeekendsPer4Weeks``): a weekend counts
        at least as much as each of its days is worked; the history's weekends as they were."""
        from scheduler.station.rules import W_WEEKENDS, WeekendsPer4Weeks
        rule = WeekendsPer4Weeks(self.sp)
        cap = rule._cap()
        solver, add, inf = self.solver, self.add, self.inf
        for e, (person, weight) in enumerate(self.reps):
            days = rule._days(person.badge)
            worked: dict = {}                  # weekend -> 1 (history), 0 (no cell) or a variable
            for key, (hist, period) in days.items():
                cells = [self.by_person_day.get((e, d), []) for d in period]
                if any(c is not None for c in hist) or not any(cells):
                    worked[key] = int(any(c is not None for c in hist))
                    continue
                w = worked[key] = solver.NumVar(0, 1, "")
                for day in cells:
                    if day:
                        add([(1, w)] + [(-1, v) for v in day], 0, inf)          # worked that day -> weekend worked
            in_period = {k for k, (_, period) in days.items() if period}
            for window in rule._windows(list(days), in_period):
                const = sum(worked[k] for k in window if isinstance(worked[k], int))
                free = [worked[k] for k in window if not isinstance(worked[k], int)]
                if len(window) <= cap or (not free and const <= cap):
                    continue
                over = solver.NumVar(0, inf, "")
                add([(1, over)] + [(-1, w) for w in free], const - cap, inf)    # over >= weekends worked - cap
                costs.append((W_WEEKENDS * weight, over))

    def _status(self, status) -> str:
        from ortools.linear_solver import pywraplp
        return {pywraplp.Solver.OPTIMAL: "optimal", pywraplp.Solver.INFEASIBLE: "infeasible",
                pywraplp.Solver.FEASIBLE: "time limit"}.get(status, "not solved")

    def max_filled(self) -> tuple[int | None, str]:
        """(seats that must stay empty, status): the demand less the most seats the program fills."""
        if self.solver is None:
            return None, "no LP solver"
        sp, solver = self.sp, self.solver
        objective = solver.Objective()
        for key, n in sp.demand.items():
            c = solver.NumVar(0, n, "")
            objective.SetCoefficient(c, 1)
            self.add(self.seats[key] + [(-1, c)], 0, self.inf)     # filled <= people on it
            self._sworn_share(key, n, c)
        objective.SetMaximization()
        status = self._status(solver.Solve())
        if status == "optimal":
            return max(0, math.ceil(sum(sp.demand.values()) - objective.Value() - 1e-6)), status
        return None, status

    def min_cost(self, *, fairness: bool = True) -> CostBound:
        """The least cost of empty and extra seats, the hours target, the community share, the
        weekends cap and (``fairness``) the fair shares.

        Only for a roster with nothing fixed (a repair keeps cells that the program would have to
        count): otherwise no bound."""
        from scheduler.station.rules import (W_COMMUNITY, W_HOURS_OVER, W_HOURS_UNDER, W_OVER, W_UNDER,
                                             CommunityShare, HoursTarget)
        sp, solver, add, inf = self.sp, self.solver, self.add, self.inf
        if solver is None:
            return CostBound(None, "no LP solver")
        if sp.frozen_days or sp.free_days is not None:
            return CostBound(None, "cells fixed")
        objective = solver.Objective()
        parts: dict[str, list] = defaultdict(list)
        for key, n in sp.demand.items():
            seats = self.seats[key]
            under = solver.NumVar(0, n, "")
            over = solver.NumVar(0, max(0, sum(w for w, _ in seats) - n), "")
            add(seats + [(1, under), (-1, over)], n, n)          # count + under - over == n
            filled = solver.NumVar(0, n, "")
            add([(1, filled), (1, under)], n, n)
            self._sworn_share(key, n, filled)
            parts["cover"] += [(W_UNDER, under), (W_OVER, over)]
        hours = HoursTarget(sp)
        for e, (person, weight) in enumerate(self.reps):
            worked = [(m, v) for _, m, _, v in self.minutes_of[e]]
            step = math.gcd(*(m for m, _ in worked)) if worked else 1      # a roster's minutes are multiples of it
            parts["hours_target"].append((weight, self._lattice_cost(self._sum(worked), 0, step, hours.target(person.badge),
                                                                W_HOURS_UNDER, W_HOURS_OVER)))
        share = CommunityShare(sp)
        p, q = share._ratio()
        if p and share.applies():
            for e, (person, weight) in enumerate(self.reps):
                if not person.is_community_officer:
                    continue
                slack = solver.NumVar(0, inf, "")
                add([(q * c - p * m, v) for _, m, c, v in self.minutes_of[e] if q * c - p * m]
                    + [(1, slack)], 0, inf)                                       # share met, else slack
                parts["community_share"].append((W_COMMUNITY * weight, slack))
        self._weekends(parts["max_weekends"])
        if fairness:
            self._fairness(parts["fairness"])
        for terms in parts.values():
            for w, var in terms:
                objective.SetCoefficient(var, w)
        objective.SetMinimization()
        status = self._status(solver.Solve())
        if status != "optimal":
            return CostBound(None, status)
        value = objective.Value()
        # GLOP's tolerances: round down, with a margin, so the figure stays below the true optimum
        bound = max(0, math.floor(value - 1e-6 * max(1.0, abs(value))))
        split = {name: round(sum(w * var.solution_value() for w, var in terms)) for name, terms in parts.items()}
        return CostBound(bound, status, {k: v for k, v in split.items() if v})


def fairness_floor(sp: StationRosterProblem) -> int:
    """What the fair shares cost whatever the roster: a count is whole, a share is in tenths, so
    each person is at least the distance from their share to the nearest whole count away
    (``rules.Fairness``: ``W_FAIR_SPREAD`` per tenth). No program needed."""
    from scheduler.station.rules import W_FAIR_SPREAD, Fairness
    total = 0
    for cat, (pool, share) in Fairness(sp).plan().items():
        for b in pool:
            r = (share[b] - 10 * sp.prior.get(b, {}).get(cat, 0)) % 10
            total += W_FAIR_SPREAD * min(r, 10 - r)
    return total


def bound_budget(time_limit: float) -> float:
    """Seconds of a solve's time limit given to ``objective_bound``: a tenth, at most 10 s; none
    under a 3 s limit (building the program alone would take a good part of it)."""
    return 0.0 if time_limit < 3 else min(10.0, 0.1 * time_limit)


def engine_limit(time_limit: float, bound: dict, deterministic: bool = False) -> float:
    """What is left of the time limit for the engine after the bound (all of it under
    deterministic limits: a reproducible solve cannot depend on how long the program took)."""
    return time_limit if deterministic else round(max(0.5 * time_limit, time_limit - bound["seconds"]), 1)


def bound_and_engine_limit(sp: StationRosterProblem, time_limit: float,
                           deterministic: bool = False) -> tuple[dict, float]:
    """The bound within its share of ``time_limit`` and the seconds left for the engine."""
    bound = objective_bound(sp, bound_budget(time_limit))
    return bound, engine_limit(time_limit, bound, deterministic)


def objective_bound(sp: StationRosterProblem, budget_s: float) -> dict:
    """A lower bound on the engine's objective within ``budget_s`` seconds, as stored with a
    version: {"value", "method", "seconds", "terms"} ("value" None when none was found in time;
    "method" ``lp_floor`` or ``lp``, below).

    First the program without the fair shares plus ``fairness_floor`` (0.3 s on the 150-person
    station, 3 s on a 200-person one); then, if the time left looks enough, the whole program,
    whose fair shares weigh what the other rules force (1.1 s and 19 s). The larger figure is
    kept; both are bounds."""
    t0 = time.monotonic()
    best = {"value": None, "method": None, "terms": {}}
    if budget_s <= 0:
        return best | {"seconds": 0.0}
    first = Relaxation(sp, budget_s).min_cost(fairness=False)
    if first.value is not None:
        floor = fairness_floor(sp)
        best = {"value": first.value + floor, "method": "lp_floor",
                "terms": first.terms | ({"fairness": floor} if floor else {})}
    spent = time.monotonic() - t0
    left = budget_s - spent
    # the whole program takes 3 to 7 times as long (benchmarks.md): not started when it cannot end in time
    if first.value is not None and left > max(0.2, 4 * spent):
        full = Relaxation(sp, left).min_cost(fairness=True)
        if full.value is not None and full.value > best["value"]:
            best = {"value": full.value, "method": "lp", "terms": full.terms}
    return best | {"seconds": round(time.monotonic() - t0, 2)}
