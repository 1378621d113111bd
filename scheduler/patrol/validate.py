"""Check a finished patrol plan without the solver, and measure it."""
from __future__ import annotations

from scheduler.patrol.model import DWELL_MAX, DWELL_MIN, PatrolProblem, Plan


def _pos(p: PatrolProblem, spot: str, kind: str) -> tuple[float, float]:
    if kind == "break" or spot == "station":
        return (0.0, 0.0)
    for s in p.spots:
        if s.code == spot:
            return (s.x_m, s.y_m)
    for c in p.commitments:
        if c.name == spot:
            return (c.x_m, c.y_m)
    raise KeyError(spot)


def validate_plan(p: PatrolProblem, plan: Plan) -> list[dict]:
    """Every broken rule: {"rule", "team", "spot", "message", "hard"}."""
    out: list[dict] = []
    spots = {s.code: s for s in p.spots}

    def bad(rule, message, team=None, spot=None, hard=True):
        out.append({"rule": rule, "team": team, "spot": spot, "message": message, "hard": hard})

    teams = {t.code for t in p.teams}
    for team, visits in plan.by_team().items():
        if team not in teams:
            bad("teams", f"{team} is not on duty tonight", team)
        pos, free_at, busy = (0.0, 0.0), 0, 0
        breaks = 0
        for v in visits:
            if v.kind == "visit":
                if v.spot not in spots:
                    bad("spot", f"unknown hot spot {v.spot}", team, v.spot)
                    continue
                if not DWELL_MIN <= v.leave - v.arrive <= DWELL_MAX:
                    bad("dwell", f"{v.spot} at {v.arrive}: dwell {v.leave - v.arrive} min, must be "
                                 f"{DWELL_MIN}-{DWELL_MAX}", team, v.spot)
                if not any(a <= v.arrive and v.leave <= b for a, b in spots[v.spot].windows):
                    bad("window", f"{v.spot} visited {v.arrive}-{v.leave}, outside its active time", team, v.spot)
            if v.kind == "break":
                breaks += 1
                if v.leave - v.arrive < p.break_minutes:
                    bad("break", f"break of {v.leave - v.arrive} min, needs {p.break_minutes}", team)
                if not p.break_window[0] <= v.arrive <= p.break_window[1]:
                    bad("break", f"break at minute {v.arrive}, outside {p.break_window}", team)
            here = _pos(p, v.spot, v.kind)
            need = p.travel_minutes(pos, here)
            if v.arrive < free_at + need:
                bad("travel", f"arrives at {v.spot} at {v.arrive}, but cannot be there before {free_at + need}",
                    team, v.spot)
            if v.kind != "break":
                busy += need + (v.leave - v.arrive)
            pos, free_at = here, v.leave
        back = free_at + p.travel_minutes(pos, (0.0, 0.0))
        if back > p.minutes:
            bad("travel", f"back at the station at minute {back}, after the night ends ({p.minutes})", team)
        if p.break_minutes and breaks < 1:
            bad("break", "no break", team)
        if busy > p.busy_cap():
            bad("free_time", f"{busy} min busy, at most {p.busy_cap()} ({p.free_share:.0%} of the night kept "
                             "free for calls)", team)
    for c in p.commitments:
        if not any(v.kind == "commitment" and v.team == c.team and v.spot == c.name and v.arrive == c.start
                   for v in plan.visits):
            bad("commitment", f"{c.name} at {c.start} is not in the plan", c.team)
    by_spot: dict[str, list] = {}
    for v in plan.visits:
        if v.kind == "visit":
            by_spot.setdefault(v.spot, []).append(v)
    for spot, vs in by_spot.items():
        vs.sort(key=lambda v: v.arrive)
        for a, b in zip(vs, vs[1:]):
            if b.arrive < a.leave:
                bad("collision", f"{a.team} and {b.team} at {spot} at once ({b.arrive}-{a.leave})", b.team, spot)
    declared = {(u["spot"], u["start"]) for u in plan.uncovered}
    for s in p.spots:      # every active window gets at least one visit: zero visits is never "covered"
        for a, b in s.windows:
            if b - a >= DWELL_MIN and not any(v.kind == "visit" and v.spot == s.code and a <= v.arrive < b
                                              for v in plan.visits):
                excused = any(sp == s.code and a <= us < b for sp, us in declared)
                bad("window_unvisited", f"{s.code}: no visit in its active window {a}-{b}"
                                        + (" (declared uncovered)" if excused else ""), None, s.code, hard=not excused)
    for spot, gap, start, end in gaps(p, plan):
        if gap > p.max_gap:
            excused = any(s == spot and start <= us <= end for s, us in declared)
            bad("gap", f"{spot}: {gap} min without a visit ({start}-{end}), at most {p.max_gap}"
                       + (" (declared uncovered)" if excused else ""), None, spot, hard=not excused)
    return out


def gaps(p: PatrolProblem, plan: Plan) -> list[tuple[str, int, int, int]]:
    """(spot, gap, from, to) for every stretch of active time without a visit starting."""
    out = []
    for s in p.spots:
        arrivals = sorted(v.arrive for v in plan.visits if v.kind == "visit" and v.spot == s.code)
        for a, b in s.windows:
            if b - a < DWELL_MIN:
                continue
            marks = [a] + [t for t in arrivals if a <= t < b] + [b]
            for x, y in zip(marks, marks[1:]):
                out.append((s.code, y - x, x, y))
    return out


def metrics(p: PatrolProblem, plan: Plan) -> dict:
    longest: dict[str, int] = {}
    for spot, gap, _, _ in gaps(p, plan):
        longest[spot] = max(longest.get(spot, 0), gap)
    visits = {s.code: 0 for s in p.spots}
    for v in plan.visits:
        if v.kind == "visit":
            visits[v.spot] = visits.get(v.spot, 0) + 1
    # risk-weighted coverage: share of active minutes with a visit in the last max_gap minutes
    num = den = 0.0
    for s in p.spots:
        arrivals = sorted(v.arrive for v in plan.visits if v.kind == "visit" and v.spot == s.code)
        for a, b in s.windows:
            if b - a < DWELL_MIN:
                continue
            for t in range(a, b):
                last = max([x for x in arrivals if x <= t], default=None)
                ok = (last is not None and t - last <= p.max_gap) or (last is None and t - a <= p.max_gap
                                                                    and any(a <= x < b for x in arrivals))
                num += s.risk * ok
                den += s.risk
    active_risk = {s.code: s.risk for s in p.spots if any(b - a >= DWELL_MIN for a, b in s.windows)}
    total_risk = sum(active_risk.values()) or 1
    total_visits = sum(visits[c] for c in active_risk) or 1
    teams = {}
    available = p.minutes - p.break_minutes
    for team, vs in plan.by_team().items():
        busy = sum(v.travel + (v.leave - v.arrive) for v in vs if v.kind != "break")
        teams[team] = {"visits": sum(v.kind == "visit" for v in vs), "busy_min": busy,
                       "utilisation": round(busy / available, 3), "free_share": round(1 - busy / available, 3)}
    return {
        "risk_weighted_coverage": round(num / den, 4) if den else None,
        "longest_gap_min": longest,
        "visits": visits,
        "risk_share_vs_visit_share": {c: [round(r / total_risk, 3), round(visits[c] / total_visits, 3)]
                                      for c, r in active_risk.items()},
        "teams": teams,
        "uncovered": len(plan.uncovered),
    }
