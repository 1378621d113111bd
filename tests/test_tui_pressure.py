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
async def test_delete_dismisses_the_completion_and_enter_saves_what_was_typed(station):
    app = make_app(station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("8", "tab", "酒")
        await pilot.pause(0.2)
        assert "Enter 取补全 酒吧街" in text_of(app.screen.query_one("#place-info"))
        await pilot.press("delete")
        await pilot.pause(0.1)
        assert app.screen.query_one("#f-place", Input).shown_completion() is None
        assert "不是热点" in text_of(app.screen.query_one("#place-info"))
        await pilot.press("enter")
        await settle(pilot)
        newest = max(incident_rows(station), key=lambda r: r["id"])
        assert newest["place_text"] == "酒" and newest["hot_spot"] is None


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


# -- 4. every incident transition from the board, closing a cleared call included ---------------

async def select_row(pilot, table_id: str, key: str):
    from tests.test_tui_dispatch import select
    return await select(pilot, table_id, key)


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
@async_test
async def test_a_cleared_call_stays_on_the_board_and_is_closed_from_it(station, size):
    app = make_app(station)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = await select_row(pilot, "incidents", "1")           # #1 was cleared at 21:10
        assert "完毕" in str(table.get_cell("1", "status"))
        assert "x 结案" in str(app.screen.query_one("#incidents-box").border_subtitle)
        await pilot.press("x")
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("y")
        await settle(pilot)
        assert next(r for r in incident_rows(station) if r["id"] == 1)["status"] == "closed"
        assert "1" not in table.rows


@async_test
async def test_every_transition_of_a_call_from_the_keyboard(station):
    """received -d-> dispatched -e-> en route -o-> on scene -c-> cleared -x-> closed."""
    app = make_app(station)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await select_row(pilot, "incidents", "2")                   # the dispute: PAT2 and STBY free again
        await pilot.press("c")
        await settle(pilot)
        table = await select_row(pilot, "incidents", "3")           # the waiting noise complaint
        await pilot.press("d")
        await settle(pilot)
        assert type(app.screen).__name__ == "RecommendScreen"
        await wait_for(pilot, lambda: app.screen.view is not None)
        await pilot.press("enter")
        await settle(pilot)
        seen = [next(r for r in incident_rows(station) if r["id"] == 3)["status"]]
        for key in ("e", "o", "c"):
            await select_row(pilot, "incidents", "3")
            await pilot.press(key)
            await settle(pilot)
            seen.append(next(r for r in incident_rows(station) if r["id"] == 3)["status"])
        await select_row(pilot, "incidents", "3")
        await pilot.press("x", "y")
        await settle(pilot)
        seen.append(next(r for r in incident_rows(station) if r["id"] == 3)["status"])
        assert seen == ["dispatched", "en_route", "on_scene", "cleared", "closed"]
        assert "3" not in table.rows


# -- 5. safe keys ---------------------------------------------------------------------------------

def all_binding_classes():
    from tui.app import DutydeskApp
    from tui.screens.board import BoardScreen
    from tui.screens.dialogs import ConfirmScreen, DialogScreen, FormScreen, InfoScreen, PickerScreen, ProgressScreen, TableScreen
    from tui.screens.dispatch import IntakeScreen, RecommendScreen
    from tui.screens.handover import HandoverScreen
    from tui.screens.help import HelpScreen
    from tui.screens.patrol import PatrolScreen
    from tui.screens.people import PeopleScreen
    from tui.screens.roster import RosterScreen
    return (DutydeskApp, BoardScreen, RosterScreen, PeopleScreen, PatrolScreen, HandoverScreen, DialogScreen, FormScreen,
            ConfirmScreen, InfoScreen, ProgressScreen, PickerScreen, TableScreen, IntakeScreen, RecommendScreen, HelpScreen)


def test_every_binding_has_an_id():
    from textual.binding import Binding
    missing = [(cls.__name__, b.key) for cls in all_binding_classes()
               for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding) and not b.id]
    assert missing == []


@async_test
async def test_esc_on_the_roster_stays_there_so_a_then_does_not_ack(station):
    """A chief presses Esc on the roster, then a (meaning approve): no check-in is acknowledged."""
    app = make_app(station)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "RosterScreen"
        assert any("Esc 不离开" in m for m in notifications(app))
        await pilot.press("a")
        await settle(pilot)
        assert type(app.screen).__name__ in ("RosterScreen", "ConfirmScreen")
        with session(station) as s:
            acks = s.sdb.rows("SELECT * FROM checkins WHERE kind = 'ack'")
        assert acks == []


@async_test
async def test_ack_and_close_ask_first_and_esc_cancels(station):
    from tests.test_tui_dispatch import select
    app = make_app(station)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await select(pilot, "units", "PAT2")
        await pilot.press("a")
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("escape")
        await settle(pilot)
        await select(pilot, "incidents", "2")
        await pilot.press("x")
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("n")
        await settle(pilot)
        assert type(app.screen).__name__ == "BoardScreen"
        with session(station) as s:
            assert s.sdb.rows("SELECT * FROM checkins WHERE kind = 'ack'") == []
        assert next(r for r in incident_rows(station) if r["id"] == 2)["status"] == "on_scene"


@async_test
async def test_a_keymap_file_moves_a_key(station, tmp_path):
    from tests.test_tui_dispatch import select
    path = tmp_path / "keymap.toml"
    path.write_text('[keys]\n"board.ack" = "k"\n"nothing.here" = "z"\n"board.closed" = "alt+x"\n', encoding="utf-8")
    app = make_app(station, keymap_path=path)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        problems = " ".join(notifications(app))
        assert "nothing.here" in problems and "alt+x" in problems
        footer = text_of(app.screen.query_one("KeyBar"))
        assert "k 确认签到" in footer and "a 确认签到" not in footer
        await select(pilot, "units", "PAT2")
        await pilot.press("a")
        await settle(pilot)
        assert type(app.screen).__name__ == "BoardScreen"          # a does nothing now
        await pilot.press("k")
        assert type(app.screen).__name__ == "ConfirmScreen"


# -- 8. footers --------------------------------------------------------------------------------------

@pytest.mark.parametrize("key,main", [(None, "d 派警"), ("f3", "a 批准"), ("f4", "c 签到"), ("f5", "l 登记请假"),
                                      ("f7", "n 写交接单")])
@async_test
async def test_each_footer_has_its_main_key_f2_and_quit_at_80x24(station, key, main):
    app = make_app(station)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        if key:
            await pilot.press(key)
            await settle(pilot)
        bar = app.screen.query_one("KeyBar")
        footer = text_of(bar).strip()
        assert main in footer and "F2 新警情" in footer and "^Q 退出" in footer, footer
        from rich.cells import cell_len
        assert cell_len(footer) <= 78


# -- 3. alerts ranked by severity, true counts, focusable and scrollable -------------------------

def add_waiting_calls(path, n: int = 12) -> None:
    """A busy night: n noise complaints waiting (P4), then a P2 traffic accident and a P1
    domestic violence call nobody took yet."""
    from datetime import timedelta
    with session(path, "li") as s:
        for i in range(n):
            dispatch_uc.new_incident(s, "noise", f"幸福小区{i}号楼", now=FIXED_NOW - timedelta(minutes=40 - i))
        dispatch_uc.new_incident(s, "traffic", "人民路口", reporter="张先生", phone="13900001111",
                                 notes="两车追尾，无人受伤", now=FIXED_NOW - timedelta(minutes=9))
        dispatch_uc.new_incident(s, "domestic", "幸福小区3号楼", now=FIXED_NOW - timedelta(minutes=4))


@pytest.mark.parametrize("size", [(160, 48), (80, 24)])
@async_test
async def test_alerts_are_ranked_counted_and_urgent_ones_stay_in_view(station, size):
    add_waiting_calls(station)
    app = make_app(station)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        box = app.screen.query_one("#alerts-box")
        lines = [x for x in app.screen.alerts_plain().splitlines() if x.strip()]
        total = int(str(box.border_title).split()[1])
        assert total == len(lines) > 12                              # the true count
        assert "继续盘问" in lines[0]                                 # a running legal clock first
        assert "P1 家庭暴力" in lines[1] and "P2 交通事故" in lines[2]  # then P1/P2 waiting
        assert all("P4" not in x for x in lines[:3])
        # the urgent three are pinned above the part that scrolls: in view at 80x24 too
        pinned = text_of(app.screen.query_one("#alerts-urgent"))
        assert "继续盘问" in pinned and "P1 家庭暴力" in pinned and "P2 交通事故" in pinned
        assert "还有" in str(box.border_subtitle)
        # the rest takes the focus (Tab) and scrolls from the keyboard; the urgent ones stay
        scroll = app.screen.query_one("#alerts-scroll")
        for _ in range(6):
            if app.focused is scroll:
                break
            await pilot.press("tab")
        assert app.focused is scroll
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y > 0
        assert app.screen.query_one("#alerts-urgent").region.height == 3
        lines_on_screen = ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]
        assert any("P1 家庭暴力" in line for line in lines_on_screen)


@async_test
async def test_waiting_calls_are_coloured_by_priority(station):
    add_waiting_calls(station, n=2)
    from tui.screens.board import WAITING_STYLE
    app = make_app(station)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        styles = {str(span.style) for box in ("#alerts-urgent", "#alerts")
                  for span in app.screen.query_one(box).content.spans}
        assert WAITING_STYLE[1] in styles and WAITING_STYLE[2] in styles and WAITING_STYLE[4] in styles
        assert WAITING_STYLE[1] != WAITING_STYLE[4]


# -- 7. what the board shows -------------------------------------------------------------------------

def add_leader_post(path) -> str:
    """A 带班领导 post in the station file, with someone free tonight on it (24 h duty)."""
    import sqlite3
    con = sqlite3.connect(path)
    with con:
        con.execute("INSERT INTO posts (code, name, name_en, kind) VALUES ('LEAD', '带班领导', 'Leader on duty', 'other')")
        vid = con.execute("SELECT max(id) FROM roster_versions").fetchone()[0]
        busy = {r[0] for r in con.execute("SELECT badge FROM assignments WHERE version_id = ? AND date = '2026-12-03'",
                                          (vid,))}
        badge, name = next((b, n) for b, n, t in con.execute("SELECT badge, name, person_type FROM people ORDER BY badge")
                           if b not in busy and t == "sworn")
        con.execute("INSERT INTO assignments (version_id, date, badge, shift, post) VALUES (?, '2026-12-03', ?, 'Z', "
                    "'LEAD')", (vid, badge))
    con.close()
    return name


@async_test
async def test_board_header_shows_the_leader_on_duty_from_the_roster(station):
    name = add_leader_post(station)
    app = make_app(station)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert f"带班领导 {name}" in text_of(app.screen.query_one("#board-header"))


@async_test
async def test_board_says_when_the_station_file_names_no_leader(station):
    app = make_app(station)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert "带班领导 未设" in text_of(app.screen.query_one("#board-header"))


@async_test
async def test_clock_subject_woman_mark_standby_line_and_call_detail(station):
    from tests.test_tui_dispatch import select
    add_waiting_calls(station, n=0)
    app = make_app(station)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        # a legal clock with the subject's name
        table = await select(pilot, "incidents", "2")
        await pilot.press("l")
        await settle(pilot)
        form = app.screen
        form.query_one("#f-subject", Input).value = "张某"
        await pilot.press("enter")
        await settle(pilot)
        alerts = app.screen.alerts_plain()
        assert "继续盘问 张某 警情 #2" in alerts
        # the domestic violence call needs a woman: marked in the queue
        dv = max(r["id"] for r in incident_rows(station))
        assert str(table.get_cell(str(dv), "type")).startswith("女 ")
        # the standby line in the units panel
        standby = text_of(app.screen.query_one("#standby-line"))
        assert standby.startswith("备勤 1人") and "蔡宇" in standby
        # caller, phone and notes in the call's detail
        await select(pilot, "incidents", str(dv - 1))
        await pilot.press("enter")
        await settle(pilot)
        detail = " ".join(text_of(w) for w in app.screen.query("Static"))
        assert "张先生 13900001111" in detail and "两车追尾" in detail


# -- 6. forms ---------------------------------------------------------------------------------------

@async_test
async def test_an_edit_form_checks_in_place_keeps_its_values_and_swallows_no_key(station, monkeypatch):
    import time as _time

    from errors import Refused
    import tui.screens.roster as roster_mod

    def slow_refusal(session, ref, day, **kw):
        _time.sleep(1.0)
        raise Refused("a hard rule says no (test)")
    monkeypatch.setattr(roster_mod.approval_uc, "edit", slow_refusal)
    app = make_app(station)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        person = next(p for p in screen.view["people"] if p["person_type"] == "sworn")
        screen.open_edit("2026-12-05", "", "D", "PAT1")
        await pilot.pause()
        form = app.screen
        # a person by name: completed and resolved to the badge in place
        form.query_one("#f-badge", Input).focus()
        await pilot.press(*person["name"])
        await wait_for(pilot, lambda: person["badge"] in text_of(form.query_one("#h-badge")))
        # a bad date says so under the field as it is typed
        date_field = form.query_one("#f-date", Input)
        date_field.value = "2026-13-45"
        await pilot.pause()
        assert text_of(form.query_one("#h-date")).strip()
        date_field.value = "2026-12-05"
        await pilot.pause()
        form.query_one("#f-post", Input).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: form.busy and "正在检查" in text_of(form.query_one("#form-error")))
        assert all(w.disabled for w in form.query(Input))
        await pilot.press("c", "escape")                # pressed while checking: go nowhere
        await pilot.pause()
        assert date_field.value == "2026-12-05" and app.screen is form
        await wait_for(pilot, lambda: not form.busy, timeout=5)
        assert "a hard rule says no" in text_of(form.query_one("#form-error"))
        assert app.screen is form and form.values()["badge"] == person["badge"]
        assert form.query_one("#f-post", Input).value == "PAT1" and app.focused is form.query_one("#f-post", Input)


@async_test
async def test_a_refused_generate_comes_back_with_what_was_typed(station):
    app = make_app(station)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        form.query_one("#f-start", Input).value = "2026-12-05"     # inside the published roster
        form.query_one("#f-days", Input).value = "9"
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FormScreen" and app.screen is not form, timeout=10)
        again = app.screen
        assert again.query_one("#f-start", Input).value == "2026-12-05"
        assert again.query_one("#f-days", Input).value == "9"
        assert "overlaps roster" in text_of(again.query_one("#form-error"))


def test_people_are_resolved_by_name_badge_or_both():
    from tui.widgets.inputs import resolve_person
    people = [{"badge": "061024", "name": "张三"}, {"badge": "061025", "name": "张三丰"}, {"badge": "FJ2001", "name": "李四"}]
    assert resolve_person("061024", people)[0]["name"] == "张三"
    assert resolve_person("张三", people)[0]["badge"] == "061024"          # exact name beats a longer one
    assert resolve_person("张三丰 061025", people)[0]["badge"] == "061025"
    assert resolve_person("李", people)[0]["badge"] == "FJ2001"             # a unique start
    p, could = resolve_person("0610", people)
    assert p is None and len(could) == 2                                    # ambiguous: both offered
    assert resolve_person("王五", people) == (None, [])


# -- 9. wide characters under a toast -----------------------------------------------------------------

@async_test
async def test_a_toast_over_the_roster_keeps_every_chinese_character(station):
    app = make_app(station)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        message = "排班 #1 v2 草稿：改动 2 处，缺口 0"
        app.notify(message, title="值班台", timeout=30, markup=False)
        await pilot.pause(0.5)
        lines = ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]
        assert any(message in line for line in lines), [x for x in lines if "草稿" in x]
        # and without the fix the same toast loses a character (the cause, shown)
        from textual import _compositor

        from tui.widgets import cjk
        patched = _compositor.Compositor._render_chops
        try:
            _compositor.Compositor._render_chops = cjk.ORIGINAL
            app.screen._compositor._cuts = None
            broken = ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]
        finally:
            _compositor.Compositor._render_chops = patched
        assert not any(message in line for line in broken)
