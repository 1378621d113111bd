"""`dutydesk nightly`: the unattended job (cron / systemd timer), and the morning summary."""
from __future__ import annotations

import sys

import click

from cli import params as P

from cli.common import context, echo_json, json_option
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
            raise click.UsageError("--summary needs --stations")
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
                raise click.UsageError("--cluster needs --stations")
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
                click.echo(f"{report['ok']} of {report['stations']} stations done, {report['failed']} failed.")
                for r in failed:
                    click.echo(f"  FAILED {r['db']}: {r['error']} (exit {r['exit_code']})")
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
    click.echo(f"Nightly {s['station']} {s['date']} ({s['wall_s']} s):")
    r = s["roster"]
    if r:
        click.echo(f"  new draft roster {r['roster_id']} v{r['version']}: {r['start']} for {r['days']} days, "
                   f"{r['status']}, shortfalls {r['shortfalls']}, hard violations {r['hard_violations']}")
    p = s["patrol"]
    if p:
        click.echo(f"  patrol plan #{p['plan_id']} for the night of {p['date']}: {p['teams']} teams, seed {p['seed']}, "
                   f"coverage {p['coverage']}, {p['uncovered']} visits not possible")
    for n in s["notes"]:
        click.echo(f"  {n}")
    click.echo(f"  next {len(set(g['date'] for g in s['gaps']))} day(s) with gaps; {len(s['skills'])} skill alerts")
    for g in s["gaps"][:10]:
        click.echo("    gap " + ", ".join(f"{k} {v}" for k, v in g.items()))
    for k in s["skills"][:10]:
        click.echo(f"    skill {k['name']} ({k['badge']}) {k['skill']} {k['severity']} {k['expires']}")


def print_morning(report: dict) -> None:
    """One block per station, most urgent first (plain lines: fits 80 columns, greps well)."""
    from pathlib import Path
    c = report["counts"]
    head = ", ".join(f"{c[k]} {k}" for k in ("failed", "critical", "high", "medium", "low", "ok") if c[k])
    click.echo(f"Morning summary: {len(report['stations'])} stations ({head}), most urgent first")
    for s in report["stations"]:
        file = Path(s["db"]).name
        if s["urgency"] == "failed":
            click.echo(f"FAILED    {file}: {s['error']}")
            continue
        util = s["capacity"].get("utilisation")
        click.echo(f"{s['urgency']:<9} {s['station']} ({file}): drafted {s['drafted_days_ahead']} d ahead, "
                   f"approved {s['approved_days_ahead']} d; short {s['posts_short']} in the next days; "
                   f"draft shortfalls {s['draft_shortfalls']}; capacity {'-' if util is None else f'{util:.0%}'}; "
                   f"skills {len(s['skills_expired_on_duty'])} expired on duty, {len(s['skills_expiring'])} expiring")
        for p in s["problems"]:
            click.echo(f"          - {p}")
