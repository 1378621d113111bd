"""Officers' wishes (issue 23 item 8): entered on the command line, imported from a list with
Chinese headers, in the TUI's people screen; who may; and the roster report's account of
which wishes were granted and why each other one was not."""
from __future__ import annotations

from datetime import timedelta

import arrow
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from db.connection import StationDB
from scheduler.station.greedy import greedy_roster
from scheduler.station.model import SRequest
from scheduler.station.wishes import wish_outcomes
from tests.conftest import load_json
from tests.station_helpers import small_station

TODAY = arrow.now("Asia/Shanghai").date()
DAY = TODAY + timedelta(days=5)


@pytest.fixture
def badges(cli_run, demo_db):
    for login, role in (("zhao", "chief"), ("li", "duty"), ("wu", "viewer")):
        assert cli_run("user", "add", login, "--role", role).exit_code == 0
    people = load_json(cli_run("people", "list", "--json"))
    return [p["badge"] for p in people if p["active"]]


def wishes_in_db(path) -> list[dict]:
    with StationDB(path) as sdb:
        return sdb.rows("SELECT badge, date, shift, kind, weight, note, created_by FROM requests ORDER BY id")


def audit_actions(path) -> list[str]:
    with StationDB(path) as sdb:
        return [r["action"] for r in sdb.rows("SELECT action FROM audit_log WHERE action LIKE 'request.%' ORDER BY seq")]


# -- the command line --------------------------------------------------------------------------

def test_add_list_remove(cli_run, badges, db_path):
    b = badges[0]
    r = cli_run("request", "add", b, "--date", DAY.isoformat(), "--to", (DAY + timedelta(days=2)).isoformat(),
                "--note", "家长会", "--json", login="li")
    assert r.exit_code == 0, r.output
    out = load_json(r)
    assert out["added"] == 3 and out["kind"] == "off" and out["shift"] is None and out["weight"] == 1
    r = cli_run("request", "add", badges[1], "--date", DAY.strftime("%Y年%m月%d日"), "--on", "--shift", "夜班",
                "--weight", "3", "--json", login="zhao")
    assert r.exit_code == 0, r.output
    assert load_json(r)["shift"] == "N"
    again = load_json(cli_run("request", "add", b, "--date", DAY.isoformat(), "--json", login="li"))
    assert again["added"] == 0 and again["already"] == 1                  # the same wish is not added twice
    rows = wishes_in_db(db_path)
    assert [(x["badge"], x["kind"], x["shift"], x["weight"], x["created_by"]) for x in rows] == \
        [(b, "off", None, 1, "li")] * 3 + [(badges[1], "on", "N", 3, "zhao")]
    listed = load_json(cli_run("request", "list", "--person", b, "--json"))
    assert [x["date"] for x in listed] == [(DAY + timedelta(days=i)).isoformat() for i in range(3)]
    assert all(x["note"] == "家长会" for x in listed)
    gone = load_json(cli_run("request", "remove", str(listed[0]["id"]), "--json", login="li"))
    assert gone["removed"] == 1
    gone = load_json(cli_run("request", "remove", "--person", b, "--json", login="li"))
    assert gone["removed"] == 2
    assert [x["badge"] for x in wishes_in_db(db_path)] == [badges[1]]
    assert audit_actions(db_path) == ["request.add", "request.add", "request.remove", "request.remove"]
    assert cli_run("audit", "verify").exit_code == 0


def test_bad_input_names_the_field_and_changes_nothing(cli_run, badges, db_path):
    b = badges[0]
    cases = [
        (("request", "add", "nobody", "--date", DAY.isoformat()), "BADGE"),
        (("request", "add", b, "--date", "2026-02-30"), "--date"),
        (("request", "add", b, "--date", DAY.isoformat(), "--to", (DAY - timedelta(days=1)).isoformat()), "--to"),
        (("request", "add", b, "--date", DAY.isoformat(), "--shift", "XX"), "--shift"),
        (("request", "add", b, "--date", (TODAY - timedelta(days=1)).isoformat()), "--date"),
        (("request", "add", b, "--date", DAY.isoformat(), "--to", (DAY + timedelta(days=90)).isoformat()), "--to"),
        (("request", "remove", "999"), "ID"),
        (("request", "remove",), "ID"),
    ]
    for args, field in cases:
        r = cli_run(*args, login="li")
        assert r.exit_code == 65, (args, r.output)
        assert f"field '{field}'" in r.stderr, (args, r.stderr)
    assert cli_run("request", "add", b, "--date", DAY.isoformat(), "--weight", "4", login="li").exit_code == 2
    assert wishes_in_db(db_path) == []
    # the opposite wish for the same day is refused (exit 6) naming the one recorded
    assert cli_run("request", "add", b, "--date", DAY.isoformat(), login="li").exit_code == 0
    r = cli_run("request", "add", b, "--date", DAY.isoformat(), "--on", "--shift", "D", login="li")
    assert r.exit_code == 6 and "request remove 1" in r.stderr
    assert len(wishes_in_db(db_path)) == 1


def test_who_may(cli_run, badges, db_path):
    b, own = badges[0], badges[1]
    r = cli_run("request", "add", b, "--date", DAY.isoformat(), login="wu")
    assert r.exit_code == 77                                    # a viewer, not linked to anyone
    assert cli_run("user", "add", "wu", "--role", "viewer", "--person", own).exit_code == 0
    assert cli_run("request", "add", b, "--date", DAY.isoformat(), login="wu").exit_code == 77   # someone else
    assert cli_run("request", "add", own, "--date", DAY.isoformat(), login="wu").exit_code == 0  # their own
    assert cli_run("request", "add", b, "--date", DAY.isoformat(), login="nobody").exit_code == 77
    assert [x["badge"] for x in wishes_in_db(db_path)] == [own]
    ids = [x["id"] for x in load_json(cli_run("request", "list", "--json"))]
    assert cli_run("request", "add", b, "--date", DAY.isoformat(), login="li").exit_code == 0
    other = [x["id"] for x in load_json(cli_run("request", "list", "--json")) if x["id"] not in ids]
    assert cli_run("request", "remove", str(other[0]), login="wu").exit_code == 77
    assert cli_run("request", "remove", str(ids[0]), login="wu").exit_code == 0


def test_import_with_chinese_headers(cli_run, badges, db_path, tmp_path):
    a, b = badges[0], badges[1]
    good = tmp_path / "wishes.csv"
    good.write_text("警号,姓名,日期,结束日期,班次,意愿,权重,备注\n"
                    f"{a},,{DAY:%Y/%m/%d},{DAY + timedelta(days=1):%Y/%m/%d},,休息,2,探亲\n"
                    f"{b},,{DAY.isoformat()},,夜班,上班,,\n", encoding="utf-8")
    dry = load_json(cli_run("import", "requests", str(good), "--dry-run", "--json", login="li"))
    assert dry["days"] == 3 and dry["written"] is False and wishes_in_db(db_path) == []
    r = cli_run("import", "requests", str(good), "--json", login="li")
    assert r.exit_code == 0, r.output
    assert load_json(r)["days"] == 3
    assert [(x["badge"], x["kind"], x["shift"], x["weight"], x["note"]) for x in wishes_in_db(db_path)] == \
        [(a, "off", None, 2, "探亲"), (a, "off", None, 2, "探亲"), (b, "on", "N", 1, None)]
    assert audit_actions(db_path) == ["request.import"]
    bad = tmp_path / "bad.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["警号", "日期", "班次", "意愿", "权重"])
    ws.append([a, DAY.isoformat(), "", "休息", 1])
    ws.append(["999999", DAY.isoformat(), "", "休息", 1])
    ws.append([a, DAY.isoformat(), "早班", "上班", 1])
    ws.append([b, DAY.isoformat(), "", "请客", 5])
    ws.append([b, DAY.isoformat(), "", "上班", 1])
    ws.append([b, DAY.isoformat(), "", "休息", 1])
    wb.save(bad)
    r = cli_run("import", "requests", str(bad), login="li")
    assert r.exit_code == 65
    for expected in ("row 3, column A (警号)", "row 4, column C (班次)", "row 5, column D (意愿)",
                     "row 5, column E (权重)", "row 7, column D (意愿)"):
        assert expected in r.stderr, (expected, r.stderr)
    assert len(wishes_in_db(db_path)) == 3                      # nothing more was written


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cell=st.text(max_size=12))
def test_any_weight_or_wish_text_is_read_or_refused_cleanly(cell):
    from stationdef.requests_file import parse_weight, parse_wish_kind
    for parse in (parse_weight, parse_wish_kind):
        try:
            value = parse(cell)
        except ValueError as exc:
            assert str(exc)
        else:
            assert value in (1, 2, 3, "on", "off")


# -- the report: granted, and why not -----------------------------------------------------------

def test_wish_outcomes_say_why():
    sp = small_station(days=4)
    sp.unavailable = {"S1": {2: "sick"}}
    grid = greedy_roster(sp)
    night = next((b, d) for (b, d), c in sorted(grid.items()) if c and c.startswith("N@") and d < 3
                 and grid.get((b, d + 1)) is None)
    worker = next((b, d) for (b, d), c in sorted(grid.items()) if c and c.startswith("Z@"))
    idle = next(((b, d) for (b, d), c in sorted(grid.items()) if c is None and b.startswith("S")
                 and (b, d) != (night[0], night[1] + 1) and b != "S1"), None)
    wishes = [SRequest("S1", 2, None, True, 2),                          # on leave that day
              SRequest("A0", 0, "Z", True, 1),                           # no Z post takes a 辅警
              SRequest(night[0], night[1] + 1, "D", True, 1),            # a day shift after a night
              SRequest(worker[0], worker[1], None, False, 1),            # off, but the case duty needs them
              SRequest(worker[0], worker[1], None, True, 1)]             # granted
    if idle:
        wishes.append(SRequest(idle[0], idle[1], None, False, 3))        # granted
    out = wish_outcomes(sp, grid, wishes)
    codes = [o["code"] for o in out]
    assert codes[:5] == ["leave", "no_post", "rule", codes[3], "granted"], out
    assert codes[3] in ("needed", "cover") and not out[3]["granted"]
    assert all(o["why"] for o in out)
    assert "N@" in out[2]["why"] or "夜" in out[2]["why"] or "night" in out[2]["why"].lower(), out[2]["why"]
    if idle:
        assert out[5]["granted"]


@pytest.mark.slow
def test_the_roster_report_lists_each_wish(cli_run, badges, db_path):
    a, b = badges[0], badges[1]
    assert cli_run("leave", "add", a, "--from", DAY.isoformat(), "--to", DAY.isoformat(), "--kind", "病假",
                   login="li").exit_code == 0
    assert cli_run("request", "add", a, "--date", DAY.isoformat(), "--on", login="li").exit_code == 0
    assert cli_run("request", "add", b, "--date", (DAY + timedelta(days=1)).isoformat(), "--weight", "3",
                   login="li").exit_code == 0
    r = cli_run("roster", "generate", "--start", (DAY - timedelta(days=1)).isoformat(), "--days", "4",
                "--time-limit", "3", "--workers", "2", "--json", login="zhao")
    assert r.exit_code == 0, r.output
    made = load_json(r)
    by_badge = {o["badge"]: o for o in made["requests"]}
    assert by_badge[a]["granted"] is False and by_badge[a]["code"] == "leave"
    assert by_badge[b]["kind"] == "off" and by_badge[b]["why"]
    shown = load_json(cli_run("roster", "show", str(made["roster_id"]), "--report", "--json"))
    assert {(o["badge"], o["granted"], o["code"]) for o in shown["requests"]} == \
        {(o["badge"], o["granted"], o["code"]) for o in made["requests"]}
    text = cli_run("--lang", "en", "roster", "show", str(made["roster_id"]), "--report").output
    assert "Wishes:" in text and "on leave that day" in text


# -- the terminal app ----------------------------------------------------------------------------

def test_the_people_screen_adds_a_wish(tmp_path):
    import asyncio

    from textual.widgets import Input

    from tests.test_tui_support import FIXED_NOW, build_station, make_app, notifications, settle, wait_for
    path = tmp_path / "s.db"
    build_station(path, troubles=None)

    async def run():
        app = make_app(path, login="li")
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("f5")
            await settle(pilot)
            badge = app.screen.selected()["badge"]
            await pilot.press("w")
            await pilot.pause()
            assert type(app.screen).__name__ == "FormScreen"
            day = (FIXED_NOW.date() + timedelta(days=3)).isoformat()
            app.screen.query_one("#f-from", Input).value = day
            app.screen.query_one("#f-to", Input).value = day
            app.screen.query_one("#f-shift", Input).value = "夜班"
            app.screen.query_one("#f-weight", Input).value = "2"
            app.screen.query_one("#f-note", Input).value = "考试"
            await pilot.press("enter")
            await wait_for(pilot, lambda: any(badge in n for n in notifications(app)), timeout=30)
            notes = notifications(app)
            await wait_for(pilot, lambda: type(app.screen).__name__ == "PeopleScreen")
            return badge, day, notes
    badge, day, notes = asyncio.run(run())
    with StationDB(path) as sdb:
        rows = sdb.rows("SELECT badge, date, shift, kind, weight, note, created_by FROM requests")
    assert rows == [{"badge": badge, "date": day, "shift": "N", "kind": "off", "weight": 2, "note": "考试",
                     "created_by": "li"}]
    assert any(badge in n for n in notes)
