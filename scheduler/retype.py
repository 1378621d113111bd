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

import numpy as np
from ortools.graph.python import min_cost_flow

from scheduler.lits import OFF
from scheduler.problem import Problem

BIG = 1 << 20


def _cover_cost(used: np.ndarray, r: np.ndarray, under: np.ndarray,
                over: np.ndarray) -> np.ndarray:
    """Per type: the cover cost of ``used`` workers against requirement ``r``."""
    return np.where(used < r, under * (r - used), over * (used - r))


class DayRetyper:
    """Re-type days of a roster in place (``values``: (person, day) -> shift index or OFF).

    The rules are held as dense arrays (person x day x type domains and requests, type x
    type successions, per-day cover), so one day's flow network is built by a handful of
    whole-array steps and handed to the solver in one call."""

    def __init__(self, problem: Problem, allowed: list[list[list[int]]]):
        self.problem = p = problem
        self.E, self.H, self.S = E, H, S = len(p.employees), p.horizon, len(p.shift_types)
        sidx = {s.id: i for i, s in enumerate(p.shift_types)}
        eidx = {e.id: i for i, e in enumerate(p.employees)}
        self.minutes = np.array([s.minutes for s in p.shift_types], dtype=np.int64)
        self.bad = np.zeros((S + 1, S + 1), dtype=bool)   # index S stands for "off"
        for a, b in p.forbidden_successions():
            if a in sidx and b in sidx:
                self.bad[sidx[a], sidx[b]] = True
        self.domain = np.zeros((E, H, S), dtype=bool)
        for e in range(E):
            for d in range(H):
                self.domain[e, d, allowed[e][d]] = True
        self.max_count = np.array([[emp.max_shifts.get(s.id, BIG) for s in p.shift_types]
                                   for emp in p.employees], dtype=np.int64).reshape(E, S)
        self.min_minutes = np.array([-BIG if emp.min_minutes is None else emp.min_minutes
                                     for emp in p.employees], dtype=np.int64)
        self.max_minutes = np.array([BIG * BIG if emp.max_minutes is None else emp.max_minutes
                                     for emp in p.employees], dtype=np.int64)
        self.before = np.full(E, OFF, dtype=np.int64)   # the shift of day -1 (history)
        for e, emp in enumerate(p.employees):
            if emp.history is not None and emp.history.last_shift in sidx:
                self.before[e] = sidx[emp.history.last_shift]
        # cover per (day, type): requirement, under and over weights (0 where none, which
        # costs nothing either way)
        self.need = np.zeros((H, S), dtype=np.int64)
        self.under = np.zeros((H, S), dtype=np.int64)
        self.over = np.zeros((H, S), dtype=np.int64)
        for c in p.cover:
            if c.shift in sidx and 0 <= c.day < H:
                k = (c.day, sidx[c.shift])
                self.need[k], self.under[k], self.over[k] = (c.requirement, c.weight_under,
                                                             c.weight_over)
        # request weights per (person, day, type): positive = cost of taking that type
        self.req = np.zeros((E, H, S), dtype=np.int64)
        for r in p.requests:
            e, s = eidx.get(r.employee), sidx.get(r.shift)
            if e is None or s is None or not 0 <= r.day < H:
                continue
            self.req[e, r.day, s] += -r.weight if r.on else r.weight

    def sweep(self, values: dict[tuple[int, int], int], days: Iterable[int]) -> int:
        """Re-type the given days one after the other; returns the objective saved (>= 0)."""
        E, H, S = self.E, self.H, self.S
        rows = np.full((E, H), OFF, dtype=np.int64)
        for (e, d), v in values.items():
            rows[e, d] = v
        counts = np.zeros((E, S), dtype=np.int64)
        ee, dd = np.nonzero(rows >= 0)
        np.add.at(counts, (ee, rows[ee, dd]), 1)
        total = counts @ self.minutes
        saved = 0
        for d in days:
            gain, es, ts = self._day(d, rows, counts, total)
            if gain <= 0:
                continue
            saved += gain
            ss = rows[es, d]
            rows[es, d] = ts
            np.add.at(counts, (es, ss), -1)
            np.add.at(counts, (es, ts), 1)
            total[es] += self.minutes[ts] - self.minutes[ss]
            for e, t in zip(es.tolist(), ts.tolist()):
                values[(e, d)] = t
        return saved

    def _day(self, d: int, rows: np.ndarray, counts: np.ndarray,
             total: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
        H, S = self.H, self.S
        none = (0, None, None)
        cur = rows[:, d]
        workers = np.flatnonzero(cur >= 0)
        n = len(workers)
        if n == 0:
            return none
        s = cur[workers]
        prev = rows[workers, d - 1] if d > 0 else self.before[workers]
        nxt = rows[workers, d + 1] if d + 1 < H else np.full(n, OFF)
        # the types open to each worker (an OFF neighbour reads the "off" row: no ban)
        opt = self.domain[workers, d, :].copy()
        here = opt[np.arange(n), s]
        opt &= ~self.bad[np.where(prev >= 0, prev, S), :S]
        opt &= ~self.bad[:S, np.where(nxt >= 0, nxt, S)].T
        opt &= counts[workers] < self.max_count[workers]
        m = (total[workers] - self.minutes[s])[:, None] + self.minutes[None, :]
        opt &= (m <= self.max_minutes[workers, None]) & (m >= self.min_minutes[workers, None])
        opt[np.arange(n), s] = here          # the present type needs no check
        tails, heads = np.nonzero(opt)
        # a worker only moves when another type is open to it: skip days with no choice
        if len(tails) == n:
            return none
        req = self.req[workers, d, :]
        r, under, over = self.need[d], self.under[d], self.over[d]
        used = np.bincount(s, minlength=S)
        if not self._improvable(n, s, req, opt, used, r, under, over):
            return none
        current = int(req[np.arange(n), s].sum() + _cover_cost(used, r, under, over).sum())
        smcf = min_cost_flow.SimpleMinCostFlow()
        sink = n + S
        # worker -> type arcs first (arc i = (tails[i], heads[i])); then type -> sink: each
        # of the first r workers of a type saves `under`, each further one costs `over`
        filled = r > 0
        t_all = np.arange(S)
        st = np.concatenate([tails, n + t_all[filled], n + t_all])
        sh = np.concatenate([heads + n, np.full(int(filled.sum()) + S, sink)])
        cap = np.concatenate([np.ones(len(tails), dtype=np.int64), r[filled],
                              np.full(S, n, dtype=np.int64)])
        cost = np.concatenate([req[tails, heads], -under[filled], over])
        smcf.add_arcs_with_capacity_and_unit_cost(st.astype(np.int32), sh.astype(np.int32),
                                                  cap, cost)
        smcf.set_nodes_supplies(np.r_[np.arange(n), sink].astype(np.int32),
                                np.r_[np.ones(n, dtype=np.int64), -n])
        if smcf.solve() != smcf.OPTIMAL:
            return none
        best = smcf.optimal_cost() + int((under * r).sum())
        if best >= current:
            return none
        flow = smcf.flows(np.arange(len(tails), dtype=np.int32)) > 0
        w, t = tails[flow], heads[flow]
        moved = s[w] != t
        return current - best, workers[w[moved]], t[moved]

    def _improvable(self, n: int, s: np.ndarray, req: np.ndarray, opt: np.ndarray,
                    used: np.ndarray, r: np.ndarray, under: np.ndarray,
                    over: np.ndarray) -> bool:
        """Whether the day's present types can be bettered: a negative cycle in the flow's
        residual graph, compressed to the types and the sink (type x -> type y: the
        cheapest worker of x who may take y; y -> sink: one more on y; sink -> x: one
        fewer on x).  Bellman-Ford from every node at once, a few rounds; many days of a
        roster that was re-typed before have none, and then no flow needs building."""
        S = self.S
        INF = 1 << 40
        ar = np.arange(n)
        gain = np.where(opt, req - req[ar, s][:, None], INF)
        gain[ar, s] = INF
        order = np.argsort(s, kind="stable")
        types, starts = np.unique(s[order], return_index=True)
        edge = np.full((S + 1, S + 1), INF, dtype=np.int64)
        edge[types, :S] = np.minimum.reduceat(gain[order], starts, axis=0)
        base = _cover_cost(used, r, under, over)
        edge[:S, S] = _cover_cost(used + 1, r, under, over) - base
        edge[S, :S] = np.where(used > 0, _cover_cost(used - 1, r, under, over) - base, INF)
        dist = np.zeros(S + 1, dtype=np.int64)
        for _ in range(8):         # not settled by then: let the flow decide
            new = np.minimum(dist, (dist[:, None] + edge).min(axis=0))
            if np.array_equal(new, dist):
                return False
            dist = new
        return True
