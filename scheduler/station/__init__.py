"""Station rosters on the roster engine: posts (一警多能), legal team rules, rest, fairness,
explanations and repair.

A cell of the core engine holds a *slot code* ``"SHIFT@POST"`` (e.g. ``"N@PAT1"``): the post
dimension is folded into the engine's shift types, so the core rule modules (one shift a day,
rest successions, runs, leave, elastic cover, change penalty) apply unchanged and the station
modules in :mod:`scheduler.station.rules` add what is specific to a police station.
"""
from scheduler.station.model import (SLOT_SEP, Assignment, SPerson, SPost, SRequest, SShift,
                                     StationRosterProblem, slot_code, split_slot)

__all__ = ["SLOT_SEP", "Assignment", "SPerson", "SPost", "SRequest", "SShift", "StationRosterProblem",
           "slot_code", "split_slot"]
