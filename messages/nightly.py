"""Messages of the nightly job (usecases/nightly.py, cli/nightly.py): its notes, the gaps and skill
alerts it finds, and the morning summary's problem lines and urgency levels. (Simplified Chinese,
English)"""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # notes of one run
    "nightly.note.drafted_ahead": ("排班草稿已排得足够远，本次不再排班", "roster already drafted far enough ahead"),
    "nightly.note.plan_exists": ("{day} 夜的巡逻方案已存在", "patrol plan for the night of {day} exists"),
    "nightly.note.no_roster_no_plan": ("{day} 没有已批准的排班：不生成巡逻方案", "no approved roster for {day}: no patrol plan"),
    "nightly.note.roster_stored_meanwhile": ("这些日期的排班已由他人在此期间保存；本次生成的排班未保存",
                                             "a roster for these days was stored meanwhile by someone else; this "
                                             "run's roster was not stored"),
    "nightly.note.plan_stored_meanwhile": ("{day} 夜的巡逻方案已在此期间保存；本次生成的方案未保存",
                                           "a patrol plan for the night of {day} was stored meanwhile; this run's plan "
                                           "was not stored"),
    "nightly.note.roster_changed": ("今晚的排班在此期间有变动；本次的巡逻方案未保存（下次运行按新排班制订）",
                                    "tonight's roster changed meanwhile; this run's patrol plan was not stored (the "
                                    "next run plans from the new roster)"),
    "nightly.note.nothing": ("无事可做；未写入任何内容", "nothing to do; nothing was written"),
    # gaps and skill alerts
    "nightly.gap.no_roster": ("没有已批准的排班覆盖这一天", "no approved roster covers this day"),
    "nightly.gap.day": ("{date}：{what}", "{date}: {what}"),
    "nightly.gap.post": ("{date} 班次 {shift} 岗位 {post} 缺 {missing} 人", "{date} shift {shift} post {post}: {missing} missing"),
    "nightly.severity.expired": ("已过期却在岗", "expired on duty"),
    "nightly.severity.soon": ("即将过期", "expires soon"),
    # the morning summary
    "nightly.urgency.failed": ("失败", "failed"),
    "nightly.urgency.critical": ("紧急", "critical"),
    "nightly.urgency.high": ("高", "high"),
    "nightly.urgency.medium": ("中", "medium"),
    "nightly.urgency.low": ("低", "low"),
    "nightly.urgency.ok": ("正常", "ok"),
    "nightly.urgency.count": ("{level} {n}", "{n} {level}"),
    "nightly.problem.no_roster_today": ("今天没有已批准的排班", "no approved roster for today"),
    "nightly.problem.expired_on_duty": ("{n} 人持已过期的技能在岗", "{n} people on duty with an expired skill"),
    "nightly.problem.days_without_roster": ("未来 {days} 天中有 {n} 天没有已批准的排班",
                                            "{n} of the next {days} days without an approved roster"),
    "nightly.problem.people_short": ("未来 {days} 天的已批准排班共缺 {n} 人",
                                     "{n} people short on approved rosters in the next {days} days"),
    "nightly.problem.not_extended": ("草稿只排到 {ahead} 天后（目标 {target} 天）：夜间任务没有为本所续排",
                                     "drafted only {ahead} days ahead (target {target}): the nightly job did not "
                                     "extend this station"),
    "nightly.problem.hard": ("排班草稿中有 {n} 处违反硬规则", "{n} hard-rule violations in draft rosters"),
    "nightly.problem.shortfalls": ("排班草稿中有 {n} 处空岗", "{n} shortfalls in draft rosters"),
    "nightly.problem.over_capacity": ("需求为可用工时的 {util}：人力不足", "demand is {util} of the hours available: over capacity"),
    "nightly.problem.tight": ("需求为可用工时的 {util}：人力紧张", "demand is {util} of the hours available: tight"),
    "nightly.problem.skills_expiring": ("{n} 项技能将在 {days} 天内过期", "{n} skills expire within {days} days"),
}
