"""Holidays for years the chinese-calendar package does not know (issue 23 item 7): the
statutory days from the holidays package, what each source says about 2026 against the State
Council's notice, and every roster header, approval and nightly report saying plainly when a
roster covers days without official data."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from db.connection import StationDB
from tests.conftest import load_json
from usecases.context import AppContext

# 国务院办公厅关于2026年部分节假日安排的通知 (4 November 2025): days off
# (放假调休) and make-up workdays (上班), as the notice lists them.
NOTICE_2026_OFF = {
    "元旦": (date(2026, 1, 1), date(2026, 1, 3)), "春节": (date(2026, 2, 15), date(2026, 2, 23)),
    "清明": (date(2026, 4, 4), date(2026, 4, 6)), "劳动节": (date(2026, 5, 1), date(2026, 5, 5)),
    "端午": (date(2026, 6, 19), date(2026, 6, 21)), "中秋": (date(2026, 9, 25), date(2026, 9, 27)),
    "国庆": (date(2026, 10, 1), date(2026, 10, 7)),
}
NOTICE_2026_WORK = {date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20),
                    date(2026, 10, 10)}


def _days(a: date, b: date) -> set[date]:
    return {a + timedelta(days=i) for i in range((b - a).days + 1)}


def notice_off() -> set[date]:
    return set().union(*(_days(a, b) for a, b in NOTICE_2026_OFF.values()))


def test_chinese_calendar_2026_is_the_notice():
    from usecases.calendar import package_days
    days = {date.fromisoformat(d["date"]): d["kind"] for d in package_days(2026)}
    assert {d for d, k in days.items() if k == "holiday"} == notice_off()
    assert {d for d, k in days.items() if k == "adjusted_workday"} == NOTICE_2026_WORK


def test_the_holidays_package_2026_agrees_with_the_notice_but_omits_weekends_inside_a_block():
    """What docs/holidays.md reports: holidays.China names the statutory days and the weekdays
    off (its 'substituted' entries name the make-up workday they were moved from), not the
    other weekend days inside a holiday block; the make-up workdays are only inside those
    labels."""
    import re

    import holidays
    h = holidays.China(years=2026, language="en_US")
    off = set(h)
    assert off <= notice_off()                                          # every day it names is off
    assert {d for d in notice_off() if d.weekday() < 5} <= off           # every weekday off is named
    assert {d for d in notice_off() - off} == {date(2026, 1, 3), date(2026, 2, 15), date(2026, 2, 21),
                                                 date(2026, 2, 22), date(2026, 4, 4), date(2026, 5, 3),
                                                 date(2026, 6, 20), date(2026, 6, 21), date(2026, 9, 26),
                                                 date(2026, 9, 27), date(2026, 10, 4)}   # weekends in a block
    moved = set()
    for name in h.values():
        m = re.search(r"substituted from (\d\d)/(\d\d)/(\d{4})", name)
        if m:
            moved.add(date(int(m.group(3)), int(m.group(1)), int(m.group(2))))
    assert moved == NOTICE_2026_WORK
    # 2027: no notice yet; the package projects its own 'observed' days (Mon 2027-02-09 and
    # Tue 02-10 for 春节), which no State Council notice has set: they are not used
    later = holidays.China(years=2027, language="en_US")
    assert any("observed" in n for n in later.values())
    assert not any("substituted" in n for n in later.values())


def test_statutory_days_of_2027():
    from stationdef.statutory import festival_dates, statutory_days
    days = statutory_days(2027)
    assert len(days) == 13          # 《全国年节及纪念日放假办法》 (2024): 13 days a year
    f = festival_dates(2027)
    assert f["元旦"] == [date(2027, 1, 1)]
    assert f["春节"] == [date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8)]   # 除夕 to 初三
    assert f["劳动节"] == [date(2027, 5, 1), date(2027, 5, 2)] and len(f["国庆"]) == 3
    assert set(f) == {"元旦", "春节", "清明", "劳动节", "端午", "中秋", "国庆"}
    assert statutory_days(2024) == {}     # before the 2024 revision: the package's table, not the rule


def test_a_year_at_the_edge_of_a_notice_is_stored_as_listed(cli_run, demo_db, tmp_path):
    """The 2019 notice gave 元旦 days off on 30-31 December 2018: a file of the next year that
    lists them does not make the rest of December's year plain or partial."""
    f = tmp_path / "2031.csv"
    f.write_text("日期,类型,名称\n2030-12-30,节假日,元旦\n2030-12-31,节假日,元旦\n2031-01-01,节假日,元旦\n"
                 "2031-01-23,节假日,春节\n2031-04-05,节假日,清明\n2031-05-01,节假日,劳动节\n"
                 "2031-06-24,节假日,端午\n2031-10-01,节假日,国庆\n", encoding="utf-8")
    r = cli_run("calendar", "import", str(f), "--json")
    assert r.exit_code == 0, r.output
    assert load_json(r)["days"] == 365 + 2
    years = {y["year"]: y for y in load_json(cli_run("calendar", "show", "--json"))["years"]}
    assert years["2030"]["days"] == 2 and not years["2030"]["complete"] and years["2031"]["complete"]


@pytest.mark.slow
def test_a_roster_into_2027_says_so_in_its_header_approval_and_record(cli_run, demo_db, db_path):
    from usecases.roster import station_today
    for login, role in (("zhao", "chief"),):
        assert cli_run("user", "add", login, "--role", role).exit_code == 0
    start = date(2026, 12, 29)
    ctx = AppContext(login="zhao", db_path=db_path, db_explicit=True)
    with ctx.open() as s:
        if station_today(s) > start:
            pytest.skip("the test's period is in the past")
    r = cli_run("roster", "generate", "--start", start.isoformat(), "--days", "5", "--time-limit", "3",
                "--workers", "2", "--json", login="zhao")
    assert r.exit_code == 0, r.output
    out = load_json(r)
    cal = out["solver"]["calendar"]
    assert cal["days_without_official_data"] == ["2027-01-01", "2027-01-02"]
    assert cal["statutory_days"] == ["2027-01-01"] and cal["sources"] == {"chinese-calendar": 3, "statutory": 1,
                                                                          "plain": 1}
    assert any("2027" in w for w in out["warnings"])
    shown = cli_run("roster", "show", str(out["roster_id"]))
    assert "HOLIDAYS: 2 day(s) without official holiday data (2027-01-01 to 2027-01-02, 2027)" in shown.output
    rid = str(out["roster_id"])
    assert cli_run("roster", "submit", rid, login="zhao").exit_code == 0
    refused = cli_run("roster", "approve", rid, login="zhao")
    assert refused.exit_code == 65 and "without official holiday data" in refused.stderr
    with StationDB(db_path) as sdb:
        solver = sdb.scalar("SELECT solver FROM roster_versions ORDER BY id DESC LIMIT 1")
    assert '"statutory_days": ["2027-01-01"]' in solver          # kept with the version


@pytest.mark.slow
def test_the_tui_roster_header_says_so(tmp_path):
    from tests.test_tui_support import build_station, make_app, settle, text_of
    path = tmp_path / "s.db"
    build_station(path, start=date(2026, 12, 28), days=7, troubles=None)
    import asyncio

    async def run():
        app = make_app(path)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("f3")
            await settle(pilot)
            return text_of(app.screen.query_one("#roster-header"))
    header = asyncio.run(run())
    assert "3天无官方节假日数据" in header, header


@pytest.mark.slow
def test_the_nightly_report_says_so_and_builds_on_the_draft_before(roster_db, db_path):
    """The nightly extends the roster after the template's draft: it says so (item 6) and
    that its days in 2027 have no official data (item 7)."""
    from usecases.nightly import run_station
    roster, start = roster_db
    today = start - timedelta(days=3)
    end = start + timedelta(days=6)
    ahead = (date(2027, 1, 2) - today).days
    if ahead > 60 or end >= date(2027, 1, 1):
        pytest.skip("the template roster is too far from 2027 for a short nightly solve")
    with StationDB(db_path) as sdb, sdb.write():
        assert sdb.conn.execute("UPDATE rule_params SET value = ? WHERE key = 'nightly_days_ahead'",
                                (str(ahead),)).rowcount == 1
    ctx = AppContext(login="zhao", db_path=db_path, db_explicit=True)
    summary = run_station(ctx, today=today, time_limit=4, workers=2)
    r = summary["roster"]
    assert r is not None and r["start"] == (end + timedelta(days=1)).isoformat()
    assert any(f"{roster['roster_id']}v1" in w for w in r["warnings"])          # the draft before is history
    assert r["days_without_official_data"] == 2
    assert any("2027-01-01" in n and ("official holiday data" in n or "官方节假日数据" in n) for n in summary["notes"])
