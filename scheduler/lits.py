"""Literal helpers shared by the context and the rule modules (no solver import here)."""
from __future__ import annotations

OFF = -1  # the value of a day off in a cell (shift indexes are >= 0)


def is_const(x) -> bool:
    """True for a 0/1 constant (a frozen cell), False for a solver literal."""
    return isinstance(x, int)


def neg(x):
    """Negation of a literal or a 0/1 constant."""
    if is_const(x):
        return 1 - x
    return ~x


def split_terms(pairs):
    """(coef, literal-or-constant) pairs -> (coefs, solver terms, constant)."""
    coefs, xs, const = [], [], 0
    for c, x in pairs:
        if is_const(x):
            const += c * x
        elif c:
            coefs.append(c)
            xs.append(x)
    return coefs, xs, const
