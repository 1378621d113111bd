"""Messages shared by every domain: times and their zone, lists, yes/no: (Simplified Chinese, English)."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "time.at_zone": ("{time}（{zone}）", "{time} ({zone})"),
    "time.zone_note": ("时间为站点时间（{zone}，{tz}）", "times are station time ({zone}, {tz})"),
}
MESSAGES.update({
    # -- codes typed in English or Chinese (stationdef/codes.py) ----------------------------
    "code.ambiguous": ("“{text}”可指多个{what}，您是指：{options}？请写全名或代码",
                       "'{text}' could mean more than one {what}; did you mean: {options}? Write the whole name or the code"),
    "code.unknown": ("未知的{what}“{text}”；可用：{options}", "unknown {what} '{text}'; use one of: {options}"),
    "code.incident_type": ("警情类别", "incident type"),
    "code.shift": ("班次", "shift"),
    "code.post": ("岗位", "post"),
    "code.unit": ("处警单元", "unit"),
    "code.team": ("队", "team"),
    "code.skill": ("技能", "skill"),
    "code.person_type": ("人员类别", "person type"),
    "code.leave_kind": ("假别", "leave kind"),
    "code.status": ("状态", "status"),
    "code.role": ("角色", "role"),
    "code.hot_spot": ("热点", "hot spot"),
})
