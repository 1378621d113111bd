"""Messages of dispatch by override (issue 25): what a crew lacks for a call, the legal sources,
sending anyway."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # -- what a crew lacks (scheduler.dispatch.Lack, by kind) ---------------------------------
    "lack.people": ("{have}人，此警情需{need}人", "{have} of the {need} people the call needs"),
    "lack.sworn": ("民警{have}人，此警情需民警{need}人", "{have} of the {need} 民警 the call needs"),
    "lack.aux_alone": ("辅警无民警带领", "辅警 without a 民警"),
    "lack.woman": ("组内无女性（女性须由女工作人员搜查）", "no woman on the team (a woman is searched by female staff)"),
    "lack.skill": ("无人具备技能：{skill}", "nobody holds the skill {skill}"),
    "lack.leaves_post": ("离开本岗：{post}无人值守", "leaves its post: {post} unstaffed"),
    "lack.reserve": ("最后一个可派单元，按规则留给紧急警情", "the last free unit, kept for urgent calls by the reserve rule"),
    "lack.with_source": ("{lack}（{source}）", "{lack} ({source})"),
    "lack.none": ("符合要求", "meets the call's needs"),
    # -- where a legal need comes from ----------------------------------------------------------
    "source.art52": ("《公安机关办理行政案件程序规定》第52条", "Provisions on Administrative Cases, art. 52"),
    "source.aux_regulation": ("警务辅助人员条例", "auxiliary police regulations"),
    "source.female_search": ("《治安管理处罚法》女性由女工作人员检查", "Public Security Administration Punishments Law: women searched by female staff"),
    "source.type_skill": ("警情类别要求的技能", "a skill the call type requires"),
    # -- sending by override --------------------------------------------------------------------
    "override.needs_reason@tui": ("{units} 不符合警情 {id} 的要求：{lacks}。如仍要派出，请在“原因”中写明",
                                  "{units} may not take incident {id}: {lacks}. To send it anyway, write why in the reason field"),
    "override.needs_reason@cli": ("{units} 不符合警情 {id} 的要求：{lacks}。如仍要派出，请写明原因：dutydesk incident dispatch {id} --unit {codes} --reason 原因",
                                  "{units} may not take incident {id}: {lacks}. To send it anyway, say why: dutydesk incident dispatch {id} --unit {codes} --reason TEXT"),
    "override.needs_reason": ("{units} 不符合警情 {id} 的要求：{lacks}。如仍要派出，请写明原因",
                              "{units} may not take incident {id}: {lacks}. To send it anyway, say why"),
    "override.reason_blank": ("请写明强制派警的原因（不能为空）", "say why the crew is sent anyway (the reason may not be blank)"),
    "override.not_on_duty": ("“{code}”现在不在岗；在岗：{on_duty}", "'{code}' is not on duty now; on duty: {on_duty}"),
    "override.name_unit": ("请指定要派出的单元，如 PAT1（或 PAT1+PAT2 合编）", "name the unit to send, e.g. PAT1 (or PAT1+PAT2 for two together)"),
    "override.sent": ("警情 {id}：已强制派出 {units}（原因：{reason}）", "Incident {id}: {units} sent by override (reason: {reason})"),
    "override.warning": ("注意：{lack}", "warning: {lack}"),
    "override.recorded": ("强制派警", "Override"),
    "override.cli_title": ("警情 {id} 其他在岗力量（不符合要求，可用 --reason 写明原因后强制派出）",
                           "Others on duty for incident {id} (they lack what the call needs; send one with --reason TEXT)"),
    "override.cli_unit": ("单元/岗位", "unit/post"),
    "override.cli_eta": ("约时", "ETA"),
    "override.cli_min": ("{n}分钟", "{n} min"),
    "override.cli_lacks": ("缺少", "lacks"),
}


def lack_text(lack: dict) -> str:
    """What a crew lacks (a ``scheduler.dispatch.Lack.to_dict()``, with the ``skill_name`` and
    ``post_name`` {"zh", "en"} the use case adds) in the current language, with its legal source."""
    from messages import name, t
    text = t(f"lack.{lack['kind']}", have=lack.get("have", 0), need=lack.get("need", 0),
             skill=name(lack.get("skill_name"), lack.get("skill") or ""),
             post=name(lack.get("post_name"), lack.get("post") or ""))
    if lack.get("legal") and lack.get("source"):
        return t("lack.with_source", lack=text, source=t(lack["source"]))
    return text


def lacks_text(lacks: list[dict], sep: str | None = None) -> str:
    """Every lack of a crew, joined; "meets the call's needs" when there is none."""
    from messages import lang, t
    if not lacks:
        return t("lack.none")
    return (sep or ("；" if lang() == "zh" else "; ")).join(lack_text(x) for x in lacks)
