"""The seam with the roster after this one.

The days before a period reach the solver as history (``StationRosterProblem.history``); the
days after it, held by a neighbouring roster that is already approved or published (or a
draft the new roster is built next to), reach it as ``following``: per person the cells of the
first days after the period. From them:

- ``seam_from_following`` gives the shift codes forbidden on the last days of this period
  (``StationRosterProblem.seam``, pruned in ``Eligibility.domain``, reported by its validator):
  a shift the neighbour's first shift may not follow (minimum rest, no day shift after a
  night), and a 24 h duty whose rest days would fall on a day the neighbour has the person
  working;
- ``SeamAfter`` keeps runs that cross the seam within their limits: consecutive working days
  (``max_consecutive_days``) and nights in a row (``max_nights_in_a_row``).

Pure: no database, no solver import at module level.
"""
from __future__ import annotations

from scheduler.lits import is_const
from scheduler.problem import Problem, Roster, Violation
from scheduler.station.model import StationRosterProblem, split_slot
from scheduler.station.rules import StationRule

LOOKAHEAD_DAYS = 8     # days after the period read from the neighbouring roster


def _shift(sp: StationRosterProblem, code: str | None):
    if code is None:
        return None
    return sp.shift_by_code.get(split_slot(code)[0])


def leading_run(sp: StationRosterProblem, cells: list[str | None], night: bool = False) -> int:
    """How many of the first cells are worked (``night``: night or 24 h shifts)."""
    run = 0
    for code in cells:
        sh = _shift(sp, code)
        if sh is None or (night and not sh.is_night):
            break
        run += 1
    return run


def seam_from_following(sp: StationRosterProblem) -> dict[str, dict[int, tuple[frozenset, object]]]:
    """badge -> day of this period -> (shift codes not allowed there, why: a message value)."""
    from messages import Items, Msg
    from scheduler.station.build import forbidden_shift_pairs
    pairs = forbidden_shift_pairs(sp)
    H = sp.days
    rest_24h = int(sp.param("rest_days_after_24h", 1))
    duty24 = frozenset(s.code for s in sp.shifts if s.kind == "24h")
    out: dict[str, dict[int, tuple[set, list]]] = {}
    badges = {p.badge for p in sp.people}
    for badge, cells in sp.following.items():
        if badge not in badges or not cells:
            continue
        seam: dict[int, tuple[set, list]] = {}
        first = _shift(sp, cells[0])
        if first is not None and H >= 1:
            bad = {a for (a, b) in pairs if b == first.code}
            if bad:
                seam[H - 1] = (set(bad), [Msg("seam.next_shift", shift=first.name, date=sp.date(H).isoformat())])
        for j, code in enumerate(cells[:max(0, rest_24h)]):
            if _shift(sp, code) is None or not duty24:
                continue
            for d in range(max(0, H + j - rest_24h), H):      # a 24 h duty on d rests until d + rest_24h
                forb, why = seam.setdefault(d, (set(), []))
                forb.update(duty24)
                why.append(Msg("seam.rest_24h", date=sp.date(H + j).isoformat(), days=rest_24h))
        if seam:
            out[badge] = seam
    return {b: {d: (frozenset(f), Items(w, sep="clause")) for d, (f, w) in days.items()} for b, days in out.items()}


class SeamAfter(StationRule):
    """Runs across the end of the period: with the neighbour's first ``k`` days worked, the
    last ``M - k + 1`` days of this period hold at least one day off (M: the most consecutive
    working days); the same for nights in a row."""

    name = "seam"
    source = "排班衔接 (the next roster's first days)"

    def _limits(self):
        sp = self.sp
        return int(sp.param("max_consecutive_days", 6)), int(sp.param("max_nights_in_a_row", 2))

    def apply(self, ctx) -> None:
        sp = self.sp
        H = ctx.H
        max_work, max_nights = self._limits()
        nights = [i for i, code in enumerate(ctx.shift_ids) if (_shift(sp, code) and _shift(sp, code).is_night)]
        index = {p.badge: e for e, p in enumerate(sp.people)}
        for badge, cells in sp.following.items():
            e = index.get(badge)
            if e is None:
                continue
            k = leading_run(sp, cells)
            if k:
                span = max(1, max_work - k + 1)
                lits = [ctx.off(e, d) for d in range(max(0, H - span), H)]
                if any(not is_const(x) for x in lits):
                    ctx.clause(lits)
            kn = leading_run(sp, cells, night=True)
            if kn and nights:
                span = max(1, max_nights - kn + 1)
                terms = [(1, ctx.x(e, d, s)) for d in range(max(0, H - span), H) for s in nights]
                if any(not is_const(x) for _, x in terms):
                    ctx.linear_range(terms, None, max(0, max_nights - kn))

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        sp = self.sp
        H = sp.days
        max_work, max_nights = self._limits()
        out = []
        for person in sp.people:
            cells = sp.following.get(person.badge)
            if not cells:
                continue
            mine = [roster.get((person.badge, d)) for d in range(H)]
            tail = leading_run(sp, list(reversed(mine)))
            tail_n = leading_run(sp, list(reversed(mine)), night=True)
            k, kn = leading_run(sp, cells), leading_run(sp, cells, night=True)
            if tail and k and tail + k > max_work:
                out.append(self.v(person.badge, H - 1, "seam.too_many_days", name=person.name, n=tail + k,
                                  date=sp.date(H).isoformat(), most=max_work))
            if tail_n and kn and tail_n + kn > max_nights:
                out.append(self.v(person.badge, H - 1, "seam.too_many_nights", name=person.name, n=tail_n + kn,
                                  date=sp.date(H).isoformat(), most=max_nights))
        return out
