"""The built-in demo station: a Shaanxi town station (城关派出所) with about 60 people.

The station file is stationdef/demo_station.toml (also the annotated example of the format);
the people are generated here, deterministically for a seed: two thirds 民警, 两队一室 plus a
traffic group, skills spread so that 一警多能 matters (not everyone can do everything; some
skills expire), about a quarter women.
"""
from __future__ import annotations

import random
from datetime import date
from importlib import resources

from stationdef.model import Person, StationDef
from stationdef.toml_file import parse_station_text

DEMO_STATION_FILE = "demo_station.toml"

_SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
             "薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段常晁")
_GIVEN_M = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁昊浩宇轩峰建国志东海亮新兵庆立成振林健博文彬占荣茂祥"
_GIVEN_F = "丽娜静敏燕艳娟霞芳婷雪慧莹倩颖琳晶欣悦月玲佳蕾薇璐瑶洁梅红云萍"

# Expiry dates used for skills that lapse (fixed so the demo is deterministic).
_EXPIRED = date(2026, 10, 31)
_EXPIRES_SOON = date(2027, 1, 31)
_EXPIRES_LATER = date(2028, 6, 30)

# (team, person type, how many, skills always held, {skill: probability})
_GROUPS = [
    ("command", "sworn", 2, ["command", "case", "patrol", "driving", "mediation"], {}),          # 所长, 教导员
    ("command", "sworn", 6, ["command", "patrol"], {"driving": 0.7, "window": 0.4, "antifraud": 0.3}),
    ("command", "civil_aux", 5, ["window"], {"command": 0.6, "antifraud": 0.5, "sign_language": 0.2}),
    ("command", "duty_aux", 8, ["patrol"], {"driving": 0.6, "mediation": 0.2}),
    ("case", "sworn", 16, ["case", "patrol"], {"driving": 0.6, "antifraud": 0.3, "mediation": 0.2,
                                               "foreign_language": 0.1}),
    ("community", "sworn", 12, ["community", "mediation", "patrol"], {"window": 0.4, "case": 0.35,
                                                                     "driving": 0.5, "antifraud": 0.3}),
    ("community", "assistant", 3, ["community", "mediation"], {}),
    ("traffic", "sworn", 4, ["traffic", "licensing", "patrol", "driving"], {"case": 0.25}),
    ("traffic", "duty_aux", 6, ["traffic"], {"patrol": 0.5, "driving": 0.5}),
]
_WOMEN_SHARE = {"sworn": 0.22, "civil_aux": 0.8, "duty_aux": 0.15, "assistant": 0.34}


def demo_station() -> StationDef:
    text = resources.files("stationdef").joinpath(DEMO_STATION_FILE).read_text(encoding="utf-8")
    return parse_station_text(text, file=f"(built-in) {DEMO_STATION_FILE}")


def demo_people(seed: int = 0) -> list[Person]:
    rng = random.Random(seed)
    used_names: set[str] = set()
    people: list[Person] = []
    sworn_no = aux_no = 0
    for team, ptype, count, always, maybe in _GROUPS:
        for _ in range(count):
            sex = "F" if rng.random() < _WOMEN_SHARE[ptype] else "M"
            name = _name(rng, sex, used_names)
            if ptype == "sworn":
                sworn_no += 1
                badge = f"06{1000 + sworn_no * 7 + rng.randrange(7):04d}"
            else:
                aux_no += 1
                badge = f"FJ{2000 + aux_no * 3 + rng.randrange(3):04d}"
            skills: dict[str, date | None] = {s: None for s in always}
            for s, p in maybe.items():
                if rng.random() < p:
                    skills[s] = None
            years = rng.randint(1, 30) if ptype == "sworn" else rng.randint(0, 12)
            people.append(Person(badge=badge, name=name, sex=sex, person_type=ptype, team=team,
                                 years_of_service=years, skills=skills))
    # Some qualifications lapse: a few case-handling certificates and driving permits.
    case_holders = [p for p in people if "case" in p.skills]
    drivers = [p for p in people if "driving" in p.skills]
    for p in rng.sample(case_holders, 2):
        p.skills["case"] = _EXPIRED
    for p in rng.sample(case_holders, 3):
        if p.skills["case"] is None:
            p.skills["case"] = _EXPIRES_SOON
    for p in rng.sample(drivers, 1):
        p.skills["driving"] = _EXPIRES_SOON
    for p in rng.sample(drivers, 4):
        if p.skills["driving"] is None:
            p.skills["driving"] = _EXPIRES_LATER
    # One officer on long-term sick leave shows up as inactive.
    rng.choice([p for p in people if p.person_type == "sworn" and p.team == "case"]).active = False
    return people


def _name(rng: random.Random, sex: str, used: set[str]) -> str:
    pool = _GIVEN_F if sex == "F" else _GIVEN_M
    while True:
        given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
        name = rng.choice(_SURNAMES) + given
        if name not in used:
            used.add(name)
            return name


def generated_station(n_people: int = 200, seed: int = 0) -> tuple[StationDef, list[Person]]:
    """A larger station for benchmarks: the demo's groups and posts scaled up (posts copied as
    PAT1_2, PAT1_3, ...), so demand and staff grow together."""
    from dataclasses import replace
    base = demo_station()
    factor = n_people / sum(g[2] for g in _GROUPS)
    copies = max(1, round(factor))
    posts, demand = [], []
    for k in range(1, copies + 1):
        suffix = "" if k == 1 else f"_{k}"
        posts += [replace(p, code=p.code + suffix, name=p.name + (f"-{k}" if k > 1 else "")) for p in base.posts]
        demand += [replace(d, post=d.post + suffix) for d in base.demand]
    station = replace(base, station=replace(base.station, code=f"GEN{n_people}", name=f"生成{n_people}人派出所"),
                      posts=posts, demand=demand)
    rng = random.Random(seed)
    people: list[Person] = []
    batch = 0
    while len(people) < n_people:
        for p in demo_people(seed * 1000 + batch):
            if len(people) >= n_people:
                break
            people.append(replace(p, badge=f"{p.badge[:2]}{batch}{p.badge[2:]}", name=p.name + ("" if batch == 0 else str(batch))))
        batch += 1
    rng.shuffle(people)
    return station, people
