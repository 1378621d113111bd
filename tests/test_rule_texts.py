"""The generic rule modules (scheduler/rules/) word their violations from the catalogue: the
English text stays what the benchmarks and logs read, the Chinese is there for the reader; on a
station roster (scheduler/station/rules.Named) each names the person and the date, with the rule's
source, and the rules still pickle (the province run ships them to workers)."""
from __future__ import annotations

import pickle

from scheduler.station.build import build
from scheduler.validate import validate
from tests.station_helpers import small_station


def _grid(sp):
    grid = {(p.badge, d): None for p in sp.people for d in range(sp.days)}
    for d in range(8):
        grid[("S1", d)] = "D@PAT"            # eight days in a row, at most six
    grid[("S2", 0)] = "N@PAT"
    grid[("S2", 1)] = "D@PAT"                # a day shift the morning after a night
    return grid


def _by_rule(found, rule, badge=None):
    return [v for v in found if v.rule == rule and (badge is None or v.employee == badge)]


def test_station_violations_of_generic_rules_name_who_when_and_why():
    sp = small_station(days=8, previous={})
    problem, rules = build(sp)
    found = validate(problem, _grid(sp), rules)
    run = _by_rule(found, "max_consecutive_work", "S1")[0]
    assert run.msg.render("zh") == "PS1 2030-03-04：连续工作 8 天，至多 6 天 [国务院工时规定（每周至少休息1日）]"
    assert run.message == ("PS1 2030-03-04: 8 consecutive worked days, at most 6 "
                           "[State Council working-time rules (one day off a week)]")
    succ = _by_rule(found, "succession", "S2")[0]
    assert "PS2 2030-03-05：D@PAT 不得紧接前一天的 N@PAT" in succ.msg.render("zh")
    short = _by_rule(found, "cover")[0]                    # nobody on case duty: a day, no person
    assert short.employee is None and short.msg.render("zh").startswith("2030-03-0")
    assert "缺" in short.msg.render("zh") and "short" in short.message
    for v in found:                                         # every text has both languages
        assert v.msg is not None, v
        assert v.msg.render("zh") != v.msg.render("en") or not any(c.isalpha() for c in v.message)


def test_the_named_rules_pickle_and_validate_the_same():
    sp = small_station(days=8, previous={})
    problem, rules = build(sp)
    again = pickle.loads(pickle.dumps(rules))
    grid = _grid(sp)
    assert [v.message for v in validate(problem, grid, again)] == [v.message for v in validate(problem, grid, rules)]
    assert [r.name for r in again] == [r.name for r in rules]


def test_generic_rules_alone_keep_their_english_text():
    from scheduler.problem import Employee, Problem, ShiftType
    from scheduler.rules import MaxConsecutiveWork
    p = Problem(horizon=4, shift_types=[ShiftType("D", 480)], employees=[Employee("e1", max_consecutive=2)])
    v = MaxConsecutiveWork().validate(p, {("e1", d): "D" for d in range(4)})[0]
    assert v.message == "4 consecutive worked days, at most 2"
    assert v.msg.render("zh") == "连续工作 4 天，至多 2 天"
