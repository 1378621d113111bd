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
    table(t("cli.calendar.years_title"), [t("cli.calendar.col.year"), t("cli.calendar.col.days"),
                                          t("cli.calendar.col.complete"), t("cli.calendar.col.holidays"),
                                          t("cli.calendar.col.adjusted"), t("cli.calendar.col.source")],
          [[y["year"], y["days"], t("cli.station.yes") if y["complete"] else t("cli.calendar.incomplete"),
            y["holidays"], y["adjusted"], y["sources"]] for y in data["years"]])
    if year is not None:
        table(f"{year}", [t("col.date"), t("cli.station.col.kind"), t("col.name"), t("cli.calendar.col.source")],
              [[d["date"], day_kind(d["kind"]), d["name"],
                d["source"] + ("" if d["official"] else t("cli.calendar.not_official"))]
               for d in data["special_days"]])
        for w in data.get("warnings", []):
            warn(w)
