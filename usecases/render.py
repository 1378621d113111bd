"""Rendering a roster version for people outside the terminal: CSV, a printable XLSX, a
printable HTML page, and an iCalendar file. Pure functions of a `RosterSheet` (no database),
so they can be tested and reused (the terminal app may offer the same exports)."""
from __future__ import annotations

import csv
import html
import io
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from stationdef.leave_file import LEAVE_KINDS
from stationdef.model import Post, ShiftType, StationInfo
from stationdef.text import defuse_workbook, neutralise

STATUS_ZH = {"draft": "草稿", "submitted": "待审批", "approved": "已批准", "published": "已发布",
             "rejected": "已退回", "superseded": "已被替代"}
LIVE = ("approved", "published")
WEEKDAYS = "一二三四五六日"
CSV_COLUMNS = ("date", "badge", "name", "shift", "shift_name", "start", "end", "post", "post_name")


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
    audit_label: str                     # says which of the two it is
    shifts: dict[str, ShiftType]
    posts: dict[str, Post]
    teams: dict[str, str]                # team code -> name
    people: list[dict]                   # rows of the grid: badge, name, team (in print order)
    assignments: list[dict]              # date (ISO), badge, name, shift, post
    leave: dict[tuple[str, str], str] = field(default_factory=dict)   # (badge, ISO date) -> leave kind
    day_kinds: dict[str, str] = field(default_factory=dict)           # ISO date -> workday/weekend/holiday/...
    cancelled: list[dict] = field(default_factory=list)  # assignments of earlier versions this one dropped
    person: str | None = None            # exported for one person only
    content_digest: str | None = None    # digest of the assignments signed at approval (audit verify checks it)

    def signature(self) -> str:
        """What proves this print: the signed content digest, and the audit chain head."""
        digest = f"内容摘要 content digest {self.content_digest} · " if self.content_digest else ""
        return f"{digest}{self.audit_label} {self.audit_hash}"

    @property
    def ref(self) -> str:
        return f"{self.roster_id}v{self.version}"

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.days - 1)

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    def title(self) -> str:
        who = ""
        if self.person:
            who = " " + next((p["name"] for p in self.people if p["badge"] == self.person), self.person)
        return (f"{self.station.name} 排班表{who} {self.start.isoformat()} 至 {self.end.isoformat()}"
                f"（第{self.roster_id}号 第{self.version}版 {STATUS_ZH.get(self.status, self.status)}）")

    def footer_parts(self) -> tuple[str, str]:
        left = (f"{self.station.name} ({self.station.code}) 排班表 {self.ref} "
                f"{STATUS_ZH.get(self.status, self.status)} {self.status}")
        right = self.signature()
        return left, right

    def day_header(self, d: date) -> str:
        mark = {"holiday": " 休", "adjusted_workday": " 班"}.get(self.day_kinds.get(d.isoformat(), ""), "")
        return f"{d:%m-%d} {WEEKDAYS[d.weekday()]}{mark}"

    def is_off_day(self, d: date) -> bool:
        kind = self.day_kinds.get(d.isoformat())
        return kind in ("weekend", "holiday") if kind else d.weekday() >= 5

    def grid(self) -> list[tuple[dict, list[str]]]:
        """(person, cell text per day): 'N/PAT1' for an assignment, the leave kind for leave, '' when off."""
        cells = {(a["badge"], a["date"]): f"{a['shift']}/{a['post']}" for a in self.assignments}
        out = []
        for p in self.people:
            row = []
            for d in self.dates():
                iso = d.isoformat()
                text = cells.get((p["badge"], iso))
                if text is None and (p["badge"], iso) in self.leave:
                    text = LEAVE_KINDS[self.leave[(p["badge"], iso)]][0]
                row.append(text or "")
            out.append((p, row))
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

    def legend(self) -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
        shifts = [[s.code, s.name, f"{s.start}-{s.end}" + (" (次日)" if s.crosses_midnight else ""),
                   f"{s.minutes / 60:g} h"] for s in self.shifts.values()]
        posts = [[p.code, p.name, self.teams.get(p.team or "", "")] for p in self.posts.values()]
        leave = [[zh, code] for code, (zh, _) in LEAVE_KINDS.items()]
        return shifts, posts, leave


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

GRID_HEAD_ROWS = 3     # title, subtitle, column headers: repeated on every printed page
GRID_FIXED = ("警号", "姓名", "队室")


def footer_text(text: str) -> str:
    """Header/footer text: '&' starts a code there, so a literal one is doubled."""
    return text.replace("&", "&&")


def _display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet cell: CJK characters count two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def to_xlsx(sheet: RosterSheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    wb = Workbook()
    ws = wb.active
    ws.title = "排班表"
    thin = Side(style="thin", color="666666")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center")
    shade = PatternFill("solid", fgColor="E8E8E8")
    bold = Font(bold=True)
    dates = sheet.dates()
    grid = sheet.grid()
    n_cols = len(GRID_FIXED) + len(dates)

    ws.cell(row=1, column=1, value=sheet.title()).font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value=(f"{sheet.station.name} · 生成于 {sheet.created_at} · "
                                    f"{sheet.signature()}")).font = Font(size=8)
    for c, text in enumerate(list(GRID_FIXED) + [sheet.day_header(d) for d in dates], start=1):
        cell = ws.cell(row=GRID_HEAD_ROWS, column=c, value=text)
        cell.font, cell.alignment, cell.border = bold, center, box
        if c > len(GRID_FIXED) and sheet.is_off_day(dates[c - len(GRID_FIXED) - 1]):
            cell.fill = shade
    r = GRID_HEAD_ROWS
    for person, row in grid:
        r += 1
        values = [person["badge"], person["name"], sheet.teams.get(person.get("team") or "", "")] + row
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=v)
            cell.border = box
            if c == 1:
                cell.number_format = "@"        # badges are text: leading zeros stay
            if c > len(GRID_FIXED):
                cell.alignment = center
                if sheet.is_off_day(dates[c - len(GRID_FIXED) - 1]):
                    cell.fill = shade
    r += 1
    ws.cell(row=r, column=2, value="在岗人次").font = bold
    for c, n in enumerate(sheet.on_duty(), start=len(GRID_FIXED) + 1):
        cell = ws.cell(row=r, column=c, value=n)
        cell.alignment, cell.border = center, box

    # legend block under the grid, so it is on the printed page
    shifts, posts, leave = sheet.legend()
    r += 2
    ws.cell(row=r, column=1, value="图例 Legend").font = bold
    r += 1
    for c, text in enumerate(("班次", "名称", "时间", "时长"), start=1):
        ws.cell(row=r, column=c, value=text).font = bold
    for c, text in enumerate(("岗位", "名称", "所属"), start=6):
        ws.cell(row=r, column=c, value=text).font = bold
    for i in range(max(len(shifts), len(posts))):
        if i < len(shifts):
            for c, v in enumerate(shifts[i], start=1):
                ws.cell(row=r + 1 + i, column=c, value=v)
        if i < len(posts):
            for c, v in enumerate(posts[i], start=6):
                ws.cell(row=r + 1 + i, column=c, value=v)
    r += max(len(shifts), len(posts)) + 2
    ws.cell(row=r, column=1, value="格中文字 = 班次/岗位；" + "、".join(x[0] for x in leave) + " = 请假；灰底 = 休息日")

    ws.column_dimensions["A"].width = 9
    ws.column_dimensions["B"].width = 9
    ws.column_dimensions["C"].width = 12
    for i, d in enumerate(dates):   # as narrow as the texts allow: fitting to width then shrinks less
        texts = [sheet.day_header(d)] + [row[i] for _, row in grid]
        ws.column_dimensions[get_column_letter(len(GRID_FIXED) + 1 + i)].width = max(map(_display_width, texts)) + 1.5
    ws.freeze_panes = ws.cell(row=GRID_HEAD_ROWS + 1, column=len(GRID_FIXED) + 1)

    # print settings: A4 landscape, one page wide, head rows on every page, footer with the chain hash
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"1:{GRID_HEAD_ROWS}"
    ws.print_area = f"A1:{get_column_letter(n_cols)}{r}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom, ws.page_margins.footer = 0.5, 0.7, 0.3
    left, right = sheet.footer_parts()
    ws.oddFooter.left.text, ws.oddFooter.left.size = footer_text(left), 7
    ws.oddFooter.center.text, ws.oddFooter.center.size = "第 &P 页 / 共 &N 页", 7
    ws.oddFooter.right.text, ws.oddFooter.right.size = footer_text(right), 6

    detail = wb.create_sheet("明细")
    detail.append(list(CSV_COLUMNS))
    for row in assignment_rows(sheet):
        detail.append(row)
    for cell in detail[1]:
        cell.font = bold
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
    detail.oddFooter.left.text, detail.oddFooter.left.size = footer_text(left), 7
    detail.oddFooter.right.text, detail.oddFooter.right.size = footer_text(right), 6

    defuse_workbook(wb)     # text cells only: a name like =HYPERLINK(...) stays text
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# -- HTML ---------------------------------------------------------------------------------------

_CSS = """
@page { size: A4 landscape; margin: 10mm 8mm 14mm 8mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       font-size: 10pt; color: #000; margin: 1em; }
h1 { font-size: 14pt; margin: 0 0 .3em 0; }
p.sub { font-size: 8pt; margin: 0 0 .6em 0; color: #333; }
table { border-collapse: collapse; }
table.grid { width: 100%; }
table.grid + table.grid { page-break-before: always; break-before: page; margin-top: 1em; }
table.grid caption { text-align: left; font-weight: bold; padding-bottom: 2px; }
table.grid th, table.grid td { border: 1px solid #666; padding: 1px 3px; text-align: center; white-space: nowrap; }
table.grid td.badge, table.grid td.name, table.grid td.team { text-align: left; }
thead { display: table-header-group; }   /* repeated at the top of every printed page */
tfoot { display: table-footer-group; }   /* the footer line, repeated at the bottom of every page */
table.grid tfoot td { border: none; text-align: left; font-size: 7pt; color: #333; padding-top: 3px; }
table.grid tr.total td { font-weight: bold; }
tr { page-break-inside: avoid; break-inside: avoid; }
.off { background: #e8e8e8; }
td.leave { font-style: italic; color: #555; }
section.legend { margin-top: 1em; display: flex; gap: 2em; font-size: 9pt; page-break-inside: avoid; }
section.legend th, section.legend td { border: 1px solid #aaa; padding: 1px 4px; text-align: left; }
footer { margin-top: 1em; font-size: 7pt; color: #333; border-top: 1px solid #999; padding-top: 2px; }
@media print {
  body { margin: 0; }
  .off { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


HTML_BLOCK_DAYS = 14


def to_html(sheet: RosterSheet) -> bytes:
    e = html.escape
    dates = sheet.dates()
    off = [sheet.is_off_day(d) for d in dates]

    def cls(i: int, extra: str = "") -> str:
        names = " ".join(x for x in (("off" if off[i] else ""), extra) if x)
        return f' class="{names}"' if names else ""

    out = ["<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
           f"<title>{e(sheet.title())}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
           f"<h1>{e(sheet.title())}</h1>",
           f'<p class="sub">{e(sheet.station.name)} · 生成于 {e(sheet.created_at)} · '
           + (f"内容摘要 content digest <code>{e(sheet.content_digest)}</code> · " if sheet.content_digest else "")
           + f"{e(sheet.audit_label)} <code>{e(sheet.audit_hash)}</code></p>",
           ]
    grid = sheet.grid()
    totals = sheet.on_duty()
    leave_names = {zh for zh, _ in LEAVE_KINDS.values()}
    left, right = sheet.footer_parts()
    # up to HTML_BLOCK_DAYS days a table, so a month still prints legibly on A4 landscape
    for first in range(0, len(dates), HTML_BLOCK_DAYS):
        block = range(first, min(first + HTML_BLOCK_DAYS, len(dates)))
        out.append('<table class="grid">')
        if len(dates) > HTML_BLOCK_DAYS:
            out.append(f"<caption>{e(dates[block[0]].isoformat())} 至 {e(dates[block[-1]].isoformat())}</caption>")
        out.append("<thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in GRID_FIXED)
                   + "".join(f"<th{cls(i)}>{e(sheet.day_header(dates[i]))}</th>" for i in block) + "</tr></thead>")
        out.append("<tbody>")
        for person, row in grid:
            cells = [f'<td class="badge">{e(person["badge"])}</td>', f'<td class="name">{e(person["name"])}</td>',
                     f'<td class="team">{e(sheet.teams.get(person.get("team") or "", ""))}</td>']
            cells += [f"<td{cls(i, 'leave' if row[i] in leave_names else '')}>{e(row[i])}</td>" for i in block]
            out.append(f'<tr data-badge="{e(person["badge"])}">' + "".join(cells) + "</tr>")
        out.append('<tr class="total"><td></td><td class="name">在岗人次</td><td></td>'
                   + "".join(f"<td{cls(i)}>{totals[i]}</td>" for i in block) + "</tr>")
        out.append("</tbody>")
        out.append(f'<tfoot><tr><td colspan="{len(GRID_FIXED) + len(block)}">{e(left)} · {e(right)}</td></tr></tfoot>')
        out.append("</table>")
    shifts, posts, leave = sheet.legend()

    def small(title: str, head: tuple[str, ...], rows: list[list[str]]) -> str:
        return (f"<table><caption>{e(title)}</caption><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr>"
                + "".join("<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in r) + "</tr>" for r in rows)
                + "</table>")
    out.append('<section class="legend">')
    out.append(small("班次 Shifts", ("代码", "名称", "时间", "时长"), shifts))
    out.append(small("岗位 Posts", ("代码", "名称", "所属"), posts))
    out.append(small("请假 Leave", ("显示", "类型"), leave))
    out.append("</section>")
    out.append(f"<footer>{e(left)} · {e(right)}</footer>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out).encode("utf-8")


# -- iCalendar ----------------------------------------------------------------------------------

def event_uid(station_code: str, roster_id: int, badge: str, day: str) -> str:
    """Stable across versions of a roster, so a newer version updates the same calendar event."""
    return f"{station_code}-roster{roster_id}-{badge}-{day.replace('-', '')}@dutydesk"


def _utc(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


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
    status_zh = STATUS_ZH.get(sheet.status, sheet.status)

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
        summary = f"{who}{s.name} {p.name}"
        ev.add("summary", ("已取消 " + summary) if cancelled else summary)
        ev.add("description", "\n".join([
            f"{a['name']} ({a['badge']})",
            f"班次 {s.code} {s.name} {s.start}-{s.end}",
            f"岗位 {p.code} {p.name}",
            f"{sheet.station.name} 排班表 {sheet.ref} {status_zh}"
            + ("；此版本已取消该班次" if cancelled else "")]))
        ev.add("location", sheet.station.name + (f" {sheet.station.address}" if sheet.station.address else ""))
        ev.add("categories", [s.name, p.name])
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
