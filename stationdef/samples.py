"""Stations beyond the demo, for tests and benchmarks (issue 22 item 8).

* ``rural_station()``: 西河派出所, a small rural station (交所合一) of 18 people where everyone
  works 24 h duties; station file ``stationdef/rural_station.toml``.
* ``urban_station()``: 城南派出所, a 150-person urban station with three 暖心警务会客厅 windows,
  six patrol cars, two case duty teams, four community posts and 40 hot spots; station file
  ``stationdef/urban_station.toml``.

The station files are written from docs/station-file.md as a new station would write them; the
people are generated here, deterministically for a seed (groups of person type, team and
skills, like the demo's).
"""
from __future__ import annotations

import random
from importlib import resources

from stationdef.demo import _name
from stationdef.model import Person, StationDef
from stationdef.toml_file import parse_station_text

# (team, person type, how many, skills always held, {skill: probability})
RURAL_GROUPS = [
    ("command", "sworn", 2, ["command", "case", "patrol", "driving"], {}),                 # 所长, 教导员
    ("command", "sworn", 3, ["command", "patrol", "driving"], {"window": 0.5}),
    ("case", "sworn", 2, ["case", "patrol", "command"], {"driving": 0.5}),
    ("community", "sworn", 2, ["community", "patrol", "window"], {"command": 0.5, "driving": 0.5}),
    ("traffic", "sworn", 1, ["traffic", "patrol", "driving", "command"], {}),
    ("command", "duty_aux", 3, ["patrol"], {"driving": 0.7}),
    ("traffic", "duty_aux", 2, ["traffic", "patrol"], {"driving": 0.5}),
    ("command", "civil_aux", 2, ["window"], {}),
    ("community", "assistant", 1, ["community"], {}),
]

URBAN_GROUPS = [
    ("command", "sworn", 2, ["command", "case", "patrol", "driving", "mediation"], {}),
    ("command", "sworn", 10, ["command", "patrol"], {"driving": 0.7, "window": 0.5}),
    ("command", "civil_aux", 14, ["window"], {"command": 0.5, "antifraud": 0.4}),
    ("command", "duty_aux", 10, ["patrol"], {"driving": 0.5}),
    ("patrol", "sworn", 20, ["patrol"], {"driving": 0.8, "mediation": 0.3}),
    ("patrol", "duty_aux", 28, ["patrol"], {"driving": 0.6}),
    ("case", "sworn", 30, ["case", "patrol"], {"driving": 0.5, "antifraud": 0.3}),
    ("community", "sworn", 28, ["community", "mediation", "patrol"], {"window": 0.3, "driving": 0.5, "case": 0.3}),
    ("community", "assistant", 8, ["community", "mediation"], {}),
]

WOMEN_SHARE = {"sworn": 0.22, "civil_aux": 0.8, "duty_aux": 0.15, "assistant": 0.34}


def _station_file(name: str) -> StationDef:
    text = resources.files("stationdef").joinpath(name).read_text(encoding="utf-8")
    return parse_station_text(text, file=f"(built-in) {name}")


def people_from_groups(groups, seed: int, badge_prefix: str) -> list[Person]:
    """People for ``groups``: badges ``{prefix}NNNN`` (民警) and ``{prefix}FJNNN`` (auxiliaries)."""
    rng = random.Random(seed)
    used: set[str] = set()
    people: list[Person] = []
    n_sworn = n_aux = 0
    for team, ptype, count, always, maybe in groups:
        for _ in range(count):
            sex = "F" if rng.random() < WOMEN_SHARE[ptype] else "M"
            if ptype == "sworn":
                n_sworn += 1
                badge = f"{badge_prefix}{n_sworn:04d}"
            else:
                n_aux += 1
                badge = f"{badge_prefix}FJ{n_aux:03d}"
            skills = {s: None for s in always}
            skills.update({s: None for s, p in maybe.items() if rng.random() < p})
            years = rng.randint(1, 30) if ptype == "sworn" else rng.randint(0, 12)
            people.append(Person(badge=badge, name=_name(rng, sex, used), sex=sex, person_type=ptype, team=team,
                                 years_of_service=years, skills=skills))
    return people


def rural_station(seed: int = 0) -> tuple[StationDef, list[Person]]:
    return _station_file("rural_station.toml"), people_from_groups(RURAL_GROUPS, seed, "0615")


def urban_station(seed: int = 0) -> tuple[StationDef, list[Person]]:
    return _station_file("urban_station.toml"), people_from_groups(URBAN_GROUPS, seed, "0611")


SAMPLES = {"rural": rural_station, "urban": urban_station}
