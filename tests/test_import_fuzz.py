"""Property tests of the importers: broken CSV/XLSX files never crash with anything but
InputError, and a file is written whole or not at all (the database is compared before and after)."""
from __future__ import annotations

import csv
import io
import os
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from db.connection import StationDB
from errors import InputError
from usecases.context import AppContext
from usecases.imports import import_leave, import_people

# FUZZ_EXAMPLES=2000 FUZZ_RANDOM=1 pytest tests/test_import_fuzz.py  for a longer, fresh run
SETTINGS = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 40)), deadline=None,
                    derandomize=not os.environ.get("FUZZ_RANDOM"),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def station(tmp_path_factory):
    from usecases.station import init_demo
    path = tmp_path_factory.mktemp("fuzz") / "station.db"
    ctx = AppContext(login="clerk", db_path=path, db_explicit=True)
    init_demo(ctx)
    with ctx.open() as s:
        from usecases.export import export_people
        people_csv = export_people(s, "csv").content.decode("utf-8-sig")
        badges = [r["badge"] for r in s.sdb.rows("SELECT badge FROM people ORDER BY badge")]
    return ctx, people_csv, badges


def snapshot(ctx) -> str:
    with StationDB(ctx.db_path) as sdb:
        return "\n".join(sdb.conn.iterdump())


def write_table(path, rows: list[list], fmt: str):
    if fmt == "csv":
        buf = io.StringIO()
        csv.writer(buf).writerows([["" if v is None else v for v in r] for r in rows])
        path.write_bytes(buf.getvalue().encode("utf-8-sig"))
    else:
        wb = Workbook()
        for r in rows:
            wb.active.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in r])
        wb.save(path)
    return path


def attempt(ctx, importer, path) -> InputError | dict:
    """Run an import; InputError must leave the database as it was, success must have written the
    whole file (importing it again changes nothing)."""
    before = snapshot(ctx)
    try:
        with ctx.open() as s:
            result = importer(s, path)
    except InputError as exc:
        assert snapshot(ctx) == before
        return exc
    with ctx.open() as s:
        again = importer(s, path, dry_run=True)
    assert again["added"] == [] and again.get("updated", []) == []
    return result


# -- people ------------------------------------------------------------------------------------

ZH = ["警号", "姓名", "性别", "人员类别", "所属队室", "工龄", "技能", "在岗"]
EN = ["badge", "name", "sex", "person_type", "team", "years_of_service", "skills", "active"]
GOOD = {
    "sex": st.sampled_from(["男", "女", "M", "F", " 女 "]),
    "person_type": st.sampled_from(["民警", "勤务辅警", "文职辅警", "治安协理员", "sworn", "辅警"]),
    "team": st.sampled_from(["社区警务队", "command", "执法办案队", "", " 交通管理中队 "]),
    "years_of_service": st.one_of(st.integers(0, 40), st.sampled_from(["", "12", " 3 "])),
    "skills": st.lists(st.sampled_from(["巡逻", "patrol", "驾驶@2027-06-30", "社区@2027年1月5日", "反诈@46477",
                                        "窗口@2027/2/3"]), max_size=3, unique=True).map(";".join),
    "active": st.sampled_from(["是", "否", "", "yes"]),
}
BAD = {
    "badge": st.just(""),
    "name": st.sampled_from(["", "   "]),
    "sex": st.sampled_from(["X", "男女", "?"]),
    "person_type": st.sampled_from(["警犬", "协警", "0"]),
    "team": st.sampled_from(["火星队", "no-such-team"]),
    "years_of_service": st.sampled_from(["-3", "abc", "99", "1.5"]),
    "skills": st.sampled_from(["飞行", "巡逻@2026-02-30", "驾驶@明年"]),
    "active": st.sampled_from(["也许", "2"]),
}


@st.composite
def broken_people(draw, badges):
    n = draw(st.integers(1, 8))
    rows = []
    for i in range(n):
        badge = draw(st.sampled_from(badges)) if draw(st.booleans()) else f"T{draw(st.integers(0, 99999)):05d}"
        if badge in [r[0] for r in rows]:
            badge = f"U{i:04d}"
        rows.append([badge, draw(st.sampled_from(["王丽", " 李明 ", "Zhang Wei", "欧阳娜娜"]))]
                    + [draw(GOOD[f]) for f in EN[2:]])
    broken = draw(st.lists(st.tuples(st.integers(0, n - 1), st.sampled_from(EN)), min_size=1, max_size=4))
    for i, field in broken:
        rows[i][EN.index(field)] = draw(BAD[field])
    header = [draw(st.sampled_from([z, e, e.upper(), f" {z} "])) for z, e in zip(ZH, EN)]
    order = draw(st.permutations(range(len(EN))))
    table = [[header[j] for j in order]] + [[r[j] for j in order] for r in rows]
    return table, {(i + 2, f) for i, f in broken}


@SETTINGS
@given(data=st.data(), fmt=st.sampled_from(["csv", "xlsx"]))
def test_broken_people_lists_write_nothing(station, tmp_path, data, fmt):
    ctx, _, badges = station
    table, broken = data.draw(broken_people(badges))
    path = write_table(tmp_path / f"people.{fmt}", table, fmt)
    err = attempt(ctx, import_people, path)
    assert isinstance(err, InputError)
    found = {(p.line, p.field) for p in err.problems}
    # every broken cell is named (a blank badge or name may also hide the duplicate check)
    assert {(row, f) for row, f in broken} <= found
    assert all(p.line and p.column for p in err.problems)


@SETTINGS
@given(content=st.one_of(st.binary(max_size=400), st.text(max_size=300).map(lambda t: t.encode("utf-8"))),
       fmt=st.sampled_from(["csv", "xlsx"]))
def test_random_bytes_are_bad_input(station, tmp_path, content, fmt):
    ctx, _, _ = station
    path = tmp_path / f"junk.{fmt}"
    path.write_bytes(content)
    for importer in (import_people, import_leave):
        attempt(ctx, importer, path)        # InputError (nothing written) or a complete import


@pytest.fixture(scope="module")
def good_xlsx(station, tmp_path_factory) -> bytes:
    rows = list(csv.reader(io.StringIO(station[1])))
    return write_table(tmp_path_factory.mktemp("xlsx") / "good.xlsx", rows[:12], "xlsx").read_bytes()


@SETTINGS
@given(cut=st.one_of(st.none(), st.floats(0, 1)), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)),
                                                                   max_size=6))
def test_damaged_xlsx_never_crashes(station, good_xlsx, tmp_path, cut, flips):
    """A valid people workbook with bytes flipped or cut off."""
    damaged = bytearray(good_xlsx if cut is None else good_xlsx[:int(cut * len(good_xlsx))])
    for where, x in flips:
        if damaged:
            damaged[min(int(where * len(damaged)), len(damaged) - 1)] ^= x
    assume(bytes(damaged) != good_xlsx)
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(damaged))
    attempt(station[0], import_people, path)


@SETTINGS
@given(cells=st.lists(st.lists(st.one_of(st.none(), st.text(max_size=12), st.integers(-10, 60000),
                                         st.floats(allow_nan=True), st.dates().map(lambda d: d.isoformat())),
                                min_size=1, max_size=6), min_size=1, max_size=6),
       header=st.lists(st.sampled_from(ZH + EN + ["开始日期", "结束日期", "类型", "备注", "start", "kind", "?"]),
                       min_size=1, max_size=6),
       fmt=st.sampled_from(["csv", "xlsx"]))
def test_random_tables_never_crash(station, tmp_path, cells, header, fmt):
    ctx, _, _ = station
    cells = [[v if not isinstance(v, float) or v == v else "nan" for v in r] for r in cells]
    path = write_table(tmp_path / f"table.{fmt}", [header] + cells, fmt)
    for importer in (import_people, import_leave):
        attempt(ctx, importer, path)


# -- leave -------------------------------------------------------------------------------------

LEAVE_BAD = {
    "badge": st.sampled_from(["", "999999", "nobody"]),
    "start": st.sampled_from(["", "2026-02-30", "明天", "12", datetime(1905, 1, 1)]),
    "end": st.sampled_from(["2026-13-01", "later", "1"]),
    "kind": st.sampled_from(["", "婚假", "holiday"]),
}


@st.composite
def broken_leave(draw, badges):
    n = draw(st.integers(1, 8))
    rows = []
    for _ in range(n):
        first = draw(st.dates(date(2026, 1, 1), date(2027, 12, 1)))
        length = draw(st.integers(0, 20))
        last = date.fromordinal(first.toordinal() + length)
        as_text = draw(st.sampled_from([lambda d: d.isoformat(), lambda d: f"{d.year}/{d.month}/{d.day}",
                                        lambda d: f"{d.year}年{d.month}月{d.day}日",
                                        lambda d: (d - date(1899, 12, 30)).days, lambda d: d]))
        rows.append([draw(st.sampled_from(badges)), as_text(first), as_text(last),
                     draw(st.sampled_from(["年休假", "sick", "培训", "事假", "补休", "不可用", "other"])),
                     draw(st.sampled_from(["", "探亲", None]))])
    broken = draw(st.lists(st.tuples(st.integers(0, n - 1), st.sampled_from(list(LEAVE_BAD))), min_size=1,
                           max_size=3))
    for i, field in broken:
        rows[i][["badge", "start", "end", "kind"].index(field)] = draw(LEAVE_BAD[field])
    return rows, {(i + 2, f) for i, f in broken}


@SETTINGS
@given(data=st.data(), fmt=st.sampled_from(["csv", "xlsx"]), zh=st.booleans())
def test_broken_leave_lists_write_nothing(station, tmp_path, data, fmt, zh):
    ctx, _, badges = station
    rows, broken = data.draw(broken_leave(badges))
    header = ["警号", "开始日期", "结束日期", "类型", "备注"] if zh else ["badge", "start", "end", "kind", "note"]
    if fmt == "csv":
        rows = [[v.isoformat() if isinstance(v, date) else v for v in r] for r in rows]
    path = write_table(tmp_path / f"leave.{fmt}", [header] + rows, fmt)
    err = attempt(ctx, import_leave, path)
    assert isinstance(err, InputError)
    found = {(p.line, p.field) for p in err.problems}
    for row, field in broken:
        # a bad start date hides the end-before-start check, nothing more
        assert (row, field) in found or (field == "end" and (row, "start") in found)
