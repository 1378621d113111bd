"""Calendar use cases: official holidays from the chinese-calendar package, a file for later
years, and the day kind of each planning date (with a warning where nothing official is known)."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from db import calendar as cal_db
from errors import InputError, InputProblem
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


def _festivals_listed(year: int, listed: dict[date, dict]) -> list[str]:
    """The festivals of ``year`` the file lists: a holiday on (or within 3 days of) one of the
    festival's statutory dates, or a listed day named after it."""
    from stationdef.statutory import FESTIVALS, festival_dates
    dates = festival_dates(year)
    out = []
    for f in FESTIVALS:
        near = any(row["kind"] == "holiday" and any(abs((d - x).days) <= 3 for x in dates.get(f, ()))
                   for d, row in listed.items())
        named = any(f in (row.get("name") or "") for row in listed.values())
        if near or named:
            out.append(f)
    return out


def partial_text(year: int, present: list[str], missing: list[str]) -> str:
    from messages import t
    sep = "、" if _lang() == "zh" else ", "
    if present:
        return t("cal.partial", year=year, present=sep.join(present), missing=sep.join(missing))
    return t("cal.partial_none", year=year, missing=sep.join(missing))


def _lang() -> str:
    from messages import lang
    return lang()


def import_calendar_file(session: Session, path: str | Path, *, allow_partial: bool = False) -> dict:
    """Load a year's special days (holidays, 调休 workdays) from a file.

    A year whose file lists all seven festivals of the State Council's notice (元旦, 春节, 清明,
    劳动节, 端午, 中秋, 国庆) is stored whole: its other days become ordinary workdays and
    weekends. A year that misses some is refused (bad input, naming what is missing), or with
    ``allow_partial`` only its listed days are stored and the rest of the year stays without
    official data (and is reported so everywhere). Days listed at the edge of a neighbouring
    year (元旦 days off in late December) are stored as listed."""
    from messages import t
    from stationdef.calendar_file import load_calendar_file
    from stationdef.statutory import FESTIVALS, FIRST_YEAR
    session.require_action("calendar_import")
    days = load_calendar_file(path)
    name = Path(path).name
    by_year: dict[int, dict[date, dict]] = {}
    for d in days:
        if d.get("listed"):
            by_year.setdefault(int(d["date"][:4]), {})[date.fromisoformat(d["date"])] = d
    years = sorted(by_year)
    edge = {y for y in years if (y + 1 in by_year and all(d >= date(y, 12, 20) for d in by_year[y]))
            or (y - 1 in by_year and all(d <= date(y, 1, 10) for d in by_year[y]))}
    partial: dict[int, dict] = {}
    for y in years:
        if y in edge or y < FIRST_YEAR:
            continue
        present = _festivals_listed(y, by_year[y])
        missing = [f for f in FESTIVALS if f not in present]
        if missing:
            partial[y] = {"present": present, "missing": missing, "text": partial_text(y, present, missing)}
    if partial and not allow_partial:
        raise InputError(InputProblem(file=str(path), field="kind", message=t(
            "cal.partial_refused", what="; ".join(p["text"] for p in partial.values()))))
    rows = []
    for d in days:
        y = int(d["date"][:4])
        if y in edge or y in partial:
            if d.get("listed"):
                rows.append({"date": d["date"], "kind": d["kind"], "name": d["name"],
                             "source": f"file:{name}" + (" (partial)" if y in partial else "")})
        else:
            rows.append({"date": d["date"], "kind": d["kind"], "name": d["name"], "source": f"file:{name}"})
    warnings = [p["text"] + t("cal.partial_kept") for p in partial.values()]
    with session.sdb.write():
        cal_db.save_days(session.sdb, rows)
        session.audit("calendar.import", entity="calendar", entity_id=",".join(map(str, years)),
                      after={"file": str(path), "days": len(rows),
                             "holidays": sum(d["kind"] == "holiday" for d in rows),
                             "adjusted_workdays": sum(d["kind"] == "adjusted_workday" for d in rows),
                             "partial": {str(y): p["missing"] for y, p in partial.items()} or None})
    out = {"years": years, "days": len(rows),
           "holidays": sum(d["kind"] == "holiday" for d in rows),
           "adjusted_workdays": sum(d["kind"] == "adjusted_workday" for d in rows)}
    if partial:
        out["partial"] = {str(y): {"listed": p["present"], "missing": p["missing"]} for y, p in partial.items()}
        out["warnings"] = warnings
    return out


def _statutory(year: int, cache: dict) -> dict[date, str]:
    from stationdef.statutory import statutory_days
    if year not in cache:
        try:
            cache[year] = statutory_days(year)
        except ImportError:           # the holidays package missing: plain Mon-Fri only
            cache[year] = {}
    return cache[year]


def day_info(session: Session, start: date, days: int) -> dict[date, dict]:
    """Each planning date: {kind, name, source, official}. Days with no calendar data are
    planned as their statutory holiday (元旦, 春节, ... from the law and the lunar calendar,
    source ``statutory``) or as a plain Mon-Fri workday / Sat-Sun weekend (source ``plain``);
    neither is official: the State Council's 调休 days are unknown there."""
    end = start + timedelta(days=days - 1)
    known = cal_db.day_kinds(session.sdb, start, end)
    cache: dict = {}
    out: dict[date, dict] = {}
    d = start
    while d <= end:
        if d in known:
            row = known[d]
            out[d] = {"kind": row["kind"], "name": row["name"], "source": row["source"], "official": True}
        else:
            fest = _statutory(d.year, cache).get(d)
            if fest:
                out[d] = {"kind": "holiday", "name": fest, "source": "statutory", "official": False}
            else:
                out[d] = {"kind": "weekend" if d.weekday() >= 5 else "workday", "name": None, "source": "plain",
                          "official": False}
        d += timedelta(days=1)
    return out


def _unofficial_warning(year: int, info: dict[date, dict]):
    from messages import Items, Msg
    stat = sorted(d for d, x in info.items() if d.year == year and x["source"] == "statutory")
    if stat:
        spans: list[list] = []          # [festival, first, last]
        for d in stat:
            if spans and spans[-1][0] == info[d]["name"] and (d - spans[-1][2]).days == 1:
                spans[-1][2] = d
            else:
                spans.append([info[d]["name"], d, d])
        names = [f"{n} {a.month}/{a.day}" + (f"-{b.month}/{b.day}" if b != a else "") for n, a, b in spans]
        return Msg("cal.no_official_statutory", year=year, days=Items(names))
    return Msg("cal.no_official", year=year)


def day_kinds(session: Session, start: date, days: int) -> tuple[dict[date, str], list]:
    """The kind of each planning date, and warnings (catalogue messages) for years without
    official data (see `day_info`)."""
    info = day_info(session, start, days)
    missing_years = sorted({d.year for d, x in info.items() if not x["official"]})
    return {d: x["kind"] for d, x in info.items()}, [_unofficial_warning(y, info) for y in missing_years]


def unofficial_days(session: Session, start: date, days: int) -> list[date]:
    """The days of a period that no official calendar data covers (planned from the statutory
    days or as plain Mon-Fri)."""
    return [d for d, x in day_info(session, start, days).items() if not x["official"]]


def calendar_record(session: Session, start: date, days: int) -> dict:
    """Where each day's kind came from, kept with a roster version and shown in its header:
    days per source, and the days without official data (with their years)."""
    info = day_info(session, start, days)
    sources: dict[str, int] = {}
    for x in info.values():
        sources[x["source"]] = sources.get(x["source"], 0) + 1
    unofficial = [d for d, x in info.items() if not x["official"]]
    return {"sources": sources, "days_without_official_data": [d.isoformat() for d in unofficial],
            "years_without_official_data": sorted({d.year for d in unofficial}),
            "statutory_days": [d.isoformat() for d, x in info.items() if x["source"] == "statutory"],
            "by_day": {d.isoformat(): x["source"] for d, x in info.items()}}


def unofficial_line(record: dict | None) -> str | None:
    """One line for a roster header, an approval dialog or the nightly report, or None."""
    from messages import t
    if not record or not record.get("days_without_official_data"):
        return None
    ds = record["days_without_official_data"]
    years = "、".join(map(str, record["years_without_official_data"])) if _lang() == "zh" else \
        ", ".join(map(str, record["years_without_official_data"]))
    return t("cal.header_unofficial", n=len(ds), first=ds[0], last=ds[-1], years=years)


def calendar_overview(session: Session, year: int | None = None) -> dict:
    years = cal_db.years_known(session.sdb)
    for y in years:
        n = (date(int(y["year"]) + 1, 1, 1) - date(int(y["year"]), 1, 1)).days
        y["complete"] = y["days"] == n
    out = {"years": years, "special_days": []}
    if year is not None:
        n = (date(year + 1, 1, 1) - date(year, 1, 1)).days
        info = day_info(session, date(year, 1, 1), n)
        _, warnings = day_kinds(session, date(year, 1, 1), n)
        out["special_days"] = [{"date": d.isoformat(), "kind": x["kind"], "name": x["name"], "source": x["source"],
                                "official": x["official"]}
                               for d, x in info.items() if x["kind"] in ("holiday", "adjusted_workday")]
        out["warnings"] = warnings
        out["days_without_official_data"] = sum(not x["official"] for x in info.values())
    return out
