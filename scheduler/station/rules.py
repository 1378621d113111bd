"""Station rule modules. Each adds its constraints / objective terms to the engine's model
context and has its own validator that checks a finished roster without the solver.

Cells hold slot codes ``SHIFT@POST``. The sources of the legal rules are in DESIGN.md §3 and
in each module's ``source``; a chief sees them next to any violation.
"""
from __future__ import annotations

from collections import defaultdict

from scheduler.lits import is_const
from scheduler.lits import neg as _neg
from scheduler.lits import split_terms
from scheduler.problem import Problem, Roster, Violation
from scheduler.rules.base import Rule
from scheduler.station.model import AUXILIARY, StationRosterProblem, split_slot

# Objective weights: legal rules are hard; then cover > rest (hard) > fairness > requests > stability.
W_UNDER = 100_000         # one person missing on a post for one shift
W_OVER = 3_000            # one person more than the post needs
W_WOMAN = 5_000           # a day or night period without a woman on duty or standby
W_COMMUNITY = 1           # per unit of community-share slack (one unit = 1/q minute short, share = p/q)
W_HOURS_UNDER = 1         # per minute below the prorated weekly hours target
W_HOURS_OVER = 2          # per minute above it
W_FAIR_SPREAD = 30        # per tenth of a count away from the person's fair share
W_FAIR_MAX = 60           # per tenth of the largest excess over a fair share, per category
W_REQUEST = 300           # per unit of request weight (1-3)
W_CHANGE = 2_000          # per changed cell in a repair (times the day weight): stability first


class StationRule(Rule):
    """A rule that reads the station problem it was built for."""

    source = ""

    def __init__(self, sp: StationRosterProblem):
        self.sp = sp

    def v(self, badge, day, message, *, hard=None, penalty=0, source=None) -> Violation:
        source = source or self.source
        msg = message + (f" [{source}]" if source else "")
        return Violation(self.name, badge, day, msg, hard=self.hard if hard is None else hard, penalty=penalty)


def _by_slot(roster: Roster) -> dict[tuple[int, str], list[str]]:
    out: dict[tuple[int, str], list[str]] = defaultdict(list)
    for (badge, d), code in roster.items():
        if code is not None:
            out[(d, code)].append(badge)
    return out


class Eligibility(StationRule):
    """一警多能: a person takes a post only if their person type is allowed there and they hold
    all its required skills, none expired on that date; and only slots with demand that day."""

    name = "skills"
    source = "岗位制 staffing rules"

    def domain(self, ctx) -> None:
        sp = self.sp
        posts = sp.post_by_code
        slot_of = {code: split_slot(code) for code in ctx.shift_ids}
        shifts = sp.shift_by_code
        for e, person in enumerate(sp.people):
            no_overnight = sp.no_overnight.get(person.badge, ())
            seam = sp.seam.get(person.badge, {})
            for d in range(ctx.H):
                keep = []
                for s in ctx.allowed[e][d]:
                    shift, post = slot_of[ctx.shift_ids[s]]
                    if d in no_overnight and shifts[shift].start_minute + shifts[shift].minutes > 1440:
                        continue      # it would run into the next day's absence
                    if d in seam and shift in seam[d][0]:
                        continue      # the next roster's first days forbid it

                    if sp.demand.get((d, shift, post), 0) > 0 and sp.eligible(person, posts[post], d) is None:
                        keep.append(s)
                ctx.allowed[e][d] = keep

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        sp = self.sp
        people, posts = sp.person_by_badge, sp.post_by_code
        out = []
        for (badge, d), code in sorted(roster.items()):
            if code is None:
                continue
            shift, post = split_slot(code)
            why = sp.eligible(people[badge], posts[post], d)
            if why:
                out.append(self.v(badge, d, f"{people[badge].name} on {post} {sp.date(d)}: {why}"))
            sh = sp.shift_by_code.get(shift)
            if sh and d in sp.no_overnight.get(badge, ()) and sh.start_minute + sh.minutes > 1440:
                out.append(self.v(badge, d, f"{people[badge].name} on {shift} {sp.date(d)} would work into "
                                            f"{sp.date(d + 1)}, when they are away"))
            seam = sp.seam.get(badge, {}).get(d)
            if seam and shift in seam[0]:
                out.append(self.v(badge, d, f"{people[badge].name} on {shift} {sp.date(d)}: {seam[1]}"))
        return out


SOURCES = {
    "case": "《公安机关办理行政案件程序规定》第52条第1款",
    "sworn": "岗位制: min 民警 per post",
    "aux": "警务辅助人员条例 (辅警 work under a 民警)",
    "patrol": "《河南省城市人民警察巡察条例》第4条 (patrol by 2 or more)",
    "traffic": "《交通警察道路执勤执法工作规范》第70、72条",
}


class TeamRules(StationRule):
    """Person types and team sizes, whenever a post is staffed in a shift:
    - at least ``min_sworn`` 民警 (case duty: 2, 第52条第1款); a 辅警 never without a 民警;
    - patrols of at least ``patrol_team_min`` people (巡察条例);
    - traffic posts: 2 交警, or 1 交警 + 2 协管员 (道路执勤执法工作规范 第70、72条);
    - each crew skill (e.g. driving) held by someone of the crew."""

    name = "team_rules"
    source = "公安机关办理行政案件程序规定 第52条; 警务辅助人员条例; 巡察条例; 交通警察道路执勤执法工作规范"

    def _needs(self, post) -> tuple[int, int, bool]:
        sp = self.sp
        min_sworn = post.min_sworn
        if any(t in AUXILIARY for t in post.allowed_types):
            min_sworn = max(min_sworn, 1)
        if post.kind == "case":
            min_sworn = max(min_sworn, int(sp.param("case_duty_min_sworn", 2)))
        min_total = int(sp.param("patrol_team_min", 2)) if post.kind in ("patrol", "foot_patrol") else 1
        return min_sworn, min_total, post.kind == "traffic"

    def apply(self, ctx) -> None:
        sp = self.sp
        people = sp.people
        posts = sp.post_by_code
        free_slots = {(d, s) for (_, d, s) in ctx.work}   # slots with a free cell: the rest is settled
        for (d, s) in sorted(free_slots):
            members = [e for e in range(ctx.E) if not (is_const(ctx.x(e, d, s)) and not ctx.x(e, d, s))]
            shift, post_code = split_slot(ctx.shift_ids[s])
            post = posts[post_code]
            min_sworn, min_total, traffic = self._needs(post)
            xs = [(e, ctx.x(e, d, s)) for e in members]
            if all(is_const(x) for _, x in xs):
                continue
            y = ctx.model.new_bool_var("")          # the post is staffed in this shift
            for _, x in xs:
                if is_const(x):
                    if x:
                        ctx.model.add(y == 1)
                else:
                    ctx.model.add_implication(x, y)
            ctx.linear_range([(1, x) for _, x in xs] + [(-1, y)], 0, None)  # y -> someone is there
            sworn = [(1, x) for e, x in xs if people[e].sworn]
            if min_sworn:
                ctx.linear_range(sworn + [(-min_sworn, y)], 0, None)
            if min_total > 1:
                ctx.linear_range([(1, x) for _, x in xs] + [(-min_total, y)], 0, None)
            if traffic:
                ctx.linear_range([(1, x) for _, x in xs] + sworn + [(-4, y)], 0, None)
            date = sp.date(d)
            for skill in post.crew_skills:
                holders = [(1, x) for e, x in xs if people[e].has_skill(skill, date)]
                ctx.linear_range(holders + [(-1, y)], 0, None)

    def crew_problems(self, post, crew, d: int) -> list[tuple[str, str]]:
        """(message, source) for every team rule a crew on (post, day d) breaks."""
        sp = self.sp
        min_sworn, min_total, traffic = self._needs(post)
        n_sworn = sum(p.sworn for p in crew)
        out = []
        if n_sworn < min_sworn:
            aux_alone = n_sworn == 0 and any(not p.sworn for p in crew)
            out.append((f"{n_sworn} 民警, needs at least {min_sworn}" + (" (辅警 never work without a 民警)" if aux_alone
                                                                         else ""),
                        SOURCES["aux" if aux_alone else ("case" if post.kind == "case" else "sworn")]))
        if len(crew) < min_total:
            out.append((f"a patrol of {len(crew)}, needs at least {min_total}", SOURCES["patrol"]))
        if traffic and not (n_sworn >= 2 or (n_sworn >= 1 and len(crew) >= 3)):
            out.append(("traffic duty needs 2 交警 or 1 交警 + 2 协管员", SOURCES["traffic"]))
        for skill in post.crew_skills:
            if not any(p.has_skill(skill, sp.date(d)) for p in crew):
                out.append((f"nobody on the crew holds {skill}", "岗位制 crew skills"))
        return out

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        sp = self.sp
        people, posts = sp.person_by_badge, sp.post_by_code
        out = []
        for (d, code), badges in sorted(_by_slot(roster).items()):
            shift, post_code = split_slot(code)
            post = posts[post_code]
            where = f"{post.name} {shift} {sp.date(d)}"
            for message, source in self.crew_problems(post, [people[b] for b in badges], d):
                out.append(self.v(None, d, f"{where}: {message}", source=source))
        return out


class RestAfter24h(StationRule):
    """After a 24 h duty, ``rest_days_after_24h`` days off (值一休一); also across the start of
    the period from the previous roster's tail. (Minimum rest in hours and no day shift after a
    night are forbidden successions, checked by the core ``succession`` rule.)"""

    name = "rest_after_24h"
    source = "24小时值班后休息"

    def _k(self) -> int:
        return int(self.sp.param("rest_days_after_24h", 1))

    def _duty_slots(self, ctx) -> list[int]:
        shifts = self.sp.shift_by_code
        return [i for i, code in enumerate(ctx.shift_ids) if shifts[split_slot(code)[0]].kind == "24h"]

    def domain(self, ctx) -> None:
        k = self._k()
        shifts = self.sp.shift_by_code
        for e, person in enumerate(self.sp.people):
            hist = self.sp.history.get(person.badge, [])
            for back, code in enumerate(reversed(hist), start=1):   # back = days before day 0
                if code is not None and shifts.get(split_slot(code)[0]) and \
                        shifts[split_slot(code)[0]].kind == "24h":
                    for d in range(0, k - back + 1):
                        if d < ctx.H:
                            ctx.allowed[e][d] = []
                if back >= k:
                    break

    def apply(self, ctx) -> None:
        k = self._k()
        duty = self._duty_slots(ctx)
        if k <= 0 or not duty:
            return
        for e in ctx.active_employees:
            for d in range(ctx.H):
                for s in duty:
                    x = ctx.x(e, d, s)
                    if is_const(x) and not x:
                        continue
                    for j in range(1, k + 1):
                        if d + j < ctx.H:
                            ctx.clause([_neg(x), ctx.off(e, d + j)])

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        k = self._k()
        shifts = self.sp.shift_by_code
        out = []
        for person in self.sp.people:
            seq = list(self.sp.history.get(person.badge, [])) + [roster.get((person.badge, d))
                                                                 for d in range(self.sp.days)]
            offset = len(seq) - self.sp.days
            for i, code in enumerate(seq):
                if code is None or shifts.get(split_slot(code)[0]) is None:
                    continue
                if shifts[split_slot(code)[0]].kind != "24h":
                    continue
                for j in range(1, k + 1):
                    t = i + j
                    if offset <= t < len(seq) and seq[t] is not None:
                        out.append(self.v(person.badge, t - offset,
                                          f"{person.name} works {seq[t]} on {self.sp.date(t - offset)}, "
                                          f"{j} day(s) after a 24 h duty (rest {k} day(s))"))
        return out


class MaxNightsInARow(StationRule):
    """At most ``max_nights_in_a_row`` night or 24 h shifts on consecutive days (history counts)."""

    name = "max_nights"
    source = "fatigue evidence"

    def _m(self) -> int:
        return int(self.sp.param("max_nights_in_a_row", 2))

    def _night(self, code: str | None) -> bool:
        if code is None:
            return False
        sh = self.sp.shift_by_code.get(split_slot(code)[0])
        return bool(sh and sh.is_night)

    def _hist_run(self, badge: str) -> int:
        run = 0
        for code in reversed(self.sp.history.get(badge, [])):
            if not self._night(code):
                break
            run += 1
        return run

    def apply(self, ctx) -> None:
        M = self._m()
        nights = [i for i, code in enumerate(ctx.shift_ids) if self._night(code)]
        if not nights:
            return
        for e in ctx.active_employees:
            badge = self.sp.people[e].badge

            def n(d):
                return [ctx.x(e, d, s) for s in nights]
            k = self._hist_run(badge)
            if k:
                # the run from the past may go on for at most M - k more nights
                span = M - k + 1
                if span <= 0:
                    ctx.linear_range([(1, x) for x in n(0)], None, 0)
                elif span <= ctx.H:
                    ctx.linear_range([(1, x) for d in range(span) for x in n(d)], None, span - 1)
            for d in range(0, ctx.H - M):
                ctx.linear_range([(1, x) for t in range(d, d + M + 1) for x in n(t)], None, M)

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        M = self._m()
        out = []
        for person in self.sp.people:
            run = self._hist_run(person.badge)
            for d in range(self.sp.days):
                if self._night(roster.get((person.badge, d))):
                    run += 1
                    if run == M + 1:
                        out.append(self.v(person.badge, d, f"{person.name}: {run} nights in a row on "
                                                           f"{self.sp.date(d)}, at most {M}"))
                else:
                    run = 0
        return out


def _deviation(ctx, pairs, target: int, lo: int, hi: int):
    """pos, neg >= 0 with sum(pairs) - target == pos - neg. Returns (pos, neg) (ints if constant)."""
    from ortools.sat.python import cp_model
    coefs, xs, const = split_terms(pairs)
    if not xs:
        d = const - target
        return max(0, d), max(0, -d)
    pos = ctx.model.new_int_var(0, max(0, hi - target), "")
    neg = ctx.model.new_int_var(0, max(0, target - lo), "")
    ctx.model.add(cp_model.LinearExpr.weighted_sum(xs, coefs) + const - target == pos - neg)
    return pos, neg


class WomanOnDuty(StationRule):
    """Soft: each day period (08:00-20:00) and each night that has posts staffed should have a
    woman on duty or on standby, for searches of women by female staff."""

    name = "woman_on_duty"
    hard = False
    source = "治安管理处罚法 (search of a woman by female staff)"

    def _periods(self):
        sp = self.sp
        kinds = {"day": ("day", "24h"), "night": ("night", "24h")}
        for d in range(sp.days):
            for period, ks in kinds.items():
                shifts = {s.code for s in sp.shifts if s.kind in ks}
                if any(n > 0 for (dd, sh, _), n in sp.demand.items() if dd == d and sh in shifts):
                    yield d, period, shifts

    def apply(self, ctx) -> None:
        women = [e for e, p in enumerate(self.sp.people) if p.sex == "F"]
        slot_shift = [split_slot(c)[0] for c in ctx.shift_ids]
        for d, period, shifts in self._periods():
            lits = [ctx.x(e, d, s) for e in women for s in range(ctx.S) if slot_shift[s] in shifts]
            if any(is_const(x) and x for x in lits):
                continue
            lits = [x for x in lits if not is_const(x)]
            if not lits:
                ctx.cost(W_WOMAN, 1, self.name)
                continue
            missing = ctx.model.new_bool_var("")
            ctx.model.add_bool_or(lits + [missing])
            ctx.cost(W_WOMAN, missing, self.name)

    def validate(self, problem, roster) -> list[Violation]:
        people = self.sp.person_by_badge
        out = []
        for d, period, shifts in self._periods():
            if not any(code is not None and dd == d and split_slot(code)[0] in shifts and people[b].sex == "F"
                       for (b, dd), code in roster.items()):
                out.append(self.v(None, d, f"no woman on duty or standby in the {period} of {self.sp.date(d)}",
                                  penalty=W_WOMAN))
        return out


class CommunityShare(StationRule):
    """Soft, reported: community officers (民警 of the community team) spend at least
    ``community_share_min`` of their working time on community posts."""

    name = "community_share"
    hard = False
    source = "Shaanxi 派出所 implementation opinions"

    def _ratio(self):
        from fractions import Fraction
        f = Fraction(str(self.sp.param("community_share_min", 0.8))).limit_denominator(20)
        return f.numerator, f.denominator

    def _minutes(self, code):
        shift, post = split_slot(code)
        m = self.sp.shift_by_code[shift].minutes
        return m, (m if self.sp.post_by_code[post].kind == "community" else 0)

    def apply(self, ctx) -> None:
        p, q = self._ratio()
        if p == 0:
            return
        for e in range(ctx.E):  # all people: a frozen person's cost is a constant the LNS must count
            if not self.sp.people[e].is_community_officer:
                continue
            pairs = []
            for d in range(ctx.H):
                for s in range(ctx.S):
                    total, comm = self._minutes(ctx.shift_ids[s])
                    coef = q * comm - p * total      # >= 0 summed, else slack
                    if coef:
                        pairs.append((coef, ctx.x(e, d, s)))
            coefs, xs, const = split_terms(pairs)
            if not xs:
                ctx.cost(W_COMMUNITY, max(0, -const), self.name)
                continue
            hi = sum(-c for c in coefs if c < 0) + max(0, -const)
            slack = ctx.model.new_int_var(0, max(0, hi), "")
            from ortools.sat.python import cp_model
            ctx.model.add(cp_model.LinearExpr.weighted_sum(xs, coefs) + const + slack >= 0)
            ctx.cost(W_COMMUNITY, slack, self.name)

    def shares(self, roster) -> dict[str, tuple[int, int]]:
        out = {}
        for person in self.sp.people:
            if not person.is_community_officer:
                continue
            total = comm = 0
            for d in range(self.sp.days):
                code = roster.get((person.badge, d))
                if code:
                    t, c = self._minutes(code)
                    total += t
                    comm += c
            out[person.badge] = (comm, total)
        return out

    def validate(self, problem, roster) -> list[Violation]:
        p, q = self._ratio()
        out = []
        for badge, (comm, total) in self.shares(roster).items():
            short = p * total - q * comm
            if short > 0:
                person = self.sp.person_by_badge[badge]
                out.append(self.v(badge, None, f"{person.name}: {comm / 60:g} h of {total / 60:g} h on community "
                                               f"posts ({comm / total:.0%}), below {p / q:.0%}",
                                  penalty=W_COMMUNITY * short))
        return out


class HoursTarget(StationRule):
    """Soft: each person's worked minutes near the weekly hours target, prorated for days
    available (leave lowers it). 补休 covers the rest, so this is a balance, not a cap."""

    name = "hours_target"
    hard = False
    source = "国务院工时规定; 公务员法 补休"

    def target(self, badge: str) -> int:
        sp = self.sp
        avail = sp.days - len(sp.unavailable.get(badge, {}))
        return int(round(float(sp.param("weekly_hours", 40)) * 60 * avail / 7))

    def apply(self, ctx) -> None:
        minutes = ctx.minutes
        for e in range(ctx.E):  # all people (see CommunityShare)
            badge = self.sp.people[e].badge
            pairs = [(minutes[s], ctx.x(e, d, s)) for d in range(ctx.H) for s in range(ctx.S)]
            pos, neg = _deviation(ctx, pairs, self.target(badge), 0, 1440 * ctx.H)
            ctx.cost(W_HOURS_OVER, pos, self.name)
            ctx.cost(W_HOURS_UNDER, neg, self.name)

    def validate(self, problem, roster) -> list[Violation]:
        minutes = {s.id: s.minutes for s in problem.shift_types}
        out = []
        for person in self.sp.people:
            total = sum(minutes.get(roster.get((person.badge, d)), 0) for d in range(self.sp.days)
                        if roster.get((person.badge, d)))
            dev = total - self.target(person.badge)
            if dev:
                out.append(self.v(person.badge, None, f"{person.name}: {total / 60:g} h against a target of "
                                                      f"{self.target(person.badge) / 60:g} h",
                                  penalty=(W_HOURS_OVER if dev > 0 else W_HOURS_UNDER) * abs(dev)))
        return out


FAIRNESS_CATEGORIES = ("nights", "weekends", "holidays", "duty24")


class Fairness(StationRule):
    """Soft: nights, weekend days, public-holiday days and 24 h duties shared fairly, counted
    since the start of the year (``prior``) plus this period. Each person's total is pulled
    towards a fair share (the pool's total split by days available); the largest excess in each
    category costs extra (min-max), so no one carries the load alone."""

    name = "fairness"
    hard = False
    source = "fairness"

    def in_category(self, cat: str, day: int, code: str) -> bool:
        sp = self.sp
        kinds = self.__dict__.get("_kinds")
        if kinds is None:      # shift kinds by code, once per rule (this runs for every cell)
            kinds = self.__dict__["_kinds"] = {x.code: x.kind for x in sp.shifts}
        kind = kinds[split_slot(code)[0]]
        if cat == "nights":
            return kind == "night"
        if cat == "duty24":
            return kind == "24h"
        if cat == "weekends":
            return sp.is_weekend(day) and sp.day_kinds[day] != "adjusted_workday"
        return sp.day_kinds[day] == "holiday"

    def plan(self, allowed=None):
        """Per category: (pool of badges, fair share in tenths per badge). It depends on the
        problem only, so it is worked out once per rule (a manual edit validates twice)."""
        cached = self.__dict__.get("_plan")
        if cached is None:
            cached = self.__dict__["_plan"] = self._plan_shares()
        return cached

    def _plan_shares(self):
        sp = self.sp
        out = {}
        slot_days = defaultdict(int)
        for (d, sh, po), n in sp.demand.items():
            slot_days[(d, f"{sh}@{po}")] += n
        posts = sp.post_by_code
        for cat in FAIRNESS_CATEGORIES:
            slots = [(d, code) for (d, code) in slot_days if self.in_category(cat, d, code)]
            demand = sum(slot_days[k] for k in slots)
            if demand == 0:
                continue
            slots = [(d, posts[split_slot(code)[1]]) for d, code in slots]
            pool = []
            for person in sp.people:
                away = sp.unavailable.get(person.badge, {})
                if any(d not in away and sp.eligible(person, post, d) is None for d, post in slots):
                    pool.append(person.badge)
            if not pool:
                continue
            avail = {b: sp.days - len(sp.unavailable.get(b, {})) for b in pool}
            total = demand + sum(sp.prior.get(b, {}).get(cat, 0) for b in pool)
            sum_avail = sum(avail.values()) or 1
            share = {b: int(round(10 * total * avail[b] / sum_avail)) for b in pool}
            out[cat] = (pool, share)
        return out

    def apply(self, ctx) -> None:
        sp = self.sp
        idx = {p.badge: e for e, p in enumerate(sp.people)}
        for cat, (pool, share) in self.plan().items():
            pos_vars = []
            for b in pool:
                e = idx[b]
                prior = sp.prior.get(b, {}).get(cat, 0)
                pairs = [(10, ctx.x(e, d, s)) for d in range(ctx.H) for s in range(ctx.S)
                         if self.in_category(cat, d, ctx.shift_ids[s])]
                pairs.append((10, prior))
                pos, neg = _deviation(ctx, pairs, share[b], 0, 10 * (prior + ctx.H))
                ctx.cost(W_FAIR_SPREAD, pos, self.name)
                ctx.cost(W_FAIR_SPREAD, neg, self.name)
                pos_vars.append(pos)
            solver_vars = [v for v in pos_vars if not is_const(v)]
            if not solver_vars:
                ctx.cost(W_FAIR_MAX, max(pos_vars, default=0), self.name)
                continue
            top = ctx.model.new_int_var(max([v for v in pos_vars if is_const(v)], default=0), 10 * (ctx.H + 400), "")
            for v in solver_vars:
                ctx.model.add(top >= v)
            ctx.cost(W_FAIR_MAX, top, self.name)

    def counts(self, roster) -> dict[str, dict[str, int]]:
        """This period's counts per badge and category."""
        out = {p.badge: {c: 0 for c in FAIRNESS_CATEGORIES} for p in self.sp.people}
        for (b, d), code in roster.items():
            if code is None or b not in out:
                continue
            for cat in FAIRNESS_CATEGORIES:
                if self.in_category(cat, d, code):
                    out[b][cat] += 1
        return out

    def validate(self, problem, roster) -> list[Violation]:
        counts = self.counts(roster)
        out = []
        for cat, (pool, share) in self.plan().items():
            top = 0
            for b in pool:
                total10 = 10 * (counts[b][cat] + self.sp.prior.get(b, {}).get(cat, 0))
                dev = total10 - share[b]
                top = max(top, dev)
                if dev:
                    out.append(self.v(b, None, f"{cat}: {total10 / 10:g} against a fair share of {share[b] / 10:g}",
                                      penalty=W_FAIR_SPREAD * abs(dev)))
            if top:
                out.append(self.v(None, None, f"{cat}: largest excess over a fair share {top / 10:g}",
                                  penalty=W_FAIR_MAX * top))
        return out


class StationRequests(StationRule):
    """Soft: on/off requests for a shift (any post), or for a whole day (shift None)."""

    name = "requests"
    hard = False

    def _lits(self, ctx, e, r):
        slot_shift = [split_slot(c)[0] for c in ctx.shift_ids]
        if r.shift is None:
            return [ctx.on(e, r.day)]
        return [ctx.x(e, r.day, s) for s in range(ctx.S) if slot_shift[s] == r.shift]

    def apply(self, ctx) -> None:
        idx = {p.badge: e for e, p in enumerate(self.sp.people)}
        for r in self.sp.requests:
            e = idx.get(r.badge)
            if e is None or not 0 <= r.day < ctx.H:
                continue
            w = W_REQUEST * r.weight
            lits = self._lits(ctx, e, r)
            if r.on:
                ctx.cost(w, 1, self.name)
                for x in lits:
                    ctx.cost(-w, x, self.name)
            else:
                for x in lits:
                    ctx.cost(w, x, self.name)

    def validate(self, problem, roster) -> list[Violation]:
        out = []
        for r in self.sp.requests:
            if not 0 <= r.day < self.sp.days:
                continue
            code = roster.get((r.badge, r.day))
            works = code is not None and (r.shift is None or split_slot(code)[0] == r.shift)
            what = r.shift or "any shift"
            if r.on and not works:
                out.append(self.v(r.badge, r.day, f"asked to work {what} on {self.sp.date(r.day)}, has "
                                                  f"{code or 'off'}", penalty=W_REQUEST * r.weight))
            elif not r.on and works:
                out.append(self.v(r.badge, r.day, f"asked not to work {what} on {self.sp.date(r.day)}",
                                  penalty=W_REQUEST * r.weight))
        return out


class StationChanges(StationRule):
    """Soft (repair): every cell that differs from the previous version costs, nearer days more."""

    name = "changes"
    hard = False

    def _weight(self, d: int) -> int:
        w = self.sp.change_weights or {}
        return W_CHANGE * w.get(d, 1)

    def apply(self, ctx) -> None:
        prev = self.sp.previous or {}
        idx = {p.badge: e for e, p in enumerate(self.sp.people)}
        for (b, d), code in prev.items():
            e = idx.get(b)
            if e is None or not 0 <= d < ctx.H:
                continue
            if code is None:
                same = ctx.off(e, d)
            elif code in ctx.shift_index:
                same = ctx.x(e, d, ctx.shift_index[code])
            else:
                same = 0
            ctx.cost_not(self._weight(d), same, self.name)

    def validate(self, problem, roster) -> list[Violation]:
        out = []
        for (b, d), code in (self.sp.previous or {}).items():
            if 0 <= d < self.sp.days and roster.get((b, d)) != code:
                out.append(self.v(b, d, f"changed from {code or 'off'} to {roster.get((b, d)) or 'off'}",
                                  penalty=self._weight(d)))
        return out
