"""Capacity before solving: can the people cover the demand at all?

Two views of the same question, both without the solver:

* **Classes of seats.** Seats are grouped by who may take them (person type and skills). For
  each group, the person-days the seats need — a 24 h duty counts with its rest day(s) — are
  set against the person-days the eligible people can give in the period after leave and the
  consecutive-days limit. A group that needs more than its people can give leaves at least the
  difference empty: that is the *binding reason* a chief reads ("民警-only seats need 292
  person-days, 280 available").

* **A linear relaxation** of the roster (``relaxation.py``, GLOP, a fraction of a second for a
  150-person month): one shift a day, the rest day after a 24 h duty, the forbidden successions (minimum rest, no
  day shift after a night), the consecutive-days window, the 辅警 overtime cap per month, skills and
  person types, and the sworn share of each staffed post. Its optimum is an upper bound on the
  seats any roster can fill, so ``total demand - optimum`` (rounded up) is a real lower bound on
  the shortfall. The cover term of the objective can never be below ``W_UNDER`` times it.

Both are lower bounds: the solver may leave more seats empty (team rules and crews are only
relaxed here), never fewer.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from scheduler.station.model import StationRosterProblem

TYPE_ZH = {"sworn": "民警", "duty_aux": "勤务辅警", "civil_aux": "文职辅警", "assistant": "治安协理员"}


@dataclass
class SeatClass:
    """Seats that the same people may take."""

    types: tuple[str, ...]
    skills: tuple[str, ...]
    seats: int = 0                 # person-shifts demanded
    person_days: int = 0           # with the rest days a 24 h duty takes
    hours: float = 0.0
    people: int = 0
    available_days: int = 0        # what the eligible people can give (leave, consecutive-days limit)
    posts: set = field(default_factory=set)
    max_cost: int = 1              # person-days of its costliest seat (a 24 h duty with its rest)

    @property
    def short(self) -> int:
        return max(0, self.person_days - self.available_days)

    def label(self, lang: str = "zh") -> str:
        if lang == "zh":
            who = "/".join(TYPE_ZH.get(t, t) for t in self.types)
            return who + ("专属" if len(self.types) == 1 else "") + ("岗（技能 " + "、".join(self.skills) + "）"
                                                                      if self.skills else "岗")
        return "/".join(self.types) + "-only" * (len(self.types) == 1) + " seats" + (
            f" needing {', '.join(self.skills)}" if self.skills else "")


@dataclass
class Capacity:
    demand_seats: int
    demand_hours: float
    available_days: int            # all people, after leave and the consecutive-days limit
    target_hours: float            # the weekly hours target over the period, all people
    lower_bound: int               # seats that will stay empty whatever the roster (LP)
    lp_status: str
    classes: list[SeatClass]
    by_type: dict[str, dict]
    binding: SeatClass | None

    @property
    def verdict(self) -> str:
        return "short" if self.lower_bound > 0 else "enough"

    def reason(self, lang: str = "zh") -> str:
        if self.lower_bound <= 0:
            return ("人员足以覆盖全部需求（不计组队细节）" if lang == "zh"
                    else "the people can cover every seat (team details aside)")
        b = self.binding
        if lang == "zh":
            head = f"至少{self.lower_bound}个岗位人次无人可排"
            if b is not None and b.short:
                return (f"{head}：{b.label('zh')}需{b.person_days}人日（24小时值班连同休息日计），"
                        f"可用{b.available_days}人日（{b.people}人，已扣除休假"
                        + ("" if b.max_cost > 1 else "和连续工作上限") + "）")
            return head + "：休息规则、夜班后不上白班和连续工作上限使可用人员不足"
        head = f"at least {self.lower_bound} seat(s) will stay empty"
        if b is not None and b.short:
            return (f"{head}: {b.label('en')} need {b.person_days} person-days (a 24 h duty with its rest day), "
                    f"{b.available_days} available ({b.people} people, after leave"
                    + ("" if b.max_cost > 1 else " and the consecutive-days limit") + ")")
        return head + ": the rest rules, no day shift after a night and the consecutive-days limit leave too few people"

    def to_json(self) -> dict:
        return {"verdict": self.verdict, "lower_bound_seats": self.lower_bound, "lp_status": self.lp_status,
                "demand_seats": self.demand_seats, "demand_hours": round(self.demand_hours, 1),
                "available_person_days": self.available_days, "target_hours": round(self.target_hours, 1),
                "reason": self.reason("en"), "reason_zh": self.reason("zh"),
                "by_type": self.by_type,
                "classes": [{"types": list(c.types), "skills": list(c.skills), "seats": c.seats,
                             "person_days": c.person_days, "available_days": c.available_days, "people": c.people,
                             "short": c.short, "posts": sorted(c.posts), "label": c.label("en"),
                             "label_zh": c.label("zh")} for c in self.classes]}


def _work_days(sp: StationRosterProblem, badge: str) -> int:
    """Days the person can work in the period: not on leave, and in every run of free days at
    most ``max_consecutive_days`` out of each ``max_consecutive_days + 1``."""
    mc = int(sp.param("max_consecutive_days", 6))
    away = sp.unavailable.get(badge, {})
    total, run = 0, 0
    for d in range(sp.days + 1):
        if d < sp.days and d not in away:
            run += 1
            continue
        total += run - run // (mc + 1)
        run = 0
    return total


def rest_days_after_24h(sp: StationRosterProblem) -> int:
    return max(0, int(sp.param("rest_days_after_24h", 1)))


def analyse(sp: StationRosterProblem, *, lp: bool = True, time_limit_s: float = 10.0) -> Capacity:
    shifts, posts = sp.shift_by_code, sp.post_by_code
    rest = rest_days_after_24h(sp)
    classes: dict[tuple, SeatClass] = {}
    demand_seats = 0
    demand_hours = 0.0
    for (d, s, p), n in sp.demand.items():
        post, shift = posts[p], shifts[s]
        key = (tuple(sorted(post.allowed_types)), tuple(sorted(post.required_skills)))
        c = classes.setdefault(key, SeatClass(types=key[0], skills=key[1]))
        cost = 1 + (min(rest, sp.days - 1 - d) if shift.kind == "24h" else 0)
        c.seats += n
        c.person_days += n * cost
        c.max_cost = max(c.max_cost, cost)
        c.hours += n * shift.minutes / 60
        c.posts.add(p)
        demand_seats += n
        demand_hours += n * shift.minutes / 60
    days_of = {p.badge: _work_days(sp, p.badge) for p in sp.people}
    free_of = {p.badge: sp.days - len(sp.unavailable.get(p.badge, {})) for p in sp.people}
    for key, c in classes.items():
        who = [p for p in sp.people if p.person_type in c.types
               and all(sk in p.skills for sk in c.skills)]
        c.people = len(who)
        # with 24 h seats a rest day is part of a seat's cost, so the people give their free
        # days (not on leave); otherwise working days under the consecutive-days limit
        c.available_days = sum((free_of if c.max_cost > 1 else days_of)[p.badge] for p in who)
    ordered = sorted(classes.values(), key=lambda c: (-math.ceil(c.short / c.max_cost), -c.person_days))
    binding = ordered[0] if ordered and ordered[0].short else None
    by_type: dict[str, dict] = {}
    for t in sorted({p.person_type for p in sp.people} | {t for c in classes.values() for t in c.types}):
        only = [c for c in classes.values() if c.types == (t,)]
        by_type[t] = {"people": sum(p.person_type == t for p in sp.people),
                      "available_person_days": sum(days_of[p.badge] for p in sp.people if p.person_type == t),
                      "seats_only_this_type": sum(c.seats for c in only),
                      "person_days_only_this_type": sum(c.person_days for c in only)}
    weekly = float(sp.param("weekly_hours", 40))
    target = sum(weekly * (sp.days - len(sp.unavailable.get(p.badge, {}))) / 7 for p in sp.people)
    # Without the LP, only classes whose seats cost one day each give a sure bound (a rest day
    # after a 24 h duty may fall on leave, so a 24 h class's shortage in person-days is a hint).
    class_bound = max((c.short for c in classes.values() if c.max_cost == 1), default=0)
    lower, status = class_bound, "not run"
    if lp and sp.demand:
        lp_bound, status = _lp_bound(sp, time_limit_s)
        if lp_bound is not None:
            lower = max(lower, lp_bound)
    return Capacity(demand_seats=demand_seats, demand_hours=demand_hours,
                    available_days=sum(days_of.values()), target_hours=target, lower_bound=lower,
                    lp_status=status, classes=ordered, by_type=by_type, binding=binding)


def _lp_bound(sp: StationRosterProblem, time_limit_s: float) -> tuple[int | None, str]:
    """Upper bound on fillable seats from a linear relaxation; returns (seats that must stay
    empty, status)."""
    from scheduler.station.relaxation import Relaxation
    return Relaxation(sp, time_limit_s).max_filled()
