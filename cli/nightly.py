"""`dutydesk nightly`: the unattended job (cron / systemd timer)."""
from __future__ import annotations

import sys

import click

from cli import params as P

from cli.common import context, echo_json, json_option
from errors import ExitCode


@click.command()
@click.option("--stations", "stations", type=click.Path(), help="Run many stations: a folder of *.db files or a "
                                                                 "file listing database paths.")
@click.option("--parallel", type=P.PARALLEL, default=1, show_default=True, help="Stations solved at once (processes).")
@click.option("--cluster", help="Dask scheduler address (pip install 'dutydesk[cluster]').")
@click.option("--time-limit", type=P.TIME_LIMIT, default=60, show_default=True, help="Solver limit per roster (s).")
@click.option("--log", "log_file", type=click.Path(dir_okay=False), help="Append JSON-lines logs to this file.")
@click.option("--today", type=P.DATE, hidden=True, help="Pretend today is this date (testing).")
@json_option
@click.pass_context
def nightly(ctx, stations, parallel, cluster, time_limit, log_file, today, as_json):
    """Keep the roster drafted ahead, plan tonight's patrols, flag gaps and expiring skills.

    Exit codes: 0 done (or nothing to do), 3 infeasible, 4 no roster within the time limit,
    5 some stations failed, 75 another run holds the lock, 77 not authorised.
    """
    from usecases.nightly import jsonl, run_many, run_station, station_paths
    app = context(ctx)
    tty = sys.stderr.isatty()
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
            options = {"time_limit": time_limit, "workers": 1, "today": today.isoformat() if today else None}
            log({"event": "many.start", "stations": len(paths), "parallel": parallel, "cluster": cluster})

            def done(r):
                log({"event": "station.done", "db": r["db"], "ok": r["ok"], "exit_code": r["exit_code"],
                     "error": r.get("error"), "changed": r.get("summary", {}).get("changed")})
            results = run_many(paths, app.login, options, parallel=parallel, cluster=cluster, on_result=done)
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
        from datetime import date
        summary = run_station(app, today=today, time_limit=time_limit, log=log)
    finally:
        if log_fh:
            log_fh.close()
    if as_json:
        echo_json(summary)
        return
    print_summary(summary)


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
