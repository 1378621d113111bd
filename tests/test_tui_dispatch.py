"""The dispatch desk in the terminal app (Pilot): patrol units and the incident queue on the
board, live refresh, call intake (F2) with recommendations and one-key dispatch, status changes,
the check-in timer, handover between duty officers, the patrol plan screen (F4), refusals.

The fixed night (tests.test_tui_support.add_night_calls) at 21:47:05: PAT1 available, next
stop 酒吧街 21:57; PAT2+STBY on scene at 夜市 (call #2) since 21:41; call #3 (noise, P4) waiting
since 21:25; call #1 cleared with 继续盘问 running since 21:00.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import DataTable, Input

from tests.test_tui_support import (FIXED_NOW, async_test, at, clean_station, clean_template, make_app,
                                    notifications, session, settle, station, text_of, tui_template, wait_for)
from usecases import dispatch as dispatch_uc

__all__ = ["clean_station", "clean_template", "station", "tui_template"]     # fixtures


def cell(table: DataTable, row: str, col: str) -> str:
    return str(table.get_cell(row, col))


def keys_of(table: DataTable) -> list[str]:
    return [r.key.value for r in table.ordered_rows]


def cursor_key(table: DataTable) -> str:
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def incident(path, iid: int) -> dict:
    with session(path) as s:
        return dispatch_uc.get(s, iid)


async def select(pilot, table_id: str, key: str) -> DataTable:
    """Focus a table of the board (w, as a user would) and put its cursor on ``key``."""
    screen = pilot.app.screen
    while screen.view != table_id:
        await pilot.press("w")
    table = screen.query_one(f"#{table_id}", DataTable)
    table.move_cursor(row=table.get_row_index(key))
    await pilot.pause()
    return table


async def screen_named(pilot, name: str, timeout: float = 5.0):
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == name, timeout=timeout)
    return pilot.app.screen


# -- the board --------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
@async_test
async def test_board_shows_units_with_next_stops_and_the_incident_queue(station, size):
    app = make_app(station)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        if size[0] < 120:
            await pilot.press("w")            # narrow: one panel at a time
            await settle(pilot)
        units = screen.query_one("#units", DataTable)
        assert keys_of(units) == ["PAT1", "PAT2", "STBY"]
        assert "可派" in cell(units, "PAT1", "status") and "酒吧街 21:57" in cell(units, "PAT1", "where")
        assert "到场" in cell(units, "PAT2", "status") and "#2 夜市" in cell(units, "PAT2", "where")
        assert "6分" in cell(units, "PAT2", "since")            # on scene since 21:41
        assert "李鹏宁" in cell(units, "PAT1", "members")
        incidents = screen.query_one("#incidents", DataTable)
        assert keys_of(incidents) == ["2", "3", "1"]            # by priority; #1 is cleared, to be closed
        assert "巡逻2+备勤" in cell(incidents, "2", "units") and "到场" in cell(incidents, "2", "status")
        age = incidents.get_cell("3", "age")
        assert "22分" in str(age) and "on #a02828" in str(age.style)      # waiting too long
        alerts = screen.alerts_plain()
        assert "警情 #3 P4 噪音扰民 幸福小区 已等待 22 分钟未派警" in alerts
        if size[0] >= 120:
            assert "继续盘问 警情 #1 剩余 23:12:55" in alerts   # 24 h from 21:00


@async_test
async def test_board_follows_calls_taken_and_dispatched_elsewhere(station):
    """Another terminal takes a call and dispatches PAT1 to the waiting one: the queue and the
    units update within a second, by row key, with the cursor kept on its call."""
    app = make_app(station, poll_seconds=0.2)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        incidents = await select(pilot, "incidents", "3")
        units = app.screen.query_one("#units", DataTable)
        with session(station, "li") as other:
            new = dispatch_uc.new_incident(other, "fight", "酒吧街", now=FIXED_NOW)["id"]
        await wait_for(pilot, lambda: str(new) in incidents.rows, timeout=1.5)
        assert keys_of(incidents) == [str(new), "2", "3", "1"]      # P1 first
        assert cursor_key(incidents) == "3"
        with session(station, "li") as other:
            dispatch_uc.dispatch(other, 3, "PAT1", now=FIXED_NOW)
        await wait_for(pilot, lambda: "已派" in cell(incidents, "3", "status"), timeout=1.5)
        assert "巡逻1" in cell(incidents, "3", "units")
        assert "已派" in cell(units, "PAT1", "status") and "#3 幸福小区" in cell(units, "PAT1", "where")
        assert cursor_key(incidents) == "3" and keys_of(incidents) == [str(new), "2", "3", "1"]
        assert "已等待" not in app.screen.alerts_plain()


@async_test
async def test_intake_recommendations_one_key_dispatch_and_status_changes(station):
    app = make_app(station)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        # the dispute at 夜市 is done: PAT2 and STBY are free again
        await select(pilot, "incidents", "2")
        await pilot.press("c")
        await settle(pilot)
        assert incident(station, 2)["status"] == "cleared"
        # F2: a fight at 酒吧街 in a few keys
        await pilot.press("f2")
        form = await screen_named(pilot, "IntakeScreen")
        await pilot.press("1")
        assert "打架斗殴" in text_of(form.query_one("#type-info"))
        assert form.query_one("#f-priority", Input).placeholder.startswith("默认 1")
        await pilot.press("tab", *"酒吧街", "enter")
        rec = await screen_named(pilot, "RecommendScreen")
        await wait_for(pilot, lambda: rec.view is not None)
        assert rec.view["incident"]["priority"] == 1
        first = rec.view["units"][0]
        assert "+" in first["unit"]                            # no single team fits a fight
        assert "单组不满足要求" in text_of(rec.query_one("#rec-reasons"))
        excluded = text_of(rec.query_one("#rec-excluded"))
        assert "不可派" in excluded and "巡逻1" in excluded and "此警情需3人" in excluded
        await pilot.press("enter")                             # one key sends it
        await screen_named(pilot, "BoardScreen")
        await settle(pilot)
        iid = rec.view["incident"]["id"]
        assert incident(station, iid)["units"] == first["units"]
        assert any(f"警情 #{iid} 已派" in m for m in notifications(app))
        # en route, on scene, closed: from the queue
        table = await select(pilot, "incidents", str(iid))
        await pilot.press("e")
        await settle(pilot)
        assert "途中" in cell(table, str(iid), "status")
        await pilot.press("o")
        await settle(pilot)
        assert incident(station, iid)["status"] == "on_scene"
        await pilot.press("x")                                 # closing asks first
        await screen_named(pilot, "ConfirmScreen")
        await pilot.press("y")
        await settle(pilot)
        assert incident(station, iid)["status"] == "closed" and str(iid) not in table.rows
        # a status that cannot come back: the use case's refusal is shown
        await select(pilot, "incidents", "3")
        await pilot.press("o")
        await settle(pilot)
        assert any("has no unit yet; dispatch one first" in m for m in notifications(app))
        # d re-opens the recommendations of the waiting call; a legal clock on it
        await pilot.press("d")
        rec = await screen_named(pilot, "RecommendScreen")
        await wait_for(pilot, lambda: rec.view is not None)
        assert rec.view["incident"]["id"] == 3 and rec.view["units"]
        await pilot.press("escape")
        await screen_named(pilot, "BoardScreen")
        await pilot.press("l")
        form = await screen_named(pilot, "FormScreen")
        assert form.query_one("#f-kind", Input).value == "继续盘问" and form.query_one("#f-hours", Input).value == "24"
        await pilot.press("enter")
        await screen_named(pilot, "BoardScreen")
        await settle(pilot)
        assert incident(station, 3)["clock_kind"] == "继续盘问"


@async_test
async def test_a_checkin_timer_goes_critical_and_is_acknowledged(station):
    clock = [FIXED_NOW]
    app = make_app(station, clock=lambda: clock[0])
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        units = app.screen.query_one("#units", DataTable)
        assert "6分" in cell(units, "PAT2", "checkin")
        clock[0] = at("22:15") + timedelta(seconds=5)          # 34 minutes without a word from PAT2
        await wait_for(pilot, lambda: "超时" in cell(units, "PAT2", "checkin"), timeout=3)
        assert "巡逻2 签到超时 4 分钟 (已 34 分钟未报)" in app.screen.alerts_plain()
        await select(pilot, "units", "PAT2")
        await pilot.press("a")                                 # a safety action: it asks first
        await screen_named(pilot, "ConfirmScreen")
        await pilot.press("enter")
        await settle(pilot)
        await wait_for(pilot, lambda: "超时" not in cell(units, "PAT2", "checkin"), timeout=3)
        assert "0分" in cell(units, "PAT2", "checkin")
        assert "巡逻2 签到超时" not in app.screen.alerts_plain()
        assert any("巡逻2 签到已确认" in m for m in notifications(app))


# -- handover ------------------------------------------------------------------------------------------

@async_test
async def test_handover_written_by_one_signed_by_the_other_refused_for_a_third(station):
    app = make_app(station, login="li")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("f7")
        screen = await screen_named(pilot, "HandoverScreen")
        await settle(pilot)
        assert "未结警情 2" in text_of(screen.query_one("#handover-draft"))
        await pilot.press("n")
        form = await screen_named(pilot, "FormScreen")
        form.query_one("#f-to", Input).value = "zhao"
        form.query_one("#f-notes", Input).value = "幸福小区噪音未派；继续盘问至明晚21:00"
        await pilot.press("enter")
        await screen_named(pilot, "HandoverScreen")
        await settle(pilot)
        body = text_of(screen.query_one("#handover-body"))
        assert "交接单 #1: li 交 zhao" in body and "尚未签收" in body and "继续盘问 剩余 23:12:55" in body
    for login, expected in (("wu", "addressed to zhao; only they sign it"), ("zhao", "交接单 #1 已签收")):
        app = make_app(station, login=login)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("f7")
            screen = await screen_named(pilot, "HandoverScreen")
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            assert any(expected in m for m in notifications(app)), notifications(app)
            if login == "wu":
                await pilot.press("n")                       # a viewer may not hand over at all
                await pilot.pause()
                assert any("may not hand over duty" in m for m in notifications(app))
            else:
                await wait_for(pilot, lambda: "已签收" in text_of(screen.query_one("#handover-body")))
    with session(station) as s:
        assert dispatch_uc.handover_list(s)[0]["to_signed_at"]


# -- the patrol plan ---------------------------------------------------------------------------------------

@async_test
async def test_patrol_screen_timeline_checkin_and_sheet(station, tmp_path):
    app = make_app(station)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("f4")
        screen = await screen_named(pilot, "PatrolScreen")
        await settle(pilot)
        assert "方案 #1 种子 7" in text_of(screen.query_one("#patrol-header"))
        assert "计划/完成 1/31" in text_of(screen.query_one("#patrol-metrics"))
        line = text_of(screen.query_one("#timeline"))
        assert "巡逻1" in line and "21" in line and "|" in line
        stops = screen.query_one("#stops", DataTable)
        here = cursor_key(stops)                           # the cursor starts on the stop now
        assert "进行中" in cell(stops, here, "state") and "汽车站" in cell(stops, here, "spot")
        assert "已签到" in cell(stops, keys_of(stops)[0], "state")
        assert "巡逻2 未编入" in text_of(screen.query_one("#gaps"))      # a crew of one is no patrol team
        await pilot.press("c")                             # a check-in on record: it asks first
        await screen_named(pilot, "ConfirmScreen")
        await pilot.press("y")
        await settle(pilot)
        await wait_for(pilot, lambda: "计划/完成 2/31" in text_of(screen.query_one("#patrol-metrics")))
        assert "已签到" in cell(stops, here, "state") and cursor_key(stops) == here
        await pilot.press("p")
        form = await screen_named(pilot, "FormScreen")
        sheet = tmp_path / "sheet.html"
        form.query_one("#f-path", Input).value = str(sheet)
        await pilot.press("enter")
        await screen_named(pilot, "PatrolScreen")
        assert "夜巡方案" in sheet.read_text(encoding="utf-8") and "汽车站" in sheet.read_text(encoding="utf-8")


@async_test
async def test_patrol_screen_without_a_plan_says_how_and_makes_one(clean_station):
    app = make_app(clean_station, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        screen = await screen_named(pilot, "PatrolScreen")
        await settle(pilot)
        assert "No patrol plan for the night of 2026-12-03" in text_of(screen.query_one("#patrol-empty"))
        await pilot.press("n")
        form = await screen_named(pilot, "FormScreen")
        form.query_one("#f-seed", Input).value = "11"
        await pilot.press("enter")
        await screen_named(pilot, "PatrolScreen", timeout=30)
        await settle(pilot)
        await wait_for(pilot, lambda: screen.plan is not None)
        assert screen.plan["seed"] == 11 and len(screen.plan["teams"]) == 2
        assert screen.query_one("#stops", DataTable).row_count > 10


# -- refusals ----------------------------------------------------------------------------------------------

@async_test
async def test_a_viewer_is_refused_with_the_use_cases_message(station):
    app = make_app(station, login="wu")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await pilot.pause()
        assert type(app.screen).__name__ == "BoardScreen"
        assert any("user 'wu' (roles: viewer) may not take incidents" in m for m in notifications(app))
        await select(pilot, "units", "PAT2")
        await pilot.press("a")
        await pilot.pause()
        assert any("may not acknowledge check-ins" in m for m in notifications(app))
        await select(pilot, "incidents", "3")
        await pilot.press("d")
        await pilot.pause()
        assert any("may not dispatch units" in m for m in notifications(app))
        # the use case stays the authority: called anyway, it refuses with the same words
        app.run_uc(dispatch_uc.update, 2, "cleared", now=FIXED_NOW)
        await settle(pilot)
        assert any("may not update incidents" in m for m in notifications(app))
        await pilot.press("f4")
        await screen_named(pilot, "PatrolScreen")
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert any("may not record patrol check-ins" in m for m in notifications(app))
