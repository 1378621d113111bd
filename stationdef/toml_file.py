"""Reading and validating a station definition file (TOML).

The format is documented in docs/station-file.md and shown, annotated, in
stationdef/demo_station.toml. Every problem found is reported at once, each with the file,
the line and the field, so a clerk can fix the file in one pass.
"""
from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from errors import InputError, InputProblem
from stationdef import cells
from stationdef import text as text_rules
from stationdef.model import (DAY_KINDS, PERSON_TYPES, POST_KINDS, SHIFT_KINDS, TEAM_KINDS, AUXILIARY_TYPES,
                              Demand, HotSpot, Post, RuleParam, ShiftType, Skill, StationDef, StationInfo, Team)
from stationdef.rules import RULE_SPECS

MAX_FILE_BYTES = 2_000_000     # a station file is a few kB; anything this large is not one
MAX_ITEMS = 1000               # tables in one [[section]]
# longest text per key (else MAX_NAME); multi-line keys may hold line breaks
_TEXT_LIMITS = {"code": text_rules.MAX_CODE, "description": text_rules.MAX_NOTE, "address": text_rules.MAX_SHORT,
                "zone": 64, "team": text_rules.MAX_CODE, "post": text_rules.MAX_CODE, "shift": text_rules.MAX_CODE,
                "kind": text_rules.MAX_CODE, "start": 16, "active": 32}
_MULTILINE = {"description", "address"}
SECTIONS = ("station", "teams", "skills", "shifts", "posts", "demand", "rules", "hot_spots")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.]+)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*\"?([A-Za-z0-9_-]+)\"?\s*=")


class _Lines:
    """Finds the line of a table or key in the raw text (tomllib gives no positions)."""

    def __init__(self, text: str):
        self.headers: dict[tuple[str, int], int] = {}
        self.keys: dict[tuple[str, int, str], int] = {}
        counts: dict[str, int] = {}
        current = ("", 0)
        for no, line in enumerate(text.splitlines(), start=1):
            m = _HEADER.match(line)
            if m:
                name = m.group(2)
                if m.group(1) == "[[":
                    idx = counts.get(name, 0)
                    counts[name] = idx + 1
                else:
                    idx = 0
                current = (name, idx)
                self.headers[current] = no
                continue
            k = _KEY.match(line)
            if k:
                self.keys.setdefault((current[0], current[1], k.group(1)), no)

    def line(self, section: str, index: int = 0, key: str | None = None) -> int | None:
        if key is not None and (section, index, key) in self.keys:
            return self.keys[(section, index, key)]
        return self.headers.get((section, index))


@dataclass
class _Reader:
    file: str
    lines: _Lines
    problems: list[InputProblem] = field(default_factory=list)

    def err(self, section: str, index: int | None, key: str | None, message: str) -> None:
        idx = 0 if index is None else index
        fname = section if index is None else f"{section}[{index + 1}]"
        if key:
            fname = f"{fname}.{key}" if fname else key
        line = self.lines.line(section, idx, key)
        if line is None and not section and key:  # an unknown top-level table
            line = self.lines.line(key, 0)
        self.problems.append(InputProblem(file=self.file, line=line, field=fname, message=message))

    # typed getters: report and return None on a bad value
    def text(self, sec, idx, tbl: dict, key: str, *, required=True, default=None) -> str | None:
        if key not in tbl:
            if required:
                self.err(sec, idx, key, f"'{key}' is missing")
            return default
        v = tbl[key]
        if not isinstance(v, str) or not v.strip():
            self.err(sec, idx, key, f"'{key}' must be non-empty text, got {_show(v)}")
            return default
        try:
            text_rules.check(v.strip(), max_len=_TEXT_LIMITS.get(key, text_rules.MAX_NAME),
                             multiline=key in _MULTILINE, what=f"'{key}'")
        except ValueError as exc:
            self.err(sec, idx, key, str(exc))
            return default
        return v.strip()

    def choice(self, sec, idx, tbl, key, options, *, required=True, default=None) -> str | None:
        v = self.text(sec, idx, tbl, key, required=required, default=default)
        if v is not None and v not in options:
            self.err(sec, idx, key, f"'{v}' is not one of: {', '.join(options)}")
            return None
        return v

    def number(self, sec, idx, tbl, key, *, required=True, default=None, integer=True,
               minimum=None, maximum=None):
        if key not in tbl:
            if required:
                self.err(sec, idx, key, f"'{key}' is missing")
            return default
        v = tbl[key]
        ok = isinstance(v, int) and not isinstance(v, bool) if integer else \
            isinstance(v, (int, float)) and not isinstance(v, bool)
        if not ok:
            self.err(sec, idx, key, f"'{key}' must be a {'whole number' if integer else 'number'}, got {_show(v)}")
            return None
        if isinstance(v, float) and not math.isfinite(v):
            self.err(sec, idx, key, f"'{key}' must be a finite number, got {v}")
            return None
        if (minimum is not None and v < minimum) or (maximum is not None and v > maximum):
            rng = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            self.err(sec, idx, key, f"{v} is out of range ({rng})")
            return None
        return v

    def flag(self, sec, idx, tbl, key, *, default=False) -> bool:
        if key not in tbl:
            return default
        v = tbl[key]
        if not isinstance(v, bool):
            self.err(sec, idx, key, f"'{key}' must be true or false, got {_show(v)}")
            return default
        return v

    def str_list(self, sec, idx, tbl, key, *, known: set[str] | None = None, what="") -> tuple[str, ...]:
        if key not in tbl:
            return ()
        v = tbl[key]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v) or len(v) > 100:
            self.err(sec, idx, key, f"'{key}' must be a list of text, e.g. [\"patrol\", \"driving\"]")
            return ()
        if known is not None:
            unknown = [x for x in v if x not in known]
            if unknown:
                self.err(sec, idx, key, f"unknown {what} {', '.join(repr(u) for u in unknown)}; "
                                        f"known: {', '.join(sorted(known)) or '(none)'}")
                return ()
        return tuple(v)

    def unknown_keys(self, sec, idx, tbl: dict, allowed: set[str]) -> None:
        for k in tbl:
            if k not in allowed:
                self.err(sec, idx, k, f"unknown key '{k}'; expected one of: {', '.join(sorted(allowed))}")

    def array(self, data: dict, sec: str) -> list[dict]:
        v = data.get(sec, [])
        if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
            self.err(sec, None, None, f"'{sec}' must be written as [[{sec}]] tables")
            return []
        if len(v) > MAX_ITEMS:
            self.err(sec, None, None, f"{len(v)} [[{sec}]] tables; at most {MAX_ITEMS} are read")
            return []
        return v

    def optional_text(self, sec, idx, tbl, key) -> str | None:
        """An optional text field (name_en, address, description, ...): text or absent, never converted."""
        return self.text(sec, idx, tbl, key, required=False) if key in tbl else None


def _show(v) -> str:
    """A wrong value for a message: its kind, and the value itself only when it is short."""
    kind = {dict: "a table", list: "an array", bool: "true/false", int: "a number", float: "a number",
            str: "text"}.get(type(v), type(v).__name__)
    text = repr(v)
    return f"{kind} {text}" if len(text) <= 60 and not isinstance(v, (dict, list)) else kind


def parse_station_text(text: str, file: str = "station.toml") -> StationDef:
    """Parse and validate a station file's text. Raises InputError listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else (text.count("\n") + 1 if "end of document" in str(exc) else None)
        raise InputError(InputProblem(file=file, line=line, message=f"not valid TOML: {exc}")) from None
    except (RecursionError, MemoryError):
        raise InputError(InputProblem(file=file, message="arrays or tables nested too deeply to be a station file")) \
            from None
    r = _Reader(file, _Lines(text))
    r.unknown_keys("", None, data, set(SECTIONS))

    # [station]
    st = data.get("station")
    station = None
    if not isinstance(st, dict):
        r.problems.append(InputProblem(file=file, line=1, field="station",
                                       message="the [station] table is missing (code, name, zone)"))
    else:
        r.unknown_keys("station", None, st, {"code", "name", "name_en", "zone", "kind", "address"})
        code = r.text("station", None, st, "code")
        name = r.text("station", None, st, "name")
        zone = r.text("station", None, st, "zone", required=False, default="Asia/Shanghai")
        if zone:
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError, OSError):
                r.err("station", None, "zone", f"'{zone}' is not a time zone name (e.g. Asia/Shanghai)")
        kind = r.choice("station", None, st, "kind", ("urban", "rural"), required=False, default="urban")
        if code and name:
            station = StationInfo(code=code, name=name, zone=zone or "Asia/Shanghai", kind=kind or "urban",
                                  name_en=r.optional_text("station", None, st, "name_en"),
                                  address=r.optional_text("station", None, st, "address"))

    declared: dict[str, set[str]] = {}  # codes declared, valid or not: no follow-on "unknown" errors

    def unique(sec: str, items: list[dict]) -> list[tuple[int, dict, str]]:
        seen: dict[str, int] = {}
        declared[sec] = {t["code"] for t in items if isinstance(t.get("code"), str)}
        out = []
        for i, t in enumerate(items):
            c = r.text(sec, i, t, "code")
            if c is None:
                continue
            if c in seen:
                r.err(sec, i, "code", f"code '{c}' is used twice (first in {sec}[{seen[c] + 1}])")
                continue
            seen[c] = i
            out.append((i, t, c))
        return out

    teams: list[Team] = []
    for i, t, c in unique("teams", r.array(data, "teams")):
        r.unknown_keys("teams", i, t, {"code", "name", "name_en", "kind"})
        name = r.text("teams", i, t, "name")
        kind = r.choice("teams", i, t, "kind", TEAM_KINDS)
        if name and kind:
            teams.append(Team(code=c, name=name, kind=kind, name_en=r.optional_text("teams", i, t, "name_en")))
    team_codes = {t.code for t in teams}

    skills: list[Skill] = []
    for i, t, c in unique("skills", r.array(data, "skills")):
        r.unknown_keys("skills", i, t, {"code", "name", "name_en", "sworn_only"})
        name = r.text("skills", i, t, "name")
        sworn_only = r.flag("skills", i, t, "sworn_only")
        if name:
            skills.append(Skill(code=c, name=name, name_en=r.optional_text("skills", i, t, "name_en"),
                                sworn_only=sworn_only))

    shifts: list[ShiftType] = []
    for i, t, c in unique("shifts", r.array(data, "shifts")):
        r.unknown_keys("shifts", i, t, {"code", "name", "name_en", "start", "minutes", "hours", "kind"})
        name = r.text("shifts", i, t, "name")
        start = None
        if "start" not in t:
            r.err("shifts", i, "start", "'start' is missing (HH:MM)")
        else:
            try:
                start = cells.parse_hhmm(t["start"]) if isinstance(t["start"], str) else None
                if start is None:
                    raise ValueError(f"'start' must be text like \"08:00\", got {t['start']!r}")
            except ValueError as exc:
                r.err("shifts", i, "start", str(exc))
        minutes = None
        if ("minutes" in t) == ("hours" in t):
            r.err("shifts", i, "minutes", "give the length as exactly one of 'minutes' or 'hours'")
        elif "minutes" in t:
            minutes = r.number("shifts", i, t, "minutes", minimum=1, maximum=1440)
        else:
            h = r.number("shifts", i, t, "hours", integer=False, minimum=0.25, maximum=24)
            if h is not None:
                minutes = int(round(h * 60))
        kind = r.choice("shifts", i, t, "kind", SHIFT_KINDS)
        if name and start and minutes and kind:
            shifts.append(ShiftType(code=c, name=name, start=start, minutes=minutes, kind=kind,
                                    name_en=r.optional_text("shifts", i, t, "name_en")))
    shift_codes = {s.code for s in shifts}

    posts: list[Post] = []
    for i, t, c in unique("posts", r.array(data, "posts")):
        r.unknown_keys("posts", i, t, {"code", "name", "name_en", "kind", "team", "min_sworn", "required_skills",
                                       "crew_skills", "allowed_types", "needs_woman", "description"})
        name = r.text("posts", i, t, "name")
        kind = r.choice("posts", i, t, "kind", POST_KINDS)
        team = r.text("posts", i, t, "team", required=False)
        if team is not None and team not in declared["teams"]:
            r.err("posts", i, "team", f"unknown team '{team}'; known: {', '.join(sorted(team_codes))}")
        min_sworn = r.number("posts", i, t, "min_sworn", required=False, default=0, minimum=0, maximum=20)
        req = r.str_list("posts", i, t, "required_skills", known=declared["skills"], what="skill")
        crew = r.str_list("posts", i, t, "crew_skills", known=declared["skills"], what="skill")
        allowed = r.str_list("posts", i, t, "allowed_types", known=set(PERSON_TYPES), what="person type") \
            if "allowed_types" in t else ("sworn",)
        if "allowed_types" in t and not allowed and t.get("allowed_types") == []:
            r.err("posts", i, "allowed_types", "at least one person type must be allowed")
        needs_woman = r.flag("posts", i, t, "needs_woman")
        if min_sworn is not None and allowed and "sworn" not in allowed and min_sworn > 0:
            r.err("posts", i, "allowed_types", f"min_sworn is {min_sworn} but 'sworn' is not an allowed type")
        if min_sworn == 0 and any(a in AUXILIARY_TYPES for a in allowed):
            r.err("posts", i, "min_sworn",
                  "auxiliaries are allowed on this post, so it needs min_sworn >= 1: 辅警 never work without "
                  "a 民警 (警务辅助人员条例)")
        if kind == "case" and min_sworn is not None and min_sworn < 2:
            r.err("posts", i, "min_sworn", "case duty needs at least 2 民警 "
                                           "(《公安机关办理行政案件程序规定》第52条第1款)")
        if kind == "guard" and min_sworn is not None and min_sworn < 1:
            r.err("posts", i, "min_sworn", "a holding-room guard must be a 民警 (《公安机关适用继续盘问规定》)")
        if name and kind and min_sworn is not None:
            posts.append(Post(code=c, name=name, kind=kind, min_sworn=min_sworn, required_skills=req,
                              crew_skills=crew, allowed_types=allowed or ("sworn",), needs_woman=needs_woman,
                              team=team, name_en=r.optional_text("posts", i, t, "name_en"),
                              description=r.optional_text("posts", i, t, "description")))
    post_by_code = {p.code: p for p in posts}

    rules_tbl = data.get("rules", {})
    patrol_min = RULE_SPECS["patrol_team_min"].default
    demand: list[Demand] = []
    seen_demand: dict[tuple[str, str], int] = {}
    for i, t in enumerate(r.array(data, "demand")):
        r.unknown_keys("demand", i, t, {"post", "shift", "count", *DAY_KINDS})
        post = r.text("demand", i, t, "post")
        shift = r.text("demand", i, t, "shift")
        if post is not None and post not in post_by_code:
            if post not in declared["posts"]:
                r.err("demand", i, "post", f"unknown post '{post}'")
            post = None
        if shift is not None and shift not in shift_codes:
            if shift not in declared["shifts"]:
                r.err("demand", i, "shift", f"unknown shift '{shift}'; known: {', '.join(sorted(shift_codes))}")
            shift = None
        if post and shift:
            if (post, shift) in seen_demand:
                r.err("demand", i, "post", f"demand for post '{post}' in shift '{shift}' is given twice "
                                           f"(first in demand[{seen_demand[(post, shift)] + 1}])")
                continue
            seen_demand[(post, shift)] = i
        counts: dict[str, int | None] = {}
        base = r.number("demand", i, t, "count", required=False, minimum=0, maximum=50)
        for dk in DAY_KINDS:
            counts[dk] = r.number("demand", i, t, dk, required=False, minimum=0, maximum=50)
        if base is None and all(v is None for v in counts.values()):
            r.err("demand", i, "count", "give 'count' (every kind of day) or per kind: workday, weekend, "
                                        "holiday, adjusted_workday")
            continue
        wd = counts["workday"] if counts["workday"] is not None else (base or 0)
        we = counts["weekend"] if counts["weekend"] is not None else (base or 0)
        resolved = {"workday": wd, "weekend": we,
                    "holiday": counts["holiday"] if counts["holiday"] is not None else
                    (base if base is not None and counts["weekend"] is None else we),
                    "adjusted_workday": counts["adjusted_workday"] if counts["adjusted_workday"] is not None else wd}
        if not (post and shift):
            continue
        p = post_by_code[post]
        for dk, n in resolved.items():
            key = dk if dk in t else "count"
            if 0 < n < p.min_sworn:
                r.err("demand", i, key, f"{n} people on '{post}' on a {dk} is fewer than its min_sworn "
                                        f"{p.min_sworn}")
            if p.kind == "patrol" and 0 < n < patrol_min:
                r.err("demand", i, key, f"a patrol needs at least {patrol_min} people (巡逻至少2人, "
                                        f"《河南省城市人民警察巡察条例》第4条); got {n}")
            demand.append(Demand(post=post, shift=shift, day_kind=dk, count=n))

    rules: list[RuleParam] = []
    if not isinstance(rules_tbl, dict):
        r.err("rules", None, None, "[rules] must be a table of key = value")
        rules_tbl = {}
    for key, value in rules_tbl.items():
        spec = RULE_SPECS.get(key)
        if spec is None:
            r.err("rules", None, key, f"unknown rule '{key}'; known: {', '.join(sorted(RULE_SPECS))}")
            continue
        if spec.kind is bool:
            if not isinstance(value, bool):
                r.err("rules", None, key, f"'{key}' must be true or false, got {value!r}")
                continue
        else:
            v = r.number("rules", None, rules_tbl, key, integer=spec.kind is int, minimum=spec.minimum,
                         maximum=spec.maximum)
            if v is None:
                continue
        rules.append(RuleParam(key=key, value=value, unit=spec.unit, description=spec.description,
                               source=spec.source))
    given = {rp.key for rp in rules}
    rules += [RuleParam(key=k, value=s.default, unit=s.unit, description=s.description, source=s.source)
              for k, s in RULE_SPECS.items() if k not in given]

    hot_spots: list[HotSpot] = []
    for i, t, c in unique("hot_spots", r.array(data, "hot_spots")):
        r.unknown_keys("hot_spots", i, t, {"code", "name", "kind", "risk", "x_m", "y_m", "active"})
        name = r.text("hot_spots", i, t, "name")
        risk = r.number("hot_spots", i, t, "risk", integer=False, minimum=0.01, maximum=100)
        x = r.number("hot_spots", i, t, "x_m", integer=False, minimum=-100_000, maximum=100_000)
        y = r.number("hot_spots", i, t, "y_m", integer=False, minimum=-100_000, maximum=100_000)
        a_from, a_to = "00:00", "24:00"
        if "active" in t:
            parts = t["active"].split("-") if isinstance(t["active"], str) and len(t["active"]) <= 32 else []
            try:
                if len(parts) != 2:
                    raise ValueError(f"'{t['active']}' must look like \"19:00-03:00\"")
                a_from, a_to = cells.parse_hhmm(parts[0]), cells.parse_hhmm(parts[1], allow_24=True)
            except ValueError as exc:
                r.err("hot_spots", i, "active", str(exc))
        if name and risk is not None and x is not None and y is not None:
            hot_spots.append(HotSpot(code=c, name=name, risk=float(risk), x_m=float(x), y_m=float(y),
                                     active_from=a_from, active_to=a_to,
                                     kind=r.optional_text("hot_spots", i, t, "kind")))

    if station is not None:
        kinds = {t.kind for t in teams}
        missing = [k for k in ("community", "case", "command") if k not in kinds]
        if missing:
            r.err("teams", None, None, "a station has 两队一室: teams of kind community, case and command; "
                                       f"missing: {', '.join(missing)}")
        if not shifts:
            r.err("shifts", None, None, "at least one [[shifts]] table is needed")
        if not posts:
            r.err("posts", None, None, "at least one [[posts]] table is needed")

    if r.problems:
        raise InputError(r.problems)
    assert station is not None
    return StationDef(station=station, teams=teams, skills=skills, shifts=shifts, posts=posts,
                      demand=demand, rules=rules, hot_spots=hot_spots)


def load_station_file(path: str | Path) -> StationDef:
    p = Path(path)
    try:
        if not p.is_file() and p.exists():
            raise InputError(InputProblem(file=str(p), message="not a file (a folder or a device?)"))
        if p.exists() and p.stat().st_size > MAX_FILE_BYTES:
            raise InputError(InputProblem(file=str(p), message=f"the file is larger than {MAX_FILE_BYTES // 1_000_000} "
                                                               "MB; a station file is a few kB"))
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(InputProblem(file=str(p), message=f"cannot read the file: {exc.strerror}")) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(InputProblem(file=str(p), line=line,
                                      message="the file is not UTF-8 text; save it as UTF-8")) from None
    return parse_station_text(text, file=str(p))
