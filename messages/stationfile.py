"""Messages of the station-file reader (stationdef/toml_file.py): every problem a clerk sees when a
station file (TOML) is wrong. The place (file, line, field such as ``posts[2].min_sworn``) is added
by the InputProblem; the text says what is wrong and how to fix it. (Simplified Chinese, English)"""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # the whole file
    "sfile.not_toml": ("不是有效的 TOML 格式：{detail}；请检查该行的引号、方括号和等号",
                       "not valid TOML: {detail}"),
    "sfile.too_deep": ("数组或表嵌套过深，这不是站点定义文件", "arrays or tables nested too deeply to be a station file"),
    "sfile.not_a_file": ("不是文件（是文件夹或设备？）；请给出站点定义文件（.toml）",
                         "not a file (a folder or a device?)"),
    "sfile.too_large": ("文件大于 {mb} MB；站点定义文件通常只有几 KB，请确认选对了文件",
                        "the file is larger than {mb} MB; a station file is a few kB"),
    "sfile.not_utf8": ("文件不是 UTF-8 编码的文本；请用记事本或 WPS 另存为 UTF-8 编码",
                       "the file is not UTF-8 text; save it as UTF-8"),

    # values of keys
    "sfile.the_key": ("“{key}”", "'{key}'"),
    "sfile.missing": ("缺少“{key}”；请补写这一项", "'{key}' is missing"),
    "sfile.not_text": ("“{key}”必须是非空的文字（用英文双引号括起），现为{got}", "'{key}' must be non-empty text, got {got}"),
    "sfile.not_one_of": ("“{value}”不是可选值；请写其中之一：{options}", "'{value}' is not one of: {options}"),
    "sfile.not_whole": ("“{key}”必须是整数，现为{got}", "'{key}' must be a whole number, got {got}"),
    "sfile.not_number": ("“{key}”必须是数字，现为{got}", "'{key}' must be a number, got {got}"),
    "sfile.not_finite": ("“{key}”必须是有限的数字，现为 {value}", "'{key}' must be a finite number, got {value}"),
    "sfile.out_of_range": ("{value} 超出允许范围（{range}）", "{value} is out of range ({range})"),
    "sfile.range_between": ("应在 {minimum} 到 {maximum} 之间", "between {minimum} and {maximum}"),
    "sfile.range_at_least": ("至少为 {minimum}", "at least {minimum}"),
    "sfile.not_bool": ("“{key}”必须是 true 或 false（不加引号），现为{got}", "'{key}' must be true or false, got {got}"),
    "sfile.not_text_list": ("“{key}”必须是文字列表，例如 [\"patrol\", \"driving\"]",
                            "'{key}' must be a list of text, e.g. [\"patrol\", \"driving\"]"),
    "sfile.unknown_codes": ("未定义的{what} {codes}；已定义的有：{known}", "unknown {what} {codes}; known: {known}"),
    "sfile.none": ("（无）", "(none)"),
    "sfile.what.skill": ("技能", "skill"),
    "sfile.what.person_type": ("人员类别", "person type"),
    "sfile.unknown_key": ("未知的键“{key}”（请检查拼写）；此处可用的键：{allowed}",
                          "unknown key '{key}'; expected one of: {allowed}"),
    "sfile.not_tables": ("“{sec}”必须写成 [[{sec}]] 表（每项一个表）", "'{sec}' must be written as [[{sec}]] tables"),
    "sfile.too_many_tables": ("共有 {n} 个 [[{sec}]] 表；最多读取 {max} 个", "{n} [[{sec}]] tables; at most {max} are read"),
    # a wrong value as the messages show it: its kind, and the value when it is short
    "sfile.got": ("{kind} {value}", "{kind} {value}"),
    "sfile.kind.table": ("表", "a table"),
    "sfile.kind.array": ("数组", "an array"),
    "sfile.kind.bool": ("true/false", "true/false"),
    "sfile.kind.number": ("数字", "a number"),
    "sfile.kind.text": ("文字", "text"),

    # [station]
    "sfile.no_station": ("缺少 [station] 表；请在文件开头写 [station]，并给出 code（代码）、name（所名）和 zone（时区）",
                         "the [station] table is missing (code, name, zone)"),
    "sfile.bad_zone": ("“{zone}”不是时区名称；请写如 Asia/Shanghai", "'{zone}' is not a time zone name (e.g. Asia/Shanghai)"),
    "sfile.code_twice": ("代码“{code}”重复（第一次在 {first}）；每个代码只能用一次",
                         "code '{code}' is used twice (first in {first})"),
    "sfile.two_teams_one_room": ("派出所应为“两队一室”：须有 kind 为 community（社区警务队）、case（执法办案队）和 "
                                 "command（综合指挥室）的队室；缺少：{missing}",
                                 "a station has 两队一室: teams of kind community, case and command; missing: {missing}"),
    "sfile.no_shifts": ("至少需要一个 [[shifts]] 表（班次）", "at least one [[shifts]] table is needed"),
    "sfile.no_posts": ("至少需要一个 [[posts]] 表（岗位）", "at least one [[posts]] table is needed"),

    # [[shifts]]
    "sfile.start_missing": ("缺少“start”（开始时刻，写成 HH:MM，如 \"08:00\"）", "'start' is missing (HH:MM)"),
    "sfile.start_not_text": ("“start”必须是形如 \"08:00\" 的文字（加英文双引号），现为 {value}",
                             "'start' must be text like \"08:00\", got {value}"),
    "sfile.length_one": ("班次时长请只写“minutes”（分钟）或“hours”（小时）其中一项",
                         "give the length as exactly one of 'minutes' or 'hours'"),

    # [[posts]]
    "sfile.unknown_team": ("未定义的队室“{team}”；已定义的有：{known}", "unknown team '{team}'; known: {known}"),
    "sfile.no_type_allowed": ("allowed_types 至少要允许一种人员类别", "at least one person type must be allowed"),
    "sfile.sworn_not_allowed": ("min_sworn 为 {n}，但 allowed_types 中没有 'sworn'（民警）；请加上 \"sworn\" 或把 min_sworn 改为 0",
                                "min_sworn is {n} but 'sworn' is not an allowed type"),
    "sfile.aux_needs_sworn": ("本岗位允许辅警上岗，因此 min_sworn 至少为 1：辅警不得脱离民警单独执勤（警务辅助人员条例）；"
                              "不执法的服务岗位（窗口、接待）可写 enforcement = false",
                              "auxiliaries are allowed on this post, so it needs min_sworn >= 1: 辅警 never work without "
                              "a 民警 (警务辅助人员条例); a service post without enforcement (window, reception) may say "
                              "enforcement = false"),
    "sfile.case_two_sworn": ("办案值班至少需要2名民警（《公安机关办理行政案件程序规定》第52条第1款）；请把 min_sworn 改为 2 或以上",
                             "case duty needs at least 2 民警 (《公安机关办理行政案件程序规定》第52条第1款)"),
    "sfile.guard_sworn": ("候问室看管必须由民警担任（《公安机关适用继续盘问规定》）；请把 min_sworn 改为 1 或以上",
                          "a holding-room guard must be a 民警 (《公安机关适用继续盘问规定》)"),
    "sfile.staffing_alt": ("{alt}{problem}", "{alt} {problem}"),
    "sfile.staffing_need": ("{where}：{problem}", "{where}: {problem}"),
    "sfile.window_shape": ("“{value}”应写成 \"19:00-03:00\" 的形式", "'{value}' must look like \"19:00-03:00\""),

    # [[demand]]
    "sfile.unknown_post": ("未定义的岗位“{post}”；请先在 [[posts]] 中定义，或改正代码", "unknown post '{post}'"),
    "sfile.unknown_shift": ("未定义的班次“{shift}”；已定义的有：{known}", "unknown shift '{shift}'; known: {known}"),
    "sfile.demand_twice": ("岗位“{post}”在班次“{shift}”的需求重复（第一次在 {first}）；请合并为一项",
                           "demand for post '{post}' in shift '{shift}' is given twice (first in {first})"),
    "sfile.count_missing": ("请写“count”（各类日子通用），或按日子类别分别写：workday（工作日）、weekend（休息日）、"
                            "holiday（法定节假日）、adjusted_workday（调休工作日）",
                            "give 'count' (every kind of day) or per kind: workday, weekend, holiday, adjusted_workday"),
    "sfile.fewer_than_sworn": ("{day}岗位“{post}”需求 {n} 人，少于该岗位的 min_sworn（最少民警 {min_sworn} 人）",
                               "{n} people on '{post}' on a {day} is fewer than its min_sworn {min_sworn}"),
    "sfile.patrol_min": ("巡逻至少需要 {min} 人（巡逻至少2人，《河南省城市人民警察巡察条例》第4条），此处为 {n} 人",
                         "a patrol needs at least {min} people (巡逻至少2人, 《河南省城市人民警察巡察条例》第4条); got {n}"),

    # [rules]
    "sfile.rules_table": ("[rules] 必须是“键 = 值”形式的表", "[rules] must be a table of key = value"),
    "sfile.unknown_rule": ("未知的规则“{key}”（请检查拼写）；可用的规则：{known}", "unknown rule '{key}'; known: {known}"),
}
