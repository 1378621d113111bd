"""Guides: terms the search adds to its sub-models to steer among rosters of equal cost.
They are not rules of any station: the cost the engine reports and compares is always the
rules' own (the search recomputes it for every roster a guided sub-solve returns).
"""
from __future__ import annotations

from scheduler.lits import is_const
from scheduler.rules.base import Rule


class HalfWeekends(Rule):
    """``weight`` per person and two-day weekend worked on one day only.

    Where every person is at their maximum of worked weekends, a weekend worked on one day
    uses up a whole weekend for one shift: the weekend cover then falls short while the
    limit binds.  Rosters with fewer half weekends leave the same limit room for more
    weekend shifts, so the search is steered toward them (sideways moves at equal cost)."""

    name = "half_weekends"
    hard = False

    def __init__(self, weight: int = 1):
        self.weight = weight

    def apply(self, ctx) -> None:
        weekends = [days for days in ctx.problem.weekends() if len(days) == 2]
        for e in ctx.active_employees:
            for days in weekends:
                a, b = (ctx.on(e, d) for d in days)
                if is_const(a) and is_const(b):
                    continue                    # frozen: a constant, nothing to steer
                if is_const(a) or is_const(b):
                    c, x = (a, b) if is_const(a) else (b, a)
                    if c:
                        ctx.cost_not(self.weight, x, self.name)
                    else:
                        ctx.cost(self.weight, x, self.name)
                    continue
                h = ctx.model.new_bool_var("")
                ctx.model.add(h >= a - b)
                ctx.model.add(h >= b - a)
                ctx.cost(self.weight, h, self.name)
