"""How the search picks a block: the kinds of neighbourhood and how each frees cells.

    nbh = Neighbourhoods(problem, allowed)
    kind = nbh.pick(rng, rate, extra=[("rebuild", 0.15)])   # by weight x recent success
    free = nbh.block(rng, kind, size, values)              # a set of (person, day) cells
    free, allowed = nbh.short_domain(rng, size, values)    # also narrows the domains

A block is a set of (person index, day) cells that a sub-solve may change; everything else
stays as in the incumbent ``values``.  Each kind keeps its own size in the search
(:mod:`scheduler.engine.search`); the kinds are:

* ``guided_all`` / ``guided_some``: everyone / about size/7 people, a window around a day
  drawn by the incumbent's cover and request cost there;
* ``guided_pair``: everyone, two windows (one around a costly day, one anywhere else);
* ``days``: everyone, a window of days;  ``people``: some people, the whole horizon;
* ``block``: some people (at random, or those who can work the same shifts as a pivot),
  one to four whole weeks;
* ``short_type``: the people who may work an under-covered shift type, one to three weeks
  around the shortfall's day;
* ``short_domain``: everyone over a window around a shortfall, each free cell limited to
  its shift, off, and up to three types short in the window.

The moves without a sub-model (``rebuild``, ``retype``) are the construction's
(:mod:`scheduler.engine.construction`); :meth:`Neighbourhoods.pick` draws them too when
they are offered as ``extra``.
"""
from __future__ import annotations

import random

from scheduler.engine.incumbent import Values
from scheduler.engine.run import counts
from scheduler.lits import OFF
from scheduler.problem import Problem

# kinds of neighbourhood and how often each is drawn; each kind keeps its own size
KINDS = (("guided_all", 0.175), ("guided_some", 0.175), ("days", 0.1625),
         ("people", 0.1625), ("block", 0.325), ("short_type", 0.1),
         ("guided_pair", 0.1), ("short_domain", 0.1))


class Neighbourhoods:
    def __init__(self, problem: Problem, allowed: list, kinds=KINDS):
        self.problem = problem
        self.allowed = allowed
        self.kinds = tuple(kinds)
        # per person: the shift types they may work at all (for people alike a pivot)
        self.allowed_sets = [frozenset(s for s in problem.shift_ids
                                       if emp.max_shifts.get(s, 1) > 0)
                             for emp in problem.employees]

    # -- which kind ----------------------------------------------------------------------
    def pick(self, rng: random.Random, rate: dict[str, float] | None = None,
             extra: list[tuple[str, float]] = ()) -> str:
        """A kind drawn by its base weight times its recent success rate (improvements per
        second of solving, a moving average; every kind keeps a floor so none starves)."""
        kinds = [(k, w) for k, w in self.kinds
                 if not (k == "people" and len(self.problem.employees) < 3)]
        kinds += list(extra)
        if rate:
            # relative to the best of the kinds drawn here (a kind never drawn, e.g.
            # ``retype`` without its retyper, keeps its start rate and must not count)
            top = max(rate.get(k, 0.0) for k, _ in kinds) or 1.0
            kinds = [(k, w * (0.15 + rate.get(k, top) / top)) for k, w in kinds]
        return rng.choices([k for k, _ in kinds], weights=[w for _, w in kinds])[0]

    # -- the block -----------------------------------------------------------------------
    def block(self, rng: random.Random, kind: str, size: int,
              values: Values | None = None) -> set[tuple[int, int]]:
        """A block of people x days of the given kind with about ``size`` cells (see the
        module's docstring; ``short_domain`` is :meth:`short_domain`)."""
        p = self.problem
        E, H = len(p.employees), p.horizon
        if size >= E * H:
            return {(e, d) for e in range(E) for d in range(H)}
        if kind == "short_type" and values is not None:
            picked = self.short_type(rng, size, values)
            if picked is not None:
                return picked
            kind = "guided_some"
        if kind == "guided_pair" and values is not None:
            # everyone on two windows: one around a costly day, one anywhere else (a
            # weekend, a night or some minutes moved from one window to the other)
            cost = self.day_costs(values)
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
            cost = self.day_costs(values)
            center = rng.choices(range(H), weights=cost)[0]
            k = E if kind == "guided_all" else max(2, min(E, size // 7))
            w = max(2, min(H, size // k))
            start = min(max(0, center - rng.randint(0, w - 1)), max(0, H - w))
            people = list(range(E)) if k >= E else rng.sample(range(E), k)
            return {(e, d) for e in people for d in range(start, min(H, start + w))}
        if kind == "people" and size // H >= 2:
            w = H
            people = self.people(rng, max(2, size // H))
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
            people = self.people(rng, k)
        start = rng.randint(0, max(0, H - w))
        days = range(start, min(H, start + w))
        return {(e, d) for e in people for d in days}

    def short_type(self, rng: random.Random, size: int,
                   values: Values) -> set[tuple[int, int]] | None:
        """A (day, shift type) under its cover, drawn by the shortfall's cost; free the people
        who may work that type over a window of one to three weeks around the day (the people
        who could fill the gap and the days their other shifts can move to)."""
        p = self.problem
        E, H = len(p.employees), p.horizon
        short = self.shortfalls(values)
        if not short:
            return None
        day, s = _draw(rng, short)
        able = [e for e in range(E) if any(s in self.allowed[e][d]
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

    def short_domain(self, rng: random.Random, size: int, values: Values):
        """Everyone over a window around a (day, shift type) under its cover, but each free
        cell may only keep its shift, be off, or take one of the types short in the window
        (up to three, drawn by their shortfall's cost).  Fewer literals per cell, so the
        window can be long: shifts of a scarce type move between people and days, and
        surplus shifts go off to pay for them in minutes, runs and weekends.  None when
        nothing is short.  Returns (free cells, the sub-model's domains)."""
        E, H = len(self.problem.employees), self.problem.horizon
        short = self.shortfalls(values)
        if not short:
            return None
        day, s0 = _draw(rng, short)
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
        allowed = list(self.allowed)
        free = set()
        for e in range(E):
            row = allowed[e] = list(allowed[e])
            for d in days:
                cur = values.get((e, d), OFF)
                row[d] = [s for s in row[d] if s == cur or s in types]
                free.add((e, d))
        return free, allowed

    def people(self, rng: random.Random, k: int) -> list[int]:
        """k people: at random, or those who can do the same kinds of shift as a pivot."""
        allowed_sets = self.allowed_sets
        E = len(allowed_sets)
        k = min(k, E)
        if rng.random() < 0.5:
            return rng.sample(range(E), k)
        pivot = rng.randrange(E)
        ps = allowed_sets[pivot]
        scored = sorted(range(E), key=lambda e: (-len(ps & allowed_sets[e]), rng.random()))
        return scored[:k]

    # -- where the incumbent's cost is ---------------------------------------------------
    def day_costs(self, values: Values) -> list[float]:
        """Soft cost of the incumbent per day (cover and requests), plus 1."""
        p = self.problem
        sidx = {s: i for i, s in enumerate(p.shift_ids)}
        eidx = {e: i for i, e in enumerate(p.employee_ids)}
        count = counts(values)
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

    def shortfalls(self, values: Values) -> list[tuple[int, int, int]]:
        """(day, shift index, cost of the shortfall) of every cover the roster misses."""
        p = self.problem
        sidx = {sid: i for i, sid in enumerate(p.shift_ids)}
        count = counts(values)
        out = []
        for c in p.cover:
            if c.shift in sidx and 0 <= c.day < p.horizon:
                missing = c.requirement - count.get((c.day, sidx[c.shift]), 0)
                if missing > 0:
                    out.append((c.day, sidx[c.shift], c.weight_under * missing))
        return out


def _draw(rng: random.Random, short: list[tuple[int, int, int]]) -> tuple[int, int]:
    """A (day, shift index) of the shortfalls, drawn by their cost."""
    day, s, _ = rng.choices(short, weights=[w for _, _, w in short])[0]
    return day, s
