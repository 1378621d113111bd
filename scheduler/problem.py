"""Plain data in and out of the roster engine: no solver types here.

A *roster* is a mapping ``(employee_id, day) -> shift_id | None`` (None = day off), with one
entry for every employee and every day ``0 .. horizon-1``.  Day 0 may be any weekday
(``Problem.start_weekday``, 0 = Monday .. 6 = Sunday); weekends are computed from it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

Roster = dict[tuple[str, int], "str | None"]

DAY_MINUTES = 1440


@dataclass(frozen=True)
class ShiftType:
    """A kind of shift. ``start_minute`` (minutes after midnight) is needed only when the
    forbidden successions are computed from clock times and a minimum rest."""

    id: str
    minutes: int
    start_minute: int | None = None
    name: str | None = None


@dataclass(frozen=True)
class History:
    """What happened just before day 0, for the rules at the start edge.

    ``last_shift``: the shift worked on day -1, or None if day -1 was off.
    ``work_run``: consecutive worked days ending on day -1 (0 if day -1 was off).
    ``off_run``: consecutive days off ending on day -1 (0 if day -1 was worked).
    A run length counts from the last change, so it is exact, not truncated.
    """

    last_shift: str | None = None
    work_run: int = 0
    off_run: int = 0

    @classmethod
    def from_days(cls, days: Iterable[str | None], *, complete: bool = True) -> "History":
        """Build from the roster of the days before day 0, oldest first. With
        ``complete=False`` a run that reaches the first given day is taken as that long
        (callers should pass enough days to cover the longest rule window)."""
        seq = list(days)
        if not seq:
            return cls()
        last = seq[-1]
        run = 0
        for v in reversed(seq):
            if (v is None) == (last is None):
                run += 1
            else:
                break
        if last is None:
            return cls(last_shift=None, work_run=0, off_run=run)
        return cls(last_shift=last, work_run=run, off_run=0)


@dataclass(frozen=True)
class Employee:
    """One person and the personal limits of the rule families.

    ``max_shifts``: per shift type maximum count (a missing type means no limit; 0 means the
    person may not work that type).  Minutes and run limits: None means no limit.
    """

    id: str
    max_shifts: Mapping[str, int] = field(default_factory=dict)
    min_minutes: int | None = None
    max_minutes: int | None = None
    min_consecutive: int | None = None      # minimum length of a block of worked days
    max_consecutive: int | None = None      # maximum length of a block of worked days
    min_days_off: int | None = None         # minimum length of a block of days off
    max_weekends: int | None = None         # maximum number of worked weekends
    history: History | None = None          # None: no history, the edge rule applies
    name: str | None = None


@dataclass(frozen=True)
class Request:
    """A soft wish: ``on=True`` to work ``shift`` on ``day``, ``on=False`` not to."""

    employee: str
    day: int
    shift: str
    weight: int
    on: bool = True


@dataclass(frozen=True)
class Cover:
    """Preferred number of people on ``shift`` on ``day``; elastic in both directions."""

    day: int
    shift: str
    requirement: int
    weight_under: int = 100
    weight_over: int = 1


@dataclass
class Problem:
    """People x days x shift types, with everything the standard rule modules read.

    ``forbidden``: successions (a, b) where b may not be worked the day after a.  When None,
    they are computed from ``min_rest_minutes`` and the shift clock times (see
    :meth:`forbidden_successions`).
    ``days_off``: hard days off and leave per employee.
    ``fixed``: cells that must take a given value (shift id, or None for off).
    ``edge_exempt``: the Curtois rule: a work block or an off block touching the end of the
    horizon (or day 0 when the employee has no history) is exempt from the minimum run
    lengths.  With False such blocks must reach the minimum too.  Days outside the horizon
    count as days off for the maximum run and the successions in both cases.
    """

    horizon: int
    shift_types: list[ShiftType]
    employees: list[Employee]
    requests: list[Request] = field(default_factory=list)
    cover: list[Cover] = field(default_factory=list)
    days_off: dict[str, frozenset[int]] = field(default_factory=dict)
    fixed: dict[tuple[str, int], str | None] = field(default_factory=dict)
    forbidden: set[tuple[str, str]] | None = None
    min_rest_minutes: int | None = None
    start_weekday: int = 0
    edge_exempt: bool = True
    name: str = "problem"

    def __post_init__(self) -> None:
        self.days_off = {k: frozenset(v) for k, v in self.days_off.items()}

    # -- lookups -------------------------------------------------------------------------
    def shift(self, shift_id: str) -> ShiftType:
        for s in self.shift_types:
            if s.id == shift_id:
                return s
        raise KeyError(shift_id)

    @property
    def shift_ids(self) -> list[str]:
        return [s.id for s in self.shift_types]

    @property
    def employee_ids(self) -> list[str]:
        return [e.id for e in self.employees]

    def weekday(self, day: int) -> int:
        return (self.start_weekday + day) % 7

    def weekends(self) -> list[list[int]]:
        """Weekends as lists of days inside the horizon: [Saturday, Sunday], or a lone
        Saturday / Sunday when the horizon cuts a weekend."""
        groups: dict[int, list[int]] = {}
        for d in range(self.horizon):
            wd = self.weekday(d)
            if wd >= 5:
                groups.setdefault((self.start_weekday + d + 2) // 7, []).append(d)
        return [groups[k] for k in sorted(groups)]

    def forbidden_successions(self) -> set[tuple[str, str]]:
        """(a, b): b may not be worked on the day after a.  Given explicitly, or computed:
        the rest between a's end and b's start on the next day is below the minimum rest,
        i.e. ``1440 + start(b) - (start(a) + len(a)) < min_rest``."""
        if self.forbidden is not None:
            return set(self.forbidden)
        out: set[tuple[str, str]] = set()
        if self.min_rest_minutes is None:
            return out
        for a in self.shift_types:
            for b in self.shift_types:
                if a.start_minute is None or b.start_minute is None:
                    continue
                rest = DAY_MINUTES + b.start_minute - (a.start_minute + a.minutes)
                if rest < self.min_rest_minutes:
                    out.add((a.id, b.id))
        return out


@dataclass
class Violation:
    """One broken rule in a finished roster. ``penalty`` is the objective cost (soft rules)."""

    rule: str
    employee: str | None
    day: int | None
    message: str
    hard: bool = True
    penalty: int = 0
    msg: object = field(default=None, compare=False)   # the message as key and values (messages.Msg), if any

    def to_json(self) -> dict:
        out = {"rule": self.rule, "employee": self.employee, "day": self.day,
               "message": self.message, "hard": self.hard, "penalty": self.penalty}
        if self.msg is not None:
            out["message_zh"] = self.msg.render("zh")
        return out


@dataclass
class Progress:
    """What a progress callback receives."""

    objective: int | None
    bound: int | None
    elapsed: float
    phase: str              # "first", "lns", "done"
    iteration: int = 0


@dataclass
class Solution:
    """What the engine returns: the best roster found, with its bound and gap.

    ``status``: OPTIMAL (proved), FEASIBLE (a roster, not proved optimal), INFEASIBLE (the hard
    rules cannot all hold), UNKNOWN (no roster within the limit).
    """

    assignment: Roster
    objective: int | None
    bound: int | None
    status: str
    wall_s: float
    problem_name: str = "problem"
    violations: list[Violation] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        """Relative gap (objective - bound) / objective, 0 when proved optimal."""
        if self.objective is None or self.bound is None:
            return None
        if self.objective == 0:
            return 0.0 if self.bound >= 0 else None
        return max(0.0, (self.objective - self.bound) / abs(self.objective))

    @property
    def hard_violations(self) -> list[Violation]:
        return [v for v in self.violations if v.hard]

    def roster(self, problem: Problem) -> dict[str, list[str | None]]:
        """Employee id -> one entry per day (shift id or None)."""
        return {e.id: [self.assignment.get((e.id, d)) for d in range(problem.horizon)]
                for e in problem.employees}
