"""Several processes writing to one station database at once: nothing lost, no raw lock errors."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from db import audit
from db.connection import StationDB
from errors import DatabaseBusy
from tests.conftest import REPO
from usecases.context import AppContext
from usecases.station import init_demo

WRITER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {repo!r})
    from usecases.context import AppContext
    from usecases.users import add_user
    from pathlib import Path
    ctx = AppContext(login="admin1", db_path=Path({db!r}), db_explicit=True)
    for j in range({n}):
        with ctx.open() as s:
            add_user(s, f"w{{sys.argv[1]}}_{{j}}", roles=["viewer"])
    print("done")
""")


def test_parallel_writers_lose_nothing(tmp_path):
    db = tmp_path / "station.db"
    init_demo(AppContext(login="admin1", db_path=db, db_explicit=True))
    writers, n = 4, 15
    script = WRITER.format(repo=str(REPO), db=str(db), n=n)
    procs = [subprocess.Popen([sys.executable, "-c", script, str(i)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(writers)]
    results = [p.communicate(timeout=120) for p in procs]
    for (out, err), p in zip(results, procs):
        assert p.returncode == 0, err
        assert "locked" not in err and out.strip() == "done"
    with StationDB(db) as sdb:
        assert sdb.scalar("SELECT count(*) FROM users") == 1 + writers * n
        ok, entries, _, problem = audit.verify(sdb)
        assert ok, problem
        assert entries == 1 + writers * n   # init + one entry per user, chain never forked


def test_lock_held_too_long_is_a_clear_busy_error(tmp_path):
    db = tmp_path / "station.db"
    holder = StationDB(db)
    waiter = StationDB(db, busy_timeout_ms=50)
    holder.conn.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusy, match="nothing was written"):
            with waiter.write():
                waiter.db["teams"].insert({"code": "x", "name": "x", "kind": "other"})
    finally:
        holder.conn.execute("ROLLBACK")
    with waiter.write():  # and works again once the lock is gone
        waiter.db["teams"].insert({"code": "x", "name": "x", "kind": "other"})
    assert holder.scalar("SELECT count(*) FROM teams") == 1


def test_data_version_changes_when_another_connection_writes(tmp_path):
    db = tmp_path / "station.db"
    a, b = StationDB(db), StationDB(db)
    v = a.data_version()
    with b.write():
        b.db["teams"].insert({"code": "x", "name": "x", "kind": "other"})
    assert a.data_version() != v


def test_parallel_first_opens_migrate_once(tmp_path):
    db = tmp_path / "fresh.db"
    script = (f"import sys; sys.path.insert(0, {str(REPO)!r})\n"
              "from db.connection import StationDB\n"
              f"s = StationDB({str(db)!r}); print(s.schema_version())")
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(4)]
    outs = [p.communicate(timeout=60) for p in procs]
    from db.schema import LATEST_VERSION
    for (out, err), p in zip(outs, procs):
        assert p.returncode == 0, err
        assert out.strip() == str(LATEST_VERSION)
