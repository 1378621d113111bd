"""`dutydesk tui` and the bare `dutydesk`: open the terminal app."""
from __future__ import annotations

import sys

import click

from cli.common import context
from usecases.context import AppContext


def open_app(app: AppContext, *, summary_only: bool = False) -> None:
    """Open the terminal app (duty board, roster review, people) on the station database.

    With ``summary_only`` (or when stdout is not a terminal) print the station summary instead.
    """
    from cli.station import print_summary
    from usecases.station import station_summary
    from cli.common import note_demo_fallback
    note_demo_fallback(app)
    session = app.open()
    try:
        session.sdb.require_station()
        session.require_action("read")      # no role here: a message to ask the admin, not the board
        if session.read_only:
            click.echo(f"dutydesk: {session.sdb.path} is read-only for this login: you can look, not change "
                       "anything", err=True)
        if summary_only or not sys.stdout.isatty():
            print_summary(station_summary(session))
            if not summary_only:
                click.echo("(not a terminal: printed the summary instead of opening the duty board)", err=True)
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
