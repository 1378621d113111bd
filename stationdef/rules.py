"""The catalogue of rule parameters a station file may set, with defaults, units and sources.

Rules are data (DESIGN.md §3): each parameter carries the description and legal or evidence
source a chief sees next to it.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleSpec:
    key: str
    default: float | int | bool
    unit: str
    minimum: float
    maximum: float
    description: str
    source: str
    kind: type = int


RULE_SPECS: dict[str, RuleSpec] = {s.key: s for s in [
    RuleSpec("min_rest_hours", 11, "h", 0, 24,
             "最短休息时间 minimum rest between two shifts", "国务院工时规定; fatigue evidence"),
    RuleSpec("rest_days_after_24h", 1, "days", 0, 3,
             "24小时值班后休息 days off after a 24 h duty", "common practice (值一休一)"),
    RuleSpec("no_day_after_night", True, "", 0, 1,
             "夜班后次日不上白班 no day shift the morning after a night", "common practice; fatigue evidence", bool),
    RuleSpec("max_nights_in_a_row", 2, "nights", 1, 14,
             "连续夜班上限 maximum nights in a row", "fatigue evidence"),
    RuleSpec("max_consecutive_days", 6, "days", 1, 14,
             "连续工作天数上限 maximum consecutive working days", "国务院工时规定 (每周至少休息1日)"),
    RuleSpec("weekly_hours", 40, "h", 20, 80,
             "每周标准工时 weekly hours target (rotating shifts with 补休)", "国务院工时规定; 公务员法 补休", float),
    RuleSpec("aux_overtime_cap_hours_month", 36, "h", 0, 100,
             "辅警每月加班上限 auxiliary overtime cap per month", "《劳动法》第41条", float),
    RuleSpec("community_share_min", 0.8, "share", 0, 1,
             "社区民警在社区工作时间占比 community officers' time in the community",
             "Shaanxi 派出所 implementation opinions", float),
    RuleSpec("max_weekends_per_4_weeks", 3, "weekends", 0, 4,
             "每4周最多上班周末数 maximum weekends worked per 4 weeks", "fairness", int),
    RuleSpec("patrol_team_min", 2, "people", 2, 6,
             "巡逻至少2人 patrol by two or more", "《河南省城市人民警察巡察条例》第4条"),
    RuleSpec("patrol_speed_kmh", 25, "km/h", 5, 80,
             "巡逻车平均速度 patrol speed for travel times (straight line x 1.3)", "night patrol planning", float),
    RuleSpec("patrol_max_gap_minutes", 120, "min", 30, 480,
             "热点最长间隔 each active hot spot visited at least this often", "Sacramento hot-spot trial (2014)"),
    RuleSpec("patrol_free_share", 0.3, "share", 0, 0.9,
             "留给接处警的时间 share of a night left free for calls", "dispatch readiness", float),
    RuleSpec("patrol_break_minutes", 30, "min", 0, 120,
             "每组休息时间 one break per team, at the station", "fatigue evidence"),
    RuleSpec("nightly_days_ahead", 28, "days", 1, 120,
             "夜间任务排班提前天数 the nightly job keeps a roster drafted this many days ahead", "operations"),
    RuleSpec("nightly_min_days", 7, "days", 1, 60,
             "夜间任务最短新排班 the nightly job drafts a new roster once this many days are uncovered", "operations"),
    RuleSpec("case_duty_min_sworn", 2, "民警", 2, 6,
             "询问、检查、搜查至少2名民警 questioning/inspection/search by at least 2 sworn officers",
             "《公安机关办理行政案件程序规定》第52条第1款"),
]}


def default_rules() -> dict[str, float | int | bool]:
    return {k: s.default for k, s in RULE_SPECS.items()}
