"""Each station rule's validator against hand-made good and bad rosters."""
from __future__ import annotations

from datetime import date

from scheduler.station import rules as sr
from scheduler.station.build import build
from scheduler.validate import validate
from tests.station_helpers import person, small_station


def hard_rules(sp, roster):
    problem, rules = build(sp)
    full = {(p.badge, d): roster.get((p.badge, d)) for p in sp.people for d in range(sp.days)}
    return [v for v in validate(problem, full, rules) if v.hard]


def test_skills_and_expiry():
    people = [person("S1", skills=("case",), case=date(2030, 3, 5)), person("S2", skills=("case",)),
              person("S3", skills=("patrol",))]
    sp = small_station(days=3, people=people, demand={(1, "Z", "CASE"): 2, (2, "Z", "CASE"): 2})
    rule = sr.Eligibility(sp)
    ok = {("S1", 1): "Z@CASE", ("S2", 1): "Z@CASE"}
    assert rule.validate(None, ok) == []
    late = {("S1", 2): "Z@CASE", ("S2", 2): "Z@CASE"}      # S1's 办案 expired on 03-05, day 2 is 03-06
    found = rule.validate(None, late)
    assert len(found) == 1 and found[0].employee == "S1" and "expired" in found[0].message and found[0].hard
    wrong = {("S3", 1): "Z@CASE"}
    assert "lacks skill case" in rule.validate(None, wrong)[0].message
    aux = small_station(days=1, people=[person("A1", sworn=False, skills=("case",))], demand={(0, "Z", "CASE"): 1})
    assert "may not take CASE" in sr.Eligibility(aux).validate(None, {("A1", 0): "Z@CASE"})[0].message


def test_team_rules():
    sp = small_station(days=1)
    rule = sr.TeamRules(sp)
    assert rule.validate(None, {("S1", 0): "D@PAT", ("A1", 0): "D@PAT"}) == []
    alone = rule.validate(None, {("A1", 0): "D@PAT", ("A2", 0): "D@PAT"})
    assert any("辅警 never work without a 民警" in v.message for v in alone)
    one = rule.validate(None, {("S1", 0): "D@PAT"})
    assert any("a patrol of 1, needs at least 2" in v.message for v in one)
    case = rule.validate(None, {("C1", 0): "Z@CASE"})
    assert any("1 民警, needs at least 2" in v.message for v in case)
    nodriver = small_station(days=1, people=[person("X1", skills=("patrol",)), person("X2", skills=("patrol",))])
    assert any("nobody on the crew holds driving" in v.message
               for v in sr.TeamRules(nodriver).validate(None, {("X1", 0): "D@PAT", ("X2", 0): "D@PAT"}))
    traffic = small_station(days=1, people=[person("T1", skills=("traffic",)), person("T2", sworn=False, skills=("traffic",)),
                                            person("T3", sworn=False, skills=("traffic",))])
    tr = sr.TeamRules(traffic)
    assert any("2 交警 / 1 交警 + 2 协管员" in v.message for v in tr.validate(None, {("T1", 0): "D@TRF", ("T2", 0): "D@TRF"}))
    assert tr.validate(None, {("T1", 0): "D@TRF", ("T2", 0): "D@TRF", ("T3", 0): "D@TRF"}) == []


def test_rest_rules_and_history():
    sp = small_station(days=4)
    assert hard_rules(sp, {("C1", 0): "Z@CASE", ("C2", 0): "Z@CASE"}) == []
    bad = hard_rules(sp, {("C1", 0): "Z@CASE", ("C2", 0): "Z@CASE", ("C1", 1): "N@PAT", ("S1", 1): "N@PAT"})
    assert any(v.rule in ("rest_after_24h", "succession") and v.employee == "C1" for v in bad)
    night_then_day = hard_rules(sp, {("S1", 0): "N@PAT", ("S2", 0): "N@PAT", ("S1", 1): "D@PAT", ("S3", 1): "D@PAT"})
    assert any(v.rule == "succession" and v.employee == "S1" for v in night_then_day)
    # history: a 24 h duty on the last day of the previous roster means day 0 is a rest day
    hist = small_station(days=2, history={"C1": [None, "Z@CASE"]})
    found = sr.RestAfter24h(hist).validate(None, {("C1", 0): "N@PAT"})
    assert found and found[0].day == 0


def test_max_nights_with_history():
    sp = small_station(days=3, history={"S1": ["N@PAT", "N@PAT"]})
    rule = sr.MaxNightsInARow(sp)
    found = rule.validate(None, {("S1", 0): "N@PAT"})
    assert len(found) == 1 and "3 nights in a row" in found[0].message
    assert rule.validate(None, {("S2", 0): "N@PAT", ("S2", 1): "N@PAT"}) == []


def test_soft_rules_report_penalties():
    sp = small_station(days=1)
    woman = sr.WomanOnDuty(sp).validate(None, {("S1", 0): "D@PAT", ("S2", 0): "D@PAT"})
    assert woman and all(not v.hard and v.penalty == sr.W_WOMAN for v in woman)
    assert not [v for v in sr.WomanOnDuty(sp).validate(None, {("S0", 0): "Z@CASE"}) if "day" in v.message]
    comm = small_station(days=1, people=[person("M1", skills=("patrol", "driving"), team="community",
                                                team_kind="community")])
    # no community post in the station: nothing to measure, nothing reported
    assert sr.CommunityShare(comm).validate(None, {("M1", 0): "D@PAT"}) == []
    from tests.station_helpers import COM_POST, POSTS
    with_com = small_station(days=1, people=comm.people, posts=POSTS + [COM_POST], demand={(0, "D", "PAT"): 2,
                                                                                         (0, "D", "COM"): 1})
    v = sr.CommunityShare(with_com).validate(None, {("M1", 0): "D@PAT"})
    assert v and "0% " in v[0].message.replace("(0%)", "0% ") and not v[0].hard


def test_requests():
    from scheduler.station.model import SRequest
    sp = small_station(days=2, requests=[SRequest("S1", 0, "N", on=False, weight=2),
                                         SRequest("S2", 1, None, on=True, weight=1)])
    found = sr.StationRequests(sp).validate(None, {("S1", 0): "N@PAT"})
    assert {v.employee for v in found} == {"S1", "S2"}
    assert sum(v.penalty for v in found) == 3 * sr.W_REQUEST
