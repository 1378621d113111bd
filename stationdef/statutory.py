"""The statutory public holidays of mainland China (《全国年节及纪念日放假办法》, 2024 revision,
in force from 2025): 元旦 1 day, 春节 4 days (除夕 to 初三), 清明节 1, 劳动节 2 (1-2 May),
端午节 1, 中秋节 1, 国庆节 3 (1-3 October): 13 days a year.

Their dates follow from the law and the lunar calendar alone, so they are known for any year;
the State Council's yearly notice (国务院办公厅关于某年部分节假日安排的通知) then adds the 调休
days off and the make-up workdays, which no rule derives. The dates come from the ``holidays``
package (its China calendar computes the lunar dates); see docs/holidays.md for what that
package knows and how it compares with the notices.
"""
from __future__ import annotations

from datetime import date

FESTIVALS = ("元旦", "春节", "清明", "劳动节", "端午", "中秋", "国庆")
FIRST_YEAR = 2025          # the 2024 revision: 除夕 and 2 May became statutory days
SOURCE = "statutory"        # the source recorded for such a day (no 调休 known)

_NAME = {"元旦": "元旦", "农历除夕": "春节", "春节": "春节", "清明节": "清明", "劳动节": "劳动节",
         "端午节": "端午", "中秋节": "中秋", "国庆节": "国庆"}


def statutory_days(year: int) -> dict[date, str]:
    """date -> festival (one of FESTIVALS; two joined by 、 when they fall on one day, as
    中秋、国庆 on 1 October 2031) of the statutory holidays of ``year`` (from 2025)."""
    if year < FIRST_YEAR:
        return {}
    import holidays
    found = holidays.China(years=year, observed=False, language="zh_CN")
    out = {}
    for d in sorted(found):
        names = list(dict.fromkeys(_NAME[n] for n in found.get_list(d) if n in _NAME))
        if names:
            out[d] = "、".join(names)
    return out


def festival_dates(year: int) -> dict[str, list[date]]:
    """festival -> its statutory dates in ``year``."""
    out: dict[str, list[date]] = {f: [] for f in FESTIVALS}
    for d, names in statutory_days(year).items():
        for f in names.split("、"):
            out[f].append(d)
    return {f: ds for f, ds in out.items() if ds}


def holidays_version() -> str:
    import holidays
    return getattr(holidays, "__version__", "?")
