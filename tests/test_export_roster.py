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


def export(cli_run, tmp_path, rid, fmt, *extra, name=None):
    out = tmp_path / (name or f"roster.{fmt}")
    r = cli_run("roster", "export", str(rid), "--format", fmt, "--out", str(out), *extra)
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


def test_xlsx_grid_round_trip_and_print_settings(cli_run, roster_db, shown, tmp_path, db_path):
    out = export(cli_run, tmp_path, shown["roster_id"], "xlsx")
    wb = load_workbook(out)
    ws = wb["排班表"]
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$3"
    # the grid: header on row 3, people from row 4 until the coverage row
    start = date.fromisoformat(shown["start"])
    header = [c.value for c in ws[3]]
    assert header[:3] == ["警号", "姓名", "队室"]
    assert header[3].startswith(f"{start:%m-%d} {'一二三四五六日'[start.weekday()]}")
    names = {a["badge"]: a["name"] for a in shown["assignments"]}
    got = set()
    row = 4
    while ws.cell(row=row, column=1).value:
        badge = ws.cell(row=row, column=1).value
        assert isinstance(badge, str)
        for d in range(shown["days"]):
            value = ws.cell(row=row, column=4 + d).value
            if value and "/" in value:
                shift, post = value.split("/")
                got.add(((start + timedelta(days=d)).isoformat(), badge, ws.cell(row=row, column=2).value, shift, post))
        row += 1
    assert got == cells(shown["assignments"])
    assert ws.cell(row=row, column=2).value == "在岗人次"
    assert set(names) <= {ws.cell(row=r, column=1).value for r in range(4, row)}
    text = "\n".join(str(c.value) for r in ws.iter_rows() for c in r if c.value)
    assert "图例" in text and "夜班" in text and "20:00-08:00" in text and "巡逻1" in text
    # footer: station, version, status, audit chain head
    with StationDB(db_path) as sdb:
        seq, head = audit_db.head(sdb)
    assert "城关派出所" in ws.oddFooter.left.text and "1v1" in ws.oddFooter.left.text
    assert "草稿" in ws.oddFooter.left.text
    assert head in ws.oddFooter.right.text and f"#{seq}" in ws.oddFooter.right.text
    assert "&P" in ws.oddFooter.center.text
    # the detail sheet is the CSV
    detail = wb["明细"]
    rows = [dict(zip([c.value for c in detail[1]], [c.value for c in r])) for r in detail.iter_rows(min_row=2)]
    assert cells(rows) == cells(shown["assignments"])
    assert detail.print_title_rows == "$1:$1" and detail.page_setup.orientation == "landscape"


def test_approved_version_shows_its_recorded_audit_head(cli_run, roster_db, db_path, tmp_path):
    rid = roster_db[0]["roster_id"]
    with StationDB(db_path) as sdb, sdb.write():
        set_status(sdb, sdb.scalar("SELECT id FROM roster_versions WHERE roster_id = ?", (rid,)), "approved",
                   audit_head="ab" * 32)
    ws = load_workbook(export(cli_run, tmp_path, rid, "xlsx"))["排班表"]
    assert "ab" * 32 in ws.oddFooter.right.text and "已批准" in ws.oddFooter.left.text
    page = export(cli_run, tmp_path, rid, "html").read_text(encoding="utf-8")
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


def test_html_is_printable_and_escaped(cli_run, roster_db, shown, tmp_path, db_path):
    victim = shown["assignments"][0]
    with StationDB(db_path) as sdb, sdb.write():
        sdb.conn.execute("UPDATE people SET name = ? WHERE badge = ?", ('<b>"王&丽"</b>', victim["badge"]))
    page = export(cli_run, tmp_path, shown["roster_id"], "html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "@page { size: A4 landscape" in page and "display: table-header-group" in page
    assert "<b>" not in page and "&lt;b&gt;&quot;王&amp;丽&quot;&lt;/b&gt;" in page
    assert "<script" not in page and "http" not in page          # self-contained: nothing fetched
    parser = _Cells()
    parser.feed(page)
    start = date.fromisoformat(shown["start"])
    got = set()
    grid = [r for r in parser.rows if r and len(r) == 3 + shown["days"]]
    for r in grid[1:]:
        for d, value in enumerate(r[3:]):
            if "/" in value:
                got.add(((start + timedelta(days=d)).isoformat(), r[0], r[1]) + tuple(value.split("/")))
    expected = {(a["date"], a["badge"], '<b>"王&丽"</b>' if a["badge"] == victim["badge"] else a["name"],
                 a["shift"], a["post"]) for a in shown["assignments"]}
    assert got == expected
    assert "班次 Shifts" in page and "岗位 Posts" in page and "<footer>" in page and "1v1 草稿" in page


def test_leave_shows_in_the_grid(cli_run, roster_db, shown, tmp_path):
    start = date.fromisoformat(shown["start"])
    busy = {a["badge"] for a in shown["assignments"] if a["date"] == start.isoformat()}
    free = next(a["badge"] for a in shown["assignments"] if a["badge"] not in busy)
    cli_run("leave", "add", free, "--from", start.isoformat(), "--to", start.isoformat(), "--kind", "annual")
    ws = load_workbook(export(cli_run, tmp_path, shown["roster_id"], "xlsx"))["排班表"]
    row = next(r for r in range(4, ws.max_row) if ws.cell(row=r, column=1).value == free)
    assert ws.cell(row=row, column=4).value == "年休假"


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


def test_html_splits_long_rosters_into_two_week_tables(make_ctx, roster_db, shown):
    from dataclasses import replace

    from usecases.export import roster_sheet
    from usecases.render import to_html
    from usecases.roster import RosterRef
    with make_ctx().open() as s:
        sheet = roster_sheet(s, RosterRef(shown["roster_id"]))
    page = to_html(replace(sheet, days=20)).decode("utf-8")      # 14 + 6 days
    assert page.count('<table class="grid">') == 2
    start = date.fromisoformat(shown["start"])
    assert f"<caption>{start + timedelta(days=14)} 至 {start + timedelta(days=19)}</caption>" in page
    parser = _Cells()
    parser.feed(page)
    heads = [r for r in parser.rows if r and r[0] == "警号"]
    assert [len(h) for h in heads] == [3 + 14, 3 + 6]
    assert page.count("<tfoot>") == 2                               # the footer line under each table
