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
from errors import InputError, InputProblem, NotFound, Refused
from stationdef.incident_types import BY_CODE, CATALOGUE
from usecases.context import Session

UNIT_POST_KINDS = ("patrol", "foot_patrol", "standby")
FLOW = ["received", "dispatched", "en_route", "on_scene", "cleared", "closed"]
UNIT_STATUS_FOR = {"dispatched": "dispatched", "en_route": "en_route", "on_scene": "on_scene", "cleared": "available",
                   "closed": "available"}
CHECKIN_WARN_MIN, CHECKIN_CRIT_MIN = 20, 30
QUEUE_WARN_MIN = {1: 1, 2: 3, 3: 10, 4: 20, 5: 30}


def _bad(field: str, message: str) -> InputError:
    return InputError(InputProblem(file="command line", field=field, message=message))


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

def on_duty_now(session: Session, now: datetime | None = None) -> list[dict]:
    """Crews of patrol and standby posts whose shift covers ``now``: {post, date, shift, badges, start, end}."""
    t = _now(session, now)
    zone = _zone(session)
    sd = station_db.load_station(session.sdb)
    shifts = {s.code: s for s in sd.shifts}
    posts = {p.code: p for p in sd.posts}
    today = t.to(zone).date()
    rows = rdb.live_assignments(session.sdb, today - timedelta(days=1), today)
    crews: dict[tuple, dict] = {}
    for r in rows:
        if posts[r["post"]].kind not in UNIT_POST_KINDS:
            continue
        sh = shifts[r["shift"]]
        d = date.fromisoformat(r["date"])
        start = arrow.get(datetime(d.year, d.month, d.day), zone).shift(minutes=sh.start_minute)
        end = start.shift(minutes=sh.minutes)
        if start <= t < end:
            c = crews.setdefault((r["post"], r["date"], r["shift"]),
                                 {"post": r["post"], "name": posts[r["post"]].name, "kind": posts[r["post"]].kind,
                                  "date": r["date"], "shift": r["shift"], "start": start, "end": end, "badges": []})
            c["badges"].append(r["badge"])
    return list(crews.values())


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
    lock only when something changes; the changes are recomputed inside the transaction."""
    sdb = session.sdb
    crews = {c["post"]: c for c in on_duty_now(session, now)}
    stamp = _utc(_now(session, now))

    def changes():
        existing = {u["code"]: u for u in units_db.all_units(sdb)}
        return _crew_changes(crews, existing, stamp, lambda code: units_db.open_calls(sdb, code))
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
    if type_code not in BY_CODE and incidents_db.get_type(sdb, type_code) is None:
        raise _bad("--type", f"unknown incident type '{type_code}'; use one of: "
                             + ", ".join(f"{t.code} ({t.name})" for t in CATALOGUE))
    if not place or not place.strip():
        raise _bad("--place", "say where (an address, or a hot spot code or name)")
    if priority is not None and not 1 <= priority <= 5:
        raise _bad("--priority", f"{priority}: priority is 1 (most urgent) to 5")
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
        raise NotFound(f"no incident {iid} (see `dutydesk incident list`)")
    row["units"] = incident_units(session, iid)
    return row


def _need(session: Session, inc: dict):
    from scheduler.dispatch import Need
    it = incidents_db.get_type(session.sdb, inc["type"])
    return Need(priority=inc["priority"], min_sworn=it["min_sworn"], min_people=it["min_people"],
                needs_woman=bool(it["needs_woman"] or inc["female_search"]),
                required_skills=tuple(json.loads(it["required_skills"])), skills=tuple(json.loads(it["skills"])),
                x_m=inc["x_m"], y_m=inc["y_m"])


def _unit_states(session: Session, now: datetime | None, unit_rows: list[dict] | None = None):
    from scheduler.dispatch import Member, UnitState
    from usecases.patrol import unit_positions
    sdb = session.sdb
    people = {p.badge: p for p in station_db.load_people(sdb)}
    t = _now(session, now)
    zone = _zone(session)
    planned = unit_positions(session, t)
    states = []
    day_start = _utc(t.shift(hours=-12))
    for u in unit_rows if unit_rows is not None else units(session, now):
        if u["status"] == "off_duty":
            continue
        load = units_db.calls_since(sdb, u["code"], day_start)
        members = [Member(m["badge"], m["name"], m["sex"], m["person_type"],
                          frozenset(s for s, e in people[m["badge"]].skills.items()
                                    if e is None or e >= t.date())) for m in u["members"]]
        start_hm = station_db.shift_start(sdb, u["shift"]) if u["shift"] else None
        on_duty = 0
        if start_hm and u["date"]:
            d = date.fromisoformat(u["date"])
            h, m = (int(x) for x in start_hm.split(":"))
            start = arrow.get(datetime(d.year, d.month, d.day, h, m), zone)
            on_duty = max(0, int((t - start).total_seconds() // 60))
        pos = planned.get(u["code"]) if u["status"] in units_db.FREE else None
        states.append(UnitState(code=u["code"], name=u["name"], status=u["status"], members=members,
                                x_m=pos["x_m"] if pos else (u["x_m"] or 0.0), y_m=pos["y_m"] if pos else (u["y_m"] or 0.0),
                                load=load, minutes_on_duty=on_duty, kind=u["kind"]))
    return states


def recommend(session: Session, iid: int, *, now: datetime | None = None) -> dict:
    from scheduler.dispatch import rank
    session.sdb.require_station()
    inc = get(session, iid)
    sync_units(session, now)
    speed = float(station_db.rule_value(session.sdb, "patrol_speed_kmh", 25) or 25)
    r = rank(_unit_states(session, now), _need(session, inc), speed_m_per_min=speed * 1000 / 60)
    return {"incident": iid, "type": inc["type"], "priority": inc["priority"], "units": r.units,
            "excluded": r.excluded}


def dispatch(session: Session, iid: int, unit: str | list[str], *, now: datetime | None = None) -> dict:
    """Send one unit, or several together (their joint team must fit the call).

    The legal fit is judged on the crews as read; the write then re-checks, in one
    `BEGIN IMMEDIATE` transaction, that the call still waits and every unit is still free with
    the same crew. Of two terminals sending one unit, exactly one wins; the other is refused
    with the call the unit took."""
    from scheduler.dispatch import UnitState, legal_fit
    sdb = session.sdb
    sdb.require_station()
    session.require_action("dispatch")
    codes = list(dict.fromkeys(c for part in ([unit] if isinstance(unit, str) else unit) for c in part.split("+") if c))
    if not codes:
        raise _bad("--unit", "name the unit to send, e.g. PAT1 (or PAT1+PAT2 for two together)")
    inc = get(session, iid)
    if inc["status"] != "received":
        raise Refused(f"incident {iid} is {inc['status']}; only a received incident is dispatched")
    unit_rows = sync_units(session, now)
    raw = {u["code"]: u for u in units_db.all_units(sdb)}
    states = {u.code: u for u in _unit_states(session, now, unit_rows)}
    for code in codes:
        if code not in states:
            raise _bad("--unit", f"unit '{code}' is not on duty now; on duty: {', '.join(states) or 'none'}")
        if states[code].status not in units_db.FREE:
            raise incidents_db.unit_not_free(sdb, code)
    joint = UnitState(code="+".join(codes), name="", status="available",
                      members=[m for c in codes for m in states[c].members])
    why = legal_fit(joint, _need(session, inc))
    if why:
        raise Refused(f"{'+'.join(codes)} may not take incident {iid}: " + "; ".join(why))
    t = _utc(_now(session, now))
    with sdb.write():
        incidents_db.dispatch(sdb, iid, {c: raw[c]["members"] for c in codes}, at=t, login=session.login)
        session.audit("incident.dispatch", entity="incident", entity_id=iid, before={"status": "received"},
                      after={"status": "dispatched", "units": codes, "at": t})
    return get(session, iid)


def incident_units(session: Session, iid: int) -> list[str]:
    return incidents_db.unit_codes(session.sdb, iid)


def update(session: Session, iid: int, status: str, *, now: datetime | None = None, note: str | None = None) -> dict:
    """Move a call on (en route, on scene, cleared, closed). The check of its current status and
    the change are one transaction: of two officers moving one call, one wins."""
    sdb = session.sdb
    sdb.require_station()
    session.require_action("update_incident")
    if status not in FLOW[2:]:
        raise _bad("--status", f"'{status}': use one of {', '.join(FLOW[2:])}")
    get(session, iid)
    t = _utc(_now(session, now))
    with sdb.write():
        inc = get(session, iid)
        cur, new = FLOW.index(inc["status"]), FLOW.index(status)
        if new <= cur:
            raise Refused(f"incident {iid} is already {inc['status']}; it cannot go back to {status}")
        if inc["unit"] is None and status != "closed":
            raise Refused(f"incident {iid} has no unit yet; dispatch one first")
        if not incidents_db.set_status(sdb, iid, expected=inc["status"], status=status, at=t):
            raise Refused(f"incident {iid} changed meanwhile; look again")
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
        raise _bad("--hours", f"{hours}: between 0 and 72 hours")
    t = _utc(_now(session, now))
    with session.sdb.write():
        if not incidents_db.set_clock(session.sdb, iid, kind=kind, started=t, hours=hours):
            raise NotFound(f"no incident {iid} (see `dutydesk incident list`)")
        session.audit("incident.clock", entity="incident", entity_id=iid,
                      after={"kind": kind, "hours": hours, "started": t})
    return get(session, iid)


def ack_checkin(session: Session, unit: str, *, now: datetime | None = None, note: str | None = None) -> dict:
    """The duty officer acknowledges a unit's check-in (resets its timer; audit-logged)."""
    session.sdb.require_station()
    session.require_action("ack")
    t = _utc(_now(session, now))
    with session.sdb.write():
        u = units_db.acknowledge(session.sdb, unit, at=t, login=session.login)
        if u is None:
            raise _bad("UNIT", f"no unit '{unit}'")
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
        raise _bad("--to", "hand over to the other duty officer, not to yourself")
    if not users_db.user_exists(session.sdb, to_login):
        raise _bad("--to", f"no user '{to_login}'")
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
            raise Refused(f"handover {hid} is addressed to {h['to_login']}; only they sign it")
        if h["to_signed_at"] or not handover_db.countersign(session.sdb, hid, login=session.login, at=t):
            raise Refused(f"handover {hid} is already signed ({h['to_signed_at']})")
        session.audit("handover.sign", entity="handover", entity_id=hid, after={"signed_by": session.login, "at": t})
        anchor = audit_db.anchor(session.sdb)
    return handover_get(session, hid) | {"anchor": anchor}


def handover_get(session: Session, hid: int) -> dict:
    h = handover_db.get(session.sdb, hid)
    if h is None:
        raise NotFound(f"no handover {hid}")
    return h


def handover_list(session: Session) -> list[dict]:
    return handover_db.listing(session.sdb)


__all__ = ["new_incident", "recommend", "dispatch", "update", "list_incidents", "response_stats", "sync_units",
           "units", "ack_checkin", "start_clock", "handover_create", "handover_sign", "handover_list", "utc_now"]
