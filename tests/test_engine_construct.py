"""The per-person construction for long horizons gives rosters without hard violations."""
from __future__ import annotations

import random

import pytest

from scheduler.construct import applicable
from scheduler.engine import SolveOptions, solve
from scheduler.problem import Cover, Employee, Problem, Request, ShiftType
from scheduler.validate import hard, validate


def random_problem(seed: int, days: int = 84, people: int = 10) -> Problem:
    rng = random.Random(seed)
    shifts = [ShiftType("D", 480), ShiftType("L", 600), ShiftType("N", 720)]
    emps, days_off = [], {}
    for i in range(people):
        eid = f"E{i}"
        emps.append(Employee(eid, max_shifts={"D": days, "L": days // 3, "N": rng.choice([0, days // 4])},
                             min_minutes=days * 480 * 3 // 7 // 2, max_minutes=days * 480 * 5 // 7,
                             min_consecutive=2, max_consecutive=5, min_days_off=2, max_weekends=days // 7 // 2 + 1))
        start = rng.randrange(days - 14)
        days_off[eid] = frozenset(range(start, start + rng.randint(3, 14)))       # a block of leave
    cover = [Cover(d, s.id, rng.randint(1, 3)) for d in range(days) for s in shifts]
    reqs = [Request(f"E{rng.randrange(people)}", rng.randrange(days), rng.choice("DLN"), rng.randint(1, 3),
                    on=rng.random() < 0.5) for _ in range(40)]
    return Problem(horizon=days, shift_types=shifts, employees=emps, cover=cover, requests=reqs, days_off=days_off,
                   forbidden={("N", "D"), ("N", "L"), ("L", "D")}, name=f"random{seed}")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_construction_path_keeps_hard_rules(seed):
    p = random_problem(seed)
    assert applicable(p)
    sol = solve(p, time_limit=4, num_workers=2, seed=seed, construct_cells=0)
    assert sol.status in ("OPTIMAL", "FEASIBLE")
    assert hard(validate(p, sol.assignment)) == []
    assert sol.objective == sum(v.penalty for v in validate(p, sol.assignment) if not v.hard)
