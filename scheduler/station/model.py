"""Plain data in and out of station rostering (no solver, no database)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

SLOT_SEP = "@"
AUXILIARY = ("duty_aux", "civil_aux", "assistant")
NIGHT_KINDS = ("night", "24h")


def slot_code(shift: str, post: str) -> str:
    return f"{shift}{SLOT_SEP}{post}"


def split_slot(code: str) -> tuple[str, str]:
    shift, _, post = code.partition(SLOT_SEP)
    return shift, post


@dataclass(frozen=True)
class SPerson:
    badge: str
    name: str
    sex: str                                  # M | F
    person_type: str                          # sworn | duty_aux | civil_aux | assistant
    team: str | None = None
    team_kind: str | None = None              # community | case | command | traffic | other
    skills: dict = field(default_factory=dict, hash=False, compare=False)  # code -> expiry date | None

    @property
    def sworn(self) -> bool:
        return self.person_type == "sworn"

    @property
    def is_community_officer(self) -> bool:
        return self.sworn and self.team_kind == "community"

    def has_skill(self, skill: str, on: date) -> bool:
        if skill not in self.skills:
            return False
        exp = self.skills[skill]
        return exp is None or exp >= on


@dataclass(frozen=True)
class SShift:
    code: str
    name: str
    start_minute: int
    minutes: int
    kind: str                                 # day | evening | night | 24h

    @property
    def is_night(self) -> bool:
        return self.kind in NIGHT_KINDS

    def covers(self, period: str) -> bool:
        """Does the shift overlap the station's day (08:00-20:00) or night (20:00-08:00) period?"""
        a, b = self.start_minute, self.start_minute + self.minutes
        spans = [(a, b)] if b <= 1440 else [(a, 1440), (0, b - 1440), (1440, b)]
        if period == "day":
            return any(s < 1200 and e > 480 for s, e in spans)
        return any(s < 480 or e > 1200 for s, e in spans)


@dataclass(frozen=True)
class SNeed:
    """At least ``count`` people of the crew whose type is one of ``types`` (any type when
    empty) and who hold every skill of ``skills``."""

    count: int
    types: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()

    def matches(self, person: "SPerson", on: date) -> bool:
        return (not self.types or person.person_type in self.types) and \
            all(person.has_skill(sk, on) for sk in self.skills)


@dataclass(frozen=True)
class SStaffing:
    """One staffing composition of a post: every need holds (each counted on its own)."""

    needs: tuple[SNeed, ...]
    name: str | None = None

    def text(self, skill_names: dict | None = None):
        """The composition as a message value: its name from the station file, else e.g.
        1 民警+2 治安协理员（交通） / 1 sworn officer+2 security assistant (Traffic)."""
        from messages import Items, Msg
        if self.name:
            return self.name
        return Items([need_text(n, skill_names) for n in self.needs], sep="plus")


def type_name(code: str):
    """A person type as a message value (民警 / sworn officer)."""
    from messages import Name
    from stationdef.model import PERSON_TYPES
    zh, en = PERSON_TYPES.get(code, (code, code))
    return Name(zh, en)


def skill_name(code: str, skill_names: dict | None):
    from messages import Name
    return Name(*skill_names[code]) if skill_names and code in skill_names else code


def need_text(n: "SNeed", skill_names: dict | None = None):
    from messages import Items, Msg
    types = Items([type_name(x) for x in n.types], sep="slash") if n.types else Msg("v.staff.any")
    if n.skills:
        return Msg("v.staff.need_skills", n=n.count, types=types,
                   skills=Items([skill_name(s, skill_names) for s in n.skills]))
    return Msg("v.staff.need", n=n.count, types=types)


def crew_text(crew):
    """A crew counted by person type (1 民警+1 勤务辅警), or "nobody"."""
    from messages import Items, Msg
    counts: dict[str, int] = {}
    for p in crew:
        counts[p.person_type] = counts.get(p.person_type, 0) + 1
    if not counts:
        return Msg("v.staff.nobody")
    return Items([Msg("v.staff.need", n=n, types=type_name(t)) for t, n in sorted(counts.items())], sep="plus")


@dataclass(frozen=True)
class SPost:
    code: str
    name: str
    kind: str
    min_sworn: int = 0
    required_skills: tuple[str, ...] = ()
    crew_skills: tuple[str, ...] = ()
    allowed_types: tuple[str, ...] = ("sworn",)
    needs_woman: bool = False
    enforcement: bool = True        # False: a service post (window, reception) 文职辅警 may staff alone
    staffing: tuple[SStaffing, ...] = ()   # alternatives; each staffed shift meets one of them


@dataclass(frozen=True)
class SRequest:
    """A wish: ``on`` to work ``shift`` (or any shift when None) on ``day``; or not to."""

    badge: str
    day: int
    shift: str | None
    on: bool
    weight: int = 1


@dataclass(frozen=True)
class Assignment:
    badge: str
    day: int
    shift: str
    post: str


@dataclass
class StationRosterProblem:
    """One station, one planning period.

    ``demand[(day, shift, post)]``: people needed (only positive entries).
    ``unavailable[badge]``: day -> reason (leave kind, inactive, ...), hard.
    ``history[badge]``: shift codes (or None) of the days before ``start``, oldest first.
    ``prior[badge]``: fairness counts since the start of the year before this period
        ({"nights": n, "weekends": n, "holidays": n, "duty24": n}).
    ``previous``: an earlier roster of this period (for repair / stability), slot codes per (badge, day).
    ``frozen_days``: days before this index are fixed to ``previous`` (repair freezes the past).
    """

    start: date
    days: int
    people: list[SPerson]
    shifts: list[SShift]
    posts: list[SPost]
    day_kinds: list[str]
    demand: dict[tuple[int, str, str], int]
    params: dict = field(default_factory=dict)
    unavailable: dict[str, dict[int, str]] = field(default_factory=dict)
    requests: list[SRequest] = field(default_factory=list)
    history: dict[str, list[str | None]] = field(default_factory=dict)
    prior: dict[str, dict[str, int]] = field(default_factory=dict)
    previous: dict[tuple[str, int], str | None] | None = None
    frozen_days: int = 0
    change_weights: dict[int, int] | None = None    # repair: per-day weight of a changed cell
    free_days: set[int] | None = None    # repair: only these days may change; the others keep ``previous``
    no_overnight: dict[str, set[int]] = field(default_factory=dict)  # badge -> days with no shift running past midnight
    # the seam with the roster after this one: badge -> day -> (shift codes not allowed, why)
    seam: dict[str, dict[int, tuple[frozenset, str]]] = field(default_factory=dict)
    # minutes worked in approved/published rosters outside this period, per badge and calendar
    # month ("YYYY-MM"), for the 辅警 monthly overtime cap
    month_minutes: dict[str, dict[str, int]] = field(default_factory=dict)
    # the first days after the period as the next roster holds them: badge -> slot codes (or None)
    following: dict[str, list[str | None]] = field(default_factory=dict)
    name: str = "station"
    skill_names: dict[str, tuple[str, str]] = field(default_factory=dict)   # code -> (Chinese, English), for texts

    def date(self, day: int) -> date:
        return self.start + timedelta(days=day)

    def param(self, key: str, default):
        return self.params.get(key, default)

    @property
    def shift_by_code(self) -> dict[str, SShift]:
        return {s.code: s for s in self.shifts}

    @property
    def post_by_code(self) -> dict[str, SPost]:
        return {p.code: p for p in self.posts}

    @property
    def person_by_badge(self) -> dict[str, SPerson]:
        return {p.badge: p for p in self.people}

    def is_weekend(self, day: int) -> bool:
        return self.date(day).weekday() >= 5

    def months(self) -> dict[str, list[int]]:
        """Calendar months ("YYYY-MM") the period touches, with the period's days in each."""
        out: dict[str, list[int]] = {}
        for d in range(self.days):
            out.setdefault(self.date(d).strftime("%Y-%m"), []).append(d)
        return out

    def slots(self) -> list[tuple[str, str]]:
        """(shift, post) pairs with demand on some day of the period, in a stable order."""
        seen = {(s, p) for (_, s, p), n in self.demand.items() if n > 0}
        return [(s.code, p.code) for s in self.shifts for p in self.posts if (s.code, p.code) in seen]

    def eligible(self, person: SPerson, post: SPost, day: int):
        """None if the person's type and skills allow the post on that day; otherwise why not, as
        a catalogue message (messages/rules.py, ``v.elig.*``)."""
        from messages import Msg, Name
        if person.person_type not in post.allowed_types:
            from stationdef.model import PERSON_TYPES
            zh, en = PERSON_TYPES.get(person.person_type, (person.person_type, person.person_type))
            return Msg("v.elig.type", type=Name(zh, en), post=post.code)
        on = self.date(day)
        for sk in post.required_skills:
            named = Name(*self.skill_names[sk]) if sk in self.skill_names else sk
            if sk not in person.skills:
                return Msg("v.elig.lacks", skill=named)
            if not person.has_skill(sk, on):
                return Msg("v.elig.expired", skill=named, date=person.skills[sk].isoformat())
        return None
