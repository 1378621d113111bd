"""Messages of reading what users write (stationdef/cells.py, stationdef/text.py, the readers of
station files, people, leave and calendar lists): (Simplified Chinese, English)."""
from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "cell.date_required": ("必须填写日期", "a date is required"),
    "cell.not_a_date": ("“{text}”不是日期；请写成 2026-12-01、2026/12/1 或 2026年12月1日",
                        "'{text}' is not a date; write it like 2026-12-01, 2026/12/1 or 2026年12月1日"),
    "cell.not_a_real_date": ("“{text}”不是真实存在的日期", "'{text}' is not a real calendar date"),
    "cell.serial_out_of_range": ("{value} 不是1950至2099年之间的日期；请写成 2026-12-01",
                                 "{value} is not a date between 1950 and 2099; write it like 2026-12-01"),
    "cell.not_a_sex": ("“{text}”不是性别；请写 男/女 或 M/F", "'{text}' is not a sex; use 男/女 or M/F"),
    "cell.not_a_person_type": ("“{text}”不是人员类别；请写 民警、勤务辅警、文职辅警 或 治安协理员",
                               "'{text}' is not a person type; use 民警, 勤务辅警, 文职辅警 or 治安协理员 "
                               "(sworn, duty_aux, civil_aux, assistant)"),
    "cell.not_yes_no": ("“{text}”不是 是/否；请写 是/否 或 yes/no", "'{text}' is not yes/no; use 是/否 or yes/no"),
    "cell.not_whole": ("{text} 不是整数", "{text} is not a whole number"),
    "cell.whole_required": ("必须填写整数", "a whole number is required"),
    "cell.too_small": ("{n} 太小（至少 {minimum}）", "{n} is too small (at least {minimum})"),
    "cell.not_a_time": ("“{text}”不是时刻；请写成 HH:MM，如 08:00", "'{text}' is not a clock time; write it as HH:MM, e.g. 08:00"),
    "text.the_text": ("文字", "the text"),
    "text.control": ("{what}含有控制字符 {char}；请删除", "{what} holds the control character {char}; remove it"),
    "text.control_multiline": ("{what}含有控制字符 {char}（此处只允许换行和制表符）；请删除",
                               "{what} holds the control character {char} (only line breaks and tabs are allowed "
                               "here); remove it"),
    "text.too_long": ("{what}长{n}个字符；最多{max}个", "{what} is {n} characters long; at most {max} are allowed"),
}
