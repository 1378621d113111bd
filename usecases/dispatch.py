"""Incidents and dispatch: intake, recommended units, status changes with timestamps,
check-in timers, response statistics, handover between duty officers.

Units are the patrol and standby crews on duty now, from the live roster. The unit row holds
the one status; its members are on whatever their unit is doing.
"""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from statistics import mean, median

import arrow

from db import audit as audit_db
from db import handovers as handover_db
from db import incidents as incidents_db
from db import rosters as rdb
from db import station as station_db
from db import units as units_db
from db import users as users_db
from db.audit import utc_now
from errors import ARGS, InputError, InputProblem, NotFound, Refused
from messages import Items, Msg, Name
from stationdef import codes as typed
from stationdef.incident_types import BY_CODE, CATALOGUE
from usecases.context import Session

UNIT_POST_KINDS = ("patrol", "foot_patrol", "standby")
FLOW = ["received", "dispatched", "en_route", "on_scene", "cleared", "closed"]
UNIT_STATUS_FOR = {"dispatched": "dispatched", "en_route": "en_route", "on_scene": "on_scene", "cleared": "available",
                   "closed": "available"}
CHECKIN_WARN_MIN, CHECKIN_CRIT_MIN = 20, 30
QUEUE_WARN_MIN = {1: 1, 2: 3, 3: 10, 4: 20, 5: 30}


def _bad(field: str, message: Msg) -> InputError:
    return InputError(InputProblem(file=ARGS, field=field, message=message))


def resolve_type(session: Session, text: str) -> str:
    """An incident type typed as its code or its name (纠纷, Dispute, dispute)."""
    rows = [{"code": t.code, "name": t.name, "name_en": t.name_en} for t in CATALOGUE]
    known = {r["code"] for r in rows}
    rows += [r for r in incidents_db.types(session.sdb) if r["code"] not in known]
    return typed.resolve(text, typed.incident_types(rows), what="code.incident_type", field="incident_type")


def unit_choices(session: Session, unit_rows: list[dict]) -> list:
    """Units on duty as typed choices: the code (PAT1) or the post's name (巡逻1, Patrol car 1)."""
    posts = {p.code: p for p in station_db.load_station(session.sdb).posts}
    return [typed.Choice(u["code"], u["name"] or (posts[u["code"]].name if u["code"] in posts else None),
                         posts[u["code"]].name_en if u["code"] in posts else None) for u in unit_rows]


def resolve_units(session: Session, texts: list[str], unit_rows: list[dict], field: str = "unit") -> list[str]:
    """Unit codes typed as codes or names, each once."""
    choices = unit_choices(session, unit_rows)
    out: list[str] = []
    for text in texts:
        code = typed.resolve(text, choices, what="code.unit", field=field)
        if code not in out:
            out.append(code)
    return out


def unit_names(session: Session) -> dict[str, Name]:
    """Units (their posts) by code, named in both languages (巡逻1 / Patrol car 1)."""
    return {p.code: Name(p.name, p.name_en or p.code) for p in station_db.load_station(session.sdb).posts}


def _utc(t: arrow.Arrow) -> str:
    return t.to("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")


def _zone(session: Session) -> str:
    return station_db.zone(session.sdb)


def _now(session: Session, now: datetime | None) -> arrow.Arrow:
    return arrow.get(now) if now is not None else arrow.now(_zone(session))


def ensure_incident_types(session: Session) -> None:
    """The built-in catalogue, added to the station's table where missing (inside a write)."""
    incidents_db.ensure_types(session.sdb, CATALOGUE)


# -- units on duty ------------------------------------------------------------------------------

def on_duty_crews(session: Session, now: datetime | None = None, kinds: tuple[str, ...] | None = None) -> list[dict]:
    """The crew of every post (of ``kinds``, default all) whose shift covers ``now``: patrol and
    standby, and the traffic post, case duty, the window, the command desk...: {post, name,
    kind, date, shift, badges, start, end}."""
    t = _now(session, now)
    zone = _zone(session)
    sd = station_db.load_station(session.sdb)
    shifts = {s.code: s for s in sd.shifts}
    posts = {p.code: p for p in sd.posts}
    today = t.to(zone).date()
    rows = rdb.live_assignments(session.sdb, today - timedelta(days=1), today)
    crews: dict[tuple, dict] = {}
    spans: dict[tuple[str, str], tuple] = {}
    for r in rows:
        if kinds is not None and posts[r["post"]].kind not in kinds:
            continue
        span = spans.get((r["date"], r["shift"]))
        if span is None:             # a few (day, shift) pairs for all the rows
            sh = shifts[r["shift"]]
            d = date.fromisoformat(r["date"])
            start = arrow.get(datetime(d.year, d.month, d.day), zone).shift(minutes=sh.start_minute)
            span = spans[(r["date"], r["shift"])] = (start, start.shift(minutes=sh.minutes))
        start, end = span
        if start <= t < end:
            c = crews.setdefault((r["post"], r["date"], r["shift"]),
                                 {"post": r["post"], "name": posts[r["post"]].name, "kind": posts[r["post"]].kind,
                                  "date": r["date"], "shift": r["shift"], "start": start, "end": end, "badges": []})
            c["badges"].append(r["badge"])
    return list(crews.values())


def on_duty_now(session: Session, now: datetime | None = None) -> list[dict]:
    """Crews of patrol and standby posts whose shift covers ``now`` (the units)."""
    return on_duty_crews(session, now, UNIT_POST_KINDS)


def _crew_changes(crews: dict[str, dict], existing: dict[str, dict], stamp: str, open_calls) -> list[tuple]:
    """What sync_units would change: ("add", row) / ("crew", code, fields) / ("off", code)."""
    out: list[tuple] = []
    for code, c in crews.items():
        u = existing.get(code)
        members = json.dumps(sorted(c["badges"]))
        same_shift = u is not None and u["date"] == c["date"] and u["shift"] == c["shift"]
        if u is None:
            out.append(("add", {"code": code, "name": c["name"], "post": code, "date": c["date"],
                                "shift": c["shift"], "members": members, "status": "available",
                                "status_at": stamp, "x_m": 0.0, "y_m": 0.0, "kind": c["kind"]}))
        elif not same_shift or u["members"] != members:
            busy = u["status"] in units_db.BUSY and same_shift
            out.append(("crew", code, {"name": c["name"], "date": c["date"], "shift": c["shift"], "members": members,
                                       "kind": c["kind"], "status": u["status"] if busy else "available",
                                       "status_at": u["status_at"] if busy else stamp}))
    for code, u in existing.items():
        if code not in crews and u["status"] != "off_duty" and not open_calls(code):
            out.append(("off", code))
    return out


def sync_units(session: Session, now: datetime | None = None) -> list[dict]:
    """Bring the units table in line with who is on duty now. Reads first and takes the write
    lock only when something changes; the changes are recomputed inside the transaction. A crew
    formed ad hoc for a call (an override) is stood down here once its calls are over."""
    sdb = session.sdb
    crews = {c["post"]: c for c in on_duty_now(session, now)}
    stamp = _utc(_now(session, now))

    def changes():
        existing = {u["code"]: u for u in units_db.all_units(sdb)}
        return _crew_changes(crews, existing, stamp, lambda code: units_db.open_calls(sdb, code))
    if session.read_only:         # a login that may only look: the units as the writing terminals keep them
        return units(session, now)
    if changes():
        with sdb.write():
            for change in changes():
                if change[0] == "add":
                    units_db.add_unit(sdb, change[1])
                elif change[0] == "crew":
                    units_db.set_crew(sdb, change[1], **change[2])
                else:
                    units_db.set_off_duty(sdb, change[1], stamp)
    return units(session, now)


def units(session: Session, now: datetime | None = None) -> list[dict]:
    people = {p.badge: p for p in station_db.load_people(session.sdb)}
    t = _now(session, now)
    out = []
    for u in units_db.all_units(session.sdb):
        badges = json.loads(u["members"])
        since = arrow.get(u["status_at"]) if u["status_at"] else t
        last = arrow.get(u["last_checkin_at"]) if u["last_checkin_at"] else since
        quiet = int((t - max(last, since)).total_seconds() // 60)
        timer = None
        if u["status"] in ("on_scene", "patrol"):
            timer = "critical" if quiet >= CHECKIN_CRIT_MIN else "warning" if quiet >= CHECKIN_WARN_MIN else "ok"
        out.append(u | {"members": [{"badge": b, "name": people[b].name, "sex": people[b].sex,
                                     "person_type": people[b].person_type} for b in badges if b in people],
                        "minutes_in_status": int((t - since).total_seconds() // 60), "checkin_quiet_min": quiet,
                        "checkin_timer": timer})
    return out


# -- incidents ---------------------------------------------------------------------------------

def new_incident(session: Session, type_code: str, place: str, *, priority: int | None = None,
                 female_search: bool = False, reporter: str | None = None, phone: str | None = None,
                 notes: str | None = None, now: datetime | None = None) -> dict:
    sdb = session.sdb
    sdb.require_station()
    session.require_action("incident")
    type_code = resolve_type(session, type_code)
    if not place or not place.strip():
        raise _bad("place", Msg("dispatch.say_where"))
    if priority is not None and not 1 <= priority <= 5:
        raise _bad("priority", Msg("dispatch.bad_priority", priority=priority))
    t = _now(session, now)
    with sdb.write():
        ensure_incident_types(session)
        it = incidents_db.get_type(sdb, type_code)
        spot = station_db.find_hot_spot(sdb, place.strip())
        row = {"type": type_code, "priority": priority or it["priority"], "status": "received",
               "place_text": spot["name"] if spot else place.strip(), "hot_spot": spot["code"] if spot else None,
               "x_m": spot["x_m"] if spot else None, "y_m": spot["y_m"] if spot else None,
               "reporter": reporter, "reporter_phone": phone, "notes": notes, "received_at": _utc(t),
               "female_search": int(female_search), "created_by": session.login}
        iid = incidents_db.add(sdb, row)
        session.audit("incident.new", entity="incident", entity_id=iid, after=row)
    return get(session, iid)


def get(session: Session, iid: int) -> dict:
    row = incidents_db.get(session.sdb, iid)
    if row is None:
        raise NotFound(Msg("dispatch.no_incident_list", id=iid))
    row["units"] = incident_units(session, iid)
    row["override_lacks"] = json.loads(row["override_lacks"]) if row.get("override_lacks") else []
    return row


def _need(session: Session, inc: dict):
    from scheduler.dispatch import Need
    it = incidents_db.get_type(session.sdb, inc["type"])
    skill_names = {s.code: Name(s.name, s.name_en or s.code) for s in station_db.load_station(session.sdb).skills}
    return Need(priority=inc["priority"], min_sworn=it["min_sworn"], min_people=it["min_people"],
                needs_woman=bool(it["needs_woman"] or inc["female_search"]),
                required_skills=tuple(json.loads(it["required_skills"])), skills=tuple(json.loads(it["skills"])),
                x_m=inc["x_m"], y_m=inc["y_m"], skill_names=skill_names)


# posts whose crew works at the station (its position is known: the station, x = y = 0)
AT_STATION_KINDS = ("standby", "command", "window", "case", "guard")


def _member(people: dict, badge: str, t: arrow.Arrow):
    from scheduler.dispatch import Member
    p = people[badge]
    return Member(badge, p.name, p.sex, p.person_type,
                  frozenset(s for s, e in p.skills.items() if e is None or e >= t.date()))


def _minutes_since_start(session: Session, day: str | None, shift: str | None, t: arrow.Arrow) -> int:
    start_hm = station_db.shift_start(session.sdb, shift) if shift else None
    if not (start_hm and day):
        return 0
    d = date.fromisoformat(day)
    h, m = (int(x) for x in start_hm.split(":"))
    start = arrow.get(datetime(d.year, d.month, d.day, h, m), _zone(session))
    return max(0, int((t - start).total_seconds() // 60))


def _unit_states(session: Session, now: datetime | None, unit_rows: list[dict] | None = None):
    from scheduler.dispatch import UnitState
    from usecases.patrol import unit_positions
    sdb = session.sdb
    people = {p.badge: p for p in station_db.load_people(sdb)}
    t = _now(session, now)
    planned = unit_positions(session, t)
    states = []
    day_start = _utc(t.shift(hours=-12))
    posts = {p.code: p for p in station_db.load_station(sdb).posts}
    for u in unit_rows if unit_rows is not None else units(session, now):
        if u["status"] == "off_duty":
            continue
        load = units_db.calls_since(sdb, u["code"], day_start)
        members = [_member(people, m["badge"], t) for m in u["members"]]
        pos = planned.get(u["code"]) if u["status"] in units_db.FREE else None
        states.append(UnitState(code=u["code"], name=u["name"], status=u["status"], members=members,
                                x_m=pos["x_m"] if pos else (u["x_m"] or 0.0), y_m=pos["y_m"] if pos else (u["y_m"] or 0.0),
                                load=load, minutes_on_duty=_minutes_since_start(session, u["date"], u["shift"], t),
                                kind=u["kind"], adhoc=bool(u.get("adhoc")),
                                located=pos is not None or (u["kind"] in AT_STATION_KINDS and u["status"] in units_db.FREE),
                                title=Name(posts[u["code"]].name, posts[u["code"]].name_en or u["code"])
                                if u["code"] in posts else None))
    return states


def _post_crews(session: Session, now: datetime | None, unit_rows: list[dict]) -> dict[str, tuple]:
    """The crews on duty that are not a unit (the traffic post, case duty, ...), each as a unit
    to form ad hoc when sent by override: {post: (UnitState, members JSON, crew)}. A post whose
    ad hoc unit is out on a call is left out (that unit is busy)."""
    from scheduler.dispatch import UnitState
    people = {p.badge: p for p in station_db.load_people(session.sdb)}
    t = _now(session, now)
    taken = {u["code"] for u in unit_rows if u["status"] != "off_duty"}
    out = {}
    for c in on_duty_crews(session, now):
        if c["kind"] in UNIT_POST_KINDS or c["post"] in taken:
            continue
        badges = sorted(b for b in c["badges"] if b in people)
        state = UnitState(code=c["post"], name=c["name"], status="available",
                          members=[_member(people, b, t) for b in badges], kind=c["kind"], adhoc=True,
                          minutes_on_duty=_minutes_since_start(session, c["date"], c["shift"], t),
                          located=c["kind"] in AT_STATION_KINDS, title=Name(c["name"]) if c.get("name") else None)
        out[c["post"]] = (state, json.dumps(badges), c)
    return out


def _named_lacks(session: Session, lacks: list[dict]) -> list[dict]:
    """Lacks with the names of the skill and post they mention, in both languages."""
    sd = station_db.load_station(session.sdb)
    skills = {s.code: {"zh": s.name, "en": s.name_en or s.code} for s in sd.skills}
    posts = {p.code: {"zh": p.name, "en": p.name_en or p.code} for p in sd.posts}
    out = []
    for x in lacks:
        x = dict(x)
        if x.get("skill"):
            x["skill_name"] = skills.get(x["skill"], {"zh": x["skill"], "en": x["skill"]})
        if x.get("post"):
            x["post_name"] = posts.get(x["post"], {"zh": x["post"], "en": x["post"]})
        out.append(x)
    return out


def recommend(session: Session, iid: int, *, now: datetime | None = None) -> dict:
    """The units that fit the call, best first (``units``), the units left out and why
    (``excluded``), and every other free crew on duty (``override``) with what it lacks: any of
    those may still be sent, with a reason (``dispatch(..., reason=...)``)."""
    from scheduler.dispatch import alternatives, lacks, rank
    session.sdb.require_station()
    inc = get(session, iid)
    unit_rows = sync_units(session, now)
    speed = float(station_db.rule_value(session.sdb, "patrol_speed_kmh", 25) or 25)
    need = _need(session, inc)
    states = _unit_states(session, now, unit_rows)
    r = rank(states, need, speed_m_per_min=speed * 1000 / 60)
    crews = [c[0] for c in _post_crews(session, now, unit_rows).values()]
    singles = {x["unit"] for x in r.units if len(x["units"]) == 1}
    # a free unit that fits but is not recommended is kept in reserve (scheduler.dispatch.rank)
    reserve = {u.code for u in states if u.status in units_db.FREE and not lacks(u, need) and u.code not in singles}
    others = alternatives(states + crews, need, speed_m_per_min=speed * 1000 / 60, skip=singles, reserve=reserve)
    for o in others:
        o["lacks"] = _named_lacks(session, o["lacks"])
    return {"incident": iid, "type": inc["type"], "type_name": inc["type_name"], "type_name_en": inc["type_name_en"],
            "priority": inc["priority"], "units": r.units, "excluded": r.excluded, "override": others}


def dispatch(session: Session, iid: int, unit: str | list[str], *, now: datetime | None = None,
             reason: str | None = None) -> dict:
    """Send one unit, or several together (their joint team must fit the call).

    With a ``reason`` (an override), any free crew on duty may be sent though it lacks what the
    call needs: a unit, or the crew of a post that is not a unit (the traffic post, case duty...),
    which is then formed into a unit ad hoc (``units.adhoc``) for this call and stood down when
    its calls are over. What it lacks stays recorded with the call as warnings with their legal
    source (``override_lacks``), with the reason, and in the audit log. Without a reason such a
    dispatch is refused (exit 6) saying how to override.

    The legal fit is judged on the crews as read; the write then re-checks, in one
    `BEGIN IMMEDIATE` transaction, that the call still waits and every unit is still free with
    the same crew (a crew formed ad hoc: that its post's unit is not out already). Of two
    terminals sending one unit or crew, exactly one wins; the other is refused with the call it
    took."""
    from scheduler.dispatch import Lack, UnitState, lacks
    sdb = session.sdb
    sdb.require_station()
    session.require_action("dispatch")
    codes = list(dict.fromkeys(c for part in ([unit] if isinstance(unit, str) else unit) for c in part.split("+") if c))
    if not codes:
        raise _bad("unit", Msg("dispatch.name_the_unit"))
    if reason is not None:
        reason = reason.strip()
        if not reason:
            raise _bad("reason", Msg("override.reason_blank"))
    inc = get(session, iid)
    if inc["status"] != "received":
        raise Refused(Msg("dispatch.not_waiting", id=iid, status=Msg(f"istatus.{inc['status']}")))
    unit_rows = sync_units(session, now)
    raw = {u["code"]: u for u in units_db.all_units(sdb)}
    states = {u.code: u for u in _unit_states(session, now, unit_rows)}
    crews = _post_crews(session, now, unit_rows)
    on_duty = [u for u in unit_rows if u["code"] in states]
    if not on_duty and not crews:
        raise _bad("unit", Msg("dispatch.none_on_duty"))
    crew_rows = [{"code": code, "name": c[0].name} for code, c in crews.items() if code not in states]
    known = set(raw) | {p.code for p in station_db.load_station(sdb).posts}
    for code in codes:
        if code in known and code not in states and code not in crews:     # a unit or post not on duty now
            raise _bad("unit", Msg("override.not_on_duty", code=code,
                                   on_duty=", ".join([*states, *(c for c in crews if c not in states)]) or "-"))
    codes = resolve_units(session, codes, on_duty + crew_rows)
    for code in codes:
        if code in crews:
            continue
        if states[code].status not in units_db.FREE:
            raise incidents_db.unit_not_free(sdb, code)
    picked = [crews[c][0] if c in crews else states[c] for c in codes]
    joint = UnitState(code="+".join(codes), name="", status="available", members=[m for u in picked for m in u.members])
    missing = lacks(joint, _need(session, inc)) + [Lack("leaves_post", post=c, legal=False) for c in codes if c in crews]
    missing = _named_lacks(session, [x.to_dict() for x in missing])
    if missing and reason is None:
        from messages.override import lacks_text
        raise Refused(Msg("override.needs_reason", units=Items((p.label for p in picked), sep="plus"), id=iid,
                          lacks=lacks_text(missing), codes="+".join(codes)))
    override = {"reason": reason, "lacks": missing, "adhoc": [c for c in codes if c in crews]} if reason else None
    at = _utc(_now(session, now))
    with sdb.write():
        for code in codes:
            if code in crews:
                state, members, crew = crews[code]
                units_db.form_adhoc(sdb, code, name=state.name, post=code, date=crew["date"], shift=crew["shift"],
                                    members=members, kind=state.kind, at=at)
        incidents_db.dispatch(sdb, iid, {c: crews[c][1] if c in crews else raw[c]["members"] for c in codes}, at=at,
                              login=session.login, override=override)
        session.audit("incident.dispatch", entity="incident", entity_id=iid, before={"status": "received"},
                      after={"status": "dispatched", "units": codes, "at": at} | ({"override": override} if override else {}))
    return get(session, iid) | {"warnings": missing}


def incident_units(session: Session, iid: int) -> list[str]:
    return incidents_db.unit_codes(session.sdb, iid)


def update(session: Session, iid: int, status: str, *, now: datetime | None = None, note: str | None = None) -> dict:
    """Move a call on (en route, on scene, cleared, closed). The check of its current status and
    the change are one transaction: of two officers moving one call, one wins."""
    sdb = session.sdb
    sdb.require_station()
    session.require_action("update_incident")
    if status not in FLOW[2:]:
        status = typed.resolve(status, typed.incident_statuses(FLOW[2:]), what="code.status", field="incident_status")
    get(session, iid)
    t = _utc(_now(session, now))
    with sdb.write():
        inc = get(session, iid)
        cur, new = FLOW.index(inc["status"]), FLOW.index(status)
        if new <= cur:
            raise Refused(Msg("dispatch.no_going_back", id=iid, status=Msg(f"istatus.{inc['status']}"),
                              new=Msg(f"istatus.{status}")))
        if inc["unit"] is None and status != "closed":
            raise Refused(Msg("dispatch.no_unit_yet", id=iid))
        if not incidents_db.set_status(sdb, iid, expected=inc["status"], status=status, at=t):
            raise Refused(Msg("dispatch.changed_meanwhile", id=iid))
        if status in UNIT_STATUS_FOR:
            unit_status = UNIT_STATUS_FOR[status]
            for code in inc["units"]:
                if unit_status != "available" or not units_db.open_calls(sdb, code, except_incident=iid):
                    units_db.set_status(sdb, code, unit_status, t)
                units_db.add_event(sdb, code, unit_status, t, incident_id=iid, login=session.login, note=note)
        session.audit("incident.update", entity="incident", entity_id=iid, before={"status": inc["status"]},
                      after={"status": status, "at": t, "note": note})
    return get(session, iid)


def list_incidents(session: Session, *, open_only: bool = False, now: datetime | None = None) -> list[dict]:
    session.sdb.require_station()
    t = _now(session, now)
    rows = incidents_db.listing(session.sdb, open_only=open_only)
    for r in rows:
        r["override_lacks"] = json.loads(r["override_lacks"]) if r.get("override_lacks") else []
        r["age_min"] = int((t - arrow.get(r["received_at"])).total_seconds() // 60)
        r["waiting_too_long"] = r["status"] == "received" and r["age_min"] >= QUEUE_WARN_MIN.get(r["priority"], 30)
        if r["clock_started_at"]:
            end = arrow.get(r["clock_started_at"]).shift(hours=r["clock_hours"])
            r["clock_remaining_s"] = int((end - t).total_seconds())
    return rows


def start_clock(session: Session, iid: int, kind: str, hours: float, *, now: datetime | None = None) -> dict:
    """A legal clock on an incident, e.g. 继续盘问 (continued questioning) of 24 h."""
    session.sdb.require_station()
    session.require_action("clock")
    get(session, iid)
    if not 0 < hours <= 72:
        raise _bad("clock_hours", Msg("dispatch.bad_hours", hours=hours))
    t = _utc(_now(session, now))
    with session.sdb.write():
        if not incidents_db.set_clock(session.sdb, iid, kind=kind, started=t, hours=hours):
            raise NotFound(Msg("dispatch.no_incident_list", id=iid))
        session.audit("incident.clock", entity="incident", entity_id=iid,
                      after={"kind": kind, "hours": hours, "started": t})
    return get(session, iid)


def ack_checkin(session: Session, unit: str, *, now: datetime | None = None, note: str | None = None) -> dict:
    """The duty officer acknowledges a unit's check-in (resets its timer; audit-logged)."""
    session.sdb.require_station()
    session.require_action("ack")
    t = _utc(_now(session, now))
    known = [u for u in units_db.all_units(session.sdb) if u["status"] != "off_duty"]
    if known and unit not in {u["code"] for u in known}:       # typed by its name (巡逻1)
        unit = typed.resolve(unit, unit_choices(session, known), what="code.unit", field="ack_unit")
    with session.sdb.write():
        u = units_db.acknowledge(session.sdb, unit, at=t, login=session.login)
        if u is None:
            raise _bad("ack_unit", Msg("dispatch.no_unit", unit=unit))
        session.audit("unit.checkin_ack", entity="unit", entity_id=unit, after={"at": t, "status": u["status"],
                                                                                 "note": note},
                      vouch=[f"checkin:{u['checkin_id']}"])
    return {"unit": unit, "at": t}


def response_stats(session: Session, start: date, end: date) -> dict:
    """Queue (received to dispatched), travel (dispatched to on scene), on scene (to cleared) and
    total (received to cleared) times in seconds, by priority and by type."""
    session.sdb.require_station()
    rows = incidents_db.received_between(session.sdb, start.isoformat(), (end + timedelta(days=1)).isoformat())

    def span(r, a, b):
        if r[a] and r[b]:
            return (arrow.get(r[b]) - arrow.get(r[a])).total_seconds()
        return None

    def summary(group):
        out = {"count": len(group)}
        for name, (a, b) in {"queue": ("received_at", "dispatched_at"), "travel": ("dispatched_at", "on_scene_at"),
                             "on_scene": ("on_scene_at", "cleared_at"), "total": ("received_at", "cleared_at")}.items():
            xs = sorted(x for x in (span(r, a, b) for r in group) if x is not None)
            out[name] = {"n": len(xs), "mean_s": round(mean(xs), 1) if xs else None,
                         "median_s": median(xs) if xs else None,
                         "p90_s": xs[min(len(xs) - 1, int(0.9 * len(xs)))] if xs else None}
        return out
    by_p, by_t = {}, {}
    for r in rows:
        by_p.setdefault(str(r["priority"]), []).append(r)
        by_t.setdefault(r["type"], []).append(r)
    return {"from": start.isoformat(), "to": end.isoformat(), "all": summary(rows),
            "by_priority": {k: summary(v) for k, v in sorted(by_p.items())},
            "by_type": {k: summary(v) for k, v in sorted(by_t.items())}}


# -- handover ----------------------------------------------------------------------------------

def handover_draft(session: Session, *, now: datetime | None = None) -> dict:
    open_inc = list_incidents(session, open_only=True, now=now)
    clocks = [r for r in list_incidents(session, now=now) if r.get("clock_remaining_s", 0) > 0]
    return {"open_incidents": [{"id": r["id"], "type": r["type_name"], "priority": r["priority"], "status": r["status"],
                                "place": r["place_text"], "unit": "+".join(r["units"]), "age_min": r["age_min"]}
                               for r in open_inc],
            "legal_clocks": [{"id": r["id"], "kind": r["clock_kind"], "remaining_s": r["clock_remaining_s"]}
                             for r in clocks],
            "units": [{"unit": u["code"], "status": u["status"]} for u in units(session, now)
                      if u["status"] != "off_duty"]}


def handover_create(session: Session, to_login: str, notes: str, *, now: datetime | None = None) -> dict:
    """The outgoing duty officer writes and signs the handover; the incoming one signs it too."""
    session.sdb.require_station()
    session.require_action("handover")
    if to_login == session.login:
        raise _bad("handover_to", Msg("dispatch.handover_not_yourself"))
    if not users_db.user_exists(session.sdb, to_login):
        raise _bad("handover_to", Msg("dispatch.handover_no_user", login=to_login))
    t = _now(session, now)
    content = handover_draft(session, now=now)
    with session.sdb.write():
        hid = handover_db.add(session.sdb, at=_utc(t), shift_date=t.to(_zone(session)).date().isoformat(),
                              text=notes or "", from_login=session.login, to_login=to_login, content=content)
        session.audit("handover.create", entity="handover", entity_id=hid,
                      after={"to": to_login, "open_incidents": len(content["open_incidents"]),
                             "legal_clocks": len(content["legal_clocks"]), "notes": notes})
        anchor = audit_db.anchor(session.sdb)
    return handover_get(session, hid) | {"anchor": anchor}


def handover_sign(session: Session, hid: int, *, now: datetime | None = None) -> dict:
    session.sdb.require_station()
    t = _utc(_now(session, now))
    with session.sdb.write():
        h = handover_get(session, hid)
        if h["to_login"] != session.login:
            raise Refused(Msg("dispatch.handover_not_yours", id=hid, to=h["to_login"]))
        if h["to_signed_at"] or not handover_db.countersign(session.sdb, hid, login=session.login, at=t):
            raise Refused(Msg("dispatch.handover_already_signed", id=hid, at=h["to_signed_at"]))
        session.audit("handover.sign", entity="handover", entity_id=hid, after={"signed_by": session.login, "at": t})
        anchor = audit_db.anchor(session.sdb)
    return handover_get(session, hid) | {"anchor": anchor}


def handover_get(session: Session, hid: int) -> dict:
    h = handover_db.get(session.sdb, hid)
    if h is None:
        raise NotFound(Msg("dispatch.handover_none", id=hid))
    return h


def handover_list(session: Session) -> list[dict]:
    return handover_db.listing(session.sdb)


__all__ = ["new_incident", "recommend", "dispatch", "update", "list_incidents", "response_stats", "sync_units",
           "units", "ack_checkin", "start_clock", "handover_create", "handover_sign", "handover_list", "utc_now"]
