"""A quick constructive roster: the warm start that the CP-SAT model and its large-neighbourhood
search improve. Day by day, scarce slots first, it staffs each post with eligible people who
are rested and furthest below their hours target, and keeps a post's crew only if the crew
keeps the legal team rules. It never breaks a hard rule; it may leave slots short.
"""
from __future__ import annotations

from scheduler.station.build import forbidden_shift_pairs
from scheduler.station.model import AUXILIARY, StationRosterProblem, slot_code, split_slot


def greedy_roster(sp: StationRosterProblem) -> dict[tuple[str, int], str | None]:
    shifts, posts = sp.shift_by_code, sp.post_by_code
    slots = sp.slots()
    bad_shift = forbidden_shift_pairs(sp)
    max_consec = int(sp.param("max_consecutive_days", 6))
    max_nights = int(sp.param("max_nights_in_a_row", 2))
    rest24 = int(sp.param("rest_days_after_24h", 1))
    weekly = float(sp.param("weekly_hours", 40))
    people = sp.people
    from scheduler.station.rules import TeamRules, aux_month_caps
    team_rules = TeamRules(sp)
    fixed = {k: v for k, v in (sp.previous or {}).items() if k[1] < sp.frozen_days}

    hist = {p.badge: [None if h is None else split_slot(h)[0] for h in sp.history.get(p.badge, [])] for p in people}
    worked: dict[str, list[str | None]] = {p.badge: [] for p in people}   # shift codes per day so far
    minutes = {p.badge: 0 for p in people}
    # 辅警: minutes left per calendar month, and the month of each day
    cap = {p.badge: {m: left for m, (_, _, _, left) in aux_month_caps(sp, p.badge).items()}
           for p in people if p.person_type in AUXILIARY}
    month_of = [sp.date(d).strftime("%Y-%m") for d in range(sp.days)]
    target = {p.badge: weekly * 60 * (sp.days - len(sp.unavailable.get(p.badge, {}))) / 7 for p in people}
    out: dict[tuple[str, int], str | None] = {}

    def seq(b):
        return hist[b] + worked[b]

    def can_work(b, d, shift) -> bool:
        if d in sp.unavailable.get(b, {}):
            return False
        s = seq(b)
        prev = s[-1] if s else None
        if prev is not None and (prev, shift) in bad_shift:
            return False
        for j in range(1, rest24 + 1):
            if len(s) >= j and s[-j] is not None and shifts[s[-j]].kind == "24h":
                return False
        run = 0
        for x in reversed(s):
            if x is None:
                break
            run += 1
        if run >= max_consec:
            return False
        if shifts[shift].is_night:
            nrun = 0
            for x in reversed(s):
                if x is None or not shifts[x].is_night:
                    break
                nrun += 1
            if nrun >= max_nights:
                return False
        if b in cap and cap[b][month_of[d]] < shifts[shift].minutes:
            return False
        return True

    # weekends worked (by their Saturday), history included: the warm start keeps the soft
    # weekends-per-4-weeks cap where it can, and puts women on posts that need one
    from datetime import timedelta
    weekend_cap = int(sp.param("max_weekends_per_4_weeks", 3))
    weekends: dict[str, set] = {p.badge: set() for p in people}
    for p in people:
        h = sp.history.get(p.badge, [])
        for i, code in enumerate(h):
            day = sp.start - timedelta(days=len(h) - i)
            if code is not None and day.weekday() >= 5:
                weekends[p.badge].add(day - timedelta(days=day.weekday() - 5))

    def weekend_of(d):
        day = sp.date(d)
        return day - timedelta(days=day.weekday() - 5) if day.weekday() >= 5 else None

    def over_weekends(b, d) -> bool:
        """Would working day d make more than the cap of weekends in a window of 4 ending there?"""
        w = weekend_of(d)
        if w is None or w in weekends[b]:
            return False
        recent = sum(1 for k in weekends[b] if 0 < (w - k).days < 28)
        return recent + 1 > weekend_cap

    for d in range(sp.days):
        day_date = sp.date(d)
        taken: dict[str, str] = {}
        for (b, dd), code in fixed.items():
            if dd == d and code is not None:
                taken[b] = code
        todo = [(s, p, sp.demand[(d, s, p)]) for s, p in slots if sp.demand.get((d, s, p), 0) > 0]

        def pool(s, p):
            return [x for x in people if x.badge not in taken and sp.eligible(x, posts[p], d) is None
                    and can_work(x.badge, d, s)]
        todo.sort(key=lambda t: len(pool(t[0], t[1])) - t[2])
        for shift, post_code, need in todo:
            if d < sp.frozen_days:
                break
            post = posts[post_code]
            cands = pool(shift, post_code)
            # within the weekends cap first; furthest below target; then fewer skills (keep the
            # versatile ones free)
            cands.sort(key=lambda x: (over_weekends(x.badge, d), minutes[x.badge] - target[x.badge], len(x.skills),
                                      x.badge))
            crew = []
            # first the people the team rules need: 民警, crew-skill holders
            def pick(pred):
                for x in cands:
                    if x not in crew and pred(x):
                        crew.append(x)
                        return True
                return False
            min_sworn, _, alts = team_rules._needs(post)

            def fill(alt) -> list:
                crew.clear()
                if post.needs_woman:     # a woman first; a 民警 when every seat must be one
                    pick(lambda x: x.sex == "F" and (x.sworn or min(min_sworn, need) < need))
                for n in (alt.needs if alt is not None else ()):
                    while sum(n.matches(x, day_date) for x in crew) < n.count and pick(
                            lambda x, n=n: n.matches(x, day_date)):
                        pass
                while sum(x.sworn for x in crew) < min(min_sworn, need) and pick(lambda x: x.sworn):
                    pass
                for sk in post.crew_skills:
                    if not any(x.has_skill(sk, day_date) for x in crew) and len(crew) < need:
                        pick(lambda x, sk=sk: x.has_skill(sk, day_date))
                while len(crew) < need and pick(lambda x: True):
                    pass
                return crew
            # each staffing alternative in turn (the law's own, e.g. 2 交警 or 1 交警 + 2 协管员)
            if not any(_crew_ok(sp, post, fill(alt), d) for alt in (alts or (None,))):
                continue
            for x in crew:
                taken[x.badge] = slot_code(shift, post_code)
        for p in people:
            code = taken.get(p.badge)
            out[(p.badge, d)] = code
            worked[p.badge].append(split_slot(code)[0] if code else None)
            if code:
                minutes[p.badge] += shifts[split_slot(code)[0]].minutes
                if weekend_of(d) is not None:
                    weekends[p.badge].add(weekend_of(d))
                if p.badge in cap:
                    cap[p.badge][month_of[d]] -= shifts[split_slot(code)[0]].minutes
    return out


def repair_start(sp: StationRosterProblem) -> dict[tuple[str, int], str | None]:
    """The warm start of a repair: the previous roster without the cells people can no longer
    work, crews that would break the team rules without them emptied, and the gaps filled with
    people whom no rule stops (checked against the days before and after)."""
    from collections import defaultdict

    from scheduler.station.report import blockers
    roster = {(p.badge, d): (sp.previous or {}).get((p.badge, d)) for p in sp.people for d in range(sp.days)}

    def movable(d: int) -> bool:
        return d >= sp.frozen_days and (sp.free_days is None or d in sp.free_days)
    for badge, days in sp.unavailable.items():
        for d in days:
            if (badge, d) in roster and movable(d):
                roster[(badge, d)] = None
    shifts = sp.shift_by_code
    for badge, days in sp.no_overnight.items():
        for d in days:
            code = roster.get((badge, d))
            if code is not None and movable(d):
                sh = shifts[split_slot(code)[0]]
                if sh.start_minute + sh.minutes > 1440:
                    roster[(badge, d)] = None
    posts, people = sp.post_by_code, sp.person_by_badge
    crews = defaultdict(list)
    for (b, d), code in roster.items():
        if code is not None:
            crews[(d, code)].append(b)
    for (d, code), badges in crews.items():
        shift, post = split_slot(code)
        if movable(d) and not _crew_ok(sp, posts[post], [people[b] for b in badges], d):
            for b in badges:
                roster[(b, d)] = None
    count = defaultdict(int)
    for (b, d), code in roster.items():
        if code is not None:
            count[(d, code)] += 1
    for (d, shift, post), need in sorted(sp.demand.items()):
        if not movable(d):
            continue
        code = slot_code(shift, post)
        missing = need - count[(d, code)]
        if missing <= 0:
            continue
        overnight = shifts[shift].start_minute + shifts[shift].minutes > 1440
        free = [p for p in sp.people if roster.get((p.badge, d)) is None
                and not (overnight and d in sp.no_overnight.get(p.badge, ()))
                and not blockers(sp, roster, p.badge, d, shift, post)]
        crew = [people[b] for (b, dd), c in roster.items() if dd == d and c == code]
        added = []
        for p in sorted(free, key=lambda p: (not p.sworn, p.badge)):
            if len(added) == missing:
                break
            added.append(p)
        if _crew_ok(sp, posts[post], crew + added, d):
            for p in added:
                roster[(p.badge, d)] = code
    return roster


def _crew_ok(sp, post, crew, d) -> bool:
    from scheduler.station.rules import TeamRules
    return not TeamRules(sp).crew_problems(post, crew, d)
