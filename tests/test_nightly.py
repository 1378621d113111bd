"""The nightly job: idempotent, locked, crash-safe, many stations (process pool and Dask)."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import arrow
import pytest

from tests.conftest import REPO, load_json
from usecases.context import AppContext, os_login
from usecases.nightly import run_many, station_lock
from usecases.station import init_demo

TODAY = arrow.now("Asia/Shanghai").date()


def counts(db: Path) -> dict:
    con = sqlite3.connect(db)
    out = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
           for t in ("rosters", "roster_versions", "assignments", "patrol_plans", "audit_log")}
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    return out


def make_station(path: Path, login: str = "clerk") -> Path:
    init_demo(AppContext(login=login, db_path=path, db_explicit=True))
    return path


def test_idempotent_and_summary(cli_run, db_path):
    make_station(db_path)
    r = cli_run("nightly", "--time-limit", "3", "--json")
    assert r.exit_code == 0, r.output
    first = load_json(r)
    assert first["changed"] and first["roster"]["start"] == (TODAY + timedelta(days=1)).isoformat()
    assert first["roster"]["hard_violations"] == 0
    assert "no approved roster" in " ".join(first["notes"])        # no patrol plan without an approved roster
    before = counts(db_path)
    again = load_json(cli_run("nightly", "--time-limit", "3", "--json"))
    assert not again["changed"] and "nothing to do" in " ".join(again["notes"])
    assert counts(db_path) == before
    actions = [e["action"] for e in load_json(cli_run("audit", "show", "--json"))]
    assert actions.count("nightly.run") == 1 and actions.count("roster.generate") == 1


def test_lock_keeps_two_runs_apart(cli_run, db_path):
    make_station(db_path)
    with station_lock(db_path):
        r = cli_run("nightly", "--time-limit", "3")
    assert r.exit_code == 75 and "another nightly run" in r.stderr
    assert counts(db_path)["rosters"] == 0


def test_killed_run_leaves_the_database_as_it_was(tmp_path):
    db = make_station(tmp_path / "station.db", login=os_login())
    before = counts(db)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.Popen([sys.executable, "-c", "from main import cli; cli()", "--db", str(db), "nightly",
                             "--time-limit", "30"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:          # wait until it is solving
        line = proc.stderr.readline()
        if "roster.solve" in line:
            break
    time.sleep(2)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert counts(db) == before
    # and the next run completes (the lock died with the process)
    ok = subprocess.run([sys.executable, "-c", "from main import cli; cli()", "--db", str(db), "nightly",
                         "--time-limit", "3", "--json"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["changed"]
    assert counts(db)["rosters"] == 1


def test_failing_station_among_good_ones(cli_run, tmp_path):
    folder = tmp_path / "stations"
    folder.mkdir()
    make_station(folder / "a.db")
    make_station(folder / "b.db")
    (folder / "broken.db").write_bytes(b"this is not a database")
    r = cli_run("nightly", "--stations", str(folder), "--parallel", "2", "--time-limit", "3", "--json")
    assert r.exit_code == 5
    report = load_json(r)
    assert report["stations"] == 3 and report["ok"] == 2 and report["failed"] == 1
    bad = next(x for x in report["results"] if not x["ok"])
    assert bad["db"].endswith("broken.db") and bad["error"]
    assert all(x["summary"]["roster"] for x in report["results"] if x["ok"])


def test_dask_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    paths = [str(make_station(tmp_path / f"s{i}.db")) for i in range(2)]
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as lc:
        results = run_many(paths, "clerk", {"time_limit": 3, "workers": 1}, cluster=lc.scheduler_address)
    assert sorted(r["db"] for r in results) == sorted(paths)
    assert all(r["ok"] and r["summary"]["changed"] for r in results)
