"""`dutydesk roster export`: every format read back and compared with `roster show --json`."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from db import audit as audit_db
from db.connection import StationDB
from db.rosters import add_version, assignments, set_status
from tests.conftest import load_json

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def shown(cli_run, roster_db):
    roster, _ = roster_db
    r = cli_run("roster", "show", str(roster["roster_id"]), "--json")
    return load_json(r)


def cells(rows) -> set[tuple]:
    return {(a["date"], a["badge"], a["name"], a["shift"], a["post"]) for a in rows}


def export(cli_run, tmp_path, rid, fmt, *extra, name=None, lang="zh"):
    out = tmp_path / (name or f"roster.{fmt}")
    r = cli_run("--lang", lang, "roster", "export", str(rid), "--format", fmt, "--out", str(out), *extra)
    assert r.exit_code == 0, r.output
    return out


def make_v2(db_path, roster_id: int) -> tuple[dict, dict]:
    """A second version without one assignment and with another moved to a night shift."""
    with StationDB(db_path) as sdb:
        v1 = sdb.one("SELECT id FROM roster_versions WHERE roster_id = ? AND version = 1", (roster_id,))
        rows = assignments(sdb, v1["id"])
        dropped, moved = rows[0], next(r for r in rows[1:] if r["shift"] != "N" and r["badge"] != rows[0]["badge"])
        new = [{"date": r["date"], "badge": r["badge"], "shift": "N" if r is moved else r["shift"],
                "post": r["post"]} for r in rows if r is not dropped]
        with sdb.write():
            add_version(sdb, roster_id, status="draft", login="clerk", assignments=new, parent_id=v1["id"])
    return dropped, moved


def test_json_is_roster_show(cli_run, roster_db, shown, tmp_path):
    rid = roster_db[0]["roster_id"]
    out = export(cli_run, tmp_path, rid, "json")
    assert out.read_text(encoding="utf-8") == cli_run("roster", "show", str(rid), "--json").stdout
    r = cli_run("roster", "export", f"{rid}v1", "--out", "-", "--format", "json")
    assert load_json(r) == shown


def test_csv_round_trip(cli_run, roster_db, shown, tmp_path):
    out = export(cli_run, tmp_path, shown["roster_id"], "csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                          # BOM: Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == ["date", "badge", "name", "shift", "shift_name", "start", "end", "post", "post_name"]
    assert cells(rows) == cells(shown["assignments"]) and len(rows) == len(shown["assignments"])
    station = load_json(cli_run("station", "show", "--json"))
    shifts = {s["code"]: s for s in station["shifts"]}
    posts = {p["code"]: p["name"] for p in station["posts"]}
    for row in rows:
        s = shifts[row["shift"]]
        begin, end = (datetime.strptime(row[k], "%Y-%m-%d %H:%M") for k in ("start", "end"))
        assert row["start"] == f"{row['date']} {s['start']}" and row["shift_name"] == s["name"]
        assert end - begin == timedelta(minutes=s["minutes"]) and row["post_name"] == posts[row["post"]]


def codes_of(station: dict, lang: str):
    """Cell text of a print -> (shift code, post code): labels in Chinese, codes in English."""
    if lang == "en":
        return lambda text: tuple(text.split("/"))
    shifts = {s["label"]: s["code"] for s in station["shifts"]}
    posts = {p["label"]: p["code"] for p in station["posts"]}
    return lambda text: (shifts[text.split("/")[0]], posts[text.split("/")[1]])


def xlsx_cells(ws, start: date, days: int, decode) -> tuple[set[tuple], dict[str, int]]:
    """The assignments a printed XLSX grid shows, read back, and the rows each page block holds."""
    from usecases.render import GRID_FIXED
    dates = {f"{d:%m-%d}": d for d in (start + timedelta(days=i) for i in range(days))}
    got, blocks = set(), {}
    heads = [r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=3).value in ("姓名", "Name")
             and ws.cell(row=r, column=2).value in ("警号", "Badge")]
    for head in heads:
        cols = {}
        for c in range(GRID_FIXED + 1, GRID_FIXED + 8):
            value = ws.cell(row=head, column=c).value
            if value:
                cols[c] = dates[value.split()[0]]
        r = head + 1
        while isinstance(ws.cell(row=r, column=2).value, str) and ws.cell(row=r, column=2).value:
            badge, name = ws.cell(row=r, column=2).value, ws.cell(row=r, column=3).value
            for c, d in cols.items():
                value = ws.cell(row=r, column=c).value
                if value and "/" in value:
                    got.add((d.isoformat(), badge, name) + decode(value))
            r += 1
        blocks[head] = r - head - 1
    return got, blocks


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_grid_round_trip_and_print_settings(cli_run, roster_db, shown, tmp_path, db_path, lang):
    out = export(cli_run, tmp_path, shown["roster_id"], "xlsx", lang=lang)
    wb = load_workbook(out)
    ws = wb["排班表" if lang == "zh" else "Roster"]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$3"
    start = date.fromisoformat(shown["start"])
    station = load_json(cli_run("station", "show", "--json"))
    got, blocks = xlsx_cells(ws, start, shown["days"], codes_of(station, lang))
    assert got == cells(shown["assignments"])
    # every active person once a week (the fixture's roster is one week), on pages of whole teams
    rostered = {a["badge"] for a in shown["assignments"]}
    printed = [p for p in load_json(cli_run("people", "list", "--json")) if p["active"] or p["badge"] in rostered]
    assert sum(blocks.values()) == len(printed)
    text = "\n".join(str(c.value) for r in ws.iter_rows() for c in r if c.value)
    if lang == "zh":
        assert "图例" in text and "夜班" in text and "20:00-08:00 次日" in text and "巡逻1" in text and "巡1" in text
        assert "在岗人次" in text and "草稿" in ws["A2"].value
    else:
        assert "Legend" in text and "Night" in text and "20:00-08:00 next day" in text and "PAT1" in text
        assert "On duty" in text and "draft" in ws["A2"].value
    # head rows and footer: station, version, status, audit chain head (in full on the page, short below)
    with StationDB(db_path) as sdb:
        seq, head = audit_db.head(sdb)
    assert head in ws["A3"].value and f"#{seq}" in ws["A3"].value
    assert ("城关派出所" if lang == "zh" else "Chengguan") in ws.oddFooter.left.text
    assert "1v1" in ws.oddFooter.left.text or "第1号第1版" in ws.oddFooter.left.text
    assert ("草稿" if lang == "zh" else "draft") in ws.oddFooter.left.text
    assert head[:16] in ws.oddFooter.right.text and "&P" in ws.oddFooter.center.text
    # the detail sheet is the CSV, hidden so that printing the workbook prints the roster
    detail = wb["明细" if lang == "zh" else "Assignments"]
    assert detail.sheet_state == "hidden"
    rows = [dict(zip([c.value for c in detail[1]], [c.value for c in r])) for r in detail.iter_rows(min_row=2)]
    assert cells(rows) == cells(shown["assignments"])
    assert detail.print_title_rows == "$1:$1" and detail.page_setup.orientation == "landscape"


def test_approved_version_shows_its_recorded_audit_head(cli_run, roster_db, db_path, tmp_path):
    rid = roster_db[0]["roster_id"]
    with StationDB(db_path) as sdb, sdb.write():
        set_status(sdb, sdb.scalar("SELECT id FROM roster_versions WHERE roster_id = ?", (rid,)), "approved",
                   audit_head="ab" * 32)
    ws = load_workbook(export(cli_run, tmp_path, rid, "xlsx"))["排班表"]
    assert "ab" * 32 in ws["A3"].value and "审批时审计链" in ws["A3"].value
    assert "ab" * 8 in ws.oddFooter.right.text and ws.oddFooter.left.text.endswith("已批准")
    page = export(cli_run, tmp_path, rid, "html").read_text(encoding="utf-8")
    assert "ab" * 32 in page and "审批时审计链" in page
    page = export(cli_run, tmp_path, rid, "html", lang="en").read_text(encoding="utf-8")
    assert "ab" * 32 in page and "audit chain at approval" in page
    cal = Calendar.from_ical(export(cli_run, tmp_path, rid, "ics").read_bytes())
    assert {str(e["STATUS"]) for e in cal.walk("VEVENT")} == {"CONFIRMED"}


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.tags, self._row, self._cell = [], [], None, None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr":
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def html_cells(page: str, start: date, days: int, decode) -> set[tuple]:
    """The assignments the weekly tables of a printed HTML page show, read back."""
    dates = {f"{d:%m-%d}": d for d in (start + timedelta(days=i) for i in range(days))}
    got = set()
    for section in page.split('<section class="week">')[1:]:
        parser = _Cells()
        parser.feed(section.split('<div class="legend">')[0])
        head = next(r for r in parser.rows if r and r[0] in ("警号", "Badge"))
        cols = [dates[h.split()[0]] for h in head[2:]]
        for r in parser.rows:
            if r and len(r) == len(head) and r is not head and r[0]:
                for d, value in zip(cols, r[2:]):
                    if "/" in value:
                        got.add((d.isoformat(), r[0], r[1]) + decode(value))
    return got


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_is_printable_and_escaped(cli_run, roster_db, shown, tmp_path, db_path, lang):
    victim = shown["assignments"][0]
    with StationDB(db_path) as sdb, sdb.write():
        sdb.conn.execute("UPDATE people SET name = ? WHERE badge = ?", ('<b>"王&丽"</b>', victim["badge"]))
    page = export(cli_run, tmp_path, shown["roster_id"], "html", lang=lang).read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "@page { size: A4 landscape" in page and "display: table-header-group" in page
    assert "<b>" not in page and "&lt;b&gt;&quot;王&amp;丽&quot;&lt;/b&gt;" in page
    assert "<script" not in page and "http" not in page          # self-contained: nothing fetched
    sizes = [float(x) for x in re.findall(r"font-size: ([0-9.]+)pt", page)]
    assert sizes and min(sizes) >= 8                              # nothing printed smaller than 8 pt
    station = load_json(cli_run("station", "show", "--json"))
    got = html_cells(page, date.fromisoformat(shown["start"]), shown["days"], codes_of(station, lang))
    expected = {(a["date"], a["badge"], '<b>"王&丽"</b>' if a["badge"] == victim["badge"] else a["name"],
                 a["shift"], a["post"]) for a in shown["assignments"]}
    assert got == expected
    assert "<footer>" in page
    if lang == "zh":
        assert "图例" in page and "排班表 第1号第1版 草稿" in page and "看管" in page and "候问室看管" in page
    else:
        assert "Legend" in page and "roster 1v1, draft" in page and "GUARD" in page and "Holding-room guard" in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_leave_shows_in_the_grid(cli_run, roster_db, shown, tmp_path, lang):
    start = date.fromisoformat(shown["start"])
    busy = {a["badge"] for a in shown["assignments"] if a["date"] == start.isoformat()}
    free = next(a["badge"] for a in shown["assignments"] if a["badge"] not in busy)
    cli_run("leave", "add", free, "--from", start.isoformat(), "--to", start.isoformat(), "--kind", "annual")
    ws = load_workbook(export(cli_run, tmp_path, shown["roster_id"], "xlsx", lang=lang)).worksheets[0]
    row = next(r for r in range(4, ws.max_row) if ws.cell(row=r, column=2).value == free)
    assert ws.cell(row=row, column=4).value == ("年休假" if lang == "zh" else "AL")
    text = "\n".join(str(c.value) for r in ws.iter_rows() for c in r if c.value)
    assert ("年休假" if lang == "zh" else "AL = annual leave") in text      # and the legend says what it is


def events(path) -> dict[str, object]:
    cal = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_ics_uids_stable_sequence_up_and_cancellations(cli_run, roster_db, shown, tmp_path, db_path):
    rid = shown["roster_id"]
    v1_path = export(cli_run, tmp_path, rid, "ics", name="v1.ics")
    cal = Calendar.from_ical(v1_path.read_bytes())
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    v1 = events(v1_path)
    assert len(v1) == len(shown["assignments"])
    for e in v1.values():
        assert int(e["SEQUENCE"]) == 1 and str(e["STATUS"]) == "TENTATIVE"       # a draft
        assert e.decoded("DTSTART").tzinfo is not None and e["DTSTART"].params["TZID"] == "Asia/Shanghai"
    by_key = {(a["badge"], a["date"]): a for a in shown["assignments"]}
    station = load_json(cli_run("station", "show", "--json"))
    shifts = {s["code"]: s for s in station["shifts"]}
    for uid, e in v1.items():
        badge, day = re.fullmatch(r"610526-CG-roster\d+-(\w+)-(\d{8})@dutydesk", uid).groups()
        a = by_key[(badge, f"{day[:4]}-{day[4:6]}-{day[6:]}")]
        begin = e.decoded("DTSTART").astimezone(SHANGHAI)
        assert f"{begin:%Y-%m-%d %H:%M}" == f"{a['date']} {shifts[a['shift']]['start']}"
        assert e.decoded("DTEND") - e.decoded("DTSTART") == timedelta(minutes=shifts[a["shift"]]["minutes"])

    dropped, moved = make_v2(db_path, rid)
    v2 = events(export(cli_run, tmp_path, f"{rid}v2", "ics", name="v2.ics"))
    assert set(v2) == set(v1)                                   # same UIDs: the dropped one comes cancelled
    assert all(int(e["SEQUENCE"]) == 2 for e in v2.values())
    cancelled = [u for u, e in v2.items() if str(e["STATUS"]) == "CANCELLED"]
    assert len(cancelled) == 1 and f"-{dropped['badge']}-{dropped['date'].replace('-', '')}@" in cancelled[0]
    uid = next(u for u in v2 if f"-{moved['badge']}-{moved['date'].replace('-', '')}@" in u)
    assert v2[uid].decoded("DTSTART").astimezone(SHANGHAI).hour == 20       # moved to the night shift
    assert v1[uid].decoded("DTSTART") != v2[uid].decoded("DTSTART")
    # exporting v1 again still gives v1 (and nothing cancelled)
    assert events(export(cli_run, tmp_path, f"{rid}v1", "ics", name="again.ics")).keys() == v1.keys()


def test_ics_for_one_person(cli_run, roster_db, shown, tmp_path):
    badge = shown["assignments"][0]["badge"]
    mine = [a for a in shown["assignments"] if a["badge"] == badge]
    r = cli_run("roster", "export", str(shown["roster_id"]), "--out", str(tmp_path / "me.ics"), "--person", badge,
                "--json")
    assert r.exit_code == 0 and load_json(r)["assignments"] == len(mine)
    ev = events(tmp_path / "me.ics")
    assert len(ev) == len(mine) and all(f"-{badge}-" in u for u in ev)
    assert all(a["name"] not in str(e["SUMMARY"]) for e, a in zip(ev.values(), mine))   # no name in my own calendar
    csv_text = cli_run("roster", "export", str(shown["roster_id"]), "--out", "-", "--format", "csv",
                       "--person", badge).stdout_bytes.decode("utf-8-sig")
    assert len(csv_text.strip().splitlines()) == len(mine) + 1


def test_bad_requests(cli_run, roster_db, shown, tmp_path):
    rid = str(shown["roster_id"])
    r = cli_run("roster", "export", rid, "--out", str(tmp_path / "x.ics"), "--person", "nobody")
    assert r.exit_code == 65 and "no person with badge 'nobody'" in r.stderr
    r = cli_run("roster", "export", "99", "--out", str(tmp_path / "x.csv"))
    assert r.exit_code == 2 and "no roster 99" in r.stderr
    r = cli_run("roster", "export", "seven", "--out", str(tmp_path / "x.csv"))
    assert r.exit_code == 2 and "not a roster id" in r.stderr     # a usage error (cli.params.ROSTER_ID)
    r = cli_run("roster", "export", rid, "--out", str(tmp_path / "x.txt"))
    assert r.exit_code == 65 and "--format" in r.stderr
    r = cli_run("roster", "export", rid, "--out", "-", "--format", "xlsx")
    assert r.exit_code == 2 and "binary" in r.stderr
    r = cli_run("roster", "export", rid, "--out", str(tmp_path / "no" / "such" / "dir.csv"))
    assert r.exit_code == 65 and "does not exist" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("station.db")) == []  # nor temp files
    r = cli_run("roster", "export", rid, "--out", str(tmp_path / "x.csv"), login="anyone")   # no role: nothing
    assert r.exit_code == 77 and "has no role" in r.stderr and not (tmp_path / "x.csv").exists()
    r = cli_run("roster", "export", rid, "--out", str(tmp_path / "x.csv"), login="wu")       # a viewer reads it
    assert r.exit_code == 0 and "draft, not approved" in r.stderr


def test_html_splits_long_rosters_into_weeks(make_ctx, roster_db, shown):
    from dataclasses import replace

    from usecases.export import roster_sheet
    from usecases.render import to_html
    from usecases.roster import RosterRef
    with make_ctx().open() as s:
        sheet = roster_sheet(s, RosterRef(shown["roster_id"]), lang="zh")
    page = to_html(replace(sheet, days=20)).decode("utf-8")      # 7 + 7 + 6 days
    assert page.count('<section class="week">') == 3 and "break-before: page" in page
    start = date.fromisoformat(shown["start"])
    assert f"第3周 {start + timedelta(days=14)}" in page
    parser = _Cells()
    parser.feed(page)
    heads = [r for r in parser.rows if r and r[0] == "警号"]
    assert [len(h) for h in heads] == [2 + 7, 2 + 7, 2 + 6]
    assert page.count("<tfoot>") == 3                               # the footer line under each table
