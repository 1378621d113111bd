"""Rule modules of the roster engine.  ``standard_rules()`` is the list the Curtois adapter
and the station rosters start from; station modules are appended to it."""
from __future__ import annotations

from scheduler.rules.base import Rule
from scheduler.rules.cells import DaysOffAndFixed, OneShiftPerDay, ShiftTypeLimits, TotalMinutes
from scheduler.rules.sequences import (MaxConsecutiveWork, MaxWeekends, MinConsecutiveDaysOff,
                                       MinConsecutiveWork, Successions)
from scheduler.rules.soft import ChangePenalty, CoverRule, Requests


def standard_rules() -> list[Rule]:
    """The rule families of the benchmark and of every roster, in a fixed order."""
    return [OneShiftPerDay(), DaysOffAndFixed(), ShiftTypeLimits(), TotalMinutes(),
            Successions(), MaxConsecutiveWork(), MinConsecutiveWork(),
            MinConsecutiveDaysOff(), MaxWeekends(), Requests(), CoverRule()]


__all__ = ["Rule", "standard_rules", "OneShiftPerDay", "DaysOffAndFixed", "ShiftTypeLimits",
           "TotalMinutes", "Successions", "MaxConsecutiveWork", "MinConsecutiveWork",
           "MinConsecutiveDaysOff", "MaxWeekends", "Requests", "CoverRule", "ChangePenalty"]
