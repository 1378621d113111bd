"""Every documented rule parameter is enforced and validated (issue 22 item 2): for each rule a
validator test on hand-made rosters and a solver test whose roster the validators then check.

Rules: maximum weekends per 4 weeks (rolling windows, history counted); a woman on a post that
needs one (soft, separate from the station-wide woman on duty); the 辅警 overtime cap per
calendar month with the other approved rosters of the month counted; nights in a row counting
night shifts only; community share only where community posts exist."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from scheduler.engine import SolveOptions
from scheduler.station import rules as sr
from scheduler.station.build import build, solve_station
from scheduler.station.model import SPost
from scheduler.validate import validate
from tests.station_helpers import COM_POST, POSTS, person, small_station

FAST = dict(time_limit=4, num_workers=2, seed=1)


def solve_and_check(sp):
    """Solve, then validate independently: no hard violation, the objective is the validators'."""
    res = solve_station(sp, SolveOptions(**FAST))
    problem, rules = build(sp)
    found = validate(problem, res.solution.assignment, rules)
    assert [v for v in found if v.hard] == []
    assert res.solution.objective == sum(v.penalty for v in found if not v.hard)
    return res.solution.assignment, found


# -- max weekends per 4 weeks -------------------------------------------------------------------

WKD = SPost("WKD", "周末值守", "standby", min_sworn=1, required_skills=("x",), allowed_types=("sworn",))


def weekend_station(cap: int, history=None, days=28):
    people = [person(f"W{i}", skills=("x",)) for i in range(4)]
    demand = {(d, "D", "WKD"): 1 for d in range(days) if (date(2030, 3, 4) + timedelta(days=d)).weekday() >= 5}
    sp = small_station(days=days, people=people, demand=demand, posts=[WKD], history=history or {})
    sp.params["max_weekends_per_4_weeks"] = cap
    return sp


def test_weekends_validator_counts_rolling_windows_with_history():
    sp = weekend_station(3)
    rule = sr.WeekendsPer4Weeks(sp)
    four = {("W0", d): "D@WKD" for d in (5, 12, 19, 26)}      # one day of each of the 4 weekends
    found = rule.validate(None, four)
    assert len(found) == 1 and found[0].employee == "W0" and not found[0].hard
    assert found[0].penalty == sr.W_WEEKENDS and "4 of the 4 weekends" in found[0].message
    assert rule.validate(None, {("W0", d): "D@WKD" for d in (5, 6, 12, 13, 19, 20)}) == []   # 3 weekends
    # history: the 3 weekends before the period were worked, so one more in the first weekend breaks it
    hist = [None] * 28
    for i in range(28):
        day = date(2030, 3, 4) - timedelta(days=28 - i)
        if day.weekday() == 5 and day >= date(2030, 2, 16):
            hist[i] = "D@WKD"
    sp = weekend_station(3, history={"W1": hist}, days=14)
    rule = sr.WeekendsPer4Weeks(sp)
    assert [v.employee for v in rule.validate(None, {("W1", 5): "D@WKD"})] == ["W1"]
    assert rule.validate(None, {("W1", 12): "D@WKD"}) == []       # that window holds only 2 past weekends


def test_weekends_solver_spreads_weekends():
    sp = weekend_station(1)         # 4 people, 4 weekends of 2 days: each takes one whole weekend
    roster, found = solve_and_check(sp)
    assert not [v for v in found if v.rule in ("max_weekends", "cover")]
    for i in range(4):
        worked = {(sp.date(d) - timedelta(days=sp.date(d).weekday() - 5)) for d in range(sp.days)
                  if roster.get((f"W{i}", d))}
        assert len(worked) == 1


# -- a woman on a post that needs one ----------------------------------------------------------

STB = SPost("STB", "备勤", "standby", min_sworn=1, required_skills=("patrol",), allowed_types=("sworn",),
            needs_woman=True)


def woman_station(days=4):
    people = [person(f"S{i}", sex="F" if i in (0, 3) else "M") for i in range(8)]
    demand = {}
    for d in range(days):
        demand[(d, "N", "STB")] = 1
        demand[(d, "D", "PAT")] = 2
    return small_station(days=days, people=people, demand=demand, posts=POSTS + [STB])


def test_post_woman_validator_is_separate_from_woman_on_duty():
    sp = woman_station(days=1)
    roster = {("S0", 0): "D@PAT", ("S1", 0): "D@PAT", ("S2", 0): "N@STB"}     # a woman on patrol, a man on standby
    assert sr.WomanOnDuty(sp).validate(None, roster) != []    # nobody female at night at all
    post = sr.PostWoman(sp).validate(None, roster)
    assert len(post) == 1 and post[0].rule == "post_woman" and not post[0].hard
    assert post[0].penalty == sr.W_POST_WOMAN and "备勤" in post[0].message
    assert sr.PostWoman(sp).validate(None, {("S3", 0): "N@STB"}) == []
    # a woman elsewhere that night satisfies the station-wide rule, not the post's
    both = {("S3", 0): "N@PAT", ("S2", 0): "N@STB"}
    assert not [v for v in sr.WomanOnDuty(sp).validate(None, both) if "night" in v.message]
    assert len(sr.PostWoman(sp).validate(None, both)) == 1


def test_post_woman_solver_puts_women_on_the_post():
    sp = woman_station(days=4)
    roster, found = solve_and_check(sp)
    assert not [v for v in found if v.rule == "post_woman"]
    women = {"S0", "S3"}
    assert all(any(b in women for (b, d), c in roster.items() if d == day and c == "N@STB") for day in range(4))


# -- the 辅警 overtime cap per calendar month -----------------------------------------------------

def aux_station(outside_march: int, days=14):
    """From Monday 2030-03-25: 7 days in March, 7 in April; A1 worked ``outside_march`` minutes
    earlier in March in another approved roster."""
    people = [person("S1"), person("S2"), person("S3"), person("A1", sworn=False)]
    demand = {(d, "D", "PAT"): 2 for d in range(days)}
    sp = small_station(days=days, people=people, demand=demand, month_minutes={"A1": {"2030-03": outside_march}})
    return replace(sp, start=date(2030, 3, 25))


def test_aux_month_cap_validator_counts_other_rosters_per_month():
    sp = aux_station(12000)      # March cap: 40 h x 31 / 7 + 36 h = 213.1 h; 200 h already worked
    caps = sr.aux_month_caps(sp, "A1")
    assert set(caps) == {"2030-03", "2030-04"} and caps["2030-03"][3] == caps["2030-03"][1] - 12000
    rule = sr.AuxOvertimeMonth(sp)
    assert rule.validate(None, {("A1", 0): "D@PAT"}) == []                          # 212 h
    two = rule.validate(None, {("A1", 0): "D@PAT", ("A1", 1): "D@PAT"})              # 224 h
    assert len(two) == 1 and two[0].hard and "2030-03" in two[0].message and "200 h" in two[0].message
    # April is its own month: the same two shifts there are fine
    assert rule.validate(None, {("A1", 8): "D@PAT", ("A1", 9): "D@PAT"}) == []
    assert sr.AuxOvertimeMonth(aux_station(0)).validate(None, {("A1", 0): "D@PAT", ("A1", 1): "D@PAT"}) == []


def test_aux_month_cap_solver_keeps_the_cap():
    sp = aux_station(12000)
    roster, found = solve_and_check(sp)
    march = [d for d in range(7) if roster.get(("A1", d))]
    assert len(march) <= 1
    # without the earlier roster's hours the 辅警 helps in March as much as the rest rules allow
    roster0, _ = solve_and_check(aux_station(0))
    assert len([d for d in range(7) if roster0.get(("A1", d))]) > 1


# -- nights in a row count nights, not 24 h duties ---------------------------------------------

def no_rest_after_24h(sp):
    sp.params["rest_days_after_24h"] = 0     # so that a night may follow a 24 h duty at once
    return sp


def test_nights_rule_does_not_count_24h_duties():
    sp = no_rest_after_24h(small_station(days=3, history={"C1": [None, "Z@CASE"]}))
    rule = sr.MaxNightsInARow(sp)
    assert rule.validate(None, {("C1", 0): "N@PAT", ("C1", 1): "N@PAT"}) == []
    sp = small_station(days=3, history={"S1": ["N@PAT", "N@PAT"]})
    assert len(sr.MaxNightsInARow(sp).validate(None, {("S1", 0): "N@PAT"})) == 1
    # the explanation of a blocked cell no longer calls a 24 h duty a night
    from scheduler.station.report import blockers
    sp = no_rest_after_24h(small_station(days=3))
    roster = {("C1", 0): "Z@CASE", ("C1", 1): "N@PAT"}
    why = blockers(sp, roster, "C1", 2, "N", "PAT")
    assert not [b for b in why if b["code"] == "nights"]
    roster = {("C1", 0): "N@PAT", ("C1", 1): "N@PAT"}
    assert [b for b in blockers(sp, roster, "C1", 2, "N", "PAT") if b["code"] == "nights"]


def test_nights_solver_with_24h_history_may_work_two_nights():
    people = [person("C1", skills=("patrol", "driving", "case")), person("S1")]
    sp = no_rest_after_24h(small_station(days=2, people=people, demand={(0, "N", "PAT"): 2, (1, "N", "PAT"): 2},
                                         history={"C1": [None, "Z@CASE"]}))
    roster, found = solve_and_check(sp)
    assert not [v for v in found if v.rule == "cover"]          # needs C1 both nights: allowed


# -- community share only where community posts exist -------------------------------------------

def test_community_share_solver_only_with_community_posts():
    officer = person("M1", skills=("patrol", "driving", "community"), team="community", team_kind="community")
    people = [officer, person("S1"), person("S2")]
    none = small_station(days=2, people=people, demand={(d, "D", "PAT"): 2 for d in range(2)})
    _, found = solve_and_check(none)
    assert not [v for v in found if v.rule == "community_share"]
    with_com = small_station(days=2, people=people + [person("S3", skills=("community",))],
                             posts=POSTS + [COM_POST], demand={**{(d, "D", "PAT"): 2 for d in range(2)},
                                                               **{(d, "D", "COM"): 1 for d in range(2)}})
    roster, found = solve_and_check(with_com)
    assert all(roster.get(("M1", d)) in (None, "D@COM") for d in range(2))    # the officer stays in the community


def test_aux_month_cap_counts_the_approved_rosters_before_and_after_from_the_database(make_ctx):
    """Through the product's path: rosters approved earlier and later in January are loaded by
    load_problem, and the 辅警 cap left for a roster between them is what they leave."""
    from usecases import approval
    from usecases.roster import RosterRef, generate, load_problem, show
    from usecases.station import init_station
    from usecases.users import add_user
    from stationdef.samples import rural_station
    ctx = make_ctx("clerk")
    sd, people = rural_station()
    init_station(ctx, sd, people, source="test")
    with ctx.open() as s:
        add_user(s, "clerk", roles=["admin", "chief", "duty"])
        made = {}
        for start in (date(2027, 1, 4), date(2027, 1, 25)):
            r = generate(s, start, 7, time_limit=3, seed=1, workers=2, today=date(2027, 1, 1))
            ref = RosterRef(r["roster_id"], r["version"])
            approval.transition(s, ref, "submit")
            approval.transition(s, ref, "approve", reason="test")
            made[start] = show(s, ref)
        sp, _ = load_problem(s, date(2027, 1, 11), 14)
    aux = [p.badge for p in people if p.person_type != "sworn"]
    minutes = {p.code: p.minutes for p in sd.shifts}
    worked = {b: 0 for b in aux}
    for r in made.values():
        for row in r["assignments"]:
            if row["badge"] in worked:
                worked[row["badge"]] += minutes[row["shift"]]
    loaded = {b: sp.month_minutes.get(b, {}).get("2027-01", 0) for b in aux}
    assert any(loaded.values()) and loaded == worked              # the rosters before and after are counted
    b = max(loaded, key=loaded.get)
    days, cap, outside, left = sr.aux_month_caps(sp, b)["2027-01"]
    assert outside == loaded[b] and left == cap - loaded[b] and len(days) == 14
