"""A quick constructive roster: the warm start that the CP-SAT model and its large-neighbourhood
search improve. Day by day, scarce slots first, it staffs each post with eligible people who
are rested and furthest below their hours target, and keeps a post's crew only if the crew
keeps the legal team rules. It never breaks a hard rule; it may leave slots short.
"""
from __future__ import annotations

from scheduler.station.build import aux_cap_minutes, forbidden_shift_pairs
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
    from scheduler.station.rules import TeamRules
    team_rules = TeamRules(sp)
    fixed = {k: v for k, v in (sp.previous or {}).items() if k[1] < sp.frozen_days}

    hist = {p.badge: [None if h is None else split_slot(h)[0] for h in sp.history.get(p.badge, [])] for p in people}
    worked: dict[str, list[str | None]] = {p.badge: [] for p in people}   # shift codes per day so far
    minutes = {p.badge: 0 for p in people}
    cap = {p.badge: aux_cap_minutes(sp, p.badge) for p in people if p.person_type in AUXILIARY}
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
        if b in cap and minutes[b] + shifts[shift].minutes > cap[b]:
            return False
        return True

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
            # furthest below target first; then fewer skills (keep the versatile ones free)
            cands.sort(key=lambda x: (minutes[x.badge] - target[x.badge], len(x.skills), x.badge))
            crew = []
            # first the people the team rules need: 民警, crew-skill holders
            def pick(pred):
                for x in cands:
                    if x not in crew and pred(x):
                        crew.append(x)
                        return True
                return False
            min_sworn = team_rules._needs(post)[0]
            for _ in range(min(min_sworn, need)):
                pick(lambda x: x.sworn)
            for sk in post.crew_skills:
                if not any(x.has_skill(sk, day_date) for x in crew) and len(crew) < need:
                    pick(lambda x, sk=sk: x.has_skill(sk, day_date))
            while len(crew) < need and pick(lambda x: True):
                pass
            if not _crew_ok(sp, post, crew, d):
                continue
            for x in crew:
                taken[x.badge] = slot_code(shift, post_code)
        for p in people:
            code = taken.get(p.badge)
            out[(p.badge, d)] = code
            worked[p.badge].append(split_slot(code)[0] if code else None)
            if code:
                minutes[p.badge] += shifts[split_slot(code)[0]].minutes
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
