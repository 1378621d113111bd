"""Restarts on a stall and the penalty phase of the search (wall-clock mode only).

What can be checked without timing: a penalised problem changes the requests' weights and
nothing else, and whatever the restarts and penalty phases did during a solve, the reported
objective is the true cost of the roster (the validators'), never the penalised one."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from scheduler.curtois import load
from scheduler.engine import RosterEngine, SolveOptions
from scheduler.engine.search import penalised_problem
from scheduler.validate import hard
from tests.test_engine_construct import random_problem

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "curtois"


def test_penalised_problem_weights_the_requests_only():
    p = random_problem(3, days=28, people=8)
    assert p.requests
    q = penalised_problem(p, 10)
    assert [r.weight for r in q.requests] == [10 * r.weight for r in p.requests]
    assert [dataclasses.replace(r, weight=0) for r in q.requests] == \
           [dataclasses.replace(r, weight=0) for r in p.requests]
    assert q.cover == p.cover and q.employees == p.employees and q.horizon == p.horizon
    assert [r.weight for r in p.requests] != [r.weight for r in q.requests]   # a copy
    # a factor that would round a weight to itself still raises it
    assert all(b.weight > a.weight for a, b in zip(p.requests, penalised_problem(p, 1.1).requests))


@pytest.mark.skipif(not (DATA / "Instance8.txt").exists(), reason="benchmark data not here")
def test_the_objective_is_the_true_cost_after_penalty_phases():
    # restarts after 2% of a 4 s budget without a better roster, every other one a penalty
    # phase (how many of each, and whether a phase finds a new best, depends on the machine)
    p = load(str(DATA / "Instance8.txt"))
    sol = RosterEngine(p, options=SolveOptions(
        time_limit=4, num_workers=2, seed=0, restart_stall=0.02, restart_penalty=20,
        restart_penalty_share=0.05)).solve()
    assert hard(sol.violations) == []
    assert sol.objective == sol.stats["validated_objective"]
    assert "search_objective" not in sol.stats
