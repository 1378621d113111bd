"""The shared model context that rule modules add constraints and objective terms to.

Cells are (employee index, day, shift index).  A cell is either *free* (it has solver
variables) or *frozen* (its value is a given constant: the large-neighbourhood search freezes
everything outside its neighbourhood; a repair freezes the past).  Every accessor returns a
CP-SAT literal for a free cell and a Python int 0/1 for a frozen one, and the helpers below fold
constants away, so a rule module is written once and works for the full model and for every
sub-model.

Extension points for later modules (posts, skills, teams, ...):
* ``ctx.work[(e, d, s)]``: the Boolean of a free cell and shift (absent if not allowed);
  ``ctx.x(e, d, s)`` / ``ctx.on(e, d)`` / ``ctx.off(e, d)`` also answer for frozen cells;
  ``ctx.cell(e, d)`` gives a free cell's {shift: literal} (None if frozen) and
  ``ctx.value(e, d)`` a frozen cell's shift index or OFF.
* ``ctx.model`` is the CpModel: new variables may be created and linked to ``ctx.x(...)``.
* ``ctx.cost(weight, literal_or_expr, rule)`` adds an objective term (integer weight).
* ``ctx.data`` is a free dict for modules that share variables with each other.
* ``ctx.allowed[e][d]`` (list of shift indexes) may be pruned in ``Rule.domain`` before any
  variable exists.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Sequence

from ortools.sat.python import cp_model

from scheduler.lits import OFF, is_const, neg, split_terms  # noqa: F401  (re-exported)
from scheduler.problem import Problem

_BOOL = cp_model.Domain(0, 1)

if TYPE_CHECKING:  # pragma: no cover
    from scheduler.rules.base import Rule

class ModelContext:
    """Holds the CpModel, the cell variables and the objective terms.

    ``values``/``free``: for a sub-model, every cell not in ``free`` is frozen to
    ``values[(e, d)]`` (shift index or OFF).  Without ``values`` every cell is free.
    ``allowed``: precomputed domains (from :func:`domains`), to skip the rules' pruning.
    """

    def __init__(self, problem: Problem, rules: Sequence["Rule"],
                 values: dict[tuple[int, int], int] | None = None,
                 free: set[tuple[int, int]] | None = None,
                 allowed: list[list[list[int]]] | None = None):
        self.problem = problem
        self.rules = list(rules)
        self.model = cp_model.CpModel()
        self.H = problem.horizon
        self.emp_ids = problem.employee_ids
        self.shift_ids = problem.shift_ids
        self.E = len(self.emp_ids)
        self.S = len(self.shift_ids)
        self.emp_index = {e: i for i, e in enumerate(self.emp_ids)}
        self.shift_index = {s: i for i, s in enumerate(self.shift_ids)}
        self.minutes = [s.minutes for s in problem.shift_types]
        self.values = values
        self.data: dict = {}
        # objective: literal/variable terms with integer weights, plus a constant
        self._obj_vars: list = []
        self._obj_coefs: list[int] = []
        self.offset = 0
        self.cost_by_rule: dict[str, int] = {}

        if allowed is None:
            self.allowed = [[list(range(self.S)) for _ in range(self.H)]
                            for _ in range(self.E)]
            for rule in self.rules:
                rule.domain(self)
        else:
            self.allowed = allowed

        if values is None:
            free_cells = [(e, d) for e in range(self.E) for d in range(self.H)]
        else:
            free_cells = sorted(c for c in (free or ()) if 0 <= c[1] < self.H)
        # cell variables
        self.work: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self._cell: dict[tuple[int, int], dict[int, object]] = {}
        self._on: dict[tuple[int, int], object] = {}
        span: dict[int, list[int]] = {}
        proto, new_bool = self.model.proto, cp_model.IntVar
        for e, d in free_cells:
            sp = span.get(e)
            if sp is None:
                span[e] = [d, d + 1]
            else:
                sp[0] = min(sp[0], d)
                sp[1] = max(sp[1], d + 1)
            allowed_here = self.allowed[e][d]
            cell: dict[int, object] = {}
            for s in allowed_here:
                v = new_bool(proto).with_domain(_BOOL)   # = model.new_bool_var, unnamed
                self.work[(e, d, s)] = v
                cell[s] = v
            self._cell[(e, d)] = cell
            if not allowed_here:
                self._on[(e, d)] = 0
            elif len(allowed_here) == 1:
                self._on[(e, d)] = cell[allowed_here[0]]
            else:
                off = self.model.new_bool_var("")
                self.model.add_exactly_one([off, *cell.values()])
                self._on[(e, d)] = ~off
        self.active_employees = sorted(span)
        self.span = {e: (lo, hi) for e, (lo, hi) in span.items()}
        # per-person constants of the frozen cells (for totals)
        self.frozen_counts: dict[int, list[int]] = {}
        if values is not None:
            for e in self.active_employees:
                counts = [0] * self.S
                for d in range(self.H):
                    if (e, d) not in self._cell:
                        v = values.get((e, d), OFF)
                        if v >= 0:
                            counts[v] += 1
                self.frozen_counts[e] = counts

        for rule in self.rules:
            rule.apply(self)
        self.model.minimize(self.objective_expr())

    # -- cells ---------------------------------------------------------------------------
    def x(self, e: int, d: int, s: int):
        """1/0 or the literal 'employee e works shift s on day d' (0 outside the horizon)."""
        cell = self._cell.get((e, d))
        if cell is not None:
            return cell.get(s, 0)
        if self.values is None or d < 0 or d >= self.H:
            return 0
        return 1 if self.values.get((e, d), OFF) == s else 0

    def on(self, e: int, d: int):
        """1/0 or the literal 'employee e works on day d' (days outside the horizon: 0)."""
        lit = self._on.get((e, d))
        if lit is not None:
            return lit
        if self.values is None or d < 0 or d >= self.H:
            return 0
        return 0 if self.values.get((e, d), OFF) == OFF else 1

    def cell(self, e: int, d: int) -> dict | None:
        """{shift index: literal} of a free cell (its allowed shifts), None if frozen."""
        return self._cell.get((e, d))

    def value(self, e: int, d: int) -> int:
        """The shift index (or OFF) of a frozen cell; OFF outside the horizon."""
        if self.values is None or d < 0 or d >= self.H:
            return OFF
        return self.values.get((e, d), OFF)

    def off(self, e: int, d: int):
        return neg(self.on(e, d))

    def is_free(self, e: int, d: int) -> bool:
        return (e, d) in self._cell

    def days_near(self, e: int, before: int, after: int) -> range:
        """Days d whose constraints may touch a free cell of e: the free span of e widened
        by ``before`` days before and ``after`` days after, clipped to the horizon."""
        lo, hi = self.span.get(e, (0, 0))
        return range(max(0, lo - before), min(self.H, hi + after))

    def free_terms(self, e: int):
        """(day, shift, literal) of every free cell of employee e."""
        lo, hi = self.span.get(e, (0, 0))
        for d in range(lo, hi):
            cell = self._cell.get((e, d))
            if cell:
                for s, v in cell.items():
                    yield d, s, v

    def frozen_count(self, e: int, s: int) -> int:
        """How many frozen cells of employee e hold shift s."""
        counts = self.frozen_counts.get(e)
        return counts[s] if counts else 0

    # -- helpers that fold constants -----------------------------------------------------
    def clause(self, lits: Iterable) -> None:
        """At least one of ``lits`` is true (constants allowed)."""
        out = []
        for x in lits:
            if is_const(x):
                if x:
                    return
                continue
            out.append(x)
        self.model.add_bool_or(out)  # empty: the frozen part already breaks it

    def at_most_one(self, lits: Iterable) -> None:
        out = []
        ones = 0
        for x in lits:
            if is_const(x):
                ones += x
            else:
                out.append(x)
        if ones > 1:
            self.model.add_bool_or([])
        elif ones == 1:
            for x in out:
                self.model.add(x == 0)
        elif len(out) > 1:
            self.model.add_at_most_one(out)

    def linear_range(self, terms: Iterable[tuple[int, object]], lb: int | None,
                     ub: int | None) -> None:
        """lb <= sum(coef * x) <= ub, constants folded; None = unbounded on that side."""
        coefs, xs, const = split_terms(terms)
        if not xs:
            if (lb is not None and const < lb) or (ub is not None and const > ub):
                self.model.add_bool_or([])
            return
        lo = -cp_model.INT_MAX if lb is None else lb - const
        hi = cp_model.INT_MAX if ub is None else ub - const
        pos_max = sum(c for c in coefs if c > 0)
        neg_min = sum(c for c in coefs if c < 0)
        if lo <= neg_min and hi >= pos_max:
            return  # cannot bind
        self.model.add_linear_constraint(cp_model.LinearExpr.weighted_sum(xs, coefs), lo, hi)

    def cost(self, weight: int, x, rule: str = "objective") -> None:
        """Add ``weight * x`` to the objective (x: literal, int variable or constant)."""
        if not weight:
            return
        if is_const(x):
            self.offset += weight * x
        else:
            self._obj_vars.append(x)
            self._obj_coefs.append(weight)
        self.cost_by_rule[rule] = self.cost_by_rule.get(rule, 0) + 1

    def cost_not(self, weight: int, lit, rule: str = "objective") -> None:
        """Add ``weight * (1 - lit)`` to the objective."""
        if is_const(lit):
            self.cost(weight, 1 - lit, rule)
        else:
            self.cost(weight, ~lit, rule)

    def objective_expr(self):
        return cp_model.LinearExpr.weighted_sum(self._obj_vars, self._obj_coefs) + self.offset

    # -- hints and results ---------------------------------------------------------------
    def add_hint(self, values: dict[tuple[int, int], int]) -> None:
        """Hint every free cell from ``values[(e, d)]`` (shift index or OFF)."""
        self.model.clear_hints()
        hint = self.model.proto.solution_hint
        hint.vars.extend(v.index for v in self.work.values())
        hint.values.extend(int(values.get((e, d), OFF) == s) for e, d, s in self.work)

    def complete_hint(self, limit: float = 1.0) -> bool:
        """Extend the cell hint to every variable of the model (cover slacks, weekend and
        run literals, ...) by a solve with the hinted cells fixed (a solver parameter: the
        model itself is not changed).  CP-SAT takes a complete, feasible hint as its first
        solution at once, so a short sub-solve starts from the incumbent and its cost instead
        of searching for it.  False (the partial hint kept) if that solve finds no solution
        within ``limit`` (deterministic time, so that deterministic solves stay
        reproducible)."""
        solver = cp_model.CpSolver()
        prm = solver.parameters
        prm.num_workers = 1
        prm.fix_variables_to_their_hinted_value = True
        prm.linearization_level = 0
        prm.max_deterministic_time = limit
        if solver.solve(self.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        full = list(solver.response_proto.solution)
        self.model.clear_hints()
        hint = self.model.proto.solution_hint
        hint.vars.extend(range(len(full)))
        hint.values.extend(full)
        return True

    def read(self, solver) -> dict[tuple[int, int], int]:
        """Cell values (shift index or OFF) for every cell, from a solver or a solution
        callback (anything with ``response_proto``)."""
        return self.read_solution(solver.response_proto.solution)

    def read_solution(self, solution) -> dict[tuple[int, int], int]:
        """Cell values from the raw solution vector of the model (indexed by variable)."""
        sol = list(solution)
        out: dict[tuple[int, int], int] = dict(self.values) if self.values else {}
        for c in self._cell:
            out[c] = OFF
        for (e, d, s), v in self.work.items():
            if sol[v.index]:
                out[(e, d)] = s
        return out


def domains(problem: Problem, rules: Sequence["Rule"]) -> list[list[list[int]]]:
    """The allowed shift indexes of every cell after the rules' pruning (compute once)."""
    S = len(problem.shift_types)
    probe = _DomainProbe(problem, S)
    for rule in rules:
        rule.domain(probe)
    return probe.allowed


class _DomainProbe:
    """Just enough of a context for ``Rule.domain``."""

    def __init__(self, problem: Problem, S: int):
        self.problem = problem
        self.H = problem.horizon
        self.emp_ids = problem.employee_ids
        self.shift_ids = problem.shift_ids
        self.E = len(self.emp_ids)
        self.S = S
        self.minutes = [s.minutes for s in problem.shift_types]
        self.emp_index = {e.id: i for i, e in enumerate(problem.employees)}
        self.shift_index = {s.id: i for i, s in enumerate(problem.shift_types)}
        self.data: dict = {}
        self.allowed = [[list(range(S)) for _ in range(problem.horizon)]
                        for _ in problem.employees]
