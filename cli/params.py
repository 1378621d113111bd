"""Checked command-line values: every number a user types is checked for type, finiteness and
range here, so a bad option is a usage error (exit 2) naming the option, never a traceback or
a solver that never stops.

    --time-limit  a finite number of seconds, > 0 and at most a day
    --workers     1..256 solver threads
    --seed        0..2**31-1 (CP-SAT keeps a 32-bit seed)
    --days        1..366
    --year        2000..2099 (what a holiday calendar is kept for)
    ids           1..2**63-1 (what SQLite can store)
"""
from __future__ import annotations

import math
from datetime import date

import click

MAX_ID = 2 ** 63 - 1
MAX_SEED = 2 ** 31 - 1


class BoundedInt(click.ParamType):
    """A whole number (no 1.5, no 1e3, no nan) between `low` and `high`."""

    def __init__(self, low: int, high: int, what: str = "a whole number"):
        self.low, self.high, self.what = low, high, what
        self.name = f"integer {low}..{high}"

    def convert(self, value, param, ctx):
        if isinstance(value, int) and not isinstance(value, bool):
            n = value
        else:
            text = str(value).strip()
            if len(text) > 40 or not text.lstrip("+-").isdigit() or not text.isascii():
                self.fail(f"'{_short(value)}' is not {self.what}", param, ctx)
            n = int(text)
        if not self.low <= n <= self.high:
            self.fail(f"{_short(n)} is out of range: give {self.what} from {self.low} to {self.high}", param, ctx)
        return n

    def get_metavar(self, param, *args, **kwargs) -> str | None:     # click 8.1 and 8.2 signatures
        return None if isinstance(param, click.Argument) else "INTEGER"


class BoundedFloat(click.ParamType):
    """A finite number (no nan, no inf) with low < x <= high (or low <= x when low_inclusive)."""

    def __init__(self, low: float, high: float, what: str = "a number", *, low_inclusive: bool = False):
        self.low, self.high, self.what, self.low_inclusive = low, high, what, low_inclusive
        self.name = f"number {low}..{high}"

    def convert(self, value, param, ctx):
        try:
            x = float(value) if not isinstance(value, bool) else math.nan
        except (TypeError, ValueError, OverflowError):
            self.fail(f"'{_short(value)}' is not {self.what}", param, ctx)
        if not math.isfinite(x):
            self.fail(f"'{_short(value)}' is not {self.what}: give a finite number", param, ctx)
        above = x >= self.low if self.low_inclusive else x > self.low
        if not above or x > self.high:
            low = f"at least {self.low:g}" if self.low_inclusive else f"more than {self.low:g}"
            self.fail(f"{x:g} is out of range: give {self.what} {low} and at most {self.high:g}", param, ctx)
        return x

    def get_metavar(self, param, *args, **kwargs) -> str | None:
        if isinstance(param, click.Argument):
            return None
        return "SECONDS" if "second" in self.what else "NUMBER"


class DateParam(click.ParamType):
    """A calendar date as clerks write it (2026-12-01, 2026/12/1, 2026年12月1日)."""

    name = "date"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        from stationdef.cells import parse_date
        try:
            d = parse_date(_short(value, 40))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)
        if not 2000 <= d.year <= 2099:
            self.fail(f"{d.isoformat()} is not a date dutydesk plans for (2000-2099)", param, ctx)
        return d


def _short(value, n: int = 30) -> str:
    text = str(value)
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= n else text[: n - 3] + "..."


TIME_LIMIT = BoundedFloat(0, 86_400, "a time limit in seconds")
WORKERS = BoundedInt(1, 256, "a number of solver threads")
SEED = BoundedInt(0, MAX_SEED, "a seed")
DAYS = BoundedInt(1, 366, "a number of days")
YEAR = BoundedInt(2000, 2099, "a year")
ID = BoundedInt(1, MAX_ID, "an id")
PRIORITY = BoundedInt(1, 5, "a priority")
HOURS = BoundedFloat(0, 720, "a number of hours")
PARALLEL = BoundedInt(1, 64, "a number of stations at once")
DATE = DateParam()


class RosterIdParam(click.ParamType):
    """ROSTER_ID as `7` or `7v2`; checked here (range included), passed on as text."""

    name = "roster_id"

    def convert(self, value, param, ctx):
        import re
        text = str(value).strip()
        m = re.fullmatch(r"(\d{1,19})\s*(?:[vV.:]\s*(\d{1,19}))?", text) if text.isascii() else None
        if not m or not 1 <= int(m.group(1)) <= MAX_ID or (m.group(2) and not 1 <= int(m.group(2)) <= MAX_ID):
            self.fail(f"'{_short(value)}' is not a roster id; write 7 or 7v2 (roster 7, version 2)", param, ctx)
        return text


def unit_codes(ctx, param, value) -> list[str]:
    """--unit A --unit B or --unit A+B: unit codes, each once."""
    codes: list[str] = []
    for item in value or ():
        for code in str(item).split("+"):
            code = code.strip()
            if not code or len(code) > 40 or not code.isprintable():
                raise click.BadParameter(f"'{_short(item)}' is not a unit code; write PAT1 or PAT1+PAT2", ctx, param)
            if code in codes:
                raise click.BadParameter(f"unit {code} is given twice", ctx, param)
            codes.append(code)
    return codes


ROSTER_ID = RosterIdParam()


class TextParam(click.ParamType):
    """Free text typed on the command line (a place, a note, a reason): no control characters
    (line breaks allowed where `multiline`), at most `max_len` characters."""

    def __init__(self, max_len: int, *, multiline: bool = False):
        self.max_len, self.multiline = max_len, multiline
        self.name = "text"

    def convert(self, value, param, ctx):
        from stationdef.text import check
        try:
            return check(str(value), max_len=self.max_len, multiline=self.multiline, what="the text")
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


LINE = TextParam(200)
NOTE = TextParam(2000, multiline=True)
