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
@click.option("--allow-partial", is_flag=True,
              help="Load a year that lacks some of the seven festivals (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆): "
                   "only its listed days are stored, the rest of the year stays without official data.")
@json_option
@click.pass_context
def calendar_import(ctx, file, allow_partial, as_json):
    """Load a year's holidays from FILE (CSV/XLSX: date, kind, name) for a year the package lacks.

    A year must list every festival of the State Council's notice; one that does not is
    refused (exit 65) naming what is missing, unless --allow-partial."""
    from messages import t
    from usecases.calendar import import_calendar_file
    with open_session(ctx) as s:
        r = import_calendar_file(s, file, allow_partial=allow_partial)
    for w in r.get("warnings", []):
        warn(w)
    if as_json:
        echo_json(r)
    else:
        click.echo(t("cal.loaded", years=", ".join(map(str, r["years"])), holidays=r["holidays"],
                     adjusted=r["adjusted_workdays"], days=r["days"]))


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
    table("Calendar years", ["year", "days", "complete", "holidays", "调休 workdays", "source"],
          [[y["year"], y["days"], "yes" if y["complete"] else "NO", y["holidays"], y["adjusted"], y["sources"]]
           for y in data["years"]])
    if year is not None:
        table(f"{year}", ["date", "kind", "name", "source"],
              [[d["date"], d["kind"], d["name"], d["source"] + ("" if d["official"] else " (not official)")]
               for d in data["special_days"]])
        for w in data.get("warnings", []):
            warn(w)
