"""Roster use cases: generate a draft, show, list, diff, repair, candidates for a slot.

The command line and the terminal app both call these; the solver lives in scheduler/, the
records in db/.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

import arrow

from db import rosters as rdb
from db import station as station_db
from errors import InputError, InputProblem, Infeasible, NotFound, Refused
from usecases.calendar import day_kinds
from usecases.context import Session
from usecases.roster_input import to_problem
from scheduler.stop import StopToken

HISTORY_DAYS = 14
MAX_DAYS = 366


@dataclass(frozen=True)
class RosterRef:
    roster_id: int
    version: int | None = None     # None: the newest version

    @classmethod
    def parse(cls, text: str | int) -> "RosterRef":
        m = re.fullmatch(r"\s*(\d+)\s*(?:[v.:]\s*(\d+))?\s*", str(text))
        if not m:
            raise InputError(InputProblem(file="command line", field="ROSTER_ID",
                                          message=f"'{text}' is not a roster id; write 7 or 7v2 (roster 7, version 2)"))
        return cls(int(m.group(1)), int(m.group(2)) if m.group(2) else None)

    def __str__(self) -> str:
        return f"{self.roster_id}" + (f"v{self.version}" if self.version else "")


def station_today(session: Session) -> date:
    return arrow.now(station_db.zone(session.sdb)).date()


def _bad(field: str, message: str) -> InputError:
    return InputError(InputProblem(file="command line", field=field, message=message))


# -- building the problem from the records ----------------------------------------------------

def _category_counts(session: Session, rows: list[dict], kinds: dict[date, str], shift_kind: dict[str, str]):
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        d = date.fromisoformat(r["date"])
        c = out.setdefault(r["badge"], {"nights": 0, "weekends": 0, "holidays": 0, "duty24": 0})
        kind = shift_kind.get(r["shift"])
        if kind == "night":
            c["nights"] += 1
        if kind == "24h":
            c["duty24"] += 1
        if d.weekday() >= 5 and kinds.get(d) != "adjusted_workday":
            c["weekends"] += 1
        if kinds.get(d) == "holiday":
            c["holidays"] += 1
    return out


def load_problem(session: Session, start: date, days: int, *, exclude_roster: int | None = None):
    """The station problem for a period, with history and the year's fairness counts from the
    approved/published rosters before it. Returns (problem, warnings)."""
    sdb = session.sdb
    sd = station_db.load_station(sdb)
    people = station_db.load_people(sdb)
    end = start + timedelta(days=days - 1)
    kinds, warnings = day_kinds(session, start, days)
    leave = rdb.leave_between(sdb, start, end)
    requests = rdb.requests_between(sdb, start, end)
    hist_start = start - timedelta(days=HISTORY_DAYS)
    hist_rows = rdb.live_assignments(sdb, hist_start, start - timedelta(days=1), exclude_roster=exclude_roster)
    by_day = {(r["badge"], r["date"]): f"{r['shift']}@{r['post']}" for r in hist_rows}
    history = {}
    if hist_rows:
        for p in people:
            history[p.badge] = [by_day.get((p.badge, (hist_start + timedelta(days=i)).isoformat()))
                                for i in range(HISTORY_DAYS)]
    year_start = date(start.year, 1, 1)
    prior = {}
    if start > year_start:
        past_rows = rdb.live_assignments(sdb, year_start, start - timedelta(days=1), exclude_roster=exclude_roster)
        if past_rows:
            past_kinds, _ = day_kinds(session, year_start, (start - year_start).days)
            prior = _category_counts(session, past_rows, past_kinds, {s.code: s.kind for s in sd.shifts})
    sp = to_problem(sd, people, start, days, kinds, leave=leave, requests=requests, history=history, prior=prior)
    return sp, warnings


def _check_period(session: Session, start: date, days: int, today: date | None) -> None:
    today = today or station_today(session)
    if days < 1 or days > MAX_DAYS:
        raise _bad("--days", f"{days} days: give between 1 and {MAX_DAYS}")
    if start < today:
        raise _bad("--start", f"{start} is in the past (today is {today} in the station's time zone); "
                              "a new roster starts today or later")
    if not station_db.has_demand(session.sdb):
        raise _bad("station", "the station has no demand (no post needs anyone); add [[demand]] to the station file")
    clash = rdb.overlapping(session.sdb, start, days, ("approved", "published"))
    if clash:
        c = clash[0]
        raise _bad("--start", f"{start} + {days} days overlaps roster {c['id']} v{c['version']} ({c['status']}, from "
                              f"{c['start']} for {c['days']} days); start after it or repair that roster instead")


# -- results -----------------------------------------------------------------------------------

def _solver_stats(result, options) -> dict:
    sol = result.solution
    return {"status": sol.status, "objective": sol.objective, "bound": sol.bound,
            "gap": None if sol.gap is None else round(sol.gap, 4), "wall_s": sol.wall_s, "seed": options.seed,
            "time_limit": options.time_limit, "workers": options.workers(), "terms": result.objective_terms(),
            "lns_iterations": sol.stats.get("lns_iterations"), "initial_objective": sol.stats.get("initial_objective")}


def _roster_of(rows: list[dict], start: date) -> dict[tuple[str, int], str]:
    return {(r["badge"], (date.fromisoformat(r["date"]) - start).days): f"{r['shift']}@{r['post']}" for r in rows}


def _report(sp, roster, violations) -> dict:
    from scheduler.station.report import fairness_ledger, shortfalls
    return {"hard_violations": [v.to_json() for v in violations if v.hard],
            "shortfalls": shortfalls(sp, roster), "fairness": fairness_ledger(sp, roster)}


def _assignment_rows(result) -> list[dict]:
    sp = result.sp
    return [{"date": sp.date(a.day).isoformat(), "badge": a.badge, "shift": a.shift, "post": a.post}
            for a in result.assignments]


def _solve(sp, *, time_limit, seed, workers, on_progress, stop, hint=None):
    from scheduler.engine import SolveOptions
    from scheduler.station.build import solve_station
    options = SolveOptions(time_limit=time_limit, num_workers=workers, seed=seed)
    result = solve_station(sp, options, on_progress=on_progress, stop=stop, hint=hint)
    if result.solution.status == "INFEASIBLE":
        raise Infeasible(_explain_infeasible(result))
    if result.solution.status == "UNKNOWN":
        from errors import NoSolution
        raise NoSolution(f"no roster was found within {time_limit:g} s; give more time with --time-limit")
    return result, options


def _explain_infeasible(result) -> str:
    """The hard rules cannot all hold: in practice only fixed (frozen) cells can cause that,
    so name the fixed assignments that break a rule on their own."""
    from scheduler.validate import hard, validate
    p = result.problem
    grid = {(e.id, d): p.fixed.get((e.id, d)) for e in p.employees for d in range(p.horizon)}
    found = hard(validate(p, grid, result.rules))
    lines = [f"- {v.message}" for v in found[:10]]
    return ("the rules cannot all hold with the assignments that are fixed (the past of the roster):\n"
            + ("\n".join(lines) if lines else "- no single fixed assignment explains it; check leave and history")
            + "\nChange the fixed days or the rule parameters and try again.")


# -- use cases ---------------------------------------------------------------------------------

def generate(session: Session, start: date, days: int, *, time_limit: float = 30, seed: int = 0,
             workers: int | None = None, on_progress: Callable | None = None, stop: StopToken | None = None,
             today: date | None = None, note: str | None = None,
             on_capacity: Callable[[dict], None] | None = None) -> dict:
    """Build a draft roster version for [start, start + days)."""
    prepared = prepare_generate(session, start, days, time_limit=time_limit, seed=seed, workers=workers,
                                on_progress=on_progress, stop=stop, today=today, on_capacity=on_capacity)
    with session.sdb.write():
        return store_generated(session, prepared, note=note)


def capacity_of(sp) -> dict:
    """The capacity analysis of a problem, as stored with a version and shown before solving."""
    from scheduler.station.capacity import analyse
    return analyse(sp).to_json()


def quality_of(stats: dict, report: dict, cap: dict | None) -> dict:
    from scheduler.station.report import empty_seats, quality
    from scheduler.station.rules import W_UNDER
    return quality(objective=stats.get("objective"), terms=stats.get("terms") or {}, engine_bound=stats.get("bound"),
                   empty=empty_seats(report["shortfalls"]),
                   min_empty=None if cap is None else cap["lower_bound_seats"], cover_weight=W_UNDER)


def prepare_generate(session: Session, start: date, days: int, *, time_limit: float = 30, seed: int = 0,
                     workers: int | None = None, on_progress: Callable | None = None,
                     stop: StopToken | None = None, today: date | None = None,
                     on_capacity: Callable[[dict], None] | None = None) -> dict:
    """Check and solve, without writing anything (the nightly job stores several results in
    one transaction). The capacity analysis runs first; ``on_capacity(result)`` shows it
    before the solve starts."""
    session.sdb.require_station()
    session.require_action("generate")
    _check_period(session, start, days, today)
    sp, warnings = load_problem(session, start, days)
    cap = capacity_of(sp)
    if on_capacity is not None:
        on_capacity(cap)
    result, options = _solve(sp, time_limit=time_limit, seed=seed, workers=workers, on_progress=on_progress,
                             stop=stop)
    report = _report(sp, result.solution.assignment, result.solution.violations)
    stats = _solver_stats(result, options) | {"shortfalls": sum(s["missing"] for s in report["shortfalls"]),
                                              "empty_posts": sum(s["severity"] == "empty" for s in report["shortfalls"]),
                                              "hard_violations": len(report["hard_violations"]),
                                              "capacity": cap}
    stats["quality"] = quality_of(stats, report, cap)
    return {"start": start, "days": days, "rows": _assignment_rows(result), "report": report, "stats": stats,
            "warnings": warnings}


def store_generated(session: Session, prepared: dict, *, note: str | None = None) -> dict:
    """Write a prepared roster as a new draft (inside the caller's write transaction)."""
    start, days, stats = prepared["start"], prepared["days"], prepared["stats"]
    clash = rdb.overlapping(session.sdb, start, days, ("approved", "published"))
    if clash:   # approved meanwhile by someone else
        raise Refused(f"roster {clash[0]['id']} was approved for this period meanwhile; nothing was written")
    rid = rdb.create_roster(session.sdb, start=start, days=days, login=session.login, note=note)
    ver = rdb.add_version(session.sdb, rid, status="draft", login=session.login, assignments=prepared["rows"],
                          solver=stats)
    session.audit("roster.generate", entity="roster", entity_id=f"{rid}v{ver['version']}",
                  after={"start": start.isoformat(), "days": days, "assignments": len(prepared["rows"]),
                         "objective": stats["objective"], "shortfalls": stats["shortfalls"], "note": note})
    return {"roster_id": rid, "version": ver["version"], "status": "draft", "start": start.isoformat(),
            "days": days, **prepared["report"], "solver": stats, "warnings": prepared["warnings"]}


def _version(session: Session, ref: RosterRef) -> tuple[dict, dict]:
    roster = rdb.get_roster(session.sdb, ref.roster_id)
    ver = rdb.get_version(session.sdb, ref.roster_id, ref.version) if roster else None
    if roster is None or ver is None:
        raise NotFound(f"no roster {ref} (see `dutydesk roster list`)")
    return roster, ver


def show(session: Session, ref: RosterRef, *, with_report: bool = False) -> dict:
    session.sdb.require_station()
    roster, ver = _version(session, ref)
    rows = rdb.assignments(session.sdb, ver["id"])
    out = {"roster_id": roster["id"], "version": ver["version"], "status": ver["status"], "start": roster["start"],
           "days": roster["days"], "created_at": ver["created_at"], "created_by": ver["created_by"],
           "comment": ver["comment"], "audit_head": ver["audit_head"], "solver": ver["solver"],
           "content_digest": ver.get("content_digest"),
           "versions": rdb.versions(session.sdb, roster["id"]),
           "assignments": [{"badge": r["badge"], "name": r["name"], "date": r["date"], "shift": r["shift"],
                            "post": r["post"]} for r in rows]}
    if with_report:
        start = date.fromisoformat(roster["start"])
        sp, warnings = load_problem(session, start, roster["days"], exclude_roster=roster["id"])
        from scheduler.station.build import build
        from scheduler.validate import validate
        problem, rules = build(sp)
        grid = _roster_of(rows, start)
        full = {(p.badge, d): grid.get((p.badge, d)) for p in sp.people for d in range(sp.days)}
        violations = validate(problem, full, rules)
        out.update(_report(sp, full, violations))
        out["warnings"] = warnings
        cap = (ver["solver"] or {}).get("capacity") or capacity_of(sp)
        terms: dict[str, int] = {}
        for v in violations:
            if not v.hard and v.penalty:
                terms[v.rule] = terms.get(v.rule, 0) + v.penalty
        objective = sum(terms.values())
        engine_bound = (ver["solver"] or {}).get("bound") if ver["parent_id"] is None else None
        out["capacity"] = cap
        out["quality"] = quality_of({"objective": objective, "terms": terms, "bound": engine_bound}, out, cap)
    return out


def list_rosters(session: Session) -> list[dict]:
    session.sdb.require_station()
    return rdb.list_rosters(session.sdb)


def diff(session: Session, a: RosterRef, b: RosterRef) -> dict:
    session.sdb.require_station()
    _, va = _version(session, a)
    _, vb = _version(session, b)
    ra = {(r["badge"], r["date"]): r for r in rdb.assignments(session.sdb, va["id"])}
    rb = {(r["badge"], r["date"]): r for r in rdb.assignments(session.sdb, vb["id"])}
    changes = []
    for key in sorted(set(ra) | set(rb), key=lambda k: (k[1], k[0])):
        x, y = ra.get(key), rb.get(key)
        fx = f"{x['shift']}@{x['post']}" if x else None
        fy = f"{y['shift']}@{y['post']}" if y else None
        if fx != fy:
            changes.append({"date": key[1], "badge": key[0], "name": (x or y)["name"],
                            "before": None if x is None else {"shift": x["shift"], "post": x["post"]},
                            "after": None if y is None else {"shift": y["shift"], "post": y["post"]}})
    return {"a": str(a), "b": str(b), "changes": changes}


REPAIR_CHANGE_WEIGHT = 15    # x W_CHANGE per changed cell: below one empty seat (W_UNDER), above any
                             # gain in hours or fairness, so a repair changes only what the absence forces
WIDEN_DAYS = 3               # when the absence days alone cannot be covered, free this many days around


def _repair_kind(kind: str | None, reason: str) -> str:
    """The leave kind of an absence: given, or read from the reason (病假 -> sick), else unavailable."""
    from stationdef.leave_file import parse_kind
    for text in (kind, reason):
        if text:
            try:
                return parse_kind(text)
            except ValueError:
                if text is kind:
                    raise _bad("--kind", f"'{kind}' is not a kind of leave; use e.g. 病假, 年休假, 事假, 培训") from None
    return "unavailable"


def repair(session: Session, ref: RosterRef, badge: str, start: date, end: date, *, reason: str,
           time_limit: float = 8, seed: int = 0, workers: int | None = None, on_progress=None,
           stop=None, today: date | None = None, kind: str | None = None) -> dict:
    """Someone drops out from ``start`` to ``end``: a new draft version that changes only what
    the absence forces.

    First only the absence days may change (and the day before, when the absent person's shift
    then runs past midnight into the absence); every other cell keeps its value. Only if that
    leaves more seats empty than the roster had are the days around the absence freed too, and
    the result says why. A changed cell costs more than any gain in hours or fairness, less
    than an empty seat. The past is frozen. The absence is recorded as leave of ``kind`` (or
    the kind the reason names: 病假 -> sick)."""
    session.sdb.require_station()
    session.require_action("repair")
    roster, ver = _version(session, ref)
    if not station_db.person_exists(session.sdb, badge):
        raise _bad("--person", f"no person with badge '{badge}'")
    if end < start:
        raise _bad("--to", f"{end} is before --from {start}")
    if not reason or not reason.strip():
        raise _bad("--reason", "say why (it is recorded)")
    leave_kind = _repair_kind(kind, reason)
    r_start = date.fromisoformat(roster["start"])
    r_end = r_start + timedelta(days=roster["days"] - 1)
    if end < r_start or start > r_end:
        raise _bad("--from", f"{start}..{end} is outside roster {roster['id']} ({r_start}..{r_end})")
    today = today or station_today(session)
    if end < today:
        raise _bad("--to", f"{end} is in the past; the past of a roster is not repaired")
    seen = rdb.version_state(session.sdb, ver["id"])   # the repair starts from this state
    rows = rdb.assignments(session.sdb, ver["id"])
    previous_grid = _roster_of(rows, r_start)
    sp, warnings = load_problem(session, r_start, roster["days"], exclude_roster=roster["id"])
    away = [d for d in range(sp.days) if start <= sp.date(d) <= end]
    for d in away:
        sp.unavailable.setdefault(badge, {})[d] = leave_kind
    previous = {(p.badge, d): previous_grid.get((p.badge, d)) for p in sp.people for d in range(sp.days)}
    sp.previous = previous
    sp.frozen_days = max(0, min(sp.days, (today - r_start).days))
    window = {d for d in away if d >= sp.frozen_days}
    before = (start - r_start).days - 1      # the evening before the absence, in the roster or not
    shifts = sp.shift_by_code
    if 0 <= before < sp.days:
        sp.no_overnight[badge] = {before}
        code = previous.get((badge, before))
        if code is not None:
            sh = shifts[code.split("@")[0]]
            if sh.start_minute + sh.minutes > 1440:
                if before >= sp.frozen_days:
                    window.add(before)
                else:
                    warnings.append(f"{badge}'s {sh.name} of {sp.date(before)} runs into the absence, but it is "
                                    "in the past and is not changed")
                    sp.no_overnight.pop(badge)
    sp.change_weights = {d: REPAIR_CHANGE_WEIGHT for d in range(sp.days)}
    from scheduler.station.report import roster_diff, shortfalls

    def solve_with(free: set[int] | None):
        sp.free_days = free
        res, opts = _solve(sp, time_limit=time_limit, seed=seed, workers=workers, on_progress=on_progress,
                           stop=stop, hint=previous)
        grid = res.solution.assignment
        return res, opts, grid, sum(x["missing"] for x in shortfalls(sp, grid))
    was_empty = sum(x["missing"] for x in shortfalls(sp, previous))
    result, options, new_grid, empty = solve_with(window)
    widened = None
    if empty > was_empty:       # the absence days alone cannot be covered: free the days around them
        wide = {d for d in range(max(sp.frozen_days, min(window, default=0) - WIDEN_DAYS),
                                 min(sp.days, max(window, default=0) + WIDEN_DAYS + 1))}
        r2, o2, g2, e2 = solve_with(wide)
        if e2 < empty:
            widened = {"days": sorted(sp.date(d).isoformat() for d in wide - window),
                       "why": f"with only the absence days free, {empty} seat(s) stayed empty "
                              f"({was_empty} before the absence); freeing {WIDEN_DAYS} days around it leaves {e2}",
                       "why_zh": f"只调整缺勤日时仍有{empty}个空岗（缺勤前{was_empty}个）；"
                                 f"放开前后{WIDEN_DAYS}天后为{e2}个"}
            result, options, new_grid, empty = r2, o2, g2, e2
    changes = roster_diff(previous, new_grid)
    forced = [c for c in changes if c["badge"] == badge and (c["day"] in away or c["day"] == before)]
    report = _report(sp, new_grid, result.solution.violations)
    seats_refilled = max(0, (was_empty + len(forced)) - empty)   # each forced change emptied a seat
    minimum = len(forced) + seats_refilled
    window_days = {sp.date(d).isoformat() for d in window}
    for c in changes:
        day = sp.date(c["day"]).isoformat()
        c["why"] = ("the absence" if c in forced else
                    "covers the absence" if day in window_days else
                    "outside the absence: " + (widened["why"] if widened else "needed by the rules"))
    stats = _solver_stats(result, options) | {"changes": len(changes), "changes_minimum": minimum,
                                              "changes_outside": sum(sp.date(c["day"]).isoformat() not in window_days
                                                                     for c in changes),
                                              "widened": widened, "leave_kind": leave_kind,
                                              "shortfalls": sum(s["missing"] for s in report["shortfalls"])}
    with session.sdb.write():
        now_state = rdb.version_state(session.sdb, ver["id"])
        if (now_state["status"], now_state["revision"], now_state["newest"]) != \
                (seen["status"], seen["revision"], seen["newest"]):
            raise Refused(f"roster {roster['id']} changed while the repair was solved (now v{now_state['newest']}, "
                          f"{now_state['status']}); nothing was written. Repair again on the newest version.")
        leave_id = rdb.add_leave(session.sdb, badge, start, end, leave_kind, reason)
        new = rdb.add_version(session.sdb, roster["id"], status="draft", login=session.login,
                              assignments=_assignment_rows(result), parent_id=ver["id"],
                              comment=f"repair: {badge} {leave_kind} {start}..{end}: {reason}", solver=stats)
        session.audit("roster.repair", entity="roster", entity_id=f"{roster['id']}v{new['version']}",
                      before={"version": ver["version"]},
                      after={"badge": badge, "from": start.isoformat(), "to": end.isoformat(), "reason": reason,
                             "kind": leave_kind, "changes": len(changes)}, vouch=[f"leave:{leave_id}"])
    names = {p.badge: p.name for p in sp.people}
    return {"roster_id": roster["id"], "version": new["version"], "status": "draft", "parent_version": ver["version"],
            "changes": [{"date": sp.date(c["day"]).isoformat(), "badge": c["badge"], "name": names.get(c["badge"]),
                         "before": c["before"], "after": c["after"], "why": c["why"]} for c in changes],
            **report, "solver": stats, "warnings": warnings}


def candidates(session: Session, ref: RosterRef, day: date, shift: str, post: str) -> dict:
    session.sdb.require_station()
    roster, ver = _version(session, ref)
    r_start = date.fromisoformat(roster["start"])
    d = (day - r_start).days
    if not 0 <= d < roster["days"]:
        raise _bad("--date", f"{day} is outside roster {roster['id']} ({r_start} for {roster['days']} days)")
    sp, _ = load_problem(session, r_start, roster["days"], exclude_roster=roster["id"])
    if shift not in sp.shift_by_code:
        raise _bad("--shift", f"unknown shift '{shift}'; known: {', '.join(sp.shift_by_code)}")
    if post not in sp.post_by_code:
        raise _bad("--post", f"unknown post '{post}'; known: {', '.join(sp.post_by_code)}")
    grid = _roster_of(rdb.assignments(session.sdb, ver["id"]), r_start)
    from scheduler.station.report import slot_candidates
    out = slot_candidates(sp, grid, d, shift, post)
    out["demand"] = sp.demand.get((d, shift, post), 0)
    return out
