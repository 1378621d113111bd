"""Officers' wishes (排班意愿): add, list, remove, import; the solver grants them where the rules
and cover allow (``StationRequests``, weight 1-3), and the roster report says which were
granted and why each other one was not (`scheduler.station.wishes`).

Who: a chief or a duty officer records and removes anyone's wishes ("request"); any login
linked to a person (``user add LOGIN --role viewer --person BADGE``) its own ("request_own").
Every change is audited and vouches for the wish table. A wish covers a day or a range of
days (stored one row a day); a wish the same as one recorded is not added twice, the
opposite wish for the same day and shift is refused. Nothing is written when anything is wrong.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from db import requests as req_db
from db import rosters as rdb
from db import station as station_db
from errors import InputError, InputProblem, Refused, msg_of
from messages import Msg, t
from stationdef import cells
from stationdef.leave_file import parse_leave_date, resolve_badge
from stationdef.requests_file import RequestEntry, check_span, parse_requests, parse_shift, parse_weight, parse_wish_kind
from usecases.context import Session
from usecases.roster import station_today


def _may_record(session: Session, badges: set[str]) -> None:
    """Anyone's wishes with "request"; only the login's own person's with "request_own"."""
    if session.may("request") is None:
        return
    session.require_action("request_own")
    person = session.person()
    if person is None or badges - {person}:
        from errors import NotAuthorised
        raise NotAuthorised(t("req.not_own", login=session.login, person=person or "-"))


def _shifts(session: Session) -> dict[str, str]:
    return {s.code: s.name for s in station_db.load_station(session.sdb).shifts}


def _names(session: Session, *, active_only: bool = False) -> dict[str, str]:
    return {p.badge: p.name for p in station_db.load_people(session.sdb, active_only=active_only)}


def describe(kind: str, shift: str | None, shifts: dict[str, str]) -> tuple[str, str]:
    """(what, shift) in words: 想上班 / 想休息, and the shift's name or 任意班次."""
    return t(f"req.{kind}"), (f"{shifts.get(shift, shift)} ({shift})" if shift else t("req.any_shift"))


def _plan(session: Session, entries: list[RequestEntry], *, where: str, today: date | None = None) -> dict:
    """Rows to add, days already recorded, and clashes with recorded opposite wishes (inside
    the write transaction, or for a dry run)."""
    today = today or station_today(session)
    badges = sorted({e.badge for e in entries})
    lo, hi = min(e.start for e in entries), max(e.end for e in entries)
    have: dict[tuple[str, str], list[dict]] = {}
    for r in req_db.requests_of(session.sdb, badges, lo, hi):
        have.setdefault((r["badge"], r["date"]), []).append(r)
    add, same, problems = [], 0, []
    for e in entries:
        for d in e.days:
            iso = d.isoformat()
            if d < today:
                problems.append(InputProblem(file=where, line=e.row, field="start" if e.row else "--date",
                                             message=t("req.past", date=iso)))
                break
            recorded = have.get((e.badge, iso), [])
            if any(r["kind"] == e.kind and r["shift"] == e.shift for r in recorded):
                same += 1
                continue
            clash = next((r for r in recorded if r["kind"] != e.kind
                          and (r["shift"] is None or e.shift is None or r["shift"] == e.shift)), None)
            if clash:
                other = t(f"req.{clash['kind']}") + (f" {clash['shift']}" if clash["shift"] else "")
                raise Refused(Msg("req.clash", badge=e.badge, date=iso, id=clash["id"], other=other))
            row = {"badge": e.badge, "date": iso, "shift": e.shift, "kind": e.kind, "weight": e.weight, "note": e.note}
            add.append(row)
            have.setdefault((e.badge, iso), []).append(row | {"id": None})
    if problems:
        raise InputError(problems)
    return {"add": add, "same": same}


def _rostered(session: Session, rows: list[dict]) -> list[str]:
    """Rosters (newest versions, not superseded or rejected) that already cover these days."""
    if not rows:
        return []
    days = sorted({r["date"] for r in rows})
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    out = []
    for r in rdb.list_rosters(session.sdb):
        if r["status"] in ("rejected", "superseded"):
            continue
        start = date.fromisoformat(r["start"])
        end = start.toordinal() + r["days"] - 1
        if start.toordinal() <= last.toordinal() and end >= first.toordinal():
            out.append(f"{r['id']}v{r['version']} ({r['status']})")
    return out


def add_request(session: Session, badge: str, start, end=None, *, shift: str | None = None, kind: str = "off",
                weight=1, note: str | None = None, where: str = "command line", today: date | None = None) -> dict:
    """Record one wish for BADGE on a day or from ``start`` to ``end`` (dates or text):
    ``kind`` on/off (上班/休息), ``shift`` a code or name or None (any), ``weight`` 1-3."""
    session.sdb.require_station()
    names = _names(session)
    active = _names(session, active_only=True)
    shifts = _shifts(session)
    problems = []
    field = {"badge": "BADGE", "start": "--date", "end": "--to", "shift": "--shift", "kind": "--kind",
             "weight": "--weight"} if where == "command line" else {f: f for f in ("badge", "start", "end", "shift",
                                                                                  "kind", "weight")}

    def bad(f: str, message: str) -> None:
        problems.append(InputProblem(file=where, field=field[f], message=message))
    who = resolve_badge(cells.clean(badge), set(names))
    if who is None:
        bad("badge", t("req.unknown_badge", badge=cells.clean(badge)) if cells.clean(badge) else t("req.no_badge"))
    elif who not in active:
        bad("badge", t("req.inactive", badge=who, name=names[who]))
    dates = {}
    for f, value in (("start", start), ("end", end if end not in (None, "") else start)):
        try:
            dates[f] = value if isinstance(value, date) else parse_leave_date(value)
        except ValueError as exc:
            bad(f, msg_of(exc))
    if len(dates) == 2:
        try:
            check_span(dates["start"], dates["end"])
        except ValueError as exc:
            bad("end", msg_of(exc))
    values = {}
    for f, parse, value in (("shift", lambda v: parse_shift(v, shifts), shift), ("kind", parse_wish_kind, kind),
                            ("weight", parse_weight, weight)):
        try:
            values[f] = parse(value)
        except ValueError as exc:
            bad(f, msg_of(exc))
    if problems:
        raise InputError(problems)
    _may_record(session, {who})
    entry = RequestEntry(badge=who, start=dates["start"], end=dates["end"], shift=values["shift"], kind=values["kind"],
                         weight=values["weight"], note=cells.clean(note) or None)
    with session.sdb.write():
        plan = _plan(session, [entry], where=where, today=today)
        ids = req_db.add_requests(session.sdb, plan["add"], login=session.login)
        if ids:
            session.audit("request.add", entity="requests", entity_id=",".join(map(str, ids)),
                          after={"badge": who, "from": entry.start.isoformat(), "to": entry.end.isoformat(),
                                 "shift": entry.shift, "kind": entry.kind, "weight": entry.weight, "note": entry.note,
                                 "ids": ids})
        rostered = _rostered(session, plan["add"])
    what, shift_text = describe(entry.kind, entry.shift, shifts)
    warnings = [t("req.rostered", rosters=", ".join(rostered))] if rostered else []
    if plan["same"]:
        warnings.append(t("req.already", n=plan["same"]))
    return {"ids": ids, "badge": who, "name": names[who], "start": entry.start.isoformat(), "end": entry.end.isoformat(),
            "shift": entry.shift, "kind": entry.kind, "weight": entry.weight, "note": entry.note, "added": len(ids),
            "already": plan["same"], "warnings": warnings,
            "text": t("req.added", n=len(ids), badge=who, name=names[who], what=what, shift=shift_text,
                      start=entry.start.isoformat(), end=entry.end.isoformat(), weight=entry.weight)}


def list_requests(session: Session, start: date | None = None, end: date | None = None,
                  badge: str | None = None) -> list[dict]:
    """Wishes from ``start`` (default: today) to ``end`` (default: no end), of one person or all."""
    session.sdb.require_station()
    start = start or station_today(session)
    if end is not None and end < start:
        raise InputError(InputProblem(file="command line", field="--to",
                                      message=t("req.bad_span", end=end.isoformat(), start=start.isoformat())))
    if badge is not None:
        who = resolve_badge(cells.clean(badge), set(_names(session)))
        if who is None:
            raise InputError(InputProblem(file="command line", field="--person",
                                          message=t("req.unknown_badge", badge=badge)))
        badge = who
    shifts = _shifts(session)
    out = []
    for r in req_db.listing(session.sdb, start, end, badge):
        what, shift_text = describe(r["kind"], r["shift"], shifts)
        out.append(r | {"wish": what, "shift_text": shift_text})
    return out


def remove_requests(session: Session, ids: list[int] | None = None, *, badge: str | None = None,
                    start: date | None = None, end: date | None = None) -> dict:
    """Remove wishes by id, or a person's wishes from ``start`` to ``end``."""
    session.sdb.require_station()
    if not ids and badge is None:
        raise InputError(InputProblem(file="command line", field="ID", message=t("req.no_selection")))
    with session.sdb.write():
        if ids:
            rows = req_db.by_ids(session.sdb, list(ids))
            missing = sorted(set(ids) - {r["id"] for r in rows})
            if missing:
                raise InputError(InputProblem(file="command line", field="ID",
                                              message=t("req.no_such", ids=", ".join(map(str, missing)))))
        else:
            who = resolve_badge(cells.clean(badge), set(_names(session)))
            if who is None:
                raise InputError(InputProblem(file="command line", field="--person",
                                              message=t("req.unknown_badge", badge=badge)))
            rows = req_db.listing(session.sdb, start, end, who)
            if not rows:
                raise InputError(InputProblem(file="command line", field="--person", message=t("req.none_matched")))
        _may_record(session, {r["badge"] for r in rows})
        n = req_db.delete(session.sdb, [r["id"] for r in rows])
        session.audit("request.remove", entity="requests", entity_id=",".join(str(r["id"]) for r in rows),
                      before={"wishes": [{k: r[k] for k in ("id", "badge", "date", "shift", "kind", "weight", "note")}
                                         for r in rows]})
    return {"removed": n, "ids": [r["id"] for r in rows], "text": t("req.removed", n=n)}


def import_requests(session: Session, path: str | Path, *, dry_run: bool = False) -> dict:
    """Wishes from a CSV/XLSX list (Chinese or English headers, see stationdef/requests_file.py):
    every row checked first, all or nothing, one transaction and one audit entry."""
    from usecases.imports import read_file
    session.sdb.require_station()
    table = read_file(path)
    names = _names(session, active_only=True)
    entries = parse_requests(table, names, _shifts(session))
    _may_record(session, {e.badge for e in entries})
    result = {"file": str(path), "dry_run": dry_run, "wishes": len(entries)}
    if dry_run:
        plan = _plan(session, entries, where=str(path))
        return result | {"days": len(plan["add"]), "already": plan["same"], "written": False,
                         "rows": plan["add"]}
    with session.sdb.write():
        plan = _plan(session, entries, where=str(path))
        ids = req_db.add_requests(session.sdb, plan["add"], login=session.login)
        if ids:
            session.audit("request.import", entity="requests", entity_id=f"{ids[0]}-{ids[-1]}",
                          after={"file": Path(path).name, "wishes": len(entries), "days": len(ids), "ids": ids})
        rostered = _rostered(session, plan["add"])
    return result | {"days": len(ids), "already": plan["same"], "written": bool(ids), "ids": ids,
                     "warnings": [t("req.rostered", rosters=", ".join(rostered))] if rostered else [],
                     "text": t("req.import_done", n=len(entries), days=len(ids), same=plan["same"])}
