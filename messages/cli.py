"""Messages of the command line shared by every command group (cli/common.py, cli/app.py,
main.py): (Simplified Chinese, English)."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "cli.warning": ("警告：{message}", "warning: {message}"),
    "cli.note": ("dutydesk：{message}", "dutydesk: {message}"),
    "cli.error": ("dutydesk：{message}", "dutydesk: {message}"),
    "cli.demo_fallback": ("{station} 没有站点数据库；使用 {demo} 的演示站点（用 --db 或 DUTYDESK_DB 指定其他数据库）",
                          "no station database at {station}; using the demo station at {demo} (give --db or "
                          "DUTYDESK_DB for another)"),
    "cli.read_only_app": ("{path} 对本登录只读：可以查看，不能修改", "{path} is read-only for this login: you can look, "
                          "not change anything"),
    "cli.not_a_terminal": ("（不是终端：已打印站点概况，未打开值班台）",
                           "(not a terminal: printed the summary instead of opening the duty board)"),
    "cli.wrote": ("已写入 {path}", "Wrote {path}"),
    "cli.not_yet": ("尚未", "not yet"),
    "cli.none": ("无", "none"),
    # table columns of the command line (the app's own are col.* in messages/tui.py)
    "cli.col.rank": ("序", "#"), "cli.col.code": ("代码", "code"), "cli.col.score": ("得分", "score"),
    "cli.col.why": ("理由", "why"), "cli.col.id": ("编号", "id"), "cli.col.received": ("接警时间", "received"),
    "cli.col.age_min": ("已过分钟", "age min"), "cli.col.minutes": ("分钟", "minutes"), "cli.col.at": ("时间", "at"),
    "cli.col.from": ("交班", "from"), "cli.col.to": ("接班", "to"), "cli.col.signed_in": ("接班签收", "signed by incoming"),
    "cli.col.group": ("分组", "group"), "cli.col.calls": ("警情数", "calls"), "cli.col.queue": ("等待", "queue"),
    "cli.col.travel": ("在途", "travel"), "cli.col.on_scene": ("现场", "on scene"), "cli.col.total": ("合计", "total"),
    "cli.checkin.ok": ("正常", "ok"), "cli.checkin.warning": ("将超时", "warning"), "cli.checkin.critical": ("超时", "critical"),
}
