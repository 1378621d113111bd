"""Opening a station database: pragmas, migrations, write transactions, change polling.

Every write goes through `StationDB.write()`, which opens `BEGIN IMMEDIATE` so that two
terminals writing at once queue on SQLite's busy handler instead of failing with
"database is locked"; if the lock is still held after the busy timeout (and a few retries),
the user gets `DatabaseBusy` (exit 75), never a raw sqlite3 error.
"""
from __future__ import annotations

import contextlib
import random
import sqlite3
import time
from pathlib import Path
from typing import Iterator

import sys as _sys

# sqlite-utils imports pandas and numpy whenever they are installed, only to name column types
# for DataFrames and numpy scalars when it creates a table from values, which dutydesk never does
# (its tables come from db/schema.py): about 0.4 s of every start, the terminal app's first paint
# included (docs/benchmarks.md). Both are hidden while sqlite-utils loads (unless already
# imported), then reachable again for anything that really imports them (the solver's numpy).
_hidden = [m for m in ("pandas", "numpy") if m not in _sys.modules]
for _m in _hidden:
    _sys.modules[_m] = None             # type: ignore[assignment]  # makes `import pandas` fail
try:
    import sqlite_utils
finally:
    for _m in _hidden:
        del _sys.modules[_m]

from errors import DatabaseBusy, Refused

BUSY_TIMEOUT_MS = 10_000
WRITE_RETRIES = 5


def _is_busy(exc: BaseException) -> bool:
    msg = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in msg or "busy" in msg)


class StationDB:
    """One station's SQLite file, opened with WAL, foreign keys and a busy timeout."""

    def __init__(self, path: str | Path, *, migrate: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS):
        self.path = Path(path)
        conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=busy_timeout_ms / 1000,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:  # another process is switching modes right now
            if not _is_busy(exc):
                raise
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        self.journal_mode = mode
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        if migrate:
            from db.schema import migrate as _migrate
            try:
                _migrate(self)
            except BaseException:
                conn.close()
                raise

    # -- transactions -------------------------------------------------------------------
    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction (`BEGIN IMMEDIATE`); commits on success, rolls back on error.

        Nested calls join the outer transaction (sqlite-utils uses savepoints inside it).
        """
        if self.conn.in_transaction:
            yield self.db
            return
        self._begin_immediate()
        try:
            yield self.db
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                if _is_busy(exc):
                    raise DatabaseBusy(f"{self.path}: the database stayed busy; nothing was written. Try again.") from exc
                raise

    def _begin_immediate(self) -> None:
        delay = 0.05
        for attempt in range(WRITE_RETRIES):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise
                if attempt == WRITE_RETRIES - 1:
                    raise DatabaseBusy(
                        f"{self.path}: another dutydesk process kept the database busy for too long; "
                        "nothing was written. Try again.") from exc
                time.sleep(delay * (1 + random.random()))
                delay *= 2

    # -- reading helpers ----------------------------------------------------------------
    def rows(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        cur = self.conn.execute(sql, params)
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def one(self, sql: str, params: tuple | dict = ()) -> dict | None:
        rows = self.rows(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: tuple | dict = ()):
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def data_version(self) -> int:
        """Changes whenever another connection commits to this database (cheap to poll)."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def schema_version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def is_initialised(self) -> bool:
        return bool(self.scalar("SELECT count(*) FROM station"))

    def require_station(self) -> None:
        if not self.is_initialised():
            raise Refused(f"{self.path} holds no station yet. Run `dutydesk init --station FILE --people FILE` "
                          "or `dutydesk init --demo` first.")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "StationDB":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
