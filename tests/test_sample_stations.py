"""The stations of issue 22 beyond the demo (stationdef/samples.py): they load, and a short
solve of each gives a roster the independent validators find no hard violation in, with the
objective equal to the validators' soft penalties."""
from __future__ import annotations

from datetime import date

import pytest

from scheduler.engine import SolveOptions
from scheduler.station.build import build, solve_station
from scheduler.validate import validate
from stationdef.samples import SAMPLES, rural_station, urban_station
from usecases.roster_input import plain_day_kinds, to_problem

START = date(2030, 3, 4)   # a Monday


def sample_problem(name: str, days: int):
    sd, people = SAMPLES[name]()
    return to_problem(sd, people, START, days, plain_day_kinds(START, days))


def test_the_sample_stations_are_what_they_say():
    sd, people = rural_station()
    assert sd.station.kind == "rural" and len(people) == 18
    assert {s.kind for s in sd.shifts} >= {"24h"} and any(p.kind == "traffic" for p in sd.posts)
    sd, people = urban_station()
    assert sd.station.kind == "urban" and len(people) == 150
    assert sum(p.kind == "window" for p in sd.posts) == 3 and sum(p.kind == "patrol" for p in sd.posts) == 6
    assert len(sd.hot_spots) == 40
    assert urban_station(0)[1] == urban_station(0)[1] and urban_station(1)[1] != urban_station(0)[1]


@pytest.mark.parametrize("name,days,limit", [("rural", 14, 4), ("urban", 7, 8)])
def test_sample_station_solves_and_validates(name, days, limit):
    sp = sample_problem(name, days)
    res = solve_station(sp, SolveOptions(time_limit=limit, num_workers=2, seed=1))
    assert res.solution.status in ("OPTIMAL", "FEASIBLE")
    problem, rules = build(sp)
    found = validate(problem, res.solution.assignment, rules)
    assert [v for v in found if v.hard] == []
    assert res.solution.objective == sum(v.penalty for v in found if not v.hard)
