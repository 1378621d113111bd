"""The roster for the wall (issue 24 item 5): a month of the 62-person demo station printed from
the XLSX and the HTML export. The workbook's page setup is checked always; when LibreOffice
(`soffice`) and poppler (`pdftotext`) are installed, the XLSX is converted to PDF and its pages
and printed font sizes are counted; with `chromium`, the HTML is printed to PDF the same way.
docs/import-export.md ("Checking a print") gives the same check by hand."""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from stationdef.labels import is_chinese
from usecases.render import (FONT_PT, GRID_FIXED, HEAD_ROWS, MIN_PT, WEEK_DAYS, page_chunks, rows_per_page,
                             to_html, to_ics, to_xlsx)

WEEKS = 4


@pytest.fixture
def month(make_ctx, roster_db):
    """A 28-day version of the fixture's one-week roster (its week repeated), for printing."""
    from usecases.export import roster_sheet
    from usecases.roster import RosterRef
    roster, _ = roster_db

    def make(lang: str = "zh"):
        with make_ctx().open() as s:
            sheet = roster_sheet(s, RosterRef(roster["roster_id"]), lang=lang)
        week = [a for a in sheet.assignments if date.fromisoformat(a["date"]) < sheet.start + timedelta(days=7)]
        moved = [a | {"date": (date.fromisoformat(a["date"]) + timedelta(days=7 * w)).isoformat()}
                 for w in range(WEEKS) for a in week]
        return replace(sheet, days=7 * WEEKS, assignments=moved)
    return make


def header_rows(ws) -> list[int]:
    return [r for r in range(1, ws.max_row + 1)
            if ws.cell(row=r, column=2).value in ("警号", "Badge") and ws.cell(row=r, column=3).value in ("姓名", "Name")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_month_of_sixty_people_prints_a_week_a_block_on_a4_landscape(month, lang):
    sheet = month(lang)
    assert len(sheet.people) >= 60
    from io import BytesIO
    wb = load_workbook(BytesIO(to_xlsx(sheet)))
    ws = wb.worksheets[0]
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9       # A4
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"$1:${HEAD_ROWS}"                          # title, status, digest on every page
    # nothing smaller than 8 pt: every cell with a value, and the footers
    sizes = {c.font.sz for row in ws.iter_rows() for c in row if c.value is not None}
    assert sizes and min(s or 11 for s in sizes) >= MIN_PT
    for part in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
        assert part.text and part.size >= MIN_PT
    # one block per week with every person, split into pages of whole teams, each page its own header
    heads = header_rows(ws)
    pages = page_chunks(sheet, rows_per_page())
    assert len(heads) == WEEKS * len(pages) and len(pages) == 2         # 62 people: two pages a week
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(breaks) == len(heads) - 1
    assert all(heads[i] - 1 <= breaks[i] < heads[i + 1] for i in range(len(breaks)))   # a break before each page
    legend_col = GRID_FIXED + WEEK_DAYS + 2
    for head in heads:                                                   # the whole legend beside every page
        block = [ws.cell(row=r, column=c).value for r in range(head, head + 40)
                 for c in range(legend_col, legend_col + 6)]
        assert block[0] == ("图例" if lang == "zh" else "Legend")
        for s in sheet.shifts.values():
            assert (s.label if lang == "zh" else s.code) in block and sheet.shift_name(s.code) in block
        for p in sheet.posts.values():
            assert (p.label if lang == "zh" else p.code) in block and sheet.post_name(p.code) in block
    # the station, the version, its status and the digest line in the head rows
    assert sheet.station_name in ws["A1"].value and sheet.status_text() in ws["A2"].value
    assert sheet.audit_hash in ws["A3"].value
    if lang == "zh":   # a Chinese footer ends in Chinese or a hash, never in an English word like "published"
        left = ws.oddFooter.left.text
        assert left.endswith(sheet.status_text()) and not re.search(r"[A-Za-z]{3,}$", left)
        assert not re.search(r"\b(draft|published|approved|content digest|audit chain)\b", ws.oddFooter.right.text)


def test_the_digest_of_an_approved_version_is_printed(month):
    sheet = replace(month("zh"), status="approved", content_digest="cd" * 32, audit_seq=None)
    from io import BytesIO
    ws = load_workbook(BytesIO(to_xlsx(sheet))).worksheets[0]
    assert "内容摘要：" + "cd" * 32 in ws["A3"].value and "审批时审计链" in ws["A3"].value
    assert "cd" * 8 in ws.oddFooter.right.text and ws.oddFooter.left.text.endswith("已批准")
    page = to_html(sheet).decode("utf-8")
    assert "cd" * 32 in page and "已批准" in page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_calendar_summaries_use_labels_in_chinese_and_codes_in_english(month, lang):
    sheet = month(lang)
    a = sheet.assignments[0]
    s, p = sheet.shifts[a["shift"]], sheet.posts[a["post"]]
    cal = Calendar.from_ical(to_ics(replace(sheet, assignments=[a], cancelled=[])))
    (event,) = cal.walk("VEVENT")
    if lang == "zh":
        assert str(event["SUMMARY"]) == f"{a['name']} {s.label}/{p.label} {s.name} {p.name}"
    else:
        assert str(event["SUMMARY"]) == f"{a['name']} {s.code}/{p.code} {s.name_en} {p.name_en}"


# -- printed for real ------------------------------------------------------------------------------

def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def cjk_font_sizes(pdf: Path) -> list[float]:
    """Printed sizes of the text: a Chinese character is one em wide, so a word of Chinese
    characters only gives its font size as width / characters."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    sizes = []
    for x0, x1, word in re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)</word>',
                                   out):
        if len(word) >= 2 and all(is_chinese(ch) and ch not in "（）：；，、“”" for ch in word):
            sizes.append((float(x1) - float(x0)) / len(word))
    return sizes


needs_soffice = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                   reason="LibreOffice (soffice) and poppler (pdftotext) are not installed; "
                                          "apt-get install libreoffice-calc-nogui poppler-utils")


@needs_soffice
def test_libreoffice_prints_the_month_on_eight_legible_pages(month, tmp_path):
    sheet = month("zh")
    xlsx = tmp_path / "roster.xlsx"
    xlsx.write_bytes(to_xlsx(sheet))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(xlsx)],
                   capture_output=True, check=True, timeout=300)
    pdf = tmp_path / "roster.pdf"
    pages = pdf_pages(pdf)
    assert len(pages) == WEEKS * len(page_chunks(sheet, rows_per_page()))        # 4 weeks x 2 pages
    for n, page in enumerate(pages, start=1):
        week = (n - 1) // 2 + 1
        assert f"第{week}周" in page and sheet.station.name in page and "草稿" in page
        assert "图例" in page and all(s.name in page for s in sheet.shifts.values())
        assert f"第{n}页/共{len(pages)}页" in re.sub(r"\s", "", page)
        assert not re.search(r"\b(draft|published|approved)\b", page)            # no English words in Chinese
    sizes = cjk_font_sizes(pdf)
    assert sizes and min(sizes) >= MIN_PT - 0.1, sorted(sizes)[:5]               # LibreOffice did not shrink it
    assert max(sizes) <= FONT_PT["title"] + 0.1


@pytest.mark.skipif(not ((shutil.which("chromium") or shutil.which("chromium-browser")) and shutil.which("pdftotext")),
                    reason="no headless chromium and pdftotext to print the HTML with; "
                           "apt-get install chromium poppler-utils")
def test_chromium_prints_the_html_a_week_a_page_block(month, tmp_path):
    sheet = month("zh")
    page = tmp_path / "roster.html"
    page.write_bytes(to_html(sheet))
    pdf = tmp_path / "roster.pdf"
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                    f"--user-data-dir={tmp_path / 'chromium'}", f"--print-to-pdf={pdf}", page.as_uri()],
                   capture_output=True, check=True, timeout=300)
    pages = pdf_pages(pdf)
    assert WEEKS <= len(pages) <= 2 * WEEKS
    firsts = [p for p in pages if re.search(r"第\d周", p)]
    assert [re.search(r"第(\d)周", p).group(1) for p in firsts] == [str(w) for w in range(1, WEEKS + 1)]
    assert all("图例" in p for p in firsts)                     # the legend beside every week
    sizes = cjk_font_sizes(pdf)
    assert sizes and min(sizes) >= MIN_PT - 0.1, sorted(sizes)[:5]
