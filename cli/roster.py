"""`dutydesk roster ...`: generate, list, show, diff, repair, candidates."""
from __future__ import annotations

import sys
import time
from datetime import date, timedelta

import click

from cli import params as P

from cli.common import echo_json, json_option, open_session, table, warn


def _date(ctx, param, value):
    """A date option or argument, checked (2000-2099) by cli.params.DATE; usage error (2) if bad."""
    if value is None:
        return None
    return P.DATE.convert(value, param, ctx)


def progress_printer(label: str):
    """Solver progress on stderr: one updating line on a terminal, a line every few seconds otherwise."""
    tty = sys.stderr.isatty()
    last = [0.0]

    def show(p):
        if p.objective is None:
            return
        now = time.monotonic()
        bound = "-" if p.bound is None else p.bound
        text = f"{label}: {p.elapsed:5.1f}s  objective {p.objective}  bound {bound}  ({p.phase})"
        if tty:
            click.echo("\r" + text.ljust(78), nl=False, err=True)
            if p.phase == "done":
                click.echo(err=True)
        elif now - last[0] >= 5 or p.phase == "done":
            click.echo(text, err=True)
            last[0] = now
    return show


@click.group()
def roster():
    """Duty rosters: generate a draft, review it, repair it."""


@roster.command("generate")
@click.option("--start", required=True, callback=_date, help="First day (2026-12-01).")
@click.option("--days", type=P.DAYS, default=28, show_default=True, help="Number of days.")
@click.option("--time-limit", type=P.TIME_LIMIT, default=30, show_default=True, help="Solver time limit in seconds.")
@click.option("--seed", type=P.SEED, default=0, show_default=True, help="Solver seed (kept with the version).")
@click.option("--workers", type=P.WORKERS, default=None, help="Solver threads (default: all cores).")
@json_option
@click.pass_context
def generate(ctx, start, days, time_limit, seed, workers, as_json):
    """Build a draft roster version for DAYS days from START (a chief approves it later)."""
    from usecases.roster import generate as uc
    with open_session(ctx) as s:
        r = uc(s, start, days, time_limit=time_limit, seed=seed, workers=workers,
               on_progress=progress_printer("solving"), on_capacity=print_capacity)
    for w in r.get("warnings", []):
        warn(w)
    if as_json:
        echo_json(r)
        return
    print_result(r)


def print_capacity(cap: dict) -> None:
    """Before the solve: can the people cover the demand at all?"""
    mark = "capacity" if cap["verdict"] == "enough" else "CAPACITY"
    click.echo(f"{mark}: {cap['demand_seats']} seats ({cap['demand_hours']:.0f} h) demanded, "
               f"{cap['available_person_days']} person-days available; {cap['reason']}", err=True)


def print_result(r: dict) -> None:
    sv = r["solver"]
    q = sv.get("quality") or r.get("quality")
    click.echo(f"Roster {r['roster_id']} v{r['version']} ({r['status']}): {sv['status']}, {sv['wall_s']} s, "
               f"seed {sv['seed']}, objective {sv['objective']}")
    if q:
        click.echo(f"Quality: {q['text']}")
        for t in q["terms"]:
            if t["term"] == "cover":
                best = "-" if t["min_empty_seats"] is None else t["min_empty_seats"]
                click.echo(f"  {t['name']:52s} {t['empty_seats']} empty seat(s), fewest possible {best}")
            elif t["penalty"]:
                click.echo(f"  {t['name']:52s} penalty {t['penalty']}")
    empty = sum(s["missing"] for s in r["shortfalls"])
    posts_empty = sum(s.get("severity") == "empty" for s in r["shortfalls"])
    click.echo(f"Hard violations: {len(r['hard_violations'])}.  Empty seats: {empty} in {len(r['shortfalls'])} "
               f"shift(s)" + (f", {posts_empty} with the post entirely EMPTY" if posts_empty else "") + ".")
    for v in r["hard_violations"][:20]:
        click.echo(f"  ! {v['message']}")
    for s in r["shortfalls"][:20]:
        click.echo(f"  - {s['explanation']}")
    summary = r["fairness"]["summary"]
    if summary:
        table("Fairness (this period, per person)", ["category", "people", "min", "mean", "max"],
              [[c, v.get("pool", v.get("officers")), v.get("min"), v.get("mean"), v.get("max", "")]
               for c, v in summary.items()])


@roster.command("list")
@json_option
@click.pass_context
def list_cmd(ctx, as_json):
    """List rosters with their newest version and status."""
    from usecases.roster import list_rosters
    with open_session(ctx) as s:
        rows = list_rosters(s)
    if as_json:
        echo_json(rows)
        return
    table("Rosters 排班表", ["id", "version", "status", "start", "days", "assignments", "created by", "created"],
          [[r["id"], r["version"], r["status"], r["start"], r["days"], r["assignments"], r["created_by"],
            r["created_at"]] for r in rows])


@roster.command("show")
@click.argument("roster_id", type=P.ROSTER_ID)
@click.option("--report", is_flag=True, help="Also check it: hard violations, shortfalls, fairness ledger.")
@json_option
@click.pass_context
def show_cmd(ctx, roster_id, report, as_json):
    """Show a roster version (ROSTER_ID, or ROSTER_IDvN for version N) as a grid or JSON."""
    from usecases.roster import RosterRef, show
    with open_session(ctx) as s:
        r = show(s, RosterRef.parse(roster_id), with_report=report)
    if as_json:
        echo_json(r)
        return
    click.echo(f"Roster {r['roster_id']} v{r['version']} ({r['status']}), {r['start']} for {r['days']} days, "
               f"{len(r['assignments'])} assignments")
    if r.get("audit_head"):
        click.echo(f"Approved with audit chain head {r['audit_head']}")
    if r.get("content_digest"):
        click.echo(f"Content digest {r['content_digest']}")
    print_grid(r)
    if report:
        print_result(r | {"solver": r.get("solver") or {"status": "-", "objective": "-", "bound": "-", "wall_s": "-",
                                                        "seed": "-"}})
        print_ledger(r["fairness"])


def print_ledger(fairness: dict) -> None:
    """The fairness ledger: each person's counts this year against the team average."""
    def cell(row, c):
        diff = row["vs_team"][c]
        return f"{row['year'][c]} ({diff:+g})" if diff else str(row["year"][c])
    table("Fairness ledger since 1 January (difference from the team average)",
          ["badge", "name", "team", "nights", "weekends", "holidays", "24 h", "hours", "target h", "community"],
          [[r["badge"], r["name"], r["team"], cell(r, "nights"), cell(r, "weekends"), cell(r, "holidays"),
            cell(r, "duty24"), r["hours"], r["target_hours"],
            "" if r.get("community_share") is None else f"{r['community_share']:.0%}"] for r in fairness["people"]])


def print_grid(r: dict) -> None:
    start = date.fromisoformat(r["start"])
    cells: dict[str, dict[str, str]] = {}
    names = {}
    for a in r["assignments"]:
        cells.setdefault(a["badge"], {})[a["date"]] = f"{a['shift']}/{a['post']}"
        names[a["badge"]] = a["name"]
    for w in range(0, r["days"], 7):
        days = [start + timedelta(days=d) for d in range(w, min(r["days"], w + 7))]
        cols = ["badge", "name"] + [f"{d:%m-%d} {'一二三四五六日'[d.weekday()]}" for d in days]
        rows = [[b, names[b]] + [cells[b].get(d.isoformat(), "") for d in days] for b in sorted(cells)]
        table(None, cols, rows)


@roster.command("diff")
@click.argument("a", type=P.ROSTER_ID)
@click.argument("b", type=P.ROSTER_ID)
@json_option
@click.pass_context
def diff_cmd(ctx, a, b, as_json):
    """What changed from roster version A to B (e.g. 3v1 3v2)."""
    from usecases.roster import RosterRef, diff
    with open_session(ctx) as s:
        r = diff(s, RosterRef.parse(a), RosterRef.parse(b))
    if as_json:
        echo_json(r)
        return
    print_changes(r["changes"])


def print_changes(changes: list[dict]) -> None:
    def fmt(x):
        if x is None:
            return "off"
        if isinstance(x, str):
            return x
        return f"{x['shift']}/{x['post']}"
    why = any("why" in c for c in changes)
    table(f"Changes ({len(changes)})", ["date", "badge", "name", "before", "after"] + (["why"] if why else []),
          [[c["date"], c["badge"], c["name"], fmt(c["before"]), fmt(c["after"])] + ([c.get("why", "")] if why else [])
           for c in changes])


@roster.command("repair")
@click.argument("roster_id", type=P.ROSTER_ID)
@click.option("--person", "badge", required=True, help="Badge of the person who drops out.")
@click.option("--from", "start", required=True, callback=_date, help="First day away.")
@click.option("--to", "end", required=True, callback=_date, help="Last day away.")
@click.option("--reason", type=P.NOTE, required=True, help="Why (recorded with the leave and the new version).")
@click.option("--kind", type=P.NOTE, help="Kind of leave recorded (病假, 年休假, 事假, 培训, ...); default: read from --reason "
                             "(病假 -> sick), else unavailable.")
@click.option("--time-limit", type=P.TIME_LIMIT, default=8, show_default=True,
              help="Solver limit (s); the whole repair stays within about 10 s.")
@click.option("--seed", type=P.SEED, default=0, show_default=True)
@json_option
@click.pass_context
def repair_cmd(ctx, roster_id, badge, start, end, reason, kind, time_limit, seed, as_json):
    """Someone drops out: a new draft version that changes only what the absence forces."""
    from usecases.roster import RosterRef, repair
    with open_session(ctx) as s:
        r = repair(s, RosterRef.parse(roster_id), badge, start, end, reason=reason, time_limit=time_limit,
                   seed=seed, on_progress=progress_printer("repairing"), kind=kind)
    if as_json:
        echo_json(r)
        return
    sv = r["solver"]
    click.echo(f"Roster {r['roster_id']} v{r['version']} (draft, from v{r['parent_version']}): "
               f"{len(r['changes'])} cells changed (fewest possible {sv['changes_minimum']}), "
               f"{sum(x['missing'] for x in r['shortfalls'])} empty seat(s), "
               f"{len(r['hard_violations'])} hard violations; leave recorded as {sv['leave_kind']}.")
    if sv.get("widened"):
        click.echo(f"Days around the absence changed too: {sv['widened']['why']}.")
    print_changes([c | {"before": c["before"] or None, "after": c["after"] or None} for c in r["changes"]])
    for sf in r["shortfalls"]:
        click.echo(f"  - {sf['explanation']}")


@roster.command("candidates")
@click.argument("roster_id", type=P.ROSTER_ID)
@click.option("--date", "day", required=True, callback=_date)
@click.option("--shift", required=True)
@click.option("--post", required=True)
@json_option
@click.pass_context
def candidates_cmd(ctx, roster_id, day, shift, post, as_json):
    """Who could fill one slot, ranked, and why each other person cannot."""
    from usecases.roster import RosterRef, candidates
    with open_session(ctx) as s:
        r = candidates(s, RosterRef.parse(roster_id), day, shift, post)
    if as_json:
        echo_json(r)
        return
    click.echo(f"{r['post']} {r['shift']} {r['date']}: demand {r['demand']}, on it now: {', '.join(r['on_slot']) or '-'}")
    table("Candidates", ["rank", "badge", "name", "type", "hours", "below target (h)"],
          [[c["rank"], c["badge"], c["name"], c["person_type"], c["hours"], c["below_target_h"]]
           for c in r["candidates"]])
    table("Cannot", ["badge", "name", "why"], [[c["badge"], c["name"], "; ".join(c["why"])] for c in r["unavailable"]])


def _transition(action: str, help_text: str):
    @roster.command(action, help=help_text)
    @click.argument("roster_id", type=P.ROSTER_ID)
    @click.option("--comment", type=P.NOTE, help="A comment kept with the version (required to reject).")
    @click.option("--reason", type=P.NOTE, help="Approve / publish: why the empty seats, soft-rule breaks, days without "
                                   "official holiday data or capacity shortage listed are acceptable (recorded).")
    @json_option
    @click.pass_context
    def cmd(ctx, roster_id, comment, reason, as_json):
        from usecases.approval import transition
        from usecases.roster import RosterRef
        with open_session(ctx) as s:
            r = transition(s, RosterRef.parse(roster_id), action, comment=comment, reason=reason)
        if as_json:
            echo_json(r)
            return
        click.echo(f"Roster {r['roster_id']} v{r['version']} is now {r['status']}.")
        signing = r.get("signing")
        if signing is not None:
            if signing["items"]:
                click.echo("Signed for (reason: " + (r.get("reason") or "") + "):")
                for item in signing["items"]:
                    click.echo(f"  - {item}")
            else:
                click.echo("Signed for: every seat filled, no soft-rule break, official holiday data for every day.")
        if r.get("content_digest"):
            click.echo(f"Content digest (what was signed): {r['content_digest']}")
        a = r["anchor"]
        click.echo(f"audit anchor {a['station']} #{a['seq']} {a['hash']} ({a['at']}): keep it outside this machine "
                   "(`dutydesk audit verify --anchors FILE`)")
        if r.get("changes_vs_published") is not None:
            print_changes(r["changes_vs_published"])
    return cmd


_transition("submit", "Submit a draft version for the chief's approval.")
_transition("approve", "Approve a submitted version (chief only); shows its changes against the published one.")
_transition("reject", "Send a submitted version back with --comment (chief only).")
_transition("publish", "Publish an approved version (chief only); it never changes afterwards.")


@roster.command("edit")
@click.argument("roster_id", type=P.ROSTER_ID)
@click.option("--date", "day", required=True, callback=_date)
@click.option("--person", "badge", required=True, help="Badge of the person to place.")
@click.option("--shift", help="Shift code (leave out with --off).")
@click.option("--post", help="Post code.")
@click.option("--off", is_flag=True, help="Take the person off duty that day.")
@click.option("--reason", type=P.NOTE, help="Required when a soft rule gets worse; recorded.")
@json_option
@click.pass_context
def edit_cmd(ctx, roster_id, day, badge, shift, post, off, reason, as_json):
    """Put a person on a post for one day (checked by the same rules as the solver)."""
    from usecases.approval import edit
    from usecases.roster import RosterRef
    if off == bool(shift):
        raise click.UsageError("give --shift S --post P, or --off")
    with open_session(ctx) as s:
        r = edit(s, RosterRef.parse(roster_id), day, badge=badge, shift=None if off else shift,
                 post=None if off else post, reason=reason)
    _changed(r, as_json)


def _changed(r: dict, as_json: bool) -> None:
    if as_json:
        echo_json(r)
        return
    click.echo(f"Roster {r['roster_id']} v{r['version']} (draft{', a new version' if r['new_version'] else ''}) changed.")
    for w in r["warnings"]:
        warn(f"{w} (accepted: {r['reason']})")


@roster.command("swap")
@click.argument("roster_id", type=P.ROSTER_ID)
@click.option("--date", "day", required=True, callback=_date)
@click.option("--a", "a", required=True, help="Badge of one person.")
@click.option("--b", "b", required=True, help="Badge of the other.")
@click.option("--reason", type=P.NOTE, help="Required when a soft rule gets worse; recorded.")
@json_option
@click.pass_context
def swap_cmd(ctx, roster_id, day, a, b, reason, as_json):
    """Exchange two people's assignments on one day."""
    from usecases.approval import swap
    from usecases.roster import RosterRef
    with open_session(ctx) as s:
        r = swap(s, RosterRef.parse(roster_id), day, a, b, reason=reason)
    _changed(r, as_json)
