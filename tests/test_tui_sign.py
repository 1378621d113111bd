"""The approve and publish dialogs of the terminal app say what the chief signs (issue 23 item 4):
the signing summary of the version, and a reason field that is required when it lists anything;
the reason reaches the use case and the audit log (publish keeps the approval's reason)."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.test_tui_support import (FIXED_NOW, ROSTER_DAYS, ROSTER_START, USERS, async_test, make_app, settle,
                                    text_of, wait_for)
from usecases.context import AppContext


def build_signing_station(path: Path) -> int:
    """The demo station with a submitted roster (greedy construction) whose PAT2 night crew of
    the fixed day is missing entirely: an empty post, which the chief must sign for."""
    from db import rosters as rdb
    from scheduler.station.greedy import greedy_roster
    from scheduler.station.model import split_slot
    from usecases.roster import load_problem
    from usecases.station import init_demo
    from usecases.users import add_user
    ctx = AppContext(login="clerk", db_path=path, db_explicit=True)
    init_demo(ctx, seed=0)
    with ctx.open() as s:
        for login, role in USERS:
            add_user(s, login, roles=[role])
        sp, _ = load_problem(s, ROSTER_START, ROSTER_DAYS)
        grid = greedy_roster(sp)
        rows = [{"date": sp.date(d).isoformat(), "badge": b, "shift": split_slot(code)[0], "post": split_slot(code)[1]}
                for (b, d), code in sorted(grid.items(), key=lambda kv: (kv[0][1], kv[0][0])) if code]
        day = FIXED_NOW.date().isoformat()
        rows = [r for r in rows if not (r["date"] == day and (r["shift"], r["post"]) == ("N", "PAT2"))]
        with s.sdb.write():
            rid = rdb.create_roster(s.sdb, start=ROSTER_START, days=ROSTER_DAYS, login="zhao", note="test fixture")
            rdb.add_version(s.sdb, rid, status="submitted", login="zhao", assignments=rows)
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return rid


@pytest.fixture(scope="session")
def signing_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tui-sign") / "station.db"
    build_signing_station(path)
    return path


@pytest.fixture
def signing_station(signing_template, tmp_path) -> Path:
    import shutil
    path = tmp_path / "sign.db"
    shutil.copy(signing_template, path)
    return path


def audit_after(path: Path, action: str) -> dict:
    con = sqlite3.connect(path)
    try:
        row = con.execute("SELECT after FROM audit_log WHERE action = ? ORDER BY seq DESC LIMIT 1",
                          (action,)).fetchone()
    finally:
        con.close()
    return json.loads(row[0])


async def open_dialog(pilot, key: str):
    app = pilot.app
    await pilot.press("f3")
    await settle(pilot)
    await pilot.press(key)
    await wait_for(pilot, lambda: type(app.screen).__name__ == "FormScreen")
    await settle(pilot)
    return app.screen


@async_test
async def test_approve_lists_what_is_signed_and_needs_a_reason(signing_station):
    app = make_app(signing_station, lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        roster = None
        form = await open_dialog(pilot, "a")
        body = text_of(form.query_one("#form-body"))
        assert "By signing you accept:" in body
        assert "empty seat(s)" in body and "with the post entirely empty" in body
        assert "Required" in text_of(form.query_one("#h-reason"))
        await pilot.press("enter")                                   # no reason: the dialog stays and says why
        await settle(pilot)
        assert type(app.screen).__name__ == "FormScreen"
        assert "Give a reason: signing accepts the" in text_of(form.query_one("#form-error"))
        form.query_one("#f-reason", Input).value = "PAT2 covered by the standby team that night"
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RosterScreen")
        roster = app.screen
        await wait_for(pilot, lambda: roster.view and roster.view["status"] == "approved")
        after = audit_after(signing_station, "roster.approve")
        assert after["reason"] == "PAT2 covered by the standby team that night"
        assert any("empty seat" in item for item in after["signed_for"])

        form = await open_dialog(pilot, "p")                         # publish: the approval's reason stands
        assert "By signing you accept:" in text_of(form.query_one("#form-body"))
        assert "Reason given at approval: PAT2 covered by the standby team" in text_of(form.query_one("#h-reason"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: roster.view["status"] == "published")
        assert audit_after(signing_station, "roster.publish")["reason"] == "PAT2 covered by the standby team that night"


@async_test
async def test_the_dialog_speaks_chinese_and_escape_signs_nothing(signing_station):
    app = make_app(signing_station, lang="zh")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_dialog(pilot, "a")
        body = text_of(form.query_one("#form-body"))
        assert "签字即确认以下事项" in body and "空岗" in body and "岗位无人" in body
        await pilot.press("escape")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RosterScreen")
        await settle(pilot)
        assert app.screen.view["status"] == "submitted"


def test_sign_dialog_en_80x24(snap_compare, signing_station):
    """The approve dialog at 80x24: the empty post signed for, the reason field (required)."""
    async def run_before(pilot) -> None:
        await open_dialog(pilot, "a")
    assert snap_compare(make_app(signing_station, lang="en"), terminal_size=(80, 24), run_before=run_before)
