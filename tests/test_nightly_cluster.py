"""The nightly job on a real Dask cluster: a `dask scheduler` and two `dask worker` processes on
127.0.0.1, the stations in a folder the workers cannot read.

How the test knows the workers never opened a station file:
- when the tests run as root (CI does), the workers run as the user ``nobody`` in their own
  temporary directory, and the stations live under pytest's tmp folder (mode 0700, root's):
  the operating system refuses them any access to it;
- in every case each worker preloads a guard (an audit hook, ``sys.addaudithook``) that refuses
  and records every ``sqlite3.connect`` and every ``open`` of a path in the stations folder;
- a control task proves both barriers are real: run on the workers, it fails to stat the
  folder and to connect to a station file;
- the job's results carry the pid of the worker that solved each station, and they are the
  worker processes' pids, not this one's.
"""
from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

# the workers may run another patch release of Python than the host (as on a real cluster)
pytestmark = pytest.mark.filterwarnings("ignore::distributed.versions.VersionMismatchWarning")

from tests.conftest import REPO, load_json  # noqa: E402
from tests.test_nightly import counts, make_station  # noqa: E402

BIN = Path(sys.executable).parent
START_TIMEOUT = 40

GUARD = r'''
"""Preloaded by the test's dask workers: refuse (and record) any sqlite3.connect and any open
of a path in the stations folder."""
import os
import sys

_LOG = os.environ["DUTYDESK_GUARD_LOG"]
_DENY = [os.path.realpath(p) for p in os.environ["DUTYDESK_GUARD_DENY"].split(os.pathsep) if p]
_busy = []


def _record(what):
    if _busy:
        return
    _busy.append(1)
    try:
        with open(_LOG, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {what}\n")
    finally:
        _busy.pop()


def _hook(event, args):
    if event == "sqlite3.connect":
        _record(f"sqlite3.connect {args[0]!r}")
        raise PermissionError(f"worker guard: sqlite3.connect({args[0]!r}) refused on a dask worker")
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.realpath(os.fsdecode(args[0]))
        if any(path == d or path.startswith(d + os.sep) for d in _DENY):
            _record(f"open {path}")
            raise PermissionError(f"worker guard: open({path!r}) refused on a dask worker")


sys.addaudithook(_hook)


def dask_setup(worker):
    worker.dutydesk_guard = True
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_nobody() -> list[str]:
    """Run as ``nobody`` when we are root (the OS then refuses the stations folder)."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        return []
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        return []
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


class Cluster:
    """A scheduler and worker processes on 127.0.0.1; always stopped by ``close()``."""

    def __init__(self, stations: Path, n_workers: int = 2):
        self.stations = stations
        self.procs: list[subprocess.Popen] = []
        self.workers: list[subprocess.Popen] = []
        self.home = Path(tempfile.mkdtemp(prefix="dutydesk-workers-"))
        self.guard_log = self.home / "guard.log"
        (self.home / "dutydesk_guard.py").write_text(GUARD, encoding="utf-8")
        self.guard_log.touch()
        self.as_nobody = _as_nobody()
        if self.as_nobody:
            for p in (self.home, self.guard_log):
                os.chown(p, pwd.getpwnam("nobody").pw_uid, -1)
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.n_workers = n_workers
        self.logs = []

    def _spawn(self, args: list[str], *, cwd: Path, env: dict, prefix: list[str] = ()) -> subprocess.Popen:
        log = open(self.home / f"proc{len(self.procs)}.log", "w+")
        self.logs.append(log)
        p = subprocess.Popen([*prefix, *args], cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                             start_new_session=True)
        self.procs.append(p)
        return p

    def start(self) -> "Cluster":
        env = dict(os.environ, DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="3")
        self._spawn([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(self.port),
                     "--no-dashboard", "--idle-timeout", "300"],   # an orphan (test process killed) goes away
                    cwd=self.home, env=env)
        for _ in range(self.n_workers):
            self.add_worker()
        from distributed import Client
        with Client(self.address, timeout=START_TIMEOUT) as c:
            c.wait_for_workers(self.n_workers, timeout=START_TIMEOUT)
        return self

    def add_worker(self) -> subprocess.Popen:
        wdir = Path(tempfile.mkdtemp(prefix="w", dir=self.home))
        if self.as_nobody:
            os.chown(wdir, pwd.getpwnam("nobody").pw_uid, -1)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(wdir), "LANG": "C.UTF-8",
               "PYTHONPATH": str(self.home),
               "DUTYDESK_GUARD_LOG": str(self.guard_log), "DUTYDESK_GUARD_DENY": str(self.stations),
               "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
        p = self._spawn([str(BIN / "dask"), "worker", self.address, "--host", "127.0.0.1", "--nthreads", "1",
                         "--no-nanny", "--no-dashboard", "--local-directory", str(wdir), "--memory-limit", "0",
                         "--preload", "dutydesk_guard", "--death-timeout", "60"],
                        cwd=wdir, env=env, prefix=self.as_nobody)
        self.workers.append(p)
        return p

    def guard_hits(self) -> list[str]:
        return [line for line in self.guard_log.read_text().splitlines() if line.strip()]

    def close(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for p in self.procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(timeout=15)
        for log in self.logs:
            log.close()
        shutil.rmtree(self.home, ignore_errors=True)


@pytest.fixture(scope="module")
def stations_dir(tmp_path_factory) -> Path:
    """A folder for station files that only this (host) process's user can enter."""
    d = tmp_path_factory.mktemp("host") / "stations"
    d.mkdir()
    os.chmod(d, 0o700)
    return d


@pytest.fixture(scope="module")
def cluster(stations_dir):
    c = Cluster(stations_dir)
    try:
        yield c.start()
    finally:
        c.close()


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """One demo station file (copied for each station; the file is closed, so the copy is whole)."""
    return make_station(tmp_path_factory.mktemp("template") / "station.db")


@pytest.fixture(scope="module")
def template_live(tmp_path_factory) -> Path:
    """A demo station with a published roster covering today (so the nightly plans tonight's
    patrols too)."""
    from usecases.context import AppContext
    from usecases.station import ensure_demo_roster
    db = make_station(tmp_path_factory.mktemp("template_live") / "station.db")
    r = ensure_demo_roster(AppContext(login="clerk", db_path=db, db_explicit=True), time_limit=2, days=5)
    assert "skipped" not in r
    return db


def fresh(template: Path, folder: Path, names: list[str]) -> list[Path]:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(mode=0o700)
    out = []
    for n in names:
        shutil.copy(template, folder / f"{n}.db")
        out.append(folder / f"{n}.db")
    return out


def assignments(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    rows = con.execute("SELECT a.date, a.badge, a.shift, a.post FROM assignments a ORDER BY 1, 2").fetchall()
    con.close()
    return rows


def test_workers_cannot_open_station_files(cluster, stations_dir, template):
    [db] = fresh(template, stations_dir / "probe", ["probe"])

    def _probe(path: str) -> dict:
        """Run on a worker: may this process see the stations folder, open a station file?"""
        import os
        import sqlite3
        out = {"uid": os.geteuid(), "cwd": os.getcwd(), "pid": os.getpid()}
        try:
            os.stat(path)
            out["stat"] = "ok"
        except OSError as exc:
            out["stat"] = type(exc).__name__
        try:
            sqlite3.connect(path).execute("SELECT count(*) FROM station").fetchone()
            out["sqlite"] = "ok"
        except Exception as exc:  # noqa: BLE001
            out["sqlite"] = type(exc).__name__
        return out

    from distributed import Client
    with Client(cluster.address, timeout=START_TIMEOUT) as c:
        probes = c.run(_probe, str(db))
    assert len(probes) == 2
    for p in probes.values():
        assert p["sqlite"] == "PermissionError"                     # the guard refuses any sqlite3.connect
        if cluster.as_nobody:
            assert p["uid"] != os.geteuid() and p["stat"] == "PermissionError"   # and the OS refuses the folder
    assert len(cluster.guard_hits()) == 2                           # each refusal was recorded
    cluster.guard_log.write_text("")


def test_nightly_over_the_cluster_host_writes(cli_run, cluster, stations_dir, template, template_live):
    folder = stations_dir / "run"
    dbs = fresh(template, folder, ["a", "b"])
    shutil.copy(template_live, folder / "live.db")
    dbs.append(folder / "live.db")
    (folder / "broken.db").write_bytes(b"this is not a database")
    before = {db: counts(db) for db in dbs}
    r = cli_run("nightly", "--stations", str(folder), "--cluster", cluster.address, "--time-limit", "2", "--json")
    assert r.exit_code == 5, r.output                               # one station failed, the others went on
    report = load_json(r)
    assert report["stations"] == 4 and report["ok"] == 3 and report["failed"] == 1
    bad = next(x for x in report["results"] if not x["ok"])
    assert bad["db"].endswith("broken.db")
    from distributed import Client
    with Client(cluster.address, timeout=START_TIMEOUT) as c:
        worker_pids = set(c.run(os.getpid).values())
    for x in report["results"]:
        if not x["ok"]:
            continue
        s = x["summary"]
        assert s["changed"] and s["roster"]["hard_violations"] == 0
        assert s["timing"]["worker"]["pid"] in worker_pids and s["timing"]["worker"]["pid"] != os.getpid()
    live = next(x["summary"] for x in report["results"] if x["db"].endswith("live.db"))
    assert live["patrol"] and live["patrol"]["teams"] > 0              # tonight's plan was solved on a worker too
    for db in dbs:
        after = counts(db)
        assert after["rosters"] == before[db]["rosters"] + 1
        plans = after["patrol_plans"] - before[db]["patrol_plans"]
        assert plans == (1 if db.name == "live.db" else 0)
        # roster.generate (+ patrol.plan) + nightly.run, in one transaction
        assert after["audit_log"] == before[db]["audit_log"] + 2 + plans
        con = sqlite3.connect(db)
        solver = json.loads(con.execute("SELECT solver FROM roster_versions ORDER BY id DESC LIMIT 1").fetchone()[0])
        con.close()
        assert solver["validated_on_host"] and solver["worker"]["pid"] in worker_pids
    assert cluster.guard_hits() == []                               # no worker tried to open a file
    # a rerun finds nothing to do and writes nothing
    again = load_json(cli_run("nightly", "--stations", str(folder), "--cluster", cluster.address,
                              "--time-limit", "2", "--json"))
    assert all(not x["summary"]["changed"] for x in again["results"] if x["ok"])
    assert {db: counts(db) for db in dbs} == {db: counts(db) for db in dbs} and all(
        counts(db)["rosters"] == before[db]["rosters"] + 1 for db in dbs)
    actions = [e["action"] for e in load_json(cli_run("audit", "show", "--json", path=dbs[0]))]
    assert actions.count("nightly.run") == 1


def test_same_result_as_a_local_run(cli_run, cluster, stations_dir, template):
    """With deterministic solver limits the cluster stores exactly what a local run stores."""
    [local] = fresh(template, stations_dir / "local", ["s"])
    [remote] = fresh(template, stations_dir / "remote", ["s"])
    r1 = cli_run("nightly", "--time-limit", "1", "--deterministic", "--json", path=local)
    assert r1.exit_code == 0, r1.output
    r2 = cli_run("nightly", "--stations", str(remote.parent), "--cluster", cluster.address, "--time-limit", "1",
                 "--deterministic", "--json")
    assert r2.exit_code == 0, r2.output
    assert load_json(r2)["results"][0]["summary"]["roster"]["objective"] == load_json(r1)["roster"]["objective"]
    assert assignments(remote) == assignments(local) and assignments(local)
    assert counts(remote) == counts(local)
    assert cluster.guard_hits() == []


def test_a_worker_on_other_code_refuses_and_nothing_is_written(cli_run, cluster, stations_dir, template,
                                                              monkeypatch):
    """The host sends its code digest with every job; workers on other code (here: the host
    pretends to run other code) solve nothing, and the host writes nothing."""
    import scheduler.remote
    [db] = fresh(template, stations_dir / "other_code", ["s"])
    before = counts(db)
    monkeypatch.setattr(scheduler.remote, "_digest", "0" * 64)
    r = cli_run("--lang", "zh", "nightly", "--stations", str(db.parent), "--cluster", cluster.address,
                "--time-limit", "1", "--json")
    assert r.exit_code == 5, r.output
    [bad] = load_json(r)["results"]
    assert not bad["ok"] and "该计算节点运行的 dutydesk 代码与主机不同（主机 000000000000" in bad["error"], bad
    assert counts(db) == before
    assert cluster.guard_hits() == []


def test_a_worker_lost_mid_solve_is_retried(stations_dir, template):
    """Kill one of the two workers while it solves: the scheduler gives its station to the other
    worker, and every station is written once."""
    from distributed import Client

    from usecases.nightly import run_many
    folder = stations_dir / "kill"
    dbs = fresh(template, folder, ["k1", "k2", "k3"])
    c = Cluster(stations_dir)
    try:
        c.start()
        results: list = []
        t = threading.Thread(target=lambda: results.extend(
            run_many([str(d) for d in dbs], "clerk", {"time_limit": 4, "workers": 1}, cluster=c.address)))
        t.start()
        victim = c.workers[0]
        seen = False
        with Client(c.address, timeout=START_TIMEOUT) as client:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:       # until the victim has a station to solve
                pids = client.run(os.getpid)
                if any(pids.get(a) == victim.pid and keys for a, keys in client.processing().items()):
                    seen = True
                    break
                time.sleep(0.2)
            time.sleep(0.5)
        os.killpg(victim.pid, signal.SIGKILL)
        t.join(timeout=120)
        assert not t.is_alive()
        assert victim.wait(timeout=10) == -signal.SIGKILL
    finally:
        c.close()
    assert seen, "the victim never got a station to solve"
    assert len(results) == 3 and all(r["ok"] for r in results), [r.get("trace") or r.get("error") for r in results]
    assert victim.pid not in {r["summary"]["timing"]["worker"]["pid"] for r in results}
    assert all(counts(d)["rosters"] == 1 for d in dbs)
