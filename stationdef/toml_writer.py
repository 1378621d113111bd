"""Writing a station definition back as a station file (TOML) that `init` and `station apply` read.

The writer is generic over the dataclasses of stationdef.model: every field of ``StationDef``
becomes a section of the file (a list field an array of tables ``[[name]]``, a dataclass field
a table ``[name]``), and every field of an item becomes a key of the same name. A field equal to
its dataclass default, or None, is left out (the reader gives the same default). Only where the
file's format differs from the dataclass is there a rule here:

* ``[[shifts]]``: the length is written as ``hours`` when it is whole hours, else ``minutes``;
* ``[[hot_spots]]``: ``active_from`` / ``active_to`` are written as ``active = "20:00-03:00"``,
  several ``windows`` as ``active = ["07:00-09:30", "17:00-19:30"]``;
* ``[[demand]]``: the rows of one post and shift (one per kind of day) are one table, with
  ``count`` when every kind of day has the same number, else one key per kind of day;
* ``[rules]``: one ``key = value`` per rule (unit, description and source come from the rule
  catalogue when the file is read).

A field added to the dataclasses is written under its own name without a change here; the round
trip test (tests/test_station_change.py) fails if the reader expects it otherwise.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any

import tomli_w

from stationdef.model import DAY_KINDS, Demand, HotSpot, RuleParam, ShiftType, StationDef


BASE_MARK = "dutydesk-base:"           # a comment line: the digest of the definition the file was exported from
_BASE = re.compile(r"^#\s*" + re.escape(BASE_MARK) + r"\s*([0-9a-f]{64})\s*$", re.MULTILINE)


def base_of(text: str) -> str | None:
    """The digest a station file says it was exported from (its ``# dutydesk-base:`` line), or None."""
    m = _BASE.search(text)
    return m.group(1) if m else None


def _plain(value: Any) -> Any:
    """A dataclass value as TOML can hold it: tuples as arrays, dataclasses as tables."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _table(value)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    return value


def _default(f: dataclasses.Field) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return dataclasses.MISSING


def _table(item: Any) -> dict:
    """One item as a TOML table: every field that is not None and not its default."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(item):
        value = getattr(item, f.name)
        if value is None or value == _default(f):
            continue
        out[f.name] = _plain(value)
    special = _SPECIAL.get(type(item))
    return special(item, out) if special else out


def _shift(item: ShiftType, out: dict) -> dict:
    minutes = out.pop("minutes")
    out = _insert_after(out, "start", ("hours", minutes // 60) if minutes % 60 == 0 else ("minutes", minutes))
    return out


def _hot_spot(item: HotSpot, out: dict) -> dict:
    out.pop("active_from", None)
    out.pop("active_to", None)
    out.pop("windows", None)
    if item.windows:
        out["active"] = [f"{a}-{b}" for a, b in item.windows]
    elif (item.active_from, item.active_to) != ("00:00", "24:00"):
        out["active"] = f"{item.active_from}-{item.active_to}"
    return out


_SPECIAL = {ShiftType: _shift, HotSpot: _hot_spot}


def _insert_after(d: dict, after: str, kv: tuple[str, Any]) -> dict:
    out: dict[str, Any] = {}
    for k, v in d.items():
        out[k] = v
        if k == after:
            out[kv[0]] = kv[1]
    if kv[0] not in out:
        out[kv[0]] = kv[1]
    return out


def _demand(rows: list[Demand]) -> list[dict]:
    """Demand rows grouped by everything but the kind of day and the count."""
    groups: dict[tuple, dict] = {}
    for d in rows:
        table = _table(d)
        table.pop("day_kind", None)
        table.pop("count", None)
        key = tuple(sorted((k, repr(v)) for k, v in table.items()))
        g = groups.setdefault(key, {"table": table, "counts": {}})
        g["counts"][d.day_kind] = d.count
    out = []
    for g in groups.values():
        table, counts = g["table"], g["counts"]
        full = {k: counts.get(k, 0) for k in DAY_KINDS}
        if len(set(full.values())) == 1:
            table["count"] = full["workday"]
        else:
            table.update(full)
        out.append(table)
    return out


def _rules(rules: list[RuleParam]) -> dict:
    return {r.key: r.value for r in rules}


_SECTIONS = {"demand": _demand, "rules": _rules}


def station_document(sd: StationDef) -> dict:
    """The station definition as the document a station file holds (before TOML)."""
    doc: dict[str, Any] = {}
    for f in dataclasses.fields(sd):
        value = getattr(sd, f.name)
        if f.name in _SECTIONS:
            doc[f.name] = _SECTIONS[f.name](value)
        elif isinstance(value, list):
            doc[f.name] = [_table(item) for item in value]
        else:
            doc[f.name] = _plain(value)
    return {k: v for k, v in doc.items() if v not in ([], {}, None)}


def _value(value: Any) -> str:
    """One TOML value (text and numbers as tomli_w writes them; arrays and tables inline)."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):                 # on one line: required_skills = ["patrol", "driving"]
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return tomli_w.dumps({"v": value}, multiline_strings=True).split("=", 1)[1].strip()


def _key(key: str) -> str:
    return tomli_w.dumps({key: 0}).rsplit("=", 1)[0].strip()


def to_toml(sd: StationDef, *, comments: list[str] = ()) -> str:
    """The station file text: ``comments`` (one per line) first, then ``[station]``, each list
    section as ``[[section]]`` tables (one per item, so an error names its line), ``[rules]``."""
    lines = [f"# {line}" for c in comments for line in str(c).splitlines()]
    for name, value in station_document(sd).items():
        items = value if isinstance(value, list) else [value]
        header = f"[[{name}]]" if isinstance(value, list) else f"[{name}]"
        for item in items:
            if lines:
                lines.append("")
            lines.append(header)
            lines += [f"{_key(k)} = {_value(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"
