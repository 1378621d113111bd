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
             today: date | None = None, note: str | None = None) -> dict:
    """Build a draft roster version for [start, start + days)."""
    prepared = prepare_generate(session, start, days, time_limit=time_limit, seed=seed, workers=workers,
                                on_progress=on_progress, stop=stop, today=today)
    with session.sdb.write():
        return store_generated(session, prepared, note=note)


def prepare_generate(session: Session, start: date, days: int, *, time_limit: float = 30, seed: int = 0,
                     workers: int | None = None, on_progress: Callable | None = None,
                     stop: StopToken | None = None, today: date | None = None) -> dict:
    """Check and solve, without writing anything (the nightly job stores several results in
    one transaction)."""
    session.sdb.require_station()
    session.require("chief", action="generate rosters")
    _check_period(session, start, days, today)
    sp, warnings = load_problem(session, start, days)
    result, options = _solve(sp, time_limit=time_limit, seed=seed, workers=workers, on_progress=on_progress,
                             stop=stop)
    report = _report(sp, result.solution.assignment, result.solution.violations)
    stats = _solver_stats(result, options) | {"shortfalls": sum(s["missing"] for s in report["shortfalls"]),
                                              "hard_violations": len(report["hard_violations"])}
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
        out.update(_report(sp, full, validate(problem, full, rules)))
        out["warnings"] = warnings
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


def repair(session: Session, ref: RosterRef, badge: str, start: date, end: date, *, reason: str,
           time_limit: float = 8, seed: int = 0, workers: int | None = None, on_progress=None,
           stop=None, today: date | None = None) -> dict:
    """Someone drops out from ``start`` to ``end``: a new draft version that changes as few
    assignments as possible. The past is frozen; nearer days weigh more."""
    session.sdb.require_station()
    session.require("chief", "duty", action="repair rosters")
    roster, ver = _version(session, ref)
    if not station_db.person_exists(session.sdb, badge):
        raise _bad("--person", f"no person with badge '{badge}'")
    if end < start:
        raise _bad("--to", f"{end} is before --from {start}")
    if not reason or not reason.strip():
        raise _bad("--reason", "say why (it is recorded)")
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
    for d in range(sp.days):
        if start <= sp.date(d) <= end:
            sp.unavailable.setdefault(badge, {})[d] = "unavailable"
    previous = {(p.badge, d): previous_grid.get((p.badge, d)) for p in sp.people for d in range(sp.days)}
    sp.previous = previous
    sp.frozen_days = max(0, min(sp.days, (today - r_start).days))
    first = max(sp.frozen_days, (start - r_start).days)
    sp.change_weights = {d: max(1, 6 - abs(d - first)) if d >= first else 3 for d in range(sp.days)}
    result, options = _solve(sp, time_limit=time_limit, seed=seed, workers=workers, on_progress=on_progress,
                             stop=stop, hint=previous)
    from scheduler.station.report import roster_diff
    new_grid = result.solution.assignment
    changes = roster_diff(previous, new_grid)
    report = _report(sp, new_grid, result.solution.violations)
    stats = _solver_stats(result, options) | {"changes": len(changes),
                                              "shortfalls": sum(s["missing"] for s in report["shortfalls"])}
    with session.sdb.write():
        now_state = rdb.version_state(session.sdb, ver["id"])
        if (now_state["status"], now_state["revision"], now_state["newest"]) != \
                (seen["status"], seen["revision"], seen["newest"]):
            raise Refused(f"roster {roster['id']} changed while the repair was solved (now v{now_state['newest']}, "
                          f"{now_state['status']}); nothing was written. Repair again on the newest version.")
        leave_id = rdb.add_leave(session.sdb, badge, start, end, "unavailable", reason)
        new = rdb.add_version(session.sdb, roster["id"], status="draft", login=session.login,
                              assignments=_assignment_rows(result), parent_id=ver["id"],
                              comment=f"repair: {badge} unavailable {start}..{end}: {reason}", solver=stats)
        session.audit("roster.repair", entity="roster", entity_id=f"{roster['id']}v{new['version']}",
                      before={"version": ver["version"]},
                      after={"badge": badge, "from": start.isoformat(), "to": end.isoformat(), "reason": reason,
                             "changes": len(changes)}, vouch=[f"leave:{leave_id}"])
    names = {p.badge: p.name for p in sp.people}
    return {"roster_id": roster["id"], "version": new["version"], "status": "draft", "parent_version": ver["version"],
            "changes": [{"date": sp.date(c["day"]).isoformat(), "badge": c["badge"], "name": names.get(c["badge"]),
                         "before": c["before"], "after": c["after"]} for c in changes],
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
