"""The capacity bound (scheduler/engine/bounds.py): never above the optimum, exact on small
cases worked out by hand, and None for rules it does not know."""
from __future__ import annotations

import dataclasses

import pytest

from scheduler.context import domains
from scheduler.engine import RosterEngine, SolveOptions
from scheduler.engine.bounds import capacity_bound
from scheduler.problem import Cover, Employee, Problem, ShiftType
from scheduler.rules import Rule, standard_rules
from tests.test_engine_construct import random_problem


def _bound(p: Problem, rules=None):
    rules = standard_rules() if rules is None else rules
    return capacity_bound(p, domains(p, rules), rules)


def test_weekend_limit_bounds_the_weekend_cover():
    """Two weeks from a Monday: two weekends (days 5-6, 12-13).  Three people, each on at
    most one weekend, can give 6 weekend shifts; the cover asks for 2 a weekend day (8):
    at least 2 short, 100 each.  The weekdays ask for 3 (all can come): no cost there."""
    p = Problem(horizon=14, shift_types=[ShiftType("D", 480)],
                employees=[Employee(f"p{i}", max_weekends=1) for i in range(3)],
                cover=[Cover(day=d, shift="D", requirement=2 if d in (5, 6, 12, 13) else 3)
                       for d in range(14)])
    assert _bound(p) == 200
    # one person may not work day 5 (a day off): their best weekend still gives 2
    p.days_off = {"p0": frozenset({5})}
    assert _bound(p) == 200
    # ... and with days 5 and 12 off, only one day of either weekend: 5 shifts, 3 short
    p.days_off = {"p0": frozenset({5, 12})}
    assert _bound(p) == 300


def test_day_limit_and_weights():
    """One person, a day asking for 2 of type A (weight 100) and 1 of type B (weight 7): the
    one person goes where the cover weighs most, one A and the B stay short."""
    p = Problem(horizon=1, shift_types=[ShiftType("A", 480), ShiftType("B", 480)],
                employees=[Employee("p")],
                cover=[Cover(day=0, shift="A", requirement=2),
                       Cover(day=0, shift="B", requirement=1, weight_under=7)])
    assert _bound(p) == 107


def test_no_bound_for_unknown_rules_or_without_cover():
    p = random_problem(1, days=21, people=5)

    class Bonus(Rule):
        name = "bonus"
        hard = False

    assert _bound(p, standard_rules() + [Bonus()]) is None
    assert _bound(p, [r for r in standard_rules() if r.name != "cover"]) is None


@pytest.mark.parametrize("seed", range(1, 9))
def test_the_bound_is_never_above_the_optimum(seed):
    """Small random problems solved to optimality (deterministic, full model only)."""
    p = random_problem(seed, days=21, people=5)
    p.employees = [dataclasses.replace(e, max_weekends=1) if i < 3 else e
                   for i, e in enumerate(p.employees)]
    engine = RosterEngine(p, options=SolveOptions(time_limit=20, num_workers=1, seed=seed,
                                                  lns=False, deterministic=True))
    sol = engine.solve()
    assert sol.status == "OPTIMAL"
    b = _bound(p)
    assert b is not None and b <= sol.objective
    assert sol.stats["capacity_bound"] == b
