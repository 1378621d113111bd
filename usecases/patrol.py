"""Night patrol use cases: plan tonight's hot-spot visits from the roster, show a plan with
planned-against-done, record check-ins, print the briefing sheet."""
from __future__ import annotations

import json
import secrets
from datetime import date, datetime, timedelta

import arrow

from db import patrols as patrol_db
from db import rosters as rdb
from db import station as station_db
from db import units as units_db
from db.audit import utc_now
from errors import InputError, InputProblem, NotFound, Refused
from usecases.context import Session

AUX = ("duty_aux", "civil_aux", "assistant")


def _hm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def _windows(active_from: str, active_to: str, night_start: int, minutes: int) -> tuple[tuple[int, int], ...]:
    """A hot spot's daily active time as intervals within the night [night_start, +minutes)."""
    s, e = _hm(active_from), _hm(active_to)
    if e <= s:
        e += 1440
    out = []
    for off in (-1440, 0, 1440):
        lo, hi = max(s + off, night_start), min(e + off, night_start + minutes)
        if hi > lo:
            out.append((lo - night_start, hi - night_start))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(out):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return tuple(merged)


def _parse_commitment(text: str):
    from scheduler.patrol.model import Commitment
    parts = [p.strip() for p in text.split(",")]
    try:
        team, a, b = parts[:3]
        return Commitment(team=team, name=parts[3] if len(parts) > 3 else "checkpoint", start=_hm(a), end=_hm(b))
    except (ValueError, IndexError):
        raise InputError(InputProblem(file="command line", field="--commitment",
                                      message=f"'{text}' must look like PAT1,22:00,23:00[,hot_spot]")) from None


def build_problem(session: Session, day: date, *, seed: int, commitments: list[str] = ()):
    """Tonight's teams from the live roster and the station's hot spots. Returns (problem, info)."""
    from scheduler.patrol.model import Commitment, PatrolProblem, Spot, Team
    sdb = session.sdb
    sd = station_db.load_station(sdb)
    rules = {r.key: r.value for r in sd.rules}
    from stationdef.rules import RULE_SPECS
    param = lambda k: rules.get(k, RULE_SPECS[k].default)  # noqa: E731
    posts = {p.code: p for p in sd.posts}
    nights = [s for s in sd.shifts if s.kind == "night"]
    if not nights:
        raise Refused("the station has no night shift (a shift of kind 'night'); nothing to plan")
    rows = rdb.live_assignments(sdb, day, day)
    people = {p.badge: p for p in station_db.load_people(sdb)}
    by_shift = {s.code: [r for r in rows if r["shift"] == s.code and posts[r["post"]].kind in ("patrol", "foot_patrol")]
                for s in nights}
    shift = max(nights, key=lambda s: len(by_shift[s.code]))
    if not rows:
        raise Refused(f"no approved or published roster covers {day}; approve the roster first "
                      "(patrol teams come from it)")
    teams, excluded = [], []
    crews: dict[str, list] = {}
    for r in by_shift[shift.code]:
        crews.setdefault(r["post"], []).append(people[r["badge"]])
    min_team = int(param("patrol_team_min"))
    for code, crew in sorted(crews.items()):
        sworn = sum(p.person_type == "sworn" for p in crew)
        if len(crew) < min_team or sworn < 1:
            excluded.append({"team": code, "why": f"{len(crew)} people, {sworn} 民警: a patrol needs at least "
                                                  f"{min_team} with a 民警"})
            continue
        teams.append(Team(code=code, name=posts[code].name,
                          members=tuple({"badge": p.badge, "name": p.name, "person_type": p.person_type}
                                        for p in crew)))
    zone = sd.station.zone
    start = arrow.get(datetime(day.year, day.month, day.day), zone).shift(minutes=shift.start_minute)
    spots = [Spot(code=h.code, name=h.name, risk=h.risk, x_m=h.x_m, y_m=h.y_m,
                  windows=_windows(h.active_from, h.active_to, shift.start_minute, shift.minutes))
             for h in sd.hot_spots]
    spot_pos = {h.code: (h.x_m, h.y_m) for h in sd.hot_spots}
    comms = []
    for text in commitments:
        c = _parse_commitment(text)
        rel = lambda t: (t - shift.start_minute) % 1440  # noqa: E731
        x, y = spot_pos.get(c.name, (0.0, 0.0))
        comms.append(Commitment(team=c.team, name=c.name, start=rel(c.start), end=rel(c.start) + (c.end - c.start) % 1440,
                                x_m=x, y_m=y))
    brk = int(param("patrol_break_minutes"))
    problem = PatrolProblem(night_start=start.isoformat(), minutes=shift.minutes, spots=spots, teams=teams, seed=seed,
                            speed_m_per_min=float(param("patrol_speed_kmh")) * 1000 / 60,
                            max_gap=int(param("patrol_max_gap_minutes")), free_share=float(param("patrol_free_share")),
                            break_minutes=brk, break_window=(shift.minutes // 3, shift.minutes * 2 // 3),
                            commitments=comms)
    info = {"shift": shift.code, "excluded_teams": excluded, "zone": zone,
            "roster": sorted({(r["roster_id"], r["version"]) for r in rows})}
    return problem, info


def _iso(problem, minute: int) -> str:
    return arrow.get(problem.night_start).shift(minutes=minute).isoformat()


def plan_json(day: date, problem, plan, info: dict, metrics: dict, violations: list[dict]) -> dict:
    names = {s.code: s.name for s in problem.spots}
    teams = []
    by_team = plan.by_team()
    for t in problem.teams:
        vs = by_team.get(t.code, [])
        teams.append({"team": t.code, "name": t.name, "members": list(t.members),
                      "visits": [{"hot_spot": v.spot, "name": names.get(v.spot, v.spot), "arrive": _iso(problem, v.arrive),
                                  "leave": _iso(problem, v.leave), "travel_min": v.travel}
                                 for v in vs if v.kind == "visit"],
                      "breaks": [{"arrive": _iso(problem, v.arrive), "leave": _iso(problem, v.leave)}
                                 for v in vs if v.kind == "break"],
                      "commitments": [{"name": v.spot, "arrive": _iso(problem, v.arrive), "leave": _iso(problem, v.leave)}
                                      for v in vs if v.kind == "commitment"]})
    return {"date": day.isoformat(), "seed": plan.seed, "shift": info["shift"], "night_start": problem.night_start,
            "night_end": _iso(problem, problem.minutes), "teams": teams,
            "uncovered": [{"hot_spot": u["spot"], "from": _iso(problem, u["start"]), "to": _iso(problem, u["end"]),
                           "why": u["why"]} for u in plan.uncovered],
            "excluded_teams": info["excluded_teams"], "metrics": metrics,
            "violations": violations, "solver": plan.stats}


def plan(session: Session, day: date, *, seed: int | None = None, commitments: list[str] = (),
         time_limit: float = 30.0) -> dict:
    """Plan the night of ``day`` and store it with its seed."""
    prepared = prepare_plan(session, day, seed=seed, commitments=commitments, time_limit=time_limit)
    with session.sdb.write():
        return store_plan(session, prepared)


def prepare_plan(session: Session, day: date, *, seed: int | None = None, commitments: list[str] = (),
                 time_limit: float = 30.0) -> dict:
    """Build and check the plan, without writing anything."""
    from scheduler.patrol.planner import plan_night
    from scheduler.patrol.validate import metrics, validate_plan
    session.sdb.require_station()
    session.require_action("patrol_plan")
    seed = secrets.randbelow(2**31) if seed is None else seed
    problem, info = build_problem(session, day, seed=seed, commitments=commitments)
    result = plan_night(problem, time_limit=time_limit)
    violations = validate_plan(problem, result)
    data = plan_json(day, problem, result, info, metrics(problem, result), violations)
    version_id = rdb.version_id(session.sdb, *info["roster"][-1])
    return {"day": day, "data": data, "version_id": version_id, "teams": [t.code for t in problem.teams],
            "roster": info["roster"]}


def store_plan(session: Session, prepared: dict) -> dict:
    """Write a prepared plan (inside the caller's write transaction)."""
    day, data = prepared["day"], prepared["data"]
    live = sorted({(r["roster_id"], r["version"]) for r in rdb.live_assignments(session.sdb, day, day)})
    if "roster" in prepared and live != sorted(tuple(x) for x in prepared["roster"]):
        raise Refused(f"the roster for {day} changed while the plan was made (now "
                      + ", ".join(f"{r}v{v}" for r, v in live) + "); nothing was written. Plan again.")
    pid = patrol_db.add_plan(session.sdb, day=day.isoformat(), seed=data["seed"],
                             roster_version_id=prepared["version_id"], created_at=utc_now(),
                             created_by=session.login, data=data)
    session.audit("patrol.plan", entity="patrol_plan", entity_id=pid,
                  after={"date": day.isoformat(), "seed": data["seed"], "teams": prepared["teams"],
                         "visits": sum(len(t["visits"]) for t in data["teams"]), "uncovered": len(data["uncovered"])})
    return {"id": pid, **data}


def show(session: Session, day: date) -> dict:
    session.sdb.require_station()
    row = patrol_db.latest_plan(session.sdb, day.isoformat())
    if row is None:
        raise NotFound(f"no patrol plan for {day}; make one with `dutydesk patrol plan --date {day}`")
    data = json.loads(row["plan"])
    data["id"] = row["id"]
    data["created_at"], data["created_by"] = row["created_at"], row["created_by"]
    data["done"] = planned_vs_done(session, row["id"], data)
    return data


def planned_vs_done(session: Session, plan_id: int, data: dict) -> dict:
    """Each planned visit is done when its team checked in at that hot spot between 15 minutes
    before arrival and 15 minutes after leaving."""
    checks = patrol_db.checkins(session.sdb, plan_id)
    by = {}
    for c in checks:
        by.setdefault((c["unit"], c["hot_spot"]), []).append(arrow.get(c["at"]))
    planned = done = 0
    per_team = {}
    for t in data["teams"]:
        n_done = 0
        for v in t["visits"]:
            a, b = arrow.get(v["arrive"]).shift(minutes=-15), arrow.get(v["leave"]).shift(minutes=15)
            ok = any(a <= x <= b for x in by.get((t["team"], v["hot_spot"]), []))
            v["done"] = ok
            n_done += ok
        per_team[t["team"]] = {"planned": len(t["visits"]), "done": n_done}
        planned += len(t["visits"])
        done += n_done
    return {"planned": planned, "done": done, "share": round(done / planned, 3) if planned else None,
            "checkins": len(checks), "teams": per_team}


def checkin(session: Session, day: date, team: str, hot_spot: str, at: datetime | None = None) -> dict:
    """Record that ``team`` is at ``hot_spot`` now (or at ``at``), against the night's plan."""
    session.sdb.require_station()
    session.require_action("checkin")
    if hot_spot not in station_db.hot_spot_points(session.sdb):
        raise InputError(InputProblem(file="command line", field="--hot-spot", message=f"unknown hot spot '{hot_spot}'"))
    when = arrow.get(at) if at else arrow.utcnow()
    at_utc = when.to("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
    with session.sdb.write():   # the plan checked against is the plan the check-in points to
        row = patrol_db.latest_plan(session.sdb, day.isoformat())
        if row is None:
            raise NotFound(f"no patrol plan for {day}")
        teams = {t["team"]: t for t in json.loads(row["plan"])["teams"]}
        if team not in teams:
            raise InputError(InputProblem(file="command line", field="--team",
                                          message=f"team '{team}' is not in the plan for {day}; teams: {', '.join(teams)}"))
        units_db.ensure_patrol_team(session.sdb, team, name=teams[team]["name"],
                                    badges=[m["badge"] for m in teams[team]["members"]])
        cid = patrol_db.add_checkin(session.sdb, unit=team, at=at_utc, hot_spot=hot_spot, plan_id=row["id"])
        session.audit("patrol.checkin", entity="checkin", entity_id=cid,
                      after={"team": team, "hot_spot": hot_spot, "at": at_utc, "plan": row["id"]})
    return {"id": cid, "team": team, "hot_spot": hot_spot, "at": at_utc}


def unit_positions(session: Session, now) -> dict[str, dict]:
    """Where each team should be now by the night's plan: {team: {"x_m", "y_m", "at", "next"}}
    (``next``: the next planned stop, for the duty board)."""
    t = arrow.get(now)
    out: dict[str, dict] = {}
    for day in {t.shift(days=-1).date(), t.date()}:
        row = patrol_db.latest_plan(session.sdb, day.isoformat())
        if row is None:
            continue
        data = json.loads(row["plan"])
        if not arrow.get(data["night_start"]) <= t < arrow.get(data["night_end"]):
            continue
        spots = station_db.hot_spot_points(session.sdb)
        for team in data["teams"]:
            past = [v for v in team["visits"] if arrow.get(v["arrive"]) <= t]
            ahead = [v for v in team["visits"] if arrow.get(v["arrive"]) > t]
            here = spots.get(past[-1]["hot_spot"]) if past else None
            out[team["team"]] = {"x_m": here["x_m"] if here else 0.0, "y_m": here["y_m"] if here else 0.0,
                                 "at": past[-1]["name"] if past else "station",
                                 "next": {"hot_spot": ahead[0]["hot_spot"], "name": ahead[0]["name"],
                                          "arrive": ahead[0]["arrive"]} if ahead else None}
    return out


def tonight(session: Session, now: datetime | None = None) -> date:
    """The night running now (before 08:00 it is the night that began yesterday)."""
    zone = station_db.zone(session.sdb)
    now = arrow.get(now).to(zone) if now is not None else arrow.now(zone)
    return (now.shift(days=-1) if now.hour < 8 else now).date()


def sheet_html(data: dict, station_name: str) -> str:
    """A printable briefing sheet (A4 landscape) for the night."""
    from html import escape

    def hm(iso):
        return arrow.get(iso).format("HH:mm")
    parts = [f"""<!doctype html><html lang="zh"><head><meta charset="utf-8">
<title>{escape(station_name)} 夜巡方案 {escape(data['date'])}</title>
<style>@page {{ size: A4 landscape; margin: 12mm; }} body {{ font-family: sans-serif; font-size: 11pt; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 8mm; page-break-inside: avoid; }}
th, td {{ border: 1px solid #444; padding: 2px 6px; text-align: left; }} th {{ background: #eee; }}
.meta {{ color: #333; font-size: 9pt; }}</style></head><body>
<h1>{escape(station_name)} 夜巡方案 Night patrol plan {escape(data['date'])}</h1>
<p class="meta">{hm(data['night_start'])}-{hm(data['night_end'])} · seed {data['seed']} ·
risk-weighted coverage {data['metrics'].get('risk_weighted_coverage')} · plan #{data.get('id', '')}</p>"""]
    for t in data["teams"]:
        members = "、".join(m["name"] for m in t["members"])
        parts.append(f"<table><caption><b>{escape(t['name'])} ({escape(t['team'])})</b> {escape(members)}</caption>"
                     "<tr><th>到达 arrive</th><th>离开 leave</th><th>热点 hot spot</th><th>路程 travel</th>"
                     "<th>签到 check-in</th></tr>")
        stops = [(v["arrive"], v["leave"], v["name"], f"{v['travel_min']} min") for v in t["visits"]]
        stops += [(b["arrive"], b["leave"], "休息 break (所内)", "") for b in t["breaks"]]
        stops += [(c["arrive"], c["leave"], c["name"], "") for c in t["commitments"]]
        for a, b, name, tr in sorted(stops):
            parts.append(f"<tr><td>{hm(a)}</td><td>{hm(b)}</td><td>{escape(name)}</td><td>{tr}</td><td></td></tr>")
        parts.append("</table>")
    if data["uncovered"]:
        parts.append("<h2>未覆盖 Not covered</h2><ul>" + "".join(
            f"<li>{escape(u['hot_spot'])} {hm(u['from'])}-{hm(u['to'])}: {escape(u['why'])}</li>"
            for u in data["uncovered"]) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


__all__ = ["plan", "show", "checkin", "tonight", "sheet_html", "build_problem", "timedelta"]
