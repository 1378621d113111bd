"""The station database schema, as numbered migrations.

`PRAGMA user_version` holds the schema version. Opening a database applies every migration
above its version, each inside one `BEGIN IMMEDIATE` transaction (so an upgrade is all or
nothing and two processes never both apply it). Never edit a released migration: add one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.connection import StationDB

PERSON_TYPES = ("sworn", "duty_aux", "civil_aux", "assistant")
DAY_KINDS = ("workday", "weekend", "holiday", "adjusted_workday")
ROLES = ("admin", "chief", "duty", "viewer")
TEAM_KINDS = ("community", "case", "command", "traffic", "other")
POST_KINDS = ("command", "window", "patrol", "foot_patrol", "case", "traffic", "guard", "standby",
              "community", "other")
SHIFT_KINDS = ("day", "evening", "night", "24h")
LEAVE_KINDS = ("annual", "sick", "training", "personal", "compensatory", "unavailable", "other")
ROSTER_STATUSES = ("draft", "submitted", "approved", "published", "rejected", "superseded")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


@dataclass(frozen=True)
class Migration:
    version: int
    title: str
    sql: str


MIGRATIONS: list[Migration] = [
    Migration(1, "station reference data, people, users, audit log", f"""
CREATE TABLE station (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT,
    zone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    kind TEXT NOT NULL DEFAULT 'urban' CHECK (kind IN ('urban', 'rural')),
    address TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE teams (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT,
    kind TEXT NOT NULL CHECK (kind IN {_in(TEAM_KINDS)})
);
CREATE TABLE skills (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT,
    sworn_only INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE people (
    badge TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    sex TEXT NOT NULL CHECK (sex IN ('M', 'F')),
    person_type TEXT NOT NULL CHECK (person_type IN {_in(PERSON_TYPES)}),
    team TEXT REFERENCES teams(code),
    years_of_service INTEGER NOT NULL DEFAULT 0 CHECK (years_of_service >= 0),
    active INTEGER NOT NULL DEFAULT 1,
    phone TEXT,
    note TEXT
);
CREATE TABLE person_skills (
    badge TEXT NOT NULL REFERENCES people(badge) ON DELETE CASCADE,
    skill TEXT NOT NULL REFERENCES skills(code),
    expires TEXT,
    PRIMARY KEY (badge, skill)
);
CREATE TABLE shift_types (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT,
    start TEXT NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
    crosses_midnight INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN {_in(SHIFT_KINDS)})
);
CREATE TABLE posts (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT,
    kind TEXT NOT NULL CHECK (kind IN {_in(POST_KINDS)}),
    team TEXT REFERENCES teams(code),
    min_sworn INTEGER NOT NULL DEFAULT 0,
    required_skills TEXT NOT NULL DEFAULT '[]',
    crew_skills TEXT NOT NULL DEFAULT '[]',
    allowed_types TEXT NOT NULL DEFAULT '["sworn"]',
    needs_woman INTEGER NOT NULL DEFAULT 0,
    description TEXT
);
CREATE TABLE demand (
    post TEXT NOT NULL REFERENCES posts(code) ON DELETE CASCADE,
    shift TEXT NOT NULL REFERENCES shift_types(code),
    day_kind TEXT NOT NULL CHECK (day_kind IN {_in(DAY_KINDS)}),
    count INTEGER NOT NULL CHECK (count >= 0),
    PRIMARY KEY (post, shift, day_kind)
);
CREATE TABLE rule_params (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    unit TEXT,
    description TEXT,
    source TEXT
);
CREATE TABLE calendar_days (
    date TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN {_in(DAY_KINDS)}),
    name TEXT,
    source TEXT NOT NULL
);
CREATE TABLE leave (
    id INTEGER PRIMARY KEY,
    badge TEXT NOT NULL REFERENCES people(badge) ON DELETE CASCADE,
    start TEXT NOT NULL,
    end TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN {_in(LEAVE_KINDS)}),
    note TEXT,
    created_at TEXT NOT NULL,
    CHECK (end >= start)
);
CREATE INDEX leave_by_person ON leave(badge, start);
CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    badge TEXT NOT NULL REFERENCES people(badge) ON DELETE CASCADE,
    date TEXT NOT NULL,
    shift TEXT REFERENCES shift_types(code),
    kind TEXT NOT NULL CHECK (kind IN ('on', 'off')),
    weight INTEGER NOT NULL DEFAULT 1 CHECK (weight > 0),
    note TEXT
);
CREATE INDEX requests_by_date ON requests(date);
CREATE TABLE hot_spots (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT,
    risk REAL NOT NULL CHECK (risk > 0),
    x_m REAL NOT NULL,
    y_m REAL NOT NULL,
    active_from TEXT NOT NULL DEFAULT '00:00',
    active_to TEXT NOT NULL DEFAULT '24:00'
);
CREATE TABLE users (
    login TEXT PRIMARY KEY,
    person TEXT REFERENCES people(badge),
    created_at TEXT NOT NULL
);
CREATE TABLE user_roles (
    login TEXT NOT NULL REFERENCES users(login) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN {_in(ROLES)}),
    PRIMARY KEY (login, role)
);
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    login TEXT NOT NULL,
    person TEXT,
    action TEXT NOT NULL,
    entity TEXT,
    entity_id TEXT,
    before TEXT,
    after TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END;
"""),
    Migration(2, "rosters, versions and assignments", f"""
CREATE TABLE rosters (
    id INTEGER PRIMARY KEY,
    start TEXT NOT NULL,
    days INTEGER NOT NULL CHECK (days > 0),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    note TEXT
);
CREATE TABLE roster_versions (
    id INTEGER PRIMARY KEY,
    roster_id INTEGER NOT NULL REFERENCES rosters(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN {_in(ROSTER_STATUSES)}),
    parent_id INTEGER REFERENCES roster_versions(id),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    comment TEXT,
    solver TEXT,
    audit_head TEXT,
    UNIQUE (roster_id, version)
);
CREATE TABLE assignments (
    version_id INTEGER NOT NULL REFERENCES roster_versions(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    badge TEXT NOT NULL REFERENCES people(badge),
    shift TEXT NOT NULL REFERENCES shift_types(code),
    post TEXT NOT NULL REFERENCES posts(code),
    reason TEXT,
    PRIMARY KEY (version_id, date, badge)
);
CREATE INDEX assignments_by_day ON assignments(version_id, date, shift, post);
"""),
    Migration(3, "operations: patrol plans, incidents, units, check-ins, handover", """
CREATE TABLE patrol_plans (
    id INTEGER PRIMARY KEY,
    date TEXT NOT NULL,
    seed INTEGER NOT NULL,
    roster_version_id INTEGER REFERENCES roster_versions(id),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    plan TEXT NOT NULL,
    metrics TEXT
);
CREATE INDEX patrol_plans_by_date ON patrol_plans(date);
CREATE TABLE incident_types (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_en TEXT,
    priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
    min_sworn INTEGER NOT NULL DEFAULT 1,
    needs_woman INTEGER NOT NULL DEFAULT 0,
    needs_recording INTEGER NOT NULL DEFAULT 0,
    skills TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE units (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    post TEXT REFERENCES posts(code),
    date TEXT,
    shift TEXT REFERENCES shift_types(code),
    members TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'off_duty'
        CHECK (status IN ('available', 'dispatched', 'en_route', 'on_scene', 'returning', 'off_duty', 'patrol')),
    status_at TEXT,
    x_m REAL,
    y_m REAL
);
CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL REFERENCES incident_types(code),
    priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
    status TEXT NOT NULL DEFAULT 'received'
        CHECK (status IN ('received', 'dispatched', 'en_route', 'on_scene', 'cleared', 'closed')),
    place_text TEXT,
    hot_spot TEXT REFERENCES hot_spots(code),
    x_m REAL,
    y_m REAL,
    reporter TEXT,
    reporter_phone TEXT,
    notes TEXT,
    unit TEXT REFERENCES units(code),
    received_at TEXT NOT NULL,
    dispatched_at TEXT,
    en_route_at TEXT,
    on_scene_at TEXT,
    cleared_at TEXT,
    closed_at TEXT
);
CREATE INDEX incidents_open ON incidents(status, received_at);
CREATE TABLE unit_status_events (
    id INTEGER PRIMARY KEY,
    unit TEXT NOT NULL REFERENCES units(code),
    status TEXT NOT NULL,
    at TEXT NOT NULL,
    incident_id INTEGER REFERENCES incidents(id),
    login TEXT,
    note TEXT
);
CREATE TABLE checkins (
    id INTEGER PRIMARY KEY,
    unit TEXT NOT NULL REFERENCES units(code),
    at TEXT NOT NULL,
    hot_spot TEXT REFERENCES hot_spots(code),
    plan_id INTEGER REFERENCES patrol_plans(id),
    kind TEXT NOT NULL DEFAULT 'visit',
    acknowledged_by TEXT
);
CREATE TABLE handover_notes (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    shift_date TEXT NOT NULL,
    shift TEXT REFERENCES shift_types(code),
    text TEXT NOT NULL,
    from_login TEXT,
    to_login TEXT,
    from_signed_at TEXT,
    to_signed_at TEXT
);
"""),
]

MIGRATIONS.append(Migration(4, "dispatch: incident catalogue fields, legal clocks, unit timers, handover signatures", """
ALTER TABLE incident_types ADD COLUMN required_skills TEXT NOT NULL DEFAULT '[]';
ALTER TABLE incident_types ADD COLUMN min_people INTEGER NOT NULL DEFAULT 2;
ALTER TABLE incidents ADD COLUMN female_search INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN clock_kind TEXT;
ALTER TABLE incidents ADD COLUMN clock_started_at TEXT;
ALTER TABLE incidents ADD COLUMN clock_hours REAL;
ALTER TABLE incidents ADD COLUMN created_by TEXT;
ALTER TABLE units ADD COLUMN last_checkin_at TEXT;
ALTER TABLE units ADD COLUMN kind TEXT NOT NULL DEFAULT 'patrol';
ALTER TABLE handover_notes ADD COLUMN content TEXT;
CREATE INDEX incidents_by_unit ON incidents(unit, status);
CREATE TABLE incident_units (
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    unit TEXT NOT NULL REFERENCES units(code),
    dispatched_at TEXT NOT NULL,
    PRIMARY KEY (incident_id, unit)
);
CREATE INDEX unit_events_by_unit ON unit_status_events(unit, at);
"""))

MIGRATIONS.append(Migration(5, "roster revisions, content digests, audit entries that vouch for the state", """
ALTER TABLE roster_versions ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE roster_versions ADD COLUMN content_digest TEXT;
ALTER TABLE audit_log ADD COLUMN state TEXT;
"""))

MIGRATIONS.append(Migration(6, "station rules: service posts without enforcement, staffing alternatives, hot spots "
                                "with several active windows", """
ALTER TABLE posts ADD COLUMN enforcement INTEGER NOT NULL DEFAULT 1;
ALTER TABLE posts ADD COLUMN staffing TEXT NOT NULL DEFAULT '[]';
ALTER TABLE hot_spots ADD COLUMN windows TEXT NOT NULL DEFAULT '[]';
"""))

MIGRATIONS.append(Migration(7, "officers' wishes: who recorded them and when", """
ALTER TABLE requests ADD COLUMN created_at TEXT;
ALTER TABLE requests ADD COLUMN created_by TEXT;
CREATE INDEX requests_by_person ON requests(badge, date);
"""))

MIGRATIONS.append(Migration(8, "short labels of shifts and posts for roster cells (夜, 巡1)", """
ALTER TABLE shift_types ADD COLUMN label TEXT;
ALTER TABLE posts ADD COLUMN label TEXT;
"""))

MIGRATIONS.append(Migration(9, "dispatch by override: the reason and what the crew lacked; units formed ad hoc from a post's crew", """
ALTER TABLE incidents ADD COLUMN override_reason TEXT;
ALTER TABLE incidents ADD COLUMN override_lacks TEXT;
ALTER TABLE units ADD COLUMN adhoc INTEGER NOT NULL DEFAULT 0;
"""))

LATEST_VERSION = MIGRATIONS[-1].version


def migrate(sdb: "StationDB", *, target: int | None = None) -> list[int]:
    """Bring the database up to `target` (default: latest). Returns the versions applied."""
    target = LATEST_VERSION if target is None else target
    current = sdb.schema_version()
    if current > LATEST_VERSION:
        from errors import Refused
        from messages import Msg
        raise Refused(Msg("db.schema_newer", path=str(sdb.path), version=current, latest=LATEST_VERSION))
    if current >= target:
        return []
    applied: list[int] = []
    with sdb.write():
        current = sdb.schema_version()  # re-read under the write lock: another process may have migrated
        for m in MIGRATIONS:
            if current < m.version <= target:
                # executescript would commit; run statement by statement inside our transaction
                for stmt in _statements(m.sql):
                    sdb.conn.execute(stmt)
                sdb.conn.execute(f"PRAGMA user_version = {m.version}")
                applied.append(m.version)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration script into statements (triggers keep their BEGIN ... END body)."""
    out: list[str] = []
    buf: list[str] = []
    for line in sql.strip().splitlines():
        buf.append(line)
        chunk = "\n".join(buf).strip()
        if chunk.endswith(";") and sqlite3_complete(chunk):
            out.append(chunk)
            buf = []
    if "\n".join(buf).strip():
        out.append("\n".join(buf).strip())
    return out


def sqlite3_complete(sql: str) -> bool:
    import sqlite3
    return sqlite3.complete_statement(sql)
