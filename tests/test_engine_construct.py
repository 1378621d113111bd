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


# -- the work/off pattern DP against brute force -------------------------------------------

def _pattern_ok(p: Problem, emp: Employee, row, pat, n_lo, n_hi) -> bool:
    """Every rule the pattern DP promises, checked directly (runs touching an end are exempt
    from the minimum lengths, as with ``edge_exempt``)."""
    H = p.horizon
    if not n_lo <= sum(pat) <= n_hi:
        return False
    if any(on and not row[d] for d, on in enumerate(pat)):
        return False
    d = 0
    while d < H:
        e = d
        while e < H and pat[e] == pat[d]:
            e += 1
        length, inner = e - d, d > 0 and e < H
        if pat[d]:
            if emp.max_consecutive and length > emp.max_consecutive:
                return False
            if inner and length < (emp.min_consecutive or 1):
                return False
        elif inner and length < (emp.min_days_off or 1):
            return False
        d = e
    worked = sum(1 for g in p.weekends() if any(pat[x] for x in g))
    return emp.max_weekends is None or worked <= emp.max_weekends


@pytest.mark.parametrize("seed", range(12))
def test_pattern_dp_is_optimal_against_brute_force(seed):
    from itertools import product

    from scheduler.construct import pattern
    rng = random.Random(seed)
    H = 12
    emp = Employee("A", min_consecutive=rng.randint(1, 3), max_consecutive=rng.choice([None, 3, 4, 5]),
                   min_days_off=rng.randint(1, 3), max_weekends=rng.choice([None, 0, 1]))
    p = Problem(horizon=H, shift_types=[ShiftType("D", 480)], employees=[emp], cover=[], name="bf")
    row = [[] if rng.random() < 0.15 else [0] for _ in range(H)]
    value = [rng.choice([100.0, -1.0, 3.0]) + rng.random() * 0.01 for _ in range(H)]
    n_lo = rng.randint(0, 5)
    n_hi = rng.randint(n_lo, 9)
    best = None
    for bits in product((False, True), repeat=H):
        if _pattern_ok(p, emp, row, bits, n_lo, n_hi):
            v = sum(value[d] for d in range(H) if bits[d])
            best = v if best is None else max(best, v)
    got = pattern(p, 0, row, value, n_lo, n_hi)
    if best is None:
        assert got is None
    else:
        assert got is not None and _pattern_ok(p, emp, row, got, n_lo, n_hi)
        assert sum(value[d] for d in range(H) if got[d]) == pytest.approx(best)


@pytest.mark.parametrize("seed", range(4))
def test_banded_pattern_on_long_rows_keeps_the_rules(seed):
    """Long horizons run the banded DP first: its pattern keeps every rule and is never
    better than the exact DP's (which has no band); with the work wanted only in the first
    quarter the band cannot follow it, and the result still reaches the count."""
    from scheduler import construct
    rng = random.Random(seed)
    H = 168
    emp = Employee("A", min_consecutive=2, max_consecutive=5, min_days_off=2, max_weekends=14)
    p = Problem(horizon=H, shift_types=[ShiftType("D", 480)], employees=[emp], cover=[], name="band")
    row = [[] if rng.random() < 0.1 else [0] for _ in range(H)]
    value = [rng.choice([100.0, -1.0, 3.0]) + rng.random() * 0.01 for _ in range(H)]
    n_lo, n_hi = 80, 84
    got = construct.pattern(p, 0, row, value, n_lo, n_hi)
    exact = construct._pattern(p, 0, row, value, n_lo, n_hi, None)
    assert got is not None and _pattern_ok(p, emp, row, got, n_lo, n_hi)
    assert sum(value[d] for d in range(H) if got[d]) <= sum(value[d] for d in range(H) if exact[d]) + 1e-6
    # everything wanted early, the year's count small: the banded DP may not find the best,
    # but what it returns keeps the rules
    front = [100.0 if d < H // 4 else -1.0 for d in range(H)]
    got = construct.pattern(p, 0, [[0]] * H, front, 30, 32)
    assert got is not None and _pattern_ok(p, emp, [[0]] * H, got, 30, 32)


# -- more chains of passes in child processes (long horizons, spare cores) -----------------

def test_a_child_chain_sends_valid_rosters_and_stops_when_its_stdin_closes():
    import os
    import pickle
    import subprocess
    import sys

    from scheduler.context import domains
    from scheduler.engine.chains import _CHILD
    from scheduler.rules import standard_rules

    p = random_problem(2)
    rules = standard_rules()
    allowed = domains(p, rules)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(x for x in sys.path if x))
    child = subprocess.Popen([sys.executable, "-c", _CHILD], env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    pickle.dump((p, rules, allowed), child.stdin)
    pickle.dump(SolveOptions(time_limit=30, seed=4, num_workers=1), child.stdin)
    child.stdin.flush()
    objective, flat = pickle.load(child.stdout)       # the chain's first roster
    H = p.horizon
    roster = {(p.employee_ids[i // H], i % H): None if v < 0 else p.shift_ids[v]
              for i, v in enumerate(flat)}
    found = validate(p, roster, rules)
    assert hard(found) == []
    assert objective == sum(v.penalty for v in found)
    child.stdin.close()                               # the parent stops (or dies)
    rest = child.stdout.read()                        # ends: the child has closed its side
    assert child.wait(timeout=30) == 0
    child.stdout.close()
    assert isinstance(rest, bytes)


def test_the_solve_runs_a_chain_on_the_spare_core_and_ends_it():
    from scheduler.engine import RosterEngine
    p = random_problem(1)
    eng = RosterEngine(p, options=SolveOptions(time_limit=4, num_workers=2, seed=1,
                                               construct_cells=0))
    sol = eng.solve()
    assert sol.stats.get("construction_chains") == 1
    assert all(proc.poll() is not None for proc in eng.construction._chains._procs)
    assert hard(validate(p, sol.assignment)) == []
    assert sol.objective == sum(v.penalty for v in validate(p, sol.assignment))


def test_without_a_child_process_the_passes_run_alone(monkeypatch):
    import subprocess

    def no_process(*_a, **_k):
        raise OSError("no processes here")
    monkeypatch.setattr(subprocess, "Popen", no_process)
    p = random_problem(3)
    sol = solve(p, time_limit=3, num_workers=2, seed=3, construct_cells=0)
    assert "construction_chains" not in sol.stats
    assert sol.stats.get("construction") == "per_person"
    assert hard(validate(p, sol.assignment)) == []
