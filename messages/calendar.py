"""Messages of the holiday calendar (issue 23 item 7): years without official data, partial
imports, the line in roster headers, approval summaries and the nightly report."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "cal.no_official": ("{year}年没有官方节假日数据：法定节假日和调休未知，按周一至周五上班、周六周日休息排班。"
                        "请用 `dutydesk calendar import FILE` 导入国务院办公厅的放假安排",
                        "no official holiday data for {year}: public holidays and 调休 workdays are unknown, so plain "
                        "Mon-Fri/Sat-Sun is assumed. Load them with `dutydesk calendar import FILE`"),
    "cal.no_official_statutory": ("{year}年没有官方节假日数据：只按法律规定的法定节假日排班（{days}），"
                                  "国务院的调休放假和调休上班日未知。请用 `dutydesk calendar import FILE` 导入放假安排",
                                  "no official holiday data for {year}: only the statutory holidays are planned "
                                  "({days}); the State Council's 调休 days off and make-up workdays are unknown. "
                                  "Load them with `dutydesk calendar import FILE`"),
    "cal.partial": ("{year}年：只列出了{present}；缺少{missing}", "{year}: only {present} listed; {missing} missing"),
    "cal.partial_none": ("{year}年：没有列出任何节日；缺少{missing}", "{year}: no festival listed; {missing} missing"),
    "cal.partial_refused": ("{what}。请在文件中列出国务院通知的全部节日（放假日和调休上班日），"
                            "或加 --allow-partial 只导入所列日期（该年其余日期仍按无官方数据处理并提示）",
                            "{what}. List every festival of the State Council's notice (days off and make-up "
                            "workdays), or add --allow-partial to load only the days listed (the rest of the year "
                            "stays without official data, and says so)"),
    "cal.partial_kept": ("；只导入了所列日期，该年其余日期仍没有官方数据",
                         "; only the listed days were loaded, the rest of the year stays without official data"),
    "cal.header_unofficial": ("{n}天没有官方节假日数据（{first}至{last}，{years}年）：法定节假日和调休可能不准",
                              "{n} day(s) without official holiday data ({first} to {last}, {years}): public "
                              "holidays and 调休 workdays may be wrong"),
    "cal.header_short": ("{n}天无官方节假日数据", "{n} day(s) without official holiday data"),
    "cal.morning": ("未批准的排班草稿中有{n}天没有官方节假日数据（{first}至{last}）",
                    "{n} day(s) of draft rosters without official holiday data ({first} to {last})"),
    "cal.loaded": ("已导入{years}：{holidays}个节假日、{adjusted}个调休上班日（共{days}天）",
                   "Loaded {years}: {holidays} holidays, {adjusted} 调休 workdays ({days} days)."),
}
