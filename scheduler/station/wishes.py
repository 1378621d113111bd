"""Which officers' wishes a roster grants, and why each other one is not granted.

A wish (``SRequest``) to work a shift (or any shift) on a day is granted when the person works
it; a wish to be off, when they do not. For a wish not granted the roster is changed in that
one cell and checked again with the same validators as the solver:

- to work: on leave, no post of the shift takes them, or every post would break a hard rule
  (rest after a night, 24 h rest, consecutive days, ...: the rule is quoted);
- to be off: without them a hard rule breaks (a team without its 民警, ...) or a seat is left
  empty (cover);
- otherwise the change is legal but costs more in the other objective terms (fairness, hours,
  over cover, other wishes) than the wish's weight is worth (the terms are named); or it would
  have cost nothing more, and the solver did not find it within its time limit.

Pure: the station problem and a roster in, a list of outcomes out.
"""
from __future__ import annotations

from scheduler.station.model import SRequest, StationRosterProblem, split_slot

MAX_TRIALS = 8          # placements tried per wish to work


def _key(v):
    return (v.rule, v.employee, v.day, v.message)


def _text(v):
    """A broken rule's text as a message value (the reader's language), or its English text."""
    return v.msg if v.msg is not None else v.message


def _soft(found) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in found:
        if not v.hard and v.penalty:
            out[v.rule] = out.get(v.rule, 0) + v.penalty
    return out


def granted(sp: StationRosterProblem, grid: dict, w: SRequest) -> bool:
    code = grid.get((w.badge, w.day))
    works = code is not None and (w.shift is None or split_slot(code)[0] == w.shift)
    return works if w.on else not works


def wish_outcomes(sp: StationRosterProblem, grid: dict, wishes: list[SRequest] | None = None,
                  built: tuple | None = None) -> list[dict]:
    """One outcome per wish (default: the problem's own): {badge, day, date, shift, on, weight,
    granted, actual, code, why}; ``why`` is rendered from the message catalogue."""
    from messages import leave_kind, t
    from scheduler.station.build import build
    from scheduler.validate import validate
    wishes = sp.requests if wishes is None else wishes
    if not wishes:
        return []
    problem, rules = built or build(sp)
    full = {(p.badge, d): grid.get((p.badge, d)) for p in sp.people for d in range(sp.days)}
    base = validate(problem, full, rules)
    base_hard = {_key(v) for v in base if v.hard}
    base_soft = _soft(base)
    people = sp.person_by_badge
    shifts, posts = sp.shift_by_code, sp.post_by_code

    def trial(cell_value):
        """(new hard violations, soft delta per rule) of the roster with the wish's cell changed."""
        changed = dict(full)
        changed[(w.badge, w.day)] = cell_value
        found = validate(problem, changed, rules)
        new_hard = [v for v in found if v.hard and _key(v) not in base_hard]
        soft = _soft(found)
        delta = {r: soft.get(r, 0) - base_soft.get(r, 0) for r in set(soft) | set(base_soft)}
        return new_hard, {r: d for r, d in delta.items() if d}

    def cost_why(delta: dict[str, int]) -> tuple[str, str]:
        if sum(delta.values()) < 0:
            return "free", t("why.free")
        terms = [t(f"why.term.{r}") if f"why.term.{r}" in _terms() else r
                 for r, d in sorted(delta.items(), key=lambda kv: -kv[1]) if d > 0 and r != "requests"] or \
                [t("why.term.requests")]
        return "cost", t("why.cost", terms=", ".join(terms))

    out = []
    for w in wishes:
        person = people.get(w.badge)
        code = full.get((w.badge, w.day))
        row = {"badge": w.badge, "name": person.name if person else None, "day": w.day,
               "date": sp.date(w.day).isoformat(), "shift": w.shift, "kind": "on" if w.on else "off",
               "weight": w.weight, "actual": code}
        shift_name = shifts[w.shift].name if w.shift in shifts else t("req.any_shift")
        if person is None:
            out.append(row | {"granted": False, "code": "inactive", "why": t("why.inactive")})
            continue
        if granted(sp, full, w):
            if w.on:
                why = t("why.granted_on", actual=code)
            else:
                why = t("why.granted_off") if code is None else t("why.granted_off_other", actual=code)
            out.append(row | {"granted": True, "code": "granted", "why": why})
            continue
        if w.on:
            away = sp.unavailable.get(w.badge, {}).get(w.day)
            if away:
                out.append(row | {"granted": False, "code": "leave", "why": t("why.leave", kind=leave_kind(away))})
                continue
            places = [(s.code, p.code) for s in sp.shifts if w.shift is None or s.code == w.shift
                      for p in sp.posts if sp.demand.get((w.day, s.code, p.code), 0) > 0
                      and sp.eligible(person, p, w.day) is None]
            if not places:
                out.append(row | {"granted": False, "code": "no_post", "why": t("why.no_post", shift=shift_name)})
                continue
            # understaffed places first: the likeliest to be legal and cheap
            staffed = {}
            for (b, d), c in full.items():
                if d == w.day and c:
                    staffed[c] = staffed.get(c, 0) + 1
            places.sort(key=lambda sp_: staffed.get(f"{sp_[0]}@{sp_[1]}", 0) - sp.demand.get((w.day, *sp_), 0))
            first_hard, best = None, None
            for s_code, p_code in places[:MAX_TRIALS]:
                new_hard, delta = trial(f"{s_code}@{p_code}")
                if new_hard:
                    first_hard = first_hard or new_hard[0]
                    continue
                if best is None or sum(delta.values()) < sum(best.values()):
                    best = delta
            if best is None:
                out.append(row | {"granted": False, "code": "rule",
                                  "why": t("why.rule", rule=_text(first_hard) if first_hard else "-")})
                continue
            c, why = cost_why(best)
            out.append(row | {"granted": False, "code": c, "why": why})
        else:
            new_hard, delta = trial(None)
            if new_hard:
                out.append(row | {"granted": False, "code": "needed",
                                  "why": t("why.needed_rule", rule=_text(new_hard[0]))})
                continue
            if delta.get("cover", 0) > 0:
                s_code, p_code = split_slot(code)
                slot = f"{posts[p_code].name} {shifts[s_code].name}" if p_code in posts and s_code in shifts else code
                out.append(row | {"granted": False, "code": "cover", "why": t("why.cover", slots=slot)})
                continue
            c, why = cost_why(delta)
            out.append(row | {"granted": False, "code": c, "why": why})
    return out


def _terms() -> set[str]:
    from messages import MESSAGES
    return {k for k in MESSAGES if k.startswith("why.term.")}
