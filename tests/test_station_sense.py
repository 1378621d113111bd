"""The station file is checked for sense (issue 22 item 6): a 24 h shift must be kind "24h",
and demand that the people list cannot cover even in theory is reported at init."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from errors import InputError
from stationdef.samples import rural_station
from stationdef.toml_file import parse_station_text

RURAL = (Path(__file__).resolve().parent.parent / "stationdef" / "rural_station.toml").read_text(encoding="utf-8")


def write_people(path: Path, people) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["badge", "name", "sex", "person_type", "team", "skills"])
        for p in people:
            w.writerow([p.badge, p.name, p.sex, p.person_type, p.team, ";".join(p.skills)])
    return path


@pytest.mark.parametrize("old,new,field", [
    ('hours = 24\nkind = "24h"', 'hours = 24\nkind = "day"', "shifts[1].kind"),        # a 24 h duty declared day
    ('hours = 9\nkind = "day"', 'hours = 9\nkind = "24h"', "shifts[2].kind"),         # a 9 h "24h" shift
])
def test_a_24h_shift_must_be_kind_24h(old, new, field):
    assert old in RURAL
    with pytest.raises(InputError) as exc:
        parse_station_text(RURAL.replace(old, new, 1), file="x.toml")
    problems = exc.value.problems
    assert [p.field for p in problems] == [field] and problems[0].line is not None
    assert "24h" in problems[0].message


def test_init_refuses_a_24h_day_shift_and_writes_nothing(cli_run, tmp_path, db_path):
    station = tmp_path / "s.toml"
    station.write_text(RURAL.replace('hours = 24\nkind = "24h"', 'hours = 24\nkind = "day"', 1), encoding="utf-8")
    people = write_people(tmp_path / "p.csv", rural_station()[1])
    r = cli_run("init", "--station", str(station), "--people", str(people))
    assert r.exit_code == 65 and "shifts[1].kind" in r.stderr
    assert not db_path.exists()


def test_init_reports_demand_the_people_cannot_cover(cli_run, tmp_path):
    sd, people = rural_station()
    station = tmp_path / "s.toml"
    # the one-stop window every day with 2 people, but only 民警 with the window skill may take it
    station.write_text(RURAL.replace('post = "WIN"\nshift = "W"\nworkday = 1\nweekend = 0',
                                     'post = "WIN"\nshift = "W"\ncount = 4', 1), encoding="utf-8")
    few = [p for p in people if "window" not in p.skills or p.badge.endswith(("0008", "0009"))]
    r = cli_run("init", "--station", str(station), "--people", str(write_people(tmp_path / "p.csv", few)), "--json")
    assert r.exit_code == 0, r.output
    cap = json.loads(r.stdout)["capacity"]
    assert cap["verdict"] == "short"
    win = [c for c in cap["short_classes"] if "WIN" in c["posts"]]
    assert win and win[0]["person_days"] > win[0]["available_days"] and win[0]["people"] >= 2
    text = cli_run("init", "--station", str(station), "--people", str(tmp_path / "p.csv"),
                   path=tmp_path / "other.db")
    assert "WIN" in text.stderr and "warning" in text.stderr


def test_init_says_when_capacity_is_enough(cli_run, tmp_path):
    sd, people = rural_station()
    station = tmp_path / "s.toml"
    station.write_text(RURAL, encoding="utf-8")
    r = cli_run("init", "--station", str(station), "--people", str(write_people(tmp_path / "p.csv", people)), "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["capacity"]["verdict"] == "enough"
