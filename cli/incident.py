"""`dutydesk incident ...`, `unit ...`, `handover ...`, `stats response`: the duty officer's calls."""
from __future__ import annotations

import arrow
import click

from cli import params as P

from cli.common import echo_json, json_option, open_session, table
from cli.roster import _date


def _local(iso: str | None) -> str:
    return arrow.get(iso).to("Asia/Shanghai").format("MM-DD HH:mm:ss") if iso else ""


@click.group()
def incident():
    """Incidents (警情): intake, recommended units, dispatch, status."""


@incident.command("new")
@click.option("--type", "type_code", required=True, help="fight, domestic, theft, fraud, traffic, suspicious, "
                                                         "missing, dispute, help, noise, other")
@click.option("--place", required=True, type=P.LINE, help="Address, or a hot spot code or name (gives the position).")
@click.option("--priority", type=P.PRIORITY, help="1 (most urgent) to 5; default from the type.")
@click.option("--female-search", is_flag=True, help="A woman may need to be searched: a woman on the team.")
@click.option("--reporter", type=P.LINE, help="Who called.")
@click.option("--phone", type=P.LINE, help="Their phone number.")
@click.option("--notes", type=P.NOTE, help="Free text.")
@json_option
@click.pass_context
def new_cmd(ctx, type_code, place, priority, female_search, reporter, phone, notes, as_json):
    """Take a call."""
    from usecases.dispatch import new_incident
    with open_session(ctx) as s:
        r = new_incident(s, type_code, place, priority=priority, female_search=female_search, reporter=reporter,
                         phone=phone, notes=notes)
    if as_json:
        echo_json(r)
    else:
        click.echo(f"Incident {r['id']}: {r['type_name']} P{r['priority']} at {r['place_text']}, received "
                   f"{_local(r['received_at'])}. Next: dutydesk incident recommend {r['id']}")


@incident.command("recommend")
@click.argument("incident_id", type=P.ID)
@json_option
@click.pass_context
def recommend_cmd(ctx, incident_id, as_json):
    """Rank the units on duty for an incident, with reasons; say why others are excluded."""
    from usecases.dispatch import recommend
    with open_session(ctx) as s:
        r = recommend(s, incident_id)
    if as_json:
        echo_json(r)
        return
    table(f"Recommended units for incident {incident_id} (P{r['priority']} {r['type']})",
          ["#", "unit", "score", "why"], [[i, u["unit"], u["score"], "; ".join(u["reasons"])]
                                          for i, u in enumerate(r["units"], start=1)])
    table("Excluded", ["unit", "why"], [[e["unit"], e["why"]] for e in r["excluded"]])


@incident.command("dispatch")
@click.argument("incident_id", type=P.ID)
@click.option("--unit", "units", required=True, multiple=True, callback=P.unit_codes,
              help="Unit code; repeat (or write PAT1+PAT2) to send several together.")
@json_option
@click.pass_context
def dispatch_cmd(ctx, incident_id, units, as_json):
    """Send a unit, or several together (the joint team's legal fit is checked)."""
    from usecases.dispatch import dispatch
    with open_session(ctx) as s:
        r = dispatch(s, incident_id, list(units))
    echo_json(r) if as_json else click.echo(f"Incident {incident_id}: {'+'.join(r['units'])} dispatched at "
                                            f"{_local(r['dispatched_at'])}.")


@incident.command("update")
@click.argument("incident_id", type=P.ID)
@click.option("--status", required=True, type=click.Choice(["en_route", "on_scene", "cleared", "closed"]))
@click.option("--note", type=P.NOTE)
@json_option
@click.pass_context
def update_cmd(ctx, incident_id, status, note, as_json):
    """Move an incident on: en_route, on_scene, cleared, closed (timestamped to the second)."""
    from usecases.dispatch import update
    with open_session(ctx) as s:
        r = update(s, incident_id, status, note=note)
    echo_json(r) if as_json else click.echo(f"Incident {incident_id} is {r['status']} ({_local(r[status + '_at'])}).")


@incident.command("clock")
@click.argument("incident_id", type=P.ID)
@click.option("--kind", type=P.LINE, default="继续盘问", show_default=True, help="The legal clock, e.g. 继续盘问.")
@click.option("--hours", type=P.HOURS, default=24, show_default=True)
@json_option
@click.pass_context
def clock_cmd(ctx, incident_id, kind, hours, as_json):
    """Start a legal clock on an incident (shown on the board and at handover)."""
    from usecases.dispatch import start_clock
    with open_session(ctx) as s:
        r = start_clock(s, incident_id, kind, hours)
    echo_json(r) if as_json else click.echo(f"Incident {incident_id}: {kind} {hours:g} h from {_local(r['clock_started_at'])}.")


@incident.command("list")
@click.option("--open", "open_only", is_flag=True, help="Only incidents not yet cleared.")
@json_option
@click.pass_context
def list_cmd(ctx, open_only, as_json):
    """List incidents by priority and age."""
    from usecases.dispatch import list_incidents
    with open_session(ctx) as s:
        rows = list_incidents(s, open_only=open_only)
    if as_json:
        echo_json(rows)
        return
    table(f"Incidents 警情 ({len(rows)})", ["id", "P", "type", "place", "status", "unit", "received", "age min"],
          [[r["id"], r["priority"], r["type_name"], r["place_text"], r["status"] + (" (waiting long)" if
           r["waiting_too_long"] else ""), "+".join(r["units"]), _local(r["received_at"]), r["age_min"]] for r in rows])


@click.group()
def unit():
    """Patrol and standby units on duty (from the roster)."""


@unit.command("list")
@json_option
@click.pass_context
def unit_list(ctx, as_json):
    """Units on duty now with status and check-in timer."""
    from usecases.dispatch import sync_units
    with open_session(ctx) as s:
        rows = sync_units(s)
    if as_json:
        echo_json(rows)
        return
    table("Units 处警单元", ["unit", "status", "minutes", "check-in", "members"],
          [[u["code"], u["status"], u["minutes_in_status"], u["checkin_timer"] or "",
            "、".join(m["name"] for m in u["members"])] for u in rows])


@unit.command("ack")
@click.argument("unit_code")
@click.option("--note", type=P.NOTE)
@click.pass_context
def unit_ack(ctx, unit_code, note):
    """Acknowledge a unit's check-in (resets its timer; recorded in the audit log)."""
    from usecases.dispatch import ack_checkin
    with open_session(ctx) as s:
        r = ack_checkin(s, unit_code, note=note)
    click.echo(f"{r['unit']} checked in at {_local(r['at'])}.")


@click.group()
def handover():
    """Handover between duty officers (交接班), signed by both."""


@handover.command("new")
@click.option("--to", "to_login", required=True, help="Login of the incoming duty officer.")
@click.option("--notes", type=P.NOTE, default="", help="What the next shift must know.")
@json_option
@click.pass_context
def handover_new(ctx, to_login, notes, as_json):
    """Write and sign the handover: open incidents, running legal clocks, units, notes."""
    from usecases.dispatch import handover_create
    with open_session(ctx) as s:
        r = handover_create(s, to_login, notes)
    echo_json(r) if as_json else _print_handover(r)


@handover.command("sign")
@click.argument("handover_id", type=P.ID)
@click.pass_context
def handover_sign_cmd(ctx, handover_id):
    """The incoming duty officer signs."""
    from usecases.dispatch import handover_sign
    with open_session(ctx) as s:
        r = handover_sign(s, handover_id)
    _print_handover(r)


@handover.command("list")
@json_option
@click.pass_context
def handover_list_cmd(ctx, as_json):
    from usecases.dispatch import handover_list
    with open_session(ctx) as s:
        rows = handover_list(s)
    if as_json:
        echo_json(rows)
        return
    table("Handovers 交接班", ["id", "at", "from", "to", "signed by incoming"],
          [[h["id"], _local(h["at"]), h["from_login"], h["to_login"], _local(h["to_signed_at"]) or "not yet"]
           for h in rows])


def _print_handover(h: dict) -> None:
    c = h["content"] or {}
    click.echo(f"Handover {h['id']} {_local(h['at'])}: {h['from_login']} -> {h['to_login']}; signed out "
               f"{_local(h['from_signed_at'])}, signed in {_local(h['to_signed_at']) or 'not yet'}")
    table("Open incidents", ["id", "P", "type", "status", "place", "unit", "age min"],
          [[i["id"], i["priority"], i["type"], i["status"], i["place"], i["unit"] or "", i["age_min"]]
           for i in c.get("open_incidents", [])])
    for k in c.get("legal_clocks", []):
        click.echo(f"  clock: incident {k['id']} {k['kind']} {k['remaining_s'] // 3600}h{k['remaining_s'] % 3600 // 60:02d}m left")
    if h["text"]:
        click.echo(f"Notes: {h['text']}")
    if h.get("anchor"):
        a = h["anchor"]
        click.echo(f"audit anchor {a['station']} #{a['seq']} {a['hash']} ({a['at']}): keep it with the signed sheet")


@click.group()
def stats():
    """Statistics."""


@stats.command("response")
@click.option("--from", "start", required=True, callback=_date)
@click.option("--to", "end", required=True, callback=_date)
@json_option
@click.pass_context
def stats_response(ctx, start, end, as_json):
    """Queue, travel, on-scene and total times by priority and type."""
    from usecases.dispatch import response_stats
    with open_session(ctx) as s:
        r = response_stats(s, start, end)
    if as_json:
        echo_json(r)
        return

    def fmt(x):
        return "" if x["median_s"] is None else f"{x['median_s'] / 60:.1f} / {x['p90_s'] / 60:.1f}"
    rows = [["all", r["all"]["count"]] + [fmt(r["all"][k]) for k in ("queue", "travel", "on_scene", "total")]]
    rows += [[f"P{k}", v["count"]] + [fmt(v[x]) for x in ("queue", "travel", "on_scene", "total")]
             for k, v in r["by_priority"].items()]
    rows += [[k, v["count"]] + [fmt(v[x]) for x in ("queue", "travel", "on_scene", "total")]
             for k, v in r["by_type"].items()]
    table(f"Response times {r['from']}..{r['to']} (median / p90 minutes)",
          ["group", "calls", "queue", "travel", "on scene", "total"], rows)
