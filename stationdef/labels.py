"""Short labels of shifts and posts: what a roster cell shows in Chinese (夜/巡1 instead of N/PAT1).

A station file may give every shift and post a `label`; when it does not, one is derived from
the Chinese name, and collisions are resolved deterministically (in file order, labels the file
gives first). English mode shows the codes, which are short already, so there is no English label.

- a shift: the first character of its name, after a leading length such as "24小时" or "12h"
  (白班 -> 白, 夜班 -> 夜, 24小时值班 -> 值);
- a post: the first two characters of its name, or the first one and the number when the name
  ends in a number (指挥室值班台 -> 指挥, 巡逻1 -> 巡1, 交通岗 -> 交通);
- a label already taken is lengthened by one character of the name at a time, within the width
  limit; when that does not help, the code is used.

A label is at most SHIFT_WIDTH / POST_WIDTH columns wide (a Chinese character counts two), so a
cell like 夜/候问 fits a narrow grid column. Pure functions; no I/O.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Iterable, TypeVar

SHIFT_WIDTH = 4        # 2 Chinese characters or 4 letters
POST_WIDTH = 6         # 3 Chinese characters or 6 letters
FORBIDDEN = set("/ \t\u3000")   # the grid writes shift/post; a label is one word

_LEADING_LENGTH = re.compile(r"^\s*\d+(?:\.\d+)?\s*(?:小时|个小时|h|H|点)?\s*")
_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$")

T = TypeVar("T")


def width(text: str) -> int:
    """Columns a text takes on a terminal or a printed grid: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def is_chinese(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in ("W", "F") for ch in text)


def problem(label: str, limit: int) -> str | None:
    """Why `label` cannot be a label (a message key and its values are built by the caller), or None."""
    if any(ch in FORBIDDEN for ch in label):
        return "space"
    if width(label) > limit:
        return "wide"
    return None


def _candidates(code: str, name: str, *, post: bool, limit: int) -> list[str]:
    """Labels to try for one shift or post, best first."""
    out: list[str] = []
    if is_chinese(name):
        if post:
            base = name.strip()
            m = _TRAILING_NUMBER.match(base)
            if m and m.group(1).strip():
                stem, number = m.group(1).strip(), m.group(2)
                out += [stem[:n] + number for n in range(1, len(stem) + 1)]
            out += [base[:n] for n in range(2, len(base) + 1)]
        else:
            base = _LEADING_LENGTH.sub("", name).strip() or name.strip()
            out += [base[:n] for n in range(1, len(base) + 1)]
    out = [c for c in out if c and problem(c, limit) is None]
    out.append(code)
    return list(dict.fromkeys(out))


def resolve(items: Iterable[tuple[str, str, str | None]], *, post: bool) -> dict[str, str]:
    """{code: label} for (code, name, label or None) in file order: given labels are kept, the
    others derived; no two codes get the same label while a free one can be found."""
    items = list(items)
    limit = POST_WIDTH if post else SHIFT_WIDTH
    taken = {label for _, _, label in items if label}
    out: dict[str, str] = {}
    for code, name, label in items:
        if label:
            out[code] = label
            continue
        options = _candidates(code, name, post=post, limit=limit)
        pick = next((c for c in options if c not in taken), None)
        if pick is None:           # even the code is someone's label: number it
            n = 2
            while f"{code}{n}" in taken:
                n += 1
            pick = f"{code}{n}"
        taken.add(pick)
        out[code] = pick
    return out


def filled(items: list[T], *, post: bool) -> list[T]:
    """Shifts or posts with every missing `label` derived (dataclasses.replace; order kept)."""
    labels = resolve(((x.code, x.name, x.label) for x in items), post=post)
    return [x if x.label == labels[x.code] else dataclasses.replace(x, label=labels[x.code]) for x in items]
