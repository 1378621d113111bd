"""The station definition as plain dataclasses: what a station file and a people list describe.

Parsers (stationdef.toml_file, stationdef.people_file) produce these; db/ stores them;
use cases read them back. No I/O here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

PERSON_TYPES = {
    "sworn": ("民警", "sworn officer"),
    "duty_aux": ("勤务辅警", "duty auxiliary"),
    "civil_aux": ("文职辅警", "civilian auxiliary"),
    "assistant": ("治安协理员", "security assistant"),
}
AUXILIARY_TYPES = ("duty_aux", "civil_aux", "assistant")
DAY_KINDS = {
    "workday": ("工作日", "workday"),
    "weekend": ("休息日", "weekend"),
    "holiday": ("法定节假日", "public holiday"),
    "adjusted_workday": ("调休工作日", "make-up workday"),
}
TEAM_KINDS = ("community", "case", "command", "traffic", "other")
POST_KINDS = ("command", "window", "patrol", "foot_patrol", "case", "traffic", "guard", "standby",
              "community", "other")
SHIFT_KINDS = ("day", "evening", "night", "24h")


@dataclass(frozen=True)
class StationInfo:
    code: str
    name: str
    zone: str = "Asia/Shanghai"
    kind: str = "urban"          # urban | rural (交所合一: the station also does traffic work)
    name_en: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class Team:
    code: str
    name: str
    kind: str
    name_en: str | None = None


@dataclass(frozen=True)
class Skill:
    code: str
    name: str
    name_en: str | None = None
    sworn_only: bool = False     # e.g. 办案 needs 执法资格, which only 民警 hold


@dataclass(frozen=True)
class ShiftType:
    code: str
    name: str
    start: str                   # "HH:MM" local time
    minutes: int
    kind: str                    # day | evening | night | 24h
    name_en: str | None = None
    label: str | None = None     # short label for roster cells in Chinese (夜); see stationdef.labels

    @property
    def start_minute(self) -> int:
        h, m = self.start.split(":")
        return int(h) * 60 + int(m)

    @property
    def end(self) -> str:
        e = (self.start_minute + self.minutes) % 1440
        return f"{e // 60:02d}:{e % 60:02d}"

    @property
    def crosses_midnight(self) -> bool:
        return self.start_minute + self.minutes > 1440


SERVICE_POST_KINDS = ("window", "other")   # kinds a station may declare non-enforcement (enforcement = false)


@dataclass(frozen=True)
class StaffingNeed:
    """At least ``count`` people of the crew whose person type is one of ``types`` (any allowed
    type when empty) and who hold every skill of ``skills``."""

    count: int
    types: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()


@dataclass(frozen=True)
class Staffing:
    """One staffing alternative of a post: every need holds, each counted on its own."""

    need: tuple[StaffingNeed, ...]
    name: str | None = None


@dataclass(frozen=True)
class Post:
    code: str
    name: str
    kind: str
    min_sworn: int = 0
    required_skills: tuple[str, ...] = ()   # every person on the post holds all of these
    crew_skills: tuple[str, ...] = ()       # at least one person of the crew holds each of these
    allowed_types: tuple[str, ...] = ("sworn",)
    needs_woman: bool = False               # soft: a woman should be on this post
    team: str | None = None
    name_en: str | None = None
    description: str | None = None
    enforcement: bool = True                # False: a service post (window, reception) 文职辅警 may staff alone
    staffing: tuple[Staffing, ...] = ()     # alternatives; each staffed shift meets one (e.g. 2 交警 or 1 + 2 协管员)
    label: str | None = None     # short label for roster cells in Chinese (巡1); see stationdef.labels


@dataclass(frozen=True)
class Demand:
    post: str
    shift: str
    day_kind: str
    count: int


@dataclass(frozen=True)
class RuleParam:
    key: str
    value: float | int | bool | str
    unit: str | None = None
    description: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class HotSpot:
    code: str
    name: str
    risk: float
    x_m: float                   # metres east of the station
    y_m: float                   # metres north of the station
    active_from: str = "00:00"
    active_to: str = "24:00"     # may be earlier than active_from: active across midnight
    kind: str | None = None
    windows: tuple[tuple[str, str], ...] = ()   # every active window ("HH:MM", "HH:MM") when more than one

    @property
    def active_windows(self) -> tuple[tuple[str, str], ...]:
        """All active windows: ``windows`` when given, else the one from active_from to active_to."""
        return self.windows or ((self.active_from, self.active_to),)


@dataclass
class StationDef:
    station: StationInfo
    teams: list[Team] = field(default_factory=list)
    skills: list[Skill] = field(default_factory=list)
    shifts: list[ShiftType] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    demand: list[Demand] = field(default_factory=list)
    rules: list[RuleParam] = field(default_factory=list)
    hot_spots: list[HotSpot] = field(default_factory=list)


@dataclass
class Person:
    badge: str                   # text: leading zeros kept
    name: str
    sex: str                     # M | F
    person_type: str             # sworn | duty_aux | civil_aux | assistant
    team: str | None
    years_of_service: int = 0
    active: bool = True
    skills: dict[str, date | None] = field(default_factory=dict)   # skill code -> expiry date or None
    phone: str | None = None
    note: str | None = None
