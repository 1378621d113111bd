"""A station database this login may only read (README "Sharing a station"): every screen of
the terminal app shows a read-only banner, the board still shows everything (its units are not
re-synced, which would write), and every write action says "read-only" instead of failing."""
from __future__ import annotations

import pytest
from textual.widgets import DataTable

from tests.test_tui_support import (async_test, make_app, notifications, settle, station, text_of, tui_template,
                                    wait_for)

__all__ = ["station", "tui_template"]     # fixtures


@pytest.fixture
def read_only(monkeypatch):
    """The station file as a login without write permission sees it (the tests run as its owner)."""
    import db.connection
    monkeypatch.setattr(db.connection, "writable", lambda path: False)


async def screen_named(pilot, name: str, timeout: float = 5.0):
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == name, timeout=timeout)
    return pilot.app.screen


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
@async_test
async def test_a_read_only_station_shows_a_banner_and_refuses_writes_by_saying_so(station, read_only, size):
    app = make_app(station, login="li")
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        board = app.screen
        banner = board.query_one("#readonly-banner")
        assert "只读：无法保存更改" in text_of(banner) and banner.region.y == 0 and banner.region.height == 1
        assert "巡逻1" in str(board.query_one("#posts", DataTable).get_cell("PAT1", "post"))   # still all shown
        assert not [m for m in notifications(app) if "read-only" in m or "只读" in m]           # no error at start
        # F2 (take a call) says read-only and opens nothing
        await pilot.press("f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "BoardScreen"
        assert any("只读：无法保存更改" in m for m in notifications(app))
        # a board key: d (dispatch) on the waiting call
        while board.view != "incidents":
            await pilot.press("w")
        table = board.query_one("#incidents", DataTable)
        table.move_cursor(row=table.get_row_index("3"))
        n = len(notifications(app))
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "BoardScreen" and len(notifications(app)) == n + 1
        assert "只读" in notifications(app)[-1]
        # the roster screen has the banner too; its keys are refused the same way
        await pilot.press("f3")
        roster = await screen_named(pilot, "RosterScreen")
        await settle(pilot)
        assert "只读：无法保存更改" in text_of(roster.query_one("#readonly-banner"))
        await pilot.press("f9")                  # English: the banner follows the language
        await pilot.pause()
        assert "Read-only: nothing can be saved" in text_of(roster.query_one("#readonly-banner"))


@async_test
async def test_a_viewer_on_a_read_only_station_is_told_about_the_role(station, read_only):
    """The role is the reason a viewer may not dispatch, read-only or not."""
    app = make_app(station, login="wu")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert app.query_one("#readonly-banner")
        await pilot.press("f2")
        await pilot.pause()
        assert notifications(app) and "只读" not in notifications(app)[-1]


@async_test
async def test_a_writable_station_has_no_banner(station):
    app = make_app(station, login="li")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert not app.screen.query("#readonly-banner")
