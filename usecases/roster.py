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
from errors import ARGS, InputError, InputProblem, Infeasible, NotFound, Refused
from messages import Items, Msg, Name
from usecases.calendar import calendar_record, day_kinds, unofficial_line
from usecases.context import Session
from usecases.roster_input import to_problem
from scheduler.stop import StopToken

HISTORY_DAYS = 28        # the rest rules' windows and the last 3 weekends (rolling 4-weekend windows)
MAX_DAYS = 366


@dataclass(frozen=True)
class RosterRef:
    roster_id: int
    version: int | None = None     # None: the newest version

    @classmethod
    def parse(cls, text: str | int) -> "RosterRef":
        m = re.fullmatch(r"\s*(\d+)\s*(?:[v.:]\s*(\d+))?\s*", str(text))
        if not m:
            raise InputError(InputProblem(file=ARGS, field="roster_id", message=Msg("roster.bad_id", text=str(text))))
        return cls(int(m.group(1)), int(m.group(2)) if m.group(2) else None)

    def __str__(self) -> str:
        return f"{self.roster_id}" + (f"v{self.version}" if self.version else "")


def station_today(session: Session) -> date:
    return arrow.now(station_db.zone(session.sdb)).date()


def _bad(field: str, message: Msg) -> InputError:
    return InputError(InputProblem(file=ARGS, field=field, message=message))


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


OVER_DRAFT = ("refuse", "use-as-history", "replace")
_OVER_DRAFT_ALIASES = {"拒绝": "refuse", "作为历史": "use-as-history", "历史": "use-as-history",
                       "取代": "replace", "替换": "replace"}


def parse_over_draft(text: str | None) -> str:
    """What to do over a draft or submitted roster that shares days with a new one: refuse
    (the default), use-as-history or replace (Chinese: 拒绝, 作为历史, 取代)."""
    from messages import t
    value = (text or "refuse").strip()
    value = _OVER_DRAFT_ALIASES.get(value, value.lower().replace("_", "-"))
    if value not in OVER_DRAFT:
        raise _bad("gen_over_draft", Msg("overlap.bad_choice", value=text))
    return value


def _neighbours(session: Session, start: date, days: int, badges: list[str], *, exclude: tuple[int, ...] = (),
                with_drafts: bool = False, self_id: int | None = None) -> tuple[dict, dict, list[dict]]:
    """(history, following, open rosters read): the cells other rosters hold in the
    ``HISTORY_DAYS`` before the period and in the first days after it, per badge, oldest first.

    After the period only rosters that go on from its end count: those that start after it,
    and older ones (than this roster, ``self_id``; None: a new roster, the newest) that cover
    it and go on after it, since on the days both cover the newer roster wins. A newer roster
    that covers part of the period takes over there, so this roster's end is no seam with it."""
    from scheduler.station.seam import LOOKAHEAD_DAYS
    sdb = session.sdb
    end = start + timedelta(days=days - 1)
    hist_start = start - timedelta(days=HISTORY_DAYS)
    hist_rows = rdb.neighbour_assignments(sdb, hist_start, start - timedelta(days=1), exclude=exclude,
                                          with_drafts=with_drafts)
    by_day = {(r["badge"], r["date"]): f"{r['shift']}@{r['post']}" for r in hist_rows}
    history = {}
    if hist_rows:
        for b in badges:
            history[b] = [by_day.get((b, (hist_start + timedelta(days=i)).isoformat())) for i in range(HISTORY_DAYS)]
    after_rows = [r for r in rdb.neighbour_assignments(sdb, end + timedelta(days=1), end + timedelta(days=LOOKAHEAD_DAYS),
                                                       exclude=exclude, with_drafts=with_drafts)
                  if r["roster_start"] > end.isoformat() or self_id is None or r["roster_id"] < self_id]
    following = {}
    if after_rows:
        covered = {r["date"] for r in after_rows}
        n = 0
        while n < LOOKAHEAD_DAYS and (end + timedelta(days=n + 1)).isoformat() in covered:
            n += 1
        cells = {(r["badge"], r["date"]): f"{r['shift']}@{r['post']}" for r in after_rows}
        if n:
            for b in badges:
                following[b] = [cells.get((b, (end + timedelta(days=i + 1)).isoformat())) for i in range(n)]
    used = {(r["roster_id"], r["version"]): r["status"] for r in hist_rows + after_rows
            if r["status"] in rdb.OPEN_STATUSES}
    return history, following, [{"id": k[0], "version": k[1], "status": v} for k, v in sorted(used.items())]


def load_problem(session: Session, start: date, days: int, *, exclude_roster: int | None = None,
                 exclude: tuple[int, ...] = (), with_drafts: bool = False, definition=None):
    """The station problem for a period, with history (the days before it) and the seam (the
    first days after it) from the neighbouring approved/published rosters (and, with
    ``with_drafts``, drafts and submitted versions), and the year's fairness counts from the
    approved/published rosters before it. Returns (problem, warnings). ``definition``: a station
    definition to plan with instead of the stored one (`station apply --dry-run` compares both)."""
    from scheduler.station.seam import seam_from_following
    sdb = session.sdb
    sd = definition if definition is not None else station_db.load_station(sdb)
    people = station_db.load_people(sdb)
    end = start + timedelta(days=days - 1)
    kinds, warnings = day_kinds(session, start, days)
    leave = rdb.leave_between(sdb, start, end)
    requests = rdb.requests_between(sdb, start, end)
    skip = tuple(exclude) + ((exclude_roster,) if exclude_roster is not None else ())
    history, following, _ = _neighbours(session, start, days, [p.badge for p in people], exclude=skip,
                                        with_drafts=with_drafts, self_id=exclude_roster)
    year_start = date(start.year, 1, 1)
    prior = {}
    if start > year_start:
        past_rows = rdb.live_assignments(sdb, year_start, start - timedelta(days=1), exclude_roster=exclude_roster)
        if past_rows:
            past_kinds, _ = day_kinds(session, year_start, (start - year_start).days)
            prior = _category_counts(session, past_rows, past_kinds, {s.code: s.kind for s in sd.shifts})
    sp = to_problem(sd, people, start, days, kinds, leave=leave, requests=requests, history=history, prior=prior)
    sp.following = following
    sp.seam = seam_from_following(sp)
    sp.month_minutes = _month_minutes(sdb, sd, start, end, exclude_roster)
    return sp, warnings


def _month_minutes(sdb, sd, start: date, end: date, exclude_roster: int | None) -> dict[str, dict[str, int]]:
    """Minutes each person works in approved/published rosters in the calendar months of
    [start, end] but outside it, before and after: the 辅警 monthly overtime cap counts them."""
    import calendar
    first = start.replace(day=1)
    last = end.replace(day=calendar.monthrange(end.year, end.month)[1])
    minutes = {s.code: s.minutes for s in sd.shifts}
    out: dict[str, dict[str, int]] = {}
    for r in rdb.live_assignments(sdb, first, last, exclude_roster=exclude_roster):
        day = date.fromisoformat(r["date"])
        if start <= day <= end:
            continue
        month = out.setdefault(r["badge"], {})
        month[r["date"][:7]] = month.get(r["date"][:7], 0) + minutes.get(r["shift"], 0)
    return out


def _check_period(session: Session, start: date, days: int, today: date | None,
                  over_draft: str = "refuse") -> list[dict]:
    """Check the period; return the draft or submitted rosters it overlaps (refused unless
    ``over_draft`` says what to do with them)."""
    from messages import t
    today = today or station_today(session)
    if days < 1 or days > MAX_DAYS:
        raise _bad("gen_days", Msg("roster.bad_days", days=days, max=MAX_DAYS))
    if start < today:
        raise _bad("gen_start", Msg("roster.start_past", start=start.isoformat(), today=today.isoformat()))
    if not station_db.has_demand(session.sdb):
        raise _bad("station", Msg("roster.no_demand"))
    clash = rdb.overlapping(session.sdb, start, days, ("approved", "published"))
    if clash:
        c = clash[0]
        raise _bad("gen_start", Msg("roster.overlaps", start=start.isoformat(), days=days, id=c["id"], v=c["version"],
                                    status=Msg(f"status.{c['status']}"), c_start=c["start"], c_days=c["days"]))
    open_ = rdb.open_overlapping(session.sdb, start, days)
    if open_ and over_draft == "refuse":
        raise Refused(Msg("overlap.refuse", start=start.isoformat(), days=days, **_overlap_values(open_, start, days)))
    return open_


def _overlap_values(open_: list[dict], start: date, days: int) -> dict:
    from messages import status, t
    end = start + timedelta(days=days - 1)
    spans = [(date.fromisoformat(r["start"]), date.fromisoformat(r["start"]) + timedelta(days=r["days"] - 1))
             for r in open_]
    return {"rosters": "; ".join(t("overlap.roster", id=r["id"], version=r["version"], status=status(r["status"]),
                                   start=r["start"], days=r["days"]) for r in open_),
            "first": max(start, min(a for a, _ in spans)).isoformat(),
            "last": min(end, max(b for _, b in spans)).isoformat(),
            "after": (max(b for _, b in spans) + timedelta(days=1)).isoformat()}


def plan_input(session: Session, start: date, days: int, *, today: date | None = None,
               over_draft: str = "refuse") -> dict:
    """Check the period and read the problem to solve, next to the neighbouring rosters.

    Drafts and submitted rosters next to the period count as neighbours (their cells are the
    history and the seam), so a draft built after another draft fits it. A draft that shares
    days with the period is refused unless ``over_draft`` is ``use-as-history`` (it stays, its
    days outside the period are neighbours, this roster wins on the common days once both are
    approved) or ``replace`` (it is marked superseded when the new roster is stored)."""
    from messages import t
    over_draft = parse_over_draft(over_draft)
    open_ = _check_period(session, start, days, today, over_draft)
    replaced = open_ if over_draft == "replace" else []
    exclude = tuple(r["id"] for r in replaced)
    sp, warnings = load_problem(session, start, days, exclude=exclude, with_drafts=True)
    notes = []
    if open_:
        notes.append(t("overlap.replace" if replaced else "overlap.history", start=start.isoformat(),
                       **_overlap_values(open_, start, days)))
    _, _, used = _neighbours(session, start, days, [], exclude=exclude, with_drafts=True)
    beside = [u for u in used if u["id"] not in {r["id"] for r in open_}]
    if beside:
        notes.append(t("overlap.neighbour_draft", rosters=", ".join(f"{u['id']}v{u['version']} ({u['status']})"
                                                                    for u in beside)))
    return {"sp": sp, "warnings": notes + warnings, "over_draft": over_draft,
            "open_overlaps": [r["id"] for r in open_], "replaced": replaced, "exclude": exclude,
            "neighbours": (sp.history, sp.following)}


def _check_neighbours(session: Session, prepared: dict) -> None:
    """Inside the write transaction: the rosters around the period are still the ones the
    roster was solved next to, or the roster still fits the new ones at the seam; no new
    draft overlaps it; the drafts it replaces are unchanged."""
    from messages import t
    start, days = prepared["start"], prepared["days"]
    seen = set(prepared.get("open_overlaps", ()))
    now_open = rdb.open_overlapping(session.sdb, start, days)
    new = [r for r in now_open if r["id"] not in seen]
    if new:
        raise Refused(Msg("overlap.new_draft", rosters="; ".join(
            t("overlap.roster", id=r["id"], version=r["version"], status=r["status"], start=r["start"],
              days=r["days"]) for r in new)))
    by_id = {r["id"]: r for r in now_open}
    for r in prepared.get("replaced", ()):
        now = by_id.get(r["id"])
        if now is None or now["version"] != r["version"] or now["status"] != r["status"]:
            raise Refused(Msg("overlap.changed", what=f"roster {r['id']} v{r['version']}"))
    if "neighbours" not in prepared:
        return
    history, following = prepared["neighbours"]
    exclude = tuple(prepared.get("exclude", ()))
    badges = [p.badge for p in station_db.load_people(session.sdb)]
    h2, f2, _ = _neighbours(session, start, days, badges, exclude=exclude, with_drafts=True)
    if h2 == history and f2 == following:
        return
    from scheduler.station.build import build
    from scheduler.validate import validate
    sp, _ = load_problem(session, start, days, exclude=exclude, with_drafts=True)
    grid = {(p.badge, d): None for p in sp.people for d in range(sp.days)}
    for row in prepared["rows"]:
        grid[(row["badge"], (date.fromisoformat(row["date"]) - start).days)] = f"{row['shift']}@{row['post']}"
    problem, rules = build(sp)
    hard = [v for v in validate(problem, grid, rules) if v.hard]
    if hard:
        raise Refused(Msg("overlap.seam_broken", n=len(hard), lines=_broken(hard)))


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
    from scheduler.station.report import compositions, fairness_ledger, shortfalls
    from scheduler.station.wishes import wish_outcomes
    return {"hard_violations": [v.to_json() for v in violations if v.hard],
            "shortfalls": shortfalls(sp, roster), "fairness": fairness_ledger(sp, roster),
            "compositions": compositions(sp, roster), "requests": wish_outcomes(sp, roster)}


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
        raise NoSolution(Msg("roster.no_solution", s=f"{time_limit:g}"))
    return result, options


def _broken(violations) -> Items:
    """Up to ten broken rules as a bulleted list, each in the reader's language."""
    return Items([v.msg if v.msg is not None else v.message for v in violations[:10]], sep="bullets")


def _explain_infeasible(result) -> Msg:
    """The hard rules cannot all hold: in practice only fixed (frozen) cells can cause that,
    so name the fixed assignments that break a rule on their own."""
    from scheduler.validate import hard, validate
    p = result.problem
    grid = {(e.id, d): p.fixed.get((e.id, d)) for e in p.employees for d in range(p.horizon)}
    found = hard(validate(p, grid, result.rules))
    if not found:
        return Msg("roster.infeasible_unexplained")
    return Msg("roster.infeasible", lines=_broken(found))


# -- use cases ---------------------------------------------------------------------------------

def generate(session: Session, start: date, days: int, *, time_limit: float = 30, seed: int = 0,
             workers: int | None = None, on_progress: Callable | None = None, stop: StopToken | None = None,
             today: date | None = None, note: str | None = None,
             on_capacity: Callable[[dict], None] | None = None, over_draft: str = "refuse") -> dict:
    """Build a draft roster version for [start, start + days) (``over_draft``: see `plan_input`)."""
    prepared = prepare_generate(session, start, days, time_limit=time_limit, seed=seed, workers=workers,
                                on_progress=on_progress, stop=stop, today=today, on_capacity=on_capacity,
                                over_draft=over_draft)
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
                   min_empty=None if cap is None else cap["lower_bound_seats"], cover_weight=W_UNDER,
                   relaxation_bound=(stats.get("objective_bound") or {}).get("value"))


def prepare_generate(session: Session, start: date, days: int, *, time_limit: float = 30, seed: int = 0,
                     workers: int | None = None, on_progress: Callable | None = None,
                     stop: StopToken | None = None, today: date | None = None,
                     on_capacity: Callable[[dict], None] | None = None, over_draft: str = "refuse") -> dict:
    """Check and solve, without writing anything (the nightly job stores several results in
    one transaction). The capacity analysis runs first; ``on_capacity(result)`` shows it
    before the solve starts."""
    session.sdb.require_station()
    session.require_action("generate")
    given = plan_input(session, start, days, today=today, over_draft=over_draft)
    sp, warnings = given["sp"], given["warnings"]
    cap = capacity_of(sp)
    if on_capacity is not None:
        on_capacity(cap)
    from scheduler.station.relaxation import bound_and_engine_limit
    bound, engine_time = bound_and_engine_limit(sp, time_limit)     # within the time limit: the solve gets the rest
    result, options = _solve(sp, time_limit=engine_time, seed=seed, workers=workers,
                             on_progress=on_progress, stop=stop)
    report = _report(sp, result.solution.assignment, result.solution.violations)
    stats = _solver_stats(result, options) | {"shortfalls": sum(s["missing"] for s in report["shortfalls"]),
                                              "empty_posts": sum(s["severity"] == "empty" for s in report["shortfalls"]),
                                              "hard_violations": len(report["hard_violations"]),
                                              "capacity": cap, "objective_bound": bound,
                                              "time_limit": time_limit}
    stats["quality"] = quality_of(stats, report, cap)
    stats["calendar"] = calendar_record(session, start, days)
    return {"start": start, "days": days, "rows": _assignment_rows(result), "report": report, "stats": stats,
            "warnings": warnings} | _neighbour_keys(given)


def _neighbour_keys(given: dict) -> dict:
    """What `store_generated` checks again when writing (see `_check_neighbours`)."""
    return {k: given[k] for k in ("over_draft", "open_overlaps", "replaced", "exclude", "neighbours")}


def store_generated(session: Session, prepared: dict, *, note: str | None = None) -> dict:
    """Write a prepared roster as a new draft (inside the caller's write transaction)."""
    start, days, stats = prepared["start"], prepared["days"], prepared["stats"]
    clash = rdb.overlapping(session.sdb, start, days, ("approved", "published"))
    if clash:   # approved meanwhile by someone else
        raise Refused(Msg("roster.approved_meanwhile", id=clash[0]["id"]))
    _check_neighbours(session, prepared)
    rid = rdb.create_roster(session.sdb, start=start, days=days, login=session.login, note=note)
    ver = rdb.add_version(session.sdb, rid, status="draft", login=session.login, assignments=prepared["rows"],
                          solver=stats)
    session.audit("roster.generate", entity="roster", entity_id=f"{rid}v{ver['version']}",
                  after={"start": start.isoformat(), "days": days, "assignments": len(prepared["rows"]),
                         "objective": stats["objective"], "shortfalls": stats["shortfalls"], "note": note,
                         "over_draft": prepared.get("over_draft"),
                         "replaces": [f"{r['id']}v{r['version']}" for r in prepared.get("replaced", ())]})
    from messages import t
    for r in prepared.get("replaced", ()):
        rdb.set_status(session.sdb, r["version_id"], "superseded", comment=t("overlap.superseded_by", id=rid))
        session.audit("roster.supersede", entity="roster", entity_id=f"{r['id']}v{r['version']}",
                      before={"status": r["status"]}, after={"status": "superseded", "by": f"{rid}v{ver['version']}"})
    return {"roster_id": rid, "version": ver["version"], "status": "draft", "start": start.isoformat(),
            "days": days, **prepared["report"], "solver": stats, "warnings": prepared["warnings"],
            "calendar": stats.get("calendar"), "calendar_line": unofficial_line(stats.get("calendar"))}


def _version(session: Session, ref: RosterRef) -> tuple[dict, dict]:
    roster = rdb.get_roster(session.sdb, ref.roster_id)
    ver = rdb.get_version(session.sdb, ref.roster_id, ref.version) if roster else None
    if roster is None or ver is None:
        raise NotFound(Msg("roster.no_such", ref=str(ref)))
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
           "calendar": calendar_record(session, date.fromisoformat(roster["start"]), roster["days"]),
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
        solved = (ver["solver"] or {}) if ver["parent_id"] is None else {}   # bounds of the problem as solved
        out["capacity"] = cap
        out["quality"] = quality_of({"objective": objective, "terms": terms, "bound": solved.get("bound"),
                                     "objective_bound": solved.get("objective_bound")}, out, cap)
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
                    raise _bad("leave_kind", Msg("roster.bad_leave_kind", kind=kind)) from None
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
        raise _bad("roster_person", Msg("user.no_person", badge=badge))
    if end < start:
        raise _bad("leave_to", Msg("leave.to_before_from", end=end.isoformat(), start=start.isoformat()))
    if not reason or not reason.strip():
        raise _bad("roster_reason", Msg("roster.say_why"))
    leave_kind = _repair_kind(kind, reason)
    r_start = date.fromisoformat(roster["start"])
    r_end = r_start + timedelta(days=roster["days"] - 1)
    if end < r_start or start > r_end:
        raise _bad("leave_from", Msg("roster.span_outside", start=start.isoformat(), end=end.isoformat(), id=roster["id"],
                                     r_start=r_start.isoformat(), r_end=r_end.isoformat()))
    today = today or station_today(session)
    if end < today:
        raise _bad("leave_to", Msg("roster.repair_past", end=end.isoformat()))
    seen = rdb.version_state(session.sdb, ver["id"])   # the repair starts from this state
    rows = rdb.assignments(session.sdb, ver["id"])
    previous_grid = _roster_of(rows, r_start)
    sp, warnings = load_problem(session, r_start, roster["days"], exclude_roster=roster["id"])
    away = [d for d in range(sp.days) if start <= sp.date(d) <= end]
    for d in away:
        sp.unavailable.setdefault(badge, {})[d] = leave_kind
    previous = {(p.badge, d): previous_grid.get((p.badge, d)) for p in sp.people for d in range(sp.days)}
    sp.previous = previous
    for b, seam_days in sp.seam.items():      # a seam the roster already breaks is reported, not forced here
        for d in [d for d, (forbidden, _) in seam_days.items()
                  if (previous.get((b, d)) or "@").split("@")[0] in forbidden]:
            del seam_days[d]
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
                    warnings.append(Msg("roster.overnight_past", badge=badge, shift=Name(sh.name, sh.name_en or sh.code),
                                        day=sp.date(before).isoformat()))
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
            raise Refused(Msg("roster.changed_during_repair", id=roster["id"], v=now_state["newest"],
                              status=Msg(f"status.{now_state['status']}")))
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
        raise _bad("roster_date", Msg("roster.day_outside", day=day.isoformat(), id=roster["id"],
                                      start=r_start.isoformat(), days=roster["days"]))
    sp, _ = load_problem(session, r_start, roster["days"], exclude_roster=roster["id"])
    from stationdef import codes as typed
    shift = typed.resolve(shift, typed.of_records(sp.shifts), what="code.shift", field="roster_shift")
    post = typed.resolve(post, typed.of_records(sp.posts), what="code.post", field="roster_post")
    grid = _roster_of(rdb.assignments(session.sdb, ver["id"]), r_start)
    from scheduler.station.report import slot_candidates
    out = slot_candidates(sp, grid, d, shift, post)
    out["demand"] = sp.demand.get((d, shift, post), 0)
    return out
