"""The terminal app through Textual's Pilot: the duty board, live refresh, the roster screen,
refusals, a solve in a worker, languages, people and leave."""
from __future__ import annotations

import time

import pytest
from textual.widgets import DataTable, Input

from tests.test_tui_support import (FIXED_NOW, async_test, clean_station, clean_template, make_app, notifications, session, settle, station,
                                    text_of, tui_template, wait_for)
from usecases import board as board_uc

__all__ = ["clean_station", "clean_template", "station", "tui_template"]     # fixtures

SIZES = [(160, 48), (80, 24)]
POSTS = ["CMD", "WIN", "PAT1", "PAT2", "PAT3", "CASE", "TRF", "GUARD", "STBY", "COM"]


async def roster_screen(pilot):
    """Open the roster screen (F3) and wait until its roster is read."""
    await pilot.press("f3")
    await settle(pilot)
    return pilot.app.screen


def cell_text(table: DataTable, row: str, col: str) -> str:
    return str(table.get_cell(row, col))


def cursor_row_key(table: DataTable) -> str:
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def on_duty_now(path, post: str) -> list[dict]:
    with session(path) as s:
        snap = board_uc.board_snapshot(s, FIXED_NOW)
    return [p for inst in next(p for p in snap["posts"] if p["post"] == post)["now"] for p in inst["people"]]


# -- the duty board -------------------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
@async_test
async def test_board_shows_posts_and_people_of_the_current_shift(station, size):
    app = make_app(station)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#posts", DataTable)
        assert [r.key.value for r in table.ordered_rows] == POSTS
        header = text_of(app.screen.query_one("#board-header"))
        assert "城关派出所" in header and "2026-12-03 星期四 21:47:05" in header
        for post in ("CMD", "PAT1", "CASE"):
            crew = cell_text(table, post, "crew")
            assert all(p["name"] in crew for p in on_duty_now(station, post)), (post, crew)
        assert "缺1" in cell_text(table, "PAT2", "staffed")            # one of two on the PAT2 night crew
        assert "无班次" in cell_text(table, "TRF", "crew")               # no traffic shift at night
        alerts = app.screen.alerts_plain()
        assert "巡逻2 夜班 缺1人" in alerts and "病假" in alerts and "驾驶 资格已于 2026-12-01 过期" in alerts
        if size[0] >= 120:
            detail = text_of(app.screen.query_one("#post-detail"))
            assert "当前 24小时值班" in detail and on_duty_now(station, "CMD")[0]["badge"] in detail
        else:
            assert "警情 2 待派 1" in text_of(app.screen.query_one("#desk-line"))


@async_test
async def test_board_refreshes_by_itself_and_keeps_the_cursor(station):
    app = make_app(station, poll_seconds=0.2)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one("#posts", DataTable)
        await pilot.press("down", "down", "down")
        assert cursor_row_key(table) == "PAT2"
        row_keys = list(table.rows)
        written = []
        import tui.screens.board as board_mod
        original = board_mod.sync_rows

        def spy(tbl, *args, **kw):
            n = original(tbl, *args, **kw)
            if tbl.id == "posts":
                written.append(n)
            return n
        board_mod.sync_rows = spy
        try:
            # a clock tick without a change writes no cell
            screen.reload()
            assert written[-1] == 0
            # another process records leave for someone on the PAT1 night crew
            target = on_duty_now(station, "PAT1")[-1]
            from usecases.imports import add_leave
            with session(station, "li") as other:
                add_leave(other, target["badge"], "2026-12-03", "2026-12-03", "sick", "called in sick")
            t0 = time.monotonic()
            await wait_for(pilot, lambda: target["name"] in screen.alerts_plain(), timeout=3)
            assert time.monotonic() - t0 < 1.5
        finally:
            board_mod.sync_rows = original
        assert cursor_row_key(table) == "PAT2"                  # the cursor stayed on its row
        assert list(table.rows) == row_keys                      # same rows, updated in place
        assert 0 < written[-1] <= 3                              # only the changed cells were written
        crew = table.get_cell("PAT1", "crew")
        assert any("strike" in str(span.style) for span in crew.spans)   # the person on leave is struck out


@async_test
async def test_board_follows_a_roster_published_elsewhere(clean_station):
    """A chief in another terminal adds a third person to tonight's PAT2 crew, then submits,
    approves and publishes: the board shows the new crew member within a second."""
    from datetime import date

    from usecases import approval
    from usecases import roster as roster_uc
    app = make_app(clean_station, poll_seconds=0.2)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#posts", DataTable)
        await pilot.press("down", "down", "down")
        assert "2/2" in cell_text(table, "PAT2", "staffed")
        with session(clean_station, "zhao") as chief:
            cand = roster_uc.candidates(chief, roster_uc.RosterRef(1), date(2026, 12, 3), "N", "PAT2")
            pick = cand["candidates"][0]
            r = approval.edit(chief, roster_uc.RosterRef(1), date(2026, 12, 3), badge=pick["badge"], shift="N",
                              post="PAT2", reason="a third on the bar-street night")
            ref = roster_uc.RosterRef(1, r["version"])
            for action in ("submit", "approve", "publish"):
                approval.transition(chief, ref, action)
        await wait_for(pilot, lambda: "3/2" in cell_text(table, "PAT2", "staffed"), timeout=1.5)
        assert "+1" in cell_text(table, "PAT2", "crew")           # three names do not fit: the third is counted
        assert pick["name"] in text_of(app.screen.query_one("#post-detail"))     # the selected post in full
        assert cursor_row_key(table) == "PAT2"


# -- the roster screen ----------------------------------------------------------------------------

@async_test
async def test_roster_grid_navigation_and_explanations(station):
    app = make_app(station)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await roster_screen(pilot)
        grid = screen.query_one("#grid", DataTable)
        assert [c.key.value for c in grid.ordered_columns][:2] == ["who", "2026-11-30"]
        assert len(grid.ordered_columns) == 15
        assert cursor_row_key(grid) == "__cov__"
        # the cursor starts on today's column of the cover row, which is short by one
        assert grid.coordinate_to_cell_key(grid.cursor_coordinate).column_key.value == "2026-12-03"
        assert "缺1" in cell_text(grid, "__cov__", "2026-12-03")
        explain = text_of(screen.query_one("#explain-body"))
        assert "2026-12-03" in explain and "缺1" in explain and "巡逻2" in explain and "需休息" in explain
        # down to the first person: the panel explains the cell
        await pilot.press("down")
        person = screen.view["people"][0]
        explain = text_of(screen.query_one("#explain-body"))
        assert person["name"] in explain and person["badge"] in explain and "技能" in explain
        header = text_of(screen.query_one("#roster-header"))
        assert "排班 #1 v1" in header and "已发布" in header and "缺口 1" in header
        # the fairness ledger and back
        await pilot.press("f")
        assert screen.query_one("#roster-switch").current == "fair"
        assert screen.query_one("#fair", DataTable).row_count == len(screen.view["people"])
        assert "本期分配" in text_of(screen.query_one("#explain-body"))
        await pilot.press("escape")
        assert screen.query_one("#roster-switch").current == "grid"
        # filter by team
        await pilot.press("t")
        assert screen.team == "community"
        assert grid.row_count == 1 + sum(p["team"] == "community" for p in screen.view["people"])


@async_test
async def test_candidates_for_a_shortfall_and_an_edit_refused_by_the_rules(station):
    app = make_app(station)
    async with app.run_test(size=(160, 48)) as pilot:
        await roster_screen(pilot)
        await pilot.press("c")                      # candidates for the PAT2 night gap
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TableScreen")
        table = app.screen.query_one(DataTable)
        assert table.row_count > 0
        assert "巡逻2" in text_of(app.screen.query_one(".dialog-title"))
        await pilot.press("escape")
        await pilot.pause()
        # put a 文职辅警 on case duty: the validators refuse and the form says why
        screen = app.screen
        aux = next(p for p in screen.view["people"] if p["person_type"] == "civil_aux")
        screen.open_edit("2026-12-05", aux["badge"], "Z", "CASE")
        await pilot.pause()
        await pilot.press("enter")
        await wait_for(pilot, lambda: "refused" in text_of(app.screen.query_one("#form-error")))
        assert type(app.screen).__name__ == "FormScreen"          # still open, to be corrected
        await pilot.press("escape")


@async_test
async def test_a_viewer_sees_why_actions_are_unavailable(station):
    app = make_app(station, login="wu")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await roster_screen(pilot)
        assert screen.check_action("approve", ()) is None          # greyed out in the footer
        assert "生成" in text_of(screen.query_one("#roster-subheader"))
        await pilot.press("a")
        await pilot.pause()
        assert any("may not approve rosters" in m and "chief" in m for m in notifications(app))
        await pilot.press("n")
        await pilot.pause()
        assert any("may not generate rosters" in m for m in notifications(app))
        assert type(app.screen).__name__ == "RosterScreen"        # no form was opened
        # the command palette entry explains as well
        app.run_screen_action("roster", "publish")
        await pilot.pause()
        assert any("may not publish rosters" in m for m in notifications(app))


@async_test
async def test_refusals_of_the_use_cases_are_shown(station):
    """A published version cannot be submitted (said at once, with what to do instead); the use
    case stays the authority on roles: its NotAuthorised message is shown as it is."""
    from usecases.approval import transition
    from usecases.roster import RosterRef
    app = make_app(station, login="li")
    async with app.run_test(size=(160, 48)) as pilot:
        await roster_screen(pilot)
        await pilot.press("u")                       # duty may submit, but v1 is published
        await pilot.pause()
        assert any("v1 已发布，不能提交审批" in m and "新草稿" in m for m in notifications(app))
        app.run_uc(transition, RosterRef(1, 1), "approve")
        await settle(pilot)
        assert any("user 'li' (roles: duty) may not approve rosters" in m for m in notifications(app))


@async_test
async def test_generate_runs_in_a_worker_and_can_be_stopped(station):
    app = make_app(station)
    async with app.run_test(size=(160, 48)) as pilot:
        await roster_screen(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert type(app.screen).__name__ == "FormScreen"
        assert app.screen.query_one("#f-start", Input).value == "2026-12-14"     # after the current roster
        app.screen.query_one("#f-days", Input).value = "7"
        app.screen.query_one("#f-limit", Input).value = "20"
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ProgressScreen")
        progress = app.screen
        await wait_for(pilot, lambda: progress.last is not None, timeout=10)     # the first roster arrived
        assert "目标值" in text_of(progress.query_one("#solve-stats"))
        t0 = time.monotonic()
        await pilot.press("x")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RosterScreen", timeout=10)
        assert time.monotonic() - t0 < 5                       # far less than the 20 s limit
        await settle(pilot)
        assert any("已停止求解" in m for m in notifications(app))
        assert app.screen.view["roster_id"] == 2 and app.screen.view["status"] == "draft"


# -- languages, help, palette, people ------------------------------------------------------------

@async_test
async def test_language_from_context_and_switch(station):
    app = make_app(station, lang="en")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#posts", DataTable)
        assert str(table.columns["post"].label) == "Post"
        assert "Thursday" in text_of(app.screen.query_one("#board-header"))
        assert "Patrol car 2" in cell_text(table, "PAT2", "post")
        assert any(b.description == "roster" for b in app.screen._bindings.key_to_bindings["f3"])
        await pilot.press("f9")
        await pilot.pause()
        assert str(table.columns["post"].label) == "岗位"
        assert "星期四" in text_of(app.screen.query_one("#board-header"))
        assert any(b.description == "排班" for b in app.screen._bindings.key_to_bindings["f3"])
        await roster_screen(pilot)
        assert "排班 #1" in text_of(app.screen.query_one("#roster-header"))


@async_test
async def test_help_lists_the_keys_and_the_palette_has_every_action(station):
    app = make_app(station, lang="zh")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        text = text_of(app.screen.query_one(".dialog-body Static"))
        for expected in ("F3", "排班", "批准", "登记请假", "停止求解", "Ctrl+P"):
            assert expected in text, expected
        await pilot.press("escape")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for expected in ("排班: 生成排班草稿", "排班: 批准", "人员: 登记请假", "排班: 候选人", "切换语言 中文/English"):
            assert expected in titles, expected


@async_test
async def test_people_screen_and_adding_leave(station):
    app = make_app(station)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        table = app.screen.query_one("#people", DataTable)
        assert table.row_count == 62
        first = table.ordered_rows[0].key.value
        await pilot.press("l")
        await pilot.pause()
        form = app.screen
        assert form.query_one("#f-badge", Input).value == first
        form.query_one("#f-from", Input).value = "2026-12-20"
        form.query_one("#f-to", Input).value = "2026-12-22"
        form.query_one("#f-kind", Input).value = "年休假"
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "PeopleScreen")
        await settle(pilot)
        assert "年休 12-20..22" in cell_text(table, first, "leave")
        assert any("已登记" in m for m in notifications(app))
        # expired skills are marked
        expired = [p for p in app.screen.data["people"] if any(s["state"] == "expired" for s in p["skills"])]
        assert expired and "!" in cell_text(table, expired[0]["badge"], "skills")


def test_every_message_key_used_exists_in_both_languages():
    import ast
    from pathlib import Path

    from messages import MESSAGES
    used = set()
    for f in (Path(__file__).resolve().parent.parent / "tui").rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    used.add(arg.value)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Binding" and len(node.args) >= 3:
                used.add(node.args[2].value)
    missing = sorted(k for k in used if k not in MESSAGES)
    assert not missing, missing
    assert all(zh and en for zh, en in MESSAGES.values())


@async_test
async def test_review_and_approval_in_the_app(clean_station):
    """Edit through the candidates list, submit, approve (seeing the change against the
    published version), publish; then repair an absence with the solver."""
    app = make_app(clean_station)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await roster_screen(pilot)
        grid = screen.query_one("#grid", DataTable)
        columns = [c.key.value for c in grid.ordered_columns]
        person = next(p for p in screen.view["people"] if "2026-12-04" in p["cells"])
        grid.move_cursor(row=grid.get_row_index(person["badge"]), column=columns.index("2026-12-04"))
        await pilot.press("c")                                  # candidates for that person's slot
        await wait_for(pilot, lambda: type(app.screen).__name__ == "TableScreen")
        await pilot.press("enter")                              # the best candidate replaces that person
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FormScreen")
        assert app.screen.query_one("#f-a", Input).value == person["badge"]     # a swap: the slot is full
        app.screen.query_one("#f-reason", Input).value = "cover the evening"
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RosterScreen")
        await wait_for(pilot, lambda: screen.view and screen.view["version"] == 2)
        assert screen.view["status"] == "draft"
        await pilot.press("u")
        await wait_for(pilot, lambda: screen.view["status"] == "submitted")
        await pilot.press("a")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        assert "2 处变更" in text_of(app.screen.query_one(".dialog-body Static"))   # both people's days
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.view["status"] == "approved")
        await pilot.press("p")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmScreen")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.view["status"] == "published" and screen.view["published_version"] == 2)
        # repair: the first person is unavailable for two days
        grid.move_cursor(row=grid.get_row_index(person["badge"]), column=columns.index("2026-12-05"))
        await pilot.press("r")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FormScreen")
        form = app.screen
        assert form.query_one("#f-badge", Input).value == person["badge"]
        form.query_one("#f-to", Input).value = "2026-12-06"
        form.query_one("#f-reason", Input).value = "病假"
        form.query_one("#f-limit", Input).value = "3"
        await pilot.press("enter")                 # the solve may be over before a poll sees its dialog
        await wait_for(pilot, lambda: type(app.screen).__name__ == "RosterScreen", timeout=20)
        await wait_for(pilot, lambda: screen.view["version"] == 3)
        assert screen.view["status"] == "draft"
        after = next(p for p in screen.view["people"] if p["badge"] == person["badge"])
        assert not any(after["cells"].get(d) for d in ("2026-12-05", "2026-12-06"))
        assert any("处" in m and "v3" in m for m in notifications(app))
