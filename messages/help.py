"""The command line's help in Chinese (cli/help.py sets it under zh): command path -> help, and
"command path --option" -> the option's help; "* --option" for an option every command words the
same. The English is the help written in each command's decorators (click's convention, next to
the code). tests/test_cli_help.py checks that every command and option with help is here."""
from __future__ import annotations

HELP_ZH: dict[str, str] = {
    "": "dutydesk（值班台）：派出所的排班、值班台和夜巡方案。\n\n不带命令运行时打开站点数据库上的值班台终端界面。",
    "--db": "站点数据库文件（默认：$DUTYDESK_DB，否则为用户数据目录中的文件）。",
    "--lang": "界面语言（默认：按系统区域设置）。",
    "--version": "显示版本并退出。",
    "* --json": "在标准输出打印一个 JSON 文档。",
    # audit
    "audit": "只可追加、哈希链接的审计日志。",
    "audit anchor": "打印链头（条目编号和哈希），保存在数据库之外：发往另一台机器的日志，或打印在纸上。"
                    "`audit verify --anchors FILE` 可核对它。",
    "audit anchor --out": "把锚点作为一行 JSON 追加到此文件。",
    "audit show": "列出审计条目：谁、何时、做了什么、之前与之后。",
    "audit show --since": "只列出自此日期（UTC）起的条目，如 2026-12-01。",
    "audit verify": "核对哈希链、日志为之作证的每条记录（排班版本、用户和角色、警情、请假、交接单、方案、签到、站点）、"
                    "批准排班时签认的内容摘要，以及给出的锚点。正常，或列出每处问题及其表、记录和最后为之作证的条目（退出码 1）。",
    "audit verify --anchors": "保存在数据库之外的锚点文件（夜间任务 JSON 日志、`audit anchor` 文件、交接单文字）；可多次给出。",
    # bench
    "bench": "用公开基准测试排班引擎。",
    "bench curtois": "求解一个 Curtois & Qu 实例文件 FILE 并校验排班。",
    "bench curtois --time-limit": "整个求解的秒数。",
    "bench curtois --workers": "CP-SAT 线程数（默认：本机核数）。",
    "bench curtois --deterministic": "确定性时限：相同种子和输入得到相同排班。",
    "bench curtois --out": "把结果（含排班）写入此 JSON 文件。",
    "bench curtois --json": "以 JSON 打印结果。",
    "bench curtois-all": "求解 DIRECTORY 中每个 Instance*.txt 并打印表格。",
    "bench curtois-all --time-limit": "每个实例的秒数。",
    "bench curtois-all --workers": "CP-SAT 线程数（默认：本机核数）。",
    "bench curtois-all --only": "以逗号分隔的实例编号或名称，如 1,2,3。",
    "bench curtois-all --json": "以 JSON 打印全部结果。",
    # calendar
    "calendar": "用于需求和公平统计的法定节假日和调休工作日。",
    "calendar import": "从 FILE（CSV/XLSX：日期、类型、名称）载入软件包缺少的某年节假日。",
    "calendar import --allow-partial": "载入缺少部分法定节日（元旦、春节、清明、劳动节、端午、中秋、国庆）的年份："
                                       "只保存列出的日期，该年其余日期仍视为没有官方数据。",
    "calendar show": "哪些年份有官方节假日数据，以及某年的特殊日期。",
    "calendar show --year": "列出该年的节假日和调休工作日。",
    # demo, init, station, tui
    "demo": "在演示站点上打开 dutydesk（首次使用时在数据目录中建立）。\n\n"
            "演示打开实时值班台：若没有覆盖今天的已发布排班，会先生成一份（您在演示数据库中获得所长角色）、批准并发布。",
    "demo --seed": "演示人员的种子（仅首次运行）。",
    "demo --time-limit": "演示需要新排班时求解器的秒数。",
    "demo --no-app": "只建立演示数据库并打印概况。",
    "init": "由站点文件和人员名单（或演示）建立站点数据库。\n\n"
            "先校验全部内容：每处问题都标明文件、行和字段，退出码 65，不写入任何内容。运行 init 的人成为站点管理员。",
    "init --station": "站点定义文件（TOML）；见 docs/station-file.md。",
    "init --people": "人员名单（CSV 或 XLSX，中文或英文表头）。",
    "init --demo": "建立内置演示站点（城关派出所，约60人）。",
    "init --seed": "演示人员的种子。",
    "station": "站点定义：队、岗位、班次、需求、规则、热点。",
    "station show": "显示载入的站点：岗位及其配置规则、班次及时间、需求、规则。",
    "tui": "打开终端界面：值班台（F6）、排班（F3）、人员（F5）、帮助（F1）。",
    # handover, incident, unit, stats
    "handover": "值班民警之间的交接班，双方签名。",
    "handover list": "列出交接单。",
    "handover new": "填写并签署交接单：未结警情、正在计时的法定时限、处警单元、交接事项。",
    "handover new --to": "接班值班民警的登录名。",
    "handover new --notes": "下一班必须知道的事项。",
    "handover sign": "接班值班民警签收。",
    "incident": "警情：接警登记、推荐处警单元、派警、状态。",
    "incident clock": "为警情开始法定时限计时（在值班台和交接班时显示）。",
    "incident clock --kind": "法定时限，如 继续盘问。",
    "incident clock --hours": "时限小时数。",
    "incident dispatch": "派出一个处警单元，或几个一起（检查合编后是否合规）。",
    "incident dispatch --unit": "处警单元代码或名称（巡逻1）；可重复（或写 PAT1+PAT2）以合编派出。",
    "incident list": "按优先级和时长列出警情。",
    "incident list --open": "只列出未处置完毕的警情。",
    "incident new": "接警登记。",
    "incident new --type": "警情类别，代码或名称：fight/打架斗殴、domestic/家庭暴力、theft/盗窃、fraud/诈骗预警劝阻、"
                           "traffic/交通事故、suspicious/可疑人员、missing/人员走失、dispute/纠纷、help/求助、noise/噪音扰民、other/其他",
    "incident new --place": "地址，或热点代码、名称（给出位置）。",
    "incident new --priority": "1（最紧急）到5；默认按类别。",
    "incident new --female-search": "可能需要搜查女性：组内须有女性。",
    "incident new --reporter": "报警人。",
    "incident new --phone": "报警人电话。",
    "incident new --notes": "备注。",
    "incident recommend": "为警情给在岗处警单元排序并说明理由；说明其他单元为何未推荐。",
    "incident update": "推进警情：途中、到场、处置完毕、结案（精确到秒）。",
    "incident update --status": "en_route/途中、on_scene/到场、cleared/处置完毕、closed/已结案。",
    "incident update --note": "备注。",
    "unit": "在岗的巡逻和备勤处警单元（来自排班）。",
    "unit ack": "确认处警单元签到（重置计时；记入审计日志）。",
    "unit ack --note": "备注。",
    "unit list": "当前在岗的处警单元，含状态和签到计时。",
    "stats": "统计。",
    "stats response": "按优先级和类别统计等待、在途、现场和总用时。",
    "stats response --from": "开始日期。",
    "stats response --to": "结束日期。",
    # import, leave
    "import": "从表格（CSV 或 XLSX，中文或英文表头）读入人员或请假。",
    "import leave": "从 FILE 新增请假（列：警号、开始日期、结束日期、类型、备注）。\n\n"
                    "与已登记完全相同（同一人、日期和类别）的请假跳过并列出。有任何错误行：逐行逐列列出所有问题，不写入任何内容（退出码 65）。",
    "import people": "从 FILE 按警号新增和更新人员；列出新增、更新（逐字段）和未变的人员。\n\n"
                     "文件中没有的列保留已登记的值；文件中没有的人保持不变。有任何错误行：逐行逐列列出所有问题，不写入任何内容（退出码 65）。",
    "* --dry-run": "只显示将要发生的变更；不写入任何内容。",
    "leave": "请假：年休假、病假、培训、事假、补休、不可用、其他。",
    "leave add": "为 BADGE 登记 --from 至 --to 的请假（含首尾两天）。需要所长、值班或管理员角色。",
    "leave add --from": "请假第一天（2026-12-01、2026/12/1、2026年12月1日）。",
    "leave add --to": "请假最后一天。",
    "leave add --kind": "年休假/annual、病假/sick、培训/training、事假/personal、补休/compensatory、不可用/unavailable、其他/other。",
    "leave add --note": "备注。",
    "leave list": "列出与该时段有交集的请假（默认：今天起）。",
    "leave list --from": "自此日起（默认：今天）。",
    "leave list --to": "至此日止（默认：不限）。",
    # nightly
    "nightly": "保持排班草稿提前排好，制定今晚的巡逻方案，提示空岗和将到期的技能。\n\n"
               "退出码：0 完成（或无事可做），3 无可行解，4 时限内没有排班，5 部分站点失败，75 另一次运行持有锁，77 无权操作。",
    "nightly --stations": "处理多个站点：一个放 *.db 文件的文件夹，或一个列出数据库路径的文件。",
    "nightly --parallel": "本机进程池同时求解的站点数。",
    "nightly --cluster": "Dask 调度器地址，如 tcp://scheduler:8786：由其计算节点求解，本机读写文件（pip install 'dutydesk[cluster]'）。",
    "nightly --window": "同时在途的站点数（默认：求解槽位的两倍）。",
    "nightly --summary": "只报告每个站点的状态，最紧急的在前（只读文件；不求解、不写入）。",
    "nightly --time-limit": "每份排班的求解时限（秒）。",
    "nightly --log": "把 JSON 行日志追加到此文件。",
    # patrol
    "patrol": "夜巡方案：按风险加权、随机安排热点巡查（保存种子）。",
    "patrol checkin": "登记巡逻组在某热点签到。",
    "patrol checkin --date": "哪一夜（默认：今晚）。",
    "patrol checkin --team": "巡逻组代码或名称（PAT1 或 巡逻1）。",
    "patrol checkin --hot-spot": "热点代码或名称。",
    "patrol checkin --at": "站点时间 HH:MM（默认：现在）。",
    "patrol plan": "为排班中的巡逻组安排当夜的热点巡查。",
    "patrol plan --date": "从该日开始的那一夜（默认：今晚）。",
    "patrol plan --seed": "种子（默认：随机生成，随方案保存）。",
    "patrol plan --commitment": "固定任务：巡逻组,HH:MM,HH:MM[,热点]（如卡点）。可重复。",
    "patrol plan --time-limit": "求解时限（秒）。",
    "patrol sheet": "把当夜方案写成可打印的交班布置单（HTML，A4 横向）。",
    "patrol sheet --out": "要写入的 HTML 文件。",
    "patrol show": "显示当夜方案（默认：今晚），计划与完成对照。",
    # people
    "people": "站点人员（民警、辅警……）。",
    "people export": "写出人员名单（中文表头）供在 Excel 中编辑；`dutydesk import people` 可读回。",
    "people export --format": "默认：按 --out 的后缀。",
    "people export --out": "要写入的文件（'-' 把 CSV 写到标准输出）。",
    "people list": "列出人员：警号、姓名、人员类别、队、技能（标出到期）。",
    "people list --team": "只列此队（代码或名称）。",
    "people list --skill": "只列具备此技能的人（代码或名称）。",
    # roster
    "roster": "排班：生成草稿、审核、缺勤重排。",
    "roster approve": "批准已提交的版本（仅所长）；显示其相对已发布版本的变更。",
    "roster candidates": "谁能填补某个班次岗位，排序，并说明其他人为何不行。",
    "roster candidates --date": "日期。",
    "roster candidates --shift": "班次代码或名称。",
    "roster candidates --post": "岗位代码或名称。",
    "roster diff": "从排班版本 A 到 B 的变更（如 3v1 3v2）。",
    "roster edit": "把某人安排到某天某岗（按与求解器相同的规则校验）。",
    "roster edit --date": "日期。",
    "roster edit --person": "要安排的人的警号。",
    "roster edit --shift": "班次代码或名称（与 --off 二选一）。",
    "roster edit --post": "岗位代码或名称。",
    "roster edit --off": "让此人当天休息。",
    "roster edit --reason": "软规则变差时必填；会被记录。",
    "roster export": "导出排班 ROSTER_ID（7，或 7v2 表示第2版），用于打印、表格或日历。\n\n"
                     "xlsx  A4 横向，一页宽，每页重复表头，人员×日期，图例，页脚含版本、审批状态和审计哈希\n"
                     "csv   每条安排一行：日期、警号、姓名、班次、班次名称、开始、结束、岗位、岗位名称\n"
                     "html  可独立打印的网页（表格、图例、页脚）\n"
                     "ics   站点时间的日历事件；各版本同一 UID，SEQUENCE 为版本号，新版本删去的安排以取消方式给出\n"
                     "json  与 `roster show --json` 相同的文档",
    "roster export --format": "默认：按 --out 的后缀。",
    "roster export --out": "要写入的文件（'-' 把 CSV/HTML/ICS/JSON 写到标准输出）。",
    "roster export --person": "只导出此人的班次（如一名民警的日历）。",
    "roster generate": "生成从 START 起 DAYS 天的排班草稿版本（之后由所长批准）。\n\n"
                       "紧邻本期前后的已批准、已发布和草稿排班是它的相邻排班：它们的最后几天作为历史，"
                       "它们的头几天在保存前做衔接检查（休息、24小时值班后的休息、连续工作天数、连续夜班）。",
    "roster generate --over-draft": "有草稿或已提交的排班与本期重叠时：refuse/拒绝（指明它和可选做法，不写入）；"
                                    "use-as-history/作为历史（保留它：START 之前的天数作为历史，本期之后的天数做衔接检查，"
                                    "两者都批准后重叠的天以本排班为准）；replace/取代（把它标为已被取代，记入审计）。",
    "roster generate --start": "第一天（2026-12-01）。",
    "roster generate --days": "天数。",
    "roster generate --time-limit": "求解时限（秒）。",
    "roster generate --seed": "求解种子（随版本保存）。",
    "roster generate --workers": "求解线程数（默认：全部核）。",
    "roster list": "列出排班及其最新版本和状态。",
    "roster publish": "发布已批准的版本（仅所长）；之后不再改变。",
    "roster reject": "以 --comment 说明理由退回已提交的版本（仅所长）。",
    "* --comment": "随版本保存的意见（退回时必填）。",
    "* --reason": "批准/发布：为何列出的空岗、软规则违反、无官方节假日数据的日子或人力不足可以接受（会被记录）。",
    "roster repair": "有人缺勤：生成只改动缺勤所必需之处的新草稿版本。",
    "roster repair --person": "缺勤者的警号。",
    "roster repair --from": "缺勤第一天。",
    "roster repair --to": "缺勤最后一天。",
    "roster repair --reason": "原因（随请假和新版本记录）。",
    "roster repair --kind": "记录的假别（病假、年休假、事假、培训……）；默认：从 --reason 读出（病假 -> sick），否则为不可用。",
    "roster repair --time-limit": "求解时限（秒）；整个重排约在10秒内完成。",
    "roster repair --seed": "求解种子。",
    "roster show": "以表格或 JSON 显示排班版本（ROSTER_ID，或 ROSTER_IDvN 表示第N版）。",
    "roster show --report": "同时检查：硬规则违反、空岗、公平台账。",
    "roster submit": "把草稿版本提交所长审批。",
    "roster swap": "互换两人某天的安排。",
    "roster swap --date": "日期。",
    "roster swap --a": "其中一人的警号。",
    "roster swap --b": "另一人的警号。",
    "roster swap --reason": "软规则变差时必填；会被记录。",
    # users
    "user": "用户（操作系统登录名）及其角色：管理员、所长、值班、查看。",
    "user add": "授予操作系统用户 LOGIN 角色 ROLE（仅管理员）。",
    "user add --role": "要授予的角色（可重复）：admin/管理员、chief/所长、duty/值班、viewer/查看。",
    "user add --person": "此登录名对应人员的警号。",
    "user list": "列出用户及其角色。",
    # added with the chief's roster (issue 23) and the HR people lists (issue 24)
    "import requests": "从 FILE 添加警员意愿（列：警号、日期、结束日期、班次、意愿、权重、备注）。\n\n"
                       "任何一行有误：按行和列列出每个问题，不写入任何内容（退出码 65）。",
    "people import": "按警号从 FILE 添加和更新人员；显示新增、更新（逐字段）和未变的人员。\n\n"
                     "同 `dutydesk import people FILE`。人事系统导出的花名册按原样读取：表头上方的标题行会跳过，"
                     "dutydesk 不用的列会忽略（每列在标准错误输出一条说明），入警时间 / 参加工作时间 / 入警年份 给出工龄。"
                     "文件未包含的列保留已有的值；文件中没有的人员保持不变。任何一行有误：按行和列列出每个问题，"
                     "不写入任何内容（退出码 65）。",
    "request": "警员意愿：某人希望上班或休息的一天（或几天），带权重。",
    "request add": "登记 BADGE 的意愿：在 --date [--to] 休息（--off，默认）或上班（--on）。",
    "request add --date": "那一天（2026-12-24、2026/12/24、2026年12月24日），与 --to 一起时为第一天。",
    "request add --to": "一段日期的最后一天（含首尾两天）。",
    "request add --shift": "班次代码或名称（N、夜班），或 any/任意。",
    "request add --off": "希望休息（默认）。",
    "request add --on": "希望上班（该班次，或任意班次）。",
    "request add --weight": "1 一般意愿，2 重要，3 非常重要。",
    "request add --note": "原因（备注），如 孩子家长会。",
    "request list": "列出意愿（默认：从今天起）。",
    "request list --from": "从这一天起（默认：今天）。",
    "request list --to": "到这一天为止（默认：不限）。",
    "request list --person": "只列出此警号。",
    "request remove": "按编号删除意愿（见 `request list`），或 --person BADGE [--from D] [--to D]。",
    "request remove --person": "删除此警号的意愿（配合 --from/--to），代替 IDS。",
    "request remove --from": "与 --person 一起：从这一天起。",
    "request remove --to": "与 --person 一起：到这一天为止。",
    "station apply": "把站点改成 FILE 所写的样子（站点文件，即 `station export` 写出的格式）。\n\n"
                     "逐项显示改动（新增、修改、删除，附旧值和新值），对照记录（排班、人员、警情）检查，"
                     "然后在一个事务中全部应用并记入审计日志。有记录不允许时拒绝（退出码 6，不写入）；"
                     "没有改动的文件不写入任何内容。限管理员或所长。",
    "station apply --remove-held-skills": "允许删除有人持有的技能：持有人失去该技能（在输出中列出）。",
    "station export": "把存储的站点定义（队、技能、班次、岗位、需求、规则、热点）写成 `init` 和 `station apply` "
                      "可读的站点文件。",
    "station export --out": "把站点文件写到这里（默认：打印到标准输出）。",
}
