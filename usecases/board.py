"""Read models for the terminal app: the live duty board, the roster grid, the people list, and
what the acting user may do.

The terminal app (tui/) calls only these and the other use cases; it never runs SQL. Every
function takes a Session and returns plain dicts (names in Chinese and English, codes, dates as
ISO text), so a screen can render them in either language.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from db import incidents as incidents_db
from db import rosters as rdb
from db import station as station_db
from stationdef.model import PERSON_TYPES, Person, StationDef
from messages import Name
from usecases.calendar import day_kinds
from usecases.context import Session
from usecases.permissions import APP_ACTIONS, PERMISSIONS

# What each action of the app needs, read from the one permission table (usecases.permissions),
# which the use cases check too: the app greys out and explains an action before a form is filled in.
ACTION_ROLES: dict[str, tuple[tuple[str, ...], bool]] = {
    a: (PERMISSIONS[a].roles, PERMISSIONS[a].admin_ok) for a in APP_ACTIONS}
ACTION_TEXT = {a: PERMISSIONS[a].text for a in APP_ACTIONS}
EXPIRING_DAYS = 60
LOOKAHEAD_DAYS = 3          # the board looks for a post's next shift up to this many days ahead


# -- who, where, may they -----------------------------------------------------------------------

def data_version(session: Session) -> int:
    """Changes whenever another connection (terminal, command, nightly job) commits."""
    return session.sdb.data_version()


def station_info(session: Session) -> dict:
    session.sdb.require_station()
    st = station_db.load_station(session.sdb).station
    return {"code": st.code, "name": st.name, "name_en": st.name_en, "zone": st.zone, "kind": st.kind,
            "login": session.login, "roles": sorted(session.roles()), "db": str(session.sdb.path),
            "read_only": session.read_only}


def permissions(session: Session) -> dict[str, str | None]:
    """For each app action: None when the user may do it, else the reason (the use case's message)."""
    return {action: session.may(action) for action in ACTION_ROLES}   # read-only database: every one refused


def read_only_refusals(session: Session) -> set[str]:
    """The app actions this user's roles allow but the read-only database refuses (the app says
    "read-only" for these rather than the role's refusal). Empty on a writable database."""
    from usecases.permissions import allowed_roles
    if not session.read_only:
        return set()
    roles = session.roles()
    return {a for a in ACTION_ROLES if PERMISSIONS[a].writes and roles & allowed_roles(a)}


def station_now(session: Session, now: datetime | None = None) -> datetime:
    zone = ZoneInfo(station_db.zone(session.sdb))
    return now.astimezone(zone) if now is not None else datetime.now(zone)


# -- shared helpers ----------------------------------------------------------------------------

def _skill_state(expires: date | None, today: date) -> str:
    if expires is None:
        return "valid"
    if expires < today:
        return "expired"
    return "expiring" if (expires - today).days <= EXPIRING_DAYS else "valid"


def _names(sd: StationDef) -> dict:
    return {"skills": {s.code: {"zh": s.name, "en": s.name_en or s.code} for s in sd.skills},
            "teams": {t.code: {"zh": t.name, "en": t.name_en or t.code} for t in sd.teams},
            "posts": {p.code: {"zh": p.name, "en": p.name_en or p.code, "label": p.label or p.code,
                               "team": p.team} for p in sd.posts},
            "shifts": {s.code: {"zh": s.name, "en": s.name_en or s.code, "start": s.start, "end": s.end,
                                "kind": s.kind, "minutes": s.minutes, "label": s.label or s.code}
                       for s in sd.shifts},
            "person_types": {k: {"zh": zh, "en": en} for k, (zh, en) in PERSON_TYPES.items()},
            "day_kinds": {}}


def _person(p: Person, today: date, skills: tuple[str, ...] | None = None) -> dict:
    """A person as the screens show them; ``skills`` limits the skills to those of a post."""
    held = [{"skill": s, "expires": e.isoformat() if e else None, "state": _skill_state(e, today)}
            for s, e in p.skills.items() if skills is None or s in skills]
    return {"badge": p.badge, "name": p.name, "sex": p.sex, "person_type": p.person_type,
            "sworn": p.person_type == "sworn", "team": p.team, "skills": held}


def _demand_by_kind(sd: StationDef) -> dict[str, dict[tuple[str, str], int]]:
    out: dict[str, dict[tuple[str, str], int]] = {}
    for d in sd.demand:
        if d.count > 0:
            out.setdefault(d.day_kind, {})[(d.shift, d.post)] = d.count
    return out


def _leave_by_person(leave: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for lv in leave:
        out[lv["badge"]].append(lv)
    return out


def _leave_on(leave: list[dict], day: date) -> str | None:
    for lv in leave:
        if lv["start"] <= day <= lv["end"]:
            return lv["kind"]
    return None


# -- the duty board ------------------------------------------------------------------------------

def board_snapshot(session: Session, now: datetime | None = None) -> dict:
    """Who is on which post now and on the post's next shift, demand against staffing, alerts.

    A shift worked on date D runs from D at its start time for its length (a night shift of
    yesterday is on now until 08:00). Only approved and published rosters count.
    """
    sdb = session.sdb
    sdb.require_station()
    sd = station_db.load_station(sdb)
    zone = ZoneInfo(sd.station.zone)
    now = now.astimezone(zone) if now is not None else datetime.now(zone)
    today = now.date()
    first, last = today - timedelta(days=1), today + timedelta(days=LOOKAHEAD_DAYS)
    kinds, warnings = day_kinds(session, first, (last - first).days + 1)
    people = {p.badge: p for p in station_db.load_people(sdb)}
    rows = rdb.live_assignments(sdb, first, last)
    leave = _leave_by_person(rdb.leave_between(sdb, first, last))
    demand = _demand_by_kind(sd)
    shifts = {s.code: s for s in sd.shifts}
    on_slot: dict[tuple[str, str, str], list[str]] = defaultdict(list)   # (date, shift, post) -> badges
    rosters = set()
    for r in rows:
        on_slot[(r["date"], r["shift"], r["post"])].append(r["badge"])
        rosters.add((r["roster_id"], r["version"]))

    def span(day: date, code: str) -> tuple[datetime, datetime]:
        s = shifts[code]
        start = datetime.combine(day, time(s.start_minute // 60, s.start_minute % 60), tzinfo=zone)
        return start, start + timedelta(minutes=s.minutes)

    def instance(post, day: date, code: str) -> dict:
        start, end = span(day, code)
        need = demand.get(kinds[day], {}).get((code, post.code), 0)
        crew = []
        for badge in on_slot.get((day.isoformat(), code, post.code), []):
            p = people.get(badge)
            if p is None:
                continue
            row = _person(p, today, post.required_skills + post.crew_skills)
            row["leave"] = _leave_on(leave.get(badge, []), day)
            crew.append(row)
        crew.sort(key=lambda x: (not x["sworn"], x["badge"]))
        present = sum(not p["leave"] for p in crew)        # someone on leave is not there
        return {"date": day.isoformat(), "shift": code, "start": start.isoformat(), "end": end.isoformat(),
                "need": need, "staffed": present, "missing": max(0, need - present), "people": crew}

    posts, alerts = [], []
    on_duty: dict[str, dict] = {}
    shifts_now: Counter = Counter()
    for post in sd.posts:
        current, upcoming = [], []
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            for code in shifts:
                need = demand.get(kinds[day], {}).get((code, post.code), 0)
                if not need and (day.isoformat(), code, post.code) not in on_slot:
                    continue
                start, end = span(day, code)
                if start <= now < end:
                    current.append(instance(post, day, code))
                elif start > now:
                    upcoming.append((start, day, code))
        nxt = None
        if upcoming:
            start0 = min(u[0] for u in upcoming)
            nxt = [instance(post, day, code) for start, day, code in upcoming if start == start0]
        entry = {"post": post.code, "kind": post.kind, "min_sworn": post.min_sworn,
                 "skills": list(post.required_skills + post.crew_skills), "now": current, "next": nxt or []}
        posts.append(entry)
        for inst in current:
            shifts_now[inst["shift"]] += max(inst["need"], inst["staffed"])
            if inst["missing"]:
                alerts.append({"kind": "short", "level": "error", "post": post.code, "shift": inst["shift"],
                               "missing": inst["missing"], "need": inst["need"]})
            sworn = sum(p["sworn"] and not p["leave"] for p in inst["people"])
            if inst["people"] and sworn < post.min_sworn:
                alerts.append({"kind": "sworn", "level": "error", "post": post.code, "shift": inst["shift"],
                               "sworn": sworn, "min_sworn": post.min_sworn})
            for p in inst["people"]:
                on_duty[p["badge"]] = p
                for sk in p["skills"]:
                    if sk["state"] == "expired":
                        alerts.append({"kind": "expired_skill", "level": "warning", "post": post.code,
                                       "badge": p["badge"], "name": p["name"], "skill": sk["skill"],
                                       "expires": sk["expires"]})
                if p["leave"]:
                    alerts.append({"kind": "on_leave", "level": "error", "post": post.code, "badge": p["badge"],
                                   "name": p["name"], "leave": p["leave"]})
        for inst in nxt or []:
            if inst["missing"]:
                alerts.append({"kind": "short_next", "level": "warning", "post": post.code, "shift": inst["shift"],
                               "missing": inst["missing"], "need": inst["need"], "start": inst["start"]})
    leaders = _leaders_now(sd, posts, on_duty, people, today)
    standby = [{"post": e["post"], "people": [p for inst in e["now"] for p in inst["people"] if not p["leave"]],
                "need": sum(inst["need"] for inst in e["now"]), "shifts": [inst["shift"] for inst in e["now"]]}
               for e in posts if e["kind"] == "standby"]
    if on_duty and not any(p["sex"] == "F" for p in on_duty.values()):
        alerts.append({"kind": "no_woman", "level": "warning"})
    if not rows:      # nothing live: one alert says so, rather than one per post
        alerts = [{"kind": "no_roster", "level": "error"}]
    order = {"error": 0, "warning": 1}
    alerts.sort(key=lambda a: order[a["level"]])
    names = _names(sd)
    names["day_kinds"] = {k: v for k, v in ((d.isoformat(), kinds[d]) for d in kinds)}
    return {"station": {"code": sd.station.code, "name": sd.station.name, "name_en": sd.station.name_en,
                        "zone": sd.station.zone},
            "now": now.isoformat(timespec="seconds"), "today": today.isoformat(), "day_kind": kinds[today],
            "shifts_now": [c for c, _ in shifts_now.most_common()], "posts": posts, "alerts": alerts,
            "on_duty": len(on_duty), "women_on_duty": sum(p["sex"] == "F" for p in on_duty.values()),
            "leader": leaders, "standby": standby,
            "rosters": sorted(rosters), "names": names, "warnings": warnings}


LEADER_CODES = ("LEAD", "LEADER", "DBLD")
LEADER_SKILLS = ("leader", "duty_leader")


def is_leader_post(post) -> bool:
    """A post of the station file for the leader on duty (带班领导): its code is LEAD / LEADER /
    DBLD, or its name says 带班 or its English name says leader."""
    return (post.code.upper() in LEADER_CODES or "带班" in post.name
            or "leader" in (post.name_en or "").lower())


def _leaders_now(sd: StationDef, posts: list[dict], on_duty: dict[str, dict], people: dict[str, Person],
                 today: date) -> dict:
    """带班领导 now: whoever is rostered on a leader post now; without such a post, whoever on
    duty now holds a leader skill (code leader / duty_leader, or a skill named 带班...).
    {"source": "post" | "skill" | None (the station file names no leader), "people": [...]}"""
    lead_posts = {p.code for p in sd.posts if is_leader_post(p)}
    if lead_posts:
        crew = [p for e in posts if e["post"] in lead_posts for inst in e["now"] for p in inst["people"]
                if not p["leave"]]
        return {"source": "post", "people": [{"name": p["name"], "badge": p["badge"]} for p in crew]}
    skills = {s.code for s in sd.skills if s.code in LEADER_SKILLS or "带班" in s.name}
    if skills:
        held = [p for p in on_duty.values() if not p["leave"] and p["badge"] in people
                and any(code in skills and (e is None or e >= today) for code, e in people[p["badge"]].skills.items())]
        return {"source": "skill", "people": [{"name": p["name"], "badge": p["badge"]} for p in held]}
    return {"source": None, "people": []}


# -- units, incidents, alerts of the dispatch desk ----------------------------------------------

def _type_names(session: Session) -> dict:
    """Incident types by code: names in both languages and the default priority."""
    from stationdef.incident_types import CATALOGUE
    out = {t.code: {"zh": t.name, "en": t.name_en, "priority": t.priority, "needs_woman": t.needs_woman}
           for t in CATALOGUE}
    for r in incidents_db.types(session.sdb):
        out.setdefault(r["code"], {"zh": r["name"], "en": r["name_en"] or r["code"], "priority": r["priority"],
                                   "needs_woman": bool(r["needs_woman"])})
    return out


def _desk_names(session: Session, sd: StationDef) -> dict:
    """Names of units (their posts) and incident types, both languages."""
    return {"units": {p.code: {"zh": p.name, "en": p.name_en or p.code} for p in sd.posts},
            "types": _type_names(session)}


def dispatch_snapshot(session: Session, now: datetime | None = None) -> dict:
    """The units on duty now (status, minutes in it, members, check-in timer, the incident they
    are on or their next planned patrol stop), the open incidents, running legal clocks, and the
    alerts of the dispatch desk. Brings the units table in line with the roster first."""
    from usecases import dispatch as dispatch_uc
    from usecases.patrol import unit_positions
    session.sdb.require_station()
    now = station_now(session, now)
    sd = station_db.load_station(session.sdb)
    units = [u for u in dispatch_uc.sync_units(session, now) if u["status"] != "off_duty"]
    planned = unit_positions(session, now)
    incidents = dispatch_uc.list_incidents(session, now=now)
    open_inc = [i for i in incidents if i["status"] not in ("cleared", "closed")]
    # a cleared call stays on the board until it is closed (x), so it can be closed from there
    to_close = [i for i in incidents if i["status"] == "cleared"]
    types = _type_names(session)
    on_call: dict[str, dict] = {}
    for inc in open_inc:
        for code in inc["units"]:
            on_call.setdefault(code, inc)
    alerts = []
    for u in units:
        pos = planned.get(u["code"]) or {}
        u["next_stop"] = pos.get("next")
        inc = on_call.get(u["code"])
        u["incident"] = {"id": inc["id"], "place": inc["place_text"], "type": inc["type"]} if inc else None
        if u["checkin_timer"] in ("warning", "critical"):
            alerts.append({"kind": "checkin", "level": "error" if u["checkin_timer"] == "critical" else "warning",
                           "unit": u["code"], "quiet": u["checkin_quiet_min"],
                           "over": max(0, u["checkin_quiet_min"] - dispatch_uc.CHECKIN_CRIT_MIN)})
    for inc in open_inc:
        if inc["waiting_too_long"]:
            alerts.append({"kind": "waiting", "level": "error", "id": inc["id"], "type": inc["type"],
                           "priority": inc["priority"], "place": inc["place_text"], "age": inc["age_min"]})
    clocks = []
    for inc in incidents:
        if (inc.get("clock_remaining_s") or 0) > 0:
            end = now + timedelta(seconds=inc["clock_remaining_s"])
            clocks.append({"id": inc["id"], "kind": inc["clock_kind"], "type": inc["type"],
                           "place": inc["place_text"], "ends": end.isoformat(timespec="seconds"),
                           "remaining_s": inc["clock_remaining_s"]})
            alerts.append({"kind": "clock", "level": "error" if inc["clock_remaining_s"] < 3600 else "warning",
                           "id": inc["id"], "clock_kind": inc["clock_kind"], "ends": end.isoformat(timespec="seconds"),
                           "remaining_s": inc["clock_remaining_s"]})
    keep = ("id", "type", "priority", "status", "place_text", "hot_spot", "units", "age_min", "waiting_too_long",
            "received_at", "dispatched_at", "en_route_at", "on_scene_at", "cleared_at", "reporter", "reporter_phone",
            "notes", "female_search", "clock_kind", "clock_remaining_s", "override_reason", "override_lacks")
    rank_alerts(alerts)
    rows = []
    for inc in open_inc + to_close:
        row = {k: inc.get(k) for k in keep}
        row["needs_woman"] = bool(inc.get("female_search") or types.get(inc["type"], {}).get("needs_woman"))
        rows.append(row)
    return {"now": now.isoformat(timespec="seconds"), "units": units,
            "incidents": rows, "clocks": clocks, "alerts": alerts,
            "names": _desk_names(session, sd)}


def alert_rank(a: dict) -> tuple:
    """How urgent an alert is (smaller first): running legal clocks and overdue check-ins; then
    P1/P2 calls waiting; then a post short or without its 民警 now; then other waiting calls and
    check-ins getting late; then what can wait (the next shift, an expired skill, no woman)."""
    kind, level = a["kind"], a.get("level")
    if kind == "clock":
        return (0, a.get("remaining_s") or 0)
    if kind == "checkin" and level == "error":
        return (0, -(a.get("quiet") or 0))
    if kind == "waiting":
        p = a.get("priority") or 5
        return (1 if p <= 2 else 3, p, -(a.get("age") or 0))
    if level == "error":
        return (2, 0)
    if kind == "checkin":
        return (3, 9, -(a.get("quiet") or 0))
    return (4, 0)


def rank_alerts(alerts: list[dict]) -> list[dict]:
    """Sort ``alerts`` in place by urgency (``alert_rank``), stable within a rank; each alert gets
    its ``rank`` (0 most urgent)."""
    for a in alerts:
        a["rank"] = alert_rank(a)[0]
    alerts.sort(key=alert_rank)
    return alerts


def intake_choices(session: Session) -> dict:
    """What the call-intake form offers: incident types (catalogue order) and hot spots."""
    from stationdef.incident_types import CATALOGUE
    session.sdb.require_station()
    sd = station_db.load_station(session.sdb)
    names = _type_names(session)
    types = [{"code": t.code, "zh": t.name, "en": t.name_en, "priority": t.priority, "min_sworn": t.min_sworn,
              "min_people": t.min_people, "needs_woman": t.needs_woman} for t in CATALOGUE]
    types += [{"code": c, "zh": n["zh"], "en": n["en"], "priority": n["priority"], "min_sworn": None,
               "min_people": None, "needs_woman": False} for c, n in names.items() if c not in {t.code for t in CATALOGUE}]
    return {"types": types, "hot_spots": [{"code": h.code, "name": h.name} for h in sd.hot_spots]}


def recommendation_view(session: Session, iid: int, now: datetime | None = None) -> dict:
    """An incident with its recommended units (and reasons), every other free crew on duty that
    may be sent with a reason (``override``, with what each lacks and a travel time only when
    known), and the units left out (and why)."""
    from usecases import dispatch as dispatch_uc
    now = station_now(session, now)
    rec = dispatch_uc.recommend(session, iid, now=now)
    inc = dispatch_uc.get(session, iid)
    sd = station_db.load_station(session.sdb)
    located = _located_units(session, now)
    place_known = inc["x_m"] is not None and inc["y_m"] is not None
    units = [_travel_if_known(r, place_known and all(c in located for c in r["units"])) for r in rec["units"]]
    return {"incident": {k: inc[k] for k in ("id", "type", "priority", "status", "place_text", "female_search",
                                              "received_at", "hot_spot", "reporter", "reporter_phone", "notes")},
            "units": units, "excluded": rec["excluded"], "override": rec["override"], "place_known": place_known,
            "names": _desk_names(session, sd)}


def _located_units(session: Session, now: datetime) -> set[str]:
    """Units whose position is known: those following tonight's patrol plan (where the plan puts
    them) and standby crews (at the station). Others have no known position, so no travel time."""
    from usecases import dispatch as dispatch_uc
    from usecases.patrol import unit_positions
    out = set(unit_positions(session, now))
    out |= {u["code"] for u in dispatch_uc.units(session, now) if u["kind"] == "standby"}
    return out


def _travel_if_known(rec: dict, known: bool) -> dict:
    """A recommendation with its travel time only when both ends are known (else None, and the
    reason "about N min away" left out): a made-up ETA is worse than none."""
    out = dict(rec, travel_known=known)
    if known:
        return out
    from scheduler.dispatch import without_travel
    out["travel_min"] = None
    out["reasons"] = without_travel(out["reasons"])
    return out


# -- the night's patrol plan ----------------------------------------------------------------------

def patrol_view(session: Session, now: datetime | None = None) -> dict:
    """Tonight's patrol plan (the newest for the night running now) with planned against done,
    or why there is none: {"day", "plan" (None without one), "live_roster", "hot_spots", "names"}."""
    from errors import NotFound
    from usecases import patrol as patrol_uc
    session.sdb.require_station()
    now = station_now(session, now)
    day = patrol_uc.tonight(session, now)
    sd = station_db.load_station(session.sdb)
    try:
        plan = patrol_uc.show(session, day)
    except NotFound:
        plan = None
    return {"day": day.isoformat(), "now": now.isoformat(timespec="seconds"), "plan": plan,
            "live_roster": bool(rdb.live_assignments(session.sdb, day, day)),
            "hot_spots": {h.code: {"name": h.name, "risk": h.risk} for h in sd.hot_spots},
            "names": _names(sd)}


def handover_view(session: Session, now: datetime | None = None) -> dict:
    """What a handover would hold now (open incidents, running legal clocks, units), the
    handovers written so far (newest first, with what each held), and the users to hand over to."""
    from usecases import dispatch as dispatch_uc
    from usecases.users import list_users
    session.sdb.require_station()
    now = station_now(session, now)
    dispatch_uc.sync_units(session, now)
    handovers = [dispatch_uc.handover_get(session, h["id"]) for h in dispatch_uc.handover_list(session)]
    sd = station_db.load_station(session.sdb)
    return {"draft": dispatch_uc.handover_draft(session, now=now), "handovers": handovers,
            "users": [{"login": u["login"], "roles": u["roles"]} for u in list_users(session)],
            "login": session.login,
            "names": _desk_names(session, sd)}


# -- rosters -------------------------------------------------------------------------------------

def roster_choices(session: Session) -> list[dict]:
    """Every version of every roster, newest roster first, for a roster picker."""
    session.sdb.require_station()
    out = []
    for r in rdb.list_rosters(session.sdb):
        for v in reversed(rdb.versions(session.sdb, r["id"])):
            out.append({"roster_id": r["id"], "version": v["version"], "status": v["status"], "start": r["start"],
                        "days": r["days"], "created_at": v["created_at"], "created_by": v["created_by"],
                        "comment": v["comment"], "newest": v["version"] == r["version"]})
    return out


def default_roster(session: Session, today: date) -> dict | None:
    """The roster to open first: one that covers today (the newest such), else the newest."""
    rosters = rdb.list_rosters(session.sdb)
    if not rosters:
        return None
    covering = [r for r in rosters
                if date.fromisoformat(r["start"]) <= today < date.fromisoformat(r["start"]) + timedelta(days=r["days"])]
    pick = max(covering or rosters, key=lambda r: (r["start"], r["id"]))
    return {"roster_id": pick["id"], "version": pick["version"]}


def suggested_start(session: Session, today: date) -> date:
    """Where a new roster would start: the day after the last approved or published roster, or
    today when none reaches that far."""
    last = today - timedelta(days=1)
    for r in rdb.list_rosters(session.sdb):
        if any(v["status"] in rdb.LIVE_STATUSES for v in rdb.versions(session.sdb, r["id"])):
            last = max(last, date.fromisoformat(r["start"]) + timedelta(days=r["days"] - 1))
    return last + timedelta(days=1)


def roster_view(session: Session, roster_id: int, version: int | None = None, *, today: date | None = None) -> dict:
    """A roster version as the review grid shows it: days with demand and coverage, people with
    their cells, shortfalls with explanations, the fairness ledger, hard violations, and the
    published version to compare with."""
    from usecases.approval import published_version
    from usecases.roster import RosterRef, show
    data = show(session, RosterRef(roster_id, version), with_report=True)
    sdb = session.sdb
    sd = station_db.load_station(sdb)
    start = date.fromisoformat(data["start"])
    today = today or station_now(session).date()
    kinds, _ = day_kinds(session, start, data["days"])
    demand = _demand_by_kind(sd)
    cells: dict[str, dict[str, dict]] = defaultdict(dict)
    staffed: Counter = Counter()
    for a in data["assignments"]:
        cells[a["badge"]][a["date"]] = {"shift": a["shift"], "post": a["post"]}
        staffed[a["date"]] += 1
    missing: Counter = Counter()
    for s in data["shortfalls"]:
        missing[s["date"]] += s["missing"]
    days = []
    for i in range(data["days"]):
        d = start + timedelta(days=i)
        iso = d.isoformat()
        days.append({"date": iso, "weekday": d.weekday(), "kind": kinds[d],
                     "need": sum(demand.get(kinds[d], {}).values()), "staffed": staffed[iso],
                     "missing": missing[iso], "today": d == today})
    end = start + timedelta(days=data["days"] - 1)
    leave = _leave_by_person(rdb.leave_between(sdb, start, end))
    fair = {r["badge"]: r for r in data["fairness"]["people"]}
    people = []
    for p in station_db.load_people(sdb, active_only=True):
        row = _person(p, today)
        row["cells"] = cells.get(p.badge, {})
        row["leave"] = {(start + timedelta(days=i)).isoformat(): k for i in range(data["days"])
                        if (k := _leave_on(leave.get(p.badge, []), start + timedelta(days=i)))}
        row["fairness"] = fair.get(p.badge)
        people.append(row)
    pub = published_version(session, roster_id)
    names = _names(sd)
    post_rules = {p.code: {"min_sworn": p.min_sworn, "required_skills": list(p.required_skills),
                           "crew_skills": list(p.crew_skills), "allowed_types": list(p.allowed_types),
                           "needs_woman": p.needs_woman, "description": p.description} for p in sd.posts}
    return {"roster_id": data["roster_id"], "version": data["version"], "status": data["status"],
            "start": data["start"], "days": data["days"], "end": end.isoformat(), "comment": data["comment"],
            "created_by": data["created_by"], "created_at": data["created_at"], "solver": data["solver"],
            "versions": data["versions"], "published_version": pub["version"] if pub else None,
            "day_list": days, "people": people, "shortfalls": data["shortfalls"],
            "hard_violations": data["hard_violations"], "fairness_summary": data["fairness"]["summary"],
            "team_average": data["fairness"]["team_average"], "names": names, "post_rules": post_rules,
            "compositions": {f"{c['date']}|{c['shift']}|{c['post']}":
                             Name(c.get("composition_zh") or c["composition"], c["composition"])
                             if c["composition"] else None for c in data.get("compositions", [])},
            "warnings": data.get("warnings", []), "calendar": data.get("calendar")}


def compare_with_published(session: Session, roster_id: int, version: int | None = None) -> dict:
    """The changes of a version against the roster's published version (or, with none
    published, against the version before it)."""
    from usecases.approval import published_version
    from usecases.roster import RosterRef, _version, diff
    _, ver = _version(session, RosterRef(roster_id, version))
    pub = published_version(session, roster_id)
    if pub is not None and pub["version"] != ver["version"]:
        base = pub["version"]
    elif ver["version"] > 1 and pub is None:
        base = ver["version"] - 1
    else:
        return {"base": None, "version": ver["version"], "changes": []}
    out = diff(session, RosterRef(roster_id, base), RosterRef(roster_id, ver["version"]))
    return {"base": base, "version": ver["version"], "changes": out["changes"],
            "base_status": "published" if pub is not None and pub["version"] == base else "previous"}


# -- people ----------------------------------------------------------------------------------------

def people_view(session: Session, today: date | None = None) -> dict:
    """People with type, team, skills (expiry state) and their leave from today on."""
    sdb = session.sdb
    sdb.require_station()
    sd = station_db.load_station(sdb)
    today = today or station_now(session).date()
    leave = _leave_by_person(rdb.leave_between(sdb, today, date(9999, 12, 31)))
    out = []
    for p in station_db.load_people(sdb):
        row = _person(p, today)
        row["active"] = p.active
        row["years_of_service"] = p.years_of_service
        row["leave"] = [{"start": lv["start"].isoformat(), "end": lv["end"].isoformat(), "kind": lv["kind"],
                         "note": lv["note"], "now": lv["start"] <= today <= lv["end"]}
                        for lv in sorted(leave.get(p.badge, []), key=lambda x: x["start"])]
        out.append(row)
    return {"today": today.isoformat(), "people": out, "names": _names(sd)}


__all__ = ["data_version", "station_info", "permissions", "read_only_refusals", "station_now", "board_snapshot", "roster_choices",
           "dispatch_snapshot", "intake_choices", "recommendation_view", "patrol_view", "handover_view",
           "default_roster", "suggested_start", "roster_view", "compare_with_published", "people_view", "ACTION_ROLES"]
