"""What every part of one solve shares: the problem, the rules, the domains, the clock and
solvers, the incumbent and the stop token (a :class:`Run`), and small helpers on rosters.

A roster here is ``values``: (person index, day) -> shift index or :data:`OFF`.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from scheduler.context import ModelContext
from scheduler.engine.incumbent import Incumbent, Values
from scheduler.engine.options import SolveOptions
from scheduler.engine.solvers import Solvers
from scheduler.lits import OFF
from scheduler.problem import Problem, Roster
from scheduler.rules import Rule
from scheduler.stop import StopToken
from scheduler.validate import validate


@dataclass
class Run:
    problem: Problem
    rules: list[Rule]
    options: SolveOptions
    solvers: Solvers
    incumbent: Incumbent
    stop: StopToken
    allowed: list                      # person x day -> allowed shift indices (the domains)
    sub_rules: list[Rule]              # the rules of sub-models: elastic minimum minutes
                                       # until a construction gives a valid roster
    construct_first: bool = False      # long horizon: no full model, construction first
    stats: dict = field(default_factory=dict)
    retyper: object | None = None      # scheduler.retype.DayRetyper, set by the construction
    constructing: threading.Event = field(default_factory=threading.Event)
                                       # long horizons: the passes hold the other cores

    # -- clock and stop ------------------------------------------------------------------
    def halted(self) -> bool:
        """Stopped by the caller, or finished (proved optimal, infeasible)."""
        return self.stop.stopped or self.incumbent.done.is_set()

    def elapsed(self) -> float:
        return self.solvers.elapsed()

    def spent(self) -> float:
        return self.solvers.spent()

    def count(self, key: str, n: int = 1) -> None:
        """Add to a statistic (thread-safe)."""
        with self.incumbent.lock:
            self.stats[key] = self.stats.get(key, 0) + n

    # -- costs ---------------------------------------------------------------------------
    def objective_of(self, values: Values, problem: Problem | None = None) -> int:
        """The objective of a complete roster under the sub-model rules (constants only);
        ``problem``: another weighting of the same problem (the search's penalty phase)."""
        ctx = ModelContext(problem or self.problem, self.sub_rules, values, set(), self.allowed)
        return int(ctx.offset)

    def exact(self, objective: int, values: Values, proved: bool,
              problem: Problem | None = None) -> int:
        """The cost of a roster CP-SAT found.  Its objective is exact when proved optimal;
        a solution found on the way may carry slack (a cover both under and over by one
        costs both weights although the two cancel), so its cost is recomputed from the
        roster (constants only, a few ms; 0.08 s on Instance 24)."""
        return objective if proved else self.objective_of(values, problem)

    def valid_objective(self, values: Values) -> int | None:
        """The validators' objective of a complete roster, or None if a hard rule breaks."""
        p = self.problem
        eids, sids = p.employee_ids, p.shift_ids
        roster = {(eids[e], d): (None if v == OFF else sids[v]) for (e, d), v in values.items()}
        found = validate(p, roster, self.rules)
        if any(v.hard for v in found):
            return None
        return sum(v.penalty for v in found)

    def hint_values(self, hint: Roster) -> Values | None:
        """A complete roster by ids as values; None when a cell is missing."""
        sidx = {s: i for i, s in enumerate(self.problem.shift_ids)}
        vals = {}
        for e, eid in enumerate(self.problem.employee_ids):
            for d in range(self.problem.horizon):
                if (eid, d) not in hint:
                    return None
                sid = hint[(eid, d)]
                vals[(e, d)] = OFF if sid is None else sidx.get(sid, OFF)
        return vals


def elastic_weight(problem: Problem) -> int:
    """Penalty per missing minute while a roster is under construction: more than any soft
    term can pay back, so a roster that meets the minimum is always preferred."""
    top = max([c.weight_under for c in problem.cover] + [r.weight for r in problem.requests]
              + [1])
    return 2 * top


def cover_need(problem: Problem) -> dict[tuple[int, int], int]:
    """(day, shift index) -> required people, from the cover rows."""
    p = problem
    sidx = {s: i for i, s in enumerate(p.shift_ids)}
    need: dict[tuple[int, int], int] = {}
    for c in p.cover:
        if c.shift in sidx and 0 <= c.day < p.horizon:
            need[(c.day, sidx[c.shift])] = need.get((c.day, sidx[c.shift]), 0) + c.requirement
    return need


def counts(values: Values) -> dict[tuple[int, int], int]:
    """(day, shift index) -> people on it in a roster."""
    count: dict[tuple[int, int], int] = {}
    for (_e, d), v in values.items():
        if v >= 0:
            count[(d, v)] = count.get((d, v), 0) + 1
    return count
