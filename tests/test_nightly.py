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


# -- host reads, workers solve, host validates and writes ---------------------------------------

def _prepare(db: Path, **options):
    from usecases.nightly import prepare_station
    return prepare_station(AppContext(login="clerk", db_path=db, db_explicit=True),
                           {"time_limit": 1, "workers": 1, **options})


def test_the_solve_input_and_output_pickle(tmp_path):
    import pickle

    from scheduler.remote import SolveJob, solve_job
    from usecases.nightly import abandon
    prep = _prepare(make_station(tmp_path / "s.db"))
    try:
        assert isinstance(prep.job, SolveJob) and prep.job.roster is not None
        back = pickle.loads(pickle.dumps(prep.job))
        assert back == prep.job and back.roster.people == prep.job.roster.people
        out = pickle.loads(pickle.dumps(solve_job(back)))
        assert out.error is None and out.roster.assignment
    finally:
        abandon(prep)


def test_the_worker_side_needs_no_database_code():
    """What a worker imports to solve (scheduler.remote and the solver it calls) pulls in no
    sqlite3 and no db/ or usecases/ module."""
    code = ("import sys, scheduler.remote as r, scheduler.station.build, scheduler.patrol.planner\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlite3', '_sqlite3', 'db', 'usecases',"
            " 'sqlite_utils'))\n"
            "print(bad)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_a_result_that_does_not_validate_on_the_host_is_refused(tmp_path):
    from dataclasses import replace

    from scheduler.remote import solve_job
    from usecases.nightly import WorkerFailed, finish_station, station_lock
    db = make_station(tmp_path / "s.db")
    before = counts(db)
    prep = _prepare(db)
    out = solve_job(prep.job)
    sp = prep.job.roster
    # a worker that claims a clean roster but put a civilian auxiliary alone in a patrol car
    aux = next(p.badge for p in sp.people if p.person_type == "civil_aux")
    bad = dict(out.roster.assignment)
    bad[(aux, 0)] = "D@PAT1" if any(k == "D@PAT1" for k in bad.values()) else next(v for v in bad.values() if v)
    out.roster = replace(out.roster, assignment=bad)
    with pytest.raises(WorkerFailed, match="refused on the host"):
        finish_station(prep, out)
    assert counts(db) == before
    with station_lock(db):          # and the lock was released
        pass


def test_work_done_meanwhile_is_not_done_twice(tmp_path):
    """A chief generates the same period at a terminal while the nightly solves: the nightly
    sees it inside its write transaction and stores nothing."""
    from scheduler.remote import solve_job
    from usecases.nightly import finish_station
    from usecases.roster import generate
    db = make_station(tmp_path / "s.db")
    prep = _prepare(db)
    out = solve_job(prep.job)
    ctx = AppContext(login="clerk", db_path=db, db_explicit=True)
    with ctx.open() as session:
        generate(session, prep.roster["start"], prep.roster["days"], time_limit=1, workers=1, today=prep.today)
    mid = counts(db)
    s = finish_station(prep, out)
    assert not s["changed"] and "meanwhile" in " ".join(s["notes"])
    assert counts(db) == mid


def test_morning_summary(cli_run, tmp_path):
    folder = tmp_path / "stations"
    folder.mkdir()
    make_station(folder / "a_new.db")                 # never run: nothing drafted, no approved roster
    done = make_station(folder / "b_done.db")
    assert cli_run("nightly", "--time-limit", "2", "--json", path=done).exit_code == 0
    (folder / "c_broken.db").write_bytes(b"this is not a database")
    before = counts(done)
    r = cli_run("nightly", "--stations", str(folder), "--summary", "--json")
    assert r.exit_code == 5, r.output                   # a station that cannot be read is a failure
    rep = load_json(r)
    order = [Path(s["db"]).name for s in rep["stations"]]
    assert order[0] == "c_broken.db" and rep["failed"] == 1
    by = {Path(s["db"]).name: s for s in rep["stations"]}
    new, ran = by["a_new.db"], by["b_done.db"]
    assert new["drafted_days_ahead"] == 0 and ran["drafted_days_ahead"] >= 28
    assert new["urgency"] == "critical" and "no approved roster for today" in new["problems"]
    assert any("did not extend" in p for p in new["problems"])
    assert not any("did not extend" in p for p in ran["problems"])
    assert ran["last_nightly_run"] and new["last_nightly_run"] is None
    assert counts(done) == before                       # read only
    text = cli_run("nightly", "--stations", str(folder), "--summary")
    assert "Morning summary: 3 stations" in text.stdout and "FAILED" in text.stdout


def test_a_station_whose_workers_kept_dying_is_reported_and_the_others_go_on(tmp_path, monkeypatch):
    """After the scheduler's retries Dask raises KilledWorker for that station's future: the
    station is reported (nothing written), the others are written, the run says partial."""
    distributed = pytest.importorskip("distributed")
    from usecases import nightly
    dbs = [make_station(tmp_path / f"s{i}.db") for i in range(3)]
    before = counts(dbs[1])
    real = nightly._Inline.result

    def flaky(self, fut):
        out = real(self, fut)
        if out.key.endswith("s1.db"):
            from types import SimpleNamespace

            from distributed.scheduler import KilledWorker
            raise KilledWorker("dutydesk-nightly-s1", SimpleNamespace(address="tcp://10.0.0.9:4242"), 3)
        return out
    monkeypatch.setattr(nightly._Inline, "result", flaky)
    results = run_many([str(d) for d in dbs], "clerk", {"time_limit": 1, "workers": 1})
    by = {Path(r["db"]).name: r for r in results}
    assert not by["s1.db"]["ok"] and "lost too often" in by["s1.db"]["error"]
    assert by["s0.db"]["ok"] and by["s2.db"]["ok"]
    assert counts(dbs[1]) == before
    with station_lock(dbs[1]):          # its lock was released
        pass
    assert distributed


def test_a_job_from_a_host_on_other_code_is_refused_on_the_worker():
    from scheduler.remote import SolveJob, code_digest, solve_job
    out = solve_job(SolveJob(key="x", code="f" * 64))
    assert out.error.key == "nightly.code_mismatch" and out.roster is None
    assert out.error.render("en").startswith("the worker runs other dutydesk code than the host (host ffffffffffff, "
                                             f"worker {code_digest()[:12]})")
    assert solve_job(SolveJob(key="x", code=code_digest())).error is None      # same code: nothing to solve, no error


def test_the_worker_bounds_the_objective_and_the_chief_reads_the_gap(tmp_path):
    """Issue 27: the worker spends a tenth of the limit on the relaxation's lower bound; the
    stored draft carries it, and `roster show --report` turns it into a gap."""
    from scheduler.remote import solve_job
    from usecases.nightly import finish_station
    from usecases.roster import RosterRef, show
    db = make_station(tmp_path / "s.db")
    prep = _prepare(db, time_limit=10)
    out = solve_job(prep.job)
    bound = out.objective_bound
    assert bound["value"] is not None and 0 < bound["value"] <= out.roster.objective
    assert finish_station(prep, out)["changed"]
    with AppContext(login="clerk", db_path=db, db_explicit=True).open() as session:
        shown = show(session, RosterRef(1), with_report=True)
    assert shown["quality"]["lower_bound"] >= bound["value"]
    assert shown["quality"]["gap"] is not None and "下界" in shown["quality"]["text_zh"]
