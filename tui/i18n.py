"""The one message catalogue of the terminal app: Simplified Chinese and English.

``t(key, **values)`` gives the message in the current language (set from the locale or
``--lang`` through the AppContext); key descriptions in BINDINGS are keys of this catalogue too.
Keep every message here, both languages side by side.
"""
from __future__ import annotations

_lang = "zh"


def set_lang(lang: str) -> None:
    global _lang
    _lang = "zh" if lang == "zh" else "en"


def lang() -> str:
    return _lang


def t(key: str, **values) -> str:
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    text = pair[0] if _lang == "zh" else pair[1]
    return text.format(**values) if values else text


def name(names: dict | None, fallback: str = "") -> str:
    """A record's name in the current language ({"zh": ..., "en": ...})."""
    if not names:
        return fallback or ""
    return (names.get("zh") if _lang == "zh" else names.get("en")) or names.get("zh") or fallback


def weekday(i: int) -> str:
    return t(f"weekday.{i}")


def weekday_short(i: int) -> str:
    return t(f"wd.{i}")


def ptype_short(person_type: str) -> str:
    return t(f"ptype.{person_type}")


def leave_kind(kind: str | None) -> str:
    from stationdef.leave_file import LEAVE_KINDS
    if not kind:
        return ""
    return _pick(LEAVE_KINDS.get(kind), kind)


def leave_short(kind: str | None) -> str:
    return t(f"leave_short.{kind}") if f"leave_short.{kind}" in MESSAGES else t("leave_short.other")


def status(s: str) -> str:
    return t(f"status.{s}")


def day_kind(k: str) -> str:
    from stationdef.model import DAY_KINDS
    return _pick(DAY_KINDS.get(k), k)


def _pick(pair: tuple[str, str] | None, fallback: str) -> str:
    """(zh, en) names kept with the records they name (stationdef), in the current language."""
    if not pair:
        return fallback
    return pair[0] if _lang == "zh" else pair[1]


def shift_kind(k: str) -> str:
    return t(f"shiftkind.{k}")


def role(r: str) -> str:
    return t(f"role.{r}")


def fair_short(c: str) -> str:
    return t(f"fair_short.{c}")


MESSAGES: dict[str, tuple[str, str]] = {
    # -- app -----------------------------------------------------------------------------
    "app.name": ("值班台", "dutydesk"),
    "app.desk": ("值班台", "duty desk"),
    "app.not_allowed": ("无权操作", "not allowed"),
    "app.refused": ("未执行", "refused"),
    "app.unexpected": ("意外错误", "unexpected error"),
    "app.not_yet": ("尚未开放", "not yet available"),
    "app.lang_set": ("界面语言：中文", "Language: English"),
    "palette.placeholder": ("搜索命令", "Search for commands"),
    # -- keys (footer, help) -------------------------------------------------------------
    "key.help": ("帮助", "help"),
    "key.incident": ("新警情", "new call"),
    "key.roster": ("排班", "roster"),
    "key.patrol": ("巡逻", "patrol"),
    "key.people": ("人员", "people"),
    "key.board": ("值班台", "board"),
    "key.lang": ("中文/English", "中文/English"),
    "key.palette": ("命令", "commands"),
    "key.quit": ("退出", "quit"),
    "key.detail": ("岗位详情", "post detail"),
    "key.back": ("返回", "back"),
    "key.generate": ("生成", "generate"),
    "key.candidates": ("候选人", "candidates"),
    "key.edit": ("调整", "edit"),
    "key.swap": ("互换", "swap"),
    "key.repair": ("缺勤重排", "repair"),
    "key.diff": ("对比", "diff"),
    "key.submit_roster": ("提交审批", "submit"),
    "key.approve": ("批准", "approve"),
    "key.reject": ("退回", "reject"),
    "key.publish": ("发布", "publish"),
    "key.fairness": ("公平台账", "fairness"),
    "key.team": ("按队筛选", "team filter"),
    "key.skill": ("按技能筛选", "skill filter"),
    "key.open": ("选择排班", "open roster"),
    "key.today": ("跳到今天", "today"),
    "key.leave": ("登记请假", "add leave"),
    "key.cancel": ("取消", "cancel"),
    "key.close": ("关闭", "close"),
    "key.submit": ("确定", "submit"),
    "key.confirm": ("确认", "confirm"),
    "key.yes": ("是", "yes"),
    "key.no": ("否", "no"),
    "key.stop": ("停止求解", "stop"),
    # -- command palette -------------------------------------------------------------------
    "cmd.board": ("值班台", "Duty board"),
    "cmd.board.help": ("当前和下一班在岗情况、提醒 (F6)", "Who is on duty now and next, alerts (F6)"),
    "cmd.roster": ("排班", "Roster"),
    "cmd.roster.help": ("排班表审核与批准 (F3)", "Review and approve rosters (F3)"),
    "cmd.people": ("人员", "People"),
    "cmd.people.help": ("人员、技能、请假 (F5)", "People, skills, leave (F5)"),
    "cmd.help": ("帮助", "Help"),
    "cmd.help.help": ("快捷键一览 (F1)", "The key map (F1)"),
    "cmd.post_detail": ("值班台: 岗位详情", "Board: post detail"),
    "cmd.post_detail.help": ("所选岗位当前和下一班的全部人员 (Enter)", "Everyone on the selected post now and next (Enter)"),
    "cmd.generate": ("排班: 生成排班草稿", "Roster: generate a draft"),
    "cmd.generate.help": ("用求解器生成新排班，可随时停止 (n)", "Build a new roster with the solver; stop any time (n)"),
    "cmd.repair": ("排班: 缺勤重排", "Roster: repair an absence"),
    "cmd.repair.help": ("有人缺勤时以最少改动重排 (r)", "Someone drops out: re-plan with as few changes as possible (r)"),
    "cmd.candidates": ("排班: 候选人", "Roster: candidates for a slot"),
    "cmd.candidates.help": ("所选班次谁能顶上，以及其他人为何不行 (c)", "Who could fill the selected slot, and why not the others (c)"),
    "cmd.edit": ("排班: 手工调整", "Roster: edit an assignment"),
    "cmd.edit.help": ("安排某人上某岗或休息，经规则校验 (e)", "Put a person on a post or off, checked by the rules (e)"),
    "cmd.swap": ("排班: 互换", "Roster: swap two people"),
    "cmd.swap.help": ("互换两人当天的班次 (s)", "Exchange two people's assignments on a day (s)"),
    "cmd.diff": ("排班: 与已发布版本对比", "Roster: diff against published"),
    "cmd.diff.help": ("本版本相对已发布版本的变更 (d)", "What this version changes against the published one (d)"),
    "cmd.submit": ("排班: 提交审批", "Roster: submit for approval"),
    "cmd.submit.help": ("草稿提交所长审批 (u)", "Send the draft to the chief (u)"),
    "cmd.approve": ("排班: 批准", "Roster: approve"),
    "cmd.approve.help": ("所长批准已提交的版本 (a)", "The chief approves a submitted version (a)"),
    "cmd.reject": ("排班: 退回", "Roster: reject"),
    "cmd.reject.help": ("所长退回并说明理由 (j)", "The chief sends it back with a comment (j)"),
    "cmd.publish": ("排班: 发布", "Roster: publish"),
    "cmd.publish.help": ("发布已批准的版本，值班台即按此显示 (p)", "Publish the approved version; the board follows it (p)"),
    "cmd.fairness": ("排班: 公平台账", "Roster: fairness ledger"),
    "cmd.fairness.help": ("夜班、周末、节假日、24小时值班的分配 (f)", "Nights, weekends, holidays, 24 h duties per person (f)"),
    "cmd.team": ("按队筛选", "Filter by team"),
    "cmd.team.help": ("依次切换队 (t)", "Cycle through the teams (t)"),
    "cmd.skill": ("按技能筛选", "Filter by skill"),
    "cmd.skill.help": ("依次切换技能 (k)", "Cycle through the skills (k)"),
    "cmd.open": ("排班: 选择排班和版本", "Roster: open a roster or version"),
    "cmd.open.help": ("所有排班及其版本 (o)", "Every roster and version (o)"),
    "cmd.today": ("排班: 跳到今天", "Roster: go to today"),
    "cmd.today.help": ("光标移到今天一列 (g)", "Move the cursor to today's column (g)"),
    "cmd.leave": ("人员: 登记请假", "People: add leave"),
    "cmd.leave.help": ("为所选人员登记请假 (l)", "Record leave for the selected person (l)"),
    "cmd.incident": ("新警情", "New call (incident)"),
    "cmd.patrol": ("巡逻方案", "Patrol plan"),
    "cmd.lang": ("切换语言 中文/English", "Switch language 中文/English"),
    "cmd.lang.help": ("F9", "F9"),
    "cmd.quit": ("退出", "Quit"),
    "cmd.quit.help": ("退出值班台 (Ctrl+Q)", "Leave the desk (Ctrl+Q)"),
    "notyet.incidents": ("接警派警（警情队列）尚未开放，将在后续版本提供。",
                         "Call intake and dispatch (the incident queue) are not yet available."),
    "notyet.patrol": ("巡逻方案与处警单元尚未开放，将在后续版本提供。",
                      "Patrol plans and patrol units are not yet available."),
    # -- board -----------------------------------------------------------------------------
    "board.posts_title": ("岗位 当前/下一班", "Posts now / next"),
    "board.units_title": ("处警单元", "Patrol units"),
    "board.incidents_title": ("警情", "Incidents"),
    "board.alerts_title": ("提醒", "Alerts"),
    "board.units_todo": ("尚未开放：巡逻组状态（可派、在途、到场）将在后续版本提供。",
                         "Not yet available: patrol unit status (available, en route, on scene) comes later."),
    "board.incidents_todo": ("尚未开放：警情队列（接警、派警、结案）将在后续版本提供。",
                             "Not yet available: the incident queue (intake, dispatch, closure) comes later."),
    "board.todo_line": ("处警单元、警情队列：尚未开放", "Patrol units, incident queue: not yet available"),
    "board.short": ("缺{n}", "-{n}"),
    "board.no_shift": ("无班次", "no shift"),
    "board.nobody": ("无人在岗", "nobody"),
    "board.now": ("当前", "Now"),
    "board.next": ("下一班", "Next"),
    "board.on_duty": ("在岗{n}人(女{women})", "on duty {n}, women {women}"),
    "board.post_needs": ("技能: {skills}  至少民警{sworn}人", "skills: {skills}  sworn at least {sworn}"),
    "board.no_alerts": ("无提醒：当前各岗位满员。", "No alerts: every post is fully staffed now."),
    "alert.short": ("{post} {shift} 缺{n}人 (需{need})", "{post} {shift}: {n} short (needs {need})"),
    "alert.short_next": ("下一班 {post} {shift} {at} 缺{n}人", "next: {post} {shift} at {at}: {n} short"),
    "alert.sworn": ("{post} {shift} 民警不足: {have}/{need} (辅警须在民警带领下工作)",
                    "{post} {shift}: {have} of {need} sworn officers (auxiliaries work under a 民警)"),
    "alert.expired": ("{name} {badge} ({post}) {skill} 资格已于 {date} 过期",
                      "{name} {badge} ({post}): {skill} expired on {date}"),
    "alert.on_leave": ("{name} {badge} 今日{leave}，但排在 {post}", "{name} {badge} is on {leave} but rostered on {post}"),
    "alert.no_woman": ("当前在岗无女性 (搜查女性须由女性工作人员进行)",
                       "No woman on duty now (a woman must search a woman)"),
    "alert.no_roster": ("当前时间没有已批准或已发布的排班 (F3 排班)",
                        "No approved or published roster covers this time (F3 roster)"),
    # -- columns -----------------------------------------------------------------------------
    "col.post": ("岗位", "Post"),
    "col.shift_now": ("当前班次", "Shift"),
    "col.crew_now": ("在岗人员", "On duty"),
    "col.staffed": ("到岗/需", "Staff"),
    "col.shift_next": ("下一班", "Next shift"),
    "col.crew_next": ("下一班人员", "Next crew"),
    "col.when": ("班次", "Shift"),
    "col.name": ("姓名", "Name"),
    "col.badge": ("警号", "Badge"),
    "col.type": ("类别", "Type"),
    "col.skills": ("技能", "Skills"),
    "col.note": ("备注", "Note"),
    "col.person": ("人员", "Person"),
    "col.team": ("队", "Team"),
    "col.date": ("日期", "Date"),
    "col.leave": ("请假", "Leave"),
    # -- roster ------------------------------------------------------------------------------
    "roster.title": ("排班 #{id} v{v}", "Roster #{id} v{v}"),
    "roster.days": ("{n}天", "{n} days"),
    "roster.published_v": ("已发布 v{v}", "published v{v}"),
    "roster.not_published": ("尚未发布", "not published yet"),
    "roster.hard": ("硬性违规 {n}", "hard violations {n}"),
    "roster.shortfalls": ("缺口 {n}", "shortfalls {n}"),
    "roster.solver": ("目标值 {obj} 下界 {bound}", "objective {obj} bound {bound}"),
    "roster.loading": ("读取中", "loading"),
    "roster.none": ("还没有排班", "No roster yet"),
    "roster.none_hint": ("还没有排班。按 n 生成排班草稿 (需所长权限)。", "No roster yet. Press n to generate a draft (needs chief)."),
    "roster.readonly": ("你的角色 {roles}: {actions} 不可用", "your roles {roles}: {actions} unavailable"),
    "roster.grid_title": ("人员 x 日期", "People x days"),
    "roster.fair_title": ("公平台账 (本期/全年)", "Fairness ledger (period/year)"),
    "roster.explain_title": ("说明", "Explanation"),
    "roster.coverage": ("覆盖", "Cover"),
    "roster.off": ("休息", "off"),
    "roster.pick": ("选择排班和版本", "Open a roster version"),
    "filter.all": ("全部", "all"),
    "filter.line": ("队: {team} (t)  技能: {skill} (k)", "team: {team} (t)  skill: {skill} (k)"),
    "explain.coverage_all": ("本排班共缺 {n} 人次，涉及 {days} 天。在覆盖行选择某天查看原因。",
                             "{n} missing in all, on {days} days. Select a day on the cover row to see why."),
    "explain.day_need": ("需求 {need} 人次，已排 {staffed}", "demand {need}, assigned {staffed}"),
    "explain.day_ok": ("当天各岗位均已排满。", "Every post is covered that day."),
    "explain.slot_short": ("缺{n} (需{need}，已排{got})", "{n} short (needs {need}, has {got})"),
    "explain.day_keys": ("c 候选人：谁能顶上这个缺口", "c candidates: who could fill the gap"),
    "explain.skills": ("技能", "Skills"),
    "explain.post_rules": ("岗位要求: 全员 {need}; 至少一人 {crew}; 至少民警 {sworn} 人; 可上岗 {types}",
                           "post needs: everyone {need}; someone {crew}; sworn at least {sworn}; allowed {types}"),
    "explain.on_leave": ("当天请假 ({kind})", "on leave that day ({kind})"),
    "explain.fairness": ("公平 (本期 / 全年，与队均值之差)", "Fairness (period / year, against the team average)"),
    "explain.person_keys": ("c 候选人  e 调整  s 互换  r 缺勤重排", "c candidates  e edit  s swap  r repair"),
    "fair.nights": ("夜班", "Nights"),
    "fair.weekends": ("周末", "Weekends"),
    "fair.holidays": ("节假日", "Holidays"),
    "fair.duty24": ("24小时", "24 h"),
    "fair.hours": ("工时/目标", "Hours/target"),
    "fair.vs_team": ("与队均差", "vs team"),
    "fair.community": ("社区工作占比", "community share"),
    "fair.summary": ("本期分配 (人数 最少/平均/最多)", "This period (people min/mean/max)"),
    "fair.range": ("{pool}人 {lo}/{mean}/{hi}", "{pool} people {lo}/{mean}/{hi}"),
    "fair.community_summary": ("  社区民警 {n} 人，社区工作平均 {mean}%，低于80%的 {low} 人",
                               "  community officers {n}, mean share {mean}%, {low} below 80%"),
    "fair.legend": ("表中为 本期/全年 次数；与队均差超过1.5的标黄。",
                    "Cells are period/year counts; a difference of 1.5 or more from the team average is yellow."),
    "fair_short.nights": ("夜", "N"),
    "fair_short.weekends": ("末", "W"),
    "fair_short.duty24": ("24h", "24h"),
    "fair_short.holidays": ("节", "H"),
    "gen.title": ("生成排班草稿", "Generate a draft roster"),
    "gen.start": ("开始日期", "Start date"),
    "gen.days": ("天数", "Days"),
    "gen.limit": ("求解时限(秒)", "Time limit (s)"),
    "gen.limit_hint": ("求解过程中可按 x 停止，保留当前最好的方案", "Press x while solving to stop and keep the best roster so far"),
    "gen.progress": ("正在生成排班: {start} 起 {days} 天", "Generating a roster: {days} days from {start}"),
    "gen.done": ("排班 #{id} v{v} 草稿已生成：目标值 {obj}，下界 {bound}，缺口 {n}",
                 "Roster #{id} v{v} draft: objective {obj}, bound {bound}, shortfalls {n}"),
    "gen.stopped": ("已停止求解，保存了当前最好的方案。", "Stopped; the best roster so far was kept."),
    "repair.title": ("缺勤重排 (排班 #{id} v{v})", "Repair an absence (roster #{id} v{v})"),
    "repair.note": ("生成新的草稿版本，改动尽量少；过去的日子不变。",
                    "Makes a new draft version with as few changes as possible; past days stay."),
    "repair.from": ("开始日期", "From"),
    "repair.to": ("结束日期", "To"),
    "repair.reason": ("原因", "Reason"),
    "repair.reason_hint": ("说明原因 (将被记录)，如 病假", "Say why (it is recorded), e.g. sick"),
    "repair.progress": ("正在重排: {badge} 缺勤", "Repairing: {badge} is absent"),
    "repair.done": ("排班 #{id} v{v} 草稿：改动 {n} 处，缺口 {short}",
                    "Roster #{id} v{v} draft: {n} changes, shortfalls {short}"),
    "cand.title": ("候选人: {slot} {date}", "Candidates: {slot} {date}"),
    "cand.note": ("需求 {need}，已排 {on}，可安排 {free} 人 (按低于工时目标排序)；灰色为不可安排及原因。",
                  "demand {need}, on it {on}, {free} free (furthest below their hours target first); grey: unavailable and why."),
    "cand.rank": ("序", "#"),
    "cand.below": ("低于目标(时)", "below target (h)"),
    "cand.why": ("原因", "why not"),
    "cand.select": ("先选择一个班次单元格，或覆盖行上有缺口的一天。", "Select an assignment, or a day with a shortfall on the cover row."),
    "cand.hint": ("Enter 安排此人 (打开调整表单)  Esc 关闭", "Enter put this person on the slot (opens the edit form)  Esc close"),
    "edit.title": ("调整排班 #{id} v{v}", "Edit roster #{id} v{v}"),
    "edit.date": ("日期", "Date"),
    "edit.badge": ("警号", "Badge"),
    "edit.shift": ("班次代码", "Shift code"),
    "edit.shift_hint": ("留空表示休息。{shifts}", "Empty: day off. {shifts}"),
    "edit.post": ("岗位代码", "Post code"),
    "edit.reason": ("原因", "Reason"),
    "edit.reason_hint": ("违反软性规则时必须说明原因 (将被记录)", "Needed when a soft rule gets worse (it is recorded)"),
    "swap.title": ("互换 (排班 #{id} v{v})", "Swap (roster #{id} v{v})"),
    "swap.a": ("警号 A", "Badge A"),
    "swap.b": ("警号 B", "Badge B"),
    "change.done": ("排班 #{id} v{v} 草稿已修改", "Roster #{id} v{v} draft changed"),
    "change.new_version": ("已生成新草稿版本: 排班 #{id} v{v}", "New draft version: roster #{id} v{v}"),
    "diff.before": ("原", "Before"),
    "diff.after": ("现", "After"),
    "diff.none": ("v{v} 没有可对比的版本 (尚无已发布版本)", "v{v}: nothing to compare with (no published version)"),
    "diff.title_published": ("v{v} 对比已发布 v{base}: {n} 处变更", "v{v} against published v{base}: {n} changes"),
    "diff.title_previous": ("v{v} 对比上一版本 v{base}: {n} 处变更", "v{v} against the previous v{base}: {n} changes"),
    "transition.done": ("排班 #{id} v{v}：{status}", "Roster #{id} v{v}: {status}"),
    "confirm.approve": ("批准排班 #{id} v{v}？", "Approve roster #{id} v{v}?"),
    "confirm.approve_body": ("硬性违规 {hard}，缺口 {short}。批准后可发布。",
                             "Hard violations {hard}, shortfalls {short}. Once approved it can be published."),
    "confirm.publish": ("发布排班 #{id} v{v}？", "Publish roster #{id} v{v}?"),
    "confirm.publish_body": ("发布后值班台按此版本显示，已发布版本不再修改。硬性违规 {hard}，缺口 {short}。",
                             "The board follows the published version; it never changes. Hard violations {hard}, shortfalls {short}."),
    "confirm.hint": ("Enter 确认  Esc 取消", "Enter confirm  Esc cancel"),
    "transition.not_now": ("v{v} {status}，不能{action}：{hint}", "v{v} is {status}, it cannot be {action}: {hint}"),
    "action.submit": ("提交审批", "submitted"), "action.approve": ("批准", "approved"),
    "action.reject": ("退回", "rejected"), "action.publish": ("发布", "published"),
    "hint.draft": ("请先提交审批 (u)", "submit it first (u)"),
    "hint.submitted": ("等待所长批准 (a) 或退回 (j)", "the chief approves (a) or rejects (j) it"),
    "hint.approved": ("可以发布 (p)", "publish it (p)"),
    "hint.published": ("已发布的版本不再改变；调整 (e) 或缺勤重排 (r) 会生成新草稿",
                       "a published version never changes; an edit (e) or repair (r) makes a new draft"),
    "hint.rejected": ("调整 (e) 后会生成新草稿，再提交", "edit it (e) to make a new draft, then submit that"),
    "hint.superseded": ("已被更新的版本替代，请打开最新版本 (o)", "a newer version replaced it; open the newest (o)"),
    "cand.hours": ("工时", "hours"),
    "reject.title": ("退回排班 #{id} v{v}", "Reject roster #{id} v{v}"),
    "reject.comment": ("退回意见", "Comment"),
    # -- dialogs -------------------------------------------------------------------------------
    "form.hint": ("Enter 确定  Tab 下一项  Esc 取消", "Enter submit  Tab next field  Esc cancel"),
    "form.working": ("处理中", "working"),
    "form.not_a_number": ("'{v}' 不是数字", "'{v}' is not a number"),
    "form.positive": ("须大于0", "must be more than 0"),
    "dialog.close_hint": ("Esc 关闭", "Esc close"),
    "picker.hint": ("上下选择  Enter 打开  Esc 取消", "Up/Down choose  Enter open  Esc cancel"),
    "progress.hint": ("x 停止 (保留当前最好方案)", "x stop (keeps the best roster so far)"),
    "progress.elapsed": ("用时 {s}/{limit} 秒", "time {s}/{limit} s"),
    "progress.objective": ("目标值 {v}", "objective {v}"),
    "progress.bound": ("下界 {v}", "bound {v}"),
    "progress.gap": ("差距 {v}%", "gap {v}%"),
    "progress.phase": ("阶段 {v}", "phase {v}"),
    "progress.preparing": ("准备中", "preparing"),
    "progress.stopping": ("正在停止", "stopping"),
    # -- people ----------------------------------------------------------------------------------
    "people.title": ("人员", "People"),
    "people.detail_title": ("详情", "Detail"),
    "people.count": ("人员 {n}/{total}", "People {n}/{total}"),
    "people.legend": ("! 已过期  ~ 60天内到期", "! expired  ~ expires within 60 days"),
    "people.inactive": ("停用", "inactive"),
    "people.no_leave": ("今天起无请假", "no leave from today on"),
    "people.keys": ("Enter 详情  l 登记请假  t 按队  k 按技能", "Enter detail  l add leave  t team  k skill"),
    "people.sex_M": ("男", "male"),
    "people.sex_F": ("女", "female"),
    "people.years": ("工龄{n}年", "{n} years of service"),
    "leave.title": ("登记请假", "Add leave"),
    "leave.kind": ("类别", "Kind"),
    "leave.note": ("备注", "Note"),
    "leave.note_hint": ("已排班的日子会提示冲突；可用缺勤重排 (F3 r) 调整。",
                        "Days already rostered are reported; repair the roster with F3 r."),
    "leave.done": ("{name} {badge} {kind} {start} 至 {end} 已登记", "{name} {badge}: {kind} {start} to {end} recorded"),
    "leave.already": ("{name} {badge}: 已有相同请假记录，未重复登记", "{name} {badge}: the same leave is already recorded"),
    # -- help ------------------------------------------------------------------------------------
    "help.title": ("帮助：快捷键", "Help: keys"),
    "help.footer": ("Esc 关闭。仅使用 F 键、字母和 Ctrl+字母，SSH 下均可用。Ctrl+P 可搜索全部命令。",
                    "Esc close. Only F-keys, letters and Ctrl+letter are used, so every key works over SSH. "
                    "Ctrl+P searches every command."),
    "help.global": ("全局", "Everywhere"),
    "help.board": ("值班台", "Duty board"),
    "help.roster": ("排班 (F3)", "Roster (F3)"),
    "help.people": ("人员 (F5)", "People (F5)"),
    "help.dialogs": ("表单和求解", "Forms and solving"),
    "help.legend": ("图例", "Legend"),
    "help.move": ("选择岗位", "choose a post"),
    "help.updown": ("上/下", "Up/Down"),
    "help.arrows": ("方向键", "Arrows"),
    "help.move_cells": ("在人员和日期间移动，右侧显示说明", "move over people and days; the panel explains the cell"),
    "help.next_field": ("下一项", "next field"),
    "help.short": ("缺人 (需求未满足)", "short of people (demand not met)"),
    "help.aux": ("辅警 (勤务辅警、文职辅警)", "auxiliary (duty or civilian)"),
    "help.expired": ("技能已过期", "skill expired"),
    "help.expiring": ("技能60天内到期", "skill expires within 60 days"),
    # -- names -----------------------------------------------------------------------------------
    "weekday.0": ("星期一", "Monday"), "weekday.1": ("星期二", "Tuesday"), "weekday.2": ("星期三", "Wednesday"),
    "weekday.3": ("星期四", "Thursday"), "weekday.4": ("星期五", "Friday"), "weekday.5": ("星期六", "Saturday"),
    "weekday.6": ("星期日", "Sunday"),
    "wd.0": ("一", "Mo"), "wd.1": ("二", "Tu"), "wd.2": ("三", "We"), "wd.3": ("四", "Th"), "wd.4": ("五", "Fr"),
    "wd.5": ("六", "Sa"), "wd.6": ("日", "Su"),
    "ptype.sworn": ("民", "P"), "ptype.duty_aux": ("辅", "A"), "ptype.civil_aux": ("辅", "A"),
    "ptype.assistant": ("协", "S"),
    "status.draft": ("草稿", "draft"), "status.submitted": ("待审批", "submitted"), "status.approved": ("已批准", "approved"),
    "status.published": ("已发布", "published"), "status.rejected": ("已退回", "rejected"),
    "status.superseded": ("已替代", "superseded"),
    "shiftkind.day": ("白班", "day"), "shiftkind.evening": ("晚班", "evening"), "shiftkind.night": ("夜班", "night"),
    "shiftkind.24h": ("24小时", "24 h"),
    "role.admin": ("管理员", "admin"), "role.chief": ("所长", "chief"), "role.duty": ("值班", "duty"),
    "role.viewer": ("只读", "viewer"), "role.none": ("无角色", "no role"),
    "leave_short.annual": ("年休", "AL"), "leave_short.sick": ("病假", "SICK"), "leave_short.training": ("培训", "TRN"),
    "leave_short.personal": ("事假", "PL"), "leave_short.compensatory": ("补休", "TOIL"),
    "leave_short.unavailable": ("缺勤", "OUT"), "leave_short.other": ("请假", "LV"),
    "skill.expired": ("过期", "expired"),
}
