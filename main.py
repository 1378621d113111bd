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
    """Root group: every DutydeskError becomes a message on stderr (in the user's language) and
    its exit code; with --json also a JSON document with the message's stable key.

    The command groups are imported when they are used (``COMMANDS``), not at start: the
    terminal app and one-off commands do not pay for every other group's imports. A group's
    help is put in the user's language when it is loaded."""

    def main(self, args=None, *rest, **extra):
        """Set the language (texts of click, help of every command) before click parses anything,
        so `--help` and usage errors are in the user's language too."""
        import sys

        import messages
        from cli.help import install_click_texts, language_of, localize
        argv = list(sys.argv[1:] if args is None else args)
        lang = language_of(argv, extra.get("obj"))
        messages.set_lang(lang)
        messages.set_front("cli")
        install_click_texts()
        localize(self, lang, load=False)          # the groups loaded so far; the others when loaded
        return super().main(argv, *rest, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context | None, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMANDS:
            import importlib

            import messages
            from cli.help import localize
            module, attr, *also = COMMANDS[name]
            for extra in also:              # modules that add subcommands to this group
                importlib.import_module(extra)
            self.add_command(getattr(importlib.import_module(module), attr), name)
            localize(self.commands[name], messages.lang(), name)
        return super().get_command(ctx, name)

    def load_all(self) -> None:
        """Import every command group (help pages and the tests that walk every command)."""
        for name in COMMANDS:
            self.get_command(None, name)

    def invoke(self, ctx: click.Context):
        try:
            try:
                return super().invoke(ctx)
            except sqlite3.DatabaseError as exc:   # what the database layer did not name itself
                from usecases.context import database_error
                translated = database_error(exc)
                if translated is exc:
                    raise
                raise translated from exc
        except DutydeskError as exc:
            wants_json = bool(ctx.meta.get("dutydesk.json"))
            if wants_json:
                click.echo(json.dumps(exc.to_json(), ensure_ascii=False), err=True)
            from messages import t
            click.echo(t("cli.error", message=_printable(exc.message)), err=True)
            ctx.exit(exc.exit_code)


def _printable(text: str) -> str:
    """A message with control characters from hostile input shown as \\xNN: a file cannot send
    escape sequences to the terminal through an error message."""
    return "".join(ch if ch == "\n" or ch.isprintable() or ch == "\t" else f"\\x{ord(ch):02x}" for ch in text)


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
    import messages
    from usecases.context import AppContext

    # Tests pass a ready AppContext as obj= (with an injected identity); the product builds
    # its own from the operating-system user.
    if isinstance(ctx.obj, AppContext):
        ctx.obj = ctx.obj.with_overrides(db_path=db_path, lang=lang)
    else:
        ctx.obj = AppContext.from_environment(db_path=db_path, lang=lang)
    messages.set_lang(ctx.obj.lang)          # texts from the catalogue in the chosen language
    messages.set_front("cli")
    if ctx.invoked_subcommand is None:
        from cli.app import open_app
        open_app(ctx.obj)


# name -> (module, attribute, modules that add subcommands to it): imported on first use
COMMANDS: dict[str, tuple[str, ...]] = {
    "init": ("cli.station", "init"), "station": ("cli.station", "station"), "demo": ("cli.station", "demo"),
    "people": ("cli.people", "people", "cli.export"), "user": ("cli.users", "user"),
    "calendar": ("cli.calendar", "calendar"), "roster": ("cli.roster", "roster", "cli.export"),
    "patrol": ("cli.patrol", "patrol"), "incident": ("cli.incident", "incident"), "unit": ("cli.incident", "unit"),
    "handover": ("cli.incident", "handover"), "stats": ("cli.incident", "stats"),
    "nightly": ("cli.nightly", "nightly"), "audit": ("cli.audit", "audit"), "bench": ("cli.bench", "bench"),
    "tui": ("cli.app", "tui"), "import": ("cli.imports", "import_group", "cli.request"),
    "leave": ("cli.leave", "leave"), "request": ("cli.request", "request"),
}


if __name__ == "__main__":  # pragma: no cover
    cli()
