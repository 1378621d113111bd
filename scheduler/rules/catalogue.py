"""The rule catalogue: every rule of dutydesk defined once (issue 22 item 1).

Each entry says what a rule is — its code (the ``rule`` of the violations it reports), hard or
soft, its objective weights (soft) and priority, the parameters a station file may set with
their defaults and ranges, where it is enforced (the module and class whose constraints the
solver or planner adds) and which validator checks a finished result without the solver. Its
name, the meaning of each parameter and the legal or evidence source are texts a user reads, so
they live in the message catalogue (``messages/rules.py``: ``rule.<code>``,
``rule.<code>.source``, ``rule.<code>.what``, ``param.<key>``) in Chinese and English.

The solver's weights, the station-file parser's ranges and defaults (``stationdef.rules``),
``station show``, the terminal app's rules list, refusal messages and explanations all read
this table. ``tests/test_rule_catalogue.py`` fails when a documented parameter has no enforcing
module that reads it, or a rule's enforcer or validator does not exist.

Priorities (DESIGN.md §4): legal rules > cover > rest and fatigue > fairness > requests >
stability.
"""
from __future__ import annotations

from dataclasses import dataclass, field

PRIORITY_LEGAL, PRIORITY_COVER, PRIORITY_REST, PRIORITY_FAIRNESS, PRIORITY_REQUESTS, PRIORITY_STABILITY = \
    1, 2, 3, 4, 5, 6


@dataclass(frozen=True)
class Param:
    """A station-file ``[rules]`` parameter."""

    key: str
    default: float | int | bool
    unit: str
    minimum: float
    maximum: float
    kind: type = int


@dataclass(frozen=True)
class RuleDef:
    """One rule. ``enforcer`` and ``validator`` are ``module:attribute`` paths (the attribute may
    be ``Class.method``); ``validator`` is None only for operational settings that shape what
    runs, not a result that could break them."""

    code: str
    hard: bool
    priority: int
    enforcer: str
    validator: str | None
    params: tuple[Param, ...] = ()
    weights: dict[str, int] = field(default_factory=dict)   # soft: objective weight per unit
    scope: str = "roster"            # roster | patrol | operations
    reads: str | None = None         # the module that reads the parameters into the enforcer, when not its own

    @property
    def name_key(self) -> str:
        return f"rule.{self.code}"

    @property
    def source_key(self) -> str:
        return f"rule.{self.code}.source"

    @property
    def what_key(self) -> str:
        return f"rule.{self.code}.what"

    def weight(self, which: str = "unit") -> int:
        return self.weights[which]


_S = "scheduler.station.rules"
_C = "scheduler.rules.cells"
_Q = "scheduler.rules.sequences"
_P = "scheduler.patrol"
_B = "scheduler.station.build"

RULES: tuple[RuleDef, ...] = (
    # -- legal rules and staffing (hard) -----------------------------------------------------
    RuleDef("skills", True, PRIORITY_LEGAL, f"{_S}:Eligibility", f"{_S}:Eligibility.validate"),
    RuleDef("team_min_sworn", True, PRIORITY_LEGAL, f"{_S}:TeamRules", f"{_S}:TeamRules.validate"),
    RuleDef("team_case", True, PRIORITY_LEGAL, f"{_S}:TeamRules", f"{_S}:TeamRules.validate",
            params=(Param("case_duty_min_sworn", 2, "民警", 2, 6),)),
    RuleDef("team_aux", True, PRIORITY_LEGAL, f"{_S}:TeamRules", f"{_S}:TeamRules.validate"),
    RuleDef("team_patrol", True, PRIORITY_LEGAL, f"{_S}:TeamRules", f"{_S}:TeamRules.validate",
            params=(Param("patrol_team_min", 2, "people", 2, 6),)),
    RuleDef("team_composition", True, PRIORITY_LEGAL, f"{_S}:TeamRules", f"{_S}:TeamRules.validate"),
    RuleDef("team_crew_skill", True, PRIORITY_LEGAL, f"{_S}:TeamRules", f"{_S}:TeamRules.validate"),
    RuleDef("aux_overtime", True, PRIORITY_LEGAL, f"{_S}:AuxOvertimeMonth", f"{_S}:AuxOvertimeMonth.validate",
            params=(Param("aux_overtime_cap_hours_month", 36, "h", 0, 100, float),)),
    # -- structure -------------------------------------------------------------------------
    RuleDef("one_shift_per_day", True, PRIORITY_LEGAL, f"{_C}:OneShiftPerDay", f"{_C}:OneShiftPerDay.validate"),
    RuleDef("days_off", True, PRIORITY_LEGAL, f"{_C}:DaysOffAndFixed", f"{_C}:DaysOffAndFixed.validate"),
    # -- cover (elastic) -------------------------------------------------------------------
    RuleDef("cover", False, PRIORITY_COVER, "scheduler.rules.soft:CoverRule", "scheduler.rules.soft:CoverRule.validate",
            weights={"under": 100_000, "over": 3_000}),
    # -- rest and fatigue (hard) -----------------------------------------------------------
    RuleDef("succession", True, PRIORITY_REST, f"{_Q}:Successions", f"{_Q}:Successions.validate",
            params=(Param("min_rest_hours", 11, "h", 0, 24), Param("no_day_after_night", True, "", 0, 1, bool)),
            reads=_B),
    RuleDef("rest_after_24h", True, PRIORITY_REST, f"{_S}:RestAfter24h", f"{_S}:RestAfter24h.validate",
            params=(Param("rest_days_after_24h", 1, "days", 0, 3),)),
    RuleDef("max_nights", True, PRIORITY_REST, f"{_S}:MaxNightsInARow", f"{_S}:MaxNightsInARow.validate",
            params=(Param("max_nights_in_a_row", 2, "nights", 1, 14),)),
    RuleDef("max_consecutive_work", True, PRIORITY_REST, f"{_Q}:MaxConsecutiveWork",
            f"{_Q}:MaxConsecutiveWork.validate", params=(Param("max_consecutive_days", 6, "days", 1, 14),), reads=_B),
    RuleDef("seam", True, PRIORITY_REST, "scheduler.station.seam:SeamAfter", "scheduler.station.seam:SeamAfter.validate",
            reads=_B),
    # -- soft: safety, hours, weekends, fairness --------------------------------------------
    RuleDef("woman_on_duty", False, PRIORITY_REST, f"{_S}:WomanOnDuty", f"{_S}:WomanOnDuty.validate",
            weights={"unit": 5_000}),
    RuleDef("post_woman", False, PRIORITY_REST, f"{_S}:PostWoman", f"{_S}:PostWoman.validate",
            weights={"unit": 4_000}),
    RuleDef("max_weekends", False, PRIORITY_REST, f"{_S}:WeekendsPer4Weeks", f"{_S}:WeekendsPer4Weeks.validate",
            params=(Param("max_weekends_per_4_weeks", 3, "weekends", 0, 4),), weights={"unit": 20_000}),
    RuleDef("hours_target", False, PRIORITY_REST, f"{_S}:HoursTarget", f"{_S}:HoursTarget.validate",
            params=(Param("weekly_hours", 40, "h", 20, 80, float),), weights={"under": 1, "over": 2}),
    RuleDef("community_share", False, PRIORITY_FAIRNESS, f"{_S}:CommunityShare", f"{_S}:CommunityShare.validate",
            params=(Param("community_share_min", 0.8, "share", 0, 1, float),), weights={"unit": 1}),
    RuleDef("fairness", False, PRIORITY_FAIRNESS, f"{_S}:Fairness", f"{_S}:Fairness.validate",
            weights={"spread": 30, "max": 60}),
    RuleDef("requests", False, PRIORITY_REQUESTS, f"{_S}:StationRequests", f"{_S}:StationRequests.validate",
            weights={"unit": 300}),
    RuleDef("changes", False, PRIORITY_STABILITY, f"{_S}:StationChanges", f"{_S}:StationChanges.validate",
            weights={"unit": 2_000}),
    # -- night patrol planning -------------------------------------------------------------
    RuleDef("patrol_visits", True, PRIORITY_LEGAL, f"{_P}.planner:plan_night", f"{_P}.validate:validate_plan",
            params=(Param("patrol_max_gap_minutes", 120, "min", 30, 480),), scope="patrol", reads="usecases.patrol"),
    RuleDef("patrol_travel", True, PRIORITY_LEGAL, f"{_P}.planner:plan_night", f"{_P}.validate:validate_plan",
            params=(Param("patrol_speed_kmh", 25, "km/h", 5, 80, float),), scope="patrol", reads="usecases.patrol"),
    RuleDef("patrol_free", True, PRIORITY_LEGAL, f"{_P}.planner:plan_night", f"{_P}.validate:validate_plan",
            params=(Param("patrol_free_share", 0.3, "share", 0, 0.9, float),), scope="patrol", reads="usecases.patrol"),
    RuleDef("patrol_break", True, PRIORITY_REST, f"{_P}.planner:plan_night", f"{_P}.validate:validate_plan",
            params=(Param("patrol_break_minutes", 30, "min", 0, 120),), scope="patrol", reads="usecases.patrol"),
    # -- operations (settings of the nightly job, nothing a result could break) -------------
    RuleDef("nightly_horizon", False, PRIORITY_STABILITY, "usecases.nightly:plan_roster_extension", None,
            params=(Param("nightly_days_ahead", 28, "days", 1, 120), Param("nightly_min_days", 7, "days", 1, 60)),
            scope="operations"),
)

CATALOGUE: dict[str, RuleDef] = {r.code: r for r in RULES}
PARAMS: dict[str, tuple[Param, RuleDef]] = {p.key: (p, r) for r in RULES for p in r.params}


def rule(code: str) -> RuleDef:
    return CATALOGUE[code]


def weight(code: str, which: str = "unit") -> int:
    return CATALOGUE[code].weights[which]


def param_default(key: str):
    return PARAMS[key][0].default


def rule_of_param(key: str) -> RuleDef:
    return PARAMS[key][1]


def listing(values: dict | None = None) -> list[dict]:
    """Every rule as ``station show`` and the terminal app list it: name, what it says and its
    source in both languages, hard or soft, priority, weights, each parameter with the value in
    force (``values``: the station's, else the default) and its range, enforcer and validator."""
    from messages import t
    values = values or {}
    out = []
    for r in RULES:
        params = [{"key": p.key, "value": values.get(p.key, p.default), "default": p.default, "unit": p.unit,
                   "minimum": p.minimum, "maximum": p.maximum,
                   "description": t(f"param.{p.key}", _lang_override="en"),
                   "description_zh": t(f"param.{p.key}", _lang_override="zh")} for p in r.params]
        out.append({"code": r.code, "name": t(r.name_key, _lang_override="en"),
                    "name_zh": t(r.name_key, _lang_override="zh"), "hard": r.hard, "priority": r.priority,
                    "priority_name": t(f"rules.priority.{r.priority}", _lang_override="en"),
                    "priority_name_zh": t(f"rules.priority.{r.priority}", _lang_override="zh"),
                    "weights": dict(r.weights), "params": params,
                    "what": t(r.what_key, _lang_override="en"), "what_zh": t(r.what_key, _lang_override="zh"),
                    "source": t(r.source_key, _lang_override="en"), "source_zh": t(r.source_key, _lang_override="zh"),
                    "enforcer": r.enforcer, "validator": r.validator, "scope": r.scope})
    return out
