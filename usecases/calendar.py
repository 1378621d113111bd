"""Calendar use cases: official holidays from the chinese-calendar package, a file for later
years, and the day kind of each planning date (with a warning where nothing official is known)."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from db import calendar as cal_db
from usecases.context import Session

PACKAGE_SOURCE = "chinese-calendar"


def package_years() -> range:
    import chinese_calendar
    from chinese_calendar import constants
    del chinese_calendar
    return range(min(constants.holidays).year, max(constants.holidays).year + 1)


def package_days(year: int) -> list[dict]:
    """All days of a year, classified from the chinese-calendar package."""
    import chinese_calendar as cc
    out = []
    d = date(year, 1, 1)
    while d.year == year:
        is_holiday, name = cc.get_holiday_detail(d)
        if name and is_holiday:
            kind = "holiday"
        elif not is_holiday and d.weekday() >= 5:
            kind = "adjusted_workday"
        elif is_holiday:
            kind = "weekend"
        else:
            kind = "workday"
        out.append({"date": d.isoformat(), "kind": kind, "name": name, "source": PACKAGE_SOURCE})
        d += timedelta(days=1)
    return out


def load_package_calendar(session: Session, *, from_year: int | None = None) -> list[int]:
    """Fill calendar_days from the package for from_year (default: last year) up to its newest year.

    Must run inside a write transaction. Returns the years loaded."""
    years = package_years()
    first = from_year if from_year is not None else date.today().year - 1
    loaded = [y for y in years if y >= first]
    for y in loaded:
        cal_db.save_days(session.sdb, package_days(y))
    return loaded


def import_calendar_file(session: Session, path: str | Path) -> dict:
    from stationdef.calendar_file import load_calendar_file
    session.require_action("calendar_import")
    days = load_calendar_file(path)
    for d in days:
        d["source"] = f"file:{Path(path).name}"
    years = sorted({d["date"][:4] for d in days})
    with session.sdb.write():
        cal_db.save_days(session.sdb, days)
        session.audit("calendar.import", entity="calendar", entity_id=",".join(years),
                      after={"file": str(path), "days": len(days),
                             "holidays": sum(d["kind"] == "holiday" for d in days),
                             "adjusted_workdays": sum(d["kind"] == "adjusted_workday" for d in days)})
    return {"years": [int(y) for y in years], "days": len(days),
            "holidays": sum(d["kind"] == "holiday" for d in days),
            "adjusted_workdays": sum(d["kind"] == "adjusted_workday" for d in days)}


def day_kinds(session: Session, start: date, days: int) -> tuple[dict[date, str], list[str]]:
    """The kind of each planning date, and warnings for years without official data.

    Dates in a year with no calendar data fall back to Mon–Fri workday / Sat–Sun weekend."""
    end = start + timedelta(days=days - 1)
    known = cal_db.day_kinds(session.sdb, start, end)
    kinds: dict[date, str] = {}
    missing_years: set[int] = set()
    d = start
    while d <= end:
        if d in known:
            kinds[d] = known[d]["kind"]
        else:
            missing_years.add(d.year)
            kinds[d] = "weekend" if d.weekday() >= 5 else "workday"
        d += timedelta(days=1)
    warnings = [f"no official holiday data for {y}: public holidays and 调休 workdays are unknown, so plain "
                f"Mon-Fri/Sat-Sun is assumed. Load them with `dutydesk calendar import FILE`."
                for y in sorted(missing_years)]
    return kinds, warnings


def unofficial_days(session: Session, start: date, days: int) -> list[date]:
    """The days of a period that no official calendar data covers (planned as plain Mon-Fri)."""
    end = start + timedelta(days=days - 1)
    known = cal_db.day_kinds(session.sdb, start, end)
    return [start + timedelta(days=i) for i in range(days) if start + timedelta(days=i) not in known]


def calendar_overview(session: Session, year: int | None = None) -> dict:
    years = cal_db.years_known(session.sdb)
    out = {"years": years, "special_days": []}
    if year is not None:
        kinds, warnings = day_kinds(session, date(year, 1, 1), (date(year + 1, 1, 1) - date(year, 1, 1)).days)
        rows = cal_db.day_kinds(session.sdb, date(year, 1, 1), date(year, 12, 31))
        out["special_days"] = [{"date": d.isoformat(), "kind": r["kind"], "name": r["name"]}
                               for d, r in rows.items() if r["kind"] in ("holiday", "adjusted_workday")]
        out["warnings"] = warnings
    return out
