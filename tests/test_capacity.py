"""Capacity before solving (issue 23): a real lower bound on the empty seats, with its reason."""
from __future__ import annotations

import pytest

from scheduler.station.capacity import analyse
from tests.station_helpers import person, small_station


def case_station(n_people: int, days: int = 14, **kw):
    """One sworn-only 24 h case duty of 1 a day, n case officers."""
    people = [person(f"C{i}", skills=("case",)) for i in range(n_people)]
    demand = {(d, "Z", "CASE"): 1 for d in range(days)}
    sp = small_station(days=days, people=people, demand=demand, **kw)
    sp.params["case_duty_min_sworn"] = 1
    return sp


def test_two_officers_can_alternate_24h_duties():
    cap = analyse(case_station(2))
    assert cap.lower_bound == 0 and cap.verdict == "enough"


def test_one_officer_can_do_every_second_day_only():
    cap = analyse(case_station(1))
    assert cap.lower_bound == 7 and cap.lp_status == "optimal"
    assert cap.binding is not None and cap.binding.types == ("sworn",)
    assert "至少7个岗位人次无人可排" in cap.reason("zh") and "民警专属岗" in cap.reason("zh")
    assert "need 27 person-days" in cap.reason("en") and "14 available" in cap.reason("en")


def test_leave_takes_capacity():
    sp = case_station(2, unavailable={"C0": {d: "annual" for d in range(7)}})
    cap = analyse(sp)
    # C0 is away for the first week: C1 alone covers every second day of it
    assert cap.lower_bound == 3


def test_no_skill_no_capacity_and_types_count():
    people = [person("A0", sworn=False, skills=("patrol", "driving"))]
    sp = small_station(days=3, people=people, demand={(d, "D", "PAT"): 2 for d in range(3)})
    cap = analyse(sp)
    assert cap.lower_bound == 6         # a 辅警 never without a 民警: nobody can be on the patrol
    assert cap.by_type["duty_aux"]["people"] == 1


@pytest.mark.parametrize("n", [1, 2, 3])
def test_the_solver_never_fills_more_than_the_bound_allows(n):
    """The bound is a bound: the solver's roster leaves at least that many seats empty."""
    from scheduler.engine import SolveOptions
    from scheduler.station.build import solve_station
    from scheduler.station.report import shortfalls
    sp = case_station(n, days=10)
    cap = analyse(sp)
    res = solve_station(sp, SolveOptions(time_limit=3, num_workers=1, seed=0, deterministic=True))
    missing = sum(s["missing"] for s in shortfalls(sp, res.solution.assignment))
    assert missing >= cap.lower_bound


def test_demo_and_a_150_person_station_have_enough_people():
    from datetime import date

    from stationdef.demo import demo_people, demo_station, generated_station
    from usecases.roster_input import plain_day_kinds, to_problem
    start = date(2026, 12, 7)
    sp = to_problem(demo_station(), demo_people(), start, 28, plain_day_kinds(start, 28))
    cap = analyse(sp)
    assert cap.lower_bound == 0 and cap.demand_seats > 0 and cap.available_days > cap.demand_seats
    sd, people = generated_station(150)
    cap = analyse(to_problem(sd, people, start, 7, plain_day_kinds(start, 7)))
    assert cap.lp_status == "optimal"
