"""Reading single values the way Chinese station clerks write them.

Dates: Excel serial numbers, 2026-12-01, 2026/12/1, 2026.12.1, 2026年12月1日, datetime objects.
Each parser returns the value or raises errors.BadValue (a ValueError) with a catalogue message a
clerk can act on (messages/input.py).
"""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from errors import BadValue
from messages import Msg

_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_DATETIME_TAIL = re.compile(r"^(.*?\d)[ T]\d{1,2}:\d{2}(:\d{2})?$")


def clean(value) -> str:
    """A cell as trimmed text ('' for empty); full-width spaces count as spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\u3000", " ").strip()


def parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial(value)
    text = clean(value)
    if not text:
        raise BadValue(Msg("cell.date_required"))
    if text.isdigit() and len(text) <= 6:  # an Excel serial that came through as text
        return _serial(int(text))
    m = _DATETIME_TAIL.match(text)
    if m:
        text = m.group(1)
    m = _DATE_RE.match(text)
    if not m:
        raise BadValue(Msg("cell.not_a_date", text=text))
    y, mo, d = (int(g) for g in m.groups())
    try:
        return date(y, mo, d)
    except ValueError:
        raise BadValue(Msg("cell.not_a_real_date", text=text)) from None


_SERIAL_MIN, _SERIAL_MAX = 18264, 73051   # Excel serials of 1950-01-01 and 2100-01-01


def _serial(value) -> date:
    """An Excel date serial; small numbers like 13 are refused rather than read as 1900 dates."""
    if value != value or not _SERIAL_MIN <= value < _SERIAL_MAX:
        raise BadValue(Msg("cell.serial_out_of_range", value=repr(value)))
    return _EXCEL_EPOCH + timedelta(days=int(value))


_SEX = {"男": "M", "m": "M", "male": "M", "女": "F", "f": "F", "female": "F"}


def parse_sex(value) -> str:
    text = clean(value).lower()
    if text in _SEX:
        return _SEX[text]
    raise BadValue(Msg("cell.not_a_sex", text=clean(value)))


_PERSON_TYPE = {
    "民警": "sworn", "sworn": "sworn", "police": "sworn", "警察": "sworn",
    "勤务辅警": "duty_aux", "duty_aux": "duty_aux",
    "文职辅警": "civil_aux", "civil_aux": "civil_aux",
    "治安协理员": "assistant", "协理员": "assistant", "assistant": "assistant",
}


def parse_person_type(value) -> str:
    text = clean(value)
    key = text.lower().replace(" ", "_")
    if key in _PERSON_TYPE:
        return _PERSON_TYPE[key]
    if key in _GENERIC_AUX:      # both kinds are 辅警, and only one may enforce: never guess
        raise BadValue(Msg("people.generic_aux", value=text))
    raise BadValue(Msg("cell.not_a_person_type", text=text))


_GENERIC_AUX = {"辅警", "警务辅助人员", "auxiliary", "aux"}

_TRUE = {"1", "true", "yes", "y", "是", "在岗", "在职", "√"}
_FALSE = {"0", "false", "no", "n", "否", "离岗", "不在岗", "离职", "×"}


def parse_bool(value, *, default: bool | None = None) -> bool:
    if isinstance(value, bool):
        return value
    text = clean(value).lower()
    if not text and default is not None:
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise BadValue(Msg("cell.not_yes_no", text=clean(value)))


def parse_int(value, *, minimum: int | None = None, default: int | None = None) -> int:
    if isinstance(value, bool):
        raise BadValue(Msg("cell.not_whole", text=repr(value)))
    text = clean(value)
    if not text:
        if default is not None:
            return default
        raise BadValue(Msg("cell.whole_required"))
    try:
        n = int(float(text)) if re.fullmatch(r"-?\d+(\.0+)?", text) else int(text)
    except ValueError:
        raise BadValue(Msg("cell.not_whole", text=f"'{text}'")) from None
    if minimum is not None and n < minimum:
        raise BadValue(Msg("cell.too_small", n=n, minimum=minimum))
    return n


_HHMM = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")


def parse_hhmm(value, *, allow_24: bool = False) -> str:
    text = clean(value)
    m = _HHMM.match(text)
    if not m or (m.group(1) == "24" and (not allow_24 or m.group(2) != "00")):
        raise BadValue(Msg("cell.not_a_time", text=text))
    return f"{int(m.group(1)):02d}:{m.group(2)}"


SPLIT_LIST = re.compile(r"[;；,，、|]+")


def split_list(value) -> list[str]:
    return [p.strip() for p in SPLIT_LIST.split(clean(value)) if p.strip()]


# -- dates as HR lists (花名册) write them: months alone, years alone -------------------------------

_MONTH_RE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*(?:份)?\s*$")
_YEAR_RE = re.compile(r"^\s*(\d{4})\s*(?:\.0+)?\s*年?\s*$")
_EXPIRY_PREFIX = re.compile(r"^\s*(?:有效期至|有效期到|有效期|有效至|截止日期|截止|到期日|到期|至|到)\s*[:：]?\s*")
FIRST_YEAR = 1950


def _month(text: str) -> tuple[int, int] | None:
    m = _MONTH_RE.match(text)
    if not m:
        return None
    y, mo = int(m.group(1)), int(m.group(2))
    return (y, mo) if 1 <= mo <= 12 and FIRST_YEAR <= y < 2100 else None


def parse_expiry(value) -> date:
    """The date a skill or qualification expires: a date, or a month alone read as its last day
    (2027年6月, 2027-06); 有效期至 / 至 before it is allowed (有效期至2027年6月)."""
    if isinstance(value, (date, datetime)) or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return parse_date(value)
    text = _EXPIRY_PREFIX.sub("", clean(value))
    month = _month(text)
    if month:
        return date(month[0], month[1], calendar.monthrange(*month)[1])
    if _DATE_RE.match(text) or _DATETIME_TAIL.match(text):
        return parse_date(text)             # a date in form: its own message if it is not a real one
    try:
        return parse_date(text)
    except ValueError:
        raise BadValue(Msg("people.not_an_expiry", value=clean(value))) from None


def parse_start(value) -> date:
    """When work or police service began (参加工作时间, 入警时间): a date, a month alone (its first
    day: 2010年7月, 2010-07, 2010.07) or a year alone (1 January)."""
    if isinstance(value, (date, datetime)):
        return parse_date(value)
    text = clean(value)
    if isinstance(value, float) and not value.is_integer():
        # a number cell like 2010.1 may have been 2010.10 (October): Excel drops the zero
        raise BadValue(Msg("people.not_a_start", value=text))
    year = _YEAR_RE.match(text)
    if year and FIRST_YEAR <= int(year.group(1)) < 2100:
        return date(int(year.group(1)), 1, 1)
    month = _month(text)
    if month:
        return date(month[0], month[1], 1)
    try:
        return parse_date(value if isinstance(value, (int, float)) and not isinstance(value, bool) else text)
    except ValueError:
        raise BadValue(Msg("people.not_a_start", value=text)) from None


def parse_year(value, *, today: date) -> int:
    """A year alone (入警年份): 2010, 2010年, a number cell, or a date cell (its year)."""
    if isinstance(value, (date, datetime)):
        year = value.year
    else:
        text = clean(value)
        m = _YEAR_RE.match(text)
        if not m or isinstance(value, bool):
            raise BadValue(Msg("people.not_a_year", value=text))
        year = int(m.group(1))
    if not FIRST_YEAR <= year <= today.year:
        raise BadValue(Msg("people.year_range", value=year, year=today.year))
    return year


def whole_years(start: date, today: date) -> int:
    """Completed years from `start` to `today` (0 when `start` is later)."""
    return max(0, today.year - start.year - ((today.month, today.day) < (start.month, start.day)))

