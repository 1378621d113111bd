"""Plain data of night patrol planning. Times are minutes from the start of the night
(e.g. 0 = 20:00, 720 = 08:00 the next morning)."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

DWELL_MIN, DWELL_MAX = 10, 16      # Koper (1995): stops of 10-16 minutes


@dataclass(frozen=True)
class Spot:
    code: str
    name: str
    risk: float
    x_m: float
    y_m: float
    windows: tuple[tuple[int, int], ...]   # active intervals within the night, [start, end) minutes


@dataclass(frozen=True)
class Commitment:
    """A fixed task of one team: e.g. a checkpoint from 22:00 to 23:00 at a position."""

    team: str
    name: str
    start: int
    end: int
    x_m: float = 0.0
    y_m: float = 0.0


@dataclass(frozen=True)
class Team:
    code: str
    name: str
    members: tuple[dict, ...] = ()          # {"badge", "name", "person_type"}


@dataclass
class PatrolProblem:
    night_start: str                        # local ISO datetime of minute 0, e.g. 2026-12-03T20:00:00+08:00
    minutes: int                            # length of the night
    spots: list[Spot]
    teams: list[Team]
    seed: int
    speed_m_per_min: float = 25_000 / 60
    road_factor: float = 1.3
    max_gap: int = 120
    free_share: float = 0.3
    break_minutes: int = 30
    break_window: tuple[int, int] = (240, 480)   # when the break may start (00:00-04:00 for a 20:00 night)
    commitments: list[Commitment] = field(default_factory=list)
    travel: dict[tuple[str, str], int] | None = None   # optional given matrix (codes; "station" = depot)

    def travel_minutes(self, a: tuple[float, float], b: tuple[float, float]) -> int:
        d = math.hypot(a[0] - b[0], a[1] - b[1]) * self.road_factor
        return int(math.ceil(d / self.speed_m_per_min))

    def busy_cap(self) -> int:
        """Minutes a team may spend travelling and at hot spots: the rest stays free for calls."""
        return int((self.minutes - self.break_minutes) * (1 - self.free_share))


@dataclass(frozen=True)
class Visit:
    team: str
    spot: str
    arrive: int
    leave: int
    travel: int                             # minutes of travel before this stop
    kind: str = "visit"                     # visit | break | commitment


@dataclass
class Plan:
    seed: int
    visits: list[Visit]
    uncovered: list[dict] = field(default_factory=list)   # {spot, start, end, why}
    stats: dict = field(default_factory=dict)

    def by_team(self) -> dict[str, list[Visit]]:
        out: dict[str, list[Visit]] = {}
        for v in sorted(self.visits, key=lambda v: (v.team, v.arrive)):
            out.setdefault(v.team, []).append(v)
        return out
