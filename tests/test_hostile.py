"""Hostile files and arguments (issue 20): no traceback, no live formula, no world-readable
station. Each case is run like a user runs it: the CLI through click's runner (and a real
subprocess for file modes), then the database and the files are looked at."""
from __future__ import annotations

import csv
import io
import os
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, load_json

DEMO_TOML = REPO / "stationdef" / "demo_station.toml"
PEOPLE_CSV = REPO / "examples" / "people.csv"
HOSTILE_NAMES = ['=HYPERLINK("http://x.example/","click")', "=1+1", "+1+1", "-2+3", "@SUM(A1)",
                 "=cmd|' /C calc'!A0", "'=already quoted", "''+twice"]
NOTE = '他说"你好", 再见\n第二行, "引号"'


# -- 1 and 2: exports neutralise formulas; CSV round trip (RFC 4180) -----------------------------

def test_neutralise_is_undone_exactly():
    from stationdef.text import neutralise, unneutralise
    for text in HOSTILE_NAMES + ["王丽", "", "'", "''", "a=b", "\tx", "\rx", "-", "'-"]:
        out = neutralise(text)
        assert not out.startswith(("=", "+", "-", "@", "\t", "\r")), out
        assert unneutralise(out) == text


def _people_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


@pytest.fixture
def hostile_db(cli_run, demo_db, tmp_path):
    """The demo station with formula-like names, a quoted multi-line note and a '+86' phone."""
    out = tmp_path / "people.csv"
    assert cli_run("people", "export", "--out", str(out)).exit_code == 0
    rows = _people_rows(out)
    for i, name in enumerate(HOSTILE_NAMES, start=1):
        rows[i][1] = name
    rows[1][9] = NOTE
    rows[2][8] = "+86 138 0000 0000"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    out.write_bytes(buf.getvalue().encode("utf-8-sig"))
    r = cli_run("import", "people", str(out))
    assert r.exit_code == 0, r.output
    return rows


def _stored(cli_run) -> dict[str, dict]:
    from db.station import load_people
    from usecases.context import AppContext  # noqa: F401  (the session comes from the fixture path)
    return {p["badge"]: p for p in load_json(cli_run("people", "list", "--json"))}


def test_people_exports_hold_no_live_formula_and_round_trip(cli_run, hostile_db, tmp_path, make_ctx):
    from db.station import load_people
    with make_ctx().open() as s:
        before = {p.badge: p for p in load_people(s.sdb)}
    assert before[hostile_db[1][0]].note == NOTE and before[hostile_db[1][0]].name == HOSTILE_NAMES[0]
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"again.{fmt}"
        assert cli_run("people", "export", "--out", str(out)).exit_code == 0
        if fmt == "csv":
            cells = [c for row in _people_rows(out)[1:] for c in row]
            assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
            assert "'=HYPERLINK(\"http://x.example/\",\"click\")" in cells
        else:
            with zipfile.ZipFile(out) as z:
                sheet = z.read("xl/worksheets/sheet1.xml").decode()
            assert "<f>" not in sheet and "HYPERLINK" in sheet
        r = cli_run("import", "people", str(out), "--dry-run", "--json")
        assert r.exit_code == 0, r.output
        plan = load_json(r)
        assert plan["added"] == [] and plan["updated"] == [] and plan["unchanged"] == len(before), (fmt, plan)


def test_roster_exports_hold_no_live_formula(cli_run, roster_db, tmp_path, make_ctx):
    from usecases.context import AppContext
    ctx = make_ctx()
    with ctx.open() as s, s.sdb.write():
        s.sdb.conn.execute("UPDATE people SET name = ? WHERE badge = (SELECT min(badge) FROM people)",
                           ('=HYPERLINK("http://x.example/","click")',))
        s.sdb.conn.execute("UPDATE posts SET name = '@SUM(A1)' WHERE code = (SELECT min(code) FROM posts)")
    rid = str(roster_db[0]["roster_id"])
    out = tmp_path / "r.xlsx"
    assert cli_run("roster", "export", rid, "--out", str(out)).exit_code == 0
    with zipfile.ZipFile(out) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml
    out = tmp_path / "r.csv"
    assert cli_run("roster", "export", rid, "--out", str(out)).exit_code == 0
    cells = [c for row in _people_rows(out)[1:] for c in row]
    assert cells and not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert any(c.startswith("'@SUM") for c in cells)


def test_csv_fields_with_quotes_commas_and_newlines_survive(tmp_path):
    from stationdef.people_file import read_table
    values = ['他说"你好", 再见', "a,b", "line1\nline2", 'x""y', "  spaced  ", "tab\there", ""]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["警号", "备注"])
    w.writerows([[f"{i:06d}", v] for i, v in enumerate(values)])
    for sep_name, data in (("excel", buf.getvalue()),):
        f = tmp_path / f"{sep_name}.csv"
        f.write_bytes(data.encode("utf-8-sig"))
        t = read_table(f)
        got = {r[0]: r[1] for _, r in t.rows}
        assert [got.get(f"{i:06d}", "") for i in range(len(values)) if values[i]] == [v for v in values if v]


def test_a_broken_quote_is_reported_with_its_line(tmp_path):
    from errors import InputError
    from stationdef.people_file import read_table
    f = tmp_path / "bad.csv"
    f.write_text('警号,备注\n061024,"ok"\n061025,"open "quote" x\n', encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_table(f)
    assert e.value.problems[0].line == 3 and "not a valid CSV" in e.value.problems[0].message


def test_semicolon_csv_is_still_read(tmp_path):
    from stationdef.people_file import read_table
    f = tmp_path / "semi.csv"
    f.write_text("警号;姓名\n061024;王丽\n", encoding="utf-8")
    assert read_table(f).rows == [(2, ["061024", "王丽"])]


# -- 3: control characters, lengths and cell types -----------------------------------------------

@pytest.mark.parametrize("column,value,expect", [
    ("姓名", "王\x00丽", "U+0000"), ("姓名", "\x1b[2J王丽", "U+001B"), ("姓名", "王\n丽", "U+000A"),
    ("备注", "x\x07", "U+0007"), ("姓名", "王" * 101, "at most 100"), ("备注", "x" * 2001, "at most 2000"),
    ("警号", "0" * 40, "at most 32"),
])
def test_people_list_refuses_control_characters_and_long_text(cli_run, demo_db, tmp_path, column, value, expect):
    out = tmp_path / "people.csv"
    cli_run("people", "export", "--out", str(out))
    rows = _people_rows(out)
    rows[3][rows[0].index(column)] = value
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    out.write_bytes(buf.getvalue().encode("utf-8-sig"))
    before = cli_run("people", "list", "--json").stdout
    r = cli_run("import", "people", str(out))
    assert r.exit_code == 65 and f"row 4, column {column}" in r.stderr and expect in r.stderr, r.stderr
    assert "\x1b" not in r.stderr
    assert cli_run("people", "list", "--json").stdout == before


def test_xlsx_date_cell_is_not_a_badge(tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    from errors import InputError
    from stationdef.demo import demo_station
    from stationdef.people_file import load_people_file
    wb = Workbook()
    wb.active.append(["警号", "姓名", "性别", "人员类别"])
    wb.active.append([datetime(2026, 1, 1), "王丽", "女", "民警"])
    wb.save(tmp_path / "p.xlsx")
    with pytest.raises(InputError) as e:
        load_people_file(tmp_path / "p.xlsx", demo_station())
    p = e.value.problems[0]
    assert p.line == 2 and p.field == "badge" and "date" in p.message


def test_leave_list_refuses_control_characters(cli_run, demo_db, tmp_path, badges):
    f = tmp_path / "leave.csv"
    f.write_text(f"警号,开始日期,类型,备注\n{badges[0]},2026-12-01,病假,x\x00y\n", encoding="utf-8")
    r = cli_run("import", "leave", str(f))
    assert r.exit_code == 65 and "row 2, column 备注" in r.stderr and "U+0000" in r.stderr


@pytest.fixture
def badges(cli_run, demo_db):
    return [p["badge"] for p in load_json(cli_run("people", "list", "--json"))]


@pytest.mark.parametrize("text,expect", [
    ("日期,类型\n1800-01-01,节假日\n", "2000-2099"),
    ("日期,类型,名称\n2027-01-01,节假日,元\x00旦\n", "U+0000"),
])
def test_calendar_file_years_and_text(cli_run, demo_db, tmp_path, text, expect):
    f = tmp_path / "cal.csv"
    f.write_text(text, encoding="utf-8")
    r = cli_run("calendar", "import", str(f))
    assert r.exit_code == 65 and "row 2" in r.stderr and expect in r.stderr, r.stderr


# -- 4 and 5: numbers and the traceback cases, station file ----------------------------------------

def _toml(sub: tuple[str, str] | None = None, extra: str = "") -> str:
    text = DEMO_TOML.read_text(encoding="utf-8")
    if sub:
        new, n = re.subn(sub[0], lambda m: sub[1], text, count=1, flags=re.M)
        assert n == 1, sub
        text = new
    return text + extra


STATION_CASES = {
    "name_en not text": (_toml((r'^name_en = "Community team"', "name_en = 12")), "teams[1].name_en"),
    "name_en a table": (_toml((r'^name_en = "Community team"', "name_en = {a = 1}")), "teams[1].name_en"),
    "long zone": (_toml((r'^zone = "Asia/Shanghai"', 'zone = "' + "A" * 300 + '"')), "station.zone"),
    "zone path": (_toml((r'^zone = "Asia/Shanghai"', 'zone = "../../etc/passwd"')), "station.zone"),
    "deep nesting": (_toml(extra="\nx = " + "[" * 5000 + "]" * 5000 + "\n"), "nested too deeply"),
    "nan hours": (_toml((r"^hours = \d+", "hours = nan")), "shifts[1].hours"),
    "inf hours": (_toml((r"^hours = \d+", "hours = inf")), "shifts[1].hours"),
    "nan risk": (_toml((r"^risk = [0-9.]+", "risk = nan")), "hot_spots[1].risk"),
    "inf x": (_toml((r"^x_m = [-0-9.]+", "x_m = -inf")), "hot_spots[1].x_m"),
    "nan rule": (_toml((r"^weekly_hours\s*=\s*\d+", "weekly_hours = nan")), "rules.weekly_hours"),
    "int above 2^63": (_toml((r"^min_sworn\s*=\s*\d+", "min_sworn = 99999999999999999999999")), "min_sworn"),
    "NUL in a name": (_toml((r'^name = "[^"]*"', 'name = "a\\u0000b"')), "U+0000"),
    "escape in a name": (_toml((r'^name = "[^"]*"', 'name = "\\u001b[2Jx"')), "U+001B"),
    "long code": (_toml((r'^code = "610526-CG"', 'code = "' + "x" * 5000 + '"')), "station.code"),
    "active not text": (_toml((r'^active = "[^"]*"', "active = 1900")), "hot_spots"),
    "date as a name": (_toml((r'^name = "[^"]*"', "name = 2026-01-01")), "station.name"),
}


@pytest.mark.parametrize("case", sorted(STATION_CASES))
def test_hostile_station_files(cli_run, tmp_path, case):
    text, expect = STATION_CASES[case]
    f = tmp_path / "station.toml"
    f.write_text(text, encoding="utf-8")
    db = tmp_path / "new.db"
    r = cli_run("init", "--station", str(f), "--people", str(PEOPLE_CSV), path=db)
    assert r.exit_code == 65 and expect in r.stderr, r.stderr
    assert "Traceback" not in r.output and "\x1b" not in r.stderr
    assert not list(tmp_path.glob("new.db*")), "no database file is left behind"


def test_init_failing_while_writing_leaves_no_file(cli_run, tmp_path, monkeypatch):
    import db.station
    monkeypatch.setattr(db.station, "save_people", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    db_file = tmp_path / "x.db"
    with pytest.raises(RuntimeError):
        cli_run("init", "--demo", path=db_file)
    assert not list(tmp_path.glob("x.db*"))


# -- 4 and 5: the command line -----------------------------------------------------------------------

CLI_CASES = [
    ("roster", "generate", "--start", "2026-12-07", "--time-limit", "nan"),
    ("roster", "generate", "--start", "2026-12-07", "--time-limit", "inf"),
    ("roster", "generate", "--start", "2026-12-07", "--time-limit", "-1"),
    ("roster", "generate", "--start", "2026-12-07", "--time-limit", "0"),
    ("roster", "generate", "--start", "2026-12-07", "--workers", "0"),
    ("roster", "generate", "--start", "2026-12-07", "--workers", "-3"),
    ("roster", "generate", "--start", "2026-12-07", "--seed", str(2 ** 70), "--workers", "1"),
    ("roster", "generate", "--start", "2026-12-07", "--seed", "-1"),
    ("roster", "generate", "--start", "2026-12-07", "--days", "0"),
    ("roster", "generate", "--start", "2026-12-07", "--days", "100000"),
    ("roster", "generate", "--start", "2026-12-07", "--days", "1.5"),
    ("roster", "generate", "--start", "1800-01-01"),
    ("roster", "generate", "--start", "garbage"),
    ("calendar", "show", "--year", "0"),
    ("calendar", "show", "--year", "1800"),
    ("roster", "show", str(2 ** 64)),
    ("roster", "show", "1v" + str(2 ** 64)),
    ("roster", "diff", "1v1", "seven"),
    ("roster", "export", str(2 ** 63), "--out", "x.csv"),
    ("incident", "update", str(2 ** 63), "--status", "on_scene"),
    ("incident", "dispatch", "1", "--unit", "PAT1+PAT1"),
    ("incident", "dispatch", "1", "--unit", "PAT1+"),
    ("incident", "new", "--type", "dispute", "--place", "x", "--priority", "9"),
    ("incident", "clock", "1", "--hours", "nan"),
    ("nightly", "--today", "garbage"),
    ("nightly", "--time-limit", "nan"),
    ("patrol", "plan", "--seed", str(2 ** 70)),
    ("patrol", "plan", "--time-limit", "nan"),
    ("demo", "--time-limit", "nan", "--no-app"),
    ("bench", "curtois", "x.txt", "--time-limit", "nan"),
    ("leave", "list", "--from", "garbage"),
    ("incident", "new", "--type", "dispute", "--place", "bar\x1b[2J"),
    ("incident", "new", "--type", "dispute", "--place", "x" * 201),
    ("roster", "reject", "1", "--comment", "no\x00"),
    ("leave", "add", "061024", "--from", "2026-12-01", "--to", "2026-12-02", "--kind", "病假", "--note", "\x07"),
]


@pytest.mark.parametrize("args", CLI_CASES, ids=[" ".join(a)[:60] for a in CLI_CASES])
def test_bad_command_line_values_are_usage_errors(cli_run, demo_db, args):
    before = cli_run("roster", "list", "--json").stdout
    r = cli_run(*args)
    assert r.exit_code == 2, (r.exit_code, r.output)
    assert "Invalid value" in r.stderr or "Error" in r.stderr
    assert cli_run("roster", "list", "--json").stdout == before


def test_db_that_is_not_sqlite(cli_run, tmp_path):
    for content in (b"hello, not a database\n", os.urandom(4096)):
        f = tmp_path / "fake.db"
        f.write_bytes(content)
        for args in (("station", "show"), ("people", "list"), ("init", "--demo"), ("demo", "--no-app")):
            r = cli_run(*args, path=f)
            assert r.exit_code in (65, 6, 1) and "Traceback" not in r.output, (args, r.output)
            assert r.exit_code == 65 or "holds" in r.stderr or "not a dutydesk" in r.stderr, (args, r.stderr)
        assert f.read_bytes() == content


# -- 5: read-only databases --------------------------------------------------------------------------

def test_read_only_database_refuses_writes_clearly(cli_run, demo_db, monkeypatch, tmp_path):
    import db.connection
    monkeypatch.setattr(db.connection, "writable", lambda path: False)
    r = cli_run("station", "show", "--json")
    assert r.exit_code == 0 and load_json(r)["station"]["code"]
    f = tmp_path / "leave.csv"
    badge = load_json(cli_run("people", "list", "--json"))[0]["badge"]
    f.write_text(f"警号,开始日期,类型\n{badge},2026-12-01,病假\n", encoding="utf-8")
    for args in (("import", "leave", str(f)), ("user", "add", "wang", "--role", "duty"),
                 ("leave", "add", badge, "--from", "2026-12-01", "--to", "2026-12-02", "--kind", "病假")):
        r = cli_run(*args)
        assert r.exit_code == 77 and "read-only" in r.stderr, (args, r.output)
        assert len(r.stderr.splitlines()) <= 3
    from usecases import board
    from usecases.context import AppContext
    with AppContext(login="clerk", db_path=demo_db, db_explicit=True).open() as s:
        assert s.read_only and board.station_info(s)["read_only"]
        reasons = board.permissions(s)          # the admin could generate, but not on a read-only file
        assert all(reasons.values()) and "read-only" in reasons["generate"] and "read-only" in reasons["leave"]


def test_sqlite_refusing_a_write_becomes_read_only_error(demo_db):
    from db.connection import StationDB
    from errors import ReadOnly
    sdb = StationDB(demo_db)
    sdb.conn.execute("PRAGMA query_only = 1")
    with pytest.raises(ReadOnly):
        with sdb.write():
            sdb.conn.execute("UPDATE station SET name = name")
    sdb.close()


# -- 6: file modes, roles decide reading, one permission table ------------------------------------

def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


@pytest.mark.parametrize("umask,db_mode,export_mode", [(0o022, 0o640, 0o644), (0o002, 0o660, 0o664),
                                                        (0o077, 0o600, 0o600)])
def test_station_and_export_modes_follow_the_umask(tmp_path, umask, db_mode, export_mode):
    code = (f"import os, sys; os.umask({umask}); sys.argv = ['dutydesk'] + sys.argv[1:]; "
            "from main import cli; cli()")
    env = {**os.environ, "HOME": str(tmp_path)}
    db = tmp_path / "s.db"
    for args in (("init", "--demo"), ("people", "export", "--out", str(tmp_path / "p.csv"))):
        r = subprocess.run([sys.executable, "-c", code, "--db", str(db), *args], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
    assert _mode(db) == db_mode and not _mode(db) & 0o007
    assert _mode(tmp_path / "p.csv") == export_mode


def test_no_role_reads_nothing_and_viewer_reads_rosters_not_phones(cli_run, roster_db, tmp_path):
    for args in (("station", "show"), ("people", "list"), ("roster", "list"), ("leave", "list"),
                 ("audit", "show"), ("people", "export", "--out", str(tmp_path / "p.csv"))):
        r = cli_run(*args, login="stranger")
        assert r.exit_code == 77 and "has no role" in r.stderr and "user add stranger" in r.stderr, args
        assert r.stdout == ""
    assert cli_run("roster", "list", login="wu").exit_code == 0
    assert cli_run("people", "list", login="wu").exit_code == 0
    assert cli_run("audit", "verify", login="wu").exit_code == 0
    r = cli_run("people", "export", "--out", str(tmp_path / "p.csv"), login="wu")
    assert r.exit_code == 77 and not (tmp_path / "p.csv").exists()
    assert cli_run("audit", "show", login="wu").exit_code == 77
    assert cli_run("people", "export", "--out", str(tmp_path / "p.csv"), login="li").exit_code == 0


def test_one_permission_table():
    from usecases import board
    from usecases.permissions import APP_ACTIONS, PERMISSIONS
    assert set(board.ACTION_ROLES) == set(APP_ACTIONS) <= set(PERMISSIONS)
    for a, (roles, admin_ok) in board.ACTION_ROLES.items():
        assert (roles, admin_ok) == (PERMISSIONS[a].roles, PERMISSIONS[a].admin_ok)
    literals = []
    for f in (REPO / "usecases").glob("*.py"):
        if f.name in ("context.py", "permissions.py"):
            continue
        literals += [f"{f.name}: {line.strip()}" for line in f.read_text(encoding="utf-8").splitlines()
                     if re.search(r"session\.require\(", line)]
    assert literals == [], "use session.require_action(ACTION) and the table in usecases/permissions.py"
    used = set()
    for f in (REPO / "usecases").glob("*.py"):
        used |= set(re.findall(r"require_action\(\"(\w+)\"\)", f.read_text(encoding="utf-8")))
    assert used <= set(PERMISSIONS)


# -- 7: demo refuses a real station; the tour works after `dutydesk demo` --------------------------

def test_demo_refuses_a_station_that_is_not_the_demo(cli_run, tmp_path):
    db = tmp_path / "real.db"
    r = cli_run("init", "--station", str(DEMO_TOML), "--people", str(PEOPLE_CSV), path=db)
    assert r.exit_code == 0, r.output
    before = db.read_bytes()
    r = cli_run("demo", "--no-app", path=db)
    assert r.exit_code != 0 and "not the demo" in r.stderr
    assert load_json(cli_run("roster", "list", "--json", path=db)) == []
    users = cli_run("user", "list", "--json", path=db)
    assert "chief" not in users.stdout
    assert db.read_bytes() == before


def test_commands_find_the_demo_when_there_is_no_station(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from main import cli
    from usecases.context import AppContext
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("DUTYDESK_DB", raising=False)
    ctx = AppContext(login="clerk")

    def run(*args):
        return CliRunner().invoke(cli, list(args), obj=ctx, catch_exceptions=False)
    r = run("demo", "--no-app")
    assert r.exit_code == 0, r.output
    r = run("station", "show", "--json")
    assert r.exit_code == 0 and "using the demo station" in r.stderr
    assert load_json(r)["db"].endswith("demo.db")
    assert run("people", "list").exit_code == 0
    r = run("init", "--demo")              # init makes station.db, it does not touch the demo
    assert r.exit_code == 0 and "station.db" in r.stdout
    r = run("station", "show", "--json")
    assert r.exit_code == 0 and "using the demo" not in r.stderr and load_json(r)["db"].endswith("station.db")


def test_a_list_that_is_far_too_long_is_refused(tmp_path):
    from errors import InputError
    from stationdef.people_file import MAX_ROWS, read_table
    f = tmp_path / "long.csv"
    f.write_text("警号,姓名\n" + "061024,王丽\n" * (MAX_ROWS + 5), encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_table(f)
    assert "at most" in e.value.problems[0].message
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{i}" for i in range(500)) + "\n", encoding="utf-8")
    with pytest.raises(InputError):
        read_table(wide)
