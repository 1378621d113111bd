"""People lists as stations keep them (花名册 exported from the HR system, issue 24 item 7): a
title row above the header, columns dutydesk does not use, years of service from 入警时间 /
参加工作时间 / 入警年份, the ambiguous 辅警, and expiry dates given as a month."""
from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

import messages
from db.connection import StationDB
from db.station import load_people
from errors import InputError
from stationdef import cells
from stationdef.demo import demo_station
from stationdef.people_file import Table, load_people_file, parse_people
from tests.conftest import load_json

TODAY = date(2026, 12, 3)


@pytest.fixture(params=["zh", "en"])
def lang(request):
    before = messages.lang()
    messages.set_lang(request.param)
    yield request.param
    messages.set_lang(before)


@pytest.fixture(scope="module")
def station():
    return demo_station()


def roster_book(path, rows, *, title: list | None = ("城关派出所民警、辅警花名册",), header=None):
    """An XLSX as an HR system exports it: a merged title row, then the header, then people."""
    wb = Workbook()
    ws = wb.active
    header = header or ["序号", "警号", "姓  名", "性别", "身份证号", "人员类别", "职务", "政治面貌", "所属",
                        "入警时间", "参加工作时间", "技能"]
    if title:
        ws.append(list(title))
        if len(title) == 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


ROWS = [
    [1, "100001", "王丽", "女", "610526198801010027", "民警", "副所长", "中共党员", "城关派出所", "2010-07", "2008年9月",
     "巡逻;驾驶@2027年6月"],
    [2, "100002", "李明", "男", "610526199203030011", "勤务辅警", "", "群众", "城关派出所", "2018年3月", "",
     "巡逻（有效期至2027年6月）"],
    [3, "100003", "赵强", "男", "610526199505050013", "民警", "民警", "共青团员", "城关派出所", "", "", "办案@2027-06"],
]


def run(cli_run, *args, lang="zh"):
    return cli_run("--lang", lang, *args)


def test_an_hr_roster_is_read_with_notes(cli_run, demo_db, tmp_path, lang):
    f = roster_book(tmp_path / "花名册.xlsx", ROWS)
    r = run(cli_run, "people", "import", str(f), "--dry-run", "--json", lang=lang)
    assert r.exit_code == 0, r.output
    out = load_json(r)
    assert [a["badge"] for a in out["added"]] == ["100001", "100002", "100003"] and not out["written"]
    notes = "\n".join(out["notes"])
    assert notes and all(n in r.stderr for n in out["notes"])                  # shown on stderr too
    ignored = ["序号", "身份证号", "职务", "政治面貌", "所属"]
    if lang == "zh":
        assert "第 1 行“城关派出所民警、辅警花名册”是表头上方的标题，已跳过；表头在第 2 行" in notes
        assert "以下列本系统不使用，已忽略：序号（A列）、身份证号（E列）、职务（G列）、政治面貌（H列）、所属（I列）" in notes
        assert "工龄按“参加工作时间”计算" in notes and "该列为空时用“入警时间”" in notes
        assert "说明: " in r.stderr
    else:
        assert "row 1 ('城关派出所民警、辅警花名册') is a title above the header, skipped; the header is row 2" in notes
        assert ("columns dutydesk does not use, ignored: 序号 (column A), 身份证号 (column E), 职务 (column G), "
                "政治面貌 (column H), 所属 (column I)") in notes
        assert all(c in notes for c in ignored)
    r = run(cli_run, "import", "people", str(f), lang=lang)                    # the same through `import people`
    assert r.exit_code == 0, r.output
    with StationDB(demo_db) as sdb:
        got = {p.badge: p for p in load_people(sdb)}
    today = date.today()
    # 参加工作时间 first (annual leave counts all working years), 入警时间 where it is empty, else 0
    assert got["100001"].years_of_service == cells.whole_years(date(2008, 9, 1), today)
    assert got["100002"].years_of_service == cells.whole_years(date(2018, 3, 1), today)
    assert got["100003"].years_of_service == 0
    assert got["100001"].skills == {"patrol": None, "driving": date(2027, 6, 30)}
    assert got["100002"].skills == {"patrol": date(2027, 6, 30)}
    assert got["100003"].skills == {"case": date(2027, 6, 30)}
    assert got["100002"].person_type == "duty_aux"


def test_the_sheet_that_was_refused_whole_is_read(tmp_path, station):
    # issue 24: a sheet with the extra columns 所属 and 入警年份 was refused whole
    f = tmp_path / "p.csv"
    f.write_text("警号,姓名,性别,人员类别,所属,入警年份\n000001,王丽,女,民警,城关派出所,2010\n"
                 "000002,李明,男,勤务辅警,城关派出所,2026\n", encoding="utf-8")
    notes: list[str] = []
    people = load_people_file(f, station, notes, today=TODAY)
    assert [(p.badge, p.years_of_service) for p in people] == [("000001", 16), ("000002", 0)]
    assert any("所属" in n for n in notes) and any("入警年份" in n for n in notes)


def test_a_full_row_above_the_header_is_refused_naming_it(cli_run, demo_db, tmp_path, lang):
    f = roster_book(tmp_path / "p.xlsx", ROWS, title=["制表单位", "城关派出所", "制表日期", "2026-11-30"])
    r = run(cli_run, "people", "import", str(f), "--json", lang=lang)
    assert r.exit_code == 65
    words = ("第 1 行在表头（第 2 行）上方，但不是标题" if lang == "zh"
             else "row 1 is above the header (row 2) but is not a title")
    assert [(p["file"], p["line"]) for p in load_json_err(r)["problems"]] == [(str(f), 1)]
    assert words in r.stderr and ("请删除表头上方的行" if lang == "zh" else "delete the rows above the header") in r.stderr


def test_a_title_without_a_header_is_refused_with_delete_the_title_row(tmp_path, station, lang):
    f = roster_book(tmp_path / "p.xlsx", [["x"] * 3], header=["序号", "名单", "备用"])
    with pytest.raises(InputError) as exc:
        load_people_file(f, station)
    (p,) = exc.value.problems
    assert p.line == 1
    assert ("请删除标题行" if lang == "zh" else "delete the title row") in str(p.message)


def test_generic_auxiliary_is_refused_naming_row_and_column(cli_run, demo_db, tmp_path, lang):
    rows = [ROWS[0], [2, "100002", "李明", "男", "", "辅警", "", "", "", "2018-03", "", "巡逻"]]
    f = roster_book(tmp_path / "p.xlsx", rows)
    r = run(cli_run, "import", "people", str(f), "--json", lang=lang)
    assert r.exit_code == 65
    problems = load_json_err(r)["problems"]
    assert [(p["line"], p["column"], p["field"]) for p in problems] == [(4, "F (人员类别)", "person_type")]
    assert ("勤务辅警还是文职辅警？" if lang == "zh" else "勤务辅警 (duty auxiliary) or 文职辅警 (civilian auxiliary)?") \
        in problems[0]["message"]
    with StationDB(demo_db) as sdb:                 # nothing written
        assert "100001" not in {p.badge for p in load_people(sdb)}


def load_json_err(r) -> dict:
    import json
    return json.loads(r.stderr.splitlines()[0])


def test_bad_dates_of_service_name_their_place(tmp_path, station):
    f = tmp_path / "p.csv"
    f.write_text("警号,姓名,性别,人员类别,入警时间,入警年份\n"
                 "1,甲,男,民警,2030-01-01,\n"          # row 2: in the future
                 "2,乙,男,民警,去年,\n"                 # row 3: not a date
                 "3,丙,男,民警,,1890\n", encoding="utf-8")   # row 4: out of range
    with pytest.raises(InputError) as exc:
        load_people_file(f, station, today=TODAY)
    assert {(p.line, p.column, p.field) for p in exc.value.problems} == {
        (2, "入警时间", "police_start"), (3, "入警时间", "police_start"), (4, "入警年份", "police_year")}


# -- the parsers, for any input ---------------------------------------------------------------------

months = st.tuples(st.integers(1950, 2099), st.integers(1, 12))
MONTH_FORMS = ["{y}年{m}月", "{y}-{m:02d}", "{y}/{m}", "{y}.{m:02d}", "有效期至{y}年{m}月", "至{y}-{m:02d}", "{y} 年 {m} 月"]


@given(months, st.sampled_from(MONTH_FORMS))
def test_a_month_alone_expires_on_its_last_day(ym, form):
    y, m = ym
    assert cells.parse_expiry(form.format(y=y, m=m)) == date(y, m, calendar.monthrange(y, m)[1])


@given(st.dates(date(1950, 1, 1), date(2099, 12, 31)),
       st.sampled_from(["{d:%Y-%m-%d}", "{d.year}年{d.month}月{d.day}日", "有效期至{d:%Y-%m-%d}", "{d:%Y/%m/%d}"]))
def test_a_full_expiry_date_is_that_day(d, form):
    assert cells.parse_expiry(form.format(d=d)) == d


@given(months, st.sampled_from(["{y}年{m}月", "{y}-{m:02d}", "{y}.{m:02d}", "{y}/{m}"]))
def test_a_start_month_begins_on_its_first_day(ym, form):
    y, m = ym
    assert cells.parse_start(form.format(y=y, m=m)) == date(y, m, 1)


@given(st.one_of(st.text(max_size=20), st.integers(), st.floats(allow_nan=True), st.none(), st.booleans(), st.dates()))
def test_date_parsers_only_raise_value_error(value):
    for fn in (cells.parse_expiry, cells.parse_start, lambda v: cells.parse_year(v, today=TODAY)):
        try:
            fn(value)
        except ValueError:
            pass


@given(st.dates(date(1950, 1, 1), date(2060, 1, 1)), st.dates(date(1950, 1, 1), date(2060, 1, 1)))
def test_whole_years_are_completed_years(start, today):
    n = cells.whole_years(start, today)
    assert n >= 0
    if start <= today:
        try:
            anniversary = start.replace(year=start.year + n)
        except ValueError:                    # 29 February
            anniversary = date(start.year + n, 3, 1)
        assert anniversary <= today
        try:
            next_one = start.replace(year=start.year + n + 1)
        except ValueError:
            next_one = date(start.year + n + 1, 3, 1)
        assert next_one > today


titles = st.text(alphabet=st.characters(whitelist_categories=("Lo", "Nd")), min_size=1, max_size=30)


@settings(max_examples=50, deadline=None)
@given(titles, st.integers(0, 2), st.booleans())
def test_any_title_above_the_header_is_skipped_with_the_same_people(station, title, blank_rows, second_line):
    header = ["警号", "姓名", "性别", "人员类别"]
    body = [["000001", "王丽", "女", "民警"], ["000002", "李明", "男", "勤务辅警"]]
    plain = parse_people(Table(file="p.csv", header=header, rows=[(2 + i, r) for i, r in enumerate(body)]), station)
    above = [[title]] + [[""]] * blank_rows + ([["制表日期", "2026-11-30"]] if second_line else [])
    raw = above + [header] + body
    rows = [(i, r) for i, r in enumerate(raw[1:], start=2) if any(r)]
    notes: list[str] = []
    got = parse_people(Table(file="p.csv", header=raw[0], rows=rows), station, notes)
    assert got == plain
    header_row = len(above) + 1
    assert len(notes) == 1 + second_line and all(str(header_row) in n for n in notes)


@given(st.lists(st.sampled_from(["身份证号", "职务", "政治面貌", "所属", "学历", "民族", "籍贯", "出生日期", "序号"]),
                unique=True, max_size=6))
def test_columns_not_used_are_ignored_and_listed(station, extra):
    header = ["警号", "姓名", "性别", "人员类别"] + extra
    row = ["000001", "王丽", "女", "民警"] + ["x"] * len(extra)
    notes: list[str] = []
    (p,) = parse_people(Table(file="p.csv", header=header, rows=[(2, row)]), station, notes)
    assert p.badge == "000001"
    assert all(any(c in n for n in notes) for c in extra) and (len(notes) == 1) == bool(extra)
