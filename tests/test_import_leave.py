"""`dutydesk import leave`, `leave add`, `leave list`: date forms, kinds, duplicates, errors, roles."""
from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from db.connection import StationDB
from db.schema import LEAVE_KINDS as DB_KINDS
from errors import InputError
from stationdef.leave_file import LEAVE_KINDS, parse_kind
from tests.conftest import load_json
from tests.test_import_people import audit_actions, snapshot


def leave_rows(path) -> list[tuple]:
    with StationDB(path) as sdb:
        return [tuple(r.values()) for r in sdb.rows("SELECT badge, start, end, kind, note FROM leave ORDER BY id")]


@pytest.fixture
def badges(demo_db):
    with StationDB(demo_db) as sdb:
        return [r["badge"] for r in sdb.rows("SELECT badge FROM people WHERE active = 1 ORDER BY badge")]


def test_kinds_match_the_database():
    assert set(LEAVE_KINDS) == set(DB_KINDS)
    for code, (zh, en) in LEAVE_KINDS.items():
        assert parse_kind(code) == parse_kind(zh) == parse_kind(f" {en.upper()} ") == code
    with pytest.raises(ValueError, match="'婚假' is not a kind of leave"):
        parse_kind("婚假")


def test_xlsx_with_every_date_form(cli_run, demo_db, badges, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["警号", "开始日期", "结束日期", "类型", "备注"])
    ws.append([badges[0], datetime(2026, 12, 1), date(2026, 12, 3), "年休假", " 探亲 "])   # date cells
    ws.append([badges[1], 46357, 46358, "sick", None])                                  # Excel serials
    ws.append([f" {badges[2]} ", "2026/12/1", "2026年12月2日", " 培训 ", "省厅轮训"])       # text forms, spaces
    ws.append([badges[3], "2026-12-05", None, "补休", ""])                               # no end: one day
    ws.append([int(badges[4]), "2026.12.6", "2026-12-06 00:00", "personal", None])     # badge lost its zeros
    f = tmp_path / "leave.xlsx"
    wb.save(f)
    r = cli_run("import", "leave", str(f), "--json", login="clerk")
    assert r.exit_code == 0, r.output
    got = load_json(r)
    assert got["written"] and got["skipped"] == [] and len(got["added"]) == 5
    assert leave_rows(demo_db) == [
        (badges[0], "2026-12-01", "2026-12-03", "annual", "探亲"),
        (badges[1], "2026-12-01", "2026-12-02", "sick", None),
        (badges[2], "2026-12-01", "2026-12-02", "training", "省厅轮训"),
        (badges[3], "2026-12-05", "2026-12-05", "compensatory", None),
        (badges[4], "2026-12-06", "2026-12-06", "personal", None)]
    assert audit_actions(demo_db)[-1] == "leave.import"
    # the same file again: everything is a duplicate of recorded leave, so nothing is written
    before = snapshot(demo_db)
    again = load_json(cli_run("import", "leave", str(f), "--json"))
    assert again["added"] == [] and not again["written"]
    assert [s["why"] for s in again["skipped"]] == ["already recorded"] * 5
    assert snapshot(demo_db) == before
    text = cli_run("import", "leave", str(f)).output
    assert "Skipped" in text and "already recorded" in text and "Added 0 leave entries; skipped 5." in text


def test_duplicate_rows_and_overlaps_are_reported(cli_run, demo_db, badges, tmp_path):
    f = tmp_path / "leave.csv"
    f.write_text("badge,start,end,kind,note\n"
                 f"{badges[0]},2026-12-01,2026-12-03,annual,\n"
                 f"{badges[0]},2026-12-01,2026-12-03,年休假,again\n"
                 f"{badges[0]},2026-12-03,2026-12-04,sick,\n", encoding="utf-8")
    r = cli_run("import", "leave", str(f), "--dry-run", "--json")
    got = load_json(r)
    assert [a["row"] for a in got["added"]] == [2, 4]
    assert got["skipped"][0]["row"] == 3 and got["skipped"][0]["why"] == "same as row 2"
    assert any("overlaps 年休假 2026-12-01..2026-12-03 (row 2)" in w for w in got["warnings"])
    assert "overlaps" in r.stderr
    assert leave_rows(demo_db) == []


def test_bad_rows_exit_65_and_write_nothing(cli_run, demo_db, badges, tmp_path):
    f = tmp_path / "leave.csv"
    f.write_text("警号,姓名,开始日期,结束日期,类型\n"
                 f"{badges[0]},,2026-12-01,2026-12-02,病假\n"          # row 2: fine
                 "999999,,2026-12-01,2026-12-02,病假\n"                # row 3: unknown badge
                 f"{badges[1]},,2026-12-05,2026-12-01,病假\n"          # row 4: ends before it starts
                 f"{badges[2]},,2026-02-30,,病假\n"                    # row 5: no such day
                 f"{badges[3]},,12,,婚假\n"                           # row 6: implausible date, unknown kind
                 f"{badges[4]},张三丰,2026-12-01,,病假\n"               # row 7: name does not match the badge
                 ",,2026-12-01,,病假\n", encoding="gb18030")          # row 8: no badge
    before = snapshot(demo_db)
    r = cli_run("import", "leave", str(f))
    assert r.exit_code == 65
    assert snapshot(demo_db) == before
    places = re.findall(r"row (\d+), column (\S+), field '(\w+)'", r.stderr)
    assert places == [("3", "警号", "badge"), ("4", "结束日期", "end"), ("5", "开始日期", "start"),
                      ("6", "开始日期", "start"), ("6", "类型", "kind"), ("7", "姓名", "name"), ("8", "警号", "badge")]
    assert "no person with badge '999999'" in r.stderr
    assert "ends 2026-12-01, before it starts (2026-12-05)" in r.stderr
    assert "'2026-02-30' is not a real calendar date" in r.stderr


def test_leave_add_and_list(cli_run, demo_db, badges):
    cli_run("user", "add", "li", "--role", "duty")
    cli_run("user", "add", "wu", "--role", "viewer")
    r = cli_run("leave", "add", badges[0], "--from", "2026/12/1", "--to", "2026年12月3日", "--kind", "病假",
                "--note", "发烧", "--json", login="li")
    assert r.exit_code == 0, r.output
    added = load_json(r)
    assert added["added"] and added["days"] == 3 and added["kind"] == "sick" and added["id"]
    assert audit_actions(demo_db)[-1] == "leave.add"
    dup = cli_run("leave", "add", badges[0], "--from", "2026-12-01", "--to", "2026-12-03", "--kind", "sick",
                  login="li")
    assert dup.exit_code == 0 and "already recorded" in dup.output
    assert len(leave_rows(demo_db)) == 1
    viewer = cli_run("leave", "add", badges[1], "--from", "2026-12-01", "--to", "2026-12-01", "--kind", "sick",
                     login="wu")
    assert viewer.exit_code == 77 and "may not record leave" in viewer.stderr
    bad = cli_run("leave", "add", "nobody", "--from", "2026-12-03", "--to", "2026-12-01", "--kind", "vacation")
    assert bad.exit_code == 65
    assert "field 'BADGE'" in bad.stderr and "field '--to'" in bad.stderr and "field '--kind'" in bad.stderr
    cli_run("leave", "add", badges[1], "--from", "2026-12-10", "--to", "2026-12-11", "--kind", "annual")
    rows = load_json(cli_run("leave", "list", "--from", "2026-11-01", "--json", login="wu"))
    assert [(x["badge"], x["start"], x["days"]) for x in rows] == [(badges[0], "2026-12-01", 3),
                                                                   (badges[1], "2026-12-10", 2)]
    only = load_json(cli_run("leave", "list", "--from", "2026-12-04", "--to", "2026-12-10", "--json"))
    assert [x["badge"] for x in only] == [badges[1]]
    text = cli_run("leave", "list", "--from", "2026-11-01").output
    assert "病假 sick" in text and "发烧" in text


def test_leave_on_rostered_days_warns(cli_run, roster_db, db_path):
    roster, start = roster_db
    with StationDB(db_path) as sdb:
        a = sdb.one("SELECT badge, date FROM assignments LIMIT 1")
    r = cli_run("leave", "add", a["badge"], "--from", a["date"], "--to", a["date"], "--kind", "sick")
    assert r.exit_code == 0
    assert re.search(rf"roster {roster['roster_id']}v1 \(draft.*{a['badge']}.*{a['date']}", r.stderr)
    assert "dutydesk roster repair" in r.stderr


def test_import_leave_needs_a_role(cli_run, demo_db, badges, tmp_path):
    f = tmp_path / "leave.csv"
    f.write_text(f"警号,开始日期,类型\n{badges[0]},2026-12-01,病假\n", encoding="utf-8")
    r = cli_run("import", "leave", str(f), login="stranger")
    assert r.exit_code == 77 and "has no role" in r.stderr


def test_parse_errors_are_input_errors(demo_db, make_ctx, tmp_path):
    from usecases.imports import import_leave
    f = tmp_path / "leave.csv"
    f.write_text("警号,开始日期\n1,2026-12-01\n", encoding="utf-8")
    with make_ctx().open() as s, pytest.raises(InputError) as exc:
        import_leave(s, f)
    assert "required column 'kind' is missing" in str(exc.value)
