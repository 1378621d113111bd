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
| work_start       | 参加工作时间, 参加工作日期                   | 2008-09-01, 2008年9月 (years of service from it) |
| police_start     | 入警时间, 入警日期, 从警时间                 | 2010-07 (years of service from it)  |
| police_year      | 入警年份, 入警年度                          | 2010 (years of service from it)    |
| skills           | 技能, 专长, skills                         | 巡逻;驾驶;办案@2027-06-30         |
| active           | 在岗, active                             | 是 / 否 (default 是)             |
| phone            | 电话, 手机, phone                         |                                 |
| note             | 备注, note                               |                                 |

Skills are skill codes or names separated by ; ， 、 or |, each optionally followed by
@DATE or (DATE) (the date it expires; a month alone is its last day). Rows are numbered as a
spreadsheet shows them (header = row 1). Lists exported from the HR system (花名册) are read
as they are: a title row above the header is skipped, columns not used are ignored, each with a
note (`parse_people(..., notes)`); the bare 辅警 is refused (勤务辅警 or 文职辅警?).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from errors import BadValue, InputError, InputProblem, msg_of
from messages import Items, Msg, Name, t
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
    # years of service counted from a date (花名册 keep these rather than 工龄); see SENIORITY
    "work_start": ("参加工作时间", "参加工作日期", "参工时间", "work_start"),
    "police_start": ("入警时间", "入警日期", "从警时间", "参加公安工作时间", "police_start"),
    "police_year": ("入警年份", "入警年度", "从警年份", "police_year"),
    "skills": ("技能", "专长", "skills"),
    "active": ("在岗", "是否在岗", "状态", "active"),
    "phone": ("电话", "手机", "联系电话", "phone"),
    "note": ("备注", "note", "notes"),
}
REQUIRED = ("badge", "name", "sex", "person_type")
# where years of service come from, best first: a number given, else counted from when work began
# (annual leave counts all working years, 《职工带薪年休假条例》第3条), else from joining the police
SENIORITY = ("years_of_service", "work_start", "police_start", "police_year")
HEADER_SEARCH_ROWS = 10      # a header below a title is looked for in the first rows
TITLE_CELLS = 2              # a row above the header with at most this many cells filled is a title
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
               "kind": (text_rules.MAX_SHORT, False), "date": (text_rules.MAX_SHORT, False),
               "work_start": (text_rules.MAX_SHORT, False), "police_start": (text_rules.MAX_SHORT, False),
               "police_year": (text_rules.MAX_SHORT, False)}
DATE_FIELDS = {"start", "end", "date", "work_start", "police_start", "police_year"}   # a date cell is wanted here


def header_key(text: str) -> str:
    """A header as it is matched: full-width forms folded, spaces removed (姓  名 is 姓名), lower case."""
    import unicodedata
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


_ALIAS = {header_key(a): f for f, aliases in HEADERS.items() for a in aliases}


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
        raise InputError(InputProblem(file=str(p), message=Msg("file.missing")))
    if not p.is_file():
        raise InputError(InputProblem(file=str(p), message=Msg("people.file.not_a_file")))
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise InputError(InputProblem(file=str(p), message=Msg("file.cannot_read", detail=exc.strerror))) from None
    if size > MAX_FILE_BYTES:
        raise InputError(InputProblem(file=str(p), message=Msg("people.file.too_large", mb=size // 1_000_000,
                                                               max=MAX_FILE_BYTES // 1_000_000)))
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(p)
    if suffix in (".csv", ".txt"):
        return _read_csv(p)
    raise InputError(InputProblem(file=str(p), message=Msg("people.file.bad_type", suffix=suffix)))


def _read_csv(p: Path) -> Table:
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(InputProblem(file=str(p), message=Msg("file.cannot_read", detail=exc.strerror))) from None
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise InputError(InputProblem(file=str(p), message=Msg("people.file.cannot_decode")))
    all_rows = parse_csv_text(text, str(p))
    if len(all_rows) > MAX_ROWS + 2 or any(len(r) > MAX_COLUMNS for r in all_rows[:1]):
        raise InputError(InputProblem(file=str(p), line=1, message=Msg(
            "people.file.too_big", rows=len(all_rows) - 1, cols=max(map(len, all_rows)), max_rows=MAX_ROWS,
            max_cols=MAX_COLUMNS)))
    if not all_rows:
        raise InputError(InputProblem(file=str(p), line=1, message=Msg("people.file.empty")))
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
                                      message=Msg("people.file.bad_csv", detail=str(exc)))) from None
    return out


def _read_xlsx(p: Path) -> Table:
    import zipfile
    import zlib

    from openpyxl import load_workbook
    broken = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError, EOFError)
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
    except broken as exc:
        raise InputError(InputProblem(file=str(p), message=Msg("people.file.bad_xlsx", detail=str(exc)))) from None
    try:
        return _xlsx_rows(p, wb)
    except broken as exc:
        raise InputError(InputProblem(file=str(p), message=Msg("people.file.damaged_xlsx",
                                                               detail=f"{type(exc).__name__}: {exc}"))) from None
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
        raise InputError(InputProblem(file=str(p), line=1, message=Msg("people.file.empty_sheet")))
    return Table(file=str(p), header=header, rows=rows, letters=True, formats=formats)


def map_columns(table: Table, known: dict[str, tuple[str, ...]], required: tuple[str, ...], *,
                ignored: list[int] | None = None) -> dict[str, int]:
    """Header text → field; reports duplicate and missing columns, and unknown ones unless
    `ignored` is given (a list the indexes of unknown columns are put in)."""
    alias = {header_key(a): f for f, aliases in known.items() for a in aliases}
    problems: list[InputProblem] = []
    cols: dict[str, int] = {}
    for i, h in enumerate(table.header):
        if not h:
            continue
        f = alias.get(header_key(h))
        if f is None and ignored is not None:
            ignored.append(i)
        elif f is None:
            problems.append(InputProblem(file=table.file, line=1, column=table.column_name(i),
                                         message=Msg("people.file.unknown_column", header=h, expected=Items(
                                             Msg("people.file.column_choice", field=Name(a[0], f), headers="/".join(a[:2]))
                                             for f, a in known.items()))))
        elif f in cols:
            problems.append(InputProblem(file=table.file, line=1, column=table.column_name(i),
                                         message=Msg("people.file.column_twice", field=Name(known[f][0], f))))
        else:
            cols[f] = i
    for f in required:
        if f not in cols:
            problems.append(InputProblem(file=table.file, line=1, field=f,
                                         message=Msg("people.file.required_missing", field=Name(known[f][0], f),
                                                     headers=Items(known[f][:1] + known[f][-1:], "or"))))
    if problems:
        raise InputError(problems)
    return cols


def _cell_text(row: list) -> list[str]:
    return [cells.clean(v) for v in row if cells.clean(v)]


def locate_header(table: Table, known: dict[str, tuple[str, ...]], required: tuple[str, ...],
                  notes: list[str] | None = None) -> Table:
    """The table with its header found: HR lists (花名册) often put a title above the header
    (城关派出所人员花名册, 制表日期 ...). When the first row is not the header but one of the next
    rows is, rows above it with at most TITLE_CELLS cells filled are titles, skipped with a note;
    a fuller row above the header is refused (delete it). A first row that looks like a title with
    no header below it is refused too. A table whose first row is the header is returned as it is."""
    alias = {header_key(a): f for f, aliases in known.items() for a in aliases}

    def has_header(row: list) -> bool:
        found = {alias.get(header_key(cells.clean(v))) for v in row if cells.clean(v)}
        return all(f in found for f in required)

    if has_header(table.header):
        return table
    candidates = [(n, no, row) for n, (no, row) in enumerate(table.rows) if no <= HEADER_SEARCH_ROWS]
    hit = next(((n, no, row) for n, no, row in candidates if has_header(row)), None)
    first = _cell_text(table.header)
    if hit is None:
        if 0 < len(first) <= TITLE_CELLS and not any(header_key(x) in alias for x in first):
            raise InputError(InputProblem(file=table.file, line=1, message=t(
                "people.title_row", row=1, text=first[0][:40],
                headers=", ".join(known[f][0] for f in required))))
        return table        # map_columns names what is missing
    n, header_no, header = hit
    above = [(1, first)] + [(no, _cell_text(row)) for no, row in table.rows[:n]]
    problems, skipped = [], []
    for no, texts in above:
        if not texts:
            continue
        if len(texts) > TITLE_CELLS:
            problems.append(InputProblem(file=table.file, line=no, message=t(
                "people.above_header", row=no, header=header_no, n=len(texts))))
        else:
            skipped.append(t("people.title_skipped", row=no, text=" ".join(texts)[:40], header=header_no))
    if problems:
        raise InputError(problems)
    if notes is not None:
        notes.extend(skipped)
    return Table(file=table.file, header=[cells.clean(v) for v in header], rows=table.rows[n + 1:],
                 letters=table.letters, formats=table.formats[n + 1:] if table.formats else None)


def ignored_columns_note(table: Table, ignored: list[int]) -> str:
    return t("people.ignored_columns", columns=t("people.sep").join(
        t("people.column_at", name=table.header[i], column=table.column_name(i).split(" ")[0]) if table.letters
        else table.header[i] for i in ignored))


def screen_cells(table: Table, cols: dict[str, int], problems: list[InputProblem]) -> set[tuple[int, str]]:
    """Check every mapped cell's type, control characters and length before any field is read.

    Appends a problem per bad cell (file, row, column, field) and returns {(row, field)} of
    them, so the field readers do not report the same cell again."""
    import math
    from datetime import date, datetime, time
    bad: set[tuple[int, str]] = set()
    if len(table.rows) > MAX_ROWS:
        problems.append(InputProblem(file=table.file, line=MAX_ROWS + 2,
                                     message=Msg("people.file.too_many_rows", n=len(table.rows), max=MAX_ROWS)))
    for row_no, row in table.rows:
        for f, i in cols.items():
            if i >= len(row) or row[i] is None:
                continue
            v = row[i]
            msg = None
            if isinstance(v, (datetime, date, time)) and f not in DATE_FIELDS:
                msg = Msg("people.file.date_cell", value=str(v))
            elif isinstance(v, bool) and f != "active":
                msg = Msg("people.file.bool_cell", what=Msg("people.file.what_number" if f == "years_of_service"
                                                              else "people.file.what_text"))
            elif isinstance(v, float) and not math.isfinite(v):
                msg = Msg("people.file.not_finite", value=v)
            elif isinstance(v, str):
                max_len, multi = TEXT_LIMITS.get(f, (text_rules.MAX_SHORT, False))
                try:
                    text_rules.check(v.strip(), max_len=max_len, multiline=multi,
                                     what=Msg("people.file.the_field", field=Name(table.header[i] or f, f)))
                except ValueError as exc:
                    msg = msg_of(exc)
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


def people_columns(table: Table, notes: list[str] | None = None) -> tuple[Table, dict[str, int]]:
    """The table with its header found (a title above it skipped) and its columns: field -> index.
    Columns dutydesk does not use (身份证号, 职务, 政治面貌, 所属, ...) are ignored with a note."""
    table = locate_header(table, HEADERS, REQUIRED, notes)
    ignored: list[int] = []
    cols = map_columns(table, HEADERS, REQUIRED, ignored=ignored)
    if ignored and notes is not None:
        notes.append(ignored_columns_note(table, ignored))
    return table, cols


def person_fields(cols: dict[str, int]) -> set[str]:
    """The Person fields a file's columns give (a date of joining gives years_of_service)."""
    return {("years_of_service" if f in SENIORITY else f) for f in cols}


def parse_people(table: Table, station: StationDef, notes: list[str] | None = None,
                 today: date | None = None) -> list[Person]:
    """Validate every row against the station's teams and skills; raise InputError listing all
    problems. What was read in a way worth knowing (a title row skipped, columns ignored, where
    years of service come from) is appended to `notes`; `today` counts years of service."""
    today = today or date.today()
    seniority_notes: list[str] = []
    table, cols = people_columns(table, seniority_notes if notes is None else notes)
    sources = [f for f in SENIORITY if f in cols]
    if notes is not None and sources and sources[0] != "years_of_service":
        first, rest = sources[0], sources[1:]
        head = table.header[cols[first]]
        if first == "police_year":
            notes.append(t("people.seniority_year", column=head, year=today.year))
        else:
            notes.append(t("people.seniority_from", column=head, today=today.isoformat(), fallback=t(
                "people.seniority_fallback", columns="/".join(table.header[cols[f]] for f in rest)) if rest else ""))
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

        def bad(f: str, msg: Msg | str) -> None:
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
            bad("badge", Msg("leave.badge_empty"))
        elif badge in seen:
            bad("badge", Msg("people.badge_twice", badge=badge, row=seen[badge]))
        else:
            seen[badge] = row_no
        name = cells.clean(cell("name"))
        if not name:
            bad("name", Msg("people.name_empty"))
        parsed = {}
        for f, fn in (("sex", cells.parse_sex), ("person_type", cells.parse_person_type)):
            try:
                parsed[f] = fn(cell(f))
            except ValueError as exc:
                bad(f, msg_of(exc))
        team = None
        if "team" in cols and cells.clean(cell("team")):
            team_text = cells.clean(cell("team"))
            team = teams.get(team_text) or teams.get(team_text.lower())
            if team is None:
                bad("team", Msg("people.unknown_team", team=team_text,
                                known=Items(x.code + "/" + x.name for x in station.teams)))
        years = 0
        for f in sources:              # the first column with a value gives the years of service
            value = cell(f)
            if not cells.clean(value) and not hasattr(value, "year"):
                continue
            try:
                if f == "years_of_service":
                    years = cells.parse_int(value, minimum=0, default=0)
                elif f == "police_year":
                    years = today.year - cells.parse_year(value, today=today)
                else:
                    began = cells.parse_start(value)
                    if began > today:
                        raise BadValue(Msg("people.start_future", value=began.isoformat(), today=today.isoformat()))
                    years = cells.whole_years(began, today)
                if years > 50:
                    raise BadValue(Msg("people.years_implausible", years=years))
            except ValueError as exc:
                bad(f, msg_of(exc))
            break
        active = True
        if "active" in cols:
            try:
                active = cells.parse_bool(cell("active"), default=True)
            except ValueError as exc:
                bad("active", msg_of(exc))
        person_skills = {}
        if "skills" in cols:
            for item in cells.split_list(cell("skills")):
                code_text, expiry_text = split_expiry(item)
                s = skills.get(code_text.strip())
                if s is None:
                    bad("skills", Msg("people.unknown_skill", skill=code_text.strip(),
                                      known=Items(f"{x.code}/{x.name}" for x in station.skills)))
                    continue
                if s.sworn_only and parsed.get("person_type") not in (None, "sworn"):
                    bad("skills", Msg("people.sworn_only_skill", name=s.name, code=s.code))
                    continue
                expiry = None
                if expiry_text.strip():
                    try:
                        expiry = cells.parse_expiry(expiry_text)
                    except ValueError as exc:
                        bad("skills", Msg("people.expiry_of", skill=Name(s.name, s.code), problem=msg_of(exc)))
                        continue
                person_skills[s.code] = expiry
        if len(problems) == before:
            people.append(Person(badge=badge, name=name, sex=parsed["sex"], person_type=parsed["person_type"],
                                 team=team, years_of_service=years, active=active, skills=person_skills,
                                 phone=cells.clean(cell("phone")) or None, note=cells.clean(cell("note")) or None))
    if not table.rows:
        problems.append(InputProblem(file=table.file, line=2, message=Msg("people.none_listed")))
    if problems:
        raise InputError(problems)
    return people


_PAREN_EXPIRY = re.compile(r"^(.*?)\s*[(（]([^()（）]*)[)）]\s*$")


def split_expiry(item: str) -> tuple[str, str]:
    """A skill of the skills cell and its expiry: 办案@2027-06-30, or in brackets as HR lists
    write it: 办案（有效期至2027年6月）, 驾驶(2027-06)."""
    code_text, at, expiry = item.partition("@")
    if at:
        return code_text, expiry
    m = _PAREN_EXPIRY.match(item)
    return (m.group(1), m.group(2)) if m else (item, "")


def load_people_file(path: str | Path, station: StationDef, notes: list[str] | None = None,
                     today: date | None = None) -> list[Person]:
    return parse_people(read_table(path), station, notes, today)


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
