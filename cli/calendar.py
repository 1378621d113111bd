"""`dutydesk calendar ...`: public holidays and 调休 workdays."""
from __future__ import annotations

import click

from cli import params as P

from cli.common import echo_json, json_option, open_session, table, warn


@click.group()
def calendar():
    """Public holidays (法定节假日) and make-up workdays (调休) used for demand and fairness."""


@calendar.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@json_option
@click.pass_context
def calendar_import(ctx, file, as_json):
    """Load a year's holidays from FILE (CSV/XLSX: date, kind, name) for a year the package lacks."""
    from usecases.calendar import import_calendar_file
    with open_session(ctx) as s:
        r = import_calendar_file(s, file)
    if as_json:
        echo_json(r)
    else:
        click.echo(f"Loaded {', '.join(map(str, r['years']))}: {r['holidays']} holidays, "
                   f"{r['adjusted_workdays']} 调休 workdays ({r['days']} days).")


@calendar.command("show")
@click.option("--year", type=P.YEAR, help="List that year's holidays and 调休 workdays.")
@json_option
@click.pass_context
def calendar_show(ctx, year, as_json):
    """Which years have official holiday data, and a year's special days."""
    from usecases.calendar import calendar_overview
    with open_session(ctx) as s:
        data = calendar_overview(s, year)
    if as_json:
        echo_json(data)
        return
    table("Calendar years", ["year", "days", "holidays", "调休 workdays", "source"],
          [[y["year"], y["days"], y["holidays"], y["adjusted"], y["sources"]] for y in data["years"]])
    if year is not None:
        table(f"{year}", ["date", "kind", "name"], [[d["date"], d["kind"], d["name"]] for d in data["special_days"]])
        for w in data.get("warnings", []):
            warn(w)
