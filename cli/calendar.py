"""`dutydesk calendar ...`: public holidays and 调休 workdays."""
from __future__ import annotations

import click

from cli import params as P

from cli.common import echo_json, json_option, open_session, say, table, warn
from messages import Items, day_kind, t


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
        say("cli.calendar.loaded", years=Items(map(str, r["years"])), holidays=r["holidays"], adjusted=r["adjusted_workdays"],
            days=r["days"])


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
    table(t("cli.calendar.years_title"), [t("cli.calendar.col.year"), t("cli.calendar.col.days"), t("cli.calendar.col.holidays"),
                                      t("cli.calendar.col.adjusted"), t("cli.calendar.col.source")],
          [[y["year"], y["days"], y["holidays"], y["adjusted"], y["sources"]] for y in data["years"]])
    if year is not None:
        table(f"{year}", [t("col.date"), t("cli.station.col.kind"), t("col.name")],
              [[d["date"], day_kind(d["kind"]), d["name"]] for d in data["special_days"]])
        for w in data.get("warnings", []):
            warn(w)
