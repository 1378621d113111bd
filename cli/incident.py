"""`dutydesk incident ...`, `unit ...`, `handover ...`, `stats response`: the duty officer's calls."""
from __future__ import annotations

import click

from cli import params as P

from cli.common import at_zone, echo_json, json_option, local_time, open_session, say, table, zone_note
from cli.roster import _date
from messages import Items, Msg, Name, t


def _texts(record: dict, *keys: str) -> dict:
    """A use case's record for --json: its messages (Msg) as text in the user's language, with
    their stable keys beside them (``<key>_keys``)."""
    out = dict(record)
    for k in keys:
        v = record.get(k)
        if isinstance(v, list):
            out[k] = [str(x) for x in v]
            out[f"{k}_keys"] = [x.key if isinstance(x, Msg) else None for x in v]
        elif isinstance(v, Msg):
            out[k] = str(v)
            out[f"{k}_key"] = v.key
    return out


def _unit_label(code: str, names: dict) -> str:
    """A unit (or several together, PAT1+PAT2) by its post's name in the user's language."""
    return "+".join(str(names.get(c, Name(c))) for c in code.split("+"))


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
        zone = s.zone()
    if as_json:
        echo_json(r)
    else:
        say("incident.taken", id=r["id"], type=Name(r["type_name"], r.get("type_name_en")), priority=r["priority"],
            place=r["place_text"], at=at_zone(r["received_at"], zone))


@incident.command("recommend")
@click.argument("incident_id", type=P.ID)
@json_option
@click.pass_context
def recommend_cmd(ctx, incident_id, as_json):
    """Rank the units on duty for an incident, with reasons; say why others are excluded."""
    from usecases.dispatch import recommend
    from usecases.dispatch import unit_names
    with open_session(ctx) as s:
        r = recommend(s, incident_id)
        names = unit_names(s)
    if as_json:
        echo_json(r | {"units": [_texts(u, "reasons") for u in r["units"]],
                       "excluded": [_texts(e, "why") for e in r["excluded"]]})
        return
    title = t("incident.recommended", id=incident_id, priority=r["priority"],
              type=Name(r["type_name"], r.get("type_name_en")))
    if r["units"]:
        table(title,
              [t("cli.col.rank"), t("col.unit"), t("cli.col.code"), t("cli.col.score"), t("cli.col.why")],
              [[i, _unit_label(u["unit"], names), u["unit"], u["score"], str(Items(u["reasons"], sep="clause"))]
               for i, u in enumerate(r["units"], start=1)])
    else:
        click.echo(title)            # no empty table: the lines below say why
        if r["excluded"] or r["override"]:
            say("incident.none_fits")
    offered = {o["unit"] for o in r["override"]}      # those are listed below with what they lack
    excluded = [[_unit_label(e["unit"], names), e["unit"], str(e["why"])] for e in r["excluded"]
                if e["unit"] not in offered]
    if excluded:
        table(t("incident.excluded"), [t("col.unit"), t("cli.col.code"), t("cli.col.why")], excluded)
    if r["override"]:
        from messages.override import lacks_text
        table(t("override.cli_title", id=incident_id), [t("override.cli_unit"), t("override.cli_eta"),
                                                        t("override.cli_lacks")],
              [[_unit_label(o["unit"], names), t("override.cli_min", n=o["travel_min"])
                if o["travel_min"] is not None else "-", lacks_text(o["lacks"])] for o in r["override"]])
    if not r["units"] and not r["excluded"] and not r["override"]:
        say("dispatch.none_on_duty")


@incident.command("dispatch")
@click.argument("incident_id", type=P.ID)
@click.option("--unit", "units", required=True, multiple=True, callback=P.unit_codes,
              help="Unit code, or the code of any post on duty (e.g. TRF); repeat (or write PAT1+PAT2) to send "
                   "several together.")
@click.option("--reason", type=P.NOTE, help="Send anyway (override): why this crew is sent although it lacks what "
                                            "the call needs, or leaves its post. Recorded with the call and audited.")
@json_option
@click.pass_context
def dispatch_cmd(ctx, incident_id, units, reason, as_json):
    """Send a unit, or several together (the joint team's legal fit is checked). A crew that
    does not fit, or a post's crew that is not a unit, is sent only with --reason."""
    from messages import t
    from messages.override import lack_text
    from usecases.dispatch import dispatch
    from usecases.dispatch import unit_names
    with open_session(ctx) as s:
        r = dispatch(s, incident_id, list(units), reason=reason)
        names, zone = unit_names(s), s.zone()
    if as_json:
        echo_json(r)
        return
    if r["override_reason"]:
        click.echo(t("override.sent", id=incident_id, units=_unit_label("+".join(r["units"]), names),
                     reason=r["override_reason"]))
        for lack in r["warnings"]:
            click.echo(t("override.warning", lack=lack_text(lack)), err=True)
    else:
        say("incident.dispatched", id=incident_id, units=_unit_label("+".join(r["units"]), names),
            at=at_zone(r["dispatched_at"], zone))


@incident.command("update")
@click.argument("incident_id", type=P.ID)
@click.option("--status", required=True, type=P.LINE,
              help="en_route, on_scene, cleared, closed (or 途中, 到场, 处置完毕, 已结案).")
@click.option("--note", type=P.NOTE)
@json_option
@click.pass_context
def update_cmd(ctx, incident_id, status, note, as_json):
    """Move an incident on: en_route, on_scene, cleared, closed (timestamped to the second)."""
    from usecases.dispatch import update
    with open_session(ctx) as s:
        r = update(s, incident_id, status, note=note)
        zone = s.zone()
    if as_json:
        echo_json(r)
    else:
        say("incident.updated", id=incident_id, status=Msg(f"istatus.{r['status']}"),
            at=at_zone(r[r["status"] + "_at"], zone))


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
        zone = s.zone()
    if as_json:
        echo_json(r)
    else:
        say("incident.clock_started", id=incident_id, kind=kind, hours=f"{hours:g}",
            at=at_zone(r["clock_started_at"], zone))


@incident.command("list")
@click.option("--open", "open_only", is_flag=True, help="Only incidents not yet cleared.")
@json_option
@click.pass_context
def list_cmd(ctx, open_only, as_json):
    """List incidents by priority and age."""
    from usecases.dispatch import list_incidents
    from usecases.dispatch import unit_names
    with open_session(ctx) as s:
        rows = list_incidents(s, open_only=open_only)
        names, zone = unit_names(s), s.zone()
    if as_json:
        echo_json(rows)
        return
    table(t("incident.list_title", n=len(rows)),
          [t("cli.col.id"), t("col.p"), t("col.type"), t("col.place"), t("col.status"), t("col.unit"), t("cli.col.received"),
           t("cli.col.age_min")],
          [[r["id"], r["priority"], str(Name(r["type_name"], r.get("type_name_en"))), r["place_text"],
            t("incident.waiting_long" if r["waiting_too_long"] else "incident.status",
              status=Msg(f"istatus.{r['status']}")),
            _unit_label("+".join(r["units"]), names) if r["units"] else "", local_time(r["received_at"], zone),
            r["age_min"]] for r in rows], caption=zone_note(zone))


@click.group()
def unit():
    """Patrol and standby units on duty (from the roster)."""


@unit.command("list")
@json_option
@click.pass_context
def unit_list(ctx, as_json):
    """Units on duty now with status and check-in timer."""
    from usecases.dispatch import sync_units
    from usecases.dispatch import unit_names
    with open_session(ctx) as s:
        rows = sync_units(s)
        names = unit_names(s)
    if as_json:
        echo_json(rows)
        return
    table(t("unit.list_title"), [t("col.unit"), t("cli.col.code"), t("col.status"), t("cli.col.minutes"), t("col.checkin"),
                                 t("col.members")],
          [[_unit_label(u["code"], names), u["code"], t(f"ustatus.{u['status']}"), u["minutes_in_status"],
            t(f"cli.checkin.{u['checkin_timer']}") if u["checkin_timer"] else "",
            str(Items(m["name"] for m in u["members"]))] for u in rows])


@unit.command("ack")
@click.argument("unit_code")
@click.option("--note", type=P.NOTE)
@click.pass_context
def unit_ack(ctx, unit_code, note):
    """Acknowledge a unit's check-in (resets its timer; recorded in the audit log)."""
    from usecases.dispatch import ack_checkin
    from usecases.dispatch import unit_names
    with open_session(ctx) as s:
        r = ack_checkin(s, unit_code, note=note)
        names, zone = unit_names(s), s.zone()
    say("unit.checked_in", unit=_unit_label(r["unit"], names), at=at_zone(r["at"], zone))


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
        zone = s.zone()
    echo_json(r) if as_json else _print_handover(r, zone)


@handover.command("sign")
@click.argument("handover_id", type=P.ID)
@click.pass_context
def handover_sign_cmd(ctx, handover_id):
    """The incoming duty officer signs."""
    from usecases.dispatch import handover_sign
    with open_session(ctx) as s:
        r = handover_sign(s, handover_id)
        zone = s.zone()
    _print_handover(r, zone)


@handover.command("list")
@json_option
@click.pass_context
def handover_list_cmd(ctx, as_json):
    from usecases.dispatch import handover_list
    with open_session(ctx) as s:
        rows = handover_list(s)
        zone = s.zone()
    if as_json:
        echo_json(rows)
        return
    table(t("handover.list_title_cli"), [t("cli.col.id"), t("cli.col.at"), t("cli.col.from"), t("cli.col.to"), t("cli.col.signed_in")],
          [[h["id"], local_time(h["at"], zone), h["from_login"], h["to_login"],
            local_time(h["to_signed_at"], zone) or t("cli.not_yet")] for h in rows], caption=zone_note(zone))


def _print_handover(h: dict, zone: str) -> None:
    c = h["content"] or {}
    say("handover.printed", id=h["id"], at=at_zone(h["at"], zone), frm=h["from_login"], to=h["to_login"],
        out=local_time(h["from_signed_at"], zone), signed_in=local_time(h["to_signed_at"], zone) or t("cli.not_yet"))
    table(t("handover.open_title"), [t("cli.col.id"), t("col.p"), t("col.type"), t("col.status"), t("col.place"), t("col.unit"),
                                     t("cli.col.age_min")],
          [[i["id"], i["priority"], i["type"], t(f"istatus.{i['status']}"), i["place"], i["unit"] or "", i["age_min"]]
           for i in c.get("open_incidents", [])])
    for k in c.get("legal_clocks", []):
        say("handover.clock_left", id=k["id"], kind=k["kind"], h=k["remaining_s"] // 3600,
            m=f"{k['remaining_s'] % 3600 // 60:02d}")
    if h["text"]:
        say("handover.notes_cli", text=h["text"])
    if h.get("anchor"):
        a = h["anchor"]
        say("handover.anchor", station=a["station"], seq=a["seq"], hash=a["hash"], at=a["at"])


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
    rows = [[t("stats.all"), r["all"]["count"]] + [fmt(r["all"][k]) for k in ("queue", "travel", "on_scene", "total")]]
    rows += [[f"P{k}", v["count"]] + [fmt(v[x]) for x in ("queue", "travel", "on_scene", "total")]
             for k, v in r["by_priority"].items()]
    rows += [[k, v["count"]] + [fmt(v[x]) for x in ("queue", "travel", "on_scene", "total")]
             for k, v in r["by_type"].items()]
    table(t("stats.title", start=r["from"], end=r["to"]),
          [t("cli.col.group"), t("cli.col.calls"), t("cli.col.queue"), t("cli.col.travel"), t("cli.col.on_scene"), t("cli.col.total")], rows)
