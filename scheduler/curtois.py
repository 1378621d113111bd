"""Adapter for the Curtois & Qu nurse-rostering benchmark (.txt format, Instance1..24).

It reads the file into a :class:`Problem` for the same engine and rule modules the station
rosters use (not a side model).  Semantics: see shared/benchmarks/curtois/README.md: day 0 is a
Monday, days outside the horizon are off, run-length blocks touching either end are exempt
(``edge_exempt=True``), cover is elastic with its own weights.
"""
from __future__ import annotations

import os
import re

from errors import InputError, InputProblem
from scheduler.problem import Cover, Employee, Problem, Request, ShiftType

# Best-known values (README table, column BKS) and lower bounds (column LB).
BEST_KNOWN: dict[str, int] = {
    "Instance1": 607, "Instance2": 828, "Instance3": 1001, "Instance4": 1716,
    "Instance5": 1143, "Instance6": 1950, "Instance7": 1056, "Instance8": 1300,
    "Instance9": 439, "Instance10": 4631, "Instance11": 3443, "Instance12": 4040,
    "Instance13": 1348, "Instance14": 1278, "Instance15": 3828, "Instance16": 3225,
    "Instance17": 5746, "Instance18": 4459, "Instance19": 3149, "Instance20": 4769,
    "Instance21": 21133, "Instance22": 30241, "Instance23": 17285, "Instance24": 40439,
}
LOWER_BOUND: dict[str, int] = {**BEST_KNOWN, "Instance24": 40438}

SECTIONS = ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF", "SECTION_DAYS_OFF",
            "SECTION_SHIFT_ON_REQUESTS", "SECTION_SHIFT_OFF_REQUESTS", "SECTION_COVER")
REQUIRED = ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF")


def instance_name(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0]


def load(path: str) -> Problem:
    """Read an instance file; bad input raises :class:`errors.InputError` (exit 65)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        from messages import Msg
        raise InputError([InputProblem(file=path, message=Msg("file.cannot_read", detail=str(exc)))]) from None
    return parse(text, file=path, name=instance_name(path))


def parse(text: str, *, file: str = "instance.txt", name: str = "instance") -> Problem:
    problems: list[InputProblem] = []

    def bad(line: int | None, section: str, msg: str) -> None:
        problems.append(InputProblem(file=file, message=msg, line=line, field=section))

    # -- split into sections of (line number, text) ---------------------------------------
    sections: dict[str, list[tuple[int, str]]] = {}
    current: str | None = None
    for no, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = raw.strip()
        if line.startswith("#"):
            continue
        if not line:
            current = None
            continue
        if line.startswith("SECTION_"):
            if line not in SECTIONS:
                bad(no, line, f"unknown section {line}")
                current = None
                continue
            if line in sections:
                bad(no, line, f"{line} appears twice")
            current = line
            sections[line] = []
            continue
        if current is None:
            bad(no, "file", f"line outside any section: {line[:40]!r}")
            continue
        sections[current].append((no, line))
    for sec in REQUIRED:
        if sec not in sections:
            bad(None, sec, f"missing section {sec}")
    if problems:
        raise InputError(problems)

    def as_int(no: int, sec: str, what: str, s: str, lo: int | None = 0) -> int | None:
        s = s.strip()
        if not re.fullmatch(r"-?\d+", s):
            bad(no, sec, f"{what} must be a whole number, got {s!r}")
            return None
        v = int(s)
        if lo is not None and v < lo:
            bad(no, sec, f"{what} must be at least {lo}, got {v}")
            return None
        return v

    # -- horizon ---------------------------------------------------------------------------
    hz = sections["SECTION_HORIZON"]
    horizon = 0
    if len(hz) != 1:
        bad(hz[0][0] if hz else None, "SECTION_HORIZON", "expected one line with the horizon")
    else:
        horizon = as_int(hz[0][0], "SECTION_HORIZON", "horizon", hz[0][1], lo=1) or 0

    # -- shifts ----------------------------------------------------------------------------
    shifts: list[ShiftType] = []
    shift_ids: set[str] = set()   # every shift ID with a line, even one with a bad
                                  # length: its later uses are not reported again
    follow_raw: list[tuple[int, str, list[str]]] = []
    for no, line in sections["SECTION_SHIFTS"]:
        parts = line.split(",")
        if len(parts) != 3:
            bad(no, "SECTION_SHIFTS", f"expected 3 fields (ID,LengthMins,CannotFollow), "
                                      f"got {len(parts)}")
            continue
        sid = parts[0].strip()
        minutes = as_int(no, "SECTION_SHIFTS", "shift length", parts[1], lo=1)
        if not sid:
            bad(no, "SECTION_SHIFTS", "empty shift ID")
            continue
        if sid in shift_ids:
            bad(no, "SECTION_SHIFTS", f"shift {sid} defined twice")
            continue
        shift_ids.add(sid)
        if minutes is None:
            continue
        shifts.append(ShiftType(id=sid, minutes=minutes))
        follow_raw.append((no, sid, [x.strip() for x in parts[2].split("|") if x.strip()]))
    forbidden: set[tuple[str, str]] = set()
    for no, a, bs in follow_raw:
        for b in bs:
            if b not in shift_ids:
                bad(no, "SECTION_SHIFTS", f"unknown shift {b!r} in the cannot-follow list")
            else:
                forbidden.add((a, b))

    # -- staff -----------------------------------------------------------------------------
    employees: list[Employee] = []
    for no, line in sections["SECTION_STAFF"]:
        parts = line.split(",")
        sec = "SECTION_STAFF"
        if len(parts) != 8:
            bad(no, sec, f"expected 8 fields (ID,MaxShifts,MaxTotalMinutes,MinTotalMinutes,"
                         f"MaxConsecutiveShifts,MinConsecutiveShifts,MinConsecutiveDaysOff,"
                         f"MaxWeekends), got {len(parts)}")
            continue
        eid = parts[0].strip()
        if not eid:
            bad(no, sec, "empty employee ID")
            continue
        if any(e.id == eid for e in employees):
            bad(no, sec, f"employee {eid} defined twice")
            continue
        max_shifts: dict[str, int] = {}
        for item in parts[1].split("|"):
            item = item.strip()
            if not item:
                continue
            m = re.fullmatch(r"([^=]+)=(\d+)", item)
            if not m:
                bad(no, sec, f"MaxShifts item must look like SHIFT=N, got {item!r}")
                continue
            if m.group(1) not in shift_ids:
                bad(no, sec, f"unknown shift {m.group(1)!r} in MaxShifts")
                continue
            max_shifts[m.group(1)] = int(m.group(2))
        nums = [as_int(no, sec, label, v) for label, v in zip(
            ("MaxTotalMinutes", "MinTotalMinutes", "MaxConsecutiveShifts",
             "MinConsecutiveShifts", "MinConsecutiveDaysOff", "MaxWeekends"), parts[2:])]
        if any(v is None for v in nums):
            continue
        mx_min, mn_min, mx_con, mn_con, mn_off, mx_we = nums
        if mn_min > mx_min:
            bad(no, sec, f"MinTotalMinutes {mn_min} is above MaxTotalMinutes {mx_min}")
        if mn_con > mx_con:
            bad(no, sec, f"MinConsecutiveShifts {mn_con} is above MaxConsecutiveShifts "
                         f"{mx_con}")
        employees.append(Employee(id=eid, max_shifts=max_shifts, max_minutes=mx_min,
                                  min_minutes=mn_min, max_consecutive=mx_con,
                                  min_consecutive=mn_con, min_days_off=mn_off,
                                  max_weekends=mx_we))
    emp_ids = {e.id for e in employees}

    def day_ok(no: int, sec: str, s: str) -> int | None:
        d = as_int(no, sec, "day", s)
        if d is not None and horizon and d >= horizon:
            bad(no, sec, f"day {d} is outside the horizon 0..{horizon - 1}")
            return None
        return d

    # -- days off --------------------------------------------------------------------------
    days_off: dict[str, set[int]] = {}
    for no, line in sections.get("SECTION_DAYS_OFF", []):
        parts = [x.strip() for x in line.split(",")]
        sec = "SECTION_DAYS_OFF"
        if parts[0] not in emp_ids:
            bad(no, sec, f"unknown employee {parts[0]!r}")
            continue
        for s in parts[1:]:
            if not s:
                continue
            d = day_ok(no, sec, s)
            if d is not None:
                days_off.setdefault(parts[0], set()).add(d)

    # -- requests --------------------------------------------------------------------------
    requests: list[Request] = []
    for sec, on in (("SECTION_SHIFT_ON_REQUESTS", True), ("SECTION_SHIFT_OFF_REQUESTS", False)):
        for no, line in sections.get(sec, []):
            parts = [x.strip() for x in line.split(",")]
            if len(parts) != 4:
                bad(no, sec, f"expected 4 fields (EmployeeID,Day,ShiftID,Weight), "
                             f"got {len(parts)}")
                continue
            eid, ds, sid, ws = parts
            if eid not in emp_ids:
                bad(no, sec, f"unknown employee {eid!r}")
                continue
            if sid not in shift_ids:
                bad(no, sec, f"unknown shift {sid!r}")
                continue
            d = day_ok(no, sec, ds)
            w = as_int(no, sec, "weight", ws)
            if d is None or w is None:
                continue
            requests.append(Request(employee=eid, day=d, shift=sid, weight=w, on=on))

    # -- cover -----------------------------------------------------------------------------
    cover: list[Cover] = []
    for no, line in sections.get("SECTION_COVER", []):
        parts = [x.strip() for x in line.split(",")]
        sec = "SECTION_COVER"
        if len(parts) != 5:
            bad(no, sec, f"expected 5 fields (Day,ShiftID,Requirement,WeightUnder,"
                         f"WeightOver), got {len(parts)}")
            continue
        d = day_ok(no, sec, parts[0])
        if parts[1] not in shift_ids:
            bad(no, sec, f"unknown shift {parts[1]!r}")
            continue
        req = as_int(no, sec, "requirement", parts[2])
        wu = as_int(no, sec, "weight under", parts[3])
        wo = as_int(no, sec, "weight over", parts[4])
        if None in (d, req, wu, wo):
            continue
        cover.append(Cover(day=d, shift=parts[1], requirement=req, weight_under=wu,
                           weight_over=wo))

    if not shift_ids and "SECTION_SHIFTS" in sections:
        bad(None, "SECTION_SHIFTS", "no shift types")
    if not employees and "SECTION_STAFF" in sections:
        bad(None, "SECTION_STAFF", "no employees")
    if problems:
        raise InputError(problems)
    return Problem(horizon=horizon, shift_types=shifts, employees=employees,
                   requests=requests, cover=cover,
                   days_off={k: frozenset(v) for k, v in days_off.items()},
                   forbidden=forbidden, start_weekday=0, edge_exempt=True, name=name)
