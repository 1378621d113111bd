"""Rendering a roster version for people outside the terminal: CSV, a printable XLSX, a
printable HTML page, and an iCalendar file. Pure functions of a `RosterSheet` (no database),
so they can be tested and reused (the terminal app may offer the same exports).

The prints (XLSX, HTML) are made for the wall: A4 landscape, one week per block with every
person, nothing smaller than 8 pt, the whole legend beside (XLSX) or under (HTML) every week,
and the station, version, status and content digest on every page. Their words are in the
sheet's language (``RosterSheet.lang``, from the message catalogue ``messages/export.py``):
in Chinese a cell shows the short labels of the station file (夜/巡1), in English the codes
(N/PAT1).
"""
from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from messages import t as _t
from stationdef.leave_file import LEAVE_KINDS
from stationdef.model import Post, ShiftType, StationInfo
from stationdef.text import defuse_workbook, neutralise

LIVE = ("approved", "published")
CSV_COLUMNS = ("date", "badge", "name", "shift", "shift_name", "start", "end", "post", "post_name")
WEEK_DAYS = 7            # a printed block: one week, every person
MIN_PT = 8               # no text of a print is smaller


@dataclass
class RosterSheet:
    """Everything an export shows about one roster version."""

    station: StationInfo
    roster_id: int
    version: int
    status: str
    start: date
    days: int
    created_at: str                      # the version's creation, UTC "YYYY-MM-DDTHH:MM:SSZ"
    audit_hash: str                      # audit chain head: at approval, else at export time
    audit_seq: int | None                # the chain entry at export; None: the head recorded at approval
    shifts: dict[str, ShiftType]
    posts: dict[str, Post]
    teams: dict[str, str]                # team code -> name (in the sheet's language)
    people: list[dict]                   # rows of the grid: badge, name, team (in print order)
    assignments: list[dict]              # date (ISO), badge, name, shift, post
    leave: dict[tuple[str, str], str] = field(default_factory=dict)   # (badge, ISO date) -> leave kind
    day_kinds: dict[str, str] = field(default_factory=dict)           # ISO date -> workday/weekend/holiday/...
    cancelled: list[dict] = field(default_factory=list)  # assignments of earlier versions this one dropped
    person: str | None = None            # exported for one person only
    content_digest: str | None = None    # digest of the assignments signed at approval (audit verify checks it)
    lang: str = "zh"                     # the language of the print's words (zh: labels in cells; en: codes)

    # -- words -------------------------------------------------------------------------------
    def t(self, key: str, **values) -> str:
        return _t(key, _lang_override=self.lang, **values)

    @property
    def zh(self) -> bool:
        return self.lang == "zh"

    @property
    def station_name(self) -> str:
        return self.station.name if self.zh else (self.station.name_en or self.station.name)

    def status_text(self) -> str:
        return self.t(f"status.{self.status}")

    def shift_name(self, code: str) -> str:
        s = self.shifts[code]
        return s.name if self.zh else (s.name_en or s.name)

    def post_name(self, code: str) -> str:
        p = self.posts[code]
        return p.name if self.zh else (p.name_en or p.name)

    def shift_mark(self, code: str) -> str:
        """What a cell shows for a shift: its label in Chinese, its code in English."""
        s = self.shifts.get(code)
        return (s.label or code) if self.zh and s else code

    def post_mark(self, code: str) -> str:
        p = self.posts.get(code)
        return (p.label or code) if self.zh and p else code

    def cell_text(self, shift: str, post: str) -> str:
        return f"{self.shift_mark(shift)}/{self.post_mark(post)}"

    def leave_mark(self, kind: str) -> str:
        return LEAVE_KINDS[kind][0] if self.zh else self.t(f"leave_short.{kind}")

    def leave_name(self, kind: str) -> str:
        return LEAVE_KINDS[kind][0] if self.zh else LEAVE_KINDS[kind][1]

    def weekday(self, d: date) -> str:
        return self.t(f"wd.{d.weekday()}")

    # -- what proves this print ----------------------------------------------------------------
    @property
    def audit_label(self) -> str:
        return (self.t("export.audit_at_approval") if self.audit_seq is None
                else self.t("export.audit_at_export", seq=self.audit_seq))

    def signature(self) -> str:
        """The signed content digest and the audit chain head, in full."""
        return self.t("export.digest_line", digest=self.content_digest or self.t("export.unsigned"),
                      audit=self.audit_label, hash=self.audit_hash)

    def created_local(self) -> str:
        from zoneinfo import ZoneInfo
        return f"{_utc(self.created_at).astimezone(ZoneInfo(self.station.zone)):%Y-%m-%d %H:%M}"

    def status_line(self) -> str:
        return self.t("export.status_line", id=self.roster_id, v=self.version, status=self.status_text(),
                      note="" if self.status in LIVE else self.t("export.not_live"), created=self.created_local(),
                      zone=self.station.zone)

    @property
    def ref(self) -> str:
        return f"{self.roster_id}v{self.version}"

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days - 1)

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    def weeks(self) -> list[list[date]]:
        """The days in blocks of WEEK_DAYS from the roster's first day."""
        days = self.dates()
        return [days[i:i + WEEK_DAYS] for i in range(0, len(days), WEEK_DAYS)]

    def title(self) -> str:
        who = ""
        if self.person:
            who = " " + next((p["name"] for p in self.people if p["badge"] == self.person), self.person)
        return self.t("export.title", station=self.station_name, who=who, start=self.start.isoformat(),
                      end=self.end.isoformat(), id=self.roster_id, v=self.version, status=self.status_text())

    def footer_parts(self) -> tuple[str, str]:
        """Page footer, left and right: station, version, status; the digest and chain head, short
        (in full on every page's head rows). Ends with a status or a hash, never an English word in Chinese."""
        left = self.t("export.footer_left", station=self.station_name, code=self.station.code, id=self.roster_id,
                      v=self.version, status=self.status_text())
        right = (self.t("export.footer_right", digest=self.content_digest[:16], hash=self.audit_hash[:16])
                 if self.content_digest else self.t("export.footer_unsigned", hash=self.audit_hash[:16]))
        return left, right

    def day_header(self, d: date) -> str:
        kind = self.day_kinds.get(d.isoformat(), "")
        mark = {"holiday": " " + self.t("export.mark_holiday"),
                "adjusted_workday": " " + self.t("export.mark_adjusted")}.get(kind, "")
        return f"{d:%m-%d} {self.weekday(d)}{mark}"

    def is_off_day(self, d: date) -> bool:
        kind = self.day_kinds.get(d.isoformat())
        return kind in ("weekend", "holiday") if kind else d.weekday() >= 5

    def team_name(self, code: str | None) -> str:
        return self.teams.get(code or "", "") or self.t("export.no_team")

    def grid(self) -> list[tuple[dict, list[str]]]:
        """(person, cell text per day): '夜/巡1' (N/PAT1 in English) for an assignment, the leave
        kind for leave, '' when off."""
        cells = {(a["badge"], a["date"]): self.cell_text(a["shift"], a["post"]) for a in self.assignments}
        out = []
        for p in self.people:
            row = []
            for d in self.dates():
                iso = d.isoformat()
                text = cells.get((p["badge"], iso))
                if text is None and (p["badge"], iso) in self.leave:
                    text = self.leave_mark(self.leave[(p["badge"], iso)])
                row.append(text or "")
            out.append((p, row))
        return out

    def teams_in_order(self) -> list[tuple[str | None, list[int]]]:
        """(team code, indexes into people) for the runs of one team, in print order."""
        out: list[tuple[str | None, list[int]]] = []
        for i, p in enumerate(self.people):
            if out and out[-1][0] == p.get("team"):
                out[-1][1].append(i)
            else:
                out.append((p.get("team"), [i]))
        return out

    def on_duty(self) -> list[int]:
        counts = {d.isoformat(): 0 for d in self.dates()}
        for a in self.assignments:
            counts[a["date"]] = counts.get(a["date"], 0) + 1
        return [counts[d.isoformat()] for d in self.dates()]

    def times(self, a: dict) -> tuple[datetime, datetime]:
        """Local start and end (naive, station time) of an assignment."""
        s = self.shifts[a["shift"]]
        begin = datetime.combine(date.fromisoformat(a["date"]), time(s.start_minute // 60, s.start_minute % 60))
        return begin, begin + timedelta(minutes=s.minutes)

    def legend(self) -> tuple[list[list[str]], list[list[str]], list[str]]:
        """Shifts [mark, name, time, hours], posts [mark, name, team], and the notes under them:
        how a cell reads, the leave marks, the day marks, the total row."""
        shifts = [[self.shift_mark(s.code), self.shift_name(s.code),
                   f"{s.start}-{s.end}" + (f" {self.t('export.next_day')}" if s.crosses_midnight else ""),
                   self.t("export.hours", h=f"{s.minutes / 60:g}")] for s in self.shifts.values()]
        posts = [[self.post_mark(p.code), self.post_name(p.code), self.teams.get(p.team or "", "")]
                 for p in self.posts.values()]
        notes = []
        if self.shifts and self.posts:
            s, p = next(iter(self.shifts.values())), next(iter(self.posts.values()))
            notes.append(self.t("export.legend_cell", example=self.cell_text(s.code, p.code),
                                meaning=f"{self.shift_name(s.code)} {self.post_name(p.code)}"))
        leave = ("、" if self.zh else ", ").join(
            self.leave_mark(k) if self.leave_mark(k) == self.leave_name(k) else f"{self.leave_mark(k)} = "
            f"{self.leave_name(k)}" for k in LEAVE_KINDS)
        notes += [self.t("export.legend_leave", kinds=leave), self.t("export.legend_days"),
                  self.t("export.legend_total")]
        return shifts, posts, notes


def _utc(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


def assignment_rows(sheet: RosterSheet) -> list[list[str]]:
    """One row per assignment, in CSV_COLUMNS order; times are local station time."""
    out = []
    for a in sheet.assignments:
        begin, end = sheet.times(a)
        s, p = sheet.shifts[a["shift"]], sheet.posts[a["post"]]
        out.append([a["date"], a["badge"], a["name"], a["shift"], s.name, f"{begin:%Y-%m-%d %H:%M}",
                    f"{end:%Y-%m-%d %H:%M}", a["post"], p.name])
    return out


def to_csv(sheet: RosterSheet) -> bytes:
    """UTF-8 with a BOM, so Excel shows the Chinese names."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    w.writerows([[neutralise(v) for v in row] for row in assignment_rows(sheet)])
    return buf.getvalue().encode("utf-8-sig")


# -- XLSX ---------------------------------------------------------------------------------------

HEAD_ROWS = 3          # title, status line, digest line: repeated at the top of every printed page
GRID_FIXED = 3         # team, badge, name
# page geometry (points): A4 landscape is 595 pt high; what the rows of one page may take
A4_LANDSCAPE_HEIGHT = 595.0
MARGIN_TOP_IN, MARGIN_BOTTOM_IN, HEADER_IN, FOOTER_IN = 0.45, 0.55, 0.2, 0.25
ROW_PT = {"title": 24.0, "line": 13.0, "caption": 16.0, "head": 15.0, "grid": 12.75}
FONT_NAME = "Calibri"
FONT_PT = {"title": 14, "line": 9, "digest": 8, "caption": 10, "head": 9, "grid": 9, "legend": 9, "footer": 8}


def rows_per_page() -> int:
    """Grid rows (people and the total) that fit under the head rows, a week's caption and its
    column headers on one page, with one row to spare so no spreadsheet breaks a page by itself."""
    free = (A4_LANDSCAPE_HEIGHT - 72 * (MARGIN_TOP_IN + MARGIN_BOTTOM_IN) - ROW_PT["title"] - 2 * ROW_PT["line"]
            - ROW_PT["caption"] - ROW_PT["head"])
    return int(free // ROW_PT["grid"]) - 1


def page_chunks(sheet: RosterSheet, capacity: int) -> list[list[int]]:
    """People (indexes) per printed page of a week: whole teams together while they fit, a team
    larger than a page split; the total row counts on the last page."""
    pages: list[list[int]] = [[]]
    for _, members in sheet.teams_in_order():
        if pages[-1] and len(pages[-1]) + len(members) > capacity:
            pages.append([])
        for i in members:
            if len(pages[-1]) >= capacity:
                pages.append([])
            pages[-1].append(i)
    if len(pages[-1]) + 1 > capacity:          # the total row does not fit under the last one
        pages.append([pages[-1].pop()])
    return pages


def wrap_text(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` display columns, broken after a separator (；，; , or a
    space) where one is near enough, else anywhere."""
    from stationdef.labels import width as w
    lines: list[str] = []
    rest = text
    while w(rest) > width:
        cut, used, best = 0, 0, 0
        for i, ch in enumerate(rest):
            used += w(ch)
            if used > width:
                break
            cut = i + 1
            if ch in "；，、;, ":
                best = i + 1
        take = best if best >= cut // 2 else cut
        lines.append(rest[:take].rstrip())
        rest = rest[take:].lstrip()
    return lines + ([rest] if rest else [])


def footer_text(text: str) -> str:
    """Header/footer text: '&' starts a code there, so a literal one is doubled."""
    return text.replace("&", "&&")


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet cell: CJK characters count two."""
    from stationdef.labels import width
    return width(text)


def to_xlsx(sheet: RosterSheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break, RowBreak
    from openpyxl.worksheet.properties import PageSetupProperties

    wb = Workbook()
    ws = wb.active
    ws.title = sheet.t("export.sheet_roster")
    thin = Side(style="thin", color="666666")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center")
    left_mid = Alignment(horizontal="left", vertical="center")
    shade = PatternFill("solid", fgColor="E0E0E0")
    # Calibri, Excel's own; LibreOffice draws it with the metric-compatible Carlito; CJK falls back
    f = {k: Font(name=FONT_NAME, size=v) for k, v in FONT_PT.items()}
    bold = {k: Font(name=FONT_NAME, size=v, bold=True) for k, v in FONT_PT.items()}
    grid = sheet.grid()
    totals = sheet.on_duty()
    dates = sheet.dates()
    shifts, posts, notes = sheet.legend()

    # columns: team | badge | name | 7 days | gap | shift legend (mark, name, time) | gap | post legend (mark, name)
    day0 = GRID_FIXED + 1
    n_days = min(WEEK_DAYS, len(dates))
    leg_s = day0 + n_days + 1                   # first column of the shift legend
    leg_p = leg_s + 4                           # first column of the post legend
    last_col = leg_p + 1
    shifts = [row[:2] + [f"{row[2]} ({row[3]})"] for row in shifts]    # the length joins the time
    posts = [row[:2] for row in posts]
    notes = notes + [sheet.t("export.legend_detail")]

    def put(row: int, col: int, value, font, *, align=None, border=None, fill=None):
        cell = ws.cell(row=row, column=col, value=value)
        cell.font = font
        if align is not None:
            cell.alignment = align
        if border is not None:
            cell.border = border
        if fill is not None:
            cell.fill = fill
        return cell

    put(1, 1, sheet.title(), bold["title"], align=left_mid)
    put(2, 1, sheet.status_line(), f["line"], align=left_mid)
    put(3, 1, sheet.signature(), f["digest"], align=left_mid)
    for r, kind in ((1, "title"), (2, "line"), (3, "line")):
        ws.row_dimensions[r].height = ROW_PT[kind]

    # column widths: as narrow as the texts allow (display width: a Chinese character counts two)
    # (a width unit is a digit of the 11 pt default font; 9 pt text takes about 0.85 of one per column)
    def fit(col: int, texts, minimum: float, maximum: float = 40) -> None:
        need = max([display_width(str(x)) for x in texts if x is not None] or [0])
        ws.column_dimensions[get_column_letter(col)].width = round(max(minimum, min(maximum, need * 0.85 + 1.4)), 1)
    fit(1, [sheet.t("export.col_team")], 3.6)         # the team, written top to bottom (zh) or turned (en)
    fit(2, [p["badge"] for p in sheet.people] + [sheet.t("export.col_badge")], 5)
    fit(3, [p["name"] for p in sheet.people] + [sheet.t("export.col_name")], 5)
    for k in range(n_days):
        fit(day0 + k, [sheet.day_header(d) for d in dates[k::WEEK_DAYS]]
            + [row[i] for _, row in grid for i in range(k, len(dates), WEEK_DAYS)], 6)
    ws.column_dimensions[get_column_letter(leg_s - 1)].width = 1.5
    heads_s = (sheet.t("export.legend_label"), sheet.t("export.legend_shift"), sheet.t("export.legend_time"))
    heads_p = (sheet.t("export.legend_label"), sheet.t("export.legend_post"))
    for c in range(3):
        fit(leg_s + c, [row[c] for row in shifts] + [heads_s[c]], 3.6, 22)
    ws.column_dimensions[get_column_letter(leg_p - 1)].width = 1.5
    for c in range(2):
        fit(leg_p + c, [row[c] for row in posts] + [heads_p[c]], 3.6, 22)

    def legend(top: int) -> int:
        """The whole legend beside a page's grid, from row `top`; returns the rows it takes."""
        put(top, leg_s, sheet.t("export.legend"), bold["legend"])
        for c, text in enumerate(heads_s):
            put(top + 1, leg_s + c, text, bold["legend"], border=box)
        for c, text in enumerate(heads_p):
            put(top + 1, leg_p + c, text, bold["legend"], border=box)
        for i, row in enumerate(shifts):
            for c, v in enumerate(row):
                put(top + 2 + i, leg_s + c, v, bold["legend"] if c == 0 else f["legend"],
                    align=center if c == 0 else None, border=box)
        for i, row in enumerate(posts):
            for c, v in enumerate(row):
                put(top + 2 + i, leg_p + c, v, bold["legend"] if c == 0 else f["legend"],
                    align=center if c == 0 else None, border=box)
        r = top + 2 + max(len(shifts), len(posts)) + 1
        for i, line in enumerate(note_lines):   # one line a row: the rows are the grid's
            put(r + i, leg_s, line, f["legend"], align=left_mid)
            ws.merge_cells(start_row=r + i, start_column=leg_s, end_row=r + i, end_column=last_col)
        return r + len(note_lines) - top

    legend_units = sum(ws.column_dimensions[get_column_letter(c)].width for c in range(leg_s, last_col + 1))
    note_lines = [line for note in notes for line in wrap_text(note, int(legend_units / 0.85) - 2)]
    legend_rows = 2 + max(len(shifts), len(posts)) + 1 + len(note_lines)
    capacity = rows_per_page()
    r = HEAD_ROWS
    breaks: list[int] = []
    for w, week in enumerate(sheet.weeks(), start=1):
        first = (week[0] - sheet.start).days
        chunks = page_chunks(sheet, capacity)
        for c, members in enumerate(chunks):
            if r > HEAD_ROWS:
                breaks.append(r)                # a new page: after the previous page's last row
            r += 1
            caption = sheet.t("export.week", n=w, start=week[0].isoformat(), first=sheet.weekday(week[0]),
                              end=week[-1].isoformat(), last=sheet.weekday(week[-1]))
            put(r, 1, caption + (sheet.t("export.continued") if c else ""), bold["caption"], align=left_mid)
            ws.row_dimensions[r].height = ROW_PT["caption"]
            r += 1
            top = r
            heads = [sheet.t("export.col_team"), sheet.t("export.col_badge"), sheet.t("export.col_name")]
            heads += [sheet.day_header(d) for d in week]
            for col, text in enumerate(heads, start=1):
                put(r, col, text, bold["head"], align=center, border=box,
                    fill=shade if col >= day0 and sheet.is_off_day(week[col - day0]) else None)
            ws.row_dimensions[r].height = ROW_PT["head"]
            legend(top)
            run_start, run_team = None, object()
            for i in members:
                r += 1
                person, cells = grid[i]
                if person.get("team") != run_team:
                    if run_start is not None and r - 1 > run_start:
                        ws.merge_cells(start_row=run_start, start_column=1, end_row=r - 1, end_column=1)
                    run_start, run_team = r, person.get("team")
                    put(r, 1, sheet.team_name(person.get("team")), bold["grid"],
                        align=Alignment(horizontal="center", vertical="center", wrap_text=True,
                                        textRotation=255 if sheet.zh else 90),
                        border=box)
                else:
                    put(r, 1, None, f["grid"], border=box)
                put(r, 2, person["badge"], f["grid"], align=left_mid, border=box).number_format = "@"
                put(r, 3, person["name"], f["grid"], align=left_mid, border=box)
                for k, d in enumerate(week):
                    put(r, day0 + k, cells[first + k], f["grid"], align=center, border=box,
                        fill=shade if sheet.is_off_day(d) else None)
                ws.row_dimensions[r].height = ROW_PT["grid"]
            if run_start is not None and r > run_start:
                ws.merge_cells(start_row=run_start, start_column=1, end_row=r, end_column=1)
            if c == len(chunks) - 1:
                r += 1
                put(r, 1, sheet.t("export.on_duty"), bold["grid"], align=left_mid)
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
                for k, d in enumerate(week):
                    put(r, day0 + k, totals[first + k], bold["grid"], align=center, border=box,
                        fill=shade if sheet.is_off_day(d) else None)
                ws.row_dimensions[r].height = ROW_PT["grid"]
            r = max(r, top + legend_rows - 1)     # the legend is taller than a short page's grid
    for row in breaks:
        ws.row_breaks.append(Break(id=row))

    ws.freeze_panes = ws.cell(row=HEAD_ROWS + 1, column=1)

    # print settings: A4 landscape, one page wide, head rows on every page, breaks between pages
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"1:{HEAD_ROWS}"
    ws.print_area = f"A1:{get_column_letter(last_col)}{r}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = MARGIN_TOP_IN, MARGIN_BOTTOM_IN
    ws.page_margins.header, ws.page_margins.footer = HEADER_IN, FOOTER_IN
    left, right = sheet.footer_parts()
    _footer(ws, left, sheet.t("export.footer_page"), right)

    detail = wb.create_sheet(sheet.t("export.sheet_detail"))
    detail.append(list(CSV_COLUMNS))
    for row in assignment_rows(sheet):
        detail.append(row)
    for cell in detail[1]:
        cell.font = Font(bold=True)
    for row in detail.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = "@"
    for letter, width in zip("ABCDEFGHI", (11, 9, 9, 6, 11, 17, 17, 8, 14)):
        detail.column_dimensions[letter].width = width
    detail.freeze_panes = "A2"
    detail.page_setup.paperSize = detail.PAPERSIZE_A4
    detail.page_setup.orientation = detail.ORIENTATION_LANDSCAPE
    detail.page_setup.fitToWidth, detail.page_setup.fitToHeight = 1, 0
    detail.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    detail.print_title_rows = "1:1"
    _footer(detail, left, sheet.t("export.footer_page"), right)
    # the data sheet is for filtering, not for the wall: hidden, so printing the workbook prints the roster
    detail.sheet_state = "hidden"

    defuse_workbook(wb)     # text cells only: a name like =HYPERLINK(...) stays text
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _footer(ws, left: str, center: str, right: str) -> None:
    size = FONT_PT["footer"]
    ws.oddFooter.left.text, ws.oddFooter.left.size = footer_text(left), size
    ws.oddFooter.center.text, ws.oddFooter.center.size = center, size       # holds &P / &N codes
    ws.oddFooter.right.text, ws.oddFooter.right.size = footer_text(right), size


# -- HTML ---------------------------------------------------------------------------------------

_CSS = """
@page { size: A4 landscape; margin: 10mm 8mm 12mm 8mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       font-size: 9pt; color: #000; margin: 1em; }
h1 { font-size: 14pt; margin: 0 0 .2em 0; }
p.sub { font-size: 8pt; margin: 0 0 .2em 0; color: #222; overflow-wrap: anywhere; }
section.week + section.week { break-before: page; page-break-before: always; }
h2 { font-size: 10pt; margin: .5em 0 .2em 0; }
table { border-collapse: collapse; }
table.grid th, table.grid td { border: 1px solid #666; padding: 0 4px; text-align: center; white-space: nowrap;
                                font-size: 9pt; line-height: 1.25; }
table.grid td.badge, table.grid td.name { text-align: left; }
table.grid tr.team th { text-align: left; background: #f4f4f4; }
thead { display: table-header-group; }   /* repeated at the top of every printed page */
tfoot { display: table-footer-group; }   /* the footer line, repeated at the bottom of every page */
table.grid tfoot td { border: none; text-align: left; font-size: 8pt; color: #222; padding-top: 3px;
                      white-space: normal; }
table.grid tr.total td { font-weight: bold; }
tr { page-break-inside: avoid; break-inside: avoid; }
.off { background: #e0e0e0; }
td.leave { font-style: italic; color: #444; }
div.week-body { display: flex; align-items: flex-start; gap: 1.5em; }
div.legend { display: flex; flex-direction: column; gap: .6em; font-size: 8pt; max-width: 24em;
             page-break-inside: avoid; break-inside: avoid; }
div.legend table { font-size: 8pt; }
div.legend caption { text-align: left; font-weight: bold; }
div.legend th, div.legend td { border: 1px solid #aaa; padding: 0 4px; text-align: left; }
div.legend ul { margin: 0; padding-left: 1.2em; }
footer { margin-top: 1em; font-size: 8pt; color: #222; border-top: 1px solid #999; padding-top: 2px; }
@media print {
  body { margin: 0; }
  .off, table.grid tr.team th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def to_html(sheet: RosterSheet) -> bytes:
    e = html.escape
    dates = sheet.dates()
    grid = sheet.grid()
    totals = sheet.on_duty()
    leave_marks = {sheet.leave_mark(k) for k in LEAVE_KINDS}
    left, right = sheet.footer_parts()
    shifts, posts, notes = sheet.legend()

    def cls(d: date, extra: str = "") -> str:
        names = " ".join(x for x in (("off" if sheet.is_off_day(d) else ""), extra) if x)
        return f' class="{names}"' if names else ""

    def small(title: str, head: tuple[str, ...], rows: list[list[str]]) -> str:
        return (f"<table><caption>{e(title)}</caption><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"
                + "".join("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in r) + "</tr>" for r in rows)
                + "</table>")

    legend = ('<div class="legend">'
              + small(sheet.t("export.legend_shift"), (sheet.t("export.legend_label"), sheet.t("export.legend_shift"),
                                                        sheet.t("export.legend_time"), ""), shifts)
              + small(sheet.t("export.legend_post"), (sheet.t("export.legend_label"), sheet.t("export.legend_post"),
                                                       sheet.t("export.legend_team")), posts)
              + f"<div><strong>{e(sheet.t('export.legend'))}</strong><ul>"
              + "".join(f"<li>{e(n)}</li>" for n in notes) + "</ul></div></div>")
    out = ["<!DOCTYPE html>", f'<html lang="{"zh-CN" if sheet.zh else "en"}">', "<head>", '<meta charset="utf-8">',
           f"<title>{e(sheet.title())}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
           f"<h1>{e(sheet.title())}</h1>", f'<p class="sub">{e(sheet.status_line())}</p>',
           f'<p class="sub">{e(sheet.signature())}</p>']
    for w, week in enumerate(sheet.weeks(), start=1):
        first = (week[0] - sheet.start).days
        n_cols = 2 + len(week)
        out.append('<section class="week">')
        out.append(f"<h2>{e(sheet.t('export.week', n=w, start=week[0].isoformat(), first=sheet.weekday(week[0]), end=week[-1].isoformat(), last=sheet.weekday(week[-1])))}</h2>")
        out.append('<div class="week-body"><table class="grid">')
        out.append("<thead><tr>" + f"<th>{e(sheet.t('export.col_badge'))}</th><th>{e(sheet.t('export.col_name'))}</th>"
                   + "".join(f"<th{cls(d)}>{e(sheet.day_header(d))}</th>" for d in week) + "</tr></thead>")
        out.append(f'<tfoot><tr><td colspan="{n_cols}">{e(left)} · {e(right)}</td></tr></tfoot>')
        out.append("<tbody>")
        for team, members in sheet.teams_in_order():
            out.append(f'<tr class="team"><th colspan="{n_cols}">{e(sheet.team_name(team))}</th></tr>')
            for i in members:
                person, row = grid[i]
                cells = [f'<td class="badge">{e(person["badge"])}</td>', f'<td class="name">{e(person["name"])}</td>']
                cells += [f"<td{cls(d, 'leave' if row[first + k] in leave_marks else '')}>{e(row[first + k])}</td>"
                          for k, d in enumerate(week)]
                out.append(f'<tr data-badge="{e(person["badge"])}">' + "".join(cells) + "</tr>")
        out.append(f'<tr class="total"><td></td><td class="name">{e(sheet.t("export.on_duty"))}</td>'
                   + "".join(f"<td{cls(d)}>{totals[first + k]}</td>" for k, d in enumerate(week)) + "</tr>")
        out.append("</tbody></table>")
        out.append(legend)                          # beside the week's first page
        out.append("</div></section>")
    out.append(f"<footer>{e(left)} · {e(right)}</footer>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")


# -- iCalendar ----------------------------------------------------------------------------------

def event_uid(station_code: str, roster_id: int, badge: str, day: str) -> str:
    """Stable across versions of a roster, so a newer version updates the same calendar event."""
    return f"{station_code}-roster{roster_id}-{badge}-{day.replace('-', '')}@dutydesk"


def to_ics(sheet: RosterSheet) -> bytes:
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event

    zone = ZoneInfo(sheet.station.zone)
    cal = Calendar()
    cal.add("prodid", "-//dutydesk//值班台 roster export//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = sheet.title()
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", sheet.station.zone)
    if sheet.content_digest:
        cal.add("x-dutydesk-content-digest", sheet.content_digest)
    stamp = _utc(sheet.created_at)
    live = sheet.status in LIVE
    status = sheet.status_text()

    def event(a: dict, *, cancelled: bool) -> Event:
        s, p = sheet.shifts[a["shift"]], sheet.posts[a["post"]]
        begin, end = sheet.times(a)
        ev = Event()
        ev.add("uid", event_uid(sheet.station.code, sheet.roster_id, a["badge"], a["date"]))
        ev.add("sequence", sheet.version)
        ev.add("dtstamp", stamp)
        ev.add("last-modified", stamp)
        ev.add("dtstart", begin.replace(tzinfo=zone))
        ev.add("dtend", end.replace(tzinfo=zone))
        who = "" if sheet.person else f"{a['name']} "
        summary = sheet.t("export.ics_summary", who=who, code=sheet.cell_text(s.code, p.code),
                          shift=sheet.shift_name(s.code), post=sheet.post_name(p.code))
        ev.add("summary", sheet.t("export.ics_cancelled", summary=summary) if cancelled else summary)
        ev.add("description", "\n".join([
            f"{a['name']} ({a['badge']})",
            sheet.t("export.ics_shift", code=sheet.shift_mark(s.code), name=sheet.shift_name(s.code), start=s.start,
                    end=s.end),
            sheet.t("export.ics_post", code=sheet.post_mark(p.code), name=sheet.post_name(p.code)),
            sheet.t("export.ics_roster", station=sheet.station_name, ref=sheet.ref, status=status)
            + (sheet.t("export.ics_dropped") if cancelled else "")]))
        ev.add("location", sheet.station_name + (f" {sheet.station.address}" if sheet.station.address else ""))
        ev.add("categories", [sheet.shift_name(s.code), sheet.post_name(p.code)])
        ev.add("status", "CANCELLED" if cancelled else ("CONFIRMED" if live else "TENTATIVE"))
        ev.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
        return ev

    for a in sheet.assignments:
        cal.add_component(event(a, cancelled=False))
    for a in sheet.cancelled:
        cal.add_component(event(a, cancelled=True))
    first = min([sheet.start] + [date.fromisoformat(a["date"]) for a in sheet.cancelled])
    cal.add_missing_timezones(first_date=first - timedelta(days=1), last_date=sheet.end + timedelta(days=2))
    return cal.to_ical()
