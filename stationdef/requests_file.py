"""Reading officers' wishes (排班意愿) from CSV or XLSX (Chinese or English headers).

| field            | headers accepted                     | example                                   |
|------------------|--------------------------------------|-------------------------------------------|
| badge (required) | 警号, 编号, 工号, badge                 | 061024 (kept as text)                     |
| start (required) | 日期, 开始日期, 开始, date, start, from  | 2026-12-24, 2026/12/24, 2026年12月24日     |
| end              | 结束日期, 结束, end, to                 | empty: a single day                       |
| shift            | 班次, shift                            | N, 夜班; empty, 任意 or any: any shift      |
| kind (required)  | 意愿, 类型, 要求, kind, wish             | 上班/想上/on, or 休息/不上/off               |
| weight           | 权重, 重要程度, 优先级, weight            | 1, 2 or 3 (empty: 1)                      |
| note             | 备注, 事由, 原因, note                   | 孩子家长会                                  |

Rows are numbered as a spreadsheet shows them (header = row 1); the readers and the value
parsers are shared with the leave list (`stationdef.leave_file`) and the command line.
"""
from __future__ import annotations

import math

from dataclasses import dataclass
from datetime import date

from errors import InputError, InputProblem, msg_of
from messages import t
from stationdef import cells
from stationdef.leave_file import TableRow, parse_leave_date, resolve_badge, who_and_when
from stationdef.people_file import Table, map_columns, screen_cells

HEADERS: dict[str, tuple[str, ...]] = {
    "badge": ("警号", "编号", "工号", "badge", "badge_no"),
    "name": ("姓名", "name"),
    "start": ("日期", "开始日期", "开始", "起始日期", "date", "start", "from", "start_date"),
    "end": ("结束日期", "结束", "截止日期", "end", "to", "end_date"),
    "shift": ("班次", "shift"),
    "kind": ("意愿", "类型", "要求", "kind", "wish", "type"),
    "weight": ("权重", "重要程度", "优先级", "weight", "priority"),
    "note": ("备注", "事由", "原因", "note", "notes"),
}
REQUIRED = ("badge", "start", "kind")
WEIGHTS = range(1, 4)
MAX_DAYS = 62                 # one wish entry covers at most two months
ANY = ("", "任意", "任何", "不限", "全天", "any", "*")
_ON = ("on", "上班", "想上", "要班", "值班", "work", "想上班")
_OFF = ("off", "休息", "不上", "不上班", "休", "rest", "想休息", "请休")


@dataclass(frozen=True)
class RequestEntry:
    badge: str
    start: date
    end: date
    shift: str | None          # None: any shift
    kind: str                  # on | off
    weight: int = 1
    note: str | None = None
    row: int | None = None     # spreadsheet row (None: typed)

    @property
    def days(self) -> list[date]:
        from datetime import timedelta
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


def parse_wish_kind(value) -> str:
    text = cells.clean(value).lower()
    if text in _ON:
        return "on"
    if text in _OFF:
        return "off"
    raise ValueError(t("req.bad_kind", value=cells.clean(value)))


def parse_shift(value, shifts: dict[str, str]) -> str | None:
    """A shift code or name of the station (``shifts``: code -> name), or None for any shift."""
    text = cells.clean(value)
    if text.lower() in ANY:
        return None
    if text in shifts:
        return text
    by_name = [c for c, n in shifts.items() if n == text or c.lower() == text.lower()]
    if len(by_name) == 1:
        return by_name[0]
    raise ValueError(t("req.bad_shift", value=text, known=", ".join(f"{c} ({n})" for c, n in shifts.items())))


def parse_weight(value) -> int:
    text = cells.clean(value)
    if not text:
        return 1
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or not math.isfinite(number) or number != int(number) or int(number) not in WEIGHTS:
        raise ValueError(t("req.bad_weight", value=text))
    return int(number)


def check_span(start: date, end: date) -> None:
    if end < start:
        raise ValueError(t("req.bad_span", end=end.isoformat(), start=start.isoformat()))
    if (end - start).days + 1 > MAX_DAYS:
        raise ValueError(t("req.too_long", n=(end - start).days + 1, most=MAX_DAYS))


def parse_requests(table: Table, people: dict[str, str], shifts: dict[str, str]) -> list[RequestEntry]:
    """Validate every row against the station's people (badge -> name) and shifts (code ->
    name); raise InputError listing all problems by row and column."""
    cols = map_columns(table, HEADERS, REQUIRED)
    problems: list[InputProblem] = []
    out: list[RequestEntry] = []
    known = set(people)
    screened = screen_cells(table, cols, problems)
    bad_rows = {r for r, _ in screened}
    for n in range(len(table.rows)):
        row = TableRow(table, cols, n, problems, screened)
        before = -1 if row.row_no in bad_rows else len(problems)
        badge, start, end = who_and_when(row, people, known)
        if start and end:
            try:
                check_span(start, end)
            except ValueError as exc:
                row.bad("end", msg_of(exc))
        values = {}
        for field, parse in (("shift", lambda v: parse_shift(v, shifts)), ("kind", parse_wish_kind),
                             ("weight", parse_weight)):
            try:
                values[field] = parse(row.cell(field))
            except ValueError as exc:
                row.bad(field, msg_of(exc))
        if len(problems) == before:
            out.append(RequestEntry(badge=badge, start=start, end=end, shift=values["shift"], kind=values["kind"],
                                    weight=values["weight"], note=row.text("note") or None, row=row.row_no))
    seen: dict[tuple[str, date], list[RequestEntry]] = {}
    for e in out:
        for d in e.days:
            for other in seen.get((e.badge, d), ()):
                if other.kind != e.kind and (other.shift is None or e.shift is None or other.shift == e.shift):
                    problems.append(InputProblem(file=table.file, line=e.row, field="kind",
                                                 column=table.column_name(cols["kind"]),
                                                 message=t("req.clash_file", other_row=other.row)))
                    break
            seen.setdefault((e.badge, d), []).append(e)
    if not table.rows:
        problems.append(InputProblem(file=table.file, line=2, message=t("req.empty_file")))
    if problems:
        raise InputError(problems)
    return out
