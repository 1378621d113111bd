"""Messages of errors and refusals shared by every layer (errors.py, the database, sessions and
permissions): (Simplified Chinese, English)."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # -- where an input problem is (errors.InputProblem) -----------------------------------
    "input.problem_one": ("发现1处问题，未写入任何内容：", "1 problem found; nothing was written:"),
    "input.problems": ("发现{n}处问题，未写入任何内容：", "{n} problems found; nothing was written:"),
    "where.problem": ("{where}：{problem}", "{where}: {problem}"),
    "where.sep": ("，", ", "),
    "where.line": ("第{n}行", "line {n}"),
    "where.row": ("第{n}行", "row {n}"),
    "where.column": ("{column}列", "column {column}"),
    "where.field": ("字段“{field}”", "field '{field}'"),
    "where.args": ("命令行", "command line"),
    "where.args_field": ("命令行参数 {field}", "command line, field '{field}'"),
    "where.form_field": ("表单“{field}”栏", "form, field '{field}'"),
    "where.form": ("表单", "form"),
    "list.clauses": ("；", "; "),
    # -- the station database (db/connection.py, the edges' translation of sqlite errors) ---
    "db.not_a_file": ("是文件夹或设备，不是站点数据库文件", "is a folder or a device, not a station database file"),
    "db.unreadable": ("{path}：本登录无权读取站点数据库（文件权限）；请站点管理员把你加入站点的用户组（见 README“多个登录共用一个站点”）",
                      "{path}: this login may not read the station database (file permissions); ask the station's "
                      "admin to add you to the station's group (README 'Sharing a station')"),
    "db.read_only_upgrade": ("{path} 对本登录只读，且需要升级到第{latest}版数据结构（现为第{version}版）；请有写权限的人用 dutydesk 打开一次",
                             "{path} is read-only for this login and needs an upgrade to schema {latest} (it is at "
                             "{version}); ask whoever may write it to open it once with dutydesk"),
    "db.read_only": ("{path} 对本登录只读：不能写入任何内容", "{path} is read-only for this login: nothing can be written"),
    "db.read_only_write": ("{path} 对本登录只读；未写入任何内容。请站点管理员授予写权限（站点用户组，见 README“多个登录共用一个站点”）。",
                           "{path} is read-only for this login; nothing was written. Ask the station's admin for "
                           "write access (the station group, see README 'Sharing a station')."),
    "db.read_only_nothing_written": ("{path} 对本登录只读；未写入任何内容。", "{path} is read-only for this login; nothing was written."),
    "db.read_only_raw": ("站点数据库对本登录只读；未写入任何内容（{detail}）",
                         "the station database is read-only for this login; nothing was written ({detail})"),
    "db.busy": ("{path}：数据库一直忙；请重试。", "{path}: the database stayed busy; try again."),
    "db.busy_nothing_written": ("{path}：数据库一直忙；未写入任何内容。请重试。",
                                "{path}: the database stayed busy; nothing was written. Try again."),
    "db.busy_too_long": ("{path}：另一个 dutydesk 进程占用数据库太久；未写入任何内容。请重试。",
                         "{path}: another dutydesk process kept the database busy for too long; nothing was "
                         "written. Try again."),
    "db.busy_raw": ("站点数据库一直忙；未写入任何内容。请重试（{detail}）",
                    "the station database stayed busy; nothing was written. Try again ({detail})"),
    "db.not_a_database": ("不是 dutydesk 站点数据库（{detail}）；请检查 --db / DUTYDESK_DB，或用 `dutydesk init` 新建",
                          "not a dutydesk station database ({detail}); check --db / DUTYDESK_DB, or create one "
                          "with `dutydesk init`"),
    "db.damaged": ("站点数据库文件已损坏或不是 dutydesk 数据库（{detail}）",
                   "the station database file is damaged or not a dutydesk database ({detail})"),
    "db.no_station": ("{path} 中还没有站点。请先运行 `dutydesk init --station FILE --people FILE` 或 `dutydesk init --demo`。",
                      "{path} holds no station yet. Run `dutydesk init --station FILE --people FILE` or "
                      "`dutydesk init --demo` first."),
}
