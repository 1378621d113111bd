"""Reading a people list from CSV or XLSX (Chinese or English headers).

Columns (header text, any order; Chinese or English):

| field            | headers accepted                       | example                         |
|------------------|----------------------------------------|---------------------------------|
| badge (required) | 警号, 编号, badge                        | 061024 (kept as text)           |
| name (required)  | 姓名, name                               | 王丽                            |
| sex (required)   | 性别, sex                                | 男 / 女 / M / F                 |
| person_type (req)| 人员类别, 身份, person_type, type          | 民警, 勤务辅警, 文职辅警, 治安协理员 |
| team             | 所属队室, 队室, 部门, team                  | 社区警务队 or community          |
| years_of_service | 工龄, 从警年限, years_of_service, years     | 12                              |
| skills           | 技能, 专长, skills                         | 巡逻;驾驶;办案@2027-06-30         |
| active           | 在岗, active                             | 是 / 否 (default 是)             |
| phone            | 电话, 手机, phone                         |                                 |
| note             | 备注, note                               |                                 |

Skills are skill codes or names separated by ; ， 、 or |, each optionally followed by
@DATE (the date it expires). Rows are numbered as a spreadsheet shows them (header = row 1).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from errors import InputError, InputProblem
from stationdef import cells
from stationdef import text as text_rules
from stationdef.model import Person, StationDef

HEADERS: dict[str, tuple[str, ...]] = {
    "badge": ("警号", "编号", "工号", "badge", "badge_no", "id"),
    "name": ("姓名", "名字", "name"),
    "sex": ("性别", "sex", "gender"),
    "person_type": ("人员类别", "人员类型", "类别", "身份", "person_type", "type"),
    "team": ("所属队室", "队室", "部门", "所属部门", "team"),
    "years_of_service": ("工龄", "从警年限", "年限", "years_of_service", "years"),
    "skills": ("技能", "专长", "skills"),
    "active": ("在岗", "是否在岗", "状态", "active"),
    "phone": ("电话", "手机", "联系电话", "phone"),
    "note": ("备注", "note", "notes"),
}
REQUIRED = ("badge", "name", "sex", "person_type")
MAX_FILE_BYTES = 20_000_000
MAX_ROWS = 20_000
MAX_COLUMNS = 200
# text fields: (longest text, line breaks allowed)
TEXT_LIMITS = {"badge": (text_rules.MAX_BADGE, False), "name": (text_rules.MAX_NAME, False),
               "team": (text_rules.MAX_NAME, False), "skills": (text_rules.MAX_SKILLS, False),
               "phone": (text_rules.MAX_SHORT, False), "note": (text_rules.MAX_NOTE, True),
               "sex": (text_rules.MAX_SHORT, False), "person_type": (text_rules.MAX_SHORT, False),
               "active": (text_rules.MAX_SHORT, False), "years_of_service": (text_rules.MAX_SHORT, False),
               "start": (text_rules.MAX_SHORT, False), "end": (text_rules.MAX_SHORT, False),
               "kind": (text_rules.MAX_SHORT, False), "date": (text_rules.MAX_SHORT, False)}
DATE_FIELDS = {"start", "end", "date"}      # fields where a date cell is what we want
_ALIAS = {a.lower(): f for f, aliases in HEADERS.items() for a in aliases}


@dataclass
class Table:
    """A sheet as header + rows of raw cell values, with spreadsheet row numbers."""

    file: str
    header: list[str]
    rows: list[tuple[int, list]]            # (row number, cells)
    letters: bool = False                   # name columns by letter (XLSX) as well as header
    formats: list[list[str]] | None = None  # number formats per cell (XLSX), for badges

    def column_name(self, idx: int) -> str:
        head = self.header[idx] if idx < len(self.header) else "?"
        if self.letters:
            from openpyxl.utils import get_column_letter
            return f"{get_column_letter(idx + 1)} ({head})"
        return head


def read_table(path: str | Path) -> Table:
    """Read the first sheet of an XLSX or a CSV (UTF-8, UTF-8 with BOM, or GB18030)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if not p.exists():
        raise InputError(InputProblem(file=str(p), message="no such file"))
    if not p.is_file():
        raise InputError(InputProblem(file=str(p), message="not a file (a folder or a device?); give a .csv or .xlsx file"))
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise InputError(InputProblem(file=str(p), message=f"cannot read the file: {exc.strerror}")) from None
    if size > MAX_FILE_BYTES:
        raise InputError(InputProblem(file=str(p), message=f"the file is {size // 1_000_000} MB; a list of a station's "
                                                           f"people or leave is far smaller (at most "
                                                           f"{MAX_FILE_BYTES // 1_000_000} MB)"))
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(p)
    if suffix in (".csv", ".txt"):
        return _read_csv(p)
    raise InputError(InputProblem(file=str(p), message=f"unsupported file type '{suffix}'; use .xlsx or .csv"))


def _read_csv(p: Path) -> Table:
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(InputProblem(file=str(p), message=f"cannot read the file: {exc.strerror}")) from None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise InputError(InputProblem(file=str(p), message="cannot decode the file; save it as UTF-8"))
    all_rows = parse_csv_text(text, str(p))
    if len(all_rows) > MAX_ROWS + 2 or any(len(r) > MAX_COLUMNS for r in all_rows[:1]):
        raise InputError(InputProblem(file=str(p), line=1, message=f"{len(all_rows) - 1} rows of up to "
                                                                   f"{max(map(len, all_rows))} columns; at most "
                                                                   f"{MAX_ROWS} rows of {MAX_COLUMNS} columns are read"))
    if not all_rows:
        raise InputError(InputProblem(file=str(p), line=1, message="the file is empty; a header row is needed"))
    header = [cells.clean(h) for h in all_rows[0]]
    rows = [(i, [text_rules.unneutralise(c) for c in r]) for i, r in enumerate(all_rows[1:], start=2)
            if any(cells.clean(c) for c in r)]
    return Table(file=str(p), header=header, rows=rows)


def _delimiter(text: str) -> str:
    """Comma (RFC 4180), or tab / semicolon when the header row is separated by those (Excel in
    some locales saves CSV with ';'). Only the header row is looked at, outside quotes."""
    first = text.split("\n", 1)[0]
    outside = re.sub(r'"[^"]*"', "", first)
    counts = {d: outside.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def parse_csv_text(text: str, file: str) -> list[list[str]]:
    """Records of an RFC 4180 CSV text: fields in double quotes may hold the delimiter, line breaks
    and doubled quotes (""). A malformed quote is refused with its line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), quotechar='"',
                        doublequote=True, skipinitialspace=False, strict=True)
    out = []
    try:
        for record in reader:
            out.append(record)
    except csv.Error as exc:
        raise InputError(InputProblem(file=file, line=reader.line_num or None,
                                      message=f"not a valid CSV file: {exc}; quote fields that hold commas, "
                                              'quotes or line breaks with "...", and double the quotes inside')) from None
    return out


def _read_xlsx(p: Path) -> Table:
    import zipfile
    import zlib

    from openpyxl import load_workbook
    broken = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError, EOFError)
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except broken as exc:
        raise InputError(InputProblem(file=str(p), message=f"not a readable XLSX workbook ({exc})")) from None
    try:
        return _xlsx_rows(p, wb)
    except broken as exc:
        raise InputError(InputProblem(file=str(p), message=f"the XLSX workbook is damaged ({type(exc).__name__}: "
                                                           f"{exc}); save it again from Excel")) from None
    finally:
        wb.close()


def _xlsx_rows(p: Path, wb) -> Table:
    """The first sheet's header and non-empty rows (may raise on a damaged file)."""
    ws = wb.worksheets[0]
    header: list[str] = []
    rows: list[tuple[int, list]] = []
    formats: list[list[str]] = []
    for r_idx, row in enumerate(ws.iter_rows(max_col=MAX_COLUMNS), start=1):
        if len(rows) > MAX_ROWS:
            break       # enough to say the sheet is too long; a zip bomb is not read to its end
        values = [c.value for c in row]
        if r_idx == 1:
            header = [cells.clean(v) for v in values]
            continue
        if any(cells.clean(v) for v in values):
            rows.append((r_idx, values))
            formats.append([getattr(c, "number_format", "General") or "General" for c in row])
    if not header:
        raise InputError(InputProblem(file=str(p), line=1, message="the sheet is empty; a header row is needed"))
    return Table(file=str(p), header=header, rows=rows, letters=True, formats=formats)


def map_columns(table: Table, known: dict[str, tuple[str, ...]], required: tuple[str, ...]) -> dict[str, int]:
    """Header text → field; reports unknown, duplicate and missing columns."""
    alias = {a.lower(): f for f, aliases in known.items() for a in aliases}
    problems: list[InputProblem] = []
    cols: dict[str, int] = {}
    for i, h in enumerate(table.header):
        if not h:
            continue
        f = alias.get(h.lower())
        if f is None:
            problems.append(InputProblem(file=table.file, line=1, column=table.column_name(i),
                                         message=f"unknown column '{h}'; expected some of: "
                                                 + ", ".join(f"{f} ({'/'.join(a[:2])})" for f, a in known.items())))
        elif f in cols:
            problems.append(InputProblem(file=table.file, line=1, column=table.column_name(i),
                                         message=f"column for '{f}' appears twice"))
        else:
            cols[f] = i
    for f in required:
        if f not in cols:
            problems.append(InputProblem(file=table.file, line=1, field=f,
                                         message=f"required column '{f}' is missing (header "
                                                 f"{' or '.join(known[f][:1] + known[f][-1:])})"))
    if problems:
        raise InputError(problems)
    return cols


def screen_cells(table: Table, cols: dict[str, int], problems: list[InputProblem]) -> set[tuple[int, str]]:
    """Check every mapped cell's type, control characters and length before any field is read.

    Appends a problem per bad cell (file, row, column, field) and returns {(row, field)} of
    them, so the field readers do not report the same cell again."""
    import math
    from datetime import date, datetime, time
    bad: set[tuple[int, str]] = set()
    if len(table.rows) > MAX_ROWS:
        problems.append(InputProblem(file=table.file, line=MAX_ROWS + 2,
                                     message=f"{len(table.rows)} rows; at most {MAX_ROWS} are read"))
    for row_no, row in table.rows:
        for f, i in cols.items():
            if i >= len(row) or row[i] is None:
                continue
            v = row[i]
            msg = None
            if isinstance(v, (datetime, date, time)) and f not in DATE_FIELDS:
                msg = (f"a date/time cell ({v}) where text is expected; format the column as text (文本) "
                       "and type the value again")
            elif isinstance(v, bool) and f != "active":
                msg = f"a TRUE/FALSE cell where {'text' if f not in ('years_of_service',) else 'a number'} is expected"
            elif isinstance(v, float) and not math.isfinite(v):
                msg = f"{v} is not a number a clerk would write"
            elif isinstance(v, str):
                max_len, multi = TEXT_LIMITS.get(f, (text_rules.MAX_SHORT, False))
                try:
                    text_rules.check(v.strip(), max_len=max_len, multiline=multi, what=f"the {f}")
                except ValueError as exc:
                    msg = str(exc)
            if msg:
                bad.add((row_no, f))
                problems.append(InputProblem(file=table.file, line=row_no, column=table.column_name(i), field=f,
                                             message=msg))
    return bad


def _badge(value, fmt: str | None) -> str:
    """Badge numbers are text. A number cell formatted as 000000 gets its zeros back."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and fmt and set(fmt) == {"0"}:
        return str(value).zfill(len(fmt))
    return cells.clean(value)


def parse_people(table: Table, station: StationDef) -> list[Person]:
    """Validate every row against the station's teams and skills; raise InputError listing all problems."""
    cols = map_columns(table, HEADERS, REQUIRED)
    teams = {t.code: t.code for t in station.teams} | {t.name: t.code for t in station.teams}
    teams |= {t.name_en.lower(): t.code for t in station.teams if t.name_en}
    skills = {s.code: s for s in station.skills} | {s.name: s for s in station.skills}
    problems: list[InputProblem] = []
    screened = screen_cells(table, cols, problems)
    bad_rows = {r for r, _ in screened}
    people: list[Person] = []
    seen: dict[str, int] = {}

    for n, (row_no, row) in enumerate(table.rows):
        def cell(f: str):
            i = cols.get(f)
            return row[i] if i is not None and i < len(row) else None

        def bad(f: str, msg: str) -> None:
            if (row_no, f) in screened:
                return
            problems.append(InputProblem(file=table.file, line=row_no, column=table.column_name(cols[f]),
                                         field=f, message=msg))

        before = len(problems)
        if row_no in bad_rows:
            before = -1     # the row has a refused cell: it is reported, never imported
        fmt = table.formats[n][cols["badge"]] if table.formats and cols["badge"] < len(table.formats[n]) else None
        badge = _badge(cell("badge"), fmt)
        if not badge:
            bad("badge", "badge number is empty")
        elif badge in seen:
            bad("badge", f"badge '{badge}' appears twice (also row {seen[badge]})")
        else:
            seen[badge] = row_no
        name = cells.clean(cell("name"))
        if not name:
            bad("name", "name is empty")
        parsed = {}
        for f, fn in (("sex", cells.parse_sex), ("person_type", cells.parse_person_type)):
            try:
                parsed[f] = fn(cell(f))
            except ValueError as exc:
                bad(f, str(exc))
        team = None
        if "team" in cols and cells.clean(cell("team")):
            t = cells.clean(cell("team"))
            team = teams.get(t) or teams.get(t.lower())
            if team is None:
                bad("team", f"unknown team '{t}'; use one of: {', '.join(x.code + '/' + x.name for x in station.teams)}")
        years = 0
        if "years_of_service" in cols:
            try:
                years = cells.parse_int(cell("years_of_service"), minimum=0, default=0)
                if years > 50:
                    raise ValueError(f"{years} years of service is not plausible")
            except ValueError as exc:
                bad("years_of_service", str(exc))
        active = True
        if "active" in cols:
            try:
                active = cells.parse_bool(cell("active"), default=True)
            except ValueError as exc:
                bad("active", str(exc))
        person_skills = {}
        if "skills" in cols:
            for item in cells.split_list(cell("skills")):
                code_text, _, expiry_text = item.partition("@")
                s = skills.get(code_text.strip())
                if s is None:
                    bad("skills", f"unknown skill '{code_text.strip()}'; known: "
                                  + ", ".join(f"{x.code}/{x.name}" for x in station.skills))
                    continue
                if s.sworn_only and parsed.get("person_type") not in (None, "sworn"):
                    bad("skills", f"skill '{s.name}' ({s.code}) can only be held by a 民警")
                    continue
                expiry = None
                if expiry_text.strip():
                    try:
                        expiry = cells.parse_date(expiry_text)
                    except ValueError as exc:
                        bad("skills", f"expiry of '{s.code}': {exc}")
                        continue
                person_skills[s.code] = expiry
        if len(problems) == before:
            people.append(Person(badge=badge, name=name, sex=parsed["sex"], person_type=parsed["person_type"],
                                 team=team, years_of_service=years, active=active, skills=person_skills,
                                 phone=cells.clean(cell("phone")) or None, note=cells.clean(cell("note")) or None))
    if not table.rows:
        problems.append(InputProblem(file=table.file, line=2, message="no people in the list"))
    if problems:
        raise InputError(problems)
    return people


def load_people_file(path: str | Path, station: StationDef) -> list[Person]:
    return parse_people(read_table(path), station)


def write_people_csv(people: list[Person], station: StationDef, out) -> None:
    """Write people in the documented CSV format (Chinese headers); used for the example file."""
    from stationdef.model import PERSON_TYPES
    teams = {t.code: t.name for t in station.teams}
    w = csv.writer(out)
    w.writerow(["警号", "姓名", "性别", "人员类别", "所属队室", "工龄", "技能", "在岗"])
    for p in people:
        skills = ";".join(code + (f"@{exp.isoformat()}" if exp else "") for code, exp in p.skills.items())
        w.writerow([p.badge, p.name, "男" if p.sex == "M" else "女", PERSON_TYPES[p.person_type][0],
                    teams.get(p.team or "", ""), p.years_of_service, skills, "是" if p.active else "否"])
