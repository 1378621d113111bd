"""The station file: the demo parses; bad files get one message per problem naming line and field."""
from __future__ import annotations

import pytest

from errors import InputError
from stationdef.demo import demo_station
from stationdef.toml_file import load_station_file, parse_station_text

GOOD = """\
[station]
code = "T1"
name = "测试派出所"
zone = "Asia/Shanghai"

[[teams]]
code = "community"
name = "社区警务队"
kind = "community"

[[teams]]
code = "case"
name = "执法办案队"
kind = "case"

[[teams]]
code = "command"
name = "综合指挥室"
kind = "command"

[[skills]]
code = "patrol"
name = "巡逻"

[[skills]]
code = "case"
name = "办案"
sworn_only = true

[[shifts]]
code = "D"
name = "白班"
start = "08:00"
hours = 12
kind = "day"

[[shifts]]
code = "N"
name = "夜班"
start = "20:00"
minutes = 720
kind = "night"

[[posts]]
code = "PAT"
name = "巡逻1"
kind = "patrol"
min_sworn = 1
required_skills = ["patrol"]
allowed_types = ["sworn", "duty_aux"]

[[posts]]
code = "CASE"
name = "办案值班"
kind = "case"
min_sworn = 2
required_skills = ["case"]

[[demand]]
post = "PAT"
shift = "D"
count = 2

[[demand]]
post = "CASE"
shift = "N"
workday = 2
weekend = 3

[rules]
min_rest_hours = 12

[[hot_spots]]
code = "market"
name = "夜市"
risk = 2.5
x_m = 100
y_m = -50
active = "18:00-01:00"
"""


def line_of(text: str, needle: str, nth: int = 1) -> int:
    count = 0
    for i, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            count += 1
            if count == nth:
                return i
    raise AssertionError(needle)


def test_good_file_parses():
    sd = parse_station_text(GOOD)
    assert sd.station.name == "测试派出所"
    assert [s.code for s in sd.shifts] == ["D", "N"]
    assert sd.shifts[1].crosses_midnight and sd.shifts[1].end == "08:00"
    counts = {(d.post, d.shift, d.day_kind): d.count for d in sd.demand}
    assert counts[("PAT", "D", "holiday")] == 2
    assert counts[("CASE", "N", "weekend")] == 3
    assert counts[("CASE", "N", "holiday")] == 3            # holiday takes weekend
    assert counts[("CASE", "N", "adjusted_workday")] == 2   # 调休 workday takes workday
    rules = {r.key: r.value for r in sd.rules}
    assert rules["min_rest_hours"] == 12 and rules["max_consecutive_days"] == 6  # default filled in
    assert sd.hot_spots[0].active_from == "18:00" and sd.hot_spots[0].active_to == "01:00"


def test_demo_station_file_is_valid():
    sd = demo_station()
    assert {t.kind for t in sd.teams} >= {"community", "case", "command", "traffic"}
    assert sd.station.kind == "rural"
    assert len(sd.hot_spots) >= 10


# (change applied to GOOD, needle for the expected line, expected field, message fragment)
BAD_CASES = [
    pytest.param(lambda t: t.replace('name = "测试派出所"\n', ""), '[station]', "station.name", "'name' is missing",
                 id="station-name-missing"),
    pytest.param(lambda t: t.replace("Asia/Shanghai", "Mars/Olympus"), "zone =", "station.zone",
                 "not a time zone", id="bad-zone"),
    pytest.param(lambda t: t.replace('kind = "community"', 'kind = "village"'), 'kind = "village"',
                 "teams[1].kind", "'village' is not one of", id="bad-team-kind"),
    pytest.param(lambda t: t.replace('start = "08:00"', 'start = "8点"'), 'start = "8点"', "shifts[1].start",
                 "is not a clock time", id="bad-shift-start"),
    pytest.param(lambda t: t.replace('start = "20:00"', 'start = "25:00"'), 'start = "25:00"', "shifts[2].start",
                 "is not a clock time", id="shift-start-out-of-range"),
    pytest.param(lambda t: t.replace("hours = 12\n", "", 1), '[[shifts]]', "shifts[1].minutes",
                 "exactly one of 'minutes' or 'hours'", id="shift-length-missing"),
    pytest.param(lambda t: t.replace("minutes = 720", "minutes = 2000"), "minutes = 2000", "shifts[2].minutes",
                 "out of range", id="shift-too-long"),
    pytest.param(lambda t: t.replace('code = "N"', 'code = "D"'), ('code = "D"', 2), "shifts[2].code",
                 "used twice", id="duplicate-shift-code"),
    pytest.param(lambda t: t.replace('required_skills = ["patrol"]', 'required_skills = ["flying"]'),
                 'required_skills = ["flying"]', "posts[1].required_skills", "unknown skill 'flying'",
                 id="unknown-skill"),
    pytest.param(lambda t: t.replace('allowed_types = ["sworn", "duty_aux"]', 'allowed_types = ["sworn", "robot"]'),
                 'allowed_types = ["sworn", "robot"]', "posts[1].allowed_types", "unknown person type 'robot'",
                 id="unknown-person-type"),
    pytest.param(lambda t: t.replace("min_sworn = 1\n", "min_sworn = 0\n"), "min_sworn = 0", "posts[1].min_sworn",
                 "辅警 never work without a 民警", id="aux-without-sworn"),
    pytest.param(lambda t: t.replace("min_sworn = 2", "min_sworn = 1"), ("min_sworn = 1", 2), "posts[2].min_sworn",
                 "case duty needs at least 2 民警", id="case-duty-one-sworn", marks=[]),
    pytest.param(lambda t: t.replace('post = "PAT"\nshift = "D"\ncount = 2', 'post = "PAT"\nshift = "D"\ncount = 1'),
                 "count = 1", "demand[1].count", "a patrol needs at least 2 people", id="patrol-of-one"),
    pytest.param(lambda t: t.replace('post = "PAT"', 'post = "PAT9"'), 'post = "PAT9"', "demand[1].post",
                 "unknown post 'PAT9'", id="demand-unknown-post"),
    pytest.param(lambda t: t.replace('shift = "D"', 'shift = "X"'), 'shift = "X"', "demand[1].shift",
                 "unknown shift 'X'", id="demand-unknown-shift"),
    pytest.param(lambda t: t.replace("count = 2", "count = -1"), "count = -1", "demand[1].count", "out of range",
                 id="negative-demand"),
    pytest.param(lambda t: t.replace("min_rest_hours = 12", "min_rest_hour = 12"), "min_rest_hour =",
                 "rules.min_rest_hour", "unknown rule 'min_rest_hour'", id="unknown-rule"),
    pytest.param(lambda t: t.replace("min_rest_hours = 12", 'min_rest_hours = "twelve"'), "min_rest_hours =",
                 "rules.min_rest_hours", "must be a whole number", id="rule-wrong-type"),
    pytest.param(lambda t: t.replace("risk = 2.5", "risk = 0"), "risk = 0", "hot_spots[1].risk", "out of range",
                 id="zero-risk"),
    pytest.param(lambda t: t.replace('active = "18:00-01:00"', 'active = "evening"'), 'active = "evening"',
                 "hot_spots[1].active", "must look like", id="bad-active-window"),
    pytest.param(lambda t: t.replace('x_m = 100', 'x_m = "east"'), 'x_m = "east"', "hot_spots[1].x_m",
                 "must be a number", id="bad-position"),
    pytest.param(lambda t: t + "\n[extras]\nfoo = 1\n", "[extras]", "extras", "unknown key 'extras'",
                 id="unknown-section"),
    pytest.param(lambda t: t.replace('kind = "case"\n\n[[teams]]', 'kind = "other"\n\n[[teams]]'), None, "teams",
                 "missing: case", id="not-two-teams-one-room"),
]


@pytest.mark.parametrize("change, needle, field, fragment", BAD_CASES)
def test_bad_station_file_names_line_and_field(change, needle, field, fragment):
    text = change(GOOD)
    assert text != GOOD
    with pytest.raises(InputError) as exc:
        parse_station_text(text, file="s.toml")
    problems = exc.value.problems
    match = [p for p in problems if p.field == field and fragment in p.message]
    assert match, f"expected {field}: {fragment!r}; got {[str(p) for p in problems]}"
    p = match[0]
    assert p.file == "s.toml"
    if needle is not None:
        needle, nth = needle if isinstance(needle, tuple) else (needle, 1)
        assert p.line == line_of(text, needle, nth), str(p)
        assert str(p).startswith(f"s.toml, line {p.line}, field '{field}': ")


def test_all_problems_are_reported_at_once():
    text = GOOD.replace('start = "08:00"', 'start = "8"').replace("risk = 2.5", "risk = -1")
    with pytest.raises(InputError) as exc:
        parse_station_text(text, file="s.toml")
    fields = {p.field for p in exc.value.problems}
    assert {"shifts[1].start", "hot_spots[1].risk"} <= fields
    assert "2 problems found; nothing was written" in exc.value.message


def test_toml_syntax_error_names_line():
    text = GOOD.replace('name = "巡逻1"', 'name = "巡逻1')
    with pytest.raises(InputError) as exc:
        parse_station_text(text, file="s.toml")
    assert exc.value.problems[0].line == line_of(text, 'name = "巡逻1')
    assert "not valid TOML" in exc.value.problems[0].message


def test_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        load_station_file(tmp_path / "nope.toml")
    f = tmp_path / "gbk.toml"
    f.write_bytes(GOOD.encode("gbk"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_station_file(f)
