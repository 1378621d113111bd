"""Rule families on single cells and per-person totals: one shift a day, days off / leave /
fixed cells, per-type maximum counts, minimum and maximum total minutes."""
from __future__ import annotations

from scheduler.problem import Problem, Roster, Violation
from scheduler.rules.base import Rule, off_or, rows, violation


class OneShiftPerDay(Rule):
    """At most one shift per person per day.  Structural: the context gives every free cell
    one 'off' literal and an exactly-one over it and the allowed shifts.  The validator checks
    that the roster has one known value for every person and day."""

    name = "one_shift_per_day"

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        out = []
        known = set(problem.shift_ids)
        emps = set(problem.employee_ids)
        for e in problem.employees:
            for d in range(problem.horizon):
                if (e.id, d) not in roster:
                    out.append(violation(self.name, e.id, d, "v.g.no_entry"))
                elif roster[(e.id, d)] is not None and roster[(e.id, d)] not in known:
                    out.append(violation(self.name, e.id, d, "v.g.unknown_shift", shift=repr(roster[(e.id, d)])))
        for (eid, d) in roster:
            if eid not in emps or not 0 <= d < problem.horizon:
                out.append(violation(self.name, eid, d, "v.g.outside"))
        return out


class DaysOffAndFixed(Rule):
    """Hard days off and leave (``Problem.days_off``) and fixed cells (``Problem.fixed``)."""

    name = "days_off"

    def domain(self, ctx) -> None:
        p = ctx.problem
        for eid, days in p.days_off.items():
            e = ctx.emp_index.get(eid)
            if e is None:
                continue
            for d in days:
                if 0 <= d < ctx.H:
                    ctx.allowed[e][d] = []
        for (eid, d), sid in p.fixed.items():
            e = ctx.emp_index.get(eid)
            if e is None or not 0 <= d < ctx.H:
                continue
            if sid is None:
                ctx.allowed[e][d] = []
            else:
                s = ctx.shift_index[sid]
                ctx.allowed[e][d] = [s] if s in ctx.allowed[e][d] else []

    def apply(self, ctx) -> None:
        for (eid, d), sid in ctx.problem.fixed.items():
            e = ctx.emp_index.get(eid)
            if sid is not None and e is not None and 0 <= d < ctx.H:
                ctx.clause([ctx.x(e, d, ctx.shift_index[sid])])

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        out = []
        for eid, days in problem.days_off.items():
            for d in sorted(days):
                if 0 <= d < problem.horizon and roster.get((eid, d)) is not None:
                    out.append(violation(self.name, eid, d, "v.g.day_off", shift=roster[(eid, d)]))
        for (eid, d), sid in problem.fixed.items():
            if 0 <= d < problem.horizon and roster.get((eid, d)) != sid:
                out.append(violation(self.name, eid, d, "v.g.fixed", fixed=off_or(sid), has=off_or(roster.get((eid, d)))))
        return out


class ShiftTypeLimits(Rule):
    """Per person and shift type: count <= ``Employee.max_shifts[type]`` (0 = never)."""

    name = "max_shifts_per_type"

    def domain(self, ctx) -> None:
        for e, emp in enumerate(ctx.problem.employees):
            banned = {ctx.shift_index[s] for s, n in emp.max_shifts.items()
                      if n <= 0 and s in ctx.shift_index}
            if banned:
                for d in range(ctx.H):
                    ctx.allowed[e][d] = [s for s in ctx.allowed[e][d] if s not in banned]

    def apply(self, ctx) -> None:
        for e in ctx.active_employees:
            emp = ctx.problem.employees[e]
            limits = {ctx.shift_index[sid]: n for sid, n in emp.max_shifts.items()
                      if sid in ctx.shift_index and 0 < n < ctx.H}
            if not limits:
                continue
            by_shift: dict[int, list] = {s: [] for s in limits}
            for _, s, v in ctx.free_terms(e):
                if s in by_shift:
                    by_shift[s].append((1, v))
            for s, n in limits.items():
                ctx.linear_range([(1, ctx.frozen_count(e, s)), *by_shift[s]], None, n)

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        out = []
        for emp in problem.employees:
            row = [roster.get((emp.id, d)) for d in range(problem.horizon)]
            for sid, n in emp.max_shifts.items():
                c = row.count(sid)
                if c > n:
                    out.append(violation(self.name, emp.id, None, "v.g.type_limit", n=c, shift=sid, k=n))
        return out


class TotalMinutes(Rule):
    """Per person: ``min_minutes <= sum of worked minutes <= max_minutes``.  With
    ``elastic_weight`` the minimum becomes a penalty per missing minute."""

    name = "total_minutes"

    def __init__(self, elastic_weight: int | None = None):
        self.elastic_weight = elastic_weight

    def elastic(self, weight: int) -> "TotalMinutes":
        return TotalMinutes(elastic_weight=weight)

    def apply(self, ctx) -> None:
        if self.elastic_weight and ctx.values is not None:
            # the shortfall of people outside the neighbourhood is a constant of the objective
            active = set(ctx.active_employees)
            for e, emp in enumerate(ctx.problem.employees):
                if e in active or emp.min_minutes is None:
                    continue
                total = 0
                for d in range(ctx.H):
                    v = ctx.values.get((e, d), -1)
                    if v >= 0:
                        total += ctx.minutes[v]
                ctx.cost(self.elastic_weight, max(0, emp.min_minutes - total), self.name)
        for e in ctx.active_employees:
            emp = ctx.problem.employees[e]
            if emp.min_minutes is None and emp.max_minutes is None:
                continue
            const = sum(ctx.minutes[s] * ctx.frozen_count(e, s) for s in range(ctx.S))
            terms = [(ctx.minutes[s], v) for _, s, v in ctx.free_terms(e)]
            lo = emp.min_minutes
            if lo is not None and self.elastic_weight:
                if lo > const:
                    short = ctx.model.new_int_var(0, lo - const, "")
                    ctx.linear_range([*terms, (1, short)], lo - const, None)
                    ctx.cost(self.elastic_weight, short, self.name)
                lo = None
            ctx.linear_range([(1, const), *terms], lo, emp.max_minutes)

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        out = []
        minutes = {s.id: s.minutes for s in problem.shift_types}
        for eid, row in rows(problem, roster).items():
            emp = next(e for e in problem.employees if e.id == eid)
            total = sum(minutes.get(v, 0) for v in row if v is not None)
            if emp.min_minutes is not None and total < emp.min_minutes:
                out.append(violation(self.name, eid, None, "v.g.minutes_min", total=total, k=emp.min_minutes))
            if emp.max_minutes is not None and total > emp.max_minutes:
                out.append(violation(self.name, eid, None, "v.g.minutes_max", total=total, k=emp.max_minutes))
        return out
