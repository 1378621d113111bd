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

import arrow

from db import audit as audit_db
from db import digests
from db import rosters as rdb
from db import station as station_db
from errors import CellChanged, InputError, InputProblem, Refused
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


SOFT_BREAKS = ("woman_on_duty",)         # soft rules whose breaks a chief signs for, with a reason
SOFT_KPIS = ("community_share",)          # shown when signing, no reason needed (a KPI, DESIGN.md §3)


def signing_summary(session: Session, roster: dict, ver: dict) -> dict:
    """What a chief signs when approving or publishing this version: empty seats (a post left
    empty first), soft-rule breaks, days planned without official holiday data, the capacity
    verdict. ``items`` are the lines to read; any item needs a recorded reason."""
    from scheduler.station.build import build
    from scheduler.station.capacity import analyse
    from scheduler.station.report import shortfalls
    from scheduler.validate import validate
    from usecases.calendar import unofficial_days
    sp, grid = _grid_and_problem(session, roster, ver)
    problem, rules = build(sp)
    short = shortfalls(sp, grid)
    found = validate(problem, grid, rules)
    soft = [v for v in found if not v.hard and v.rule in SOFT_BREAKS]
    kpi = [v for v in found if not v.hard and v.rule in SOFT_KPIS]
    unofficial = unofficial_days(session, date.fromisoformat(roster["start"]), roster["days"])
    cap = (ver.get("solver") or {}).get("capacity") if isinstance(ver.get("solver"), dict) else None
    if cap is None:
        cap = analyse(sp).to_json()
    items, items_zh = [], []
    empty_posts = [s for s in short if s["severity"] == "empty"]
    seats = sum(s["missing"] for s in short)
    if short:
        items.append(f"{seats} empty seat(s) in {len(short)} shift(s)"
                     + (f", {len(empty_posts)} with the post entirely empty (first: {empty_posts[0]['explanation']})"
                        if empty_posts else ""))
        items_zh.append(f"空岗{seats}人次（{len(short)}个班次）" + (f"，其中{len(empty_posts)}个班次岗位无人" if empty_posts else ""))
    if soft:
        by_rule: dict[str, int] = {}
        for v in soft:
            by_rule[v.rule] = by_rule.get(v.rule, 0) + 1
        items.append("soft rules broken: " + ", ".join(f"{r} {n}x" for r, n in by_rule.items()))
        items_zh.append("软规则未满足：" + "，".join(f"{r} {n}次" for r, n in by_rule.items()))
    if unofficial:
        years = sorted({d.year for d in unofficial})
        items.append(f"{len(unofficial)} day(s) planned without official holiday data ({', '.join(map(str, years))}): "
                     "public holidays and 调休 workdays may be wrong")
        items_zh.append(f"{len(unofficial)}天没有官方节假日数据（{'、'.join(map(str, years))}年），法定节假日和调休可能不准")
    if cap["lower_bound_seats"] > 0:
        items.append(f"capacity: {cap['reason']}")
        items_zh.append(f"人力：{cap['reason_zh']}")
    notes = [f"{v.message}" for v in kpi[:10]]
    return {"empty_seats": seats, "empty_posts": len(empty_posts), "shortfalls": short[:50], "notes": notes,
            "soft_breaks": [{"rule": v.rule, "message": v.message} for v in soft[:50]],
            "days_without_official_data": [d.isoformat() for d in unofficial], "capacity": cap,
            "items": items, "items_zh": items_zh, "needs_reason": bool(items)}


def check(session: Session, roster: dict, ver: dict) -> list[dict]:
    """Hard violations of a stored version, from the validators."""
    from scheduler.station.build import build
    from scheduler.validate import validate
    sp, grid = _grid_and_problem(session, roster, ver)
    problem, rules = build(sp)
    return [v.to_json() for v in validate(problem, grid, rules) if v.hard]


def published_version(session: Session, roster_id: int) -> dict | None:
    return rdb.published_version(session.sdb, roster_id)


def transition(session: Session, ref: RosterRef, action: str, *, comment: str | None = None,
               reason: str | None = None) -> dict:
    """submit / approve / reject / publish one version (default: the newest).

    Approving or publishing a version with empty seats, soft-rule breaks, days without official
    holiday data or a capacity shortage needs ``reason`` (kept in the audit log): the chief
    signs knowing what is signed."""
    from usecases.roster import diff
    session.sdb.require_station()
    allowed_from, target = TRANSITIONS[action]
    session.require_action(action)
    roster, ver = _version(session, ref)
    label = f"roster {roster['id']} v{ver['version']}"
    seen = rdb.version_state(session.sdb, ver["id"])   # read before the checks; compared when writing
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
    signing = None
    if action in ("approve", "publish"):
        signing = signing_summary(session, roster, ver)
        if action == "publish" and not reason:       # signed for at approval already
            reason = audit_db.reason_of(session.sdb, "roster.approve", f"{roster['id']}v{ver['version']}")
        if signing["needs_reason"] and not (reason and reason.strip()):
            lines = "\n".join(f"  - {x}" for x in signing["items"])
            raise InputError(InputProblem(file="command line", field="--reason",
                                          message=f"{action} {label} signs for:\n{lines}\n"
                                                  "Say why it is acceptable: add --reason TEXT (it is recorded)"))
    pub = published_version(session, roster["id"])
    changes = None
    if pub and pub["id"] != ver["id"]:
        changes = diff(session, RosterRef(roster["id"], pub["version"]), RosterRef(roster["id"], ver["version"]))["changes"]
    with session.sdb.write():
        current = rdb.version_state(session.sdb, ver["id"])
        if current["status"] != seen["status"]:   # someone else moved it meanwhile
            raise Refused(f"{label} changed to {current['status']} meanwhile; nothing was done")
        if current["revision"] != seen["revision"]:   # edited after the checks above read it
            raise Refused(f"{label} was edited meanwhile; nothing was done. Look at it again, then {action} it")
        content = digests.roster_content(session.sdb, ver["id"]) if action in ("approve", "publish") else None
        rdb.set_status(session.sdb, ver["id"], target, comment=comment, content_digest=content)
        vouch = []
        if action == "publish" and pub and pub["id"] != ver["id"]:
            rdb.set_status(session.sdb, pub["id"], "superseded")
            vouch.append(f"roster:{roster['id']}v{pub['version']}")
        session.audit(f"roster.{action}", entity="roster", entity_id=f"{roster['id']}v{ver['version']}",
                      before={"status": ver["status"]}, after={"status": target, "comment": comment,
                                                               "content_digest": content,
                                                               "reason": reason,
                                                               "signed_for": None if signing is None
                                                               else signing["items"],
                                                               "changes_vs_published": None if changes is None
                                                               else len(changes)}, vouch=vouch)
        anchor = audit_db.anchor(session.sdb)
        head = anchor["hash"] if action == "approve" else None
        if head:
            rdb.set_status(session.sdb, ver["id"], target, audit_head=head)
    out = {"roster_id": roster["id"], "version": ver["version"], "status": target, "comment": comment,
           "content_digest": content, "anchor": anchor, "reason": reason, "signing": signing}
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


class _Retry(Exception):
    """Another writer changed the version between our read and our write: read again."""


EDIT_RETRIES = 6


def _apply_change(session: Session, ref: RosterRef, make_change, *, what: str, reason: str | None,
                  audit_action: str, detail: dict, expected: dict[tuple[str, int], str | None] | None = None) -> dict:
    """Validate and write a change of a few cells (``make_change(grid)`` gives {(badge, day):
    "SHIFT@POST" or None}).

    The grid is read and validated outside the write lock; the write then checks, inside one
    `BEGIN IMMEDIATE` transaction, that the version's status and revision are still what was
    read. If another writer changed other cells meanwhile, the change is validated again on the
    fresh grid (a clean retry); if the same cells changed from what this change started from
    (``expected``, default: the cells as first read), it is refused with who changed them. Only
    the changed cells are written."""
    for _attempt in range(EDIT_RETRIES):
        try:
            return _try_change(session, ref, make_change, what=what, reason=reason, audit_action=audit_action,
                               detail=detail, expected=expected)
        except _Retry as retry:
            expected = retry.args[0]
    raise Refused(f"{what}: the roster kept changing under other terminals' edits; nothing was done. Try again.")


def _cell_changed(session: Session, roster: dict, keys: list[tuple[str, int]], grid, expected) -> CellChanged:
    start = date.fromisoformat(roster["start"])
    zone = station_db.zone(session.sdb)
    parts = []
    for b, d in keys:
        last = rdb.last_cell_change(session.sdb, roster["id"], b, d)
        when = arrow.get(last["at"]).to(zone).format("HH:mm:ss") if last else None
        who = f" by {last['login']} at {when}" if last else ""
        parts.append(f"{b} on {start + timedelta(days=d)} was changed{who} "
                     f"(was {expected.get((b, d)) or 'off'}, now {grid.get((b, d)) or 'off'})")
    return CellChanged("; ".join(parts) + "; nothing was done. Reload the roster and decide again.")


def _try_change(session: Session, ref: RosterRef, make_change, *, what: str, reason: str | None,
                audit_action: str, detail: dict, expected) -> dict:
    from scheduler.station.build import RULE_LABELS, build
    from scheduler.validate import validate
    sdb = session.sdb
    roster, ver = _version(session, ref)
    ver, copy = _editable(session, roster, ver)
    seen = rdb.version_state(sdb, ver["id"])            # read before the grid: any later change shows
    if copy and ref.version is not None and seen["newest"] != ver["version"]:
        newer = rdb.get_version(sdb, roster["id"])
        if newer["status"] in ("draft", "submitted"):
            when = arrow.get(newer["created_at"]).to(station_db.zone(sdb)).format("HH:mm:ss")
            raise CellChanged(f"roster {roster['id']} has a newer version v{newer['version']} ({newer['status']}, "
                              f"made by {newer['created_by']} at {when}); nothing was done. "
                              f"Reload and change that one (roster {roster['id']})")
    sp, before = _grid_and_problem(session, roster, ver)
    change = make_change(before)
    if expected is None:
        expected = {k: before.get(k) for k in change}
    moved = [k for k in change if before.get(k) != expected.get(k)]
    if moved:
        raise _cell_changed(session, roster, moved, before, expected)
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

    def row(b: str, d: int, code: str | None) -> dict | None:
        if code is None:
            return None
        shift, post = code.split("@")
        return {"shift": shift, "post": post, "reason": reason if (b, d) in change else None}
    with sdb.write():
        now = rdb.version_state(sdb, ver["id"])
        if now["status"] != seen["status"]:
            raise Refused(f"roster {roster['id']} v{ver['version']} changed to {now['status']} meanwhile; "
                          "nothing was done")
        if now["revision"] != seen["revision"] or now["newest"] != seen["newest"]:
            raise _Retry(expected)
        if copy:
            rows = [{"date": (start + timedelta(days=d)).isoformat(), "badge": b, **row(b, d, code)}
                    for (b, d), code in sorted(after.items(), key=lambda kv: (kv[0][1], kv[0][0])) if code is not None]
            target = rdb.add_version(sdb, roster["id"], status="draft", login=session.login,
                                     assignments=rows, parent_id=ver["id"],
                                     comment=f"{what}" + (f": {reason}" if reason else ""), solver=ver.get("solver"))
        else:
            rdb.set_cells(sdb, ver["id"], {(b, (start + timedelta(days=d)).isoformat()): row(b, d, code)
                                           for (b, d), code in change.items()})
            target = {"version": ver["version"]}
        session.audit(audit_action, entity="roster", entity_id=f"{roster['id']}v{target['version']}",
                      before={"version": ver["version"], **{f"{b}@{d}": before[(b, d)] for (b, d) in change}},
                      after={**detail, "reason": reason, "soft_rules_worse": worse,
                             **{f"{b}@{d}": after[(b, d)] for (b, d) in change}})
    return {"roster_id": roster["id"], "version": target["version"], "status": "draft",
            "new_version": copy, "soft_rules_worse": worse, "warnings": worse_msgs, "reason": reason}


def edit(session: Session, ref: RosterRef, day: date, *, badge: str, shift: str | None, post: str | None,
         reason: str | None = None, expected: str | None | type(...) = ...) -> dict:
    """Put BADGE on (day, shift, post), or off that day when shift is None.

    ``expected``: the cell as the user saw it ("SHIFT@POST" or None); when given, the edit is
    refused if the cell holds something else by the time it is written (the TUI passes what its
    grid shows). By default the cell as this call first reads it."""
    session.sdb.require_station()
    session.require_action("edit")
    roster, _ = _version(session, ref)
    d = _day(roster, day)
    _person(session, badge)
    if shift is not None:
        _slot(session, shift, post)
    code = None if shift is None else f"{shift}@{post}"
    what = f"{badge} {'off' if code is None else shift + ' on ' + post} {day}"
    return _apply_change(session, ref, lambda grid: {(badge, d): code}, what=f"edit ({what})", reason=reason,
                         audit_action="roster.edit", detail={"badge": badge, "date": day.isoformat(),
                                                             "shift": shift, "post": post},
                         expected=None if expected is ... else {(badge, d): expected})


def swap(session: Session, ref: RosterRef, day: date, a: str, b: str, *, reason: str | None = None,
         expected: dict[str, str | None] | None = None) -> dict:
    """Exchange the assignments of two people on one day (``expected``: {badge: cell} as the
    user saw them, see `edit`)."""
    session.sdb.require_station()
    session.require_action("swap")
    roster, ver = _version(session, ref)
    d = _day(roster, day)
    _person(session, a)
    _person(session, b)
    if a == b:
        raise InputError(InputProblem(file="command line", field="--b", message="swap needs two different people"))

    def make_change(grid) -> dict:
        if grid.get((a, d)) is None and grid.get((b, d)) is None:
            raise InputError(InputProblem(file="command line", field="--a",
                                          message=f"neither {a} nor {b} works on {day}; nothing to swap"))
        return {(a, d): grid.get((b, d)), (b, d): grid.get((a, d))}
    return _apply_change(session, ref, make_change, what=f"swap {a} <-> {b} on {day}", reason=reason,
                         audit_action="roster.swap", detail={"a": a, "b": b, "date": day.isoformat()},
                         expected=None if expected is None else {(x, d): expected.get(x) for x in (a, b)})


def _day(roster: dict, day: date) -> int:
    start = date.fromisoformat(roster["start"])
    d = (day - start).days
    if not 0 <= d < roster["days"]:
        raise InputError(InputProblem(file="command line", field="--date",
                                      message=f"{day} is outside roster {roster['id']} ({start} for {roster['days']} days)"))
    return d


def _person(session: Session, badge: str) -> None:
    if not station_db.person_exists(session.sdb, badge, active_only=True):
        raise InputError(InputProblem(file="command line", field="--person",
                                      message=f"no active person with badge '{badge}'"))


def _slot(session: Session, shift: str, post: str | None) -> None:
    if post is None:
        raise InputError(InputProblem(file="command line", field="--post", message="give --post with --shift"))
    if not station_db.shift_exists(session.sdb, shift):
        raise InputError(InputProblem(file="command line", field="--shift", message=f"unknown shift '{shift}'"))
    if not station_db.post_exists(session.sdb, post):
        raise InputError(InputProblem(file="command line", field="--post", message=f"unknown post '{post}'"))


def audit_show(session: Session, since: date | None = None) -> list[dict]:
    return audit_db.entries(session.sdb, since=since.isoformat() if since else None)


def audit_verify(session: Session, anchor_files=()) -> dict:
    from usecases.audit import verify
    return verify(session, anchor_files)
