"""`dutydesk roster ...`: generate, list, show, diff, repair, candidates."""
from __future__ import annotations

import sys
import time
from datetime import date, timedelta

import click

from cli import params as P

from cli.common import echo_json, json_option, open_session, say, table, warn
from messages import MESSAGES, lang, phase, said, status as status_name, t, weekday_short


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
        text = t("solve.progress", label=label, s=f"{p.elapsed:5.1f}", obj=p.objective, bound=bound,
                 phase=phase(p.phase))
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
@click.option("--over-draft", type=click.Choice(["refuse", "use-as-history", "replace"]), default="refuse",
              show_default=True,
              help="When a draft or submitted roster shares days with this one: refuse (name it and the "
                   "choices, write nothing); use-as-history (keep it: its days before START are history, its "
                   "days after this period are checked at the seam, this roster wins on the common days once "
                   "both are approved); replace (mark it superseded, audited).")
@json_option
@click.pass_context
def generate(ctx, start, days, time_limit, seed, workers, over_draft, as_json):
    """Build a draft roster version for DAYS days from START (a chief approves it later).

    Approved, published and draft rosters right before and after the period are its
    neighbours: their last days are its history, their first days are checked at the seam
    (rest, 24 h duty rest, consecutive days, nights in a row) before anything is saved."""
    from usecases.roster import generate as uc
    with open_session(ctx) as s:
        r = uc(s, start, days, time_limit=time_limit, seed=seed, workers=workers,
               on_progress=progress_printer(t("solve.solving")), on_capacity=print_capacity, over_draft=over_draft)
    for w in r.get("warnings", []):
        warn(w)
    if as_json:
        echo_json(r)
        return
    print_result(r)


def print_capacity(cap: dict) -> None:
    """Before the solve: can the people cover the demand at all?"""
    click.echo(t("roster.capacity_ok" if cap["verdict"] == "enough" else "roster.capacity_short",
                 seats=cap["demand_seats"], hours=f"{cap['demand_hours']:.0f}", days=cap["available_person_days"],
                 reason=said(cap, "reason")), err=True)


def print_result(r: dict) -> None:
    sv = r["solver"]
    q = sv.get("quality") or r.get("quality")
    say("roster.result", id=r["roster_id"], v=r["version"], status=status_name(r["status"]),
        solver=t(f"solver.status.{sv['status']}") if f"solver.status.{sv['status']}" in MESSAGES else sv["status"],
        s=sv["wall_s"], seed=sv["seed"], obj=sv["objective"])
    if r.get("calendar_line"):
        say("roster.holidays_line", line=r["calendar_line"])
    if q:
        say("roster.quality", text=said(q, "text"))
        for term in q["terms"]:
            name = said(term, "name")
            if term["term"] == "cover":
                best = "-" if term["min_empty_seats"] is None else term["min_empty_seats"]
                click.echo(f"  {name:52s} " + t("roster.quality_cover", n=term["empty_seats"], best=best))
            elif term["penalty"]:
                click.echo(f"  {name:52s} " + t("roster.quality_penalty", n=term["penalty"]))
    empty = sum(s["missing"] for s in r["shortfalls"])
    posts_empty = sum(s.get("severity") == "empty" for s in r["shortfalls"])
    say("roster.summary_empty" if posts_empty else "roster.summary", hard=len(r["hard_violations"]), seats=empty,
        shifts=len(r["shortfalls"]), posts=posts_empty)
    for v in r["hard_violations"][:20]:
        click.echo(f"  ! {said(v, 'message')}")
    for s in r["shortfalls"][:20]:
        click.echo(f"  - {said(s, 'explanation')}")
    from cli.request import print_wishes
    print_wishes(r.get("requests") or [])
    summary = r["fairness"]["summary"]
    if summary:
        table(t("roster.fairness_title"), [t("roster.col.category"), t("roster.col.people"), t("roster.col.min"),
                                          t("roster.col.mean"), t("roster.col.max")],
              [[_category(c), v.get("pool", v.get("officers")), v.get("min"),
                v.get("mean"), v.get("max", "")] for c, v in summary.items()])


def _category(c: str) -> str:
    key = "fair.community" if c == "community_share" else f"fair.{c}"
    return t(key) if key in MESSAGES else c


@roster.command("list")
@json_option
@click.pass_context
def list_cmd(ctx, as_json):
    """List rosters with their newest version and status."""
    from usecases.roster import list_rosters
    from cli.common import local_time, zone_note
    with open_session(ctx) as s:
        rows = list_rosters(s)
        zone = s.zone()
    if as_json:
        echo_json(rows)
        return
    table(t("roster.list_title"), [t("cli.col.id"), t("roster.col.version"), t("col.status"), t("roster.col.start"),
                                   t("roster.col.days"), t("roster.col.assignments"), t("roster.col.created_by"),
                                   t("roster.col.created")],
          [[r["id"], r["version"], status_name(r["status"]), r["start"], r["days"], r["assignments"], r["created_by"],
            local_time(r["created_at"], zone, "YYYY-MM-DD HH:mm")] for r in rows], caption=zone_note(zone))


@roster.command("show")
@click.argument("roster_id", type=P.ROSTER_ID)
@click.option("--report", is_flag=True, help="Also check it: hard violations, shortfalls, fairness ledger.")
@json_option
@click.pass_context
def show_cmd(ctx, roster_id, report, as_json):
    """Show a roster version (ROSTER_ID, or ROSTER_IDvN for version N) as a grid or JSON."""
    from usecases.roster import RosterRef, show
    from usecases.station import cell_marks
    with open_session(ctx) as s:
        r = show(s, RosterRef.parse(roster_id), with_report=report)
        marks = cell_marks(s)
    if as_json:
        echo_json(r)
        return
    say("roster.shown", id=r["roster_id"], v=r["version"], status=status_name(r["status"]), start=r["start"],
        days=r["days"], n=len(r["assignments"]))
    if r.get("audit_head"):
        say("roster.audit_head", head=r["audit_head"])
    if r.get("content_digest"):
        say("roster.digest", digest=r["content_digest"])
    from usecases.calendar import unofficial_line
    line = unofficial_line(r.get("calendar"))
    if line:
        say("roster.holidays_line", line=line)
    print_grid(r, marks)
    if report:
        print_result(r | {"solver": r.get("solver") or {"status": "-", "objective": "-", "bound": "-", "wall_s": "-",
                                                        "seed": "-"}})
        print_ledger(r["fairness"], marks.get("teams"))


def print_ledger(fairness: dict, teams: dict | None = None) -> None:
    """The fairness ledger: each person's counts this year against the team average."""
    def cell(row, c):
        diff = row["vs_team"][c]
        return f"{row['year'][c]} ({diff:+g})" if diff else str(row["year"][c])
    table(t("roster.ledger_title"),
          [t("col.badge"), t("col.name"), t("col.team")] + [t(f"roster.col.{c}") for c in (
              "nights", "weekends", "holidays", "duty24", "hours", "target_h", "community")],
          [[r["badge"], r["name"], str((teams or {}).get(r["team"], r["team"] or "")), cell(r, "nights"), cell(r, "weekends"), cell(r, "holidays"),
            cell(r, "duty24"), r["hours"], r["target_hours"],
            "" if r.get("community_share") is None else f"{r['community_share']:.0%}"] for r in fairness["people"]])


def print_grid(r: dict, marks: dict | None = None) -> None:
    """The roster a week a block; a cell is shift/post, by the station's short labels in Chinese
    (夜/巡1) and by code in English (N/PAT1)."""
    start = date.fromisoformat(r["start"])
    zh = lang() == "zh" and marks is not None
    shift = (lambda c: marks["shifts"].get(c) or c) if zh else (lambda c: c)   # noqa: E731
    post = (lambda c: marks["posts"].get(c) or c) if zh else (lambda c: c)     # noqa: E731
    cells: dict[str, dict[str, str]] = {}
    names = {}
    for a in r["assignments"]:
        cells.setdefault(a["badge"], {})[a["date"]] = f"{shift(a['shift'])}/{post(a['post'])}"
        names[a["badge"]] = a["name"]
    for w in range(0, r["days"], 7):
        days = [start + timedelta(days=d) for d in range(w, min(r["days"], w + 7))]
        cols = [t("col.badge"), t("col.name")] + [f"{d:%m-%d} {weekday_short(d.weekday())}" for d in days]
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
            return t("roster.cell_off")
        if isinstance(x, str):
            return x
        return f"{x['shift']}/{x['post']}"
    why = any("why" in c for c in changes)
    table(t("roster.changes_title", n=len(changes)),
          [t("col.date"), t("col.badge"), t("col.name"), t("roster.col.before"), t("roster.col.after")]
          + ([t("cli.col.why")] if why else []),
          [[c["date"], c["badge"], c["name"], fmt(c["before"]), fmt(c["after"])]
           + ([said(c, "why") if "why" in c else ""] if why else []) for c in changes])


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
                   seed=seed, on_progress=progress_printer(t("solve.repairing")), kind=kind)
    if as_json:
        echo_json(r)
        return
    sv = r["solver"]
    from messages import leave_kind
    say("roster.repaired", id=r["roster_id"], v=r["version"], parent=r["parent_version"], n=len(r["changes"]),
        min=sv["changes_minimum"], seats=sum(x["missing"] for x in r["shortfalls"]), hard=len(r["hard_violations"]),
        kind=leave_kind(sv["leave_kind"]))
    if sv.get("widened"):
        say("roster.widened", why=said(sv["widened"], "why"))
    print_changes([c | {"before": c["before"] or None, "after": c["after"] or None} for c in r["changes"]])
    for sf in r["shortfalls"]:
        click.echo(f"  - {said(sf, 'explanation')}")


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
    from messages import Items, person_type
    say("roster.slot", post=r["post"], shift=r["shift"], date=r["date"], demand=r["demand"],
        on=str(Items(r["on_slot"])) or "-")
    table(t("roster.candidates_title"), [t("cli.col.rank"), t("col.badge"), t("col.name"), t("col.type"),
                                         t("roster.col.hours"), t("roster.col.below_target")],
          [[c["rank"], c["badge"], c["name"], person_type(c["person_type"]), c["hours"], c["below_target_h"]]
           for c in r["candidates"]])
    table(t("roster.cannot_title"), [t("col.badge"), t("col.name"), t("cli.col.why")],
          [[c["badge"], c["name"], t("list.clauses").join(said(c, "why"))] for c in r["unavailable"]])


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
        say("roster.now", id=r["roster_id"], v=r["version"], status=status_name(r["status"]))
        signing = r.get("signing")
        if signing is not None:
            if signing["items"]:
                say("roster.signed_for", reason=r.get("reason") or "")
                for item in signing["items"]:
                    click.echo(f"  - {item}")
            else:
                say("roster.signed_for_clean")
        if r.get("content_digest"):
            say("roster.signed_digest", digest=r["content_digest"])
        a = r["anchor"]
        say("roster.anchor", station=a["station"], seq=a["seq"], hash=a["hash"], at=a["at"])
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
        raise click.UsageError(t("roster.shift_or_off"))
    with open_session(ctx) as s:
        r = edit(s, RosterRef.parse(roster_id), day, badge=badge, shift=None if off else shift,
                 post=None if off else post, reason=reason)
    _changed(r, as_json)


def _changed(r: dict, as_json: bool) -> None:
    if as_json:
        echo_json(r)
        return
    say("roster.changed_new" if r["new_version"] else "roster.changed", id=r["roster_id"], v=r["version"])
    for w in r["warnings"]:
        warn(t("roster.accepted", warning=w, reason=r["reason"]))


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
