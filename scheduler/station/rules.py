"""Station rule modules. Each adds its constraints / objective terms to the engine's model
context and has its own validator that checks a finished roster without the solver.

What each rule is — hard or soft, its weights, parameters, legal source, enforcer and validator —
is defined once, in the rule catalogue (scheduler/rules/catalogue.py); a module here is named by
its catalogue code and reads the rest from there. Violations carry their text as a message of
the catalogue (messages/rules.py) with the rule's source, so a chief sees why.

Cells hold slot codes ``SHIFT@POST``.
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict

from messages import Items, Msg
from scheduler.lits import is_const
from scheduler.lits import neg as _neg
from scheduler.lits import split_terms
from scheduler.problem import Problem, Roster, Violation
from scheduler.rules.base import Rule
from scheduler.rules.catalogue import CATALOGUE, weight
from scheduler.station.model import (AUXILIARY, SNeed, SStaffing, StationRosterProblem, crew_text, skill_name,
                                     split_slot)

# Objective weights, from the catalogue: legal rules are hard; then cover > rest (hard) >
# fairness > requests > stability.
W_UNDER = weight("cover", "under")          # one person missing on a post for one shift
W_OVER = weight("cover", "over")            # one person more than the post needs
W_WOMAN = weight("woman_on_duty")           # a day or night period without a woman on duty or standby
W_POST_WOMAN = weight("post_woman")         # a shift of a needs_woman post without a woman
W_WEEKENDS = weight("max_weekends")         # per weekend over the cap in a window of 4 weekends
W_COMMUNITY = weight("community_share")     # per unit of community-share slack (1/q minute short, share = p/q)
W_HOURS_UNDER = weight("hours_target", "under")   # per minute below the prorated weekly hours target
W_HOURS_OVER = weight("hours_target", "over")     # per minute above it
W_FAIR_SPREAD = weight("fairness", "spread")      # per tenth of a count away from the person's fair share
W_FAIR_MAX = weight("fairness", "max")            # per tenth of the largest excess over a fair share
W_REQUEST = weight("requests")              # per unit of request weight (1-3)
W_CHANGE = weight("changes")                # per changed cell in a repair (times the day weight)


def violation(rule_code: str, badge, day, key: str, *, penalty: int = 0, **values) -> Violation:
    """A violation of catalogue rule ``code``: its text is message ``key`` with the rule's source;
    ``message`` is the English rendering (logs, JSON), ``msg`` renders in the user's language."""
    d = CATALOGUE[rule_code]
    msg = Msg("rules.violation", text=Msg(key, **values), source=Msg(d.source_key))
    return Violation(rule_code, badge, day, msg.render("en"), hard=d.hard, penalty=penalty, msg=msg)


class Named(Rule):
    """A generic rule module (scheduler/rules/) on a station roster: it adds the same constraints,
    and its violations name the person and the date and carry the rule's source, as the station
    rules' own do (the generic text says what is wrong, not who or when)."""

    def __init__(self, sp: StationRosterProblem, rule: Rule):
        self.sp = sp
        self.rule = rule

    def __getattr__(self, attr):           # name, hard and whatever the engine reads of the rule
        try:
            rule = self.__dict__["rule"]
        except KeyError:                   # while unpickling
            raise AttributeError(attr) from None
        return getattr(rule, attr)

    @property
    def name(self) -> str:                 # type: ignore[override]
        return self.rule.name

    @property
    def hard(self) -> bool:                # type: ignore[override]
        return self.rule.hard

    def domain(self, ctx) -> None:
        self.rule.domain(ctx)

    def apply(self, ctx) -> None:
        self.rule.apply(ctx)

    def elastic(self, weight: int) -> Rule:
        inner = self.rule.elastic(weight)
        return self if inner is self.rule else Named(self.sp, inner)

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        return [self._named(v) for v in self.rule.validate(problem, roster)]

    def _named(self, v: Violation) -> Violation:
        if v.msg is None or v.rule not in CATALOGUE:
            return v
        person = self.sp.person_by_badge.get(v.employee) if v.employee is not None else None
        when = self.sp.date(v.day).isoformat() if v.day is not None and 0 <= v.day < self.sp.days else None
        if person is not None and when is not None:
            text = Msg("v.g.who_when", name=person.name, date=when, text=v.msg)
        elif person is not None:
            text = Msg("v.g.who", name=person.name, text=v.msg)
        elif when is not None:
            text = Msg("v.g.when", date=when, text=v.msg)
        else:
            text = v.msg
        msg = Msg("rules.violation", text=text, source=Msg(CATALOGUE[v.rule].source_key))
        return dataclasses.replace(v, message=msg.render("en"), msg=msg)

    def __repr__(self) -> str:  # pragma: no cover
        return f"Named({self.rule!r})"


class StationRule(Rule):
    """A rule that reads the station problem it was built for; ``name`` is its catalogue code."""

    def __init__(self, sp: StationRosterProblem):
        self.sp = sp

    @property
    def hard(self) -> bool:
        return CATALOGUE[self.name].hard

    def v(self, badge, day, key: str, *, rule: str | None = None, penalty: int = 0, **values) -> Violation:
        return violation(rule or self.name, badge, day, key, penalty=penalty, **values)


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
                out.append(self.v(badge, d, "v.skills.not_eligible", name=people[badge].name, post=post,
                                  date=sp.date(d).isoformat(), why=why))
            sh = sp.shift_by_code.get(shift)
            if sh and d in sp.no_overnight.get(badge, ()) and sh.start_minute + sh.minutes > 1440:
                out.append(self.v(badge, d, "v.skills.overnight", name=people[badge].name, shift=shift,
                                  date=sp.date(d).isoformat(), next=sp.date(d + 1).isoformat()))
            seam = sp.seam.get(badge, {}).get(d)
            if seam and shift in seam[0]:
                out.append(self.v(badge, d, "v.skills.seam", name=people[badge].name, shift=shift,
                                  date=sp.date(d).isoformat(), why=seam[1]))
        return out


TRAFFIC_STAFFING = (   # 《交通警察道路执勤执法工作规范》第70、72条: road duty 2 交警, or 1 交警 + 2 协管员
    SStaffing((SNeed(2, ("sworn",)),), "2 交警"),
    SStaffing((SNeed(1, ("sworn",)), SNeed(2, AUXILIARY)), "1 交警 + 2 协管员"),
)


def min_sworn(sp: StationRosterProblem, post) -> int:
    """民警 a staffed post needs whatever its composition: its ``min_sworn``; one when it is an
    enforcement post that allows auxiliaries (辅警 work under a 民警); case duty's minimum."""
    n = post.min_sworn
    if post.enforcement and any(t in AUXILIARY for t in post.allowed_types):
        n = max(n, 1)
    if post.kind == "case":
        n = max(n, int(sp.param("case_duty_min_sworn", 2)))
    return n


def staffings(post) -> tuple[SStaffing, ...]:
    """The post's staffing alternatives: as the station file gives them, else the traffic rule
    for traffic posts, else none (the counts of min_sworn and the patrol minimum only)."""
    if post.staffing:
        return post.staffing
    return TRAFFIC_STAFFING if post.kind == "traffic" else ()


def composition_used(sp: StationRosterProblem, post, crew, d: int) -> SStaffing | None:
    """The first staffing alternative the crew meets (None when none or the post has none)."""
    on = sp.date(d)
    for alt in staffings(post):
        if all(sum(n.matches(p, on) for p in crew) >= n.count for n in alt.needs):
            return alt
    return None


class TeamRules(StationRule):
    """Person types and team sizes, whenever a post is staffed in a shift (catalogue codes
    team_min_sworn, team_aux, team_case, team_patrol, team_composition, team_crew_skill):
    - at least ``min_sworn`` 民警 (case duty: ``case_duty_min_sworn``, 第52条第1款);
    - on an enforcement post a 辅警 never works without a 民警; a post declared
      ``enforcement = false`` (window, reception) may be staffed by 文职辅警 alone;
    - patrols of at least ``patrol_team_min`` people (巡察条例);
    - the post's staffing alternatives: one of them met (traffic posts by default: 2 交警, or
      1 交警 + 2 协管员, 道路执勤执法工作规范 第70、72条);
    - each crew skill (e.g. driving) held by someone of the crew."""

    name = "team_rules"

    @property
    def hard(self) -> bool:
        return True

    def _needs(self, post) -> tuple[int, int, tuple[SStaffing, ...]]:
        min_total = int(self.sp.param("patrol_team_min", 2)) if post.kind in ("patrol", "foot_patrol") else 1
        return min_sworn(self.sp, post), min_total, staffings(post)

    def apply(self, ctx) -> None:
        sp = self.sp
        people = sp.people
        posts = sp.post_by_code
        free_slots = {(d, s) for (_, d, s) in ctx.work}   # slots with a free cell: the rest is settled
        for (d, s) in sorted(free_slots):
            members = [e for e in range(ctx.E) if not (is_const(ctx.x(e, d, s)) and not ctx.x(e, d, s))]
            shift, post_code = split_slot(ctx.shift_ids[s])
            post = posts[post_code]
            need_sworn, min_total, alts = self._needs(post)
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
            if need_sworn:
                ctx.linear_range(sworn + [(-need_sworn, y)], 0, None)
            if min_total > 1:
                ctx.linear_range([(1, x) for _, x in xs] + [(-min_total, y)], 0, None)
            date = sp.date(d)
            if alts:
                picks = []
                for alt in alts:
                    z = y if len(alts) == 1 else ctx.model.new_bool_var("")   # this alternative is met
                    for n in alt.needs:
                        ctx.linear_range([(1, x) for e, x in xs if n.matches(people[e], date)] + [(-n.count, z)],
                                         0, None)
                    picks.append(z)
                if len(alts) > 1:
                    ctx.linear_range([(1, z) for z in picks] + [(-1, y)], 0, None)   # y -> one of them
            for skill in post.crew_skills:
                holders = [(1, x) for e, x in xs if people[e].has_skill(skill, date)]
                ctx.linear_range(holders + [(-1, y)], 0, None)

    def crew_problems(self, post, crew, d: int) -> list[tuple[str, str, dict]]:
        """(catalogue code, message key, values) for every team rule a crew on (post, day d) breaks."""
        sp = self.sp
        need_sworn, min_total, alts = self._needs(post)
        n_sworn = sum(p.sworn for p in crew)
        out = []
        if n_sworn < need_sworn:
            if n_sworn == 0 and post.enforcement and any(not p.sworn for p in crew):
                out.append(("team_aux", "v.team.aux_alone", {"n": n_sworn, "k": need_sworn}))
            elif post.kind == "case" and n_sworn < int(sp.param("case_duty_min_sworn", 2)):
                out.append(("team_case", "v.team.sworn", {"n": n_sworn, "k": need_sworn}))
            else:
                out.append(("team_min_sworn", "v.team.sworn", {"n": n_sworn, "k": need_sworn}))
        if len(crew) < min_total:
            out.append(("team_patrol", "v.team.patrol", {"n": len(crew), "k": min_total}))
        if alts and composition_used(sp, post, crew, d) is None:
            out.append(("team_composition", "v.team.composition",
                        {"crew": crew_text(crew),
                         "alternatives": Items([a.text(sp.skill_names) for a in alts], sep="alternatives")}))
        for skill in post.crew_skills:
            if not any(p.has_skill(skill, sp.date(d)) for p in crew):
                out.append(("team_crew_skill", "v.team.crew_skill", {"skill": skill_name(skill, sp.skill_names)}))
        return out

    def validate(self, problem: Problem, roster: Roster) -> list[Violation]:
        sp = self.sp
        people, posts = sp.person_by_badge, sp.post_by_code
        out = []
        for (d, code), badges in sorted(_by_slot(roster).items()):
            shift, post_code = split_slot(code)
            post = posts[post_code]
            for rule, key, values in self.crew_problems(post, [people[b] for b in badges], d):
                out.append(self.v(None, d, "v.team.where", rule=rule, post=post.name, shift=shift,
                                  date=sp.date(d).isoformat(), what=Msg(key, **values)))
        return out


class RestAfter24h(StationRule):
    """After a 24 h duty, ``rest_days_after_24h`` days off (值一休一); also across the start of
    the period from the previous roster's tail. (Minimum rest in hours and no day shift after a
    night are forbidden successions, checked by the core ``succession`` rule.)"""

    name = "rest_after_24h"

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
                        out.append(self.v(person.badge, t - offset, "v.rest24", name=person.name, code=seq[t],
                                          date=self.sp.date(t - offset).isoformat(), j=j, k=k))
        return out


class MaxNightsInARow(StationRule):
    """At most ``max_nights_in_a_row`` night shifts (kind ``night``) on consecutive days, history
    counted. A 24 h duty is not a night here: it has its own rest rule (``rest_after_24h``)."""

    name = "max_nights"

    def _m(self) -> int:
        return int(self.sp.param("max_nights_in_a_row", 2))

    def _night(self, code: str | None) -> bool:
        if code is None:
            return False
        sh = self.sp.shift_by_code.get(split_slot(code)[0])
        return bool(sh and sh.kind == "night")

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
                        out.append(self.v(person.badge, d, "v.nights", name=person.name, run=run,
                                          date=self.sp.date(d).isoformat(), k=M))
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
                out.append(self.v(None, d, f"v.woman.{period}", date=self.sp.date(d).isoformat(),
                                  penalty=W_WOMAN))
        return out


class PostWoman(StationRule):
    """Soft: a post marked ``needs_woman`` has a woman in every shift it is demanded (for searches
    of women by female staff on that post). Separate from the station-wide ``woman_on_duty``."""

    name = "post_woman"

    def _slots(self):
        posts = self.sp.post_by_code
        for (d, shift, post), n in sorted(self.sp.demand.items()):
            if n > 0 and posts[post].needs_woman:
                yield d, shift, post

    def apply(self, ctx) -> None:
        women = [e for e, p in enumerate(self.sp.people) if p.sex == "F"]
        for d, shift, post in self._slots():
            s = ctx.shift_index.get(f"{shift}@{post}")
            lits = [] if s is None else [ctx.x(e, d, s) for e in women]
            if any(is_const(x) and x for x in lits):
                continue
            lits = [x for x in lits if not is_const(x)]
            if not lits:
                ctx.cost(W_POST_WOMAN, 1, self.name)
                continue
            missing = ctx.model.new_bool_var("")
            ctx.model.add_bool_or(lits + [missing])
            ctx.cost(W_POST_WOMAN, missing, self.name)

    def validate(self, problem, roster) -> list[Violation]:
        people, posts = self.sp.person_by_badge, self.sp.post_by_code
        on = _by_slot(roster)
        out = []
        for d, shift, post in self._slots():
            if not any(people[b].sex == "F" for b in on.get((d, f"{shift}@{post}"), ())):
                out.append(self.v(None, d, "v.post_woman", post=posts[post].name, shift=shift,
                                  date=self.sp.date(d).isoformat(), penalty=W_POST_WOMAN))
        return out


class WeekendsPer4Weeks(StationRule):
    """Soft, weighted just below an empty seat: in any 4 consecutive weekends a person works at
    most ``max_weekends_per_4_weeks`` of them. A weekend is a calendar Saturday and Sunday and
    counts as worked when either day is. Rolling windows, not blocks: every run of 4 weekends
    that touches the period, the weekends of the previous rosters (history) included. Each
    weekend over the cap in a window costs ``W_WEEKENDS``."""

    name = "max_weekends"

    def _cap(self) -> int:
        return int(self.sp.param("max_weekends_per_4_weeks", 3))

    def _days(self, badge: str):
        """{weekend (its Saturday's date): ([history shift codes], [period days])}, in date order."""
        from datetime import timedelta
        sp = self.sp
        out: dict = {}
        hist = sp.history.get(badge, [])
        for i, code in enumerate(hist):
            day = sp.start - timedelta(days=len(hist) - i)
            if day.weekday() >= 5:
                out.setdefault(day - timedelta(days=day.weekday() - 5), ([], []))[0].append(code)
        for d in range(sp.days):
            day = sp.date(d)
            if day.weekday() >= 5:
                out.setdefault(day - timedelta(days=day.weekday() - 5), ([], []))[1].append(d)
        return dict(sorted(out.items()))

    def _windows(self, keys: list, in_period: set) -> list[list]:
        if len(keys) < 4:
            return [keys] if in_period & set(keys) else []
        return [keys[j:j + 4] for j in range(len(keys) - 3) if in_period & set(keys[j:j + 4])]

    def apply(self, ctx) -> None:
        cap = self._cap()
        for e, person in enumerate(self.sp.people):   # all people: frozen ones cost a constant
            days = self._days(person.badge)
            flags = {}
            for key, (hist, period) in days.items():
                if any(c is not None for c in hist):
                    flags[key] = 1
                    continue
                lits = [ctx.on(e, d) for d in period]
                if any(is_const(x) and x for x in lits):
                    flags[key] = 1
                    continue
                lits = [x for x in lits if not is_const(x)]
                if not lits:
                    flags[key] = 0
                elif len(lits) == 1:
                    flags[key] = lits[0]
                else:
                    w = ctx.model.new_bool_var("")
                    for x in lits:
                        ctx.model.add_implication(x, w)
                    ctx.model.add_bool_or([*lits, ~w])
                    flags[key] = w
            in_period = {k for k, (_, period) in days.items() if period}
            for window in self._windows(list(days), in_period):
                coefs, xs, const = split_terms([(1, flags[k]) for k in window])
                if not xs:
                    ctx.cost(W_WEEKENDS, max(0, const - cap), self.name)
                    continue
                if len(window) <= cap:
                    continue
                over = ctx.model.new_int_var(0, len(window) - cap, "")
                from ortools.sat.python import cp_model
                ctx.model.add(over >= cp_model.LinearExpr.weighted_sum(xs, coefs) + const - cap)
                ctx.cost(W_WEEKENDS, over, self.name)

    def worked(self, roster) -> dict[str, dict]:
        """Per badge: {weekend: worked?} over the history and the period."""
        out = {}
        for person in self.sp.people:
            days = self._days(person.badge)
            out[person.badge] = {k: any(c is not None for c in hist)
                                 or any(roster.get((person.badge, d)) is not None for d in period)
                                 for k, (hist, period) in days.items()}
        return out

    def validate(self, problem, roster) -> list[Violation]:
        cap = self._cap()
        out = []
        for badge, flags in self.worked(roster).items():
            days = self._days(badge)
            in_period = {k for k, (_, period) in days.items() if period}
            for window in self._windows(list(flags), in_period):
                n = sum(flags[k] for k in window)
                if n > cap:
                    person = self.sp.person_by_badge[badge]
                    first = min(d for k in window for d in days[k][1]) if any(days[k][1] for k in window) else None
                    out.append(self.v(badge, first, "v.weekends", name=person.name, n=n, of=len(window),
                                      start=window[0].isoformat(), k=cap, penalty=W_WEEKENDS * (n - cap)))
        return out


def aux_month_caps(sp: StationRosterProblem, badge: str) -> dict[str, tuple[list[int], int, int, int]]:
    """The 辅警 overtime cap per calendar month the period touches: {month: (period days in it,
    cap in minutes, minutes already worked that month in other approved/published rosters,
    minutes left for this roster)}. The cap is the month's standard hours (``weekly_hours``
    over the days of the month not on leave) plus ``aux_overtime_cap_hours_month``."""
    import calendar
    weekly = float(sp.param("weekly_hours", 40))
    over = float(sp.param("aux_overtime_cap_hours_month", 36))
    away = sp.unavailable.get(badge, {})
    out = {}
    for month, days in sp.months().items():
        y, m = map(int, month.split("-"))
        n_days = calendar.monthrange(y, m)[1] - sum(1 for d in days if d in away)
        cap = int(round(weekly * 60 * n_days / 7 + over * 60))
        outside = sp.month_minutes.get(badge, {}).get(month, 0)
        out[month] = (days, cap, outside, max(0, cap - outside))
    return out


class AuxOvertimeMonth(StationRule):
    """Hard, for 辅警: in each calendar month, the standard hours plus at most
    ``aux_overtime_cap_hours_month`` of overtime (《劳动法》第41条), counting the hours of the
    approved and published rosters before and after this one in the same month."""

    name = "aux_overtime"

    def apply(self, ctx) -> None:
        minutes = ctx.minutes
        for e in ctx.active_employees:
            person = self.sp.people[e]
            if person.person_type not in AUXILIARY:
                continue
            for month, (days, cap, outside, left) in aux_month_caps(self.sp, person.badge).items():
                ctx.linear_range([(minutes[s], ctx.x(e, d, s)) for d in days for s in range(ctx.S)], None, left)

    def validate(self, problem, roster) -> list[Violation]:
        minutes = {s.id: s.minutes for s in problem.shift_types} if problem is not None else {}
        shifts = self.sp.shift_by_code
        out = []
        for person in self.sp.people:
            if person.person_type not in AUXILIARY:
                continue
            for month, (days, cap, outside, left) in aux_month_caps(self.sp, person.badge).items():
                inside = 0
                for d in days:
                    code = roster.get((person.badge, d))
                    if code is not None:
                        inside += minutes.get(code) or shifts[split_slot(code)[0]].minutes
                if inside and inside + outside > cap:
                    out.append(self.v(person.badge, days[0], "v.aux_month", name=person.name, month=month,
                                      total=f"{(inside + outside) / 60:g}", inside=f"{inside / 60:g}",
                                      outside=f"{outside / 60:g}", cap=f"{cap / 60:g}"))
        return out


class CommunityShare(StationRule):
    """Soft, reported: community officers (民警 of the community team) spend at least
    ``community_share_min`` of their working time on community posts — only in a period that
    demands community posts (a station without them has nothing to measure)."""

    name = "community_share"

    def _ratio(self):
        from fractions import Fraction
        f = Fraction(str(self.sp.param("community_share_min", 0.8))).limit_denominator(20)
        return f.numerator, f.denominator

    def _minutes(self, code):
        shift, post = split_slot(code)
        m = self.sp.shift_by_code[shift].minutes
        return m, (m if self.sp.post_by_code[post].kind == "community" else 0)

    def applies(self) -> bool:
        """Only where the period demands community posts: elsewhere there is no community time to count."""
        posts = self.sp.post_by_code
        return any(n > 0 and posts[p].kind == "community" for (_, _, p), n in self.sp.demand.items())

    def apply(self, ctx) -> None:
        p, q = self._ratio()
        if p == 0 or not self.applies():
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
        if not self.applies():
            return []
        out = []
        for badge, (comm, total) in self.shares(roster).items():
            short = p * total - q * comm
            if short > 0:
                person = self.sp.person_by_badge[badge]
                out.append(self.v(badge, None, "v.community", name=person.name, comm=f"{comm / 60:g}",
                                  total=f"{total / 60:g}", share=f"{comm / total:.0%}", min=f"{p / q:.0%}",
                                  penalty=W_COMMUNITY * short))
        return out


class HoursTarget(StationRule):
    """Soft: each person's worked minutes near the weekly hours target, prorated for days
    available (leave lowers it). 补休 covers the rest, so this is a balance, not a cap."""

    name = "hours_target"

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
                out.append(self.v(person.badge, None, "v.hours", name=person.name, total=f"{total / 60:g}",
                                  target=f"{self.target(person.badge) / 60:g}",
                                  penalty=(W_HOURS_OVER if dev > 0 else W_HOURS_UNDER) * abs(dev)))
        return out


FAIRNESS_CATEGORIES = ("nights", "weekends", "holidays", "duty24")


class Fairness(StationRule):
    """Soft: nights, weekend days, public-holiday days and 24 h duties shared fairly, counted
    since the start of the year (``prior``) plus this period. Each person's total is pulled
    towards a fair share (the pool's total split by days available); the largest excess in each
    category costs extra (min-max), so no one carries the load alone."""

    name = "fairness"

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
                    out.append(self.v(b, None, "v.fair", cat=Msg(f"v.fair.{cat}"), total=f"{total10 / 10:g}",
                                      share=f"{share[b] / 10:g}",
                                      penalty=W_FAIR_SPREAD * abs(dev)))
            if top:
                out.append(self.v(None, None, "v.fair.top", cat=Msg(f"v.fair.{cat}"), top=f"{top / 10:g}",
                                  penalty=W_FAIR_MAX * top))
        return out


class StationRequests(StationRule):
    """Soft: on/off requests for a shift (any post), or for a whole day (shift None)."""

    name = "requests"

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
            what = r.shift or Msg("v.req.any")
            if r.on and not works:
                out.append(self.v(r.badge, r.day, "v.req.on", what=what, date=self.sp.date(r.day).isoformat(),
                                  has=code or Msg("v.off"), penalty=W_REQUEST * r.weight))
            elif not r.on and works:
                out.append(self.v(r.badge, r.day, "v.req.off", what=what, date=self.sp.date(r.day).isoformat(),
                                  penalty=W_REQUEST * r.weight))
        return out


class StationChanges(StationRule):
    """Soft (repair): every cell that differs from the previous version costs, nearer days more."""

    name = "changes"

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
                out.append(self.v(b, d, "v.changed", old=code or Msg("v.off"),
                                  new=roster.get((b, d)) or Msg("v.off"), penalty=self._weight(d)))
        return out
