"""SVG snapshots of the terminal app: a fixed station, a fixed roster and a fixed clock
(2026-12-03 21:47:05 Asia/Shanghai), so they never depend on today's date or solver timing.

Update after an intended change of the look: pytest tests/test_tui_snapshots.py --snapshot-update
(and look at the new SVGs in tests/__snapshots__/ before committing them)."""
from __future__ import annotations

from tests.test_tui_support import make_app, settle, station, tui_template

__all__ = ["station", "tui_template"]     # fixtures


def keys(*presses: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)
    return run_before


def test_board_zh_160x48(snap_compare, station):
    """The duty board at night: PAT2 short by one (selected, in full below), a person on sick
    leave on the command desk, an expired driving permit on PAT1."""
    assert snap_compare(make_app(station, lang="zh"), terminal_size=(160, 48), run_before=keys("down", "down", "down"))


def test_board_en_80x24(snap_compare, station):
    assert snap_compare(make_app(station, lang="en"), terminal_size=(80, 24), run_before=keys())


def test_roster_zh_160x48(snap_compare, station):
    """The roster grid on today's column of the cover row: the PAT2 night shortfall explained."""
    assert snap_compare(make_app(station, lang="zh"), terminal_size=(160, 48), run_before=keys("f3"))


def test_roster_person_en_80x24(snap_compare, station):
    assert snap_compare(make_app(station, lang="en"), terminal_size=(80, 24), run_before=keys("f3", "down", "down"))


def test_people_zh_160x48(snap_compare, station):
    assert snap_compare(make_app(station, lang="zh"), terminal_size=(160, 48), run_before=keys("f5"))


def test_help_zh_160x48(snap_compare, station):
    assert snap_compare(make_app(station, lang="zh"), terminal_size=(160, 48), run_before=keys("f1"))


def test_board_units_and_calls_en_80x24(snap_compare, station):
    """Narrow: w shows the patrol units, then the incident queue."""
    assert snap_compare(make_app(station, lang="en"), terminal_size=(80, 24), run_before=keys("w", "w"))


def test_intake_form_en_80x24(snap_compare, station):
    """F2: the call-intake form, a fight typed by its number (priority and needs from the type)."""
    assert snap_compare(make_app(station, lang="en"), terminal_size=(80, 24), run_before=keys("f2", "1", "tab"))


def test_recommendations_zh_160x48(snap_compare, station):
    """F2, a dispute at 酒吧街: PAT1 recommended with its reasons, PAT2 and STBY left out (on scene)."""
    assert snap_compare(make_app(station, lang="zh"), terminal_size=(160, 48),
                        run_before=keys("f2", "8", "tab", *"酒吧街", "enter"))


def test_patrol_zh_160x48(snap_compare, station):
    assert snap_compare(make_app(station, lang="zh"), terminal_size=(160, 48), run_before=keys("f4"))


def test_patrol_en_80x24(snap_compare, station):
    assert snap_compare(make_app(station, lang="en"), terminal_size=(80, 24), run_before=keys("f4"))


def test_handover_zh_160x48(snap_compare, station):
    """A handover written by li to zhao, waiting for zhao's signature."""
    from tests.test_tui_support import FIXED_NOW, session
    from usecases.dispatch import handover_create
    with session(station, "li") as s:
        handover_create(s, "zhao", "幸福小区噪音未派；继续盘问至明晚21:00", now=FIXED_NOW)
    assert snap_compare(make_app(station, lang="zh"), terminal_size=(160, 48), run_before=keys("f7"))


def test_board_busy_night_zh_80x24(snap_compare, station):
    """Issue 25: a busy night at 80x24: the legal clock (with the subject), the P1 and the P2
    waiting stay on top of the alerts, the box counts all of them; the footer keeps F2 and quit."""
    from tests.test_tui_pressure import add_waiting_calls
    from tests.test_tui_support import FIXED_NOW, session
    from usecases.dispatch import start_clock
    add_waiting_calls(station)
    with session(station) as s:
        start_clock(s, 1, "继续盘问 张某", 24, now=FIXED_NOW)
    assert snap_compare(make_app(station, lang="zh"), terminal_size=(80, 24), run_before=keys())


def test_board_calls_zh_160x48(snap_compare, station):
    """Issue 25: the queue with a call needing a woman (女), a cleared call waiting to be closed
    (its keys under the queue), the standby line, 带班领导 in the header."""
    from tests.test_tui_pressure import add_leader_post, add_waiting_calls
    add_waiting_calls(station, n=1)
    add_leader_post(station)
    assert snap_compare(make_app(station, lang="zh"), terminal_size=(160, 48),
                        run_before=keys("tab", "tab", "end"))


def test_intake_place_completion_zh_80x24(snap_compare, station):
    """Issue 25: 酒 typed in the place field, 酒吧街 offered as a completion; the hint says Enter
    takes it (a hot spot) and Del keeps the typed text."""
    assert snap_compare(make_app(station, lang="zh"), terminal_size=(80, 24),
                        run_before=keys("f2", "8", "tab", "酒"))
