"""People lists from CSV and XLSX: headers in Chinese or English, badges as text, every bad row named."""
from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook

from errors import InputError
from stationdef.demo import demo_station
from stationdef.people_file import load_people_file

ZH_HEADER = "警号,姓名,性别,人员类别,所属队室,工龄,技能,在岗\n"


@pytest.fixture(scope="module")
def station():
    return demo_station()


def write(tmp_path, text: str, name="people.csv", encoding="utf-8-sig"):
    f = tmp_path / name
    f.write_bytes(text.encode(encoding))
    return f


def test_csv_with_chinese_headers(tmp_path, station):
    f = write(tmp_path, ZH_HEADER +
              "001234, 王丽 ,女,民警,社区警务队,12,巡逻;社区、办案@2027年6月30日,是\n"
              "FJ0007,李明,男,勤务辅警,command,3,巡逻|驾驶@2026/12/1,\n")
    people = load_people_file(f, station)
    assert [p.badge for p in people] == ["001234", "FJ0007"]
    wang = people[0]
    assert wang.name == "王丽" and wang.sex == "F" and wang.person_type == "sworn" and wang.team == "community"
    assert wang.skills == {"patrol": None, "community": None, "case": date(2027, 6, 30)}
    assert people[1].skills["driving"] == date(2026, 12, 1) and people[1].active


def test_csv_english_headers_and_gbk(tmp_path, station):
    text = ("badge,name,sex,person_type,team,years_of_service,skills,active\n"
            "000001,张伟,M,sworn,case,5,case;patrol,yes\n")
    f = write(tmp_path, text, encoding="gb18030")
    people = load_people_file(f, station)
    assert people[0].badge == "000001" and people[0].team == "case"


def test_xlsx_keeps_leading_zeros_and_reads_dates(tmp_path, station):
    wb = Workbook()
    ws = wb.active
    ws.append(["警号", "姓名", "性别", "人员类别", "所属队室", "技能"])
    ws.append(["000321", "赵强", "男", "民警", "执法办案队", "办案;巡逻"])
    ws.append([4567, "孙悦", "女", "民警", "社区警务队", "社区"])
    ws["A3"].number_format = "000000"          # a badge stored as a number, shown with zeros
    ws.append(["FJ0100", "陈晨", "女", "文职辅警", "综合指挥室", "窗口"])
    f = tmp_path / "people.xlsx"
    wb.save(f)
    people = load_people_file(f, station)
    assert [p.badge for p in people] == ["000321", "004567", "FJ0100"]


def test_bad_rows_are_all_reported_with_row_and_column(tmp_path, station):
    f = write(tmp_path, ZH_HEADER +
              "001,王丽,女,民警,社区警务队,12,巡逻,是\n"     # row 2: fine
              "001,李明,男,民警,社区警务队,3,巡逻,是\n"       # row 3: duplicate badge
              "002,,男,民警,case,3,,是\n"                   # row 4: no name
              "003,张三,X,警犬,case,3,,是\n"                 # row 5: bad sex and type
              "004,李四,男,勤务辅警,case,3,办案,是\n"         # row 6: 辅警 with a sworn-only skill
              "005,王五,男,民警,火星队,3,飞行;巡逻@2026-13-01,也许\n")  # row 7: team, skills, expiry, active
    with pytest.raises(InputError) as exc:
        load_people_file(f, station)
    got = {(p.line, p.field) for p in exc.value.problems}
    assert got == {(3, "badge"), (4, "name"), (5, "sex"), (5, "person_type"), (6, "skills"), (7, "team"),
                   (7, "skills"), (7, "active")}
    msgs = [str(p) for p in exc.value.problems]
    assert any("row 3, column 警号, field 'badge': badge '001' appears twice (also row 2)" in m for m in msgs)
    assert any("unknown skill '飞行'" in m for m in msgs)
    assert any("'2026-13-01' is not a real calendar date" in m for m in msgs)
    assert any("can only be held by a 民警" in m for m in msgs)


def test_xlsx_errors_name_column_letter(tmp_path, station):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "警号", "性别", "人员类别"])
    ws.append(["赵强", "000321", "男", "协警"])
    f = tmp_path / "p.xlsx"
    wb.save(f)
    with pytest.raises(InputError) as exc:
        load_people_file(f, station)
    assert str(exc.value.problems[0]).startswith(f"{f}, row 2, column D (人员类别), field 'person_type'")


@pytest.mark.parametrize("content, fragment", [
    ("姓名,性别\n王丽,女\n", "required column 'badge' is missing"),
    ("警号,姓名,性别,人员类别\n", "no people in the list"),
    ("", "the file is empty"),
])
def test_header_problems(tmp_path, station, content, fragment):
    f = write(tmp_path, content)
    with pytest.raises(InputError, match=fragment):
        load_people_file(f, station)


def test_unsupported_and_broken_files(tmp_path, station):
    with pytest.raises(InputError, match="unsupported file type"):
        load_people_file(write(tmp_path, "x", name="people.ods"), station)
    with pytest.raises(InputError, match="not a readable XLSX"):
        load_people_file(write(tmp_path, "not a zip", name="people.xlsx"), station)
    with pytest.raises(InputError, match="no such file"):
        load_people_file(tmp_path / "missing.csv", station)
