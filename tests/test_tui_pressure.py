"""Issue 25, the command room under pressure: completion, every incident transition, safe keys,
ranked alerts, footers, forms, what the board shows, and toasts, tried by keyboard through Pilot."""
from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input

from tests.test_tui_support import (FIXED_NOW, async_test, make_app, notifications, session, settle, station, text_of,
                                    tui_template, wait_for)
from usecases import dispatch as dispatch_uc

__all__ = ["station", "tui_template"]     # fixtures


def incident_rows(path) -> list[dict]:
    with session(path) as s:
        return dispatch_uc.list_incidents(s, now=FIXED_NOW)


# -- 1. completion: what is shown is what is saved ---------------------------------------------

@async_test
async def test_enter_on_a_shown_place_completion_saves_the_hot_spot(station):
    app = make_app(station)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("8", "tab", "酒")
        await pilot.pause(0.2)
        place = app.screen.query_one("#f-place", Input)
        assert place.value == "酒" and place.shown_completion() == "酒吧街"
        await pilot.press("enter")
        await settle(pilot)
        newest = max(incident_rows(station), key=lambda r: r["id"])
        assert newest["place_text"] == "酒吧街" and newest["hot_spot"] == "bar_street"
        assert newest["type"] == "dispute"


@async_test
async def test_a_place_that_is_no_hot_spot_shows_no_travel_time(station):
    app = make_app(station)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("8", "tab", *"东风路12号")
        await pilot.pause(0.2)
        assert "不是热点" in text_of(app.screen.query_one("#place-info"))
        await pilot.press("enter")
        await settle(pilot)
        recs = app.screen.query_one("#recs", DataTable)
        assert recs.row_count >= 1
        travel = [str(recs.get_cell_at((r, 3))) for r in range(recs.row_count)]
        assert travel and all(x == "-" for x in travel), travel
        assert "不估算行程" in text_of(app.screen.query_one("#rec-title"))
        reasons = text_of(app.screen.query_one("#rec-reasons"))
        assert "分钟到达" not in reasons


@async_test
async def test_travel_time_shown_when_both_ends_are_known(station):
    app = make_app(station)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("8", "tab", *"酒吧街", "enter")
        await settle(pilot)
        recs = app.screen.query_one("#recs", DataTable)
        assert recs.row_count >= 1
        assert str(recs.get_cell_at((0, 3))).endswith("分")     # PAT1 follows the plan: its ETA is known
