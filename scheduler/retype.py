"""Exact re-typing of one day: who works stays, which shift type each worker takes is chosen
again for everyone at once.

With the work / off pattern of every person and every other day fixed, the shift types of
one day are an assignment of that day's workers to shift types: a person may take type t
when the domain allows it, t may follow the day before and be followed by the day after
(forbidden successions), one more t stays within the person's maximum for t, and the total
minutes stay within the person's window.  The cost is separable: request weights per
(person, type), and per type a convex cover cost (each of the first ``requirement`` workers
saves ``weight_under``, each one more costs ``weight_over``).  That is a min-cost flow
(workers -> types -> sink), solved exactly; chains of swaps that no single change finds
(A from x to y, B from y to z, ...) come out of it in one step.

Only for the standard rule families (every hard rule per person, cover and requests soft);
the engine checks every result with the validators before it keeps it.
"""
from __future__ import annotations

from typing import Iterable

from ortools.graph.python import min_cost_flow

from scheduler.lits import OFF
from scheduler.problem import Problem

BIG = 1 << 20


class DayRetyper:
    """Re-type days of a roster in place (``values``: (person, day) -> shift index or OFF)."""

    def __init__(self, problem: Problem, allowed: list[list[list[int]]]):
        self.problem = p = problem
        self.allowed = allowed
        self.E, self.H, self.S = len(p.employees), p.horizon, len(p.shift_types)
        sidx = {s.id: i for i, s in enumerate(p.shift_types)}
        eidx = {e.id: i for i, e in enumerate(p.employees)}
        self.minutes = [s.minutes for s in p.shift_types]
        self.bad = [[False] * self.S for _ in range(self.S)]
        for a, b in p.forbidden_successions():
            if a in sidx and b in sidx:
                self.bad[sidx[a]][sidx[b]] = True
        self.max_count = [[emp.max_shifts.get(s.id, BIG) for s in p.shift_types]
                          for emp in p.employees]
        self.min_minutes = [emp.min_minutes for emp in p.employees]
        self.max_minutes = [emp.max_minutes for emp in p.employees]
        self.before = [OFF] * self.E          # the shift of day -1 (history), if any
        for e, emp in enumerate(p.employees):
            if emp.history is not None and emp.history.last_shift in sidx:
                self.before[e] = sidx[emp.history.last_shift]
        # cover per (day, type): requirement, under and over weights
        self.cover: dict[tuple[int, int], tuple[int, int, int]] = {}
        for c in p.cover:
            if c.shift in sidx and 0 <= c.day < self.H:
                self.cover[(c.day, sidx[c.shift])] = (c.requirement, c.weight_under,
                                                      c.weight_over)
        # request weights per (person, day, type): positive = cost of taking that type
        self.req: dict[tuple[int, int, int], int] = {}
        for r in p.requests:
            e, s = eidx.get(r.employee), sidx.get(r.shift)
            if e is None or s is None or not 0 <= r.day < self.H:
                continue
            k = (e, r.day, s)
            self.req[k] = self.req.get(k, 0) + (-r.weight if r.on else r.weight)

    def sweep(self, values: dict[tuple[int, int], int], days: Iterable[int]) -> int:
        """Re-type the given days one after the other; returns the objective saved (>= 0)."""
        E, S = self.E, self.S
        rows = [[values.get((e, d), OFF) for d in range(self.H)] for e in range(E)]
        counts = [[0] * S for _ in range(E)]
        total = [0] * E
        for e in range(E):
            c = counts[e]
            for v in rows[e]:
                if v >= 0:
                    c[v] += 1
                    total[e] += self.minutes[v]
        saved = 0
        for d in days:
            gain, change = self._day(d, rows, counts, total)
            if gain <= 0:
                continue
            saved += gain
            for e, t in change:
                s = rows[e][d]
                rows[e][d] = t
                counts[e][s] -= 1
                counts[e][t] += 1
                total[e] += self.minutes[t] - self.minutes[s]
                values[(e, d)] = t
        return saved

    def _day(self, d: int, rows, counts, total) -> tuple[int, list[tuple[int, int]]]:
        H, S = self.H, self.S
        bad, mins, req = self.bad, self.minutes, self.req
        workers: list[int] = []
        tails: list[int] = []
        heads: list[int] = []
        costs: list[int] = []
        options: list[int] = []        # the type of each worker arc
        for e in range(self.E):
            s = rows[e][d]
            if s < 0:
                continue
            w = len(workers)
            workers.append(e)
            prev = rows[e][d - 1] if d > 0 else self.before[e]
            nxt = rows[e][d + 1] if d + 1 < H else OFF
            cnt, mx = counts[e], self.max_count[e]
            lo, hi = self.min_minutes[e], self.max_minutes[e]
            base = total[e] - mins[s]
            for t in self.allowed[e][d]:
                if t != s:
                    if prev >= 0 and bad[prev][t]:
                        continue
                    if nxt >= 0 and bad[t][nxt]:
                        continue
                    if cnt[t] + 1 > mx[t]:
                        continue
                    m = base + mins[t]
                    if (hi is not None and m > hi) or (lo is not None and m < lo):
                        continue
                tails.append(w)
                heads.append(t)
                costs.append(req.get((e, d, t), 0))
                options.append(t)
        n = len(workers)
        if n == 0:
            return 0, []
        # the current cost of the day, in the same terms as the flow
        used = [0] * S
        current = 0
        for e in workers:
            s = rows[e][d]
            used[s] += 1
            current += req.get((e, d, s), 0)
        for t in range(S):
            current += self._cover_cost(d, t, used[t])
        # a worker only moves when another type is open to it: skip days with no choice
        if len(tails) == n:
            return 0, []
        smcf = min_cost_flow.SimpleMinCostFlow()
        type0, sink = n, n + S
        worker_arcs = [smcf.add_arc_with_capacity_and_unit_cost(w, type0 + t, 1, c)
                       for w, t, c in zip(tails, heads, costs)]
        const = 0
        for t in range(S):
            cov = self.cover.get((d, t))
            if cov is None:
                smcf.add_arc_with_capacity_and_unit_cost(type0 + t, sink, n, 0)
                continue
            r, under, over = cov
            const += under * r          # every slot empty: r x under; each filled saves it
            if r > 0:
                smcf.add_arc_with_capacity_and_unit_cost(type0 + t, sink, r, -under)
            smcf.add_arc_with_capacity_and_unit_cost(type0 + t, sink, n, over)
        for w in range(n):
            smcf.set_node_supply(w, 1)
        smcf.set_node_supply(sink, -n)
        if smcf.solve() != smcf.OPTIMAL:
            return 0, []
        best = smcf.optimal_cost() + const
        if best >= current:
            return 0, []
        change = []
        for a, t in zip(worker_arcs, options):
            if smcf.flow(a):
                e = workers[smcf.tail(a)]
                if rows[e][d] != t:
                    change.append((e, t))
        return current - best, change

    def _cover_cost(self, d: int, t: int, n: int) -> int:
        cov = self.cover.get((d, t))
        if cov is None:
            return 0
        r, under, over = cov
        return under * (r - n) if n < r else over * (n - r)
