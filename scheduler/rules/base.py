"""The rule-module interface.

A rule module adds its constraints and objective terms to a :class:`ModelContext`
(``apply``), may prune the cell domains before any variable exists (``domain``), and checks a
finished roster on its own, without the solver (``validate``).  Tests solve, then validate.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from scheduler.problem import Problem, Roster, Violation

if TYPE_CHECKING:  # pragma: no cover
    from scheduler.context import ModelContext


class Rule:
    """Base class of a rule family. ``hard`` rules produce hard violations."""

    name = "rule"
    hard = True

    def domain(self, ctx: "ModelContext") -> None:
        """Prune ``ctx.allowed[e][d]`` (shift indexes) before variables are made."""

    def apply(self, ctx: "ModelContext") -> None:
        """Add constraints and objective terms."""

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        """Check a finished roster; return every violation (soft ones with their penalty)."""
        return []

    def elastic(self, weight: int) -> "Rule":
        """A copy whose hard limits that a roster under construction may miss become
        penalties of ``weight`` per unit (the engine uses it to build a first roster on
        large problems); rules without such a form return themselves."""
        return self

    def __repr__(self) -> str:  # pragma: no cover
        return f"{type(self).__name__}()"


def violation(rule: str, eid: str | None, day: int | None, key: str, *, hard: bool = True, penalty: int = 0,
              **values) -> Violation:
    """A violation whose text is catalogue message ``key`` (messages/rules.py, ``v.g.*``) with
    ``values``: ``message`` is its English rendering (logs, JSON, the benchmarks), ``msg`` renders
    in the reader's language."""
    from messages import Msg
    msg = Msg(key, **values)
    return Violation(rule, eid, day, msg.render("en"), hard=hard, penalty=penalty, msg=msg)


def off_or(code: str | None):
    """A cell as a message value: its code, or "off" in the reader's language."""
    from messages import Msg
    return code if code else Msg("v.off")


def rows(problem: Problem, roster: Roster) -> dict[str, list[str | None]]:
    """Employee id -> list of the day values (missing cells read as off)."""
    return {e.id: [roster.get((e.id, d)) for d in range(problem.horizon)]
            for e in problem.employees}


def runs(seq: list[bool]) -> list[tuple[int, int, bool]]:
    """Maximal blocks of equal values: (start, length, value)."""
    out = []
    d = 0
    n = len(seq)
    while d < n:
        v = seq[d]
        start = d
        while d < n and seq[d] == v:
            d += 1
        out.append((start, d - start, v))
    return out
