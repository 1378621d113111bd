"""The foundation commands as a user runs them (click's runner, injected OS user)."""
from __future__ import annotations

import hashlib
import json

from openpyxl import Workbook

from tests.conftest import load_json
from stationdef.demo import demo_people, demo_station
from stationdef.people_file import write_people_csv

STATION_FILE = "stationdef/demo_station.toml"


def file_digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def test_init_demo_then_show(cli_run, db_path):
    r = cli_run("init", "--demo", "--json", login="chief1")
    assert r.exit_code == 0, r.output
    summary = load_json(r)
    assert summary["people"] == 62 and summary["admin"] == "chief1"
    show = load_json(cli_run("station", "show", "--json", login="chief1"))
    posts = {p["code"]: p for p in show["posts"]}
    assert posts["CASE"]["min_sworn"] == 2 and posts["CASE"]["demand"]["Z"]["workday"] == 2
    assert posts["PAT1"]["crew_skills"] == ["driving"]
    shifts = {s["code"]: s for s in show["shifts"]}
    assert shifts["N"]["start"] == "20:00" and shifts["N"]["end"] == "08:00" and shifts["N"]["crosses_midnight"]
    assert show["capacity"]["utilisation"] < 0.95
    text = cli_run("station", "show", login="chief1").output
    assert "办案值班" in text and "20:00" in text


def test_people_list(cli_run, demo_db):
    rows = load_json(cli_run("people", "list", "--json"))
    assert len(rows) == 62
    assert all(r["badge"] and r["name"] and r["person_type"] for r in rows)
    assert any(s["state"] == "expired" for r in rows for s in r["skills"])
    case = load_json(cli_run("people", "list", "--skill", "case", "--json"))
    assert case and all(r["person_type"] == "sworn" for r in case)
    out = cli_run("people", "list").output
    assert "EXPIRED" in out


def test_init_from_files(cli_run, db_path, tmp_path):
    people_csv = tmp_path / "people.csv"
    with people_csv.open("w", encoding="utf-8", newline="") as f:
        write_people_csv(demo_people(3), demo_station(), f)
    r = cli_run("init", "--station", STATION_FILE, "--people", str(people_csv), "--json")
    assert r.exit_code == 0, r.output
    rows = load_json(cli_run("people", "list", "--json"))
    assert [x["badge"] for x in rows] == [p.badge for p in demo_people(3)]


def test_init_bad_files_exit_65_and_write_nothing(cli_run, db_path, tmp_path):
    bad_station = tmp_path / "bad.toml"
    bad_station.write_text((open(STATION_FILE, encoding="utf-8").read()
                            .replace('start = "20:00"', 'start = "20点"')), encoding="utf-8")
    bad_people = tmp_path / "people.csv"
    bad_people.write_text("警号,姓名,性别,人员类别,所属队室\n001,王丽,女,民警,社区警务队\n002,李明,男,警犬,社区警务队\n",
                          encoding="utf-8")
    r = cli_run("init", "--station", str(bad_station), "--people", str(bad_people))
    assert r.exit_code == 65
    assert "bad.toml, line" in r.stderr and "field 'shifts[2].start'" in r.stderr
    assert not db_path.exists()

    r = cli_run("init", "--station", STATION_FILE, "--people", str(bad_people))
    assert r.exit_code == 65
    assert "people.csv, row 3, column 人员类别, field 'person_type'" in r.stderr
    assert not db_path.exists()


def test_second_init_changes_nothing(cli_run, demo_db):
    before = file_digest(demo_db)
    r = cli_run("init", "--demo")
    assert r.exit_code != 0 and "already holds the station" in r.stderr
    assert file_digest(demo_db) == before


def test_users_and_roles(cli_run, demo_db):
    r = cli_run("user", "add", "zhao", "--role", "chief", "--person", "061010", "--json")
    assert r.exit_code == 0, r.output
    assert load_json(r)["roles"] == ["chief"]
    users = {u["login"]: u for u in load_json(cli_run("user", "list", "--json"))}
    assert users["clerk"]["roles"] == ["admin"] and users["zhao"]["person"] == "061010"
    # a chief is not an admin: refused with exit 77 and nothing changes
    r = cli_run("user", "add", "zhao", "--role", "admin", login="zhao")
    assert r.exit_code == 77 and "may not add users" in r.stderr
    r = cli_run("user", "add", "mallory", "--role", "admin", login="mallory")
    assert r.exit_code == 77
    assert {u["login"] for u in load_json(cli_run("user", "list", "--json"))} == {"clerk", "zhao"}
    r = cli_run("user", "add", "li", "--role", "duty", "--person", "999999")
    assert r.exit_code == 2 and "no person with badge '999999'" in r.stderr


def test_identity_is_not_taken_from_environment(monkeypatch, db_path):
    from click.testing import CliRunner

    from main import cli
    from usecases.context import os_login
    monkeypatch.setenv("USER", "someone_else")
    monkeypatch.setenv("LOGNAME", "someone_else")
    r = CliRunner().invoke(cli, ["--db", str(db_path), "init", "--demo", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["admin"] == os_login() != "someone_else"


def test_calendar(cli_run, demo_db, tmp_path):
    years = load_json(cli_run("calendar", "show", "--json"))["years"]
    assert any(y["holidays"] > 0 for y in years)
    r = cli_run("calendar", "show", "--year", "2031")
    assert "no official holiday data for 2031" in r.stderr
    wb = Workbook()
    ws = wb.active
    ws.append(["日期", "类型", "名称"])
    ws.append(["2031-01-01", "节假日", "元旦"])
    ws.append(["2031年1月26日", "班", "春节调休"])
    f = tmp_path / "2031.xlsx"
    wb.save(f)
    r = cli_run("calendar", "import", str(f), "--json")
    assert r.exit_code == 0, r.output
    assert load_json(r) == {"years": [2031], "days": 365, "holidays": 1, "adjusted_workdays": 1}
    data = load_json(cli_run("calendar", "show", "--year", "2031", "--json"))
    assert data["warnings"] == []
    assert {d["date"]: d["kind"] for d in data["special_days"]} == {"2031-01-01": "holiday",
                                                                   "2031-01-26": "adjusted_workday"}
    bad = tmp_path / "bad.csv"
    bad.write_text("日期,类型\n2032-01-01,节假日\n2032-02-30,节假日\n", encoding="utf-8")
    r = cli_run("calendar", "import", str(bad))
    assert r.exit_code == 65 and "row 3, column 日期" in r.stderr
    assert not any(y["year"] == "2032" for y in load_json(cli_run("calendar", "show", "--json"))["years"])
    r = cli_run("calendar", "import", str(f), login="nobody")
    assert r.exit_code == 77


def test_no_database_is_a_clear_error(cli_run, db_path):
    r = cli_run("station", "show")
    assert r.exit_code != 0 and "no station database at" in r.stderr and "dutydesk init" in r.stderr


def test_demo_command_creates_and_reuses(cli_run, db_path):
    r = cli_run("demo", "--no-app")
    assert r.exit_code == 0 and "Created the demo station" in r.stderr and "城关派出所" in r.stdout
    r = cli_run("demo", "--no-app")
    assert r.exit_code == 0 and "Using the demo station" in r.stderr


def test_audit_records_init_and_user_changes(cli_run, demo_db):
    from db import audit
    from db.connection import StationDB
    cli_run("user", "add", "zhao", "--role", "chief")
    with StationDB(demo_db) as sdb:
        actions = [r["action"] for r in sdb.rows("SELECT action FROM audit_log ORDER BY seq")]
        assert actions == ["station.init", "user.add"]
        assert audit.verify(sdb)[0]


def test_errors_as_json_when_asked(cli_run, demo_db):
    r = cli_run("roster", "show", "99", "--json")
    assert r.exit_code == 2
    err = json.loads(r.stderr.splitlines()[0])
    assert err["error"] == "NotFound" and "no roster 99" in err["message"]


def test_damaged_xlsx_is_bad_input(cli_run, db_path, tmp_path):
    import zipfile
    good = tmp_path / "p.xlsx"
    wb = Workbook()
    wb.active.append(["警号", "姓名", "性别", "人员类别"])
    wb.active.append(["001", "王丽", "女", "民警"])
    wb.save(good)
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + 10
    data[start:start + 20] = b"\x00" * 20                 # corrupt the compressed sheet
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(bytes(data))
    r = cli_run("init", "--station", STATION_FILE, "--people", str(bad))
    assert r.exit_code == 65 and "bad.xlsx" in r.stderr
    assert not db_path.exists()
