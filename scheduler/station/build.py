"""Turn a station problem into the engine's Problem and rule list, solve it, read it back."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from scheduler.engine import RosterEngine, SolveOptions
from scheduler.problem import Cover, Employee, History, Problem, Progress, ShiftType, Solution, Violation
from scheduler.rules import DaysOffAndFixed, MaxConsecutiveWork, OneShiftPerDay, Successions
from scheduler.rules.soft import CoverRule
from scheduler.station import rules as sr
from scheduler.station.model import Assignment, StationRosterProblem, slot_code, split_slot
from scheduler.stop import StopToken


def forbidden_shift_pairs(sp: StationRosterProblem) -> set[tuple[str, str]]:
    """Shift pairs (a, b) where b may not be worked the day after a: rest below
    ``min_rest_hours``, a day shift after a night, anything right after a 24 h duty."""
    shifts = sp.shift_by_code
    min_rest = int(round(float(sp.param("min_rest_hours", 11)) * 60))
    no_day_after_night = bool(sp.param("no_day_after_night", True))
    rest_after_24h = int(sp.param("rest_days_after_24h", 1))
    out = set()
    for a in shifts.values():
        for b in shifts.values():
            rest = 1440 + b.start_minute - (a.start_minute + a.minutes)
            if (rest < min_rest or (no_day_after_night and a.kind == "night" and b.kind in ("day", "24h"))
                    or (rest_after_24h >= 1 and a.kind == "24h")):
                out.add((a.code, b.code))
    return out


def forbidden_successions(sp: StationRosterProblem, slots: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """The same at slot level (``SHIFT@POST`` codes), for the engine's succession rule."""
    pairs = forbidden_shift_pairs(sp)
    codes = [slot_code(s, p) for s, p in slots]
    return {(x, y) for x in codes for y in codes if (split_slot(x)[0], split_slot(y)[0]) in pairs}


def aux_cap_minutes(sp: StationRosterProblem, badge: str) -> int:
    """辅警: the minutes this roster may give them in all, the calendar months' caps summed
    (standard hours plus ``aux_overtime_cap_hours_month`` each, less what other approved
    rosters give them in those months; 《劳动法》第41条). The rule itself is per month
    (``rules.AuxOvertimeMonth``)."""
    return sum(left for _, _, _, left in sr.aux_month_caps(sp, badge).values())


def build(sp: StationRosterProblem) -> tuple[Problem, list]:
    slots = sp.slots()
    codes = [slot_code(s, p) for s, p in slots]
    shifts = sp.shift_by_code
    shift_types = [ShiftType(id=c, minutes=shifts[s].minutes, start_minute=shifts[s].start_minute)
                   for c, (s, _) in zip(codes, slots)]
    by_shift = {}
    for c, (s, _) in zip(codes, slots):
        by_shift.setdefault(s, c)
    employees = []
    for person in sp.people:
        hist = sp.history.get(person.badge) or []
        history = None
        if hist:
            mapped = [None if h is None else (h if h in codes else by_shift.get(split_slot(h)[0], h)) for h in hist]
            history = History.from_days(mapped, complete=False)
        employees.append(Employee(
            id=person.badge, name=person.name,
            max_consecutive=int(sp.param("max_consecutive_days", 6)),
            history=history))
    cover = [Cover(day=d, shift=slot_code(s, p), requirement=n, weight_under=sr.W_UNDER, weight_over=sr.W_OVER)
             for (d, s, p), n in sorted(sp.demand.items()) if n > 0]
    fixed = {}
    if sp.previous and (sp.frozen_days or sp.free_days is not None):
        for (b, d), code in sp.previous.items():
            if d < sp.frozen_days or (sp.free_days is not None and d not in sp.free_days):
                fixed[(b, d)] = code if code in codes or code is None else None
    problem = Problem(horizon=sp.days, shift_types=shift_types, employees=employees, cover=cover,
                      days_off={b: frozenset(days) for b, days in sp.unavailable.items()},
                      fixed=fixed, forbidden=forbidden_successions(sp, slots),
                      start_weekday=sp.start.weekday(), edge_exempt=True, name=sp.name)
    named = lambda rule: sr.Named(sp, rule)  # noqa: E731  (generic modules: violations name who and when)
    rules = [named(OneShiftPerDay()), named(DaysOffAndFixed()), sr.Eligibility(sp), sr.AuxOvertimeMonth(sp),
             named(Successions()), named(MaxConsecutiveWork()), sr.RestAfter24h(sp), sr.MaxNightsInARow(sp),
             sr.TeamRules(sp), named(CoverRule()), sr.WomanOnDuty(sp), sr.PostWoman(sp), sr.WeekendsPer4Weeks(sp), sr.CommunityShare(sp),
             sr.HoursTarget(sp), sr.Fairness(sp), sr.StationRequests(sp)]
    if sp.previous:
        rules.append(sr.StationChanges(sp))
    if sp.following:
        from scheduler.station.seam import SeamAfter
        rules.append(SeamAfter(sp))
    return problem, rules


@dataclass
class StationResult:
    sp: StationRosterProblem
    problem: Problem
    solution: Solution
    rules: list = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)

    @property
    def hard_violations(self) -> list[Violation]:
        return self.solution.hard_violations

    def objective_terms(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for v in self.solution.violations:
            if not v.hard and v.penalty:
                out[v.rule] = out.get(v.rule, 0) + v.penalty
        return out


def solve_station(sp: StationRosterProblem, options: SolveOptions | None = None,
                  on_progress: Callable[[Progress], None] | None = None, stop: StopToken | None = None,
                  hint: dict | None = None) -> StationResult:
    """Solve; another thread may call ``stop.stop()`` (the best roster so far comes back)."""
    problem, rules = build(sp)
    engine = RosterEngine(problem, rules, options or SolveOptions(), stop=stop)
    from scheduler.station.greedy import greedy_roster, repair_start
    initial = repair_start(sp) if sp.previous else greedy_roster(sp)
    if hint is None and sp.previous:
        hint = sp.previous
    solution = engine.solve(hint=hint, on_progress=on_progress, initial=initial)
    assignments = [Assignment(b, d, *split_slot(code)) for (b, d), code in sorted(solution.assignment.items(),
                                                                                   key=lambda kv: (kv[0][1], kv[0][0]))
                   if code is not None]
    return StationResult(sp=sp, problem=problem, solution=solution, rules=rules, assignments=assignments)
