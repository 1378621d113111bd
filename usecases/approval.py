"""The life of a roster version, and manual changes to it.

    draft --submit--> submitted --approve--> approved --publish--> published
                          \\--reject (comment)--> rejected

Only a chief approves, rejects or publishes. A submitted version waits for the chief; an
approved, published or rejected version is never modified: an edit, swap or repair of it makes
a new draft version, which must be approved again (the chief sees its diff against the
published version). Edits and swaps are checked by the same validators as the solver.
"""
from __future__ import annotations

from datetime import date, timedelta

from db import audit as audit_db
from db import rosters as rdb
from errors import InputError, InputProblem, Refused
from usecases.context import Session
from usecases.roster import RosterRef, _version, load_problem

# Sources of the core engine's rules as they apply to a station (station rules carry their own).
CORE_SOURCES = {
    "succession": "最短休息; 夜班后次日不上白班; 24小时值班后休息",
    "max_consecutive_work": "国务院工时规定 (每周至少休息1日)",
    "total_minutes": "《劳动法》第41条 (辅警 overtime cap)",
    "days_off": "leave and unavailability",
    "one_shift_per_day": "one shift a day",
}

TRANSITIONS = {
    "submit": ({"draft"}, "submitted"),
    "approve": ({"submitted"}, "approved"),
    "reject": ({"submitted"}, "rejected"),
    "publish": ({"approved"}, "published"),
}
WHO = {"submit": ("duty", "chief"), "approve": ("chief",), "reject": ("chief",), "publish": ("chief",)}
HINT = {
    "draft": "submit it first (dutydesk roster submit)",
    "submitted": "the chief approves or rejects it",
    "approved": "publish it (dutydesk roster publish)",
    "published": "it is published and never changes; edit or repair it to make a new draft version",
    "rejected": "edit or repair it to make a new draft version, then submit that",
    "superseded": "a newer version replaced it",
}


def _grid_and_problem(session: Session, roster: dict, ver: dict):
    start = date.fromisoformat(roster["start"])
    sp, _ = load_problem(session, start, roster["days"], exclude_roster=roster["id"])
    rows = rdb.assignments(session.sdb, ver["id"])
    grid = {(p.badge, d): None for p in sp.people for d in range(sp.days)}
    for r in rows:
        grid[(r["badge"], (date.fromisoformat(r["date"]) - start).days)] = f"{r['shift']}@{r['post']}"
    return sp, grid


def check(session: Session, roster: dict, ver: dict) -> list[dict]:
    """Hard violations of a stored version, from the validators."""
    from scheduler.station.build import build
    from scheduler.validate import validate
    sp, grid = _grid_and_problem(session, roster, ver)
    problem, rules = build(sp)
    return [v.to_json() for v in validate(problem, grid, rules) if v.hard]


def published_version(session: Session, roster_id: int) -> dict | None:
    return session.sdb.one("SELECT * FROM roster_versions WHERE roster_id = ? AND status = 'published' "
                           "ORDER BY version DESC LIMIT 1", (roster_id,))


def transition(session: Session, ref: RosterRef, action: str, *, comment: str | None = None) -> dict:
    """submit / approve / reject / publish one version (default: the newest)."""
    from usecases.roster import diff
    session.sdb.require_station()
    allowed_from, target = TRANSITIONS[action]
    session.require_action(action)
    roster, ver = _version(session, ref)
    label = f"roster {roster['id']} v{ver['version']}"
    if ver["status"] not in allowed_from:
        raise Refused(f"cannot {action} {label}: it is {ver['status']}; {HINT.get(ver['status'], '')}".rstrip("; "))
    if action == "reject" and not (comment and comment.strip()):
        raise InputError(InputProblem(file="command line", field="--comment",
                                      message="say why the roster is sent back (--comment TEXT)"))
    if action in ("submit", "approve", "publish"):
        hard = check(session, roster, ver)
        if hard:
            lines = "\n".join(f"  - {v['message']}" for v in hard[:10])
            raise Refused(f"cannot {action} {label}: {len(hard)} hard rule violation(s) block it:\n{lines}")
    pub = published_version(session, roster["id"])
    changes = None
    if pub and pub["id"] != ver["id"]:
        changes = diff(session, RosterRef(roster["id"], pub["version"]), RosterRef(roster["id"], ver["version"]))["changes"]
    with session.sdb.write():
        current = session.sdb.scalar("SELECT status FROM roster_versions WHERE id = ?", (ver["id"],))
        if current != ver["status"]:   # someone else moved it meanwhile
            raise Refused(f"{label} changed to {current} meanwhile; nothing was done")
        session.audit(f"roster.{action}", entity="roster", entity_id=f"{roster['id']}v{ver['version']}",
                      before={"status": ver["status"]}, after={"status": target, "comment": comment,
                                                               "changes_vs_published": None if changes is None
                                                               else len(changes)})
        head = audit_db.head(session.sdb)[1] if action == "approve" else None
        rdb.set_status(session.sdb, ver["id"], target, comment=comment, audit_head=head)
        if action == "publish" and pub and pub["id"] != ver["id"]:
            rdb.set_status(session.sdb, pub["id"], "superseded")
    out = {"roster_id": roster["id"], "version": ver["version"], "status": target, "comment": comment}
    if head:
        out["audit_head"] = head
    if changes is not None:
        out["changes_vs_published"] = changes
    return out


# -- manual changes ---------------------------------------------------------------------------

def _editable(session: Session, roster: dict, ver: dict) -> tuple[dict, bool]:
    """The version to change: a draft is changed in place; approved, published and rejected
    versions are copied to a new draft. A submitted version waits for the chief."""
    if ver["status"] == "submitted":
        raise Refused(f"roster {roster['id']} v{ver['version']} is submitted; the chief approves or rejects it "
                      "before it can change")
    if ver["status"] == "superseded":
        raise Refused(f"roster {roster['id']} v{ver['version']} is superseded; change the newest version")
    return ver, ver["status"] != "draft"


def _apply_change(session: Session, ref: RosterRef, change: dict[tuple[str, int], str | None], *, what: str,
                  reason: str | None, audit_action: str, detail: dict) -> dict:
    from scheduler.station.build import RULE_LABELS, build
    from scheduler.validate import validate
    roster, ver = _version(session, ref)
    ver, copy = _editable(session, roster, ver)
    sp, before = _grid_and_problem(session, roster, ver)
    after = dict(before)
    after.update(change)
    if all(before.get(k) == v for k, v in change.items()):
        raise Refused(f"{what}: nothing changes (the roster already says so)")
    problem, rules = build(sp)
    old = validate(problem, before, rules)
    new = validate(problem, after, rules)
    key = lambda v: (v.rule, v.employee, v.day, v.message)  # noqa: E731
    old_keys = {key(v) for v in old}
    broken_hard = [v for v in new if v.hard and key(v) not in old_keys]
    if broken_hard:
        lines = "\n".join(f"  - {RULE_LABELS.get(v.rule, v.rule)}: {v.message}"
                          + ("" if "[" in v.message else f" [{CORE_SOURCES.get(v.rule, 'station rules')}]")
                          for v in broken_hard[:8])
        raise Refused(f"{what} refused: it breaks {len(broken_hard)} hard rule(s):\n{lines}")
    soft_old: dict[str, int] = {}
    soft_new: dict[str, int] = {}
    for v in old:
        if not v.hard:
            soft_old[v.rule] = soft_old.get(v.rule, 0) + v.penalty
    for v in new:
        if not v.hard:
            soft_new[v.rule] = soft_new.get(v.rule, 0) + v.penalty
    worse = {r: soft_new[r] - soft_old.get(r, 0) for r in soft_new if soft_new[r] > soft_old.get(r, 0)}
    worse_msgs = [v.message for v in new if not v.hard and v.rule in worse and key(v) not in old_keys]
    if worse and not (reason and reason.strip()):
        lines = "\n".join(f"  - {m}" for m in worse_msgs[:8]) or "  - " + ", ".join(worse)
        raise InputError(InputProblem(file="command line", field="--reason",
                                      message=f"{what} makes soft rules worse ({', '.join(sorted(worse))}):\n{lines}\n"
                                              "It is allowed with a reason: add --reason TEXT (it is recorded)"))
    start = date.fromisoformat(roster["start"])
    rows = [{"date": (start + timedelta(days=d)).isoformat(), "badge": b,
             "shift": code.split("@")[0], "post": code.split("@")[1], "reason": None}
            for (b, d), code in sorted(after.items(), key=lambda kv: (kv[0][1], kv[0][0])) if code is not None]
    for r in rows:
        d = (date.fromisoformat(r["date"]) - start).days
        if (r["badge"], d) in change:
            r["reason"] = reason
    with session.sdb.write():
        if copy:
            target = rdb.add_version(session.sdb, roster["id"], status="draft", login=session.login,
                                     assignments=rows, parent_id=ver["id"],
                                     comment=f"{what}" + (f": {reason}" if reason else ""), solver=ver.get("solver"))
        else:
            current = session.sdb.scalar("SELECT status FROM roster_versions WHERE id = ?", (ver["id"],))
            if current != "draft":
                raise Refused(f"roster {roster['id']} v{ver['version']} changed to {current} meanwhile; nothing was done")
            session.sdb.conn.execute("DELETE FROM assignments WHERE version_id = ?", (ver["id"],))
            session.sdb.db["assignments"].insert_all([{"version_id": ver["id"], **r} for r in rows])
            target = {"version": ver["version"]}
        session.audit(audit_action, entity="roster", entity_id=f"{roster['id']}v{target['version']}",
                      before={"version": ver["version"], **{f"{b}@{d}": before[(b, d)] for (b, d) in change}},
                      after={**detail, "reason": reason, "soft_rules_worse": worse,
                             **{f"{b}@{d}": after[(b, d)] for (b, d) in change}})
    return {"roster_id": roster["id"], "version": target["version"], "status": "draft",
            "new_version": copy, "soft_rules_worse": worse, "warnings": worse_msgs, "reason": reason}


def edit(session: Session, ref: RosterRef, day: date, *, badge: str, shift: str | None, post: str | None,
         reason: str | None = None) -> dict:
    """Put BADGE on (day, shift, post), or off that day when shift is None."""
    session.sdb.require_station()
    session.require_action("edit")
    roster, _ = _version(session, ref)
    d = _day(roster, day)
    _person(session, badge)
    if shift is not None:
        _slot(session, shift, post)
    code = None if shift is None else f"{shift}@{post}"
    what = f"{badge} {'off' if code is None else shift + ' on ' + post} {day}"
    return _apply_change(session, ref, {(badge, d): code}, what=f"edit ({what})", reason=reason,
                         audit_action="roster.edit", detail={"badge": badge, "date": day.isoformat(),
                                                             "shift": shift, "post": post})


def swap(session: Session, ref: RosterRef, day: date, a: str, b: str, *, reason: str | None = None) -> dict:
    """Exchange the assignments of two people on one day."""
    session.sdb.require_station()
    session.require_action("swap")
    roster, ver = _version(session, ref)
    d = _day(roster, day)
    _person(session, a)
    _person(session, b)
    if a == b:
        raise InputError(InputProblem(file="command line", field="--b", message="swap needs two different people"))
    rows = {r["badge"]: f"{r['shift']}@{r['post']}" for r in rdb.assignments(session.sdb, ver["id"])
            if r["date"] == day.isoformat()}
    if a not in rows and b not in rows:
        raise InputError(InputProblem(file="command line", field="--a",
                                      message=f"neither {a} nor {b} works on {day}; nothing to swap"))
    return _apply_change(session, ref, {(a, d): rows.get(b), (b, d): rows.get(a)},
                         what=f"swap {a} <-> {b} on {day}", reason=reason, audit_action="roster.swap",
                         detail={"a": a, "b": b, "date": day.isoformat()})


def _day(roster: dict, day: date) -> int:
    start = date.fromisoformat(roster["start"])
    d = (day - start).days
    if not 0 <= d < roster["days"]:
        raise InputError(InputProblem(file="command line", field="--date",
                                      message=f"{day} is outside roster {roster['id']} ({start} for {roster['days']} days)"))
    return d


def _person(session: Session, badge: str) -> None:
    if session.sdb.one("SELECT 1 AS x FROM people WHERE badge = ? AND active = 1", (badge,)) is None:
        raise InputError(InputProblem(file="command line", field="--person",
                                      message=f"no active person with badge '{badge}'"))


def _slot(session: Session, shift: str, post: str | None) -> None:
    if post is None:
        raise InputError(InputProblem(file="command line", field="--post", message="give --post with --shift"))
    if session.sdb.one("SELECT 1 AS x FROM shift_types WHERE code = ?", (shift,)) is None:
        raise InputError(InputProblem(file="command line", field="--shift", message=f"unknown shift '{shift}'"))
    if session.sdb.one("SELECT 1 AS x FROM posts WHERE code = ?", (post,)) is None:
        raise InputError(InputProblem(file="command line", field="--post", message=f"unknown post '{post}'"))


def audit_show(session: Session, since: date | None = None) -> list[dict]:
    sql = "SELECT seq, at, login, person, action, entity, entity_id, before, after, hash FROM audit_log"
    params: tuple = ()
    if since:
        sql += " WHERE at >= ?"
        params = (since.isoformat(),)
    return session.sdb.rows(sql + " ORDER BY seq", params)


def audit_verify(session: Session) -> dict:
    ok, n, head, problem = audit_db.verify(session.sdb)
    return {"ok": ok, "entries": n, "head": head, "problem": problem}
