"""Station use cases: create a station database, show what it holds, list people."""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from datetime import date
from pathlib import Path

from db import station as station_db
from db.users import save_user
from errors import InputError, Refused
from scheduler.rules.catalogue import listing
from messages import Msg
from stationdef.model import DAY_KINDS, PERSON_TYPES, Person, StationDef
from stationdef.rules import RULE_SPECS
from usecases.calendar import load_package_calendar
from usecases.context import AppContext, Session


def load_definition(station_file: str | Path, people_file: str | Path,
                    notes: list[str] | None = None) -> tuple[StationDef, list[Person]]:
    """Validate a station file and a people list together; every problem of both is reported.
    How the people list was read (title row, ignored columns, years of service) goes to `notes`."""
    from stationdef.people_file import load_people_file, people_columns, read_table
    from stationdef.toml_file import load_station_file
    try:
        sd = load_station_file(station_file)
    except InputError as station_err:
        # The people rows cannot be checked without teams and skills, but the file and its header can.
        problems = list(station_err.problems)
        try:
            people_columns(read_table(people_file))
        except InputError as people_err:
            problems += people_err.problems
        raise InputError(problems) from None
    return sd, load_people_file(people_file, sd, notes)


def init_station(ctx: AppContext, sd: StationDef, people: list[Person], *, source: str) -> dict:
    """Write a validated station and people into a new (or empty) database. The caller becomes admin.

    A database file this call created is removed again if anything fails: no empty .db is left."""
    path = ctx.station_db_path
    if path.exists():
        from db.connection import StationDB
        with StationDB(path) as existing:
            if existing.is_initialised():
                name = station_db.station_name(existing)
                raise Refused(Msg("init.already", path=str(path), name=name))
    session = ctx.open(create=True)
    try:
        with session.sdb.write():
            if session.sdb.is_initialised():  # another process got there first
                raise Refused(Msg("init.meanwhile", path=str(path)))
            station_db.save_station(session.sdb, sd)
            station_db.save_people(session.sdb, people)
            years = load_package_calendar(session)
            save_user(session.sdb, ctx.login, person=None, roles=["admin"])
            summary = {"station": sd.station.name, "people": len(people), "posts": len(sd.posts),
                       "shifts": len(sd.shifts), "hot_spots": len(sd.hot_spots), "calendar_years": years,
                       "admin": ctx.login, "source": source, "db": str(path)}
            session.audit("station.init", entity="station", entity_id=sd.station.code, after=summary)
        summary["capacity"] = init_capacity(session)
    except BaseException:
        session.close()
        if session.created:
            from db.connection import remove_station_file
            remove_station_file(path)
        raise
    session.close()
    return summary


def init_capacity(session: Session, days: int = 28) -> dict | None:
    """Can the people cover the demand even in theory? The seat classes of the capacity analysis
    (scheduler/station/capacity.py, without its linear relaxation so that init stays instant) for
    the next ``days`` days: each group of seats that the same people may take, set against the
    person-days they can give. `station show` and `roster generate` give the full verdict."""
    from usecases.roster import load_problem, station_today
    from scheduler.station.capacity import analyse
    if not any(d.count for d in station_db.load_station(session.sdb).demand):
        return None
    sp, _ = load_problem(session, station_today(session), days)
    cap = analyse(sp, lp=False)
    short = [c for c in cap.classes if c.short]
    return {"days": days, "verdict": "short" if short else "enough", "lower_bound_seats": cap.lower_bound,
            "short_classes": [{"label": c.label("en"), "label_zh": c.label("zh"), "posts": sorted(c.posts),
                               "person_days": c.person_days, "available_days": c.available_days, "people": c.people,
                               "short_person_days": c.short} for c in short]}


DEMO_SOURCE = "demo"


def is_demo_database(sdb) -> bool:
    """Was this database made by `dutydesk demo` / `init --demo`? (its first audit entry says so)"""
    from db.audit import first_after
    after = first_after(sdb, "station.init")
    return isinstance(after, dict) and str(after.get("source", "")).startswith(DEMO_SOURCE)


def init_demo(ctx: AppContext, *, seed: int = 0) -> dict:
    from stationdef.demo import demo_people, demo_station
    sd = demo_station()
    return init_station(ctx, sd, demo_people(seed), source=f"{DEMO_SOURCE} (seed {seed})")


def ensure_demo(ctx: AppContext, *, seed: int = 0) -> tuple[AppContext, bool]:
    """The demo database (created on first use; its creator is admin and chief there).
    Returns (context pointing at it, created?)."""
    from usecases.context import demo_db_path
    if not ctx.db_explicit:
        ctx = ctx.with_overrides(db_path=str(demo_db_path()))
    path = ctx.resolved_db_path
    if path.exists():
        from db.connection import StationDB
        with StationDB(path) as sdb:
            if sdb.is_initialised():
                if not is_demo_database(sdb):
                    name = station_db.station_name(sdb)
                    raise Refused(Msg("init.not_demo", path=str(path), name=name))
                return ctx, False
    init_demo(ctx, seed=seed)
    with ctx.open() as session:
        from usecases.users import add_user
        add_user(session, ctx.login, roles=["admin", "chief"])
    return ctx, True


def ensure_demo_roster(ctx: AppContext, *, time_limit: float = 12, seed: int = 0, on_progress=None,
                       days: int = 15) -> dict:
    """Something live to see: a published roster covering today in the demo database.

    Reuses a live roster that covers today; otherwise generates one (from yesterday, so the
    night shift running into today is staffed, unless a live roster already covers yesterday),
    then submits, approves and publishes it as the demo's chief."""
    from datetime import timedelta

    from db import rosters as rdb
    from errors import NotAuthorised
    from usecases import approval
    from usecases import roster as roster_uc
    from usecases.users import add_user
    with ctx.open() as session:
        session.sdb.require_station()
        today = roster_uc.station_today(session)
        live = rdb.live_assignments(session.sdb, today, today)
        if live:
            return {"reused": True, "roster_id": live[-1]["roster_id"], "version": live[-1]["version"]}
        roles = session.roles()
        if "chief" not in roles:
            try:
                add_user(session, ctx.login, roles=sorted(roles | {"chief"}), person=session.person())
            except NotAuthorised as exc:
                return {"reused": False, "skipped": exc.message}
        yesterday = today - timedelta(days=1)
        start = today if rdb.live_assignments(session.sdb, yesterday, yesterday) else yesterday
        r = roster_uc.generate(session, start, days + (today - start).days, time_limit=time_limit, seed=seed,
                               on_progress=on_progress, today=start, note="demo")
        ref = roster_uc.RosterRef(r["roster_id"], r["version"])
        for action in ("submit", "approve", "publish"):
            approval.transition(session, ref, action)
        return {"reused": False, "roster_id": r["roster_id"], "version": r["version"], "start": r["start"],
                "days": r["days"], "shortfalls": r["solver"]["shortfalls"]}


def _skill_state(expires: date | None, today: date) -> str:
    if expires is None:
        return "valid"
    if expires < today:
        return "expired"
    return "expiring" if (expires - today).days <= 60 else "valid"


def station_summary(session: Session, *, today: date | None = None, next_period: bool = False) -> dict:
    """Everything `station show` prints: station, teams, skills, shifts, posts with staffing rules and
    demand, rules, hot spots, and a capacity check (hours demanded per week vs. hours available);
    with ``next_period`` also the capacity verdict for the next roster period
    (`next_period_capacity`) under "capacity" -> "next_period"."""
    session.sdb.require_station()
    given_today = today
    today = today or date.today()
    sd = station_db.load_station(session.sdb)
    people = station_db.load_people(session.sdb)
    active = [p for p in people if p.active]
    shifts = {s.code: s for s in sd.shifts}
    demand: dict[str, dict[str, dict[str, int]]] = {}
    for d in sd.demand:
        demand.setdefault(d.post, {}).setdefault(d.shift, {})[d.day_kind] = d.count
    holders = Counter(s for p in active for s, e in p.skills.items() if _skill_state(e, today) != "expired")
    weekly_minutes = sum(shifts[d.shift].minutes * d.count * (5 if d.day_kind == "workday" else 2)
                         for d in sd.demand if d.day_kind in ("workday", "weekend"))
    rules = {r.key: r.value for r in sd.rules}
    weekly_hours = float(rules.get("weekly_hours", 40))
    capacity = {"demand_hours_per_week": round(weekly_minutes / 60, 1),
                "available_hours_per_week": round(len(active) * weekly_hours, 1),
                "utilisation": round(weekly_minutes / 60 / (len(active) * weekly_hours), 3) if active else None}
    if next_period:
        capacity["next_period"] = next_period_capacity(session, today=given_today)
    return {
        "station": asdict(sd.station),
        "teams": [asdict(t) | {"people": sum(p.team == t.code for p in active)} for t in sd.teams],
        "skills": [asdict(s) | {"holders": holders.get(s.code, 0)} for s in sd.skills],
        "shifts": [asdict(s) | {"end": s.end, "crosses_midnight": s.crosses_midnight} for s in sd.shifts],
        "posts": [asdict(p) | {"required_skills": list(p.required_skills), "crew_skills": list(p.crew_skills),
                               "allowed_types": list(p.allowed_types), "demand": demand.get(p.code, {})}
                  for p in sd.posts],
        "rules": [asdict(r) | {"description": spec.description, "source": spec.source, "rule": spec.rule.code,
                               "hard": spec.rule.hard}
                  for r in sd.rules for spec in [RULE_SPECS.get(r.key)] if spec is not None],
        "rule_list": listing({r.key: r.value for r in sd.rules}),
        "hot_spots": [asdict(h) for h in sd.hot_spots],
        "people": {"total": len(people), "active": len(active),
                   "by_type": {t: sum(p.person_type == t for p in active) for t in PERSON_TYPES},
                   "women": sum(p.sex == "F" for p in active)},
        "capacity": capacity,
        "schema_version": session.sdb.schema_version(),
        "db": str(session.sdb.path),
    }


NEXT_PERIOD_DAYS = 28          # as `roster generate --days` plans by default


def next_period_capacity(session: Session, *, today: date | None = None, definition: StationDef | None = None,
                         days: int = NEXT_PERIOD_DAYS) -> dict:
    """The capacity verdict (scheduler.station.capacity, as `roster generate` shows before
    solving) for the next roster period: from the day after the last approved or published
    roster (or today), ``days`` days, with leave as recorded. ``definition``: plan with this
    station definition instead of the stored one.

    Returns {"start", "days", "after_live": bool, "capacity": {...} or None, "error": str or None}."""
    from usecases.board import suggested_start
    from usecases.roster import capacity_of, load_problem, station_today
    today = today or station_today(session)
    start = suggested_start(session, today)
    out = {"start": start.isoformat(), "days": days, "after_live": start > today, "capacity": None, "error": None}
    if not any(d.count for d in (definition or station_db.load_station(session.sdb)).demand):
        out["error"] = "no demand"
        return out
    sp, _ = load_problem(session, start, days, definition=definition)
    out["capacity"] = capacity_of(sp)
    return out


def rule_list(session: Session) -> list[dict]:
    """Every rule of the catalogue with the station's values (what `station show` and the
    terminal app's rules list show)."""
    session.sdb.require_station()
    sd = station_db.load_station(session.sdb)
    return listing({r.key: r.value for r in sd.rules})


def people_list(session: Session, *, team: str | None = None, skill: str | None = None,
                today: date | None = None) -> list[dict]:
    from stationdef import codes as typed
    session.sdb.require_station()
    today = today or date.today()
    if team or skill:
        sd = station_db.load_station(session.sdb)
        team = team and typed.resolve(team, typed.of_records(sd.teams), what="code.team", field="people_team")
        skill = skill and typed.resolve(skill, typed.of_records(sd.skills), what="code.skill", field="people_skill")
    out = []
    for p in station_db.load_people(session.sdb):
        if team and p.team != team:
            continue
        if skill and skill not in p.skills:
            continue
        out.append({"badge": p.badge, "name": p.name, "sex": p.sex, "person_type": p.person_type,
                    "person_type_zh": PERSON_TYPES[p.person_type][0], "team": p.team,
                    "years_of_service": p.years_of_service, "active": p.active,
                    "skills": [{"skill": s, "expires": e.isoformat() if e else None,
                                "state": _skill_state(e, today)} for s, e in p.skills.items()]})
    return out


__all__ = ["load_definition", "init_station", "init_demo", "ensure_demo", "ensure_demo_roster", "station_summary",
           "people_list",
           "DAY_KINDS"]


def station_names(session: Session) -> dict:
    """Teams, skills, posts and shifts of the station by code, named in both languages."""
    from messages import Name
    sd = station_db.load_station(session.sdb)
    return {kind: {r.code: Name(r.name, r.name_en or r.code) for r in getattr(sd, kind)}
            for kind in ("teams", "skills", "posts", "shifts")}


def cell_marks(session: Session) -> dict:
    """The short labels a roster cell shows in Chinese ({"shifts": {code: 夜}, "posts": {code: 巡1}})
    and the teams by name in both languages ({"teams": {code: Name}})."""
    from messages import Name
    sd = station_db.load_station(session.sdb)
    return {"shifts": {s.code: s.label for s in sd.shifts if s.label},
            "posts": {p.code: p.label for p in sd.posts if p.label},
            "teams": {x.code: Name(x.name, x.name_en or x.code) for x in sd.teams}}


def station_name(session: Session) -> str:
    return station_db.station_name(session.sdb) or ""
