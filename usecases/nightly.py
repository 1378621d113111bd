"""The nightly job: keep the roster drafted ahead, build tonight's patrol plan, flag gaps and
expiring skills; for one station or many (a process pool, or a Dask cluster).

The host keeps the station files. For every station it reads the pure solve input (the
scheduler's problem dataclasses, a ``scheduler.remote.SolveJob``), has it solved (in process,
by a pool process, or by a Dask worker: all run ``scheduler.remote.solve_job``, which never
opens a file), validates what comes back with the rule modules' own validators, and writes the
station in ONE ``BEGIN IMMEDIATE`` transaction with its audit entry. Inside that transaction it
checks again that the work is still to do (another run or a terminal may have written
meanwhile), so a rerun, or two runs racing, change nothing twice.

Safe from cron: a lock file keeps two runs of one station apart; a crash or kill leaves the
database as it was, or fully updated; a second run on the same night writes nothing.
"""
from __future__ import annotations

import fcntl
import json
import os
import secrets
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

import arrow

from db import nightly as ndb
from db import rosters as rdb
from db import station as station_db
from errors import DatabaseBusy, DutydeskError, ExitCode, Infeasible, NoSolution
from usecases.calendar import calendar_record, unofficial_line
from messages import Msg, t
from usecases.context import AppContext, Session

SKILL_WARN_DAYS = 30
CHECK_DAYS = 7


class WorkerFailed(DutydeskError):
    """The solve did not come back usable (a worker error, a lost worker, a result that does not
    validate on the host). Nothing was written for that station."""

    exit_code = ExitCode.UNEXPECTED


# -- the per-station lock ---------------------------------------------------------------------

def acquire_lock(db_path: Path) -> int:
    """An exclusive, non-blocking lock next to the database; returns its descriptor."""
    lock_path = Path(f"{db_path}.nightly.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o660)   # like the station file: owner and group
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise DatabaseBusy(Msg("nightly.locked", path=str(db_path), lock=str(lock_path))) from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def release_lock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)


@contextmanager
def station_lock(db_path: Path):
    """The lock for the length of a ``with`` block."""
    fd = acquire_lock(db_path)
    try:
        yield
    finally:
        release_lock(fd)


def _param(sd, key):
    from stationdef.rules import RULE_SPECS
    for r in sd.rules:
        if r.key == key:
            return r.value
    return RULE_SPECS[key].default


def plan_roster_extension(session: Session, today: date) -> tuple[date, int] | None:
    """(start, days) of the next draft to keep the roster ``nightly_days_ahead`` days ahead, or None."""
    sd = station_db.load_station(session.sdb)
    ahead = int(_param(sd, "nightly_days_ahead"))
    minimum = int(_param(sd, "nightly_min_days"))
    end = ndb.roster_end(session.sdb)
    start = today + timedelta(days=1)
    if end is not None:
        start = max(start, end + timedelta(days=1))
    horizon_end = today + timedelta(days=ahead)
    days = (horizon_end - start).days + 1
    if days < minimum:
        return None
    return start, days


def checks(session: Session, today: date) -> dict:
    """Gaps in the next days (live rosters against demand) and skills that expire."""
    from usecases.calendar import day_kinds
    sd = station_db.load_station(session.sdb)
    people = {p.badge: p for p in station_db.load_people(session.sdb)}
    posts = {p.code: p for p in sd.posts}
    end = today + timedelta(days=CHECK_DAYS - 1)
    rows = rdb.live_assignments(session.sdb, today, end)
    kinds, warnings = day_kinds(session, today, CHECK_DAYS)
    demand = {}
    for d in sd.demand:
        demand.setdefault(d.day_kind, {})[(d.shift, d.post)] = d.count
    staffed = {}
    for r in rows:
        staffed[(r["date"], r["shift"], r["post"])] = staffed.get((r["date"], r["shift"], r["post"]), 0) + 1
    covered_days = {r["date"] for r in rows}
    gaps = []
    for i in range(CHECK_DAYS):
        day = today + timedelta(days=i)
        if day.isoformat() not in covered_days:
            gaps.append({"date": day.isoformat(), "what": t("nightly.gap.no_roster")})
            continue
        for (shift, post), n in demand.get(kinds[day], {}).items():
            got = staffed.get((day.isoformat(), shift, post), 0)
            if got < n:
                gaps.append({"date": day.isoformat(), "shift": shift, "post": post, "missing": n - got})
    skills = []
    for r in rows:
        p = people.get(r["badge"])
        day = date.fromisoformat(r["date"])
        for sk in posts[r["post"]].required_skills:
            exp = p.skills.get(sk) if p else None
            if exp is not None and exp < day:
                skills.append({"badge": p.badge, "name": p.name, "skill": sk, "expires": exp.isoformat(),
                               "date": r["date"], "post": r["post"], "severity": "expired on duty"})
    soon = today + timedelta(days=SKILL_WARN_DAYS)
    for p in people.values():
        for sk, exp in p.skills.items():
            if p.active and exp is not None and today <= exp <= soon:
                skills.append({"badge": p.badge, "name": p.name, "skill": sk, "expires": exp.isoformat(),
                               "severity": "expires soon"})
    return {"gaps": gaps, "skills": skills, "warnings": warnings}


# -- one station in three steps: read on the host, solve anywhere, validate and write on the host

@dataclass
class Prepared:
    """What the host read for one station, and the job to solve (None: nothing to solve)."""

    ctx: AppContext
    today: date
    summary: dict
    found: dict
    job: object | None = None                 # scheduler.remote.SolveJob
    roster: dict | None = None                # {"start", "days", "sp", "warnings"}
    patrol: dict | None = None                # {"problem", "info", "version_id", "teams"}
    options: dict = field(default_factory=dict)
    lock_fd: int | None = None
    t0: float = 0.0
    read_s: float = 0.0
    attempts: int = 0

    @property
    def path(self) -> Path:
        return self.ctx.resolved_db_path


def prepare_station(ctx: AppContext, options: dict, *, log: Callable[[dict], None] = lambda e: None,
                    lock: bool = True) -> Prepared:
    """Read one station: take its lock (kept until :func:`finish_station` or :func:`abandon`),
    decide what is due, and build the pure solve input. Writes nothing."""
    from scheduler.remote import SolveJob, code_digest
    from usecases import patrol as patrol_uc
    from usecases import roster as roster_uc
    t0 = time.monotonic()
    path = ctx.resolved_db_path
    fd = acquire_lock(path) if lock else None
    try:
        with ctx.open() as session:
            session.sdb.require_station()
            name, zone = ndb.station_name_zone(session.sdb)
            today = date.fromisoformat(options["today"]) if options.get("today") else arrow.now(zone).date()
            summary = {"station": name, "db": str(path), "date": today.isoformat(), "roster": None, "patrol": None,
                       "notes": []}
            log({"event": "start", "station": name, "db": str(path)})
            time_limit = float(options.get("time_limit", 60))
            prep = Prepared(ctx=ctx, today=today, summary=summary, found={}, options=dict(options), lock_fd=fd, t0=t0)
            ext = plan_roster_extension(session, today)
            sp = None
            if ext:
                start, days = ext
                session.require_action("generate")
                # the nightly extends its own drafts: the draft before is history, as a neighbour
                given = roster_uc.plan_input(session, start, days, today=today, over_draft="use-as-history")
                sp, warnings = given["sp"], given["warnings"]
                prep.roster = {"start": start, "days": days, "sp": sp, "warnings": warnings,
                               "given": roster_uc._neighbour_keys(given),
                               "calendar": calendar_record(session, start, days)}
                log({"event": "roster.solve", "start": start.isoformat(), "days": days, "time_limit": time_limit})
            else:
                summary["notes"].append(t("nightly.note.drafted_ahead"))
            problem = None
            if ndb.has_patrol_plan(session.sdb, today):
                summary["notes"].append(t("nightly.note.plan_exists", day=today.isoformat()))
            elif not rdb.live_assignments(session.sdb, today, today):
                summary["notes"].append(t("nightly.note.no_roster_no_plan", day=today.isoformat()))
            else:
                session.require_action("patrol_plan")
                problem, info = patrol_uc.build_problem(session, today, seed=secrets.randbelow(2**31))
                prep.patrol = {"problem": problem, "info": info, "teams": [t.code for t in problem.teams],
                               "version_id": ndb.roster_version_id(session.sdb, *info["roster"][-1])}
                log({"event": "patrol.plan", "night": today.isoformat()})
            prep.found = checks(session, today)
        if sp is not None or problem is not None:
            prep.job = SolveJob(key=str(path), roster=sp, patrol=problem, time_limit=time_limit,
                                patrol_time_limit=min(30.0, time_limit), seed=int(options.get("seed", 0)),
                                workers=options.get("workers"),
                                deterministic=bool(options.get("deterministic", False)), code=code_digest())
        prep.read_s = round(time.monotonic() - t0, 3)
        return prep
    except BaseException:
        release_lock(fd)
        raise


def abandon(prep: Prepared) -> None:
    """Give up on a prepared station (its solve failed): release the lock, write nothing."""
    release_lock(prep.lock_fd)
    prep.lock_fd = None


def _checked_roster(prep: Prepared, out) -> dict:
    """The worker's roster validated on the host, in the form ``store_generated`` takes."""
    from scheduler.engine import SolveOptions
    from scheduler.remote import UntrustedResult, check_roster, shortfalls
    from usecases import roster as roster_uc
    sp, job = prep.roster["sp"], prep.job
    if out.roster is None:
        raise WorkerFailed(Msg("nightly.no_roster_back", path=str(prep.path), worker=out.worker))
    try:
        result = check_roster(sp, out.roster)
    except UntrustedResult as exc:
        raise WorkerFailed(Msg("nightly.roster_refused", path=str(prep.path), worker=out.worker, detail=str(exc))) from None
    status = result.solution.status
    if status == "INFEASIBLE":
        raise Infeasible(roster_uc._explain_infeasible(result))
    if status == "UNKNOWN":
        raise NoSolution(Msg("roster.no_solution", s=f"{job.time_limit:g}"))
    options = SolveOptions(time_limit=job.time_limit, num_workers=job.workers, seed=job.seed,
                           deterministic=job.deterministic)
    # the hard rules checked here, the shortfalls counted; `roster show --report` explains them
    report = {"hard_violations": [v.to_json() for v in result.solution.violations if v.hard],
              "shortfalls": shortfalls(sp, result.solution.assignment), "fairness": None}
    stats = roster_uc._solver_stats(result, options) | {
        "shortfalls": sum(s["missing"] for s in report["shortfalls"]),
        "hard_violations": len(report["hard_violations"]), "validated_on_host": True, "worker": out.worker,
        "calendar": prep.roster.get("calendar"), "objective_bound": out.objective_bound}
    return {"start": prep.roster["start"], "days": prep.roster["days"], "rows": roster_uc._assignment_rows(result),
            "report": report, "stats": stats, "warnings": prep.roster["warnings"]} | prep.roster.get("given", {})


def _checked_plan(prep: Prepared, out) -> dict:
    """The worker's patrol plan checked on the host, in the form ``store_plan`` takes."""
    from scheduler.patrol.validate import metrics, validate_plan
    from usecases.patrol import plan_json
    if out.patrol is None:
        raise WorkerFailed(Msg("nightly.no_plan_back", path=str(prep.path), worker=out.worker))
    problem, plan = prep.patrol["problem"], out.patrol
    if plan.seed != problem.seed:
        raise WorkerFailed(Msg("nightly.wrong_seed", path=str(prep.path), worker=out.worker, seed=plan.seed,
                               given=problem.seed))
    data = plan_json(prep.today, problem, plan, prep.patrol["info"], metrics(problem, plan), validate_plan(problem, plan))
    return {"day": prep.today, "data": data, "version_id": prep.patrol["version_id"], "teams": prep.patrol["teams"]}


def finish_station(prep: Prepared, out=None, *, log: Callable[[dict], None] = lambda e: None) -> dict:
    """Validate the solve on the host and write the station in one transaction; release the
    lock. ``out`` is the job's ``SolveOutput`` (None when there was nothing to solve)."""
    from usecases.patrol import store_plan
    from usecases.roster import store_generated
    try:
        summary, today = prep.summary, prep.today
        t_check = time.monotonic()
        if out is not None and out.error:
            raise WorkerFailed(Msg("nightly.solve_failed", path=str(prep.path), worker=out.worker, detail=out.error))
        prepared_roster = _checked_roster(prep, out) if prep.roster else None
        prepared_plan = _checked_plan(prep, out) if prep.patrol else None
        validate_s = time.monotonic() - t_check
        t_write = time.monotonic()
        changed = False
        if prepared_roster or prepared_plan:
            with prep.ctx.open() as session, session.sdb.write():
                # the work may have been done meanwhile (another nightly, a chief at a terminal):
                # read again, inside the write transaction, what decided it
                if prepared_roster and plan_roster_extension(session, today) != (prepared_roster["start"],
                                                                                 prepared_roster["days"]):
                    summary["notes"].append(t("nightly.note.roster_stored_meanwhile"))
                    prepared_roster = None
                if prepared_plan and ndb.has_patrol_plan(session.sdb, today):
                    summary["notes"].append(t("nightly.note.plan_stored_meanwhile", day=today.isoformat()))
                    prepared_plan = None
                if prepared_plan and sorted({(r["roster_id"], r["version"]) for r in rdb.live_assignments(
                        session.sdb, today, today)}) != prep.patrol["info"]["roster"]:
                    summary["notes"].append(t("nightly.note.roster_changed"))
                    prepared_plan = None
                if prepared_roster:
                    r = store_generated(session, prepared_roster, note="nightly")
                    summary["roster"] = {"roster_id": r["roster_id"], "version": r["version"], "start": r["start"],
                                         "days": r["days"], "status": r["solver"]["status"],
                                         "objective": r["solver"]["objective"], "shortfalls": r["solver"]["shortfalls"],
                                         "hard_violations": r["solver"]["hard_violations"],
                                         "warnings": r["warnings"],
                                         "days_without_official_data":
                                             len((r["calendar"] or {}).get("days_without_official_data", []))}
                    line = unofficial_line(r["calendar"])
                    if line:
                        summary["notes"].append(line)
                if prepared_plan:
                    pl = store_plan(session, prepared_plan)
                    summary["patrol"] = {"plan_id": pl["id"], "date": pl["date"], "seed": pl["seed"],
                                         "teams": len(pl["teams"]), "uncovered": len(pl["uncovered"]),
                                         "coverage": pl["metrics"]["risk_weighted_coverage"]}
                changed = bool(prepared_roster or prepared_plan)
                if changed:
                    session.audit("nightly.run", entity="station", entity_id=today.isoformat(),
                                  after={"roster": summary["roster"], "patrol": summary["patrol"],
                                         "gaps": len(prep.found["gaps"]), "skills": len(prep.found["skills"]),
                                         "worker": out.worker if out else None})
                from db.audit import anchor
                summary["anchor"] = anchor(session.sdb)     # the chain head, for the log kept elsewhere
        summary.update(prep.found)
        summary["changed"] = changed
        summary["wall_s"] = round(time.monotonic() - prep.t0, 2)
        summary["timing"] = {"read_s": prep.read_s, "validate_s": round(validate_s, 3),
                             "write_s": round(time.monotonic() - t_write, 3),
                             "solve_wall_s": out.wall_s if out else 0.0, "solve_cpu_s": out.cpu_s if out else 0.0,
                             "worker_peak_rss_mb": out.peak_rss_mb if out else None,
                             "worker": out.worker if out else None}
        if not changed:
            summary["notes"].append(t("nightly.note.nothing"))
        log({"event": "done", "changed": changed, "wall_s": summary["wall_s"]})
        return summary
    finally:
        abandon(prep)


def run_station(ctx: AppContext, *, today: date | None = None, time_limit: float = 60, workers: int | None = None,
                seed: int = 0, deterministic: bool = False, log: Callable[[dict], None] = lambda e: None) -> dict:
    """One station's nightly run, solved in this process. Returns the summary (``changed`` says
    whether anything was written)."""
    from scheduler.remote import solve_job
    options = {"today": today.isoformat() if today else None, "time_limit": time_limit, "workers": workers,
               "seed": seed, "deterministic": deterministic}
    prep = prepare_station(ctx, options, log=log)
    try:
        out = solve_job(prep.job) if prep.job is not None else None
    except BaseException:
        abandon(prep)
        raise
    return finish_station(prep, out, log=log)


# -- many stations ----------------------------------------------------------------------------

def station_paths(spec: str | Path) -> list[str]:
    """A folder of *.db files, or a text file with one database path per line (# comments)."""
    p = Path(spec)
    if p.is_dir():
        return sorted(str(x) for x in p.glob("*.db"))
    if not p.exists():
        from errors import InputError, InputProblem
        raise InputError(InputProblem(file=str(p), message=Msg("file.missing")))
    out = []
    for line in p.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            q = Path(line)
            out.append(str(q if q.is_absolute() else (p.parent / q)))
    return out


class _Inline:
    """Solve in this process (one station at a time)."""

    slots = 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def submit(self, job):
        from concurrent.futures import Future

        from scheduler.remote import solve_job
        fut = Future()
        fut.set_result(solve_job(job))
        return fut

    def wait_any(self, futures):
        return [futures[0]]

    def result(self, fut):
        return fut.result()

    def retryable(self, exc) -> bool:
        return False


class _Pool(_Inline):
    """Pool processes on this host solve; the files stay with the parent process."""

    def __init__(self, parallel: int):
        self.slots = parallel
        self.pool = None

    def _new_pool(self):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        self.pool = ProcessPoolExecutor(max_workers=self.slots, mp_context=multiprocessing.get_context("spawn"))

    def __enter__(self):
        self._new_pool()
        return self

    def __exit__(self, *exc):
        self.pool.shutdown(wait=True, cancel_futures=True)

    def submit(self, job):
        from concurrent.futures.process import BrokenProcessPool

        from scheduler.remote import solve_job
        try:
            return self.pool.submit(solve_job, job)
        except BrokenProcessPool:          # a pool process died: start a fresh pool for the rest
            self.pool.shutdown(wait=False, cancel_futures=True)
            self._new_pool()
            return self.pool.submit(solve_job, job)

    def wait_any(self, futures):
        from concurrent.futures import FIRST_COMPLETED, wait
        return list(wait(futures, return_when=FIRST_COMPLETED).done)

    def retryable(self, exc) -> bool:
        from concurrent.futures.process import BrokenProcessPool
        return isinstance(exc, BrokenProcessPool)


WAIT_TIMEOUT_S = 6 * 3600      # nothing at all came back for this long: give up on the stations in flight


class _Dask(_Inline):
    """A Dask cluster solves: jobs (pure data) go out, solutions come back; the files stay here.
    A worker lost mid-solve is retried by the scheduler (``distributed.scheduler.allowed-failures``
    times) and then reported as ``KilledWorker`` for that station only."""

    def __init__(self, address, *, timeout: float = 30):
        self.address = address
        self.timeout = timeout
        self.client = None

    def __enter__(self):
        import queue

        from dask.distributed import Client
        self.client = Client(self.address, timeout=self.timeout, set_as_default=False)
        self.slots = max(1, sum(self.client.nthreads().values()))
        self.finished = queue.SimpleQueue()
        return self

    def __exit__(self, *exc):
        self.client.close()

    def submit(self, job):
        from scheduler.remote import solve_job
        key = f"dutydesk-nightly-{Path(job.key).stem}-{secrets.token_hex(4)}"
        fut = self.client.submit(solve_job, job, key=key, pure=False, retries=1)
        fut.add_done_callback(self.finished.put)
        return fut

    def wait_any(self, futures):
        # not distributed.wait(): that waits through the *default* client, which may be another
        first = self.finished.get(timeout=WAIT_TIMEOUT_S)
        done = [first]
        while not self.finished.empty():
            done.append(self.finished.get())
        return done

    def result(self, fut):
        try:
            return fut.result()
        finally:
            fut.release()


def _failure(path: str, exc: BaseException, station: str | None = None) -> dict:
    if isinstance(exc, DutydeskError):
        return {"db": path, "station": station, "ok": False, "exit_code": exc.exit_code, "error": exc.message}
    name = type(exc).__name__
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - an exception that cannot print itself still names the station
        text = repr(exc.args)
    message = f"{name}: {text}"
    if name == "KilledWorker":
        message = f"the Dask workers solving this station were lost too often ({text}); nothing was written"
    return {"db": path, "station": station, "ok": False, "exit_code": ExitCode.UNEXPECTED, "error": message,
            "trace": traceback.format_exc(limit=5)}


def run_many(paths: list[str], login: str, options: dict, *, parallel: int = 1, cluster=None,
             on_result: Callable[[dict], None] = lambda r: None, window: int | None = None) -> list[dict]:
    """Every station independently; results in the order they finish.

    This process reads and writes every station file; only pure solve jobs travel (to pool
    processes with ``parallel`` > 1, to the Dask cluster at ``cluster``, an address or a
    ``LocalCluster``). At most ``window`` stations (default: twice the solver slots) are in
    flight at once, so the locks held, the memory used and the age of what was read stay small.
    A failing station is reported and the others go on.
    """
    if cluster is not None:
        backend = _Dask(cluster)
    elif parallel > 1:
        backend = _Pool(parallel)
    else:
        backend = _Inline()
    results: list[dict] = []

    def emit(r: dict) -> None:
        results.append(r)
        on_result(r)

    with backend:
        window = window or 2 * backend.slots
        todo = list(reversed(paths))
        pending: dict = {}

        def fill() -> None:
            while todo and len(pending) < window:
                path = todo.pop()
                ctx = AppContext(login=login, db_path=Path(path), db_explicit=True)
                try:
                    prep = prepare_station(ctx, options)
                except Exception as exc:  # noqa: BLE001 - one station never stops the others
                    emit(_failure(path, exc))
                    continue
                if prep.job is None:
                    emit(_finish(prep, None))
                    continue
                try:
                    pending[backend.submit(prep.job)] = prep
                except Exception as exc:  # noqa: BLE001
                    abandon(prep)
                    emit(_failure(path, exc, prep.summary["station"]))

        fill()
        while pending:
            try:
                done = backend.wait_any(list(pending))
            except Exception as exc:  # noqa: BLE001 - e.g. the connection to the scheduler was lost
                for prep in pending.values():
                    abandon(prep)
                    emit(_failure(str(prep.path), exc, prep.summary["station"]))
                pending.clear()
                fill()
                continue
            for fut in done:
                prep = pending.pop(fut)
                try:
                    out = backend.result(fut)
                except Exception as exc:  # noqa: BLE001 - a lost worker, a broken pool, ...
                    if backend.retryable(exc) and prep.attempts < 1:
                        prep.attempts += 1
                        try:
                            pending[backend.submit(prep.job)] = prep
                            continue
                        except Exception as exc2:  # noqa: BLE001
                            exc = exc2
                    abandon(prep)
                    emit(_failure(str(prep.path), exc, prep.summary["station"]))
                    continue
                emit(_finish(prep, out))
            fill()
    return results


def _finish(prep: Prepared, out) -> dict:
    try:
        s = finish_station(prep, out)
        return {"db": str(prep.path), "station": s["station"], "ok": True, "exit_code": 0, "summary": s}
    except Exception as exc:  # noqa: BLE001
        return _failure(str(prep.path), exc, prep.summary["station"])


def jsonl(event: dict) -> str:
    return json.dumps({"ts": arrow.utcnow().isoformat(timespec="seconds"), **event}, ensure_ascii=False, default=str)


# -- the morning summary for the 分局 duty office ----------------------------------------------

URGENCY = ("failed", "critical", "high", "medium", "low", "ok")
CAPACITY_TIGHT = 0.9


def station_state(ctx: AppContext, *, today: date | None = None) -> dict:
    """One station as the morning summary shows it (reads only; no lock, no solver)."""
    from usecases.station import station_summary
    with ctx.open() as session:
        session.sdb.require_station()
        name, zone = ndb.station_name_zone(session.sdb)
        today = today or arrow.now(zone).date()
        sd = station_db.load_station(session.sdb)
        ahead, minimum = int(_param(sd, "nightly_days_ahead")), int(_param(sd, "nightly_min_days"))
        drafted = ndb.roster_end(session.sdb)
        approved = ndb.roster_end(session.sdb, ("approved", "published"))
        drafts = [r for r in ndb.newest_drafts(session.sdb, today) if r["status"] in ("draft", "submitted")]
        found = checks(session, today)
        capacity = station_summary(session, today=today)["capacity"]
        last = ndb.last_audit(session.sdb, "nightly.run")
    days_ahead = max(0, (drafted - today).days) if drafted else 0
    approved_ahead = max(0, (approved - today).days) if approved else 0
    no_roster = [g["date"] for g in found["gaps"] if "shift" not in g]
    short_posts = [g for g in found["gaps"] if "shift" in g]
    expired = [k for k in found["skills"] if k["severity"] == "expired on duty"]
    soon = [k for k in found["skills"] if k["severity"] == "expires soon"]
    shortfalls = sum(int(r["solver"].get("shortfalls") or 0) for r in drafts)
    hard = sum(int(r["solver"].get("hard_violations") or 0) for r in drafts)
    util = capacity.get("utilisation")
    problems: list[tuple[str, str]] = []
    if today.isoformat() in no_roster:
        problems.append(("critical", t("nightly.problem.no_roster_today")))
    if expired:
        problems.append(("critical", t("nightly.problem.expired_on_duty", n=len(expired))))
    if no_roster and today.isoformat() not in no_roster:
        problems.append(("high", t("nightly.problem.days_without_roster", n=len(no_roster), days=CHECK_DAYS)))
    if short_posts:
        problems.append(("high", t("nightly.problem.people_short", n=sum(g["missing"] for g in short_posts),
                                   days=CHECK_DAYS)))
    if days_ahead < ahead - minimum:
        problems.append(("high", t("nightly.problem.not_extended", ahead=days_ahead, target=ahead)))
    if hard:
        problems.append(("high", t("nightly.problem.hard", n=hard)))
    if shortfalls:
        problems.append(("medium", t("nightly.problem.shortfalls", n=shortfalls)))
    if util is not None and util >= 1.0:
        problems.append(("medium", t("nightly.problem.over_capacity", util=f"{util:.0%}")))
    elif util is not None and util >= CAPACITY_TIGHT:
        problems.append(("low", t("nightly.problem.tight", util=f"{util:.0%}")))
    if soon:
        problems.append(("low", t("nightly.problem.skills_expiring", n=len(soon), days=SKILL_WARN_DAYS)))
    unofficial = sorted({d for r in drafts for d in ((r["solver"].get("calendar") or {})
                                                     .get("days_without_official_data") or [])})
    if unofficial:
        problems.append(("low", t("cal.morning", n=len(unofficial), first=unofficial[0], last=unofficial[-1])))
    level = min((lvl for lvl, _ in problems), key=URGENCY.index, default="ok")
    return {"db": str(ctx.resolved_db_path), "station": name, "date": today.isoformat(), "urgency": level,
            "drafted_until": drafted.isoformat() if drafted else None, "drafted_days_ahead": days_ahead,
            "approved_until": approved.isoformat() if approved else None, "approved_days_ahead": approved_ahead,
            "days_ahead_target": ahead, "days_without_approved_roster": no_roster,
            "posts_short": sum(g["missing"] for g in short_posts), "draft_shortfalls": shortfalls,
            "draft_hard_violations": hard, "capacity": capacity, "skills_expired_on_duty": expired,
            "skills_expiring": soon, "last_nightly_run": last, "problems": [p for _, p in problems],
            "problem_levels": [lvl for lvl, _ in problems], "error": None}


def morning_summary(paths: list[str], login: str, *, today: date | None = None) -> dict:
    """Every station's state, most urgent first: failures (a file that cannot be read), then
    critical, high, medium, low, ok; within a level the station with more problems first."""
    stations = []
    for path in paths:
        ctx = AppContext(login=login, db_path=Path(path), db_explicit=True)
        try:
            stations.append(station_state(ctx, today=today))
        except Exception as exc:  # noqa: BLE001 - one bad file never hides the others
            f = _failure(path, exc)
            stations.append({"db": path, "station": None, "urgency": "failed", "error": f["error"],
                             "exit_code": f["exit_code"], "problems": [f["error"]], "problem_levels": ["failed"]})

    def rank(s):
        return (URGENCY.index(s["urgency"]), -len(s["problems"]), -s.get("posts_short", 0),
                -s.get("draft_shortfalls", 0), s.get("drafted_days_ahead", 0), s["db"])
    stations.sort(key=rank)
    counts = {lvl: sum(s["urgency"] == lvl for s in stations) for lvl in URGENCY}
    return {"date": today.isoformat() if today else None, "stations": stations, "counts": counts,
            "failed": counts["failed"]}
