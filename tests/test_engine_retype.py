"""Exact re-typing of a day (min-cost flow): optimal against brute force, keeps every hard
rule, and the saving it reports is the validators' own difference."""
from __future__ import annotations

import dataclasses
import itertools
import random

import pytest

from scheduler.context import domains
from scheduler.engine import RosterEngine, SolveOptions, solve
from scheduler.lits import OFF
from scheduler.problem import Cover, Employee, Problem, Request, ShiftType
from scheduler.retype import DayRetyper
from scheduler.rules import standard_rules
from scheduler.validate import hard, penalty, validate
from tests.test_engine_construct import random_problem


def _roster(p: Problem, values: dict[tuple[int, int], int]) -> dict:
    return {(p.employees[e].id, d): (None if v == OFF else p.shift_types[v].id)
            for (e, d), v in values.items()}


def _values(p: Problem, assignment: dict) -> dict[tuple[int, int], int]:
    sidx = {s.id: i for i, s in enumerate(p.shift_types)}
    return {(e, d): (OFF if assignment.get((emp.id, d)) is None else sidx[assignment[(emp.id, d)]])
            for e, emp in enumerate(p.employees) for d in range(p.horizon)}


def _small(seed: int) -> Problem:
    """Three days, five people who all work day 1; the day-1 types are what changes.  Shift
    maxima, minute windows and successions make some types of day 1 illegal per person."""
    rng = random.Random(seed)
    shifts = [ShiftType("D", 480), ShiftType("L", 600), ShiftType("N", 720)]
    emps = []
    for i in range(5):
        emps.append(Employee(f"E{i}", max_shifts={"D": 3, "L": rng.choice([0, 1, 3]),
                                                  "N": rng.choice([0, 1, 2])},
                             min_minutes=rng.choice([None, 960, 1200]),
                             max_minutes=rng.choice([None, 1440, 1800])))
    cover = [Cover(d, s.id, rng.randint(0, 3), weight_under=rng.choice([10, 100]),
                   weight_over=rng.choice([1, 5]))
             for d in range(3) for s in shifts]
    reqs = [Request(f"E{rng.randrange(5)}", 1, rng.choice("DLN"), rng.randint(1, 30),
                    on=rng.random() < 0.5) for _ in range(6)]
    return Problem(horizon=3, shift_types=shifts, employees=emps, cover=cover, requests=reqs,
                   forbidden={("N", "D"), ("N", "L"), ("L", "D")}, name=f"small{seed}")


@pytest.mark.parametrize("seed", range(12))
def test_retype_of_a_day_is_optimal_against_brute_force(seed):
    p = _small(seed)
    rules = standard_rules()
    rng = random.Random(seed)
    ids = [s.id for s in p.shift_types]
    # a valid roster in which everyone works day 1 (every hard rule here is per person:
    # draw each person's row until that person's rules hold)
    assignment: dict = {}
    for emp in p.employees:
        for _ in range(500):
            row = {(emp.id, d): (rng.choice(ids) if d == 1 else rng.choice(ids + [None]))
                   for d in range(3)}
            if not [v for v in hard(validate(p, {**assignment, **row}, rules))
                    if v.employee == emp.id]:
                assignment.update(row)
                break
        else:
            pytest.skip(f"no valid row drawn for {emp.id}")
    assert hard(validate(p, assignment, rules)) == []
    before = penalty(validate(p, assignment, rules))
    # the brute-force optimum over every type assignment of day 1 (validators as the oracle)
    best = before
    for combo in itertools.product(ids, repeat=len(p.employees)):
        trial = dict(assignment)
        for emp, s in zip(p.employees, combo):
            trial[(emp.id, 1)] = s
        found = validate(p, trial, rules)
        if not hard(found):
            best = min(best, penalty(found))
    values = _values(p, assignment)
    saved = DayRetyper(p, domains(p, rules)).sweep(values, [1])
    after = _roster(p, values)
    found = validate(p, after, rules)
    assert hard(found) == []
    assert penalty(found) == before - saved
    assert penalty(found) == best
    assert all(after[(e.id, d)] == assignment[(e.id, d)] for e in p.employees for d in (0, 2))


def test_retype_finds_a_chain_no_single_change_finds():
    """A on D, B on L; the cover wants no D, one L, one N, and A may not work N.  Neither
    A -> L nor B -> N alone saves anything (101 either way); both together save all."""
    shifts = [ShiftType("D", 480), ShiftType("L", 480), ShiftType("N", 480)]
    emps = [Employee("A", max_shifts={"N": 0}), Employee("B")]
    cover = [Cover(0, "D", 0), Cover(0, "L", 1), Cover(0, "N", 1)]
    p = Problem(horizon=1, shift_types=shifts, employees=emps, cover=cover, forbidden=set())
    assignment = {("A", 0): "D", ("B", 0): "L"}
    rules = standard_rules()
    assert penalty(validate(p, assignment, rules)) == 101        # D over by 1, N short by 1
    values = _values(p, assignment)
    saved = DayRetyper(p, domains(p, rules)).sweep(values, [0])
    assert saved == 101
    assert _roster(p, values) == {("A", 0): "L", ("B", 0): "N"}


@pytest.mark.parametrize("seed", [1, 2])
def test_retype_sweeps_keep_hard_rules_on_a_long_roster(seed):
    p = random_problem(seed, days=56, people=8)
    rules = standard_rules()
    sol = solve(p, time_limit=3, num_workers=2, seed=seed, retype=False, construct_cells=0)
    assert sol.objective is not None
    values = _values(p, sol.assignment)
    before = penalty(validate(p, sol.assignment, rules))
    retyper = DayRetyper(p, domains(p, rules))
    saved = retyper.sweep(values, range(p.horizon))
    found = validate(p, _roster(p, values), rules)
    assert hard(found) == []
    assert penalty(found) == before - saved >= 0
    # a second sweep from the result only finds what the first one's later days opened up
    again = retyper.sweep(values, range(p.horizon))
    assert penalty(validate(p, _roster(p, values), rules)) == before - saved - again


def test_engine_uses_retype_and_keeps_rules():
    p = random_problem(3, days=84, people=10)
    eng = RosterEngine(p)
    eng.options.time_limit = 4
    eng.options.num_workers = 2
    eng.options.construct_cells = 0
    sol = eng.solve()
    assert sol.stats.get("construction") == "per_person"
    assert hard(validate(p, sol.assignment)) == []
    assert sol.objective == penalty(validate(p, sol.assignment))


def test_retype_runs_in_the_passes_of_short_horizons_too():
    """Four weeks (a full model is built): the passes still re-type whole days, unless
    switched off; either way the roster keeps every hard rule."""
    p = random_problem(5, days=28, people=8)
    for retype in (True, False):
        eng = RosterEngine(p, options=SolveOptions(time_limit=2, num_workers=2, seed=5,
                                                   retype=retype))
        sol = eng.solve()
        assert sol.stats.get("construction") == "per_person"
        assert (eng.run.retyper is not None) == retype
        assert hard(validate(p, sol.assignment)) == []
        assert sol.objective == penalty(validate(p, sol.assignment))


class _FlowAlways(DayRetyper):
    """Builds and solves every day's flow, and records next to the flow's verdict whether
    the negative-cycle check would have skipped that day."""

    def __init__(self, *a):
        super().__init__(*a)
        self.pairs: list[tuple[bool, bool]] = []
        self._check: list[bool] = []

    def _improvable(self, *a):
        self._check.append(super()._improvable(*a))
        return True

    def _day(self, d, rows, counts, total):
        self._check = []
        out = super()._day(d, rows, counts, total)
        if self._check:
            self.pairs.append((self._check[0], out[0] > 0))
        return out


@pytest.mark.parametrize("seed", [1, 2])
def test_negative_cycle_check_agrees_with_the_flow(seed):
    """The check that lets a day skip its flow says "improvable" exactly when the flow
    finds a saving (three types: Bellman-Ford settles within its rounds)."""
    p = random_problem(seed, days=56, people=8)
    rules = standard_rules()
    sol = solve(p, time_limit=1, num_workers=2, seed=seed, retype=False, construct_cells=0)
    values = _values(p, sol.assignment)
    # the same roster against another cover (soft: the roster keeps every hard rule), so
    # that many days can be bettered at first and none at the end
    rng = random.Random(seed)
    p = dataclasses.replace(p, cover=[dataclasses.replace(c, requirement=rng.randint(0, 4))
                                      for c in p.cover])
    retyper = _FlowAlways(p, domains(p, rules))
    for _ in range(3):
        retyper.sweep(values, range(p.horizon))
    assert retyper.pairs
    assert all(check == gain for check, gain in retyper.pairs)
    assert {gain for _, gain in retyper.pairs} == {True, False}
