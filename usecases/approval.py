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
from errors import ARGS, CellChanged, InputError, InputProblem, Refused
from messages import Items, Msg, Name, zone_name
from stationdef import codes as typed
from usecases.context import Session
from usecases.roster import RosterRef, _version, load_problem

TRANSITIONS = {
    "submit": ({"draft"}, "submitted"),
    "approve": ({"submitted"}, "approved"),
    "reject": ({"submitted"}, "rejected"),
    "publish": ({"approved"}, "published"),
}
WHO = {"submit": ("duty", "chief"), "approve": ("chief",), "reject": ("chief",), "publish": ("chief",)}


def _grid_and_problem(session: Session, roster: dict, ver: dict):
    start = date.fromisoformat(roster["start"])
    sp, _ = load_problem(session, start, roster["days"], exclude_roster=roster["id"])
    rows = rdb.assignments(session.sdb, ver["id"])
    grid = {(p.badge, d): None for p in sp.people for d in range(sp.days)}
    for r in rows:
        grid[(r["badge"], (date.fromisoformat(r["date"]) - start).days)] = f"{r['shift']}@{r['post']}"
    return sp, grid


SOFT_BREAKS = ("woman_on_duty",)         # soft rules whose breaks a chief signs for, with a reason
SOFT_KPIS = ("community_share", "post_woman", "max_weekends")   # shown when signing, no reason needed


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
    items: list[Msg] = []
    empty_posts = [s for s in short if s["severity"] == "empty"]
    seats = sum(s["missing"] for s in short)
    if short:
        items.append(Msg("sign.empty_seats_posts" if empty_posts else "sign.empty_seats", seats=seats, shifts=len(short),
                         posts=len(empty_posts), first=_said(empty_posts[0], "explanation") if empty_posts else ""))
    if soft:
        by_rule: dict[str, int] = {}
        for v in soft:
            by_rule[v.rule] = by_rule.get(v.rule, 0) + 1
        items.append(Msg("sign.soft_broken", rules=Items(Msg("sign.rule_times", rule=_rule_name(r), n=n)
                                                         for r, n in by_rule.items())))
    if unofficial:
        years = sorted({d.year for d in unofficial})
        items.append(Msg("sign.unofficial", n=len(unofficial), years=Items(map(str, years))))
    if cap["lower_bound_seats"] > 0:
        items.append(Msg("sign.capacity", reason=Name(cap.get("reason_zh") or cap["reason"], cap["reason"])))
    notes = [str(v.msg) if v.msg is not None else v.message for v in kpi[:10]]   # in the caller's language
    return {"empty_seats": seats, "empty_posts": len(empty_posts), "shortfalls": short[:50], "notes": notes,
            "soft_breaks": [{"rule": v.rule, "message": v.message} for v in soft[:50]],
            "days_without_official_data": [d.isoformat() for d in unofficial], "capacity": cap,
            "items": items, "needs_reason": bool(items)}


def _rule_name(code: str):
    """The rule's name from the rule catalogue (the code when it has none)."""
    from scheduler.rules.catalogue import CATALOGUE
    return Msg(CATALOGUE[code].name_key) if code in CATALOGUE else code


def _said(record: dict, key: str) -> Name:
    """A scheduler text kept in English (``key``) and Chinese (``key_zh``) as a message value."""
    return Name(record.get(f"{key}_zh") or record[key], record[key])


def signing_for(session: Session, ref: RosterRef, action: str) -> dict:
    """What the approve or publish dialog shows before the chief signs: the `signing_summary` of
    the version and, for publish, the reason recorded when it was approved (publish reuses it).
    ``reason_required``: the dialog needs a reason before it may go on."""
    session.sdb.require_station()
    session.require_action("read")
    roster, ver = _version(session, ref)
    out = signing_summary(session, roster, ver)
    out["approved_reason"] = (audit_db.reason_of(session.sdb, "roster.approve", f"{roster['id']}v{ver['version']}")
                              if action == "publish" else None)
    out["reason_required"] = out["needs_reason"] and not out["approved_reason"]
    return out


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
    label = Msg("roster.label", id=roster["id"], v=ver["version"])
    verb = Msg(f"roster.verb.{action}")
    seen = rdb.version_state(session.sdb, ver["id"])   # read before the checks; compared when writing
    if ver["status"] not in allowed_from:
        raise Refused(Msg("roster.cannot", verb=verb, label=label, status=Msg(f"status.{ver['status']}"),
                          hint=Msg(f"roster.hint.{ver['status']}")))
    if action == "reject" and not (comment and comment.strip()):
        raise InputError(InputProblem(file=ARGS, field="roster_comment", message=Msg("roster.say_why_rejected")))
    if action in ("submit", "approve", "publish"):
        hard = check(session, roster, ver)
        if hard:
            lines = "\n".join(f"  - {v['message']}" for v in hard[:10])
            raise Refused(Msg("roster.hard_block", verb=verb, label=label, n=len(hard), lines=lines))
    signing = None
    if action in ("approve", "publish"):
        signing = signing_summary(session, roster, ver)
        if action == "publish" and not reason:       # signed for at approval already
            reason = audit_db.reason_of(session.sdb, "roster.approve", f"{roster['id']}v{ver['version']}")
        if signing["needs_reason"] and not (reason and reason.strip()):
            raise InputError(InputProblem(file=ARGS, field="roster_reason",
                                          message=Msg("roster.signs_for", verb=verb, label=label,
                                                      lines=Items(signing["items"], sep="bullets"))))
    pub = published_version(session, roster["id"])
    changes = None
    if pub and pub["id"] != ver["id"]:
        changes = diff(session, RosterRef(roster["id"], pub["version"]), RosterRef(roster["id"], ver["version"]))["changes"]
    with session.sdb.write():
        current = rdb.version_state(session.sdb, ver["id"])
        if current["status"] != seen["status"]:   # someone else moved it meanwhile
            raise Refused(Msg("roster.changed_meanwhile", label=label, status=Msg(f"status.{current['status']}")))
        if current["revision"] != seen["revision"]:   # edited after the checks above read it
            raise Refused(Msg("roster.edited_meanwhile", label=label, verb=verb))
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
                                                               else [m.render("en") for m in signing["items"]],
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
        raise Refused(Msg("roster.submitted_waits", label=Msg("roster.label", id=roster["id"], v=ver["version"])))
    if ver["status"] == "superseded":
        raise Refused(Msg("roster.superseded", label=Msg("roster.label", id=roster["id"], v=ver["version"])))
    return ver, ver["status"] != "draft"


class _Retry(Exception):
    """Another writer changed the version between our read and our write: read again."""


EDIT_RETRIES = 6


def _apply_change(session: Session, ref: RosterRef, make_change, *, what: Msg, reason: str | None,
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
    raise Refused(Msg("roster.kept_changing", what=what))


def refusal_line(v, lang: str) -> str:
    """One broken rule as a refusal names it, in ``lang``: the rule's name, what is wrong and its
    source, all from the rule catalogue (scheduler/rules/catalogue.py)."""
    from messages import t
    from scheduler.rules.catalogue import CATALOGUE
    if v.rule not in CATALOGUE:
        return f"  - {v.rule}: {v.message}"
    d = CATALOGUE[v.rule]
    text = v.msg.values.get("text") if v.msg is not None else None     # station rules: the text without its source
    message = text.render(lang) if text is not None else v.message
    return t("rules.refused_line", _lang_override=lang, rule=t(d.name_key, _lang_override=lang), message=message,
             source=t(d.source_key, _lang_override=lang))


def _cell_changed(session: Session, roster: dict, keys: list[tuple[str, int]], grid, expected) -> CellChanged:
    start = date.fromisoformat(roster["start"])
    zone = station_db.zone(session.sdb)
    parts = []
    for b, d in keys:
        last = rdb.last_cell_change(session.sdb, roster["id"], b, d)
        when = Msg("time.at_zone", time=arrow.get(last["at"]).to(zone).format("HH:mm:ss"),
                   zone=zone_name(zone)) if last else None
        parts.append(Msg("roster.cell_changed_by" if last else "roster.cell_changed", badge=b,
                         day=(start + timedelta(days=d)).isoformat(), by=last["login"] if last else "",
                         at=when or "", was=_cell(expected.get((b, d))), now=_cell(grid.get((b, d)))))
    return CellChanged(Msg("roster.cells_changed", cells=Items(parts, sep="clause")))


def _cell(code: str | None):
    """A cell as a message value: N@PAT1, or "off"."""
    return code if code else Msg("roster.cell_off")


def _try_change(session: Session, ref: RosterRef, make_change, *, what: str, reason: str | None,
                audit_action: str, detail: dict, expected) -> dict:
    from scheduler.station.build import build
    from scheduler.validate import validate
    sdb = session.sdb
    roster, ver = _version(session, ref)
    ver, copy = _editable(session, roster, ver)
    seen = rdb.version_state(sdb, ver["id"])            # read before the grid: any later change shows
    if copy and ref.version is not None and seen["newest"] != ver["version"]:
        newer = rdb.get_version(sdb, roster["id"])
        if newer["status"] in ("draft", "submitted"):
            zone = station_db.zone(sdb)
            when = Msg("time.at_zone", time=arrow.get(newer["created_at"]).to(zone).format("HH:mm:ss"),
                       zone=zone_name(zone))
            raise CellChanged(Msg("roster.newer_version", id=roster["id"], v=newer["version"],
                                  status=Msg(f"status.{newer['status']}"), by=newer["created_by"], at=when))
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
        raise Refused(Msg("roster.nothing_changes", what=what))
    problem, rules = build(sp)
    old = validate(problem, before, rules)
    new = validate(problem, after, rules)
    key = lambda v: (v.rule, v.employee, v.day, v.message)  # noqa: E731
    old_keys = {key(v) for v in old}
    broken_hard = [v for v in new if v.hard and key(v) not in old_keys]
    if broken_hard:
        lines = "\n".join(refusal_line(v, session.ctx.lang) for v in broken_hard[:8])
        raise Refused(Msg("roster.breaks_hard", what=what, n=len(broken_hard), lines=lines))
    soft_old: dict[str, int] = {}
    soft_new: dict[str, int] = {}
    for v in old:
        if not v.hard:
            soft_old[v.rule] = soft_old.get(v.rule, 0) + v.penalty
    for v in new:
        if not v.hard:
            soft_new[v.rule] = soft_new.get(v.rule, 0) + v.penalty
    worse = {r: soft_new[r] - soft_old.get(r, 0) for r in soft_new if soft_new[r] > soft_old.get(r, 0)}
    worse_new = [v for v in new if not v.hard and v.rule in worse and key(v) not in old_keys]
    lang = session.ctx.lang
    worse_msgs = [v.msg.render(lang) if v.msg is not None else v.message for v in worse_new]
    if worse and not (reason and reason.strip()):
        names = Items([_rule_name(r) for r in sorted(worse)])
        lines = "\n".join(refusal_line(v, lang) for v in worse_new[:8]) or f"  - {names.render(lang)}"
        raise InputError(InputProblem(file=ARGS, field="roster_reason",
                                      message=Msg("roster.soft_worse", what=what, rules=names, lines=lines)))
    start = date.fromisoformat(roster["start"])

    def row(b: str, d: int, code: str | None) -> dict | None:
        if code is None:
            return None
        shift, post = code.split("@")
        return {"shift": shift, "post": post, "reason": reason if (b, d) in change else None}
    with sdb.write():
        now = rdb.version_state(sdb, ver["id"])
        if now["status"] != seen["status"]:
            raise Refused(Msg("roster.changed_meanwhile", label=Msg("roster.label", id=roster["id"], v=ver["version"]),
                              status=Msg(f"status.{now['status']}")))
        if now["revision"] != seen["revision"] or now["newest"] != seen["newest"]:
            raise _Retry(expected)
        if copy:
            rows = [{"date": (start + timedelta(days=d)).isoformat(), "badge": b, **row(b, d, code)}
                    for (b, d), code in sorted(after.items(), key=lambda kv: (kv[0][1], kv[0][0])) if code is not None]
            target = rdb.add_version(sdb, roster["id"], status="draft", login=session.login,
                                     assignments=rows, parent_id=ver["id"],
                                     comment=what.render("en") + (f": {reason}" if reason else ""),
                                     solver=ver.get("solver"))
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
        shift, post = _slot(session, shift, post)
    code = None if shift is None else f"{shift}@{post}"
    what = (Msg("roster.what_edit_off", badge=badge, day=day.isoformat()) if code is None else
            Msg("roster.what_edit", badge=badge, shift=shift, post=post, day=day.isoformat()))
    return _apply_change(session, ref, lambda grid: {(badge, d): code}, what=what, reason=reason,
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
        raise InputError(InputProblem(file=ARGS, field="swap_b", message=Msg("roster.swap_same")))

    def make_change(grid) -> dict:
        if grid.get((a, d)) is None and grid.get((b, d)) is None:
            raise InputError(InputProblem(file=ARGS, field="swap_a",
                                          message=Msg("roster.swap_nothing", a=a, b=b, day=day.isoformat())))
        return {(a, d): grid.get((b, d)), (b, d): grid.get((a, d))}
    return _apply_change(session, ref, make_change, what=Msg("roster.what_swap", a=a, b=b, day=day.isoformat()),
                         reason=reason,
                         audit_action="roster.swap", detail={"a": a, "b": b, "date": day.isoformat()},
                         expected=None if expected is None else {(x, d): expected.get(x) for x in (a, b)})


def _day(roster: dict, day: date) -> int:
    start = date.fromisoformat(roster["start"])
    d = (day - start).days
    if not 0 <= d < roster["days"]:
        raise InputError(InputProblem(file=ARGS, field="roster_date",
                                      message=Msg("roster.day_outside", day=day.isoformat(), id=roster["id"],
                                                  start=start.isoformat(), days=roster["days"])))
    return d


def _person(session: Session, badge: str) -> None:
    if not station_db.person_exists(session.sdb, badge, active_only=True):
        raise InputError(InputProblem(file=ARGS, field="roster_person", message=Msg("roster.no_person", badge=badge)))


def _slot(session: Session, shift: str, post: str | None) -> tuple[str, str]:
    """The shift and post codes, typed as codes or names (N or 夜班, PAT1 or 巡逻1)."""
    if post is None:
        raise InputError(InputProblem(file=ARGS, field="roster_post", message=Msg("roster.post_with_shift")))
    sd = station_db.load_station(session.sdb)
    shift = typed.resolve(shift, typed.of_records(sd.shifts), what="code.shift", field="roster_shift")
    post = typed.resolve(post, typed.of_records(sd.posts), what="code.post", field="roster_post")
    return shift, post


def audit_show(session: Session, since: date | None = None) -> list[dict]:
    return audit_db.entries(session.sdb, since=since.isoformat() if since else None)


def audit_verify(session: Session, anchor_files=()) -> dict:
    from usecases.audit import verify
    return verify(session, anchor_files)
