"""The rule parameters a station file may set, with defaults, units, ranges and sources.

They are read from the one rule catalogue (scheduler/rules/catalogue.py); their meanings and
sources are texts of the message catalogue (messages/rules.py). Rules are data (DESIGN.md §3).
"""
from __future__ import annotations

from dataclasses import dataclass

from messages import t
from scheduler.rules.catalogue import PARAMS, Param, RuleDef


@dataclass(frozen=True)
class RuleSpec:
    """A ``[rules]`` parameter as the station file sees it: the catalogue's parameter and rule."""

    param: Param
    rule: RuleDef

    @property
    def key(self) -> str:
        return self.param.key

    @property
    def default(self):
        return self.param.default

    @property
    def unit(self) -> str:
        return self.param.unit

    @property
    def minimum(self) -> float:
        return self.param.minimum

    @property
    def maximum(self) -> float:
        return self.param.maximum

    @property
    def kind(self) -> type:
        return self.param.kind

    @property
    def description(self) -> str:
        return t(f"param.{self.key}")

    @property
    def source(self) -> str:
        return t(self.rule.source_key)


RULE_SPECS: dict[str, RuleSpec] = {key: RuleSpec(p, r) for key, (p, r) in PARAMS.items()}


def default_rules() -> dict[str, float | int | bool]:
    return {k: s.default for k, s in RULE_SPECS.items()}
