"""`dutydesk tui` and the bare `dutydesk`: open the terminal app."""
from __future__ import annotations

import sys

import click

from cli.common import context, note
from messages import t
from usecases.context import AppContext


def open_app(app: AppContext, *, summary_only: bool = False) -> None:
    """Open the terminal app (duty board, roster review, people) on the station database.

    With ``summary_only`` (or when stdout is not a terminal) print the station summary instead.
    """
    from cli.common import note_demo_fallback
    note_demo_fallback(app)
    session = app.open()
    try:
        session.sdb.require_station()
        session.require_action("read")      # no role here: a message to ask the admin, not the board
        if session.read_only:
            note("cli.read_only_app", path=str(session.sdb.path))
        if summary_only or not sys.stdout.isatty():
            from cli.station import print_summary
            from usecases.station import station_summary
            print_summary(station_summary(session))
            if not summary_only:
                click.echo(t("cli.not_a_terminal"), err=True)
            return
        from tui.app import DutydeskApp
        DutydeskApp(app, session=session).run()
    finally:
        session.close()


@click.command()
@click.pass_context
def tui(ctx):
    """Open the terminal app: duty board (F6), roster (F3), people (F5), help (F1)."""
    open_app(context(ctx))
