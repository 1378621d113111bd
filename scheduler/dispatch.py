"""Ranking patrol units for an incident: legal team fit first (hard), then travel, skills,
load and hours on duty; a reserve rule keeps the last free unit for urgent calls.

Pure: plain dataclasses in, a ranked list with reasons out (fast: well under 50 ms for 50 units).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from messages import Items, Msg, Name

DISPATCHABLE = ("available", "patrol")
TRAVEL = "dispatch.travel"      # the key of "about N min away"


@dataclass(frozen=True)
class Member:
    badge: str
    name: str
    sex: str
    person_type: str
    skills: frozenset[str] = frozenset()


@dataclass
class UnitState:
    code: str
    name: str
    status: str
    members: list[Member]
    x_m: float = 0.0
    y_m: float = 0.0
    located: bool = True            # x_m / y_m are where it is (else no travel time is given)
    adhoc: bool = False             # a post's crew that is not a unit (e.g. the traffic post): sent by override
    load: int = 0                   # incidents handled this shift
    minutes_on_duty: int = 0
    kind: str = "patrol"            # patrol | standby
    title: Name | None = None       # the unit's name in both languages (its post's), else the code

    @property
    def label(self) -> Name:
        return self.title or Name(self.code)


@dataclass(frozen=True)
class Need:
    priority: int
    min_sworn: int = 1
    min_people: int = 2
    needs_woman: bool = False
    required_skills: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    x_m: float | None = None
    y_m: float | None = None
    skill_names: dict[str, Name] = field(default_factory=dict, hash=False, compare=False)

    def skill(self, code: str) -> Name:
        """A skill as the reasons name it (the station's name in both languages, else the code)."""
        return self.skill_names.get(code) or Name(code)


@dataclass
class Ranking:
    units: list[dict] = field(default_factory=list)      # {"unit", "score", "reasons", "travel_min"}
    excluded: list[dict] = field(default_factory=list)   # {"unit", "why"}


def legal_fit(unit: UnitState, need: Need) -> list[Msg]:
    """Why the unit's team may not take the call (empty: it may), as catalogue messages."""
    why: list[Msg] = []
    sworn = sum(m.person_type == "sworn" for m in unit.members)
    n = len(unit.members)
    if n < need.min_people:
        why.append(Msg("dispatch.too_few_one" if n == 1 else "dispatch.too_few", n=n, need=need.min_people))
    if sworn < need.min_sworn:
        why.append(Msg("dispatch.too_few_sworn", n=sworn, need=need.min_sworn))
    if any(m.person_type != "sworn" for m in unit.members) and sworn == 0:
        why.append(Msg("dispatch.aux_alone"))
    if need.needs_woman and not any(m.sex == "F" for m in unit.members):
        why.append(Msg("dispatch.no_woman"))
    held = set().union(*(m.skills for m in unit.members)) if unit.members else set()
    for s in need.required_skills:
        if s not in held:
            why.append(Msg("dispatch.nobody_holds", skill=need.skill(s)))
    return why


def _score(u: UnitState, need: Need, speed_m_per_min: float) -> tuple[float, list[Msg], int | None]:
    score = 100.0
    reasons: list[Msg] = []
    travel = None
    if need.x_m is not None and need.y_m is not None:
        travel = math.ceil(math.hypot(u.x_m - need.x_m, u.y_m - need.y_m) * 1.3 / speed_m_per_min)
        score -= 3 * travel
        reasons.append(Msg(TRAVEL, min=travel))
    held = set().union(*(m.skills for m in u.members)) if u.members else set()
    good = [s for s in need.skills if s in held]
    if good:
        score += 10 * len(good)
        reasons.append(Msg("dispatch.holds", skills=Items(need.skill(s) for s in good)))
    sworn = sum(m.person_type == "sworn" for m in u.members)
    n = len(u.members)
    reasons.append(Msg("dispatch.crew_one" if n == 1 else "dispatch.crew", n=n, sworn=sworn))
    if u.load:
        score -= 5 * u.load
        reasons.append(Msg("dispatch.load", n=u.load))
    if u.minutes_on_duty:
        score -= u.minutes_on_duty / 60
        reasons.append(Msg("dispatch.on_duty_hours", h=u.minutes_on_duty // 60))
    if u.status == "patrol":
        score -= 2
        reasons.append(Msg("dispatch.on_patrol"))
    if u.kind == "standby":
        score -= 4
        reasons.append(Msg("dispatch.standby"))
    return score, reasons, travel


def without_travel(reasons: list[Msg]) -> list[Msg]:
    """The reasons without "about N min away" (also inside a pair's reasons): for a unit whose
    position is not known, a made-up travel time is worse than none."""
    out = []
    for r in reasons:
        if r.key == TRAVEL:
            continue
        if isinstance(r.values.get("reasons"), Items):
            r = Msg(r.key, **(r.values | {"reasons": Items(without_travel(r.values["reasons"].items))}))
        out.append(r)
    return out


def rank(units: list[UnitState], need: Need, *, speed_m_per_min: float = 25_000 / 60,
         reserve_from_priority: int = 4, max_pairs: int = 5) -> Ranking:
    """Single units whose team fits the call; when none fits alone, pairs of units that fit
    together (e.g. two patrol cars for a call that needs 2 民警). Reasons (``reasons``, a list,
    and ``why``) are catalogue messages (messages/dispatch.py), rendered by the front end."""
    out = Ranking()
    free: list[UnitState] = []
    unfit: dict[str, list[Msg]] = {}
    for u in units:
        if u.status not in DISPATCHABLE:
            out.excluded.append({"unit": u.code, "why": Msg("dispatch.status", status=Msg(f"ustatus.{u.status}"))})
            continue
        free.append(u)
        why = legal_fit(u, need)
        if why:
            unfit[u.code] = why
    fit = [u for u in free if u.code not in unfit]
    low = need.priority >= reserve_from_priority
    for u in fit:
        if low and len(fit) == 1:
            out.excluded.append({"unit": u.code, "why": Msg("dispatch.reserve", priority=need.priority)})
            continue
        score, reasons, travel = _score(u, need, speed_m_per_min)
        out.units.append({"unit": u.code, "units": [u.code], "name": u.name, "score": round(score, 1),
                          "travel_min": travel, "reasons": reasons})
    paired = False
    if not out.units and len(free) >= 2:
        pairs = []
        scored = {u.code: _score(u, need, speed_m_per_min) for u in free}
        for i, a in enumerate(free):
            for b in free[i + 1:]:
                joint = UnitState(code=f"{a.code}+{b.code}", name=f"{a.name}+{b.name}", status="available",
                                  members=a.members + b.members)
                if legal_fit(joint, need) or (low and len(free) == 2):
                    continue
                sa, sb = scored[a.code], scored[b.code]
                travel = max(x for x in (sa[2], sb[2], 0) if x is not None)
                sworn = sum(m.person_type == "sworn" for m in joint.members)
                pairs.append({"unit": joint.code, "units": [a.code, b.code], "name": joint.name,
                              "score": round(min(sa[0], sb[0]) - 10, 1), "travel_min": travel, "reasons": [
                                  Msg("dispatch.together", n=len(joint.members), sworn=sworn),
                                  Msg("dispatch.pair_unit", unit=a.label, reasons=Items(sa[1])),
                                  Msg("dispatch.pair_unit", unit=b.label, reasons=Items(sb[1]))]})
        pairs.sort(key=lambda r: (-r["score"], r["unit"]))
        out.units += pairs[:max_pairs]
        paired = bool(pairs)
    for code, why in unfit.items():
        out.excluded.append({"unit": code, "why": Msg("dispatch.unfit_alone" if paired else "dispatch.unfit",
                                                      why=Items(why, sep="clause"))})
    out.units.sort(key=lambda r: (-r["score"], r["unit"]))
    return out


# -- dispatch by override (issue 25): every free crew on duty, with what it lacks ------------------

@dataclass(frozen=True)
class Lack:
    """One thing a crew lacks for a call, as data (rendered through the catalogue,
    ``messages.override.lack_text``). ``legal`` lacks are the team rules of DESIGN.md §3 with
    their ``source`` (a catalogue key); the others are operational (a post left unstaffed, the
    reserve unit)."""

    kind: str            # people | sworn | aux_alone | woman | skill | leaves_post | reserve
    have: int = 0
    need: int = 0
    skill: str = ""
    post: str = ""
    legal: bool = True
    source: str = ""

    def to_dict(self) -> dict:
        return {"kind": self.kind, "have": self.have, "need": self.need, "skill": self.skill, "post": self.post,
                "legal": self.legal, "source": self.source}


LEGAL_SOURCES = {"people": "source.art52", "sworn": "source.art52", "aux_alone": "source.aux_regulation",
                 "woman": "source.female_search", "skill": "source.type_skill"}


def lacks(unit: UnitState, need: Need) -> list[Lack]:
    """What the unit's team lacks for the call's legal needs (empty: it may take the call)."""
    out = []
    sworn = sum(m.person_type == "sworn" for m in unit.members)
    n = len(unit.members)
    if n < need.min_people:
        out.append(Lack("people", have=n, need=need.min_people, source=LEGAL_SOURCES["people"]))
    if sworn < need.min_sworn:
        out.append(Lack("sworn", have=sworn, need=need.min_sworn, source=LEGAL_SOURCES["sworn"]))
    if any(m.person_type != "sworn" for m in unit.members) and sworn == 0:
        out.append(Lack("aux_alone", source=LEGAL_SOURCES["aux_alone"]))
    if need.needs_woman and not any(m.sex == "F" for m in unit.members):
        out.append(Lack("woman", source=LEGAL_SOURCES["woman"]))
    held = set().union(*(m.skills for m in unit.members)) if unit.members else set()
    for s in need.required_skills:
        if s not in held:
            out.append(Lack("skill", skill=s, source=LEGAL_SOURCES["skill"]))
    return out


# the order crews of the same fit are offered in when sent by override: cars first, the command
# desk (the officer's own post) last
KIND_ORDER = ("patrol", "foot_patrol", "standby", "traffic", "case", "community", "window", "other", "guard",
              "command")


def travel_min(u: UnitState, need: Need, speed_m_per_min: float) -> int | None:
    """Minutes to the call, when both the call's place and the crew's position are known."""
    if need.x_m is None or need.y_m is None or not u.located:
        return None
    return math.ceil(math.hypot(u.x_m - need.x_m, u.y_m - need.y_m) * 1.3 / speed_m_per_min)


def alternatives(crews: list[UnitState], need: Need, *, speed_m_per_min: float = 25_000 / 60,
                 skip: frozenset[str] | set[str] = frozenset(), reserve: frozenset[str] | set[str] = frozenset()
                 ) -> list[dict]:
    """Every free crew on duty that is not recommended (``skip``), with what it lacks: the
    call's legal needs it does not meet, the post it would leave unstaffed (a crew formed ad hoc
    from its post), the reserve it is kept as. Any of them may be sent by override with a
    reason. Fewest legal lacks first, then nearest (unknown distances last), then by kind."""
    out = []
    for u in crews:
        if u.status not in DISPATCHABLE or u.code in skip:
            continue
        missing = lacks(u, need)
        if u.adhoc:
            missing.append(Lack("leaves_post", post=u.code, legal=False))
        if u.code in reserve:
            missing.append(Lack("reserve", need=need.priority, legal=False))
        travel = travel_min(u, need, speed_m_per_min)
        out.append({"unit": u.code, "units": [u.code], "name": u.name, "kind": u.kind, "adhoc": u.adhoc,
                    "people": len(u.members), "sworn": sum(m.person_type == "sworn" for m in u.members),
                    "members": [m.badge for m in u.members], "travel_min": travel,
                    "lacks": [x.to_dict() for x in missing]})
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    out.sort(key=lambda r: (sum(x["legal"] for x in r["lacks"]), len(r["lacks"]),
                            r["travel_min"] if r["travel_min"] is not None else 10**6,
                            order.get(r["kind"], len(order)), r["unit"]))
    return out
