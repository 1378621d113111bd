"""Messages of officers' wishes (排班意愿, issue 23 item 8): entering, importing, listing and
removing them, and the roster report's account of each one."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "req.col.by": ("登记人", "by"),
    "req.dry_run": ("试运行：将添加{wishes}条意愿、{days}天，{already}条已登记；未写入任何内容。",
                    "Dry run: {wishes} wish(es), {days} day(s) would be added, {already} already recorded; "
                    "nothing was written."),
    # reading values (stationdef/requests_file.py, the command line, the form)
    "req.bad_kind": ("“{value}”不是意愿；请写 上班/on（想上班）或 休息/off（想休息）",
                     "'{value}' is not a wish; write 上班/on (wants to work) or 休息/off (wants to be off)"),
    "req.bad_shift": ("“{value}”不是本所的班次；可用：{known}，或 任意/any", "'{value}' is not a shift of this "
                      "station; use {known} or 任意/any"),
    "req.bad_weight": ("“{value}”不是权重；请写 1（一般）、2（重要）或 3（很重要）",
                       "'{value}' is not a weight; use 1 (a wish), 2 (important) or 3 (very important)"),
    "req.bad_span": ("{end}早于开始日期{start}", "ends {end}, before it starts ({start})"),
    "req.too_long": ("共{n}天；一条意愿最多{most}天", "{n} days; one wish covers at most {most} days"),
    "req.no_badge": ("警号为空", "badge number is empty"),
    "req.unknown_badge": ("本所没有警号为“{badge}”的人员（见 `dutydesk people list`）",
                          "no person with badge '{badge}' in this station (see `dutydesk people list`)"),
    "req.inactive": ("{badge} {name} 不在岗，不排班", "{badge} {name} is not active and is not rostered"),
    "req.empty_file": ("清单中没有意愿", "no wishes in the list"),
    "req.past": ("{date}已经过去；意愿只登记今天及以后的日期", "{date} is in the past; wishes are for today on"),
    "req.clash": ("{badge} {date} 已登记相反的意愿（#{id}：{other}）；请先删除它（dutydesk request remove {id}）",
                  "{badge} on {date} already has the opposite wish (#{id}: {other}); remove it first "
                  "(dutydesk request remove {id})"),
    "req.clash_file": ("与第{other_row}行相反：同一人同一天不能既想上班又想休息",
                       "the opposite of row {other_row}: one person cannot both want to work and be off on one day"),
    "req.not_own": ("用户“{login}”只能登记自己的意愿（关联人员：{person}）；为他人登记需要值班民警或所长权限",
                    "user '{login}' may record only their own wishes (linked to {person}); recording other "
                    "people's needs duty or chief"),
    "req.no_selection": ("请给出要删除的意愿编号，或 --person 加日期范围", "give the ids of the wishes to remove, "
                         "or --person with a date range"),
    "req.no_such": ("没有编号为{ids}的意愿（见 `dutydesk request list`）",
                    "no wish with id {ids} (see `dutydesk request list`)"),
    "req.none_matched": ("没有符合条件的意愿", "no wish matches"),
    # how a wish is shown
    "req.on": ("想上班", "wants to work"),
    "req.off": ("想休息", "wants to be off"),
    "req.any_shift": ("任意班次", "any shift"),
    "req.added": ("已登记{n}天的意愿：{badge} {name} {what} {shift}，{start}至{end}，权重{weight}",
                  "Recorded a wish for {n} day(s): {badge} {name} {what} {shift}, {start} to {end}, weight {weight}"),
    "req.already": ("{n}天已有相同意愿，未重复登记", "{n} day(s) already had the same wish and were not added again"),
    "req.removed": ("已删除{n}条意愿", "Removed {n} wish(es)"),
    "req.rostered": ("已生成的排班表{rosters}不会自动改变；重新生成或调整后才体现该意愿",
                     "rosters already made ({rosters}) do not change by themselves; generate or edit them for the "
                     "wish to count"),
    "req.import_done": ("导入{n}条意愿（{days}天），{same}天已存在", "Imported {n} wish(es) ({days} day(s)); "
                        "{same} day(s) were already recorded"),
    # the roster report (scheduler/station/wishes.py)
    "req.granted": ("满足", "granted"),
    "req.not_granted": ("未满足", "not granted"),
    "why.granted_on": ("已安排{actual}", "on {actual}"),
    "why.granted_off": ("当天休息", "off that day"),
    "why.granted_off_other": ("当天上{actual}（不是不想上的班次）", "on {actual} that day (not the shift they wanted off)"),
    "why.leave": ("当天请假（{kind}），不排班", "on leave that day ({kind}); not rostered"),
    "why.inactive": ("不在岗", "not active"),
    "why.no_post": ("当天{shift}没有需要其人员类型和技能的岗位", "no post of {shift} that day takes their person type "
                    "and skills"),
    "why.rule": ("规则不允许：{rule}", "the rules forbid it: {rule}"),
    "why.needed_rule": ("需要其上班：否则{rule}", "needed at work: without them, {rule}"),
    "why.cover": ("需要其上班：否则{slots}缺人", "needed at work: without them {slots} would be short"),
    "why.cost": ("满足它的代价大于意愿的权重（{terms}）", "granting it costs more than the wish is worth ({terms})"),
    "why.free": ("本可满足，但求解在时限内没有找到；可加长 --time-limit 重新生成",
                 "it could have been granted; the solver did not find it within its time limit (generate again "
                 "with a longer --time-limit)"),
    "why.term.cover": ("空岗", "empty seats"),
    "why.term.over": ("超编", "over cover"),
    "why.term.fairness": ("公平", "fairness"),
    "why.term.hours_target": ("工时目标", "hours target"),
    "why.term.woman_on_duty": ("女警在岗", "woman on duty"),
    "why.term.community_share": ("社区时间", "community share"),
    "why.term.requests": ("其他人的意愿", "other people's wishes"),
    "why.term.changes": ("变动", "changes"),
    # the report's table and the TUI
    "req.col.when": ("日期", "date"), "req.col.wish": ("意愿", "wish"), "req.col.weight": ("权重", "weight"),
    "req.col.result": ("结果", "result"), "req.col.why": ("原因", "why"),
    "req.list_title": ("排班意愿", "Wishes"),
    "req.summary": ("意愿：{granted}/{total}条满足", "Wishes: {granted} of {total} granted"),
    "key.wish": ("登记意愿", "add wish"),
    "cmd.wish": ("人员: 登记排班意愿", "People: add a wish"),
    "cmd.wish.help": ("为所选人员登记想上班或想休息的日期 (w)", "Record when the selected person wants to work or be off (w)"),
    "wish.title": ("登记排班意愿", "Add a wish"),
    "wish.shift": ("班次", "Shift"),
    "wish.shift_hint": ("班次代码或名称；空或“任意”表示任意班次", "a shift code or name; empty or 任意/any for any shift"),
    "wish.kind": ("意愿", "Wish"),
    "wish.kind_hint": ("上班（想上）或 休息（想休）", "上班/on (to work) or 休息/off (to be off)"),
    "wish.weight": ("权重", "Weight"),
    "wish.weight_hint": ("1 一般，2 重要，3 很重要", "1 a wish, 2 important, 3 very important"),
    "wish.note_hint": ("排班时尽量满足，不保证；报告中说明每条是否满足及原因。",
                       "the solver grants wishes where the rules and cover allow; the roster report says which "
                       "were granted and why not"),
}
