"""Messages of the station definition: `station show`, `station export`, `station apply`."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # station show: capacity for the next roster period
    "station.show.capacity_next": ("下一排班期（{start} 起 {days} 天，{basis}）的人力：{reason}",
                           "Capacity for the next roster period ({start} for {days} days, {basis}): {reason}"),
    "station.show.capacity_seats": ("需求 {seats} 个岗位人次（{hours} 小时），可用 {days} 人日",
                            "{seats} seats ({hours} h) demanded, {days} person-days available"),
    "station.show.next_after_live": ("接在最后一份已批准/已发布排班之后", "the day after the last approved or published roster"),
    "station.show.next_today": ("从今天起，尚无已批准排班覆盖", "from today: no approved roster covers it yet"),
    "station.show.capacity_unknown": ("下一排班期的人力未能计算：{error}", "capacity for the next roster period not computed: {error}"),

    # station export
    "station.export.header": ("{name}（{code}）的站点定义，由 dutydesk 于 {at} 从 {db} 导出",
                      "{name} ({code}): station definition exported by dutydesk at {at} from {db}"),
    "station.export.header_how": ("格式见 docs/station-file.md。修改后先预览：dutydesk station apply 文件 --dry-run，再去掉 --dry-run 执行",
                          "Format: docs/station-file.md. After editing, preview with `dutydesk station apply FILE "
                          "--dry-run`, then apply without --dry-run"),
    "station.export.header_base": ("下一行记录导出时的站点定义；若此后站点定义被修改，apply 拒绝无声地撤销那次修改。删除该行即不检查",
                                   "The next line records the definition this file was exported from: if the "
                                   "station is changed meanwhile, apply refuses to undo that change unseen. Delete "
                                   "the line to skip this check"),
    "station.export.written": ("已将站点定义写入 {path}", "Station definition written to {path}"),

    # station apply: the sections of a station file
    "station.section.station": ("派出所", "station"),
    "station.section.teams": ("队室", "team"),
    "station.section.skills": ("技能", "skill"),
    "station.section.shifts": ("班次", "shift"),
    "station.section.posts": ("岗位", "post"),
    "station.section.demand": ("需求", "demand"),
    "station.section.rules": ("规则", "rule"),
    "station.section.hot_spots": ("巡逻热点", "hot spot"),

    # station apply: what changes
    "station.change.summary": ("{file} 与当前站点定义相比：新增 {added} 项，修改 {changed} 项，删除 {removed} 项",
                       "{file} against the station as stored: {added} added, {changed} changed, {removed} removed"),
    "station.change.none": ("没有变化：文件与当前站点定义一致，未写入任何内容",
                    "No changes: the file matches the station as stored; nothing was written"),
    "station.change.added": ("新增{section} {code}：{fields}", "added {section} {code}: {fields}"),
    "station.change.changed": ("修改{section} {code}：{fields}", "changed {section} {code}: {fields}"),
    "station.change.removed": ("删除{section} {code}（{fields}）", "removed {section} {code} ({fields})"),
    "station.change.field": ("{field} {old} -> {new}", "{field} {old} -> {new}"),
    "station.change.value": ("{field} {value}", "{field} {value}"),
    "station.change.none_value": ("无", "none"),
    "station.change.dry_run": ("预览：未写入任何内容。去掉 --dry-run 即执行上述修改。",
                       "Dry run: nothing was written. Without --dry-run these changes are applied."),
    "station.change.applied": ("已修改站点定义：{n} 项变更，记入审计日志第 {seq} 条",
                       "Station definition changed: {n} change(s), audit log entry {seq}"),
    "station.change.capacity": ("下一排班期（{start} 起 {days} 天）的人力：修改前 {before}；修改后 {after}",
                        "Capacity for the next roster period ({start} for {days} days): before {before}; after {after}"),
    "station.change.problems": ("以下问题使修改无法执行（未写入任何内容）：", "These problems stop the change (nothing was written):"),
    "station.change.notes": ("请注意：", "Note:"),
    "station.change.refused": ("站点定义未修改：{n} 个问题\n{lines}", "The station was not changed: {n} problem(s)\n{lines}"),

    # station apply: problems (the change is refused)
    "station.change.problem.station_code": ("派出所代码不能修改（{old} -> {new}）：审计日志和锚点以它识别本所",
                                    "the station code cannot change ({old} -> {new}): the audit log and its anchors "
                                    "name the station by it"),
    "station.change.problem.post_in_use": ("岗位 {code} 不能删除：{uses} 用到它。若不再排这个岗位，请保留它并把需求设为 0（count = 0）",
                                   "post {code} cannot be removed: it is used by {uses}. To stop planning it, keep it "
                                   "and set its demand to 0 (count = 0)"),
    "station.change.problem.shift_in_use": ("班次 {code} 不能删除：{uses} 用到它。若不再排这个班次，请保留它并把需求设为 0",
                                    "shift {code} cannot be removed: it is used by {uses}. To stop planning it, keep it "
                                    "and set its demand to 0"),
    "station.change.problem.shift_signed": ("班次 {code} 的 {fields} 不能修改：已批准/已发布的 {rosters} 按原来的时间签字。请另加一个班次代码",
                                    "shift {code}: {fields} cannot change: {rosters} (approved or published) were "
                                    "signed with the old times. Add a new shift code instead"),
    "station.change.problem.skill_held": ("技能 {code} 不能删除：{n} 人持有（{people}）。确要删除并从这些人员中去掉，请加 --remove-held-skills",
                                  "skill {code} cannot be removed: {n} people hold it ({people}). To remove it and "
                                  "take it from them, add --remove-held-skills"),
    "station.change.problem.team_members": ("队室 {code} 不能删除：{n} 人属于它（{people}）。请先用 dutydesk import people 调整他们的队室",
                                    "team {code} cannot be removed: {n} people belong to it ({people}). Move them "
                                    "to another team first (dutydesk import people)"),
    "station.change.problem.hot_spot_in_use": ("巡逻热点 {code} 不能删除：{uses} 记录了它",
                                       "hot spot {code} cannot be removed: it is named by {uses}"),
    "station.change.problem.stale": ("此文件导出之后站点定义已被修改（审计日志第 {seq} 条，{who}，{at}），照此文件执行会撤销那次修改（{what}）。请重新导出、修改后再执行",
                                     "the station definition changed after this file was exported (audit entry "
                                     "{seq}, by {who} at {at}) and applying the file would undo that change ({what}). "
                                     "Export again, edit, then apply"),
    "station.change.problem.still_referred": ("站点定义未修改：要删除的 {table} 记录仍被其他记录引用（{error}）",
                                      "the station was not changed: a {table} row to be removed is still referred to "
                                      "by other records ({error})"),

    # station apply: notes (the change goes ahead)
    "station.change.note.skill_taken": ("{n} 人将失去技能 {code}：{people}", "{n} people lose the skill {code}: {people}"),
    "station.change.note.incident_requires": ("警情类型 {types} 要求技能 {code}：删除后没有处警单元能满足这类警情",
                                      "incident type(s) {types} require the skill {code}: once it is removed no unit "
                                      "can meet them"),
    "station.change.note.incident_prefers": ("警情类型 {types} 优先派有技能 {code} 的单元，删除后不再考虑",
                                     "incident type(s) {types} prefer units with the skill {code}; that preference "
                                     "no longer applies"),
    "station.change.note.signed_rosters": ("{section} {code} 有修改；已签字的 {rosters} 保持原样，新排班和未批准的版本按新定义检查",
                                   "{section} {code} changes; the signed {rosters} stay as they are, new rosters and "
                                   "versions not yet approved are checked against the new definition"),
    "station.change.note.zone": ("时区由 {old} 改为 {new}：此后所有时间按新时区显示",
                         "the time zone changes from {old} to {new}: every time is shown in the new zone from now on"),

    # how a record that uses something is named
    "station.change.use.roster": ("排班 {id} v{v}（{status}）", "roster {id} v{v} ({status})"),
    "station.change.use.units": ("{n} 个处警单元", "{n} unit(s) of the duty board"),
    "station.change.use.requests": ("{n} 条个人排班意愿", "{n} officers' request(s)"),
    "station.change.use.handover_notes": ("{n} 条交接班记录", "{n} handover note(s)"),
    "station.change.use.incidents": ("{n} 起警情", "{n} incident(s)"),
    "station.change.use.checkins": ("{n} 次巡逻签到", "{n} patrol check-in(s)"),
    "station.change.use.more": ("等 {n} 项", "and {n} more"),
}
