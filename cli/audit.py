"""`dutydesk audit ...`: the hash-chained audit log."""
from __future__ import annotations

import click

from cli.common import echo_json, json_option, open_session, table


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
        click.echo(f"OK: {r['entries']} entries, chain head #{r['head_seq']} {r['head']}; "
                   f"{r['records_checked']} records match what the log vouches for"
                   + (f"; {r['anchors_checked']} anchors found in place" if r["anchors_checked"] else ""))
    else:
        click.echo(f"BROKEN: {len(r['problems'])} problem(s) (entries read: {r['entries']}):", err=True)
        for p in r["problems"]:
            click.echo(f"  - {p['message']} [table {p['table']}]", err=True)
    if r["not_covered"]:
        shown = ", ".join(r["not_covered"][:12]) + (" ..." if len(r["not_covered"]) > 12 else "")
        click.echo(f"not covered: {len(r['not_covered'])} record(s) no entry vouches for (written before this "
                   f"dutydesk version, or outside it): {shown}", err=True)
    if r["anchors_other_station"]:
        click.echo(f"note: {r['anchors_other_station']} anchor(s) belong to another station and were skipped", err=True)
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
        click.echo(f"audit anchor {a['station']} #{a['seq']} {a['hash']} ({a['at']})")


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
    if as_json:
        echo_json(rows)
        return
    table(f"Audit log ({len(rows)})", ["#", "at (UTC)", "login", "person", "action", "entity", "after", "hash"],
          [[r["seq"], r["at"], r["login"], r["person"] or "", r["action"], f"{r['entity'] or ''} {r['entity_id'] or ''}",
            (r["after"] or "")[:80], r["hash"][:12]] for r in rows])
