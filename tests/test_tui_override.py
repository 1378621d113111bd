"""Sending a crew that does not meet a call's needs from the terminal app (issue 25, item 2):
the recommendation lists every other free crew on duty under 不符合要求但可派 with what each
lacks; d on one asks for the reason in a small dialog; the reason and the warnings are shown in
the call's detail and kept in the audit log.

The fixed night at 21:47:05: nobody on a night unit holds the traffic skill; PAT1 is free, the
case duty and the command desk are on duty at the station."""
from __future__ import annotations

import json

from textual.widgets import DataTable, Input

from tests.test_tui_support import (async_test, make_app, notifications, session, settle, station, text_of,
                                    tui_template, wait_for)
from usecases import dispatch as dispatch_uc

__all__ = ["station", "tui_template"]     # fixtures


async def screen_named(pilot, name: str, timeout: float = 5.0):
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == name, timeout=timeout)
    return pilot.app.screen


async def traffic_call(pilot):
    """F2, 交通事故 at 酒吧街: the recommendations."""
    await pilot.press("f2")
    await screen_named(pilot, "IntakeScreen")
    await pilot.press("5", "tab", *"酒吧街", "enter")
    rec = await screen_named(pilot, "RecommendScreen")
    await wait_for(pilot, lambda: rec.view is not None)
    return rec


@async_test
async def test_a_call_nobody_fits_is_sent_anyway_with_a_reason(station):
    app = make_app(station, login="li")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        rec = await traffic_call(pilot)
        assert rec.view["units"] == [] and "没有单独或合并后符合要求" in text_of(rec.query_one("#rec-error"))
        others = rec.query_one("#others", DataTable)
        assert others.has_focus and "不符合要求但可派" in text_of(rec.query_one("#others-title"))
        keys = [r.key.value for r in others.ordered_rows]
        assert keys[0] == "PAT1" and set(keys) == {"PAT1", "CASE", "CMD"}
        assert "无人具备技能：交通" in str(others.get_cell("PAT1", "lacks"))
        assert "离开本岗" in str(others.get_cell("CASE", "lacks"))
        assert "分" in str(others.get_cell("PAT1", "travel"))          # its position is known from the plan
        assert "警情类别要求的技能" in text_of(rec.query_one("#rec-reasons"))   # the source of the need
        # d asks for the reason; Esc goes back and sends nothing
        await pilot.press("d")
        form = await screen_named(pilot, "FormScreen")
        assert "强制派出 巡逻1" in text_of(form.query_one(".dialog-title"))
        await pilot.press("escape")
        await screen_named(pilot, "RecommendScreen")
        iid = rec.view["incident"]["id"]
        with session(station) as s:
            assert dispatch_uc.get(s, iid)["status"] == "received"
        # a blank reason is refused in the dialog, which stays with the focus in the field
        await pilot.press("d")
        form = await screen_named(pilot, "FormScreen")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "原因" in text_of(form.query_one("#form-error")) and not form.busy)
        assert type(app.screen).__name__ == "FormScreen"
        await pilot.press(*"最近的车", "enter")
        await screen_named(pilot, "BoardScreen")
        await settle(pilot)
        assert any(f"警情 #{iid} 已强制派出 巡逻1" in m for m in notifications(app))
        with session(station) as s:
            inc = dispatch_uc.get(s, iid)
            entry = s.sdb.one("SELECT login, after FROM audit_log WHERE action = 'incident.dispatch' "
                              "ORDER BY seq DESC LIMIT 1")
        assert inc["units"] == ["PAT1"] and inc["override_reason"] == "最近的车"
        assert entry["login"] == "li" and json.loads(entry["after"])["override"]["reason"] == "最近的车"
        # the call's detail shows the reason and what the crew lacked, with its source
        screen = app.screen
        while screen.view != "incidents":
            await pilot.press("w")
        table = screen.query_one("#incidents", DataTable)
        table.move_cursor(row=table.get_row_index(str(iid)))
        await pilot.press("enter")
        info = await screen_named(pilot, "InfoScreen")
        shown = "\n".join(text_of(w) for w in info.query("Static"))
        assert "强制派警原因" in shown and "最近的车" in shown and "无人具备技能：交通" in shown, shown


@async_test
async def test_the_case_duty_crew_is_formed_into_a_unit_and_shows_on_the_board(station):
    app = make_app(station, login="li")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        rec = await traffic_call(pilot)
        others = rec.query_one("#others", DataTable)
        others.move_cursor(row=others.get_row_index("CASE"))
        await pilot.pause()
        assert "办案值班" in text_of(rec.query_one("#rec-reasons"))
        await pilot.press("enter")
        form = await screen_named(pilot, "FormScreen")
        assert "离开本岗" in "\n".join(text_of(w) for w in form.query("Static"))
        await pilot.press(*"办案组就近", "enter")
        await screen_named(pilot, "BoardScreen")
        await settle(pilot)
        units = app.screen.query_one("#units", DataTable)
        await wait_for(pilot, lambda: "CASE" in units.rows)
        assert "已派" in str(units.get_cell("CASE", "status"))


@async_test
async def test_a_viewer_may_not_send_anyway(station):
    app = make_app(station, login="wu")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        with session(station, "li") as s:
            from tests.test_tui_support import FIXED_NOW
            iid = dispatch_uc.new_incident(s, "traffic", "酒吧街", now=FIXED_NOW)["id"]
        from tui.screens.dispatch import RecommendScreen
        app.push_screen(RecommendScreen(iid))
        rec = await screen_named(pilot, "RecommendScreen")
        await wait_for(pilot, lambda: rec.view is not None)
        await pilot.press("d")
        await pilot.pause()
        assert type(app.screen).__name__ == "RecommendScreen"          # no reason dialog for a viewer
        assert any("无权派警" in m or "dispatch units" in m for m in notifications(app)), notifications(app)
    with session(station) as s:
        assert dispatch_uc.get(s, iid)["status"] == "received"
