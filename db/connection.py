"""Opening a station database: pragmas, migrations, write transactions, change polling.

Every write goes through `StationDB.write()`, which opens `BEGIN IMMEDIATE` so that two
terminals writing at once queue on SQLite's busy handler instead of failing with
"database is locked"; if the lock is still held after the busy timeout (and a few retries),
the user gets `DatabaseBusy` (exit 75), never a raw sqlite3 error.
"""
from __future__ import annotations

import contextlib
import os
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

from errors import DatabaseBusy, InputError, InputProblem, ReadOnly, Refused

BUSY_TIMEOUT_MS = 10_000
WRITE_RETRIES = 5


STATION_FILE_MODE = 0o660     # owner and the station's group; never the world (the umask may take more)


def create_station_file(path: str | Path) -> Path:
    """Create an empty station database file readable and writable by its owner and group only
    (0o660 less the umask: 0o640 under umask 022, 0o600 under 077). SQLite gives its -wal and -shm
    files the same mode. In a setgid folder the file gets the folder's group, so several Linux
    logins in that group share the station. Refuses if the file exists."""
    p = Path(path)
    fd = os.open(p, os.O_WRONLY | os.O_CREAT | os.O_EXCL, STATION_FILE_MODE)
    os.close(fd)
    return p


def remove_station_file(path: str | Path) -> None:
    """Remove a database file (and its -wal / -shm) that this process created and failed to fill."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")


def _is_read_only_error(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "readonly" in str(exc).lower().replace("-", "")


def writable(path: Path) -> bool:
    """Can this process write the database (the file, and its folder for the -wal / -shm files)?"""
    return os.access(path, os.W_OK) and os.access(path.parent if str(path.parent) else Path("."), os.W_OK)


def _is_busy(exc: BaseException) -> bool:
    msg = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in msg or "busy" in msg)


class StationDB:
    """One station's SQLite file, opened with WAL, foreign keys and a busy timeout."""

    def __init__(self, path: str | Path, *, migrate: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
                 read_only: bool | None = None):
        self.path = Path(path)
        if self.path.exists() and not self.path.is_file():
            raise InputError(InputProblem(file=str(self.path), message="is a folder or a device, not a station "
                                                                       "database file"))
        if self.path.exists() and not os.access(self.path, os.R_OK):
            from errors import NotAuthorised
            raise NotAuthorised(f"{self.path}: this login may not read the station database (file permissions); "
                                "ask the station's admin to add you to the station's group (README 'Sharing a "
                                "station')")
        # read_only=None: decide from the file's permissions (a database this login may only read)
        self.read_only = (self.path.exists() and not writable(self.path)) if read_only is None else read_only
        try:
            conn = self._connect(busy_timeout_ms)
        except sqlite3.DatabaseError as exc:
            raise self._not_a_database(exc) from None
        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        if migrate:
            from db.schema import migrate as _migrate
            try:
                if self.read_only:
                    from db.schema import LATEST_VERSION
                    if self.schema_version() < LATEST_VERSION:
                        raise ReadOnly(f"{self.path} is read-only for this login and needs an upgrade to schema "
                                       f"{LATEST_VERSION} (it is at {self.schema_version()}); ask whoever may write "
                                       "it to open it once with dutydesk")
                _migrate(self)
            except sqlite3.DatabaseError as exc:
                conn.close()
                if _is_read_only_error(exc):
                    raise ReadOnly(f"{self.path} is read-only for this login: nothing can be written") from None
                raise self._not_a_database(exc) from None
            except BaseException:
                conn.close()
                raise

    def _connect(self, busy_timeout_ms: int) -> sqlite3.Connection:
        if self.read_only:
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            try:
                conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=busy_timeout_ms / 1000,
                                       check_same_thread=False)
                conn.execute("PRAGMA schema_version").fetchone()
            except sqlite3.OperationalError:
                # a WAL database in a folder we cannot write: no -shm can be made; read it as it is
                conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                                       isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            conn.execute("PRAGMA schema_version").fetchone()   # a file that is not SQLite fails here
            self.journal_mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            conn.execute("PRAGMA foreign_keys = ON")
            return conn
        conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=busy_timeout_ms / 1000,
                               check_same_thread=False)
        try:
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
        except BaseException:
            conn.close()
            raise
        return conn

    def _not_a_database(self, exc: BaseException):
        if _is_busy(exc):
            return DatabaseBusy(f"{self.path}: the database stayed busy; try again.")
        return InputError(InputProblem(file=str(self.path), message=(
            f"not a dutydesk station database ({exc}); check --db / DUTYDESK_DB, or create one with "
            "`dutydesk init`")))

    # -- transactions -------------------------------------------------------------------
    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction (`BEGIN IMMEDIATE`); commits on success, rolls back on error.

        Nested calls join the outer transaction (sqlite-utils uses savepoints inside it).
        """
        if self.read_only:
            raise ReadOnly(f"{self.path} is read-only for this login; nothing was written. Ask the station's "
                           "admin for write access (the station group, see README 'Sharing a station').")
        if self.conn.in_transaction:
            yield self.db
            return
        self._begin_immediate()
        try:
            yield self.db
        except sqlite3.OperationalError as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if _is_read_only_error(exc):
                raise ReadOnly(f"{self.path} is read-only for this login; nothing was written.") from None
            raise
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
                if _is_read_only_error(exc):
                    raise ReadOnly(f"{self.path} is read-only for this login; nothing was written.") from None
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
