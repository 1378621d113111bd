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
