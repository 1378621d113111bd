"""`dutydesk audit ...`: the hash-chained audit log."""
from __future__ import annotations

import click

from cli.common import echo_json, json_option, open_session, table


@click.group()
def audit():
    """The append-only, hash-chained audit log."""


@audit.command("verify")
@json_option
@click.pass_context
def verify(ctx, as_json):
    """Check the chain: OK with the head hash, or the first entry altered, removed or reordered (exit 1)."""
    from usecases.approval import audit_verify
    with open_session(ctx) as s:
        r = audit_verify(s)
    if as_json:
        echo_json(r)
    elif r["ok"]:
        click.echo(f"OK: {r['entries']} entries, chain head {r['head']}")
    else:
        click.echo(f"BROKEN: {r['problem']} (entries read: {r['entries']}, last good hash {r['head']})", err=True)
    if not r["ok"]:
        ctx.exit(1)


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
