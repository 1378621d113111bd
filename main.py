"""dutydesk command line: the root `dutydesk` group.

Each command group lives in its own module under cli/ (cli/station.py, cli/bench.py, ...);
this file builds the root group, resolves the database path, and turns dutydesk errors into
clear messages and the exit codes of DESIGN.md.
"""
from __future__ import annotations

import json
import sqlite3

import click

from errors import DutydeskError, ExitCode


class DutydeskGroup(click.Group):
    """Root group: every DutydeskError becomes a message on stderr and its exit code."""

    def invoke(self, ctx: click.Context):
        try:
            try:
                return super().invoke(ctx)
            except sqlite3.DatabaseError as exc:   # what the database layer did not name itself
                raise _database_error(exc) from exc
        except DutydeskError as exc:
            wants_json = bool(ctx.meta.get("dutydesk.json"))
            if wants_json:
                click.echo(json.dumps(exc.to_json(), ensure_ascii=False), err=True)
            click.echo(f"dutydesk: {_printable(exc.message)}", err=True)
            ctx.exit(exc.exit_code)


def _printable(text: str) -> str:
    """A message with control characters from hostile input shown as \\xNN: a file cannot send
    escape sequences to the terminal through an error message."""
    return "".join(ch if ch == "\n" or ch.isprintable() or ch == "\t" else f"\\x{ord(ch):02x}" for ch in text)


def _database_error(exc: sqlite3.DatabaseError) -> DutydeskError:
    from errors import ReadOnly
    msg = str(exc)
    if "readonly" in msg.lower():
        return ReadOnly(f"the station database is read-only for this login; nothing was written ({msg})")
    if "locked" in msg.lower() or "busy" in msg.lower():
        from errors import DatabaseBusy
        return DatabaseBusy(f"the station database stayed busy; nothing was written. Try again ({msg})")
    if "not a database" in msg or "malformed" in msg:
        from errors import InputError
        return InputError(f"the station database file is damaged or not a dutydesk database ({msg})",
                          file="--db")
    raise exc


@click.group(cls=DutydeskGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", envvar="DUTYDESK_DB", type=click.Path(dir_okay=False),
              help="Station database file (default: $DUTYDESK_DB, else the per-user data directory).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language of the interface (default: from the locale).")
@click.version_option(package_name="dutydesk")
@click.pass_context
def cli(ctx: click.Context, db_path: str | None, lang: str | None):
    """dutydesk (值班台): duty rosters, duty board and patrol plans for a police station.

    Run without a command to open the terminal app on the station database.
    """
    from usecases.context import AppContext

    # Tests pass a ready AppContext as obj= (with an injected identity); the product builds
    # its own from the operating-system user.
    if isinstance(ctx.obj, AppContext):
        ctx.obj = ctx.obj.with_overrides(db_path=db_path, lang=lang)
    else:
        ctx.obj = AppContext.from_environment(db_path=db_path, lang=lang)
    if ctx.invoked_subcommand is None:
        from cli.app import open_app
        open_app(ctx.obj)


def _register() -> None:
    from cli import app, audit, bench, calendar, incident, nightly, patrol, people, roster, station, users

    for group in (station.init, station.station, station.demo, people.people, users.user,
                  calendar.calendar, roster.roster, patrol.patrol, incident.incident, incident.unit,
                  incident.handover, incident.stats, nightly.nightly, audit.audit, bench.bench, app.tui):
        cli.add_command(group)
    from cli import export; export.register(cli)  # groups import, leave; roster export, people export


_register()


if __name__ == "__main__":  # pragma: no cover
    cli()
