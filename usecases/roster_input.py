"""From the station's records (stationdef dataclasses) to the solver's station problem.

Pure: no database here, so tests and benchmarks can build problems from generated stations.
"""
from __future__ import annotations

from datetime import date, timedelta

from scheduler.station.model import SNeed, SPerson, SPost, SRequest, SShift, SStaffing, StationRosterProblem
from stationdef.model import Person, StationDef


def to_problem(sd: StationDef, people: list[Person], start: date, days: int, day_kinds: dict[date, str], *,
               leave: list[dict] | None = None, requests: list[dict] | None = None,
               history: dict[str, list[str | None]] | None = None, prior: dict | None = None,
               name: str | None = None) -> StationRosterProblem:
    """``leave``: {badge, start, end, kind}; ``requests``: {badge, date, shift|None, kind on/off, weight};
    ``history``: slot codes of the days before ``start`` per badge, oldest first."""
    team_kind = {t.code: t.kind for t in sd.teams}
    active = [p for p in people if p.active]
    spersons = [SPerson(badge=p.badge, name=p.name, sex=p.sex, person_type=p.person_type, team=p.team,
                        team_kind=team_kind.get(p.team or ""), skills=dict(p.skills)) for p in active]
    shifts = [SShift(code=s.code, name=s.name, start_minute=s.start_minute, minutes=s.minutes, kind=s.kind)
              for s in sd.shifts]
    posts = [SPost(code=p.code, name=p.name, kind=p.kind, min_sworn=p.min_sworn, required_skills=p.required_skills,
                   crew_skills=p.crew_skills, allowed_types=p.allowed_types, needs_woman=p.needs_woman,
                   enforcement=p.enforcement,
                   staffing=tuple(SStaffing(needs=tuple(SNeed(n.count, n.types, n.skills) for n in a.need), name=a.name)
                                  for a in p.staffing))
             for p in sd.posts]
    kinds = [day_kinds[start + timedelta(days=d)] for d in range(days)]
    by_kind: dict[str, dict[tuple[str, str], int]] = {}
    for dm in sd.demand:
        by_kind.setdefault(dm.day_kind, {})[(dm.shift, dm.post)] = dm.count
    demand = {}
    for d, kind in enumerate(kinds):
        for (shift, post), n in by_kind.get(kind, {}).items():
            if n > 0:
                demand[(d, shift, post)] = n
    badges = {p.badge for p in spersons}
    unavailable: dict[str, dict[int, str]] = {}
    for lv in leave or []:
        if lv["badge"] not in badges:
            continue
        a, b = lv["start"], lv["end"]
        for d in range(days):
            day = start + timedelta(days=d)
            if a <= day <= b:
                unavailable.setdefault(lv["badge"], {})[d] = lv["kind"]
    reqs = []
    for r in requests or []:
        d = (r["date"] - start).days
        if r["badge"] in badges and 0 <= d < days:
            reqs.append(SRequest(badge=r["badge"], day=d, shift=r.get("shift"), on=r["kind"] == "on",
                                 weight=int(r.get("weight", 1))))
    params = {r.key: r.value for r in sd.rules}
    return StationRosterProblem(start=start, days=days, people=spersons, shifts=shifts, posts=posts,
                                day_kinds=kinds, demand=demand, params=params, unavailable=unavailable,
                                requests=reqs, history=history or {}, prior=prior or {},
                                skill_names={k.code: (k.name, k.name_en or k.code) for k in sd.skills},
                                name=name or f"{sd.station.code} {start.isoformat()}+{days}")


def plain_day_kinds(start: date, days: int) -> dict[date, str]:
    """Mon-Fri workday, Sat-Sun weekend (for tests and generated stations without a calendar)."""
    return {start + timedelta(days=d): ("weekend" if (start + timedelta(days=d)).weekday() >= 5 else "workday")
            for d in range(days)}
