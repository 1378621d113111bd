"""What the start of dutydesk loads (issue 25, item 10: first paint of the board). Figures are
in docs/benchmarks.md (benchmarks/tui_paint_bench.py); these tests hold the structure that the
figures depend on, without timing anything: the command groups load when used, the terminal
app's first paint loads no solver, no spreadsheet library and no other command group, and
opening a station neither imports sqlite-utils (until the first write) nor scans the installed
packages for its plugins."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import click

from tests.conftest import REPO
from tests.test_tui_support import async_test, tui_template  # noqa: F401 - a fixture


def test_every_command_group_loads_under_its_name():
    import main
    ctx = click.Context(main.cli)
    names = main.cli.list_commands(ctx)
    assert set(main.COMMANDS) <= set(names)
    for name in names:
        cmd = main.cli.get_command(ctx, name)
        assert cmd is not None and cmd.name == name, name
    roster = main.cli.get_command(ctx, "roster")
    people = main.cli.get_command(ctx, "people")
    assert "export" in roster.commands and "export" in people.commands     # added by cli.export
    assert main.cli.get_command(ctx, "nosuch") is None


def test_help_lists_every_command(cli_run):
    out = cli_run("--help").output
    for name in ("audit", "incident", "import", "leave", "roster", "tui", "unit", "stats"):
        assert f"  {name} " in out, name


PROBE = textwrap.dedent("""
    import asyncio, json, sys
    sys.path.insert(0, {repo!r})
    from tests.test_tui_support import make_app
    from pathlib import Path
    app = make_app(Path({db!r}))
    async def go():
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            assert "巡逻1" in str(app.screen.query_one("#posts").get_cell("PAT1", "post"))
            global painted
            painted = sorted(sys.modules)
            app.session.sdb.db             # the write support, as the first write loads it
    asyncio.run(go())
    import sqlite_utils.plugins
    print(json.dumps({{"modules": painted, "plugins_loaded": sqlite_utils.plugins._plugins_loaded,
                      "after_write": sorted(sys.modules)}}))
""")


def test_the_board_paints_without_solver_exports_or_other_command_groups(tui_template, tmp_path):
    import shutil
    db = tmp_path / "station.db"
    shutil.copy(tui_template, db)
    run = subprocess.run([sys.executable, "-c", PROBE.format(repo=str(REPO), db=str(db))], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    loaded = set(report["modules"])
    heavy = {m for m in loaded if m.split(".")[0] in ("ortools", "openpyxl", "numpy", "pandas", "scheduler")}
    assert not heavy, sorted(heavy)
    assert not {m for m in loaded if m.startswith("cli.") and m not in ("cli.common", "cli.params", "cli.app")}
    assert "tui.screens.dialogs" not in loaded and "tui.screens.roster" not in loaded      # when first used
    assert "sqlite_utils" not in loaded                 # the board reads with sqlite3; writes load it
    after = set(report["after_write"])
    assert "sqlite_utils" in after and not {m for m in after if m.split(".")[0] in ("numpy", "pandas")}
    assert report["plugins_loaded"] is False            # no entry-point scan when the station is opened


@async_test
async def test_a_modes_first_screen_does_not_reparse_the_stylesheet(tui_template, tmp_path, monkeypatch):
    """Textual re-parses every stylesheet from scratch when a mode's first screen is made (a
    new screen's private ``_css_update_count`` is behind the app's); tui.app.mode_screen makes
    the screen up to date instead. If Textual renames the attribute, this fails."""
    import shutil
    from textual.app import App
    from textual.css.stylesheet import Stylesheet
    from textual.screen import Screen
    from tests.test_tui_support import make_app
    assert hasattr(App(), "_css_update_count") and Screen()._css_update_count == -1
    db = tmp_path / "station.db"
    shutil.copy(tui_template, db)
    reparses = []
    original = Stylesheet.reparse
    monkeypatch.setattr(Stylesheet, "reparse", lambda self: (reparses.append(1), original(self))[1])
    app = make_app(db)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#posts").styles.background == app.screen.query_one("#units").styles.background
        await pilot.press("f3")                    # another mode's first screen
        await pilot.pause()
        assert app.current_mode == "roster"
    assert reparses == []


@async_test
async def test_the_first_frame_is_rendered_once_and_shown(tui_template, tmp_path, monkeypatch):
    """Textual lays out and renders the first screen while the app still holds its updates
    (the frame is thrown away); DeskScreen renders it when the hold ends instead. If Textual
    renames what this relies on, this fails."""
    import shutil
    from textual._compositor import Compositor
    from textual.app import App
    from textual.screen import Screen
    from tests.test_tui_support import make_app
    assert hasattr(App(), "_batch_count") and hasattr(Screen, "_compositor_refresh")
    db = tmp_path / "station.db"
    shutil.copy(tui_template, db)
    app = make_app(db)
    frames = []
    original = Compositor.render_update
    monkeypatch.setattr(Compositor, "render_update",
                        lambda self, *a, **k: (frames.append(app._batch_count), original(self, *a, **k))[1])
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        assert "巡逻1" in str(app.screen.query_one("#posts").get_cell("PAT1", "post"))
        board_frames = len(frames)
        await pilot.press("f3")                    # switching modes holds updates too (50 ms)
        await pilot.pause(0.3)
        assert app.current_mode == "roster"
    assert board_frames >= 1 and len(frames) > board_frames      # both screens were drawn
    assert frames == [0] * len(frames)                           # and never while updates were held
