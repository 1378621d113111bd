"""The Curtois & Qu adapter: parsing, bad input, the small instances to their optimum, and the
`dutydesk bench curtois` command through click's CliRunner."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from errors import InputError
from scheduler.curtois import BEST_KNOWN, load, parse
from scheduler.engine import solve
from scheduler.validate import hard, penalty, validate

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "curtois"
needs_data = pytest.mark.skipif(not (DATA / "Instance1.txt").exists(),
                                reason="benchmark data (../shared) not present")

GOOD = """# comment\r
SECTION_HORIZON\r
14\r
\r
SECTION_SHIFTS\r
D,480,\r
N,480,D\r
\r
SECTION_STAFF\r
A,D=14|N=3,4320,3360,5,2,2,1\r
B,D=14|N=0,4320,3360,5,2,2,1\r
\r
SECTION_DAYS_OFF\r
A,0,7\r
\r
SECTION_SHIFT_ON_REQUESTS\r
B,2,D,2\r
\r
SECTION_SHIFT_OFF_REQUESTS\r
A,3,N,1\r
\r
SECTION_COVER\r
0,D,1,100,1\r
0,N,1,100,1\r
"""


def test_parse_reads_every_section():
    p = parse(GOOD, file="x.txt", name="x")
    assert p.horizon == 14 and p.shift_ids == ["D", "N"]
    assert p.forbidden == {("N", "D")}
    a = p.employees[0]
    assert (a.max_shifts, a.max_minutes, a.min_minutes, a.max_consecutive, a.min_consecutive,
            a.min_days_off, a.max_weekends) == ({"D": 14, "N": 3}, 4320, 3360, 5, 2, 2, 1)
    assert p.days_off == {"A": frozenset({0, 7})}
    assert [(r.employee, r.day, r.shift, r.weight, r.on) for r in p.requests] == [
        ("B", 2, "D", 2, True), ("A", 3, "N", 1, False)]
    assert len(p.cover) == 2 and p.start_weekday == 0 and p.edge_exempt


@pytest.mark.parametrize("old,new,section,line", [
    ("A,D=14|N=3,4320,3360,5,2,2,1", "A,D=14|N=3,4320,3360,5,2", "SECTION_STAFF", 10),
    ("B,D=14|N=0,4320", "B,D=14|X=0,4320", "SECTION_STAFF", 11),
    ("N,480,D", "N,480,Q", "SECTION_SHIFTS", 7),
    ("A,0,7", "Z,0,7", "SECTION_DAYS_OFF", 14),
    ("B,2,D,2", "B,99,D,2", "SECTION_SHIFT_ON_REQUESTS", 17),
    ("0,N,1,100,1", "0,N,one,100,1", "SECTION_COVER", 24),
    ("14\r", "fourteen\r", "SECTION_HORIZON", 3),
])
def test_malformed_instance_names_section_and_line(old, new, section, line):
    text = GOOD.replace(old, new, 1)
    with pytest.raises(InputError) as exc:
        parse(text, file="bad.txt")
    prob = exc.value.problems[0]
    assert (prob.field, prob.line, prob.file) == (section, line, "bad.txt")
    assert exc.value.exit_code == 65


def test_a_bad_shift_line_is_reported_once_not_at_every_use():
    text = GOOD.replace("D,480,", "D,abc,", 1)     # D is used by staff, requests and cover
    with pytest.raises(InputError) as exc:
        parse(text, file="bad.txt")
    assert [(p.field, p.line) for p in exc.value.problems] == [("SECTION_SHIFTS", 6)]
    assert "whole number" in exc.value.problems[0].message


def test_missing_section_is_reported():
    with pytest.raises(InputError) as exc:
        parse("SECTION_HORIZON\n14\n", file="bad.txt")
    assert {p.field for p in exc.value.problems} == {"SECTION_SHIFTS", "SECTION_STAFF"}


@needs_data
@pytest.mark.parametrize("n", [1, 2, 3])
def test_small_instances_reach_their_optimum(n):
    # deterministic limits: the proof must not depend on how fast the machine is today (on
    # the wall clock, Instance 3 once missed its proof within 30 s on a slow machine)
    p = load(str(DATA / f"Instance{n}.txt"))
    sol = solve(p, time_limit=60, num_workers=2, seed=0, deterministic=True)
    vs = validate(p, sol.assignment)
    assert hard(vs) == []
    assert penalty(vs) == sol.objective
    assert sol.objective == BEST_KNOWN[f"Instance{n}"]


# -- CLI -----------------------------------------------------------------------------------
def run_cli(*args):
    from cli.bench import bench
    return CliRunner().invoke(bench, list(args), catch_exceptions=False)


@needs_data
def test_cli_bench_curtois_json_shape(tmp_path):
    out = tmp_path / "sol.json"
    res = run_cli("curtois", str(DATA / "Instance1.txt"), "--time-limit", "10",
                  "--workers", "1", "--json", "--out", str(out))
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    for key in ("instance", "objective", "lower_bound", "status", "wall_s", "roster",
                "hard_violations"):
        assert key in doc
    assert doc["instance"] == "Instance1" and doc["objective"] == 607
    assert doc["hard_violations"] == []
    assert set(doc["roster"]) == set("ABCDEFGH")
    assert all(len(v) == 14 and all(x in (None, "D") for x in v) for v in doc["roster"].values())
    assert json.loads(out.read_text())["objective"] == 607


def test_cli_malformed_instance_exit_65(tmp_path):
    from main import cli
    bad = tmp_path / "Broken.txt"
    bad.write_text(GOOD.replace("A,D=14|N=3,4320,3360,5,2,2,1", "A,D=14,oops,3360,5,2,2,1"))
    res = CliRunner().invoke(cli, ["bench", "curtois", str(bad)])
    assert res.exit_code == 65
    assert "SECTION_STAFF" in res.output and "line 10" in res.output
    assert "Traceback" not in res.output


def test_cli_missing_file_exit_65(tmp_path):
    from main import cli
    res = CliRunner().invoke(cli, ["bench", "curtois", str(tmp_path / "nope.txt")])
    assert res.exit_code == 65


@needs_data
def test_cli_curtois_all_table(tmp_path):
    res = run_cli("curtois-all", str(DATA), "--time-limit", "5", "--workers", "1",
                  "--only", "1")
    assert res.exit_code == 0
    lines = res.stdout.strip().splitlines()
    assert lines[0].split()[:2] == ["instance", "best"]
    assert lines[1].split()[:3] == ["Instance1", "607", "607"]
