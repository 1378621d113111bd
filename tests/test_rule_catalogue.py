"""The rule catalogue (scheduler/rules/catalogue.py) is the one place a rule is defined
(issue 22 item 1): every documented parameter belongs to a rule whose enforcer exists and reads
it and whose validator exists; every rule has its name, meaning and source in both languages;
the solver builds every roster rule of the catalogue; weights, defaults and ranges elsewhere
are the catalogue's."""
from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

from messages import MESSAGES
from scheduler.rules.catalogue import CATALOGUE, PARAMS, RULES

REPO = Path(__file__).resolve().parent.parent


def resolve(path: str):
    module, _, attr = path.partition(":")
    obj = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


def documented_params() -> list[str]:
    """The keys of the [rules] table in docs/station-file.md."""
    text = (REPO / "docs" / "station-file.md").read_text(encoding="utf-8")
    section = text.split("## `[rules]`", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z0-9_]+)` \|", section, flags=re.M)


def test_the_docs_list_the_catalogue_parameters():
    documented = documented_params()
    assert documented, "no [rules] table found in docs/station-file.md"
    assert sorted(documented) == sorted(PARAMS)


@pytest.mark.parametrize("key", sorted(set(documented_params()) | set(PARAMS)))
def test_every_documented_parameter_is_enforced_and_validated(key):
    assert key in PARAMS, f"{key} is documented but no rule of the catalogue has it"
    param, rule = PARAMS[key]
    enforcer = resolve(rule.enforcer)
    readers = [inspect.getsource(inspect.getmodule(enforcer))]
    if rule.reads:
        readers.append(inspect.getsource(importlib.import_module(rule.reads)))
    assert any(f'"{key}"' in src for src in readers), f"{key}: neither {rule.enforcer} nor {rule.reads} reads it"
    if rule.scope != "operations":
        assert rule.validator, f"{key}: rule {rule.code} has no validator"
        assert callable(resolve(rule.validator))
    else:
        assert rule.validator is None


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_texts_an_enforcer_and_a_validator(rule):
    for key in (rule.name_key, rule.source_key, rule.what_key):
        assert key in MESSAGES, f"{key} missing from messages/rules.py"
    assert callable(resolve(rule.enforcer))
    if rule.validator:
        assert callable(resolve(rule.validator))
    assert rule.hard or rule.weights or rule.scope == "operations", f"soft rule {rule.code} has no weight"


def test_the_station_solver_builds_every_roster_rule_of_the_catalogue():
    from scheduler.station.build import build
    from tests.station_helpers import small_station
    _, rules = build(small_station(days=2, previous={}))
    from scheduler.station.rules import Named
    built = {type(r.rule) if isinstance(r, Named) else type(r) for r in rules}   # generic modules, named
    for rule in RULES:
        if rule.scope != "roster" or rule.code in ("changes", "seam"):   # changes: only when repairing; seam: a roster after it
            continue
        assert resolve(rule.enforcer) in built, f"{rule.code}: {rule.enforcer} is not in the station model"


def test_every_violation_names_a_catalogue_rule():
    """Break each station rule once: the violations name catalogue codes (so names, sources and
    hard/soft come from the catalogue)."""
    from scheduler.station.build import build
    from scheduler.validate import validate
    from tests.station_helpers import small_station
    sp = small_station(days=3, history={"S1": ["N@PAT", "N@PAT"]})
    problem, rules = build(sp)
    roster = {(p.badge, d): None for p in sp.people for d in range(3)}
    roster.update({("S1", 0): "N@PAT", ("A1", 0): "N@PAT", ("A2", 1): "D@PAT", ("A3", 1): "D@PAT",
                   ("C1", 1): "Z@CASE", ("C1", 2): "D@PAT"})
    found = validate(problem, roster, rules)
    assert {v.rule for v in found} >= {"max_nights", "team_aux", "team_case", "rest_after_24h", "cover"}
    for v in found:
        assert v.rule in CATALOGUE, v.rule
        assert v.hard == CATALOGUE[v.rule].hard, v.rule


def test_weights_and_defaults_elsewhere_are_the_catalogue_s():
    from scheduler.station import rules as sr
    from stationdef.rules import RULE_SPECS
    assert sr.W_UNDER == CATALOGUE["cover"].weights["under"] and sr.W_WEEKENDS == CATALOGUE["max_weekends"].weights["unit"]
    for key, spec in RULE_SPECS.items():
        assert (spec.default, spec.minimum, spec.maximum) == (PARAMS[key][0].default, PARAMS[key][0].minimum,
                                                              PARAMS[key][0].maximum)
