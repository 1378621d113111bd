"""`dutydesk init`, `dutydesk station show`, `dutydesk demo`."""
from __future__ import annotations

import click

from cli import params as P

from cli.common import context, echo_json, json_option, note, open_session, say, table, warn
from messages import Items, day_kind, person_type, shift_kind, t
from stationdef.model import DAY_KINDS


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
            raise click.UsageError(t("cli.station.demo_alone"))
        summary = uc.init_demo(app, seed=seed)
    else:
        if not station_file or not people_file:
            raise click.UsageError(t("cli.station.both_files"))
        sd, people = uc.load_definition(station_file, people_file)
        summary = uc.init_station(app, sd, people, source=f"{station_file} + {people_file}")
    if as_json:
        echo_json(summary)
        return
    say("cli.station.created", station=summary["station"], db=summary["db"], people=summary["people"],
        posts=summary["posts"], shifts=summary["shifts"], spots=summary["hot_spots"])
    say("cli.station.calendar", years=str(Items(map(str, summary["calendar_years"]))) or t("cli.station.no_year"),
        admin=summary["admin"])
    say("cli.station.next")


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


def _kind(what: str, kind: str) -> str:
    """A team or post kind in words (社区, 巡逻, ...), the code when the catalogue has none."""
    from messages import MESSAGES
    key = f"cli.station.{what}_kind.{kind}"
    return t(key) if key in MESSAGES else kind


def print_summary(data: dict) -> None:
    st = data["station"]
    ppl = data["people"]
    say("cli.station.head", name=st["name"], code=st["code"], name_en=st.get("name_en") or "", zone=st["zone"],
        kind=t(f"cli.station.kind.{st['kind']}") if st["kind"] in ("rural", "urban") else st["kind"])
    by_type = str(Items(t("cli.station.type_n", type=person_type(k), n=n) for k, n in ppl["by_type"].items() if n))
    say("cli.station.people", active=ppl["active"], total=ppl["total"], by_type=by_type, women=ppl["women"])
    yes = t("cli.station.yes")
    table(t("cli.station.teams_title"), [t("cli.col.code"), t("cli.col.name"), t("cli.station.col.kind"), t("cli.station.col.people")],
          [[x["code"], x["name"], _kind("team", x["kind"]), x["people"]] for x in data["teams"]])
    table(t("cli.station.shifts_title"), [t("cli.col.code"), t("cli.col.name"), t("cli.station.col.start"), t("cli.station.col.end"),
                                      t("cli.station.col.hours"), t("cli.station.col.kind"), t("cli.station.col.crosses")],
          [[s["code"], s["name"], s["start"], s["end"], f"{s['minutes'] / 60:g}", shift_kind(s["kind"]),
            yes if s["crosses_midnight"] else ""] for s in data["shifts"]])
    kinds = list(DAY_KINDS)
    rows = []
    for p in data["posts"]:
        dem = "; ".join(f"{sh}: " + "/".join(str(v.get(k, 0)) for k in kinds) for sh, v in p["demand"].items())
        rows.append([p["code"], p["name"], _kind("post", p["kind"]), p["min_sworn"], ",".join(p["required_skills"]),
                     ",".join(p["crew_skills"]), ",".join(person_type(x) for x in p["allowed_types"]),
                     yes if p["needs_woman"] else "", dem])
    table(t("cli.station.posts_title", kinds="/".join(day_kind(k) for k in kinds)),
          [t("cli.col.code"), t("cli.col.name"), t("cli.station.col.kind"), t("cli.station.col.min_sworn"),
           t("cli.station.col.skills_all"), t("cli.station.col.skills_crew"), t("cli.station.col.allowed"),
           t("cli.station.col.woman"), t("cli.station.col.demand")], rows)
    table(t("cli.station.skills_title"), [t("cli.col.code"), t("cli.col.name"), t("cli.station.col.holders"),
                                      t("cli.station.col.sworn_only")],
          [[s["code"], s["name"], s["holders"], yes if s["sworn_only"] else ""] for s in data["skills"]])
    table(t("cli.station.rules_title"), [t("cli.station.col.key"), t("cli.station.col.value"), t("cli.station.col.unit"),
                                     t("cli.station.col.description"), t("cli.station.col.source")],
          [[r["key"], r["value"], r["unit"], r["description"], r["source"]] for r in data["rules"]])
    table(t("cli.station.spots_title"), [t("cli.col.code"), t("cli.col.name"), t("cli.station.col.risk"), t("cli.station.col.x"), t("cli.station.col.y"),
                                     t("cli.station.col.active")],
          [[h["code"], h["name"], h["risk"], h["x_m"], h["y_m"], f"{h['active_from']}-{h['active_to']}"]
           for h in data["hot_spots"]])
    cap = data["capacity"]
    say("cli.station.capacity", demand=cap["demand_hours_per_week"], available=cap["available_hours_per_week"],
        pct=f"{(cap['utilisation'] or 0) * 100:.0f}")
    if cap["utilisation"] and cap["utilisation"] > 0.95:
        warn(t("cli.station.over_capacity"))


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
    click.echo(t("cli.station.demo_created" if created else "cli.station.demo_using", path=str(app.resolved_db_path)), err=True)
    ctx.find_root().obj = app
    if not no_app:
        from cli.roster import progress_printer
        r = ensure_demo_roster(app, time_limit=time_limit, on_progress=progress_printer(t("cli.station.demo_roster")))
        if r["reused"]:
            click.echo(t("cli.station.demo_reused", id=r["roster_id"], v=r["version"]), err=True)
        elif r.get("skipped"):
            warn(t("cli.station.demo_skipped", why=r["skipped"]))
        else:
            click.echo(t("cli.station.demo_published", id=r["roster_id"], v=r["version"], start=r["start"], days=r["days"],
                         n=r["shortfalls"]), err=True)
    open_app(app, summary_only=no_app)
