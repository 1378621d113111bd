"""The law's own alternatives and service posts (issue 22 items 3-5): staffing compositions per
post, service posts without enforcement staffed by 文职辅警 alone, hot spots with several active
windows each visited. Station-file checks, validators, solver, explanations, storage."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from errors import InputError
from scheduler.engine import SolveOptions
from scheduler.station import rules as sr
from scheduler.station.build import build, solve_station
from scheduler.station.model import SNeed, SPerson, SPost, SStaffing
from scheduler.station.report import compositions, shortfalls
from scheduler.validate import validate
from stationdef.toml_file import parse_station_text
from tests.station_helpers import person, small_station

REPO = Path(__file__).resolve().parent.parent
SAMPLE = (REPO / "stationdef" / "rural_station.toml").read_text(encoding="utf-8")
_START = SAMPLE.index("# 《交通警察道路执勤执法工作规范》第70条")
# the sample without its road-duty staffing and with an enforcement window, to vary here
RURAL = (SAMPLE[:_START] + SAMPLE[SAMPLE.index("]\n", SAMPLE.index("staffing = [", _START)) + 2:]).replace(
    "enforcement = false           # service work, no enforcement: a 文职辅警 may staff it alone\nmin_sworn = 0",
    "min_sworn = 1", 1)
FAST = dict(time_limit=4, num_workers=2, seed=1)


def aux(badge, ptype="duty_aux", skills=("traffic",)):
    return SPerson(badge=badge, name=f"P{badge}", sex="M", person_type=ptype, team="traffic", team_kind="traffic",
                   skills={s: None for s in skills})


def solve_and_check(sp):
    res = solve_station(sp, SolveOptions(**FAST))
    problem, rules = build(sp)
    found = validate(problem, res.solution.assignment, rules)
    assert [v for v in found if v.hard] == []
    assert res.solution.objective == sum(v.penalty for v in found if not v.hard)
    return res.solution.assignment, found


# -- staffing compositions ------------------------------------------------------------------------

ROAD = SPost("ROAD", "道路执勤", "traffic", min_sworn=1, required_skills=("traffic",),
             allowed_types=("sworn", "duty_aux", "assistant"))
CHECK = SPost("CHK", "夜查卡点", "traffic", min_sworn=1, required_skills=("traffic",),
              allowed_types=("sworn", "duty_aux", "assistant"),
              staffing=(SStaffing((SNeed(3, ("sworn",)),), "3 交警"),
                        SStaffing((SNeed(2, ("sworn",)), SNeed(2, ("duty_aux", "assistant"))), "2 交警 + 2 协管员")))


def test_road_duty_alternatives_are_validated_and_named():
    people = [person("T1", skills=("traffic",)), person("T2", skills=("traffic",)), aux("X1"), aux("X2")]
    sp = small_station(days=1, people=people, posts=[ROAD], demand={(0, "D", "ROAD"): 3})
    rule = sr.TeamRules(sp)
    bad = rule.validate(None, {("T1", 0): "D@ROAD", ("X1", 0): "D@ROAD"})
    assert [v.rule for v in bad] == ["team_composition"] and bad[0].hard
    assert "2 交警 / 1 交警 + 2 协管员" in bad[0].message and "第70、72条" in bad[0].msg.render("zh")
    assert rule.validate(None, {("T1", 0): "D@ROAD", ("X1", 0): "D@ROAD", ("X2", 0): "D@ROAD"}) == []
    assert rule.validate(None, {("T1", 0): "D@ROAD", ("T2", 0): "D@ROAD"}) == []
    used = compositions(sp, {("T1", 0): "D@ROAD", ("X1", 0): "D@ROAD", ("X2", 0): "D@ROAD"})
    assert used == [{"date": "2030-03-04", "shift": "D", "post": "ROAD", "crew": ["T1", "X1", "X2"],
                     "composition": "1 交警 + 2 协管员", "composition_zh": "1 交警 + 2 协管员",
                     "alternatives": ["2 交警", "1 交警 + 2 协管员"], "alternatives_zh": ["2 交警", "1 交警 + 2 协管员"]}]


def test_unnamed_alternatives_and_crews_are_worded_by_person_type_and_skill_name():
    """A composition the station file does not name is spelled out from its needs, with person
    types and skills in the reader's language (never the codes sworn / duty_aux)."""
    post = SPost("CHK", "夜查卡点", "traffic", min_sworn=1, required_skills=("traffic",),
                 allowed_types=("sworn", "duty_aux", "assistant"),
                 staffing=(SStaffing((SNeed(2, ("sworn",), ("traffic",)),)),
                           SStaffing((SNeed(1, ("sworn",)), SNeed(2, ("duty_aux", "assistant"))))))
    people = [person("T1", skills=("traffic",)), aux("X1")]
    sp = small_station(days=1, people=people, posts=[post], demand={(0, "N", "CHK"): 2},
                       skill_names={"traffic": ("交通", "Traffic")})
    [bad] = [v for v in sr.TeamRules(sp).validate(None, {("T1", 0): "N@CHK", ("X1", 0): "N@CHK"})
             if v.rule == "team_composition"]
    zh, en = bad.msg.render("zh"), bad.msg.render("en")
    assert "人员组合 1 勤务辅警+1 民警 不符合任一种：2 民警（交通） / 1 民警+2 勤务辅警/治安协理员" in zh, zh
    assert ("the crew 1 duty auxiliary+1 sworn officer meets none of the staffings: 2 sworn officer (Traffic) / "
            "1 sworn officer+2 duty auxiliary/security assistant") in en, en
    assert "duty_aux" not in zh + en and "sworn " not in zh
    [used] = compositions(sp, {("T1", 0): "N@CHK", ("X1", 0): "N@CHK"})
    assert used["composition"] is None and used["alternatives_zh"][1] == "1 民警+2 勤务辅警/治安协理员"


def test_checkpoint_solver_picks_the_alternative_the_people_allow():
    # only 2 交警 with the traffic skill: "3 交警" is impossible, so each night is 2 交警 + 2 协管员
    people = [person("T1", skills=("traffic",)), person("T2", skills=("traffic",)), person("T3"),
              aux("X1"), aux("X2"), aux("X3", "assistant")]
    sp = small_station(days=2, people=people, posts=[CHECK], demand={(0, "N", "CHK"): 3, (1, "N", "CHK"): 3})
    sp.params["max_nights_in_a_row"] = 3
    roster, found = solve_and_check(sp)
    used = compositions(sp, roster)
    assert [c["composition"] for c in used] == ["2 交警 + 2 协管员"] * 2
    assert all(len(c["crew"]) == 4 for c in used)                   # one over the demand of 3, legally
    assert sr.TeamRules(sp).validate(None, {("T1", 0): "N@CHK", ("T2", 0): "N@CHK", ("X1", 0): "N@CHK"})


def test_checkpoint_with_three_sworn_takes_three():
    people = [person(f"T{i}", skills=("traffic",)) for i in range(6)] + [aux("X1"), aux("X2")]
    sp = small_station(days=1, people=people, posts=[CHECK], demand={(0, "N", "CHK"): 3})
    roster, found = solve_and_check(sp)
    assert [c["composition"] for c in compositions(sp, roster)] == ["3 交警"]
    assert not [v for v in found if v.rule == "cover"]


# -- service posts without enforcement --------------------------------------------------------

def window(enforcement: bool) -> SPost:
    return SPost("WIN", "一窗通办", "window", min_sworn=0 if not enforcement else 1, required_skills=("window",),
                 allowed_types=("sworn", "civil_aux"), enforcement=enforcement)


def test_civilian_auxiliary_alone_on_a_service_post():
    people = [aux("W1", "civil_aux", ("window",)), person("S1")]
    service = small_station(days=2, people=people, posts=[window(False)], demand={(0, "D", "WIN"): 1, (1, "D", "WIN"): 1})
    assert sr.TeamRules(service).validate(None, {("W1", 0): "D@WIN"}) == []
    roster, found = solve_and_check(service)
    assert roster[("W1", 0)] == "D@WIN" and not [v for v in found if v.rule == "cover"]
    # the same window as an enforcement post: a 文职辅警 alone breaks the rule, quoting its source
    enforced = small_station(days=2, people=people, posts=[window(True)], demand={(0, "D", "WIN"): 1, (1, "D", "WIN"): 1})
    bad = sr.TeamRules(enforced).validate(None, {("W1", 0): "D@WIN"})
    assert [v.rule for v in bad] == ["team_aux"] and "警务辅助人员条例" in bad[0].message
    roster, found = solve_and_check(enforced)
    assert roster[("W1", 0)] is None and len(shortfalls(enforced, roster)) == 2


# -- the station file ---------------------------------------------------------------------------

ROAD_TOML = '''post = "ROAD"
shift = "T"'''


def with_post_lines(extra: str, post: str = "ROAD") -> str:
    marker = f'code = "{post}"\n'
    assert marker in RURAL
    head, tail = RURAL.split(marker, 1)
    return head + marker + extra + "\n" + tail


def problems(text: str):
    with pytest.raises(InputError) as exc:
        parse_station_text(text, file="s.toml")
    return exc.value.problems


def test_the_sample_station_file_uses_them():
    sd = parse_station_text(SAMPLE)
    posts = {p.code: p for p in sd.posts}
    assert [a.name for a in posts["ROAD"].staffing] == ["2 交警", "1 交警 + 2 协管员"]
    assert not posts["WIN"].enforcement and posts["WIN"].min_sworn == 0
    parse_station_text(RURAL)        # the variant the tests below start from is a valid file too


def test_station_file_staffing_alternatives():
    sd = parse_station_text(with_post_lines(
        'staffing = [{ name = "2 交警", need = [{ count = 2, types = ["sworn"] }] },\n'
        '            { need = [{ count = 1, types = ["sworn"], skills = ["traffic"] }, { count = 2, types = ["duty_aux"] }] }]'))
    road = next(p for p in sd.posts if p.code == "ROAD")
    assert [a.name for a in road.staffing] == ["2 交警", None]
    assert road.staffing[1].need[0].skills == ("traffic",) and road.staffing[1].need[1].count == 2
    for bad, text in [('staffing = [{ need = [{ count = 2, types = ["civil_aux"] }] }]', "civil_aux"),
                      ('staffing = [{ need = [{ count = 0 }] }]', "count"),
                      ('staffing = [{ need = [{ count = 1, skills = ["flying"] }] }]', "flying"),
                      ('staffing = "2 交警"', "staffing"),
                      ('staffing = [{ count = 2 }]', "staffing")]:
        found = problems(with_post_lines(bad))
        assert [p.field for p in found] == ["posts[4].staffing"] and text in found[0].message, bad
        assert found[0].line is not None


def test_station_file_service_posts():
    win = 'enforcement = false\n'
    ok = parse_station_text(with_post_lines(win, "WIN").replace(
        'allowed_types = ["sworn", "civil_aux"]', 'allowed_types = ["sworn", "civil_aux"]', 1)
        .replace('min_sworn = 1\nrequired_skills = ["window"]', 'min_sworn = 0\nrequired_skills = ["window"]', 1))
    w = next(p for p in ok.posts if p.code == "WIN")
    assert not w.enforcement and w.min_sworn == 0
    # an enforcement post cannot be declared a service post; the source is quoted
    found = problems(with_post_lines(win, "CALL"))
    assert [p.field for p in found] == ["posts[2].enforcement"] and "警务辅助人员条例" in found[0].message
    # without the declaration a window with auxiliaries still needs a 民警
    found = problems(RURAL.replace('min_sworn = 1\nrequired_skills = ["window"]', 'min_sworn = 0\nrequired_skills = ["window"]', 1))
    assert [p.field for p in found] == ["posts[3].min_sworn"] and "enforcement = false" in found[0].message
    # a service post alone: civilian auxiliaries only
    text = with_post_lines(win, "WIN").replace('min_sworn = 1\nrequired_skills = ["window"]\nallowed_types = ["sworn", "civil_aux"]',
                                               'min_sworn = 0\nrequired_skills = ["window"]\nallowed_types = ["sworn", "civil_aux", "duty_aux"]', 1)
    found = problems(text)
    assert [p.field for p in found] == ["posts[3].allowed_types"] and "duty_aux" in found[0].message


def test_station_file_hot_spot_windows():
    text = RURAL.replace('active = "18:00-02:00"', 'active = ["07:00-09:30", "17:00-19:30"]', 1)
    sd = parse_station_text(text)
    spot = next(h for h in sd.hot_spots if h.code == "crossroads")
    assert spot.active_windows == (("07:00", "09:30"), ("17:00", "19:30")) and spot.active_from == "07:00"
    one = next(h for h in sd.hot_spots if h.code == "market")
    assert one.windows == () and one.active_windows == (("06:00", "13:00"),)
    for bad in ('active = []', 'active = ["07:00-09:30", 7]', 'active = ["7点-9点"]'):
        found = problems(RURAL.replace('active = "18:00-02:00"', bad, 1))
        assert [p.field for p in found] == ["hot_spots[4].active"], bad


def test_new_fields_are_stored_and_shown(cli_run, tmp_path):
    from stationdef.samples import rural_station
    from tests.test_station_sense import write_people
    text = with_post_lines('staffing = [{ name = "2 交警", need = [{ count = 2, types = ["sworn"] }] }]')
    text = text.replace('active = "18:00-02:00"', 'active = ["07:00-09:30", "17:00-19:30"]', 1)
    station = tmp_path / "s.toml"
    station.write_text(text, encoding="utf-8")
    people = write_people(tmp_path / "p.csv", rural_station()[1])
    assert cli_run("init", "--station", str(station), "--people", str(people)).exit_code == 0
    show = json.loads(cli_run("station", "show", "--json").stdout)
    road = next(p for p in show["posts"] if p["code"] == "ROAD")
    assert road["enforcement"] and road["staffing"] == [{"need": [{"count": 2, "types": ["sworn"], "skills": []}],
                                                          "name": "2 交警"}]
    spot = next(h for h in show["hot_spots"] if h["code"] == "crossroads")
    assert spot["windows"] == [["07:00", "09:30"], ["17:00", "19:30"]]
    rules = {r["code"]: r for r in show["rule_list"]}
    assert rules["max_weekends"]["hard"] is False and rules["max_weekends"]["params"][0]["value"] == 3
    assert rules["aux_overtime"]["source"].startswith("Labour Law") and rules["aux_overtime"]["enforcer"]


# -- hot spots with several windows ----------------------------------------------------------------

def test_every_active_window_gets_a_visit_and_zero_is_reported():
    from scheduler.patrol.model import PatrolProblem, Plan, Spot, Team
    from scheduler.patrol.planner import plan_night
    from scheduler.patrol.validate import validate_plan
    from stationdef.model import HotSpot
    from usecases.patrol import spot_windows
    school = HotSpot("school", "中学", 2.0, 400, 300, active_from="21:30", active_to="22:30")
    metro = HotSpot("metro", "地铁口", 2.5, -600, 200, windows=(("20:00", "21:00"), ("06:30", "08:00")))
    wins = spot_windows(metro, 20 * 60, 720)
    assert wins == ((0, 60), (630, 720))
    spots = [Spot(h.code, h.name, h.risk, h.x_m, h.y_m, spot_windows(h, 20 * 60, 720)) for h in (school, metro)]
    spots.append(Spot("bar", "酒吧街", 4.0, 900, -300, ((0, 420),)))
    p = PatrolProblem(night_start="2030-03-04T20:00:00+08:00", minutes=720, spots=spots,
                      teams=[Team("PAT1", "巡逻1")], seed=3, max_gap=120)
    for seed in range(4):            # the short window gets its visit whatever the random phase
        p.seed = seed
        plan = plan_night(p, time_limit=3)
        assert not [x for x in validate_plan(p, plan) if x["hard"]]
        for s in spots:
            for a, b in s.windows:
                assert any(v.spot == s.code and a <= v.arrive < b for v in plan.visits if v.kind == "visit") or \
                    any(u["spot"] == s.code for u in plan.uncovered)
    empty = Plan(seed=0, visits=[])
    found = [x for x in validate_plan(p, empty) if x["rule"] == "window_unvisited"]
    assert {(x["spot"], x["hard"]) for x in found} == {("school", True), ("metro", True), ("bar", True)}
    assert len([x for x in found if x["spot"] == "metro"]) == 2


def test_the_new_post_and_hot_spot_fields_are_vouched_for(cli_run, demo_db):
    """Declaring a post a service post (or changing its staffing, or a hot spot's windows) behind
    dutydesk's back is seen by audit verify; a station that does not use them verifies as before."""
    from tests.test_tamper import tamper, verify
    assert verify(cli_run)["ok"]
    tamper(demo_db, "UPDATE posts SET enforcement = 0, min_sworn = 0 WHERE code = 'WIN'")
    r = verify(cli_run)
    assert not r["ok"] and any(p["record"] == "station" for p in r["problems"])
