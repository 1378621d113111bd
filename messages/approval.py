"""Messages of approving and publishing a roster version: what the chief signs, and the reason."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "sign.items_title": ("签字即确认以下事项：", "By signing you accept:"),
    "sign.nothing": ("无空岗、无软规则未满足、无缺少官方节假日数据的日子、人力充足：无需理由。",
                     "No empty seats, no soft-rule breaks, no days without official holiday data, enough "
                     "people: no reason needed."),
    "sign.notes": ("提示（无需理由）：", "Notes (no reason needed):"),
    "sign.reason": ("理由", "Reason"),
    "sign.reason_required": ("必填：为何可以接受上述事项（记入审计日志）",
                             "Required: why the items above are acceptable (kept in the audit log)"),
    "sign.reason_optional": ("可不填（填写则记入审计日志）", "Optional (kept in the audit log if given)"),
    "sign.reason_from_approval": ("批准时的理由：{reason}（留空则沿用）",
                                  "Reason given at approval: {reason} (leave empty to keep it)"),
    "sign.reason_needed": ("请填写理由：签字即确认上述 {n} 项", "Give a reason: signing accepts the {n} item(s) above"),
}
