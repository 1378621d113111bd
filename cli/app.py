"""`dutydesk tui` and the bare `dutydesk`: open the terminal app."""
from __future__ import annotations

import click

from cli.common import context
from usecases.context import AppContext


def open_app(app: AppContext, *, summary_only: bool = False) -> None:
    """Open the terminal app on the station database.

    The full-screen app (duty board, roster review) is built in tui/; until it lands this
    prints a readable summary of the station.
    """
    from cli.station import print_summary
    from usecases.station import station_summary
    with app.open() as s:
        data = station_summary(s)
    print_summary(data)
    if not summary_only:
        click.echo("\n(The full-screen duty board is not built yet; this summary stands in for it.)", err=True)


@click.command()
@click.pass_context
def tui(ctx):
    """Open the terminal app on the station database."""
    open_app(context(ctx))
