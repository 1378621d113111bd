"""Lower bounds without the solver: how much cover the people can give at most.

One person works at most one shift a day, only on days their domain allows a shift, and on
at most ``max_weekends`` weekends.  So on each day at most the people who may work then are
on duty, and over all weekend days at most the sum, per person, of the days of their best
``max_weekends`` weekends.  Every unit of cover those limits leave out costs at least its
``weight_under``; the cheapest way to leave them out is a bound on the cover cost, and,
since every other soft term costs zero or more, on the objective.

The cheapest way is exact by a greedy: a unit of cover on (day, type) saves the weights of
the cover rows it still counts for (the k-th person saves the rows asking for k or more), so
the savings of a (day, type) fall as people are added; taking the largest savings first,
as long as the day's limit and (on weekends) the weekend limit allow, is optimal because the
limits are nested (each day inside the weekend total: a laminar matroid).

With a weekend limit that binds this is a real bound where CP-SAT's stays near zero in the
time (Curtois 12: 2 500 against 5; 19: 1 900 against 26; long horizons, which get no full
model: 21 and 22, 8 200 and 8 100).  It only holds for the rules it knows: the bound is
``None`` when a rule of another kind is in the list (it might cost less than zero, or its
weekends might be counted otherwise).
"""
from __future__ import annotations

import heapq
from collections import defaultdict

from scheduler.lits import OFF
from scheduler.problem import Problem
from scheduler.rules import (ChangePenalty, CoverRule, DaysOffAndFixed, MaxConsecutiveWork,
                             MaxWeekends, MinConsecutiveDaysOff, MinConsecutiveWork,
                             OneShiftPerDay, Requests, ShiftTypeLimits, Successions,
                             TotalMinutes)

# rules whose costs are never negative and which allow no more cover than counted here
_KNOWN = (OneShiftPerDay, DaysOffAndFixed, ShiftTypeLimits, TotalMinutes, Successions,
          MaxConsecutiveWork, MinConsecutiveWork, MinConsecutiveDaysOff, MaxWeekends,
          Requests, CoverRule, ChangePenalty)


def capacity_bound(problem: Problem, allowed: list, rules) -> int | None:
    """A lower bound on the objective from the day and weekend limits (see the module), or
    None when the rules are not all of the kinds it knows or there is no cover rule."""
    rules = list(rules)
    if not any(isinstance(r, CoverRule) for r in rules):
        return None
    if not all(type(r) in _KNOWN for r in rules):
        return None
    p = problem
    if (any(r.weight < 0 for r in p.requests)
            or any(isinstance(r, ChangePenalty) and r.weight < 0 for r in rules)
            or any(c.weight_over < 0 for c in p.cover)):
        return None             # a term that could pay back: no bound from the cover alone
    H = p.horizon
    sidx = {s: i for i, s in enumerate(p.shift_ids)}
    # the cover rows per (day, type): requirement and weight of each
    rows: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for c in p.cover:
        if c.shift in sidx and 0 <= c.day < H and c.requirement > 0 and c.weight_under > 0:
            rows[(c.day, sidx[c.shift])].append((c.requirement, c.weight_under))
    if not rows:
        return 0
    # who may work which day: a shift the domain allows (days off and fixed cells pruned)
    works = [[any(s != OFF for s in allowed[e][d]) for d in range(H)]
             for e in range(len(p.employees))]
    day_cap = [sum(col) for col in zip(*works)] if works else [0] * H
    weekend_cap = None
    weekend_days: set[int] = set()
    if any(isinstance(r, MaxWeekends) for r in rules):
        weekends = p.weekends()
        weekend_days = {d for w in weekends for d in w}
        weekend_cap = 0
        for e, emp in enumerate(p.employees):
            sizes = sorted((sum(works[e][d] for d in w) for w in weekends), reverse=True)
            limit = len(sizes) if emp.max_weekends is None else max(0, emp.max_weekends)
            weekend_cap += sum(sizes[:limit])
    # largest savings first: a heap of (day, type) by the saving of their next person
    total = sum(r * w for rs in rows.values() for r, w in rs)
    heap = [(-_saving(rs, 1), d, s, 1) for (d, s), rs in rows.items()]
    heapq.heapify(heap)
    used = [0] * H
    weekend_used = 0
    saved = 0
    while heap:
        neg, d, s, k = heapq.heappop(heap)      # every saving in the heap is positive
        if used[d] >= day_cap[d]:
            continue
        if d in weekend_days and weekend_cap is not None:
            if weekend_used >= weekend_cap:
                continue
            weekend_used += 1
        used[d] += 1
        saved -= neg
        nxt = _saving(rows[(d, s)], k + 1)
        if nxt > 0:
            heapq.heappush(heap, (-nxt, d, s, k + 1))
    return total - saved


def _saving(rows: list[tuple[int, int]], k: int) -> int:
    """What the k-th person on a (day, type) saves: the weights of the rows asking for k or
    more people."""
    return sum(w for r, w in rows if r >= k)
