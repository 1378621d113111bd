"""Reading a finished station roster: why a slot is short, who could fill a slot, how fair it is.

Pure functions over the station problem and a roster ``{(badge, day): "SHIFT@POST" | None}``.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from statistics import mean

from scheduler.station.build import forbidden_shift_pairs
from scheduler.station.model import AUXILIARY, StationRosterProblem, slot_code, split_slot
from scheduler.station.rules import FAIRNESS_CATEGORIES, CommunityShare, Fairness, HoursTarget, aux_month_caps

Roster = dict[tuple[str, int], "str | None"]


def _shift_of(code):
    return None if code is None else split_slot(code)[0]


def blockers(sp: StationRosterProblem, roster: Roster, badge: str, day: int, shift: str, post: str) -> list[dict]:
    """What stops a person from taking (day, shift, post) in this roster: a list of
    {"code", "message"}; empty when they could take it as it stands."""
    person = sp.person_by_badge[badge]
    shifts = sp.shift_by_code
    out: list[dict] = []

    def add(code, message, zh):
        out.append({"code": code, "message": message, "message_zh": zh})

    why = sp.eligible(person, sp.post_by_code[post], day)
    if why:
        add("skills", why.render("en"), why.render("zh"))
    if day in sp.unavailable.get(badge, {}):
        add("leave", f"on leave ({sp.unavailable[badge][day]})", f"休假（{LEAVE_ZH.get(sp.unavailable[badge][day], sp.unavailable[badge][day])}）")
    cur = roster.get((badge, day))
    if cur is not None and cur != slot_code(shift, post):
        add("assigned", f"already on {split_slot(cur)[1]} ({split_slot(cur)[0]}) that day",
            f"当天已在{sp.post_by_code[split_slot(cur)[1]].name}（{shifts[split_slot(cur)[0]].name}）")
    hist = [_shift_of(h) for h in sp.history.get(badge, [])]
    seq = hist + [_shift_of(roster.get((badge, d))) for d in range(sp.days)]
    i = len(hist) + day
    seq[i] = shift
    bad_pairs = forbidden_shift_pairs(sp)
    prev = seq[i - 1] if i >= 1 else None
    nxt = seq[i + 1] if i + 1 < len(seq) else None
    min_rest = sp.param("min_rest_hours", 11)

    def rest_reason(a, b) -> tuple[str, str]:
        """Why shift b may not follow shift a, in English and Chinese."""
        sa, sb = shifts[a], shifts[b]
        if sa.kind == "24h":
            return f"a rest day follows the {sa.name} (24 h duty)", f"{sa.name}后须休息一天"
        if sa.kind == "night" and sb.kind in ("day", "24h") and sp.param("no_day_after_night", True):
            return f"no {sb.name} right after the {sa.name} (night)", f"{sa.name}后不能接{sb.name}"
        hours = (1440 + sb.start_minute - sa.start_minute - sa.minutes) / 60
        return (f"only {hours:g} h between the {sa.name} and the {sb.name} (minimum {min_rest} h)",
                f"{sa.name}与{sb.name}之间只有{hours:g}小时（至少{min_rest}小时）")
    if prev is not None and (prev, shift) in bad_pairs:
        en, zh = rest_reason(prev, shift)
        add("rest", f"rest after the day before: {en}", f"前一天后需休息：{zh}")
    if nxt is not None and (shift, nxt) in bad_pairs:
        en, zh = rest_reason(shift, nxt)
        add("rest", f"rest before the next day: {en}", f"次日前需休息：{zh}")
    k = int(sp.param("rest_days_after_24h", 1))
    for j in range(2, k + 1):
        if i - j >= 0 and seq[i - j] is not None and shifts[seq[i - j]].kind == "24h":
            add("rest", f"resting after a 24 h duty {j} days before", f"{j}天前24小时值班后休息")
        if shifts[shift].kind == "24h" and i + j < len(seq) and seq[i + j] is not None:
            add("rest", f"a 24 h duty needs {k} rest day(s); works {j} days later",
                f"24小时值班后需休息{k}天；{j}天后有班")

    def run(pred):
        a = i
        while a - 1 >= 0 and pred(seq[a - 1]):
            a -= 1
        b = i
        while b + 1 < len(seq) and pred(seq[b + 1]):
            b += 1
        return b - a + 1
    m = int(sp.param("max_consecutive_days", 6))
    if run(lambda x: x is not None) > m:
        add("consecutive", f"would work more than {m} days in a row", f"将连续工作超过{m}天")
    if shifts[shift].kind == "night":      # 24 h duties have their own rest rule, not this one
        n = int(sp.param("max_nights_in_a_row", 2))
        if run(lambda x: x is not None and shifts[x].kind == "night") > n:
            add("nights", f"would work more than {n} nights in a row", f"将连续夜班超过{n}个")
    if person.person_type in AUXILIARY:
        month = sp.date(day).strftime("%Y-%m")
        days, cap, outside, left = aux_month_caps(sp, badge)[month]
        minutes = sum(shifts[seq[len(hist) + d]].minutes for d in days if seq[len(hist) + d] is not None)
        if minutes > left:
            over = sp.param("aux_overtime_cap_hours_month", 36)
            add("overtime", f"辅警 overtime cap ({over:g} h in {month}, other rosters counted) reached",
                f"已达辅警{month}加班上限（{over:g}小时，计入其他排班）")
    return out


def slot_candidates(sp: StationRosterProblem, roster: Roster, day: int, shift: str, post: str) -> dict:
    """Who could fill (day, shift, post): the free ones ranked (furthest below their hours
    target first), and every other person with what stops them."""
    code = slot_code(shift, post)
    hours = HoursTarget(sp)
    minutes = Counter()
    for (b, d), c in roster.items():
        if c is not None:
            minutes[b] += sp.shift_by_code[split_slot(c)[0]].minutes
    on_slot = [b for (b, d), c in roster.items() if d == day and c == code]
    free, blocked = [], []
    for person in sp.people:
        if person.badge in on_slot:
            continue
        reasons = blockers(sp, roster, person.badge, day, shift, post)
        row = {"badge": person.badge, "name": person.name, "person_type": person.person_type,
               "hours": round(minutes[person.badge] / 60, 1),
               "below_target_h": round((hours.target(person.badge) - minutes[person.badge]) / 60, 1)}
        if reasons:
            blocked.append(row | {"why": [r["message"] for r in reasons], "why_zh": [r["message_zh"] for r in reasons],
                                  "codes": [r["code"] for r in reasons]})
        else:
            free.append(row)
    free.sort(key=lambda r: (-r["below_target_h"], r["badge"]))
    for rank, r in enumerate(free, start=1):
        r["rank"] = rank
        r["score"] = r["below_target_h"]
    return {"date": sp.date(day).isoformat(), "shift": shift, "post": post, "on_slot": on_slot,
            "candidates": free, "unavailable": blocked}


def shortfalls(sp: StationRosterProblem, roster: Roster) -> list[dict]:
    """Every (date, shift, post) with fewer people than its demand, and why."""
    count = Counter((d, c) for (b, d), c in roster.items() if c is not None)
    out = []
    for (d, shift, post), need in sorted(sp.demand.items()):
        got = count.get((d, slot_code(shift, post)), 0)
        if got >= need:
            continue
        info = slot_candidates(sp, roster, d, shift, post)
        qualified = [r for r in info["unavailable"] if "skills" not in r["codes"]]
        by_reason = Counter(c for r in qualified for c in dict.fromkeys(r["codes"]))
        free = info["candidates"]
        post_obj = sp.post_by_code[post]
        shift_name = sp.shift_by_code[shift].name
        holders = len(qualified) + len(free) + got
        parts = [f"{post_obj.name} {shift_name} {sp.date(d)}: {need - got} of {need} missing",
                 f"{holders} people hold the skills and type for it"]
        zh = [f"{post_obj.name} {shift_name} {sp.date(d)}：需{need}人，缺{need - got}人",
              f"具备技能和身份的共{holders}人"]
        if by_reason:
            parts.append("; ".join(f"{n} {REASON_TEXT.get(c, c)}" for c, n in by_reason.most_common()))
            zh.append("；".join(f"{n}人{REASON_ZH.get(c, c)}" for c, n in by_reason.most_common()))
        if free:
            names = ", ".join(r["name"] for r in free[:5])
            parts.append(f"{len(free)} free but they would break the team rules or crew needs ({names})")
            zh.append(f"{len(free)}人空闲，但编组会违反法定组队要求（{names}）")
        if got == 0:
            parts[0] += " - the post is EMPTY for this shift"
            zh[0] += "，该班次岗位无人"
        out.append({"date": sp.date(d).isoformat(), "shift": shift, "post": post, "need": need, "assigned": got,
                    "missing": need - got, "severity": "empty" if got == 0 else "short", "explanation": ". ".join(parts) + ".", "explanation_zh": "。".join(zh) + "。",
                    "qualified": [{"badge": r["badge"], "name": r["name"], "why": r["why"], "why_zh": r["why_zh"]}
                                  for r in qualified],
                    "free": [{"badge": r["badge"], "name": r["name"]} for r in free]})
    # a post left with nobody at all (a 24 h desk, a day without case duty) comes first
    out.sort(key=lambda r: (r["severity"] != "empty", r["date"], r["shift"], r["post"]))
    return out


def compositions(sp: StationRosterProblem, roster: Roster) -> list[dict]:
    """For every staffed shift of a post with staffing alternatives: the crew and the alternative
    it meets (None when it meets none: a hard violation the validators report)."""
    from scheduler.station.rules import composition_used, staffings
    crews: dict[tuple[int, str], list] = defaultdict(list)
    for (b, d), code in roster.items():
        if code is not None:
            crews[(d, code)].append(sp.person_by_badge[b])
    out = []
    for (d, code), crew in sorted(crews.items()):
        shift, post = split_slot(code)
        alts = staffings(sp.post_by_code[post])
        if not alts:
            continue
        used = composition_used(sp, sp.post_by_code[post], crew, d)
        out.append({"date": sp.date(d).isoformat(), "shift": shift, "post": post,
                    "crew": sorted(p.badge for p in crew),
                    "composition": _render(used.text(sp.skill_names), "en") if used else None,
                    "composition_zh": _render(used.text(sp.skill_names), "zh") if used else None,
                    "alternatives": [_render(a.text(sp.skill_names), "en") for a in alts],
                    "alternatives_zh": [_render(a.text(sp.skill_names), "zh") for a in alts]})
    return out


def _render(value, lang: str) -> str:
    """A message value (a Msg, Items or Name, or a plain name from the station file) in ``lang``."""
    return value.render(lang) if hasattr(value, "render") else str(value)


def empty_seats(shortfall_list: list[dict]) -> int:
    """Shortfalls are counted in seats (people missing on a post for a shift) everywhere."""
    return sum(s["missing"] for s in shortfall_list)


def _term_groups() -> dict[str, tuple[str, str]]:
    """Objective terms as a chief reads them, in DESIGN.md's priority order: the soft roster rules
    of the rule catalogue, with their names in English and Chinese."""
    from messages import t
    from scheduler.rules.catalogue import RULES
    soft = sorted((r for r in RULES if not r.hard and r.scope == "roster"), key=lambda r: r.priority)
    return {r.code: (t(r.name_key, _lang_override="en"), t(r.name_key, _lang_override="zh")) for r in soft}


TERM_GROUPS = _term_groups()


def quality(*, objective: int | None, terms: dict[str, int], engine_bound: int | None, empty: int,
            min_empty: int | None, cover_weight: int, relaxation_bound: int | None = None) -> dict:
    """What a chief can read from a solve: per objective term what the roster achieves and,
    where known, the best possible; and one overall figure only when a real lower bound backs
    it (the largest of the engine's proved bound, the capacity analysis times the cover weight
    and the linear relaxation's, ``relaxation.objective_bound``)."""
    rows = []
    for rule, (en, zh) in TERM_GROUPS.items():
        value = terms.get(rule, 0)
        row = {"term": rule, "name": en, "name_zh": zh, "penalty": value}
        if rule == "cover":
            row.update(empty_seats=empty, min_empty_seats=min_empty,
                       best_known=None if min_empty is None else min_empty * cover_weight,
                       optimal=min_empty is not None and empty <= min_empty)
        rows.append(row)
    bounds = [b for b in (engine_bound, None if min_empty is None else min_empty * cover_weight, relaxation_bound)
              if b]
    lower = max(bounds) if bounds else 0
    if objective and lower > 0:
        gap = max(0.0, (objective - lower) / objective)
        text = f"within {gap:.1%} of the best possible (lower bound {lower})"
        text_zh = f"距最优不超过{gap:.1%}（下界 {lower}）"
    else:
        gap = None
        if min_empty is not None and empty <= min_empty:
            text = (f"cover is the best possible ({empty} empty seat(s), none fewer possible); "
                    "the other terms have no proved bound yet")
            text_zh = f"覆盖已最优（空岗{empty}人次，不可能更少）；其他各项暂无下界"
        else:
            text = "no proved lower bound yet: judge each term"
            text_zh = "暂无可证明的下界：请逐项查看"
    return {"objective": objective, "lower_bound": lower or None, "gap": None if gap is None else round(gap, 4),
            "text": text, "text_zh": text_zh, "terms": rows}


REASON_ZH = {"leave": "休假", "assigned": "已安排其他岗位", "rest": "需休息", "consecutive": "已达连续工作上限",
             "nights": "已达连续夜班上限", "overtime": "已达辅警加班上限", "skills": "缺少技能"}
LEAVE_ZH = {"annual": "年休假", "sick": "病假", "training": "培训", "personal": "事假", "compensatory": "补休",
            "unavailable": "不可用", "other": "其他"}


REASON_TEXT = {"leave": "on leave", "assigned": "already assigned elsewhere", "rest": "resting (rest rules)",
               "consecutive": "at the consecutive-days limit", "nights": "at the nights limit",
               "overtime": "at the 辅警 overtime cap", "skills": "lack the skills"}


def fairness_ledger(sp: StationRosterProblem, roster: Roster) -> dict:
    """Per person: this period's and the year's nights, weekends, holidays, 24 h duties and
    hours, against the team average."""
    fair = Fairness(sp)
    counts = fair.counts(roster)
    hours = HoursTarget(sp)
    share_rule = CommunityShare(sp)
    community = share_rule.shares(roster) if share_rule.applies() else {}   # only where community posts exist
    minutes = Counter()
    for (b, d), c in roster.items():
        if c is not None:
            minutes[b] += sp.shift_by_code[split_slot(c)[0]].minutes
    people = []
    for p in sp.people:
        year = {c: counts[p.badge][c] + sp.prior.get(p.badge, {}).get(c, 0) for c in FAIRNESS_CATEGORIES}
        row = {"badge": p.badge, "name": p.name, "team": p.team, "person_type": p.person_type,
               "period": counts[p.badge], "year": year, "hours": round(minutes[p.badge] / 60, 1),
               "target_hours": round(hours.target(p.badge) / 60, 1)}
        if p.badge in community:
            comm, total = community[p.badge]
            row["community_share"] = round(comm / total, 3) if total else None
        people.append(row)
    teams = defaultdict(list)
    for row in people:
        teams[row["team"] or "-"].append(row)
    team_avg = {t: {c: round(mean(r["year"][c] for r in rows), 2) for c in FAIRNESS_CATEGORIES}
                | {"hours": round(mean(r["hours"] for r in rows), 1)} for t, rows in teams.items()}
    for row in people:
        avg = team_avg[row["team"] or "-"]
        row["vs_team"] = {c: round(row["year"][c] - avg[c], 2) for c in FAIRNESS_CATEGORIES}
    summary = {}
    for c in FAIRNESS_CATEGORIES:
        pool = fair.plan().get(c, ([], {}))[0]
        vals = [r["period"][c] for r in people if r["badge"] in pool]
        if vals:
            summary[c] = {"pool": len(vals), "min": min(vals), "max": max(vals), "mean": round(mean(vals), 2)}
    shares = [r["community_share"] for r in people if r.get("community_share") is not None]
    if shares:
        summary["community_share"] = {"officers": len(shares), "min": min(shares), "mean": round(mean(shares), 3),
                                      "below_target": sum(s < float(sp.param("community_share_min", 0.8)) for s in shares)}
    return {"summary": summary, "team_average": team_avg, "people": people}


def roster_diff(before: Roster, after: Roster) -> list[dict]:
    keys = sorted(set(before) | set(after), key=lambda k: (k[1], k[0]))
    return [{"badge": b, "day": d, "before": before.get((b, d)), "after": after.get((b, d))}
            for b, d in keys if before.get((b, d)) != after.get((b, d))]
