"""Helpers shared by the command modules: JSON output, tables, opening a session."""
from __future__ import annotations

import json
import sys

import click

from usecases.context import AppContext, Session


def context(ctx: click.Context) -> AppContext:
    obj = ctx.find_root().obj
    assert isinstance(obj, AppContext)
    return obj


def open_session(ctx: click.Context, action: str = "read") -> Session:
    """Open the station database for a command that reads it (`action`, from
    usecases.permissions): a login without a role there is told to ask the admin, and sees
    nothing. Commands that write check their own action in the use case as well."""
    app = context(ctx)
    note_demo_fallback(app)
    session = app.open()
    try:
        if session.sdb.is_initialised():
            session.require_action(action)
    except BaseException:
        session.close()
        raise
    return session


def note_demo_fallback(app: AppContext) -> None:
    """Say on stderr when a command runs on the demo because no station database exists."""
    if app.uses_demo_fallback:
        click.echo(f"dutydesk: no station database at {app.station_db_path}; using the demo station at "
                   f"{app.resolved_db_path} (give --db or DUTYDESK_DB for another)", err=True)


def _remember_json(ctx: click.Context, param, value):
    if value:
        ctx.meta["dutydesk.json"] = True      # the root group prints errors as JSON too
    return value


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, callback=_remember_json, expose_value=True,
                        help="Print one JSON document on stdout.")(f)


def echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


def console():
    """A rich console on click's stdout (so CliRunner captures it); wide when not a terminal."""
    from rich.console import Console
    out = sys.stdout  # click's runner swaps it, so tests capture tables too
    is_tty = hasattr(out, "isatty") and out.isatty()
    return Console(file=out, width=None if is_tty else 160, highlight=False, soft_wrap=False,
                   no_color=not is_tty, force_terminal=False if not is_tty else None)


def table(title: str | None, columns: list[str], rows: list[list], *, caption: str | None = None):
    from rich import box
    from rich.table import Table
    t = Table(title=title, caption=caption, box=box.MARKDOWN, title_justify="left", caption_justify="left")
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*["" if v is None else str(v) for v in r])
    console().print(t)


def is_terminal() -> bool:
    return sys.stderr.isatty()
