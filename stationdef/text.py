"""Text that came from a user's file: control characters, lengths, spreadsheet formulas.

Every reader (station file, people list, leave list, calendar file) passes its text fields
through `check()`, which refuses C0 control characters (NUL, ESC, ...) and DEL, and text longer
than the field's limit; a ValueError carries the message the reader reports with file, row and
column. Newlines and tabs are allowed only in multi-line fields (notes, descriptions).

Spreadsheet exports pass every text cell through `neutralise()` (OWASP "CSV injection"): a cell
that begins with = + - @ tab or carriage return would be read by Excel, WPS or LibreOffice as a
formula (or a DDE call), so a single quote is put before it. The readers undo exactly that with
`unneutralise()`, so export -> import gives the text back unchanged. The rule is a bijection: a
text that already begins with quotes before such a character gets one more quote.
"""
from __future__ import annotations

import re

# lengths a clerk will never need more of; longer text is a mistake or an attack
MAX_CODE = 40          # codes: team, skill, shift, post, hot spot, station code
MAX_NAME = 100         # names of people, teams, posts, ...
MAX_BADGE = 32
MAX_SHORT = 200        # phone, address, skill lists, leave kinds, ...
MAX_NOTE = 2000        # notes and descriptions (may have line breaks)
MAX_SKILLS = 1000

_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_MULTI = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")   # tab, LF and CR allowed
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEUTRALISED = re.compile(r"^'+[=+\-@\t\r]")


def control_char(text: str, *, multiline: bool = False) -> str | None:
    """The first forbidden control character in `text`, shown as U+XXXX, or None."""
    m = (_CONTROL_MULTI if multiline else _CONTROL_LINE).search(text)
    return None if m is None else f"U+{ord(m.group()):04X}"


def check(text: str, *, max_len: int, multiline: bool = False, what: str = "the text") -> str:
    """Return `text` if it has no control characters and is at most `max_len` characters long."""
    bad = control_char(text, multiline=multiline)
    if bad is not None:
        allowed = " (only line breaks and tabs are allowed here)" if multiline else ""
        raise ValueError(f"{what} holds the control character {bad}{allowed}; remove it")
    if len(text) > max_len:
        raise ValueError(f"{what} is {len(text)} characters long; at most {max_len} are allowed")
    return text


def neutralise(value):
    """A cell value safe for a spreadsheet: text that a spreadsheet would run as a formula gets a
    leading single quote. Non-text values are returned as they are."""
    if isinstance(value, str) and (value.startswith(_FORMULA_START) or _NEUTRALISED.match(value)):
        return "'" + value
    return value


def unneutralise(value):
    """Undo `neutralise` for a cell read back from a CSV or XLSX file."""
    if isinstance(value, str) and _NEUTRALISED.match(value):
        return value[1:]
    return value


def scrub(text: str) -> str:
    """Control characters replaced by U+FFFD (for exports of data recorded before they were refused)."""
    return _CONTROL_MULTI.sub("\ufffd", text)


def defuse_workbook(wb) -> None:
    """Make every formula cell of an openpyxl workbook a text cell (exports never write formulas):
    openpyxl turns any string that begins with '=' into a formula."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
                    cell.quotePrefix = True
                elif isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                    cell.quotePrefix = True   # Excel keeps it text even when the cell is edited
