"""Validate a finished roster with the rule modules' own validators (no solver)."""
from __future__ import annotations

from typing import Sequence

from scheduler.problem import Problem, Roster, Violation


def validate(problem: Problem, roster: Roster, rules: Sequence | None = None) -> list[Violation]:
    """Every violation of every rule module; soft ones carry their penalty."""
    if rules is None:
        from scheduler.rules import standard_rules
        rules = standard_rules()
    out: list[Violation] = []
    for rule in rules:
        out.extend(rule.validate(problem, roster))
    return out


def penalty(violations: Sequence[Violation]) -> int:
    """The objective value implied by the soft violations."""
    return sum(v.penalty for v in violations if not v.hard)


def hard(violations: Sequence[Violation]) -> list[Violation]:
    return [v for v in violations if v.hard]
