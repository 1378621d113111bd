"""`dutydesk audit ...`: the hash-chained audit log."""
from __future__ import annotations

import click

from cli.common import echo_json, json_option, local_time, open_session, say, table, zone_note
from messages import Items, t


@click.group()
def audit():
    """The append-only, hash-chained audit log."""


@audit.command("verify")
@click.option("--anchors", "anchor_files", multiple=True, type=click.Path(dir_okay=False),
              help="A file of anchors kept outside the database (nightly JSON log, `audit anchor` file, "
                   "handover sheet text); may be given several times.")
@json_option
@click.pass_context
def verify(ctx, anchor_files, as_json):
    """Check the chain, every record the log vouches for (roster versions, users and roles,
    incidents, leave, handovers, plans, check-ins, the station), the content digests signed with
    approved rosters, and the anchors given. OK, or each problem with the table, the record and
    the entry that last vouched for it (exit 1)."""
    from usecases.audit import verify as audit_verify
    with open_session(ctx) as s:
        r = audit_verify(s, anchor_files)
    if as_json:
        echo_json(r | {"vouched": None})
    elif r["ok"]:
        say("cli.audit.ok_anchors" if r["anchors_checked"] else "cli.audit.ok", entries=r["entries"], seq=r["head_seq"],
            head=r["head"], records=r["records_checked"], anchors=r["anchors_checked"])
    else:
        click.echo(t("cli.audit.broken", n=len(r["problems"]), entries=r["entries"]), err=True)
        for p in r["problems"]:
            click.echo(t("cli.audit.problem", message=p["message"], table=p["table"]), err=True)
    if r["not_covered"]:
        shown = str(Items(r["not_covered"][:12])) + (" ..." if len(r["not_covered"]) > 12 else "")
        click.echo(t("cli.audit.not_covered", n=len(r["not_covered"]), shown=shown), err=True)
    if r["anchors_other_station"]:
        click.echo(t("cli.audit.other_station", n=r["anchors_other_station"]), err=True)
    if not r["ok"]:
        ctx.exit(1)


@audit.command("anchor")
@click.option("--out", type=click.Path(dir_okay=False), help="Append the anchor as one JSON line to this file.")
@json_option
@click.pass_context
def anchor_cmd(ctx, out, as_json):
    """Print the chain head (entry number and hash) to keep outside the database: ship it to
    another machine's log, or print it on a sheet. `audit verify --anchors FILE` checks it."""
    from usecases.audit import anchor
    with open_session(ctx) as s:
        a = anchor(s, out)
    if as_json:
        echo_json({"anchor": a})
    else:
        say("cli.audit.anchor", station=a["station"], seq=a["seq"], hash=a["hash"], at=a["at"])


@audit.command("show")
@click.option("--since", help="Only entries from this date (UTC), e.g. 2026-12-01.")
@json_option
@click.pass_context
def show(ctx, since, as_json):
    """List audit entries: who, when, what, before and after."""
    from stationdef.cells import parse_date
    from usecases.approval import audit_show
    day = None
    if since:
        try:
            day = parse_date(since)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--since") from None
    with open_session(ctx, "audit_read") as s:
        rows = audit_show(s, day)
        zone = s.zone()
    if as_json:
        echo_json(rows)
        return
    table(t("cli.audit.title", n=len(rows)), ["#", t("cli.audit.col.at"), t("cli.user.col.login"), t("col.person"),
                                              t("cli.audit.col.action"), t("cli.audit.col.entity"),
                                              t("cli.audit.col.after"), t("cli.audit.col.hash")],
          [[r["seq"], local_time(r["at"], zone, "YYYY-MM-DD HH:mm:ss"), r["login"], r["person"] or "", r["action"],
            f"{r['entity'] or ''} {r['entity_id'] or ''}", (r["after"] or "")[:80], r["hash"][:12]] for r in rows],
          caption=zone_note(zone))
