"""Shared pieces of the terminal app tests: a fixed station database, a fixed clock, waiting.

The database is the demo station (seed 0) with users and a published roster built by the
deterministic construction heuristic (no solver run, so it is the same on every machine) at
fixed dates; the app gets a fixed clock inside that roster. Snapshots therefore never depend on
today's date or on solver timing.
"""
from __future__ import annotations

import asyncio
import functools
import shutil
import sqlite3
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from usecases.context import AppContext

ZONE = ZoneInfo("Asia/Shanghai")
FIXED_NOW = datetime(2026, 12, 3, 21, 47, 5, tzinfo=ZONE)      # a Thursday night, inside the roster
ROSTER_START = date(2026, 11, 30)
ROSTER_DAYS = 14
USERS = (("zhao", "chief"), ("li", "duty"), ("wu", "viewer"))


def build_station(path: Path, start: date = ROSTER_START, days: int = ROSTER_DAYS, status: str = "published",
                  troubles: date | None = FIXED_NOW.date(), calls: bool = False) -> int:
    """The demo station with users and one roster (greedy construction) from ``start``.

    ``troubles``: on that day's night, what a duty officer must see: one auxiliary missing from
    the PAT2 night crew (a shortfall), a person on the CMD 24 h duty on sick leave, and a
    driving permit of the PAT1 night crew that expired after the roster was made.
    ``calls``: tonight's patrol plan and calls too (``add_night_calls``)."""
    from dataclasses import replace

    from db import rosters as rdb
    from db import station as station_db
    from scheduler.station.greedy import greedy_roster
    from scheduler.station.model import split_slot
    from usecases.roster import load_problem
    from usecases.station import init_demo
    from usecases.users import add_user
    ctx = AppContext(login="clerk", db_path=path, db_explicit=True)
    init_demo(ctx, seed=0)
    with ctx.open() as s:
        for login, role in USERS:
            add_user(s, login, roles=[role])
        sp, _ = load_problem(s, start, days)
        grid = greedy_roster(sp)
        rows = [{"date": sp.date(d).isoformat(), "badge": b, "shift": split_slot(code)[0], "post": split_slot(code)[1]}
                for (b, d), code in sorted(grid.items(), key=lambda kv: (kv[0][1], kv[0][0])) if code]
        people = {p.badge: p for p in station_db.load_people(s.sdb)}
        with s.sdb.write():
            if troubles is not None:
                day = troubles.isoformat()
                crew = [r for r in rows if r["date"] == day and (r["shift"], r["post"]) == ("N", "PAT2")]
                aux = next(r for r in crew if people[r["badge"]].person_type != "sworn")
                rows.remove(aux)
                cmd = next(r for r in rows if r["date"] == day and r["post"] == "CMD")
                rdb.add_leave(s.sdb, cmd["badge"], troubles, troubles, "sick", "test fixture")
                drivers = [r for r in rows if r["date"] == day and (r["shift"], r["post"]) == ("N", "PAT1")
                           and "driving" in people[r["badge"]].skills]
                p = people[drivers[0]["badge"]]
                station_db.save_people(s.sdb, [replace(p, skills=p.skills | {"driving": troubles - timedelta(days=2)})])
            rid = rdb.create_roster(s.sdb, start=start, days=days, login="zhao", note="test fixture")
            rdb.add_version(s.sdb, rid, status=status, login="zhao", assignments=rows)
    if calls:
        add_night_calls(path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return rid


PLAN_SEED = 7


def at(hhmm: str) -> datetime:
    """A time of the fixed night (after midnight: the next day)."""
    h, m = (int(x) for x in hhmm.split(":"))
    day = FIXED_NOW.date() + timedelta(days=1 if h < 12 else 0)
    return datetime(day.year, day.month, day.day, h, m, tzinfo=ZONE)


def add_night_calls(path: Path) -> None:
    """The fixed night's patrol plan (seed 7) with one check-in, and three calls before 21:47:05:
    #1 a theft at 汽车站 (PAT1+PAT2, cleared at 21:10) whose suspect is held for 继续盘问 since
    21:00; #2 a dispute at 夜市 (PAT2+STBY together, on scene since 21:41); #3 a noise complaint
    at 幸福小区 received at 21:25, still waiting (too long for P4)."""
    from usecases import dispatch, patrol
    ctx = AppContext(login="zhao", db_path=path, db_explicit=True)
    with ctx.open() as s:
        plan = patrol.plan(s, FIXED_NOW.date(), seed=PLAN_SEED)
        first = next(t for t in plan["teams"] if t["visits"])
        visit = first["visits"][0]
        patrol.checkin(s, FIXED_NOW.date(), first["team"], visit["hot_spot"],
                       at=datetime.fromisoformat(visit["arrive"]) + timedelta(minutes=2))
        theft = dispatch.new_incident(s, "theft", "汽车站", reporter="王先生", phone="13800000000",
                                      notes="手机被盗，嫌疑人已被群众控制", now=at("20:30"))["id"]
        dispatch.dispatch(s, theft, ["PAT1", "PAT2"], now=at("20:32"))
        for status, when in (("en_route", "20:33"), ("on_scene", "20:40"), ("cleared", "21:10")):
            dispatch.update(s, theft, status, now=at(when))
        dispatch.start_clock(s, theft, "继续盘问", 24, now=at("21:00"))
        dispute = dispatch.new_incident(s, "dispute", "夜市", now=at("21:35"))["id"]
        dispatch.dispatch(s, dispute, ["PAT2", "STBY"], now=at("21:36"))
        dispatch.update(s, dispute, "en_route", now=at("21:36"))
        dispatch.update(s, dispute, "on_scene", now=at("21:41"))
        dispatch.new_incident(s, "noise", "幸福小区", reporter="李女士", now=at("21:25"))
    con = sqlite3.connect(path)      # a fixed making time, for the snapshots
    with con:
        con.execute("UPDATE patrol_plans SET created_at = '2026-12-03T11:50:00Z'")
    con.close()


@pytest.fixture(scope="session")
def tui_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tui") / "station.db"
    build_station(path, calls=True)
    return path


@pytest.fixture(scope="session")
def clean_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tui-clean") / "station.db"
    build_station(path, troubles=None)
    return path


@pytest.fixture
def clean_station(clean_template, tmp_path) -> Path:
    """The fixed station whose roster breaks no rule (it can be approved again after a change)."""
    path = tmp_path / "clean.db"
    shutil.copy(clean_template, path)
    return path


@pytest.fixture
def station(tui_template, tmp_path) -> Path:
    """A private copy of the fixed station."""
    path = tmp_path / "station.db"
    shutil.copy(tui_template, path)
    return path


def make_app(path: Path, login: str = "zhao", lang: str = "zh", now: datetime = FIXED_NOW, clock=None, **kw):
    """The app on ``path`` at the fixed time ``now`` (or at ``clock()``, a clock the test moves)."""
    from tui.app import DutydeskApp
    ctx = AppContext(login=login, db_path=path, lang=lang, db_explicit=True)
    return DutydeskApp(ctx, clock=clock or (lambda: now), **kw)


def session(path: Path, login: str = "zhao"):
    """Another connection, as another terminal or process would have."""
    return AppContext(login=login, db_path=path, db_explicit=True).open()


async def wait_for(pilot, predicate, timeout: float = 5.0, step: float = 0.05) -> float:
    """Wait until ``predicate()`` holds (the app keeps running meanwhile); returns the seconds taken."""
    t0 = time.monotonic()
    while not predicate():
        if time.monotonic() - t0 > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {getattr(predicate, '__name__', predicate)}")
        await pilot.pause(step)
    return time.monotonic() - t0


async def settle(pilot) -> None:
    """Let workers finish and the screen catch up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await asyncio.sleep(0)


def async_test(fn):
    """Run an async test with asyncio (no pytest plugin for async tests is installed)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(fn(*args, **kwargs))
    return wrapper


def text_of(widget) -> str:
    """The plain text a Static shows (Rich Text or a Rich table)."""
    import io

    from rich.console import Console
    console = Console(width=max(40, widget.size.width or 160), file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]

