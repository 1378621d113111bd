"""The nightly job: keep the roster drafted ahead, build tonight's patrol plan, flag gaps and
expiring skills; for one station or many (a process pool, or a Dask cluster).

Safe from cron: a lock file keeps two runs of one station apart; everything is computed first
and written in ONE transaction at the end (a crash or kill leaves the database as it was, or
fully updated); a second run on the same night finds nothing to do and writes nothing.
"""
from __future__ import annotations

import fcntl
import json
import os
import time
import traceback
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Callable

import arrow

from db import rosters as rdb
from db import station as station_db
from errors import DatabaseBusy, DutydeskError, ExitCode
from usecases.context import AppContext, Session

SKILL_WARN_DAYS = 30
CHECK_DAYS = 7


@contextmanager
def station_lock(db_path: Path):
    """An exclusive, non-blocking lock next to the database for the length of one run."""
    lock_path = Path(f"{db_path}.nightly.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatabaseBusy(f"{db_path}: another nightly run holds {lock_path}; this one did nothing") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)


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
    end = session.sdb.scalar("SELECT max(date(start, '+' || (days - 1) || ' days')) FROM rosters")
    start = today + timedelta(days=1)
    if end is not None:
        start = max(start, date.fromisoformat(end) + timedelta(days=1))
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
            gaps.append({"date": day.isoformat(), "what": "no approved roster covers this day"})
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


def run_station(ctx: AppContext, *, today: date | None = None, time_limit: float = 60, workers: int | None = None,
                seed: int = 0, log: Callable[[dict], None] = lambda e: None) -> dict:
    """One station's nightly run. Returns the summary (``changed`` says whether anything was written)."""
    from usecases.patrol import prepare_plan, store_plan
    from usecases.roster import prepare_generate, store_generated
    t0 = time.monotonic()
    path = ctx.resolved_db_path
    with station_lock(path), ctx.open() as session:
        session.sdb.require_station()
        zone = session.sdb.scalar("SELECT zone FROM station")
        today = today or arrow.now(zone).date()
        name = session.sdb.scalar("SELECT name FROM station")
        summary = {"station": name, "db": str(path), "date": today.isoformat(), "roster": None, "patrol": None,
                   "notes": []}
        log({"event": "start", "station": name, "db": str(path)})
        ext = plan_roster_extension(session, today)
        prepared_roster = None
        if ext:
            start, days = ext
            log({"event": "roster.solve", "start": start.isoformat(), "days": days, "time_limit": time_limit})
            prepared_roster = prepare_generate(session, start, days, time_limit=time_limit, seed=seed, workers=workers,
                                               today=today)
        else:
            summary["notes"].append("roster already drafted far enough ahead")
        prepared_plan = None
        has_plan = session.sdb.scalar("SELECT count(*) FROM patrol_plans WHERE date = ?", (today.isoformat(),))
        if has_plan:
            summary["notes"].append(f"patrol plan for the night of {today} exists")
        elif not rdb.live_assignments(session.sdb, today, today):
            summary["notes"].append(f"no approved roster for {today}: no patrol plan")
        else:
            log({"event": "patrol.plan", "night": today.isoformat()})
            prepared_plan = prepare_plan(session, today, time_limit=min(30.0, time_limit))
        found = checks(session, today)
        changed = bool(prepared_roster or prepared_plan)
        if changed:
            with session.sdb.write():
                if prepared_roster:
                    r = store_generated(session, prepared_roster, note="nightly")
                    summary["roster"] = {"roster_id": r["roster_id"], "version": r["version"], "start": r["start"],
                                         "days": r["days"], "status": r["solver"]["status"],
                                         "objective": r["solver"]["objective"], "shortfalls": r["solver"]["shortfalls"],
                                         "hard_violations": r["solver"]["hard_violations"]}
                if prepared_plan:
                    pl = store_plan(session, prepared_plan)
                    summary["patrol"] = {"plan_id": pl["id"], "date": pl["date"], "seed": pl["seed"],
                                         "teams": len(pl["teams"]), "uncovered": len(pl["uncovered"]),
                                         "coverage": pl["metrics"]["risk_weighted_coverage"]}
                session.audit("nightly.run", entity="station", entity_id=today.isoformat(),
                              after={"roster": summary["roster"], "patrol": summary["patrol"],
                                     "gaps": len(found["gaps"]), "skills": len(found["skills"])})
        summary.update(found)
        summary["changed"] = changed
        summary["wall_s"] = round(time.monotonic() - t0, 2)
        if not changed:
            summary["notes"].append("nothing to do; nothing was written")
        log({"event": "done", "changed": changed, "wall_s": summary["wall_s"]})
        return summary


def worker(db_path: str, login: str, options: dict) -> dict:
    """Run one station in a worker process (a pool or a Dask worker): never raises."""
    ctx = AppContext(login=login, db_path=Path(db_path), db_explicit=True)
    try:
        today = date.fromisoformat(options["today"]) if options.get("today") else None
        s = run_station(ctx, today=today, time_limit=options.get("time_limit", 60), workers=options.get("workers", 1),
                        seed=options.get("seed", 0))
        return {"db": db_path, "ok": True, "exit_code": 0, "summary": s}
    except DutydeskError as exc:
        return {"db": db_path, "ok": False, "exit_code": exc.exit_code, "error": exc.message}
    except Exception as exc:  # a station must never take the others down
        return {"db": db_path, "ok": False, "exit_code": ExitCode.UNEXPECTED, "error": f"{type(exc).__name__}: {exc}",
                "trace": traceback.format_exc(limit=5)}


def station_paths(spec: str | Path) -> list[str]:
    """A folder of *.db files, or a text file with one database path per line (# comments)."""
    p = Path(spec)
    if p.is_dir():
        return sorted(str(x) for x in p.glob("*.db"))
    if not p.exists():
        from errors import InputError, InputProblem
        raise InputError(InputProblem(file=str(p), message="no such file or folder"))
    out = []
    for line in p.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            q = Path(line)
            out.append(str(q if q.is_absolute() else (p.parent / q)))
    return out


def run_many(paths: list[str], login: str, options: dict, *, parallel: int = 1, cluster: str | None = None,
             on_result: Callable[[dict], None] = lambda r: None) -> list[dict]:
    """Every station independently; results in the order they finish."""
    results = []
    if cluster:
        from dask.distributed import Client, as_completed
        with Client(cluster) as client:
            futures = client.map(worker, paths, [login] * len(paths), [options] * len(paths), pure=False)
            for fut in as_completed(futures):
                r = fut.result()
                results.append(r)
                on_result(r)
        return results
    if parallel <= 1:
        for path in paths:
            r = worker(path, login, options)
            results.append(r)
            on_result(r)
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed as done
    with ProcessPoolExecutor(max_workers=parallel, mp_context=multiprocessing.get_context("spawn")) as pool:
        futs = [pool.submit(worker, path, login, options) for path in paths]
        for f in done(futs):
            r = f.result()
            results.append(r)
            on_result(r)
    return results


def jsonl(event: dict) -> str:
    return json.dumps({"ts": arrow.utcnow().isoformat(timespec="seconds"), **event}, ensure_ascii=False, default=str)
