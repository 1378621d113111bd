"""Reading a leave list (请假登记) from CSV or XLSX (Chinese or English headers).

| field           | headers accepted            | example                                  |
|-----------------|-----------------------------|------------------------------------------|
| badge (required)| 警号, 编号, 工号, badge        | 061024 (kept as text)                    |
| start (required)| 开始日期, 开始, 起始日期, start  | 2026-12-01, 2026/12/1, 2026年12月1日, Excel date |
| end             | 结束日期, 结束, 截止日期, end     | empty: a single day                      |
| kind (required) | 类型, 假别, 请假类型, kind       | 年休假 / annual, 病假 / sick, ...          |
| note            | 备注, 事由, note               |                                          |

Rows are numbered as a spreadsheet shows them (header = row 1). The reader checks each row on
its own and against the station's badges; comparing with leave already recorded is the use
case's job (stationdef/ does not read the database).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from errors import InputError, InputProblem
from stationdef import cells
from stationdef.people_file import Table, _badge, map_columns, screen_cells

# code -> (Chinese name, English name); the same codes as the database's leave.kind
LEAVE_KINDS: dict[str, tuple[str, str]] = {
    "annual": ("年休假", "annual leave"),
    "sick": ("病假", "sick leave"),
    "training": ("培训", "training"),
    "personal": ("事假", "personal leave"),
    "compensatory": ("补休", "compensatory time off"),
    "unavailable": ("不可用", "unavailable"),
    "other": ("其他", "other"),
}
_KIND_ALIASES = {"年假": "annual", "年休": "annual", "带薪年休假": "annual", "病休": "sick", "学习": "training",
                 "学习培训": "training", "私事": "personal", "调休": "compensatory", "倒休": "compensatory",
                 "unavailable": "unavailable", "其它": "other"}
_KINDS = ({c: c for c in LEAVE_KINDS} | {zh: c for c, (zh, _) in LEAVE_KINDS.items()}
          | {en: c for c, (_, en) in LEAVE_KINDS.items()} | _KIND_ALIASES)

HEADERS: dict[str, tuple[str, ...]] = {
    "badge": ("警号", "编号", "工号", "badge", "badge_no"),
    "name": ("姓名", "name"),
    "start": ("开始日期", "开始", "起始日期", "开始时间", "start", "from", "start_date"),
    "end": ("结束日期", "结束", "截止日期", "结束时间", "end", "to", "end_date"),
    "kind": ("类型", "假别", "请假类型", "kind", "type"),
    "note": ("备注", "事由", "note", "notes"),
}
REQUIRED = ("badge", "start", "kind")
PLAUSIBLE_YEARS = range(2000, 2100)


@dataclass(frozen=True)
class LeaveEntry:
    badge: str
    start: date
    end: date
    kind: str
    note: str | None = None
    row: int | None = None        # spreadsheet row it came from (None: typed on the command line)

    @property
    def key(self) -> tuple[str, date, date, str]:
        """What makes two leave entries the same (the note is not part of it)."""
        return (self.badge, self.start, self.end, self.kind)


def parse_kind(value) -> str:
    text = cells.clean(value)
    if not text:
        raise ValueError("the kind of leave is empty; use e.g. 年休假, 病假, 培训, 事假 or 补休")
    kind = _KINDS.get(text.lower())
    if kind is None:
        raise ValueError(f"'{text}' is not a kind of leave; use "
                         + ", ".join(f"{zh}/{c}" for c, (zh, _) in LEAVE_KINDS.items())
                         + " (for any other kind write 其他 and name it in 备注)")
    return kind


def parse_leave_date(value) -> date:
    d = cells.parse_date(value)
    if d.year not in PLAUSIBLE_YEARS:
        raise ValueError(f"{d.isoformat()} is not a plausible leave date (read from '{cells.clean(value)}'); "
                         "write it like 2026-12-01")
    return d


def resolve_badge(text: str, known: set[str]) -> str | None:
    """The known badge meant by `text`: exact, or a number whose leading zeros Excel dropped."""
    if text in known:
        return text
    if text.isdigit():
        hits = [b for b in known if b.isdigit() and b.lstrip("0") == text.lstrip("0")]
        if len(hits) == 1:
            return hits[0]
    return None


class TableRow:
    """One data row of a Table: cells by field, problems named by row and column, and the
    badge read as text (a number cell formatted 000000 gets its zeros back)."""

    def __init__(self, table: Table, cols: dict[str, int], n: int, problems: list[InputProblem],
                 screened: set[tuple[int, str]] = frozenset()):
        self.table, self.cols, self.problems, self.screened = table, cols, problems, screened
        self.row_no, self.values = table.rows[n]
        fmts = table.formats[n] if table.formats else []
        self._badge_fmt = fmts[cols["badge"]] if "badge" in cols and cols["badge"] < len(fmts) else None

    def cell(self, f: str):
        i = self.cols.get(f)
        return self.values[i] if i is not None and i < len(self.values) else None

    def text(self, f: str) -> str:
        return cells.clean(self.cell(f))

    def bad(self, f: str, message: str) -> None:
        if (self.row_no, f) in self.screened:
            return      # already reported (control character, length or cell type)
        self.problems.append(InputProblem(file=self.table.file, line=self.row_no, field=f, message=message,
                                          column=self.table.column_name(self.cols[f])))

    def badge(self) -> str:
        return _badge(self.cell("badge"), self._badge_fmt)


def parse_leave(table: Table, people: dict[str, str]) -> list[LeaveEntry]:
    """Validate every row against the station's people (badge -> name); raise InputError listing
    all problems by row and column. A name column, when present, must match the badge."""
    cols = map_columns(table, HEADERS, REQUIRED)
    problems: list[InputProblem] = []
    out: list[LeaveEntry] = []
    known = set(people)
    screened = screen_cells(table, cols, problems)
    bad_rows = {r for r, _ in screened}
    for n in range(len(table.rows)):
        row = TableRow(table, cols, n, problems, screened)
        before = -1 if row.row_no in bad_rows else len(problems)
        text = row.badge()
        badge = resolve_badge(text, known) if text else None
        if not text:
            row.bad("badge", "badge number is empty")
        elif badge is None:
            row.bad("badge", f"no person with badge '{text}' in this station (see `dutydesk people list`)")
        elif "name" in cols and row.text("name") and row.text("name") != people[badge]:
            row.bad("name", f"'{row.text('name')}' is not the name of badge {badge} ({people[badge]}); "
                            "check the badge number")
        start = end = None
        try:
            start = parse_leave_date(row.cell("start"))
        except ValueError as exc:
            row.bad("start", str(exc))
        if row.text("end"):
            try:
                end = parse_leave_date(row.cell("end"))
            except ValueError as exc:
                row.bad("end", str(exc))
        elif start is not None:
            end = start
        if start and end and end < start:
            row.bad("end", f"ends {end.isoformat()}, before it starts ({start.isoformat()})")
        kind = None
        try:
            kind = parse_kind(row.cell("kind"))
        except ValueError as exc:
            row.bad("kind", str(exc))
        if len(problems) == before:
            out.append(LeaveEntry(badge=badge, start=start, end=end, kind=kind, note=row.text("note") or None,
                                  row=row.row_no))
    if not table.rows:
        problems.append(InputProblem(file=table.file, line=2, message="no leave in the list"))
    if problems:
        raise InputError(problems)
    return out
