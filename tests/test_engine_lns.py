"""Sub-solves of the large-neighbourhood search: the completed hint and the restricted-domain
neighbourhood (``short_domain``).  The validators are the oracle."""
from __future__ import annotations

import dataclasses
import random

import pytest
from ortools.sat.python import cp_model

from scheduler.context import ModelContext
from scheduler.engine import RosterEngine, SolveOptions
from scheduler.engine.run import counts, cover_need
from scheduler.validate import hard, penalty, validate
from tests.test_engine_construct import random_problem
from tests.test_engine_retype import _roster


def _incumbent(seed: int, days: int = 28):
    """A problem, an engine that has solved it and the roster it found (a short
    deterministic solve of the full model, no search)."""
    p = random_problem(seed, days=days, people=8)
    engine = RosterEngine(p, options=SolveOptions(time_limit=2, num_workers=1, seed=seed,
                                                  lns=False, deterministic=True))
    sol = engine.solve()
    assert sol.objective is not None and hard(sol.violations) == []
    return p, engine, engine.run.incumbent.values, sol.objective


class _First(cp_model.CpSolverSolutionCallback):
    def __init__(self):
        super().__init__()
        self.objectives: list[float] = []

    def on_solution_callback(self):
        self.objectives.append(self.objective_value)


@pytest.mark.parametrize("seed", [1, 2])
def test_completed_hint_is_the_incumbent_and_its_first_solution(seed):
    p, engine, values, objective = _incumbent(seed)
    rng = random.Random(seed)
    for kind in ("block", "people", "days"):
        free = engine.neighbourhoods.block(rng, kind, 60, values)
        ctx = ModelContext(p, engine.run.sub_rules, values, free, engine.run.allowed)
        ctx.add_hint(values)
        assert len(ctx.model.proto.solution_hint.vars) < len(ctx.model.proto.variables)
        assert ctx.complete_hint()
        hint = ctx.model.proto.solution_hint
        assert list(hint.vars) == list(range(len(ctx.model.proto.variables)))
        # the hinted cells are the incumbent's
        for (e, d, s), var in ctx.work.items():
            assert hint.values[var.index] == (values[(e, d)] == s)
        # CP-SAT takes it as its first solution: the incumbent's cost, by the validators
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.linearization_level = 2
        first = _First()
        solver.parameters.stop_after_first_solution = True
        assert solver.solve(ctx.model, first) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        assert first.objectives[0] == objective
        assert objective == penalty(validate(p, _roster(p, values)))


def test_completed_hint_reports_an_infeasible_copy():
    """A hint that breaks a hard rule cannot be completed: the partial hint stays."""
    p, engine, values, _ = _incumbent(3)
    broken = dict(values)
    for d in range(p.horizon):          # everyone on every day: runs and minutes broken
        broken[(0, d)] = 0
    free = {(0, d) for d in range(p.horizon)}
    ctx = ModelContext(p, engine.run.sub_rules, values, free, engine.run.allowed)
    ctx.add_hint(broken)
    before = len(ctx.model.proto.solution_hint.vars)
    assert not ctx.complete_hint()
    assert len(ctx.model.proto.solution_hint.vars) == before


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_short_domain_block_frees_a_window_with_few_types(seed):
    p, engine, values, objective = _incumbent(seed)
    count = counts(values)
    need = cover_need(p)
    short = {(d, s) for (d, s), n in need.items() if count.get((d, s), 0) < n}
    assert short, "the test needs a roster with a shortfall"
    rng = random.Random(seed)
    for _ in range(3):
        free, allowed = engine.neighbourhoods.short_domain(rng, 80, values)
        days = sorted({d for _, d in free})
        assert days == list(range(days[0], days[-1] + 1))          # one window
        assert {e for e, _ in free} == set(range(len(p.employees)))  # everyone
        assert any((d, s) in short for d in days for s in range(len(p.shift_types)))
        extra = set()
        for e, d in free:
            cur = values[(e, d)]
            assert set(allowed[e][d]) <= set(engine.run.allowed[e][d])
            extra |= {s for s in allowed[e][d] if s != cur}
        assert 1 <= len(extra) <= 3
        assert any((d, s) in short for d in days for s in extra)
        # cells outside the window keep their domains (the engine's lists, untouched)
        for e in range(len(p.employees)):
            for d in range(p.horizon):
                if (e, d) not in free:
                    assert allowed[e][d] is engine.run.allowed[e][d]
        # the sub-solve keeps every hard rule and reports the validators' cost
        ctx = ModelContext(p, engine.run.sub_rules, values, free, allowed)
        ctx.add_hint(values)
        assert ctx.complete_hint()
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_deterministic_time = 1
        assert solver.solve(ctx.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        got = ctx.read(solver)
        vs = validate(p, _roster(p, got))
        assert hard(vs) == []
        assert round(solver.objective_value) == penalty(vs) <= objective


def test_short_domain_block_is_none_without_shortfall():
    p, engine, values, _ = _incumbent(1)
    p.cover = [dataclasses.replace(c, requirement=0) for c in p.cover]
    assert engine.neighbourhoods.short_domain(random.Random(0), 80, values) is None


def test_engine_with_only_short_domain_keeps_rules():
    p = random_problem(4, days=28, people=8)
    engine = RosterEngine(p, options=SolveOptions(time_limit=3, num_workers=1, seed=4,
                                                  adaptive_kinds=False, deterministic=True))
    engine.KINDS = (("short_domain", 1.0),)
    sol = engine.solve()
    assert hard(sol.violations) == []
    assert sol.objective == penalty(validate(p, sol.assignment))
    assert sol.stats["lns_iterations"] > 0


def test_kind_weights_replace_the_base_weights_and_zero_drops_a_kind():
    p = random_problem(4, days=28, people=8)
    engine = RosterEngine(p, options=SolveOptions(
        time_limit=1, num_workers=1, seed=4, deterministic=True,
        kind_weights={"short_domain": 0, "days": 2.0}))
    sol = engine.solve()
    kinds = dict(engine.neighbourhoods.kinds)
    assert "short_domain" not in kinds and kinds["days"] == 2.0
    assert kinds["block"] == dict(RosterEngine.KINDS)["block"]
    assert hard(sol.violations) == []
    with pytest.raises(ValueError, match="no such neighbourhood kind"):
        RosterEngine(p, options=SolveOptions(time_limit=1, num_workers=1,
                                             kind_weights={"dayz": 1.0})).solve()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sub_models_forbid_exactly_the_successions_next_to_frozen_days(seed):
    """The succession rule of a sub-model, cell by cell: with only that rule, a free cell may
    take shift a exactly when a may follow the frozen day before and the frozen day after
    may follow a (the other cells are frozen to a random roster that keeps the rule)."""
    from scheduler.rules.sequences import Successions
    from scheduler.lits import OFF
    p = random_problem(seed, days=21, people=4)
    rng = random.Random(seed)
    S = len(p.shift_types)
    bad = {(p.shift_ids.index(a), p.shift_ids.index(b)) for a, b in p.forbidden_successions()}
    values = {}
    for e in range(4):   # a frozen roster that keeps the rule
        prev = OFF
        for d in range(21):
            prev = values[(e, d)] = rng.choice([s for s in (OFF, *range(S))
                                                if (prev, s) not in bad])
    free = {(e, d) for e in range(4) for d in range(21) if rng.random() < 0.4}
    allowed = [[list(range(S)) for _ in range(21)] for _ in range(4)]
    for (e, d) in sorted(free):
        for s in range(S):
            ctx = ModelContext(p, [Successions()], values, free, allowed)
            ctx.model.add(ctx.work[(e, d, s)] == 1)
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            status = solver.solve(ctx.model)
            prev = values[(e, d - 1)] if d > 0 and (e, d - 1) not in free else OFF
            nxt = values[(e, d + 1)] if d < 20 and (e, d + 1) not in free else OFF
            expect = (prev, s) not in bad and (s, nxt) not in bad
            assert (status in (cp_model.OPTIMAL, cp_model.FEASIBLE)) == expect, (e, d, s)


def _half_weekends(p, assignment) -> int:
    return sum(1 for e in p.employees for days in p.weekends() if len(days) == 2
               and (assignment[(e.id, days[0])] is None) != (assignment[(e.id, days[1])] is None))


def test_half_weekend_guide_costs_each_half_weekend_in_the_model():
    """The guide alone on top of the rules: the model's optimum is the rules' cost plus the
    weight times the half weekends of the roster it returns."""
    from scheduler.context import domains
    from scheduler.engine.guides import HalfWeekends
    from scheduler.rules import standard_rules
    p = random_problem(3, days=21, people=4)
    rules = standard_rules()
    ctx = ModelContext(p, rules + [HalfWeekends(7)], allowed=domains(p, rules))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 20
    assert solver.solve(ctx.model) == cp_model.OPTIMAL
    got = _roster(p, ctx.read(solver))
    assert round(solver.objective_value) == penalty(validate(p, got)) + 7 * _half_weekends(p, got)


def test_guided_search_reports_the_rules_cost_only():
    p = random_problem(6, days=28, people=8)
    sol = RosterEngine(p, options=SolveOptions(time_limit=3, num_workers=1, seed=6,
                                               deterministic=True,
                                               half_weekend_weight=50)).solve()
    assert hard(sol.violations) == []
    assert sol.objective == penalty(validate(p, sol.assignment))
    assert sol.stats["lns_iterations"] > 0
