"""Schema, migrations, pragmas, the append-only audit table."""
from __future__ import annotations

import sqlite3

import pytest

from db import audit
from db.connection import StationDB
from db.schema import LATEST_VERSION, MIGRATIONS, migrate


def test_new_database_is_latest_with_pragmas(db_path):
    with StationDB(db_path) as sdb:
        assert sdb.schema_version() == LATEST_VERSION
        assert sdb.journal_mode == "wal"
        assert sdb.scalar("PRAGMA foreign_keys") == 1
        assert sdb.scalar("PRAGMA busy_timeout") >= 5000
        tables = {r["name"] for r in sdb.rows("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for t in ("station", "teams", "people", "person_skills", "skills", "posts", "shift_types", "demand",
              "rule_params", "calendar_days", "leave", "requests", "rosters", "roster_versions", "assignments",
              "hot_spots", "patrol_plans", "incidents", "unit_status_events", "handover_notes", "users",
              "user_roles", "audit_log"):
        assert t in tables


def test_old_database_upgrades_without_loss(db_path):
    # Build a version-1 database by hand, with data in it, as an older dutydesk would have left it.
    sdb = StationDB(db_path, migrate=False)
    migrate(sdb, target=1)
    assert sdb.schema_version() == 1
    with sdb.write():
        sdb.db["station"].insert({"id": 1, "code": "X", "name": "老站", "created_at": "2025-01-01T00:00:00Z"})
        sdb.db["teams"].insert({"code": "c", "name": "社区", "kind": "community"})
        sdb.db["people"].insert({"badge": "000123", "name": "王丽", "sex": "F", "person_type": "sworn", "team": "c"})
        audit.append(sdb, login="old", person=None, action="test", after={"a": 1})
    sdb.close()

    with StationDB(db_path) as sdb:  # opening upgrades
        assert sdb.schema_version() == LATEST_VERSION
        assert sdb.one("SELECT badge, name FROM people") == {"badge": "000123", "name": "王丽"}
        assert sdb.scalar("SELECT name FROM station") == "老站"
        ok, n, _, problem = audit.verify(sdb)
        assert ok and n == 1 and problem is None
        assert sdb.scalar("SELECT count(*) FROM rosters") == 0


def test_each_migration_applies_once(db_path):
    with StationDB(db_path) as sdb:
        assert migrate(sdb) == []
    assert [m.version for m in MIGRATIONS] == list(range(1, LATEST_VERSION + 1))


def test_newer_database_is_refused(db_path):
    from errors import Refused
    with StationDB(db_path) as sdb:
        sdb.conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    with pytest.raises(Refused, match="newer"):
        StationDB(db_path)


def test_audit_log_refuses_update_and_delete(db_path):
    with StationDB(db_path) as sdb:
        with sdb.write():
            audit.append(sdb, login="a", person=None, action="x")
            audit.append(sdb, login="a", person=None, action="y")
        for sql in ("UPDATE audit_log SET action = 'z'", "DELETE FROM audit_log"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                sdb.conn.execute(sql)
        ok, n, head, _ = audit.verify(sdb)
        assert ok and n == 2 and head == audit.head(sdb)[1]


def test_audit_verify_names_altered_entry(db_path):
    with StationDB(db_path) as sdb:
        with sdb.write():
            for i in range(3):
                audit.append(sdb, login="a", person=None, action=f"a{i}")
        # tamper under the triggers' noses, as someone with the raw file could
        sdb.conn.execute("DROP TRIGGER audit_log_no_update")
        sdb.conn.execute("UPDATE audit_log SET action = 'forged' WHERE seq = 2")
        ok, _, _, problem = audit.verify(sdb)
        assert not ok and problem == "entry 2 was altered"


def test_write_rolls_back_on_error(db_path):
    with StationDB(db_path) as sdb:
        with pytest.raises(RuntimeError):
            with sdb.write():
                sdb.db["teams"].insert({"code": "c", "name": "社区", "kind": "community"})
                raise RuntimeError("boom")
        assert sdb.scalar("SELECT count(*) FROM teams") == 0


def test_foreign_keys_enforced(db_path):
    with StationDB(db_path) as sdb:
        with pytest.raises(sqlite3.IntegrityError):
            with sdb.write():
                sdb.db["person_skills"].insert({"badge": "nobody", "skill": "nothing"})
