"""`dutydesk init`, `dutydesk station show`, `dutydesk demo`."""
from __future__ import annotations

import click

from cli import params as P

from cli.common import context, echo_json, json_option, open_session, table, warn
from stationdef.model import DAY_KINDS, PERSON_TYPES


@click.command()
@click.option("--station", "station_file", type=click.Path(dir_okay=False),
              help="Station definition file (TOML); see docs/station-file.md.")
@click.option("--people", "people_file", type=click.Path(dir_okay=False),
              help="People list (CSV or XLSX, Chinese or English headers).")
@click.option("--demo", is_flag=True, help="Create the built-in demo station (城关派出所, ~60 people).")
@click.option("--seed", type=P.SEED, default=0, show_default=True, help="Seed for the demo people.")
@json_option
@click.pass_context
def init(ctx, station_file, people_file, demo, seed, as_json):
    """Create a station database from a station file and a people list (or the demo).

    Everything is validated first: any problem is reported with file, line/row and field,
    the exit code is 65 and nothing is written. Whoever runs init becomes the station's admin.
    """
    from usecases import station as uc
    app = context(ctx)
    if demo:
        if station_file or people_file:
            raise click.UsageError("--demo creates the built-in station; leave out --station and --people")
        summary = uc.init_demo(app, seed=seed)
    else:
        if not station_file or not people_file:
            raise click.UsageError("give both --station FILE and --people FILE (or --demo)")
        sd, people = uc.load_definition(station_file, people_file)
        summary = uc.init_station(app, sd, people, source=f"{station_file} + {people_file}")
    if as_json:
        echo_json(summary)
        return
    click.echo(f"Created station {summary['station']} in {summary['db']}: {summary['people']} people, "
               f"{summary['posts']} posts, {summary['shifts']} shift types, {summary['hot_spots']} hot spots.")
    click.echo(f"Holiday calendar loaded for {', '.join(map(str, summary['calendar_years'])) or 'no year'} "
               f"(chinese-calendar). You ({summary['admin']}) are the admin.")
    click.echo("Next: `dutydesk station show`, `dutydesk people list`, `dutydesk user add LOGIN --role chief`.")


@click.group()
def station():
    """The station definition: teams, posts, shifts, demand, rules, hot spots."""


@station.command("show")
@json_option
@click.pass_context
def station_show(ctx, as_json):
    """Show the station as loaded: posts with staffing rules, shift types with times, demand, rules."""
    from usecases.station import station_summary
    with open_session(ctx) as s:
        data = station_summary(s)
    if as_json:
        echo_json(data)
        return
    print_summary(data)


def print_summary(data: dict) -> None:
    st = data["station"]
    ppl = data["people"]
    click.echo(f"{st['name']} ({st['code']})  {st.get('name_en') or ''}  zone {st['zone']}  "
               f"{'rural 交所合一' if st['kind'] == 'rural' else 'urban'}")
    by_type = ", ".join(f"{PERSON_TYPES[t][0]} {n}" for t, n in ppl["by_type"].items() if n)
    click.echo(f"People: {ppl['active']} active of {ppl['total']} ({by_type}; women {ppl['women']})")
    table("Teams 两队一室", ["code", "name", "kind", "people"],
          [[t["code"], t["name"], t["kind"], t["people"]] for t in data["teams"]])
    table("Shift types 班次", ["code", "name", "start", "end", "hours", "kind", "crosses midnight"],
          [[s["code"], s["name"], s["start"], s["end"], f"{s['minutes'] / 60:g}", s["kind"],
            "yes" if s["crosses_midnight"] else ""] for s in data["shifts"]])
    kinds = list(DAY_KINDS)
    rows = []
    for p in data["posts"]:
        dem = "; ".join(f"{sh}: " + "/".join(str(v.get(k, 0)) for k in kinds) for sh, v in p["demand"].items())
        rows.append([p["code"], p["name"], p["kind"], p["min_sworn"], ",".join(p["required_skills"]),
                     ",".join(p["crew_skills"]), ",".join(PERSON_TYPES[t][0] for t in p["allowed_types"]),
                     "yes" if p["needs_woman"] else "", dem])
    table("Posts 岗位 (demand per shift: workday/weekend/holiday/adjusted workday)",
          ["code", "name", "kind", "min 民警", "skills (all)", "skills (crew)", "allowed", "woman", "demand"], rows)
    table("Skills 技能", ["code", "name", "holders", "民警 only"],
          [[s["code"], s["name"], s["holders"], "yes" if s["sworn_only"] else ""] for s in data["skills"]])
    table("Rules 规则", ["key", "value", "unit", "description", "source"],
          [[r["key"], r["value"], r["unit"], r["description"], r["source"]] for r in data["rules"]])
    table("Hot spots 巡逻热点", ["code", "name", "risk", "x_m", "y_m", "active"],
          [[h["code"], h["name"], h["risk"], h["x_m"], h["y_m"], f"{h['active_from']}-{h['active_to']}"]
           for h in data["hot_spots"]])
    cap = data["capacity"]
    click.echo(f"Capacity: {cap['demand_hours_per_week']} h of posts a week against "
               f"{cap['available_hours_per_week']} h available at the weekly hours target "
               f"({(cap['utilisation'] or 0) * 100:.0f}% before leave).")
    if cap["utilisation"] and cap["utilisation"] > 0.95:
        warn("demand is close to or above what the people can work; expect shortfalls.")


@click.command()
@click.option("--seed", type=P.SEED, default=0, show_default=True, help="Seed for the demo people (first run only).")
@click.option("--time-limit", type=P.TIME_LIMIT, default=12, show_default=True,
              help="Seconds for the solver when the demo needs a new roster.")
@click.option("--no-app", is_flag=True, help="Only create the demo database and print a summary.")
@click.pass_context
def demo(ctx, seed, time_limit, no_app):
    """Open dutydesk on the demo station (creates it in the data directory on first use).

    The demo opens on a live board: unless a published roster covers today, one is generated
    (you get the chief role in the demo database), approved and published first."""
    from cli.app import open_app
    from usecases.station import ensure_demo, ensure_demo_roster
    app, created = ensure_demo(context(ctx), seed=seed)
    click.echo(("Created" if created else "Using") + f" the demo station at {app.resolved_db_path}", err=True)
    ctx.find_root().obj = app
    if not no_app:
        from cli.roster import progress_printer
        r = ensure_demo_roster(app, time_limit=time_limit, on_progress=progress_printer("demo roster"))
        if r["reused"]:
            click.echo(f"Using the published roster {r['roster_id']} v{r['version']} (covers today).", err=True)
        elif r.get("skipped"):
            warn(f"no demo roster: {r['skipped']}")
        else:
            click.echo(f"Published demo roster {r['roster_id']} v{r['version']}: {r['start']} for {r['days']} days, "
                       f"shortfalls {r['shortfalls']}.", err=True)
    open_app(app, summary_only=no_app)
