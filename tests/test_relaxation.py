"""The linear relaxation's lower bound on the roster objective (issue 27, item 3): never above
what a roster costs, never above the optimum, and worth something where the rules force cost."""
from __future__ import annotations

import random

import pytest

from scheduler.engine import SolveOptions
from scheduler.station.build import solve_station
from scheduler.station.relaxation import Relaxation, fairness_floor, objective_bound, people_classes
from scheduler.station.report import quality
from scheduler.station.rules import W_FAIR_SPREAD, W_HOURS_UNDER, W_UNDER
from tests.station_helpers import COM_POST, POSTS, person, small_station

FAST = dict(time_limit=4, num_workers=1, seed=0, deterministic=True)


def idle_station():
    """Six officers, one 12 h day patrol seat a day for a week: most of the hours target cannot be worked."""
    people = [person(f"S{i}") for i in range(6)]
    return small_station(days=7, people=people, demand={(d, "D", "PAT"): 1 for d in range(7)})


def mixed_station(seed: int):
    """A small station drawn at random: sworn and auxiliary people, community officers, leave,
    the year's counts so far, day and night patrols, 24 h case duty, community posts."""
    rng = random.Random(seed)
    people = ([person(f"S{i}", sex="F" if i % 3 == 0 else "M") for i in range(rng.randint(3, 6))]
              + [person(f"A{i}", sworn=False) for i in range(rng.randint(1, 4))]
              + [person(f"C{i}", skills=("case", "patrol")) for i in range(rng.randint(2, 4))]
              + [person(f"M{i}", skills=("community", "patrol"), team="com", team_kind="community")
                 for i in range(rng.randint(1, 3))])
    days = rng.choice((7, 10, 14))
    demand = {}
    for d in range(days):
        demand[(d, "D", "PAT")] = rng.randint(1, 2)
        demand[(d, "N", "PAT")] = rng.randint(0, 2)
        if rng.random() < 0.7:
            demand[(d, "Z", "CASE")] = 2
        if rng.random() < 0.5:
            demand[(d, "D", "COM")] = 1
    demand = {k: n for k, n in demand.items() if n}
    away = {p.badge: {d: "annual" for d in range(rng.randint(0, 3), rng.randint(3, 6))}
            for p in people if rng.random() < 0.3}
    prior = {p.badge: {"nights": rng.randint(0, 4), "weekends": rng.randint(0, 3)} for p in people}
    return small_station(days=days, people=people, demand=demand, posts=[*POSTS, COM_POST],
                         unavailable=away, prior=prior)


def test_forced_idle_hours_are_in_the_bound():
    sp = idle_station()
    # 6 people x 40 h target; 7 seats x 12 h can be worked at most: the rest is under the target
    forced = W_HOURS_UNDER * (6 * 40 * 60 - 7 * 720)
    b = Relaxation(sp).min_cost()
    assert b.status == "optimal" and b.value >= forced - 1
    res = solve_station(sp, SolveOptions(**FAST))
    assert res.solution.status == "OPTIMAL" and not res.hard_violations
    assert b.value <= res.solution.objective


def test_an_empty_seat_no_one_can_take_is_in_the_bound():
    people = [person("S0"), person("S1")]
    sp = small_station(days=7, people=people, demand={(d, "Z", "CASE"): 1 for d in range(7)})  # nobody has 'case'
    b = Relaxation(sp).min_cost()
    assert b.value >= 7 * W_UNDER and b.terms["cover"] == 7 * W_UNDER


@pytest.mark.parametrize("seed", range(6))
def test_bound_never_above_a_roster_and_classes_change_nothing(seed):
    sp = mixed_station(seed)
    whole = Relaxation(sp, aggregate=False).min_cost()
    classes = Relaxation(sp).min_cost()
    assert whole.status == classes.status == "optimal"
    assert abs(whole.value - classes.value) <= 1 + 1e-6 * whole.value      # one program, fewer variables
    assert Relaxation(sp, aggregate=False).max_filled() == Relaxation(sp).max_filled()
    res = solve_station(sp, SolveOptions(**FAST))
    assert not res.hard_violations
    assert res.solution.status == "OPTIMAL"            # these small stations are solved to optimality
    assert classes.value <= res.solution.objective          # so the bound is below the optimum itself
    found = objective_bound(sp, 5.0)
    assert found["value"] is not None and found["value"] <= res.solution.objective
    assert found["value"] >= classes.value - 1 or found["method"] == "lp_floor"


def test_identical_people_form_one_class():
    sp = idle_station()
    assert people_classes(sp) == [(sp.people[0], 6)]
    sp.unavailable = {"S3": {2: "annual"}}
    assert sorted(n for _, n in people_classes(sp)) == [1, 5]


def test_fairness_floor_counts_the_tenths_no_whole_count_reaches():
    sp = idle_station()
    # nights: none demanded, so no pool; weekends: 2 weekend days among 6 people -> share 3.3 each
    floor = fairness_floor(sp)
    assert floor == 6 * W_FAIR_SPREAD * 3
    res = solve_station(sp, SolveOptions(**FAST))
    assert res.objective_terms().get("fairness", 0) >= floor


def test_a_repair_gets_no_bound():
    sp = idle_station()
    sp.previous = {}
    sp.frozen_days = 2
    assert Relaxation(sp).min_cost().value is None


def test_quality_uses_the_relaxation_bound():
    q = quality(objective=1000, terms={"hours_target": 1000}, engine_bound=None, empty=0, min_empty=0,
                cover_weight=W_UNDER, relaxation_bound=800)
    assert q["lower_bound"] == 800 and q["gap"] == 0.2
    assert "20.0%" in q["text_zh"] and "下界 800" in q["text_zh"]
