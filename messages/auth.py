"""Messages of identity, roles and permissions (usecases/context.py, usecases/permissions.py):
(Simplified Chinese, English)."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "auth.may_not": ("{who}无权{action}；需要{need}角色。管理员可以授权：dutydesk user add {login} --role {role}",
                     "{who} may not {action}; this needs {need}. An admin can grant it: "
                     "dutydesk user add {login} --role {role}"),
    "auth.who_roles": ("用户“{login}”（角色：{roles}）", "user '{login}' (roles: {roles})"),
    "auth.who_no_roles": ("用户“{login}”（在本站点无角色）", "user '{login}' (no roles here)"),
    "auth.no_role": ("用户“{login}”在本站点（{path}）没有角色，因此看不到任何内容。请站点管理员授权："
                     "dutydesk user add {login} --role viewer（或 duty、chief）",
                     "user '{login}' has no role in this station ({path}), so dutydesk shows nothing. Ask the "
                     "station's admin: dutydesk user add {login} --role viewer (or duty, chief)"),
    "auth.read_only": ("{path} 对本登录只读，因此不能{action}；请站点管理员授予写权限",
                       "{path} is read-only for this login, so you may not {action}; ask the station's admin for "
                       "write access"),
    # what each action of usecases/permissions.py is called after "may not"
    "perm.read": ("读取本站点", "read this station"),
    "perm.people_export": ("导出人员名单（含电话、备注）", "export the people list (phone numbers, notes)"),
    "perm.audit_read": ("查看审计日志", "read the audit log"),
    "perm.users": ("添加用户或修改角色", "add users or change roles"),
    "perm.import_people": ("导入人员", "import people"),
    "perm.calendar_import": ("导入节假日日历", "import a holiday calendar"),
    "perm.generate": ("生成排班", "generate rosters"),
    "perm.repair": ("缺勤重排", "repair rosters"),
    "perm.edit": ("调整排班", "edit rosters"),
    "perm.swap": ("互换班次", "swap assignments"),
    "perm.submit": ("提交排班审批", "submit rosters"),
    "perm.approve": ("批准排班", "approve rosters"),
    "perm.reject": ("退回排班", "reject rosters"),
    "perm.publish": ("发布排班", "publish rosters"),
    "perm.leave": ("登记请假", "record leave"),
    "perm.incident": ("接警登记", "take incidents"),
    "perm.dispatch": ("派警", "dispatch units"),
    "perm.update_incident": ("更新警情状态", "update incidents"),
    "perm.clock": ("开始法定时限计时", "start legal clocks"),
    "perm.ack": ("确认签到", "acknowledge check-ins"),
    "perm.patrol_plan": ("制定夜巡方案", "plan night patrols"),
    "perm.checkin": ("登记巡逻签到", "record patrol check-ins"),
    "perm.handover": ("交接班", "hand over duty"),
}
