"""Small station problems built in code, for the station roster tests."""
from __future__ import annotations

from datetime import date

from scheduler.station.model import SPerson, SPost, SShift, StationRosterProblem

START = date(2030, 3, 4)   # a Monday
SHIFTS = [SShift("D", "白班", 8 * 60, 720, "day"), SShift("N", "夜班", 20 * 60, 720, "night"),
          SShift("Z", "24小时值班", 8 * 60, 1440, "24h")]
POSTS = [SPost("PAT", "巡逻", "patrol", min_sworn=1, required_skills=("patrol",), crew_skills=("driving",),
               allowed_types=("sworn", "duty_aux")),
         SPost("CASE", "办案值班", "case", min_sworn=2, required_skills=("case",), allowed_types=("sworn",)),
         SPost("TRF", "交通岗", "traffic", min_sworn=1, required_skills=("traffic",),
               allowed_types=("sworn", "duty_aux"))]
PARAMS = {"min_rest_hours": 11, "rest_days_after_24h": 1, "no_day_after_night": True, "max_nights_in_a_row": 2,
          "max_consecutive_days": 6, "weekly_hours": 40, "aux_overtime_cap_hours_month": 36,
          "community_share_min": 0.8, "patrol_team_min": 2, "case_duty_min_sworn": 2}


def person(badge, sworn=True, sex="M", skills=("patrol", "driving"), team="command", team_kind="command", **exp):
    sk = {s: exp.get(s) for s in skills}
    return SPerson(badge=badge, name=f"P{badge}", sex=sex, person_type="sworn" if sworn else "duty_aux",
                   team=team, team_kind=team_kind, skills=sk)


COM_POST = SPost("COM", "社区警务", "community", min_sworn=1, required_skills=("community",),
                 allowed_types=("sworn", "assistant"))


def small_station(days=7, people=None, demand=None, posts=None, **kw) -> StationRosterProblem:
    if people is None:
        people = ([person(f"S{i}", sex="F" if i % 3 == 0 else "M") for i in range(8)]
                  + [person(f"A{i}", sworn=False) for i in range(4)]
                  + [person(f"C{i}", skills=("case", "patrol")) for i in range(6)])
    if demand is None:
        demand = {}
        for d in range(days):
            demand[(d, "D", "PAT")] = 2
            demand[(d, "N", "PAT")] = 2
            demand[(d, "Z", "CASE")] = 2
    return StationRosterProblem(start=START, days=days, people=people, shifts=SHIFTS, posts=posts or POSTS,
                                day_kinds=["weekend" if (START.weekday() + d) % 7 >= 5 else "workday"
                                           for d in range(days)],
                                demand=demand, params=dict(PARAMS), **kw)
