"""`dutydesk nightly`: the unattended job (cron / systemd timer), and the morning summary."""
from __future__ import annotations

import sys

import click

from cli import params as P

from cli.common import context, echo_json, json_option, say
from messages import Items, t
from errors import ExitCode


@click.command()
@click.option("--stations", "stations", type=click.Path(), help="Run many stations: a folder of *.db files or a "
                                                                 "file listing database paths.")
@click.option("--parallel", type=P.PARALLEL, default=1, show_default=True,
              help="Stations solved at once by pool processes on this host.")
@click.option("--cluster", help="Dask scheduler address, e.g. tcp://scheduler:8786: its workers solve, this host "
                                "reads and writes the files (pip install 'dutydesk[cluster]').")
@click.option("--window", type=int, help="Stations in flight at once (default: twice the solver slots).")
@click.option("--summary", is_flag=True, help="Only report every station's state, most urgent first "
                                              "(reads the files; solves and writes nothing).")
@click.option("--time-limit", type=P.TIME_LIMIT, default=60, show_default=True, help="Solver limit per roster (s).")
@click.option("--log", "log_file", type=click.Path(dir_okay=False), help="Append JSON-lines logs to this file.")
@click.option("--today", type=P.DATE, hidden=True, help="Pretend today is this date (testing).")
@click.option("--deterministic", is_flag=True, hidden=True,
              help="CP-SAT deterministic time limits (reproducible results; testing).")
@json_option
@click.pass_context
def nightly(ctx, stations, parallel, cluster, window, summary, time_limit, log_file, today, deterministic, as_json):
    """Keep the roster drafted ahead, plan tonight's patrols, flag gaps and expiring skills.

    Exit codes: 0 done (or nothing to do), 3 infeasible, 4 no roster within the time limit,
    5 some stations failed, 75 another run holds the lock, 77 not authorised.
    """
    from datetime import date

    from usecases.nightly import jsonl, morning_summary, run_many, run_station, station_paths
    app = context(ctx)
    tty = sys.stderr.isatty()
    if summary:
        if not stations:
            raise click.UsageError(t("cli.nightly.summary_needs"))
        report = morning_summary(station_paths(stations), app.login,
                                 today=date.fromisoformat(today) if today else None)
        if as_json:
            echo_json(report)
        else:
            print_morning(report)
        ctx.exit(ExitCode.PARTIAL if report["failed"] else ExitCode.OK)
    log_fh = open(log_file, "a", encoding="utf-8") if log_file else None

    def log(event: dict) -> None:
        line = jsonl(event)
        if log_fh:
            log_fh.write(line + "\n")
            log_fh.flush()
        if tty:
            click.echo("  " + " ".join(f"{k}={v}" for k, v in event.items()), err=True)
        elif not log_fh:
            click.echo(line, err=True)
    try:
        if stations or cluster:
            if not stations:
                raise click.UsageError(t("cli.nightly.cluster_needs"))
            paths = station_paths(stations)
            options = {"time_limit": time_limit, "workers": 1, "today": today.isoformat() if today else None, "deterministic": deterministic}
            log({"event": "many.start", "stations": len(paths), "parallel": parallel, "cluster": cluster})

            def done(r):
                log({"event": "station.done", "db": r["db"], "ok": r["ok"], "exit_code": r["exit_code"],
                     "error": r.get("error"), "changed": r.get("summary", {}).get("changed")})
            results = run_many(paths, app.login, options, parallel=parallel, cluster=cluster, on_result=done,
                               window=window)
            failed = [r for r in results if not r["ok"]]
            report = {"stations": len(results), "ok": len(results) - len(failed), "failed": len(failed),
                      "results": sorted(results, key=lambda r: r["db"])}
            if as_json:
                echo_json(report)
            else:
                say("cli.nightly.many_done", ok=report["ok"], n=report["stations"], failed=report["failed"])
                for r in failed:
                    say("cli.nightly.failed", db=r["db"], error=r["error"], code=r["exit_code"])
            ctx.exit(ExitCode.PARTIAL if failed else ExitCode.OK)
        summary_ = run_station(app, today=today, time_limit=time_limit,
                               deterministic=deterministic, log=log)
    finally:
        if log_fh:
            log_fh.close()
    if as_json:
        echo_json(summary_)
        return
    print_summary(summary_)


def print_summary(s: dict) -> None:
    say("cli.nightly.head", station=s["station"], date=s["date"], s=s["wall_s"])
    r = s["roster"]
    if r:
        say("cli.nightly.roster", id=r["roster_id"], v=r["version"], start=r["start"], days=r["days"],
            status=r["status"], short=r["shortfalls"], hard=r["hard_violations"])
    p = s["patrol"]
    if p:
        say("cli.nightly.patrol", id=p["plan_id"], date=p["date"], teams=p["teams"], seed=p["seed"],
            coverage=p["coverage"], n=p["uncovered"])
    for n in s["notes"]:
        click.echo(f"  {n}")
    say("cli.nightly.gaps", days=len(set(g["date"] for g in s["gaps"])), skills=len(s["skills"]))
    for g in s["gaps"][:10]:
        say("cli.nightly.gap", gap=_gap(g))
    for k in s["skills"][:10]:
        say("cli.nightly.skill", name=k["name"], badge=k["badge"], skill=k["skill"], severity=_severity(k["severity"]),
            expires=k["expires"])


def _gap(g: dict) -> str:
    """A gap the nightly checks found: a day without an approved roster, or a post short of people."""
    if "shift" in g:
        return t("nightly.gap.post", date=g["date"], shift=g["shift"], post=g["post"], missing=g["missing"])
    if "what" in g:
        return t("nightly.gap.day", date=g["date"], what=g["what"])
    return str(Items(f"{k} {v}" for k, v in g.items()))


_SEVERITY = {"expired on duty": "nightly.severity.expired", "expires soon": "nightly.severity.soon"}


def _severity(code: str) -> str:
    return t(_SEVERITY[code]) if code in _SEVERITY else code


def _urgency(level: str) -> str:
    return t(f"nightly.urgency.{level}")


def _pad(text: str, columns: int) -> str:
    """Padded to `columns` terminal columns (a Chinese character takes two)."""
    from stationdef.labels import width
    return text + " " * max(0, columns - width(text))


def print_morning(report: dict) -> None:
    """One block per station, most urgent first (plain lines: fits 80 columns, greps well)."""
    from pathlib import Path
    c = report["counts"]
    head = Items(t("nightly.urgency.count", n=c[k], level=_urgency(k))
                 for k in ("failed", "critical", "high", "medium", "low", "ok") if c[k])
    say("cli.nightly.morning", n=len(report["stations"]), head=head)
    for s in report["stations"]:
        file = Path(s["db"]).name
        if s["urgency"] == "failed":
            say("cli.nightly.morning_failed", file=file, error=s["error"])
            continue
        util = s["capacity"].get("utilisation")
        say("cli.nightly.morning_station", urgency=_pad(_urgency(s["urgency"]), 9), station=s["station"], file=file,
            drafted=s["drafted_days_ahead"], approved=s["approved_days_ahead"], short=s["posts_short"],
            draft=s["draft_shortfalls"], cap="-" if util is None else f"{util:.0%}",
            expired=len(s["skills_expired_on_duty"]), expiring=len(s["skills_expiring"]))
        for p in s["problems"]:
            click.echo(f"          - {p}")
