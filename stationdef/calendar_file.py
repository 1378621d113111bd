"""Reading a holiday calendar file for a year the chinese-calendar package does not know yet.

CSV (or XLSX) with a header row and the columns:
    date  (日期)   2027-01-01, 2027/1/1 or 2027年1月1日
    kind  (类型)   holiday / 节假日 / 休, or adjusted_workday / 调休 / 班 (a weekend day that is worked)
    name  (名称)   optional, e.g. 元旦
Only the special days are listed; the other days of each year in the file are ordinary
workdays (Mon–Fri) and weekends (Sat, Sun).
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from errors import InputError, InputProblem
from stationdef import cells
from stationdef.people_file import map_columns, read_table, screen_cells

YEARS = range(2000, 2100)
HEADERS = {"date": ("日期", "date"), "kind": ("类型", "kind", "type"), "name": ("名称", "节日", "name")}
_KINDS = {"holiday": "holiday", "节假日": "holiday", "假": "holiday", "休": "holiday", "法定节假日": "holiday",
          "adjusted_workday": "adjusted_workday", "调休": "adjusted_workday", "班": "adjusted_workday",
          "上班": "adjusted_workday", "调休上班": "adjusted_workday", "workday": "workday",
          "weekend": "weekend"}


def load_calendar_file(path: str | Path) -> list[dict]:
    """Return {date, kind, name} for every day of every year the file mentions."""
    table = read_table(path)
    cols = map_columns(table, HEADERS, ("date", "kind"))
    problems: list[InputProblem] = []
    screened = screen_cells(table, cols, problems)
    bad_rows = {r for r, _ in screened}
    special: dict[date, dict] = {}
    for row_no, row in table.rows:
        if row_no in bad_rows:
            continue
        def cell(f):
            i = cols.get(f)
            return row[i] if i is not None and i < len(row) else None
        try:
            d = cells.parse_date(cell("date"))
        except ValueError as exc:
            problems.append(InputProblem(file=table.file, line=row_no, column=table.column_name(cols["date"]),
                                         field="date", message=str(exc)))
            continue
        if d.year not in YEARS:
            problems.append(InputProblem(file=table.file, line=row_no, column=table.column_name(cols["date"]),
                                         field="date", message=f"{d} is not in the years a calendar is kept for "
                                                               f"({YEARS.start}-{YEARS.stop - 1})"))
            continue
        kind_text = cells.clean(cell("kind"))
        kind = _KINDS.get(kind_text.lower())
        if kind is None:
            problems.append(InputProblem(file=table.file, line=row_no, column=table.column_name(cols["kind"]),
                                         field="kind", message=f"'{kind_text}' is not a day kind; use holiday/节假日 "
                                                               "or adjusted_workday/调休"))
            continue
        if d in special:
            problems.append(InputProblem(file=table.file, line=row_no, column=table.column_name(cols["date"]),
                                         field="date", message=f"{d} is listed twice"))
            continue
        special[d] = {"kind": kind, "name": cells.clean(cell("name")) or None}
    if not special and not problems:
        problems.append(InputProblem(file=table.file, line=2, message="no days listed"))
    if problems:
        raise InputError(problems)
    days = []
    for year in sorted({d.year for d in special}):
        d = date(year, 1, 1)
        while d.year == year:
            s = special.get(d)
            days.append({"date": d.isoformat(),
                         "kind": s["kind"] if s else ("weekend" if d.weekday() >= 5 else "workday"),
                         "name": s["name"] if s else None})
            d += timedelta(days=1)
    return days
