"""`dutydesk request ...`: officers' wishes (排班意愿) to work or to be off; and
`dutydesk import requests FILE`."""
from __future__ import annotations

import click

from cli import params as P
from cli.common import echo_json, json_option, open_session, table, warn
from cli.imports import import_group
from cli.roster import _date


@click.group()
def request():
    """Officers' wishes: a day (or days) someone wants to work or to be off, with a weight.

    The solver grants them where the rules and cover allow; `roster show N --report` says which
    were granted and why each other one was not. A chief or duty officer records anyone's; a
    login linked to a person (user add LOGIN --role viewer --person BADGE) its own."""


@request.command("add")
@click.argument("badge")
@click.option("--date", "start", required=True, help="The day (2026-12-24, 2026/12/24, 2026年12月24日), or the "
                                                     "first day with --to.")
@click.option("--to", "end", help="The last day of a range (both days included).")
@click.option("--shift", default="any", show_default=True, help="A shift code or name (N, 夜班), or any/任意.")
@click.option("--off", "kind", flag_value="off", default=True, help="Wants to be off (the default).")
@click.option("--on", "kind", flag_value="on", help="Wants to work (that shift, or any shift).")
@click.option("--weight", type=P.BoundedInt(1, 3, "a weight"), default=1, show_default=True,
              help="1 a wish, 2 important, 3 very important.")
@click.option("--note", type=P.LINE, help="Why (备注), e.g. 孩子家长会.")
@json_option
@click.pass_context
def add(ctx, badge, start, end, shift, kind, weight, note, as_json):
    """Record a wish of BADGE: to be off (--off, default) or to work (--on) on --date [--to]."""
    from usecases.requests import add_request
    with open_session(ctx) as s:
        r = add_request(s, badge, start, end, shift=shift, kind=kind, weight=weight, note=note)
    for w in r["warnings"]:
        warn(w)
    if as_json:
        echo_json(r)
        return
    click.echo(r["text"] + (f" (#{r['ids'][0]}" + (f"-#{r['ids'][-1]}" if len(r["ids"]) > 1 else "") + ")"
                            if r["ids"] else ""))


@request.command("list")
@click.option("--from", "start", callback=_date, help="From this day (default: today).")
@click.option("--to", "end", callback=_date, help="Up to this day (default: no end).")
@click.option("--person", "badge", help="Only this badge.")
@json_option
@click.pass_context
def list_cmd(ctx, start, end, badge, as_json):
    """List wishes (default: from today on)."""
    from messages import t
    from usecases.requests import list_requests
    with open_session(ctx) as s:
        rows = list_requests(s, start, end, badge)
    if as_json:
        echo_json(rows)
        return
    table(f"{t('req.list_title')} ({len(rows)})", [t("cli.col.id"), t("col.badge"), t("col.name"), t("req.col.when"),
                                                   t("wish.shift"), t("req.col.wish"), t("req.col.weight"),
                                                   t("col.note"), t("req.col.by")],
          [[r["id"], r["badge"], r["name"], r["date"], r["shift_text"], r["wish"], r["weight"], r["note"] or "",
            r["created_by"] or ""] for r in rows])


@request.command("remove")
@click.argument("ids", nargs=-1, type=P.ID)
@click.option("--person", "badge", help="Remove this badge's wishes (with --from/--to) instead of IDS.")
@click.option("--from", "start", callback=_date, help="With --person: from this day.")
@click.option("--to", "end", callback=_date, help="With --person: up to this day.")
@json_option
@click.pass_context
def remove(ctx, ids, badge, start, end, as_json):
    """Remove wishes by id (see `request list`), or --person BADGE [--from D] [--to D]."""
    from usecases.requests import remove_requests
    with open_session(ctx) as s:
        r = remove_requests(s, list(ids), badge=badge, start=start, end=end)
    if as_json:
        echo_json(r)
        return
    click.echo(r["text"] + ": " + ", ".join(f"#{i}" for i in r["ids"]))


@import_group.command("requests")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only show what would be added; write nothing.")
@json_option
@click.pass_context
def import_requests(ctx, file, dry_run, as_json):
    """Add officers' wishes from FILE (columns 警号, 日期, 结束日期, 班次, 意愿, 权重, 备注).

    Any bad row: every problem is listed by row and column, nothing is written (exit 65)."""
    from usecases.requests import import_requests as uc
    with open_session(ctx) as s:
        r = uc(s, file, dry_run=dry_run)
    for w in r.get("warnings", []):
        warn(w)
    if as_json:
        echo_json(r)
        return
    if dry_run:
        from messages import t
        click.echo(t("req.dry_run", wishes=r["wishes"], days=r["days"], already=r["already"]))
    else:
        click.echo(r["text"])


def print_wishes(outcomes: list[dict]) -> None:
    """The roster report's wishes: granted or not, and why."""
    from messages import t
    if not outcomes:
        return
    n = sum(o["granted"] for o in outcomes)
    table(t("req.summary", granted=n, total=len(outcomes)),
          [t("col.badge"), t("col.name"), t("req.col.when"), t("req.col.wish"), t("wish.shift"), t("req.col.weight"),
           t("req.col.result"), t("req.col.why")],
          [[o["badge"], o["name"] or "", o["date"], t(f"req.{o['kind']}"), o["shift"] or t("req.any_shift"),
            o["weight"], t("req.granted") if o["granted"] else t("req.not_granted"), o["why"]]
           for o in sorted(outcomes, key=lambda o: (o["granted"], o["date"], o["badge"]))])
