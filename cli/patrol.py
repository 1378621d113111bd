"""`dutydesk patrol ...`: night patrol plans."""
from __future__ import annotations

from pathlib import Path

import arrow
import click

from cli import params as P

from cli.common import echo_json, json_option, open_session, say, table, warn, zone_note
from messages import Items, said, t
from cli.roster import _date


@click.group()
def patrol():
    """Night patrol plans: risk-weighted, randomised hot-spot visits (the seed is kept)."""


@patrol.command("plan")
@click.option("--date", "day", callback=_date, help="The night that starts on this date (default: tonight).")
@click.option("--seed", type=P.SEED, help="Seed (default: a new random one, stored with the plan).")
@click.option("--commitment", "commitments", multiple=True,
              help="A fixed task: TEAM,HH:MM,HH:MM[,HOT_SPOT] (e.g. a checkpoint). Repeatable.")
@click.option("--time-limit", type=P.TIME_LIMIT, default=30, show_default=True)
@json_option
@click.pass_context
def plan_cmd(ctx, day, seed, commitments, time_limit, as_json):
    """Plan the night's hot-spot visits for the patrol teams on the roster."""
    from usecases.patrol import plan, tonight
    with open_session(ctx) as s:
        r = plan(s, day or tonight(s), seed=seed, commitments=list(commitments), time_limit=time_limit)
        zone = s.zone()
    if as_json:
        echo_json(r)
        return
    print_plan(r, zone)


def print_plan(r: dict, zone: str) -> None:
    m = r["metrics"]

    def hm(iso: str) -> str:
        return arrow.get(iso).to(zone).format("HH:mm")
    say("cli.patrol.night", date=r["date"], shift=r["shift"], id=r.get("id"), seed=r["seed"], teams=len(r["teams"]),
        coverage=m["risk_weighted_coverage"], n=len(r["uncovered"]))
    for e in r.get("excluded_teams", []):
        warn(t("cli.patrol.left_out", team=e["team"], why=said(e, "why")))
    for team in r["teams"]:
        rows = [[hm(v["arrive"]), hm(v["leave"]), v["name"], v["travel_min"],
                 (t("cli.patrol.done") if v.get("done") else "") if "done" in v else ""] for v in team["visits"]]
        rows += [[hm(b["arrive"]), hm(b["leave"]), t("cli.patrol.break"), "", ""] for b in team["breaks"]]
        rows.sort(key=lambda x: (hm(r["night_start"]) > x[0], x[0]))
        util = m["teams"].get(team["team"], {})
        table(t("cli.patrol.team_title", name=team["name"], code=team["team"],
                members=Items(x["name"] for x in team["members"]), util=util.get("utilisation")),
              [t("cli.patrol.col.arrive"), t("cli.patrol.col.leave"), t("cli.patrol.col.hot_spot"), t("cli.patrol.col.travel"),
               t("cli.patrol.col.checkin")], rows, caption=zone_note(zone))
    for u in r["uncovered"]:
        say("cli.patrol.not_covered", spot=u["hot_spot"], start=hm(u["from"]), end=hm(u["to"]), why=said(u, "why"))
    gaps = m["longest_gap_min"]
    if gaps:
        say("cli.patrol.longest_gap", gaps=Items(f"{k} {v}" for k, v in gaps.items()))


@patrol.command("show")
@click.argument("day", required=False, callback=_date)
@json_option
@click.pass_context
def show_cmd(ctx, day, as_json):
    """Show the night's plan (default: tonight) with planned against done."""
    from usecases.patrol import show, tonight
    with open_session(ctx) as s:
        r = show(s, day or tonight(s))
        zone = s.zone()
    if as_json:
        echo_json(r)
        return
    print_plan(r, zone)
    d = r["done"]
    say("cli.patrol.done_summary", done=d["done"], planned=d["planned"], checkins=d["checkins"])


@patrol.command("checkin")
@click.option("--date", "day", callback=_date, help="The night (default: tonight).")
@click.option("--team", required=True)
@click.option("--hot-spot", "hot_spot", required=True)
@click.option("--at", "at", help="Local time HH:MM (default: now).")
@json_option
@click.pass_context
def checkin_cmd(ctx, day, team, hot_spot, at, as_json):
    """Record that a team checked in at a hot spot."""
    from usecases.patrol import checkin, tonight
    with open_session(ctx) as s:
        night = day or tonight(s)
        when = None
        zone = s.zone()
        if at:
            try:
                h, m = (int(x) for x in at.split(":"))
            except ValueError:
                raise click.BadParameter(t("cli.patrol.use_hhmm"), param_hint="--at") from None
            base = arrow.get(night.isoformat(), tzinfo=zone)
            when = base.replace(hour=h, minute=m)
            if h < 12:
                when = when.shift(days=1)
        r = checkin(s, night, team, hot_spot, at=when.datetime if when else None)
    if as_json:
        echo_json(r)
    else:
        from cli.common import at_zone
        say("cli.patrol.checked_in", team=r["team"], spot=r["hot_spot"], at=at_zone(r["at"], zone, "HH:mm:ss"))


@patrol.command("sheet")
@click.argument("day", required=False, callback=_date)
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="HTML file to write.")
@click.pass_context
def sheet_cmd(ctx, day, out):
    """Write a printable briefing sheet (HTML, A4 landscape) of the night's plan."""
    from usecases.patrol import sheet_html, show, tonight
    with open_session(ctx) as s:
        r = show(s, day or tonight(s))
        from usecases.station import station_name
        name = station_name(s)
    tmp = Path(out).with_suffix(".tmp")
    tmp.write_text(sheet_html(r, name), encoding="utf-8")
    tmp.replace(out)
    say("cli.wrote", path=str(out))
