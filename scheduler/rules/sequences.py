"""Rule families on sequences of days: forbidden successions (rest), maximum and minimum run
lengths of worked days, minimum run of days off, maximum worked weekends.

Edges.  Days outside the horizon count as days off for the successions and the maximum run.
For the minimum runs, a block that touches the end of the horizon (or day 0 when the person
has no history) is exempt when ``Problem.edge_exempt`` (the Curtois rule) and must reach the
minimum otherwise.  With a ``History``, the block that goes on from day -1 is checked with its
full length, and a block that ended on day -1 is the past's business.

Model: windows and clauses, no automata.  A minimum run ``m`` is the clause set
``b[d-1] or not b[d] or b[d+j]`` for ``1 <= j < m`` (a block that starts on day d goes on for
m days), which is exact with the end exemption and linear-relaxation friendly.
"""
from __future__ import annotations

from scheduler.lits import is_const, neg
from scheduler.problem import Employee, Problem, Roster, Violation
from scheduler.rules.base import Rule, rows, runs, violation


def _history_runs(emp: Employee) -> tuple[int, int] | None:
    """(work_run, off_run) before day 0, or None without history."""
    h = emp.history
    if h is None:
        return None
    if h.last_shift is not None:
        return max(1, h.work_run), 0
    return 0, h.off_run


class Successions(Rule):
    """Shift b may not follow shift a on the next day for every forbidden (a, b): given, or
    computed from clock times and ``Problem.min_rest_minutes``.  Includes day -1 -> day 0
    from the history."""

    name = "succession"

    def _follow(self, ctx) -> dict[int, list[int]]:
        follow: dict[int, list[int]] = {}
        # sorted: the pairs are a set of strings, whose order changes with PYTHONHASHSEED,
        # and the order of the constraints changes CP-SAT's search
        for a, b in sorted(ctx.problem.forbidden_successions()):
            if a in ctx.shift_index and b in ctx.shift_index:
                follow.setdefault(ctx.shift_index[a], []).append(ctx.shift_index[b])
        return follow

    def domain(self, ctx) -> None:
        follow = self._follow(ctx)
        for e, emp in enumerate(ctx.problem.employees):
            if emp.history and emp.history.last_shift in ctx.shift_index and ctx.H:
                bad = set(follow.get(ctx.shift_index[emp.history.last_shift], []))
                ctx.allowed[e][0] = [s for s in ctx.allowed[e][0] if s not in bad]

    def apply(self, ctx) -> None:
        follow = self._follow(ctx)
        if not follow:
            return
        before: dict[int, list[int]] = {}
        for a, bs in follow.items():
            for b in bs:
                before.setdefault(b, []).append(a)
        for e in ctx.active_employees:
            for d in ctx.days_near(e, 1, 0):
                if d >= ctx.H - 1:
                    continue
                cell, nxt = ctx.cell(e, d), ctx.cell(e, d + 1)
                if cell is None:
                    # a frozen day before a free one: only its own shift's successors
                    if nxt is not None:
                        bs = follow.get(ctx.value(e, d), ())
                        if bs:
                            ctx.at_most_one([1, *(ctx.x(e, d + 1, b) for b in bs)])
                    continue   # two frozen days: the incumbent already keeps the rule
                if nxt is None:
                    # a free day before a frozen one: no shift that the frozen one may
                    # not follow
                    for a in before.get(ctx.value(e, d + 1), ()):
                        ctx.at_most_one([ctx.x(e, d, a), 1])
                    continue
                for a, bs in follow.items():
                    xa = cell.get(a)
                    if xa is None:
                        continue
                    # the b's are mutually exclusive already: one at-most-one per a
                    lits = [nxt[b] for b in bs if b in nxt]
                    if lits:
                        ctx.model.add_at_most_one([xa, *lits])

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        bad = problem.forbidden_successions()
        out = []
        for emp in problem.employees:
            prev = emp.history.last_shift if emp.history else None
            for d in range(problem.horizon):
                cur = roster.get((emp.id, d))
                if prev is not None and cur is not None and (prev, cur) in bad:
                    out.append(violation(self.name, emp.id, d, "v.g.succession", cur=cur, prev=prev))
                prev = cur
        return out


class MaxConsecutiveWork(Rule):
    """No block of worked days longer than ``Employee.max_consecutive`` (history counts)."""

    name = "max_consecutive_work"

    def apply(self, ctx) -> None:
        for e in ctx.active_employees:
            emp = ctx.problem.employees[e]
            M = emp.max_consecutive
            if M is None:
                continue
            hist = _history_runs(emp)
            k = hist[0] if hist else 0
            if k:
                if k >= M:
                    ctx.clause([ctx.off(e, 0)])
                elif M - k + 1 <= ctx.H:   # a shorter horizon ends in days off: nothing to require
                    ctx.clause(ctx.off(e, d) for d in range(0, M - k + 1))
            for d in ctx.days_near(e, M, 0):
                if d + M < ctx.H:
                    ctx.clause([ctx.off(e, t) for t in range(d, d + M + 1)])

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        out = []
        for emp in problem.employees:
            M = emp.max_consecutive
            if M is None:
                continue
            hist = _history_runs(emp)
            k = hist[0] if hist else 0
            row = [roster.get((emp.id, d)) is not None for d in range(problem.horizon)]
            for start, length, worked in runs(row):
                total = length + (k if start == 0 else 0)
                if worked and total > M:
                    out.append(violation(self.name, emp.id, start, "v.g.consecutive", n=total, k=M))
        return out


def _min_run_model(ctx, e: int, b, minimum: int, hist_run: int | None,
                   exempt: bool) -> None:
    """Blocks where ``b(d)`` holds must last ``minimum`` days (see module docstring).
    ``hist_run``: None (no history), 0 (day -1 not in a block) or k > 0 (a block of k days
    reaches day -1)."""
    H = ctx.H
    m = minimum
    if m is None or m <= 1 or H == 0:
        return
    # the block going on from day -1
    if hist_run:
        if hist_run < m:
            need = m - hist_run
            for j in range(min(need, H)):
                ctx.clause([b(j)])
            if need > H and not exempt:
                ctx.clause([])
    first = 0 if (hist_run == 0 or (hist_run is None and not exempt)) else 1
    for d in ctx.days_near(e, m - 1, 1):
        if d < first:
            continue
        prev = b(d - 1) if d >= 1 else 0
        nb = neg(b(d))
        for j in range(1, m):
            if d + j < H:
                ctx.clause([prev, nb, b(d + j)])
            elif not exempt:
                ctx.clause([prev, nb])
                break
            else:
                break


def _min_run_check(seq: list[bool], minimum: int, hist_run: int | None,
                   exempt: bool) -> list[tuple[int, int]]:
    """(start, length) of every block of True that breaks the minimum."""
    H = len(seq)
    bad = []
    if not minimum or minimum <= 1:
        return bad
    if hist_run and (H == 0 or not seq[0]) and hist_run < minimum:
        bad.append((-hist_run, hist_run))
    for start, length, val in runs(seq):
        if not val:
            continue
        total = length
        at_start = start == 0
        at_end = start + length == H
        if at_start:
            if hist_run is None:
                if exempt:
                    continue
            else:
                total += hist_run
        if at_end and exempt:
            continue
        if total < minimum:
            bad.append((start - (hist_run or 0) if at_start else start, total))
    return bad


class _MinRun(Rule):
    """Blocks of worked days (``work=True``) or of days off last at least the person's
    minimum (attribute ``limit`` of :class:`Employee`)."""

    work = True
    limit = "min_consecutive"

    def apply(self, ctx) -> None:
        for e in ctx.active_employees:
            emp = ctx.problem.employees[e]
            hist = _history_runs(emp)
            lit = (lambda d, e=e: ctx.on(e, d)) if self.work else (lambda d, e=e: ctx.off(e, d))
            _min_run_model(ctx, e, lit, getattr(emp, self.limit),
                           None if hist is None else hist[0 if self.work else 1],
                           ctx.problem.edge_exempt)

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        out = []
        for emp in problem.employees:
            hist = _history_runs(emp)
            minimum = getattr(emp, self.limit)
            seq = [(roster.get((emp.id, d)) is not None) == self.work
                   for d in range(problem.horizon)]
            for start, total in _min_run_check(seq, minimum,
                                               None if hist is None
                                               else hist[0 if self.work else 1],
                                               problem.edge_exempt):
                out.append(violation(self.name, emp.id, max(start, 0),
                                     "v.g.block_work" if self.work else "v.g.block_off", n=total, k=minimum))
        return out


class MinConsecutiveWork(_MinRun):
    """Blocks of worked days last at least ``Employee.min_consecutive`` days."""

    name = "min_consecutive_work"


class MinConsecutiveDaysOff(_MinRun):
    """Blocks of days off last at least ``Employee.min_days_off`` days."""

    name = "min_consecutive_days_off"
    work = False
    limit = "min_days_off"


class MaxWeekends(Rule):
    """A weekend (Saturday and Sunday, from ``Problem.start_weekday``) counts as worked when
    either day is; at most ``Employee.max_weekends`` worked weekends."""

    name = "max_weekends"

    def apply(self, ctx) -> None:
        weekends = ctx.problem.weekends()
        for e in ctx.active_employees:
            emp = ctx.problem.employees[e]
            W = emp.max_weekends
            if W is None or W >= len(weekends):
                continue
            flags = []
            for days in weekends:
                lits = [ctx.on(e, d) for d in days]
                if any(is_const(x) and x for x in lits):
                    flags.append(1)
                    continue
                lits = [x for x in lits if not is_const(x)]
                if len(lits) <= 1:
                    flags.append(lits[0] if lits else 0)
                    continue
                w = ctx.model.new_bool_var("")
                for x in lits:
                    ctx.model.add_implication(x, w)
                ctx.model.add_bool_or([*lits, ~w])
                flags.append(w)
            ctx.linear_range(((1, f) for f in flags), None, W)

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        out = []
        weekends = problem.weekends()
        for emp in problem.employees:
            W = emp.max_weekends
            if W is None:
                continue
            n = sum(1 for days in weekends
                    if any(roster.get((emp.id, d)) is not None for d in days))
            if n > W:
                out.append(violation(self.name, emp.id, None, "v.g.weekends", n=n, k=W))
        return out
