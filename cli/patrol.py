"""`dutydesk patrol ...`: night patrol plans."""
from __future__ import annotations

from pathlib import Path

import arrow
import click

from cli import params as P

from cli.common import echo_json, json_option, open_session, table, warn
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
    if as_json:
        echo_json(r)
        return
    print_plan(r)


def print_plan(r: dict) -> None:
    m = r["metrics"]
    click.echo(f"Night of {r['date']} ({r['shift']}), plan #{r.get('id')}, seed {r['seed']}: "
               f"{len(r['teams'])} teams, risk-weighted coverage {m['risk_weighted_coverage']}, "
               f"{len(r['uncovered'])} visits not possible")
    for e in r.get("excluded_teams", []):
        warn(f"team {e['team']} left out: {e['why']}")
    for t in r["teams"]:
        rows = [[arrow.get(v["arrive"]).format("HH:mm"), arrow.get(v["leave"]).format("HH:mm"), v["name"],
                 v["travel_min"], ("done" if v.get("done") else "") if "done" in v else ""] for v in t["visits"]]
        rows += [[arrow.get(b["arrive"]).format("HH:mm"), arrow.get(b["leave"]).format("HH:mm"), "休息 break", "", ""]
                 for b in t["breaks"]]
        rows.sort(key=lambda x: (arrow.get(r["night_start"]).format("HH:mm") > x[0], x[0]))
        util = m["teams"].get(t["team"], {})
        table(f"{t['name']} ({t['team']}): {'、'.join(x['name'] for x in t['members'])}  "
              f"utilisation {util.get('utilisation')}", ["arrive", "leave", "hot spot", "travel min", "check-in"], rows)
    for u in r["uncovered"]:
        click.echo(f"  - not covered: {u['hot_spot']} {arrow.get(u['from']).format('HH:mm')}-"
                   f"{arrow.get(u['to']).format('HH:mm')}: {u['why']}")
    gaps = m["longest_gap_min"]
    if gaps:
        click.echo("Longest gap between visits (min): " + ", ".join(f"{k} {v}" for k, v in gaps.items()))


@patrol.command("show")
@click.argument("day", required=False, callback=_date)
@json_option
@click.pass_context
def show_cmd(ctx, day, as_json):
    """Show the night's plan (default: tonight) with planned against done."""
    from usecases.patrol import show, tonight
    with open_session(ctx) as s:
        r = show(s, day or tonight(s))
    if as_json:
        echo_json(r)
        return
    print_plan(r)
    d = r["done"]
    click.echo(f"Done: {d['done']} of {d['planned']} planned visits checked in ({d['checkins']} check-ins).")


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
        if at:
            zone = "Asia/Shanghai"
            try:
                h, m = (int(x) for x in at.split(":"))
            except ValueError:
                raise click.BadParameter("use HH:MM", param_hint="--at") from None
            base = arrow.get(night.isoformat(), tzinfo=zone)
            when = base.replace(hour=h, minute=m)
            if h < 12:
                when = when.shift(days=1)
        r = checkin(s, night, team, hot_spot, at=when.datetime if when else None)
    if as_json:
        echo_json(r)
    else:
        click.echo(f"Checked in {r['team']} at {r['hot_spot']} ({r['at']}).")


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
    click.echo(f"Wrote {out}")
