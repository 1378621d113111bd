"""Two terminals on one roster: an edit made from a screen that no longer shows the truth is
refused with who changed the cell, and the grid reloads (issue 19)."""
from __future__ import annotations

from datetime import date

from textual.widgets import Input

from tests.test_tui_support import (async_test, clean_station, clean_template, make_app, session, settle,
                                    text_of, wait_for)
from usecases import approval
from usecases.roster import RosterRef

__all__ = ["clean_station", "clean_template"]     # fixtures


def _removable(path, people, day):
    """Someone who may be taken off ``day`` without breaking a hard rule (tried on a copy)."""
    import shutil
    probe = path.with_name("probe.db")
    for p in people:
        if day.isoformat() not in p["cells"]:
            continue
        shutil.copy(path, probe)
        with session(probe, "li") as s:
            try:
                approval.edit(s, RosterRef(1), day, badge=p["badge"], shift=None, post=None, reason="probe")
                return p
            except Exception:
                continue
    raise AssertionError("nobody can be taken off")


@async_test
async def test_an_edit_from_a_stale_screen_is_refused_and_the_grid_reloads(clean_station):
    app = make_app(clean_station)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        screen = app.screen
        person = _removable(clean_station, screen.view["people"], date(2026, 12, 5))
        shown = person["cells"]["2026-12-05"]
        screen.open_edit("2026-12-05", person["badge"], "", "")       # take them off that day
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FormScreen"
                       and len(app.screen.query("#f-reason")) == 1)
        # meanwhile, on another terminal, the duty officer changes the same cell
        with session(clean_station, "li") as other:
            approval.edit(other, RosterRef(1), date(2026, 12, 5), badge=person["badge"], shift=None, post=None,
                          reason="病假")
        app.screen.query_one("#f-reason", Input).value = "swap of days"
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "FormScreen"
                       and "li" in text_of(app.screen.query_one("#form-error")))
        message = text_of(app.screen.query_one("#form-error"))
        assert "li 于" in message and "请重新载入" in message, message
        await pilot.press("escape")
        await wait_for(pilot, lambda: screen.view is not None and screen.view["version"] == 2)
        after = next(p for p in screen.view["people"] if p["badge"] == person["badge"])
        assert "2026-12-05" not in after["cells"] and shown
