"""Exports: `dutydesk roster export` (XLSX to print, CSV, HTML, ICS calendars, JSON) and
`dutydesk people export` (a people list that `dutydesk import people` reads back).

Both are attached to their existing groups from here; `register` adds this module's
groups (import, leave) to the root.
"""
from __future__ import annotations

import click

from cli import params as P

from cli.common import echo_json, json_option, open_session, warn
from cli.people import people
from cli.roster import roster

_TEXT_FORMATS = ("csv", "html", "ics", "json")


def register(root: click.Group) -> None:
    from cli.imports import import_group
    from cli.leave import leave
    root.add_command(import_group)
    root.add_command(leave)


def _deliver(export, out: str, as_json: bool) -> None:
    """Write the export to OUT ('-' = stdout for text formats), all or nothing."""
    from usecases.export import write_file
    for w in export.warnings:
        warn(w)
    if out == "-":
        if export.format not in _TEXT_FORMATS:
            raise click.UsageError(f"{export.format.upper()} is binary; give a file name with --out")
        click.echo(export.content, nl=False)     # bytes go to the binary stream as they are
        return
    path = write_file(out, export.content)
    info = export.summary | {"out": str(path), "bytes": len(export.content)}
    if as_json:
        echo_json(info)
    else:
        what = (f"roster {info['roster_id']}v{info['version']} ({info['status']})" if "roster_id" in info
                else "people list")
        count = (f"{info['assignments']} assignments" if "assignments" in info else f"{info.get('people')} people")
        extra = f", {info['cancelled']} cancelled" if info.get("cancelled") else ""
        click.echo(f"Wrote {path} ({info['format'].upper()}, {what}, {count}{extra}).")


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
    xlsx  A4 landscape, one page wide, header rows on every page, people x days with
          shift/post codes, legend, footer with version, approval status and audit hash
    csv   one row per assignment: date, badge, name, shift, shift_name, start, end, post, post_name
    html  a self-contained printable page (grid, legend, footer)
    ics   calendar events in station time; the same UID in every version, SEQUENCE = version,
          assignments a newer version dropped come as cancelled
    json  the same document as `roster show --json`
    """
    from usecases.export import ROSTER_FORMATS, export_roster, format_for
    from usecases.roster import RosterRef
    fmt = format_for(out, fmt, ROSTER_FORMATS)
    with open_session(ctx) as s:
        export = export_roster(s, RosterRef.parse(roster_id), fmt, person=badge)
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
