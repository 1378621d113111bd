"""`dutydesk leave ...`: record one leave entry, list leave."""
from __future__ import annotations

import click

from cli import params as P

from cli.common import echo_json, json_option, open_session, warn
from cli.imports import print_leave
from cli.roster import _date


@click.group()
def leave():
    """Leave (请假): annual, sick, training, personal, compensatory, unavailable, other."""


@leave.command("add")
@click.argument("badge")
@click.option("--from", "start", required=True, help="First day of leave (2026-12-01, 2026/12/1, 2026年12月1日).")
@click.option("--to", "end", required=True, help="Last day of leave.")
@click.option("--kind", required=True,
              help="annual/年休假, sick/病假, training/培训, personal/事假, compensatory/补休, unavailable/不可用, other/其他.")
@click.option("--note", type=P.NOTE, help="Free text (备注).")
@json_option
@click.pass_context
def add(ctx, badge, start, end, kind, note, as_json):
    """Record leave for BADGE from --from to --to (both days included). Needs chief, duty or admin."""
    from usecases.imports import add_leave
    with open_session(ctx) as s:
        r = add_leave(s, badge, start, end, kind, note)
    for w in r["warnings"]:
        warn(w)
    if as_json:
        echo_json(r)
        return
    if r["added"]:
        click.echo(f"Leave {r['id']}: {r['badge']} {r['name']} {r['kind_zh']} ({r['kind']}) "
                   f"{r['start']} to {r['end']}, {r['days']} day{'s' if r['days'] != 1 else ''}.")
    else:
        click.echo(f"{r['badge']} {r['name']} {r['kind_zh']} {r['start']} to {r['end']}: {r['why']}.")


@leave.command("list")
@click.option("--from", "start", callback=_date, help="From this day (default: today).")
@click.option("--to", "end", callback=_date, help="Up to this day (default: no end).")
@json_option
@click.pass_context
def list_cmd(ctx, start, end, as_json):
    """List leave that touches the period (default: from today on)."""
    from usecases.imports import list_leave
    with open_session(ctx) as s:
        rows = list_leave(s, start, end)
    if as_json:
        echo_json(rows)
        return
    print_leave(f"Leave 请假 ({len(rows)})", rows)
