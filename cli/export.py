"""Exports: `dutydesk roster export` (XLSX to print, CSV, HTML, ICS calendars, JSON) and
`dutydesk people export` (a people list that `dutydesk import people` reads back).

Both are attached to their existing groups from here (main.COMMANDS imports this module
with the roster and people groups).
"""
from __future__ import annotations

import click

from cli import params as P

from cli.common import echo_json, json_option, open_session, say, warn
from messages import Msg, status, t
from cli.people import people
from cli.roster import roster

_TEXT_FORMATS = ("csv", "html", "ics", "json")


# `people import` = `import people`, next to `people export`
from cli.imports import import_people  # noqa: E402
people.add_command(import_people, "import")


def _deliver(export, out: str, as_json: bool) -> None:
    """Write the export to OUT ('-' = stdout for text formats), all or nothing."""
    from usecases.export import write_file
    for w in export.warnings:
        warn(w)
    if out == "-":
        if export.format not in _TEXT_FORMATS:
            raise click.UsageError(t("cli.export.binary", format=export.format.upper()))
        click.echo(export.content, nl=False)     # bytes go to the binary stream as they are
        return
    path = write_file(out, export.content)
    info = export.summary | {"out": str(path), "bytes": len(export.content)}
    if as_json:
        echo_json(info)
    else:
        what = (Msg("cli.export.roster", id=info["roster_id"], v=info["version"], status=status(info["status"]))
                if "roster_id" in info else Msg("cli.export.people_list"))
        count = (Msg("cli.export.assignments", n=info["assignments"]) if "assignments" in info
                 else Msg("cli.export.people", n=info.get("people")))
        extra = Msg("cli.export.cancelled", n=info["cancelled"]) if info.get("cancelled") else ""
        say("cli.export.wrote", path=str(path), format=info["format"].upper(), what=what, count=count, extra=extra)


@roster.command("export")
@click.argument("roster_id", type=P.ROSTER_ID)
@click.option("--format", "fmt", type=click.Choice(("xlsx", "csv", "html", "ics", "json"), case_sensitive=False),
              help="Default: from the --out suffix.")
@click.option("--out", required=True, help="File to write ('-' writes CSV/HTML/ICS/JSON to stdout).")
@click.option("--person", "badge", help="Only this person's shifts (e.g. one officer's calendar).")
@json_option
@click.pass_context
def export_cmd(ctx, roster_id, fmt, out, badge, as_json):
    """Export roster ROSTER_ID (7, or 7v2 for version 2) for print, spreadsheets or calendars.

    \b
    xlsx  for the wall: A4 landscape, one week per block with every person (2 pages for
          60 people), at least 8 pt; cells show shift/post labels (夜/巡1) in Chinese and
          codes in English (--lang); the whole legend beside every page; station,
          version, status, content digest and audit chain on every page. The data sheet
          (one row per assignment) is hidden, so printing the workbook prints the roster
    csv   one row per assignment: date, badge, name, shift, shift_name, start, end, post, post_name
    html  a self-contained printable page: one week per A4 landscape page block, legend, footer
    ics   calendar events in station time; the same UID in every version, SEQUENCE = version,
          assignments a newer version dropped come as cancelled
    json  the same document as `roster show --json`
    """
    from usecases.export import ROSTER_FORMATS, export_roster, format_for
    from usecases.roster import RosterRef
    fmt = format_for(out, fmt, ROSTER_FORMATS)
    with open_session(ctx) as s:
        export = export_roster(s, RosterRef.parse(roster_id), fmt, person=badge, lang=ctx.obj.lang)
    _deliver(export, out, as_json)


@people.command("export")
@click.option("--format", "fmt", type=click.Choice(("xlsx", "csv"), case_sensitive=False),
              help="Default: from the --out suffix.")
@click.option("--out", required=True, help="File to write ('-' writes CSV to stdout).")
@json_option
@click.pass_context
def people_export_cmd(ctx, fmt, out, as_json):
    """Write the people list (Chinese headers) for editing in Excel; `dutydesk import people` reads it back."""
    from usecases.export import PEOPLE_FORMATS, export_people, format_for
    fmt = format_for(out, fmt, PEOPLE_FORMATS)
    with open_session(ctx, "people_export") as s:
        export = export_people(s, fmt)
    _deliver(export, out, as_json)
