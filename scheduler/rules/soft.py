"""Soft rule families: shift-on / shift-off requests, elastic cover, and the change penalty of
a repair.  Their validators return violations with ``hard=False`` and the penalty, so the
objective of a roster can be recomputed without the solver."""
from __future__ import annotations

from collections import defaultdict

from scheduler.problem import Problem, Roster, Violation
from scheduler.rules.base import Rule, off_or, violation


class Requests(Rule):
    """On-request: weight if the person does not work that shift that day (a day off or any
    other shift).  Off-request: weight if the person works that shift that day."""

    name = "requests"
    hard = False

    def apply(self, ctx) -> None:
        for r in ctx.problem.requests:
            e = ctx.emp_index.get(r.employee)
            s = ctx.shift_index.get(r.shift)
            if e is None or not 0 <= r.day < ctx.H:
                continue
            x = 0 if s is None else ctx.x(e, r.day, s)
            if r.on:
                ctx.cost_not(r.weight, x, self.name)
            else:
                ctx.cost(r.weight, x, self.name)

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        out = []
        for r in problem.requests:
            if not 0 <= r.day < problem.horizon:
                continue
            got = roster.get((r.employee, r.day))
            if r.on and got != r.shift:
                out.append(violation(self.name, r.employee, r.day, "v.g.req_on", shift=r.shift, has=off_or(got),
                                     hard=False, penalty=r.weight))
            elif not r.on and got == r.shift:
                out.append(violation(self.name, r.employee, r.day, "v.g.req_off", shift=r.shift, hard=False,
                                     penalty=r.weight))
        return out


class CoverRule(Rule):
    """Elastic cover: ``count + under - over == requirement`` with weighted under / over."""

    name = "cover"
    hard = False

    def apply(self, ctx) -> None:
        free: dict[tuple[int, int], list] = defaultdict(list)
        const: dict[tuple[int, int], int] = defaultdict(int)
        if ctx.values is not None:
            for (e, d), v in ctx.values.items():
                if v >= 0 and d < ctx.H and not ctx.is_free(e, d):
                    const[(d, v)] += 1
        for (e, d, s), var in ctx.work.items():
            free[(d, s)].append(var)
        ctx.data["cover_vars"] = {}
        for c in ctx.problem.cover:
            s = ctx.shift_index.get(c.shift)
            if s is None or not 0 <= c.day < ctx.H:
                continue
            xs = free.get((c.day, s), [])
            k = const.get((c.day, s), 0)
            if not xs:
                ctx.cost(c.weight_under, max(0, c.requirement - k), self.name)
                ctx.cost(c.weight_over, max(0, k - c.requirement), self.name)
                continue
            need = c.requirement - k
            n = len(xs)
            if need <= 0:  # the frozen people alone reach the requirement: over only
                ctx.cost(c.weight_over, -need, self.name)
                for x in xs:
                    ctx.cost(c.weight_over, x, self.name)
                continue
            under = ctx.model.new_int_var(0, need, "")
            over = ctx.model.new_int_var(0, max(0, n - need), "")
            ctx.linear_range([*((1, x) for x in xs), (1, under), (-1, over)], need, need)
            ctx.cost(c.weight_under, under, self.name)
            ctx.cost(c.weight_over, over, self.name)
            ctx.data["cover_vars"][(c.day, s)] = (under, over)

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        count: dict[tuple[int, str], int] = defaultdict(int)
        for (_, d), sid in roster.items():
            if sid is not None:
                count[(d, sid)] += 1
        out = []
        for c in problem.cover:
            n = count.get((c.day, c.shift), 0)
            if n < c.requirement:
                out.append(violation(self.name, None, c.day, "v.g.cover_short", shift=c.shift, n=n,
                                     need=c.requirement, k=c.requirement - n, hard=False,
                                     penalty=c.weight_under * (c.requirement - n)))
            elif n > c.requirement:
                out.append(violation(self.name, None, c.day, "v.g.cover_over", shift=c.shift, n=n,
                                     need=c.requirement, k=n - c.requirement, hard=False,
                                     penalty=c.weight_over * (n - c.requirement)))
        return out


class ChangePenalty(Rule):
    """Repair: ``weight`` for every cell that differs from ``previous`` (a roster)."""

    name = "changes"
    hard = False

    def __init__(self, previous: Roster, weight: int = 1):
        self.previous = dict(previous)
        self.weight = weight

    def apply(self, ctx) -> None:
        for (eid, d), sid in self.previous.items():
            e = ctx.emp_index.get(eid)
            if e is None or not 0 <= d < ctx.H:
                continue
            same = ctx.off(e, d) if sid is None else ctx.x(e, d, ctx.shift_index[sid])
            ctx.cost_not(self.weight, same, self.name)

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        out = []
        for (eid, d), sid in self.previous.items():
            if 0 <= d < problem.horizon and roster.get((eid, d)) != sid:
                out.append(violation(self.name, eid, d, "v.g.changed", old=off_or(sid), new=off_or(roster.get((eid, d))),
                                     hard=False, penalty=self.weight))
        return out
