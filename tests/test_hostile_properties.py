"""Property tests (issue 20): the station file, the people list and the leave list, fed mutated
and malicious values, end in success or an InputError whose every problem names its place;
never another exception. The readers are called directly (no database), so this stays fast."""
from __future__ import annotations

import os
import re
from datetime import date, datetime, time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from errors import InputError
from tests.conftest import REPO

SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 150)), deadline=None,
                    derandomize=not os.environ.get("FUZZ_RANDOM"),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
DEMO_TEXT = (REPO / "stationdef" / "demo_station.toml").read_text(encoding="utf-8")
DEMO_LINES = DEMO_TEXT.splitlines()
VALUE_LINES = [i for i, line in enumerate(DEMO_LINES) if re.match(r"^\s*[A-Za-z_]+\s*=", line)]
WHOLE_FILE = ("nested too deeply", "not UTF-8", "is empty", "not a valid CSV", "no people", "no leave",
              "rows; at most", "must be written as", "tables; at most")

hostile_chars = st.sampled_from(["\x00", "\x01", "\x07", "\x1b", "\x7f", "\n", "\r", "\t", "\u2028", "\ufeff",
                                 "=", "+", "-", "@", '"', "'", ",", ";", "\\", "王", "\U0001F600"])
hostile_text = st.one_of(
    st.text(max_size=30),
    st.lists(st.one_of(hostile_chars, st.text(max_size=3)), max_size=12).map("".join),
    st.sampled_from(['=HYPERLINK("http://x.example/","click")', "=1+1", "+1+1", "-2+3", "@SUM(A1)",
                     "=cmd|' /C calc'!A0", "x" * 5000, "", " ", "\u3000"]),
)


def _toml_string(s: str) -> str:
    out = []
    for ch in s:
        if ch in '"\\' or ord(ch) < 0x20 or ord(ch) == 0x7f:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


toml_literal = st.one_of(
    st.sampled_from(["nan", "+nan", "-nan", "inf", "-inf", "1e309", "0", "-1", "0.0", "1.5",
                     str(2 ** 63), str(2 ** 64), "-" + str(2 ** 63), "99999999999999999999999",
                     "true", "false", "[]", "[1, [2, [3]]]", '["a", 1]', "{}", "{a = 1}",
                     "1979-05-27T07:32:00Z", "1979-05-27", "07:32:00", '""', "'literal'",
                     "[" * 300 + "]" * 300]),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(
        lambda f: "nan" if f != f else ("inf" if f == float("inf") else "-inf" if f == float("-inf") else repr(f))),
    hostile_text.map(_toml_string),
)


def _placed(err: InputError, file: str) -> None:
    assert err.problems
    for p in err.problems:
        assert p.file == file, p
        assert isinstance(p.message, str) and p.message
        assert p.line is not None or p.field is not None or p.column is not None \
            or any(w in p.message for w in WHOLE_FILE), p


@SETTINGS
@given(edits=st.lists(st.tuples(st.sampled_from(VALUE_LINES), toml_literal), min_size=1, max_size=4),
       garbage=st.one_of(st.none(), st.tuples(st.integers(0, len(DEMO_TEXT)), hostile_text)))
def test_station_file_mutations(edits, garbage):
    from stationdef.toml_file import parse_station_text
    lines = list(DEMO_LINES)
    for i, literal in edits:
        key = lines[i].split("=", 1)[0]
        lines[i] = f"{key}= {literal}"
    text = "\n".join(lines)
    if garbage:
        at, junk = garbage
        text = text[:at] + junk + text[at:]
    try:
        sd = parse_station_text(text, file="station.toml")
    except InputError as err:
        _placed(err, "station.toml")
        return
    # what comes back is clean: text is text without control characters, numbers are finite
    text_fields = {"code", "name", "name_en", "address", "description", "kind", "zone", "team", "start",
                   "active_from", "active_to"}
    for obj in [sd.station, *sd.teams, *sd.skills, *sd.shifts, *sd.posts, *sd.hot_spots]:
        for name, v in vars(obj).items():
            if name in text_fields:
                assert v is None or isinstance(v, str), (name, v)     # never a number turned into text
            if isinstance(v, str):
                assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", v), (name, v)
            if isinstance(v, float):
                assert v == v and abs(v) != float("inf"), (name, v)
    for rp in sd.rules:
        assert not isinstance(rp.value, float) or rp.value == rp.value


cell = st.one_of(st.none(), hostile_text, st.integers(min_value=-2 ** 70, max_value=2 ** 70),
                 st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
                 st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(2200, 1, 1)),
                 st.dates(min_value=date(1, 1, 1)), st.times(),
                 st.sampled_from(["061024", "061025", "王丽", "男", "女", "民警", "勤务辅警", "病假", "年休假",
                                  "2026-12-01", "2026/12/31", "2026年12月1日", "是", "否", "patrol;driving",
                                  "社区警务队", "12", "46000", "13"]))


def _table(header, rows, file):
    from stationdef.people_file import Table
    return Table(file=file, header=header, rows=[(i, list(r)) for i, r in enumerate(rows, start=2)])


PEOPLE_HEADERS = ["警号", "姓名", "性别", "人员类别", "所属队室", "工龄", "技能", "在岗", "电话", "备注"]


@SETTINGS
@given(header=st.lists(st.one_of(st.sampled_from(PEOPLE_HEADERS), hostile_text), min_size=0, max_size=11),
       rows=st.lists(st.lists(cell, max_size=11), max_size=6), use_full_header=st.booleans())
def test_people_list(header, rows, use_full_header):
    from stationdef.demo import demo_station
    from stationdef.people_file import parse_people
    if use_full_header:
        header = PEOPLE_HEADERS
    try:
        people = parse_people(_table([str(h) for h in header], rows, "people.csv"), demo_station())
    except InputError as err:
        _placed(err, "people.csv")
        return
    for p in people:
        for v in (p.badge, p.name, p.phone or "", p.note or ""):
            assert isinstance(v, str) and not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", v)
        assert 0 <= p.years_of_service <= 50


LEAVE_HEADERS = ["警号", "姓名", "开始日期", "结束日期", "类型", "备注"]


@SETTINGS
@given(header=st.lists(st.one_of(st.sampled_from(LEAVE_HEADERS), hostile_text), max_size=7),
       rows=st.lists(st.lists(cell, max_size=7), max_size=6), use_full_header=st.booleans())
def test_leave_list(header, rows, use_full_header):
    from stationdef.leave_file import parse_leave
    if use_full_header:
        header = LEAVE_HEADERS
    try:
        entries = parse_leave(_table([str(h) for h in header], rows, "leave.csv"),
                              {"061024": "王丽", "061025": "李明"})
    except InputError as err:
        _placed(err, "leave.csv")
        return
    for e in entries:
        assert e.badge in ("061024", "061025") and 2000 <= e.start.year < 2100 and e.start <= e.end


@SETTINGS
@given(body=st.lists(st.one_of(hostile_text, st.sampled_from(['"', '""', '"a,b"', "\r\n", ",", ";"])),
                     max_size=40).map("".join))
def test_csv_bytes(tmp_path_factory, body):
    from stationdef.leave_file import parse_leave
    from stationdef.people_file import read_table
    f = tmp_path_factory.mktemp("csv") / "leave.csv"
    f.write_bytes(("警号,开始日期,类型,备注\n" + body).encode("utf-8", "surrogatepass"))
    try:
        parse_leave(read_table(f), {"061024": "王丽"})
    except InputError as err:
        _placed(err, str(f))
