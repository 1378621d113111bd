"""Each rule module's validator against hand-made good and bad rosters (no solver)."""
from __future__ import annotations

import pytest

from scheduler.problem import Cover, Employee, History, Problem, Request, ShiftType
from scheduler.rules import (CoverRule, DaysOffAndFixed, MaxConsecutiveWork, MaxWeekends,
                             MinConsecutiveDaysOff, MinConsecutiveWork, OneShiftPerDay,
                             Requests, ShiftTypeLimits, Successions, TotalMinutes, ChangePenalty)
from scheduler.validate import penalty, validate

D = ShiftType("D", 480, start_minute=8 * 60)
N = ShiftType("N", 720, start_minute=20 * 60)


def problem(horizon=14, **emp) -> Problem:
    history = emp.pop("history", None)
    p = dict(horizon=horizon, shift_types=[D, N],
             employees=[Employee("A", history=history, **emp)])
    return Problem(**p)


def roster(pattern: str, emp: str = "A") -> dict:
    """'DN-D' -> A works D, N, off, D."""
    return {(emp, d): (None if ch == "-" else ch) for d, ch in enumerate(pattern)}


def names(violations):
    return [(v.rule, v.day) for v in violations]


# -- one shift a day ----------------------------------------------------------------------
def test_one_shift_per_day_needs_every_day_and_known_shifts():
    p = problem(horizon=3)
    assert OneShiftPerDay().validate(p, roster("D-N")) == []
    bad = roster("D-")
    assert names(OneShiftPerDay().validate(p, bad)) == [("one_shift_per_day", 2)]
    bad = roster("DXN")
    assert "unknown shift" in OneShiftPerDay().validate(p, bad)[0].message


# -- successions ----------------------------------------------------------------------------
def test_successions_from_min_rest_and_clock_times():
    p = problem(horizon=5)
    p.min_rest_minutes = 11 * 60
    assert p.forbidden_successions() == {("N", "D")}
    assert Successions().validate(p, roster("DN-DD")) == []
    assert names(Successions().validate(p, roster("DNDDD"))) == [("succession", 2)]


def test_successions_given_list_and_history():
    p = problem(horizon=3, history=History(last_shift="N", work_run=1))
    p.forbidden = {("N", "D")}
    assert names(Successions().validate(p, roster("D--"))) == [("succession", 0)]
    assert Successions().validate(p, roster("N--")) == []


# -- per-type maximum, minutes ------------------------------------------------------------
def test_shift_type_limits():
    p = problem(horizon=5, max_shifts={"N": 1, "D": 5})
    assert ShiftTypeLimits().validate(p, roster("N-DDD")) == []
    v = ShiftTypeLimits().validate(p, roster("N-N--"))
    assert len(v) == 1 and "2 shifts of type N" in v[0].message


def test_total_minutes_min_and_max():
    p = problem(horizon=5, min_minutes=960, max_minutes=1500)
    assert TotalMinutes().validate(p, roster("DD---")) == []
    assert "at least 960" in TotalMinutes().validate(p, roster("D----"))[0].message
    assert "at most 1500" in TotalMinutes().validate(p, roster("NND--"))[0].message


# -- runs ----------------------------------------------------------------------------------
def test_max_consecutive_with_history():
    p = problem(horizon=8, max_consecutive=3)
    assert MaxConsecutiveWork().validate(p, roster("DDD-DDD-")) == []
    assert names(MaxConsecutiveWork().validate(p, roster("-DDDD---"))) == [
        ("max_consecutive_work", 1)]
    ph = problem(horizon=8, max_consecutive=3, history=History(last_shift="D", work_run=2))
    assert names(MaxConsecutiveWork().validate(ph, roster("DD------"))) == [
        ("max_consecutive_work", 0)]
    assert MaxConsecutiveWork().validate(ph, roster("D-DDD---")) == []


def test_min_consecutive_work_edges_exempt_or_strict():
    p = problem(horizon=8, min_consecutive=2)
    assert MinConsecutiveWork().validate(p, roster("D--DD--D")) == []   # edges exempt
    assert names(MinConsecutiveWork().validate(p, roster("DD-D--DD"))) == [
        ("min_consecutive_work", 3)]
    p.edge_exempt = False
    assert [d for _, d in names(MinConsecutiveWork().validate(p, roster("D--DD--D")))] == [0, 7]


def test_min_consecutive_work_with_history():
    hist = History(last_shift="D", work_run=1)
    p = problem(horizon=6, min_consecutive=3, history=hist)
    assert MinConsecutiveWork().validate(p, roster("DD----")) == []      # 1 + 2 = 3
    assert len(MinConsecutiveWork().validate(p, roster("D-----"))) == 1  # 1 + 1 < 3
    assert len(MinConsecutiveWork().validate(p, roster("------"))) == 1  # ended at 1
    off_hist = History(last_shift=None, off_run=4)
    p2 = problem(horizon=6, min_consecutive=3, history=off_hist)
    assert len(MinConsecutiveWork().validate(p2, roster("DD----"))) == 1  # day 0 not exempt


def test_min_consecutive_days_off():
    p = problem(horizon=8, min_days_off=2)
    assert MinConsecutiveDaysOff().validate(p, roster("-DD--DD-")) == []
    assert names(MinConsecutiveDaysOff().validate(p, roster("DD-DDDDD"))) == [
        ("min_consecutive_days_off", 2)]
    ph = problem(horizon=8, min_days_off=3, history=History(last_shift=None, off_run=1))
    assert len(MinConsecutiveDaysOff().validate(ph, roster("-DDDDD--"))) == 1
    assert MinConsecutiveDaysOff().validate(ph, roster("--DDDD--")) == []


def test_max_weekends_follows_start_weekday():
    p = problem(horizon=14, max_weekends=1)
    assert p.weekends() == [[5, 6], [12, 13]]
    assert MaxWeekends().validate(p, roster("-----DD-------")) == []   # one weekend, both days
    assert len(MaxWeekends().validate(p, roster("-----D-------N"))) == 1  # Sat wk1 + Sun wk2
    assert len(MaxWeekends().validate(p, roster("------N-----N-"))) == 1
    p.start_weekday = 5  # day 0 is a Saturday
    assert p.weekends() == [[0, 1], [7, 8]]
    assert len(MaxWeekends().validate(p, roster("D------D------"))) == 1


def test_days_off_and_fixed_cells():
    p = problem(horizon=4)
    p.days_off = {"A": frozenset({1})}
    p.fixed = {("A", 3): "N"}
    assert DaysOffAndFixed().validate(p, roster("D--N")) == []
    assert names(DaysOffAndFixed().validate(p, roster("DD-D"))) == [("days_off", 1),
                                                                   ("days_off", 3)]


# -- soft ----------------------------------------------------------------------------------
def test_requests_and_cover_penalties():
    p = problem(horizon=3)
    p.requests = [Request("A", 0, "D", 2, on=True), Request("A", 1, "N", 3, on=False)]
    p.cover = [Cover(0, "D", 1, 100, 1), Cover(1, "N", 0, 100, 1), Cover(2, "D", 2, 100, 1)]
    good = roster("D-D")
    assert Requests().validate(p, good) == []
    bad = roster("NN-")
    assert sum(v.penalty for v in Requests().validate(p, bad)) == 5
    cv = CoverRule().validate(p, bad)
    # day 0: D short 1 (100); day 1: N over 1 (1); day 2: D short 2 (200)
    assert sorted(v.penalty for v in cv) == [1, 100, 200]
    assert all(not v.hard for v in cv)
    assert penalty(validate(p, bad)) == 5 + 301


def test_change_penalty():
    p = problem(horizon=3)
    rule = ChangePenalty(roster("D-N"), weight=4)
    assert rule.validate(p, roster("D-N")) == []
    assert sum(v.penalty for v in rule.validate(p, roster("DDN"))) == 4


@pytest.mark.parametrize("rule", [DaysOffAndFixed(), ShiftTypeLimits(),
                                  TotalMinutes(), Successions(), MaxConsecutiveWork(),
                                  MinConsecutiveWork(), MinConsecutiveDaysOff(), MaxWeekends()])
def test_hard_rules_report_hard_violations(rule):
    p = Problem(horizon=7, shift_types=[D, N],
                employees=[Employee("A", max_shifts={"N": 0}, min_minutes=5000,
                                    max_minutes=100, max_consecutive=1, min_consecutive=3,
                                    min_days_off=3, max_weekends=0)],
                days_off={"A": {0}}, fixed={("A", 1): None}, min_rest_minutes=11 * 60)
    bad = roster("NN-ND-N")
    found = rule.validate(p, bad)
    assert found and all(v.hard for v in found), rule.name
