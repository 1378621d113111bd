"""Export use cases: a roster version as XLSX / CSV / HTML / ICS / JSON, and the people list as
XLSX / CSV in the format `dutydesk import people` reads back.

Exports only read the database: a roster export needs a role in the station ("read" in
usecases.permissions); the people export, with phone numbers and notes, needs admin, chief or duty.
"""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from db import audit as audit_db
from db import rosters as rdb
from db import station as station_db
from errors import InputError, InputProblem
from stationdef.model import PERSON_TYPES, Person, StationDef
from stationdef.text import defuse_workbook, neutralise, scrub
from usecases import render
from usecases.calendar import day_kinds
from usecases.context import Session
from usecases.roster import RosterRef, show

ROSTER_FORMATS = ("xlsx", "csv", "html", "ics", "json")
PEOPLE_FORMATS = ("xlsx", "csv")
SUFFIXES = {".xlsx": "xlsx", ".csv": "csv", ".html": "html", ".htm": "html", ".ics": "ics", ".json": "json"}


@dataclass
class Export:
    content: bytes
    format: str
    summary: dict          # what was exported (roster, version, counts), for the command's report
    warnings: list[str]


def format_for(path: str | None, fmt: str | None, allowed: tuple[str, ...]) -> str:
    """--format if given, else from the --out suffix."""
    if fmt:
        fmt = fmt.lower()
        if fmt not in allowed:
            raise _bad("--format", f"'{fmt}' is not an export format; use {', '.join(allowed)}")
        return fmt
    guess = SUFFIXES.get(Path(path).suffix.lower()) if path and path != "-" else None
    if guess not in allowed:
        raise _bad("--format", f"say which format with --format ({', '.join(allowed)}); "
                               f"it cannot be told from '{path}'")
    return guess


def _bad(field: str, message: str) -> InputError:
    return InputError(InputProblem(file="command line", field=field, message=message))


def current_umask() -> int:
    """The process umask (read by setting it and putting it back at once)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def write_file(path: str | Path, content: bytes) -> Path:
    """Write all or nothing: a temporary file next to the target, renamed over it when complete."""
    target = Path(path)
    if target.is_dir():
        raise _bad("--out", f"{target} is a folder; give a file name")
    if not target.parent.exists():
        raise _bad("--out", f"the folder {target.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        os.chmod(tmp, 0o666 & ~current_umask())    # as open() would make it: the user's umask decides
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


# -- rosters -----------------------------------------------------------------------------------

def _person_badge(session: Session, badge: str | None) -> str | None:
    if badge is None:
        return None
    badge = badge.strip()
    if not station_db.person_exists(session.sdb, badge):
        raise _bad("--person", f"no person with badge '{badge}' (see `dutydesk people list`)")
    return badge


def _cancelled(session: Session, roster_id: int, version: int, current: list[dict]) -> list[dict]:
    """Assignments of earlier versions that this version no longer has (newest earlier one each)."""
    have = {(a["badge"], a["date"]) for a in current}
    gone: dict[tuple[str, str], dict] = {}
    for v in rdb.versions(session.sdb, roster_id):
        if v["version"] >= version:
            continue
        for a in rdb.assignments(session.sdb, v["id"]):
            key = (a["badge"], a["date"])
            if key not in have:
                gone[key] = {k: a[k] for k in ("date", "badge", "name", "shift", "post")} | {"version": v["version"]}
    return sorted(gone.values(), key=lambda a: (a["date"], a["badge"]))


def roster_sheet(session: Session, ref: RosterRef, *, person: str | None = None,
                 data: dict | None = None) -> render.RosterSheet:
    """Gather what the renderers need for one roster version (optionally one person's rows)."""
    data = data or show(session, ref)
    sdb = session.sdb
    sd = station_db.load_station(sdb)
    start = date.fromisoformat(data["start"])
    end = start + timedelta(days=data["days"] - 1)
    assignments = [a for a in data["assignments"] if person is None or a["badge"] == person]
    people = {p.badge: p for p in station_db.load_people(sdb)}
    in_roster = {a["badge"] for a in assignments}
    if person:
        rows = [people[person]]
    else:
        rows = [p for p in people.values() if p.active or p.badge in in_roster]
    team_order = {t.code: i for i, t in enumerate(sd.teams)}
    rows.sort(key=lambda p: (team_order.get(p.team or "", len(team_order)), p.badge))
    leave = {}
    for lv in rdb.leave_between(sdb, start, end):
        d = max(lv["start"], start)
        while d <= min(lv["end"], end):
            leave.setdefault((lv["badge"], d.isoformat()), lv["kind"])
            d += timedelta(days=1)
    kinds, _ = day_kinds(session, start, data["days"])
    if data.get("audit_head"):
        audit_hash, label = data["audit_head"], "审批时审计链 audit chain at approval"
    else:
        seq, audit_hash = audit_db.head(sdb)
        label = f"导出时审计链 audit chain #{seq} at export"
    cancelled = _cancelled(session, data["roster_id"], data["version"], data["assignments"])
    if person:
        cancelled = [a for a in cancelled if a["badge"] == person]
    return render.RosterSheet(
        station=sd.station, roster_id=data["roster_id"], version=data["version"], status=data["status"],
        start=start, days=data["days"], created_at=data["created_at"], audit_hash=audit_hash, audit_label=label,
        content_digest=data.get("content_digest"),
        shifts={s.code: s for s in sd.shifts}, posts={p.code: p for p in sd.posts},
        teams={t.code: t.name for t in sd.teams},
        people=[{"badge": p.badge, "name": p.name, "team": p.team} for p in rows],
        assignments=assignments, leave=leave, day_kinds={d.isoformat(): k for d, k in kinds.items()},
        cancelled=cancelled, person=person)


def export_roster(session: Session, ref: RosterRef, fmt: str, *, person: str | None = None) -> Export:
    session.sdb.require_station()
    session.require_action("read")
    if fmt not in ROSTER_FORMATS:
        raise _bad("--format", f"'{fmt}' is not an export format; use {', '.join(ROSTER_FORMATS)}")
    person = _person_badge(session, person)
    data = show(session, ref)
    warnings = []
    if data["status"] not in render.LIVE:
        warnings.append(f"roster {data['roster_id']}v{data['version']} is {data['status']}, not approved: "
                        "the export says so" + ("; calendar events are marked tentative" if fmt == "ics" else ""))
    summary = {"roster_id": data["roster_id"], "version": data["version"], "status": data["status"],
               "format": fmt, "person": person}
    if fmt == "json":
        if person:
            data = data | {"assignments": [a for a in data["assignments"] if a["badge"] == person]}
        content = (json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")
        summary["assignments"] = len(data["assignments"])
        return Export(content, fmt, summary, warnings)
    sheet = roster_sheet(session, ref, person=person, data=data)
    if person and not sheet.assignments:
        warnings.append(f"{person} has no assignments in roster {sheet.ref}")
    sheet = _scrubbed(sheet)
    renderer = {"xlsx": render.to_xlsx, "csv": render.to_csv, "html": render.to_html, "ics": render.to_ics}[fmt]
    summary |= {"assignments": len(sheet.assignments), "people": len(sheet.people),
                "audit_hash": sheet.audit_hash}
    if fmt == "ics":
        summary["cancelled"] = len(sheet.cancelled)
    return Export(renderer(sheet), fmt, summary, warnings)


def _scrubbed(obj):
    """`obj` with control characters in its texts replaced (U+FFFD): data recorded before the
    readers refused them must not break an XLSX export (openpyxl refuses them) or an ICS file."""
    import dataclasses
    if isinstance(obj, str):
        return scrub(obj)
    if isinstance(obj, list):
        return [_scrubbed(x) for x in obj]
    if isinstance(obj, tuple):
        return tuple(_scrubbed(x) for x in obj)
    if isinstance(obj, dict):
        return {_scrubbed(k): _scrubbed(v) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.replace(obj, **{f.name: _scrubbed(getattr(obj, f.name))
                                           for f in dataclasses.fields(obj) if f.init})
    return obj


# -- people ------------------------------------------------------------------------------------

PEOPLE_COLUMNS = ("警号", "姓名", "性别", "人员类别", "所属队室", "工龄", "技能", "在岗", "电话", "备注")


def skills_text(skills: dict[str, date | None]) -> str:
    return ";".join(code + (f"@{exp.isoformat()}" if exp else "") for code, exp in skills.items())


def people_rows(people: list[Person], sd: StationDef) -> list[list]:
    """Rows with the Chinese headers of PEOPLE_COLUMNS; `import people` reads them back unchanged."""
    teams = {t.code: t.name for t in sd.teams}
    return [[p.badge, p.name, "男" if p.sex == "M" else "女", PERSON_TYPES[p.person_type][0],
             teams.get(p.team or "", ""), p.years_of_service, skills_text(p.skills), "是" if p.active else "否",
             p.phone or "", p.note or ""] for p in people]


def export_people(session: Session, fmt: str) -> Export:
    session.sdb.require_station()
    session.require_action("people_export")     # phone numbers and notes: not for viewers
    sd = station_db.load_station(session.sdb)
    people = station_db.load_people(session.sdb)
    rows = _scrubbed(people_rows(people, sd))
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(PEOPLE_COLUMNS)
        w.writerows([[neutralise(v) for v in row] for row in rows])
        content = buf.getvalue().encode("utf-8-sig")
    elif fmt == "xlsx":
        content = _people_xlsx(rows, sd)
    else:
        raise _bad("--format", f"'{fmt}' is not a people export format; use {', '.join(PEOPLE_FORMATS)}")
    return Export(content, fmt, {"people": len(people), "format": fmt}, [])


def _people_xlsx(rows: list[list], sd: StationDef) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    wb = Workbook()
    ws = wb.active
    ws.title = "人员"
    ws.append(list(PEOPLE_COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
        ws.cell(row=ws.max_row, column=1).number_format = "@"   # badge as text: zeros stay
        ws.cell(row=ws.max_row, column=9).number_format = "@"   # phone as text
    for letter, width in zip("ABCDEFGHIJ", (10, 9, 5, 11, 13, 5, 46, 5, 14, 20)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "C2"
    ws.oddFooter.left.text = render.footer_text(f"{sd.station.name} 人员名单")
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"
    defuse_workbook(wb)     # text cells only: a name like =HYPERLINK(...) stays text
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
