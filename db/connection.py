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
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    import sqlite_utils

from errors import DatabaseBusy, InputError, InputProblem, ReadOnly, Refused
from messages import Msg

_sqlite_utils = None
_sqlite_utils_lock = threading.Lock()


def load_sqlite_utils():
    """sqlite-utils, imported when the first write needs it (``StationDB.db``), not when a
    station opens: it is about 30 ms of every start (the terminal app's first paint reads with
    plain sqlite3, docs/benchmarks.md).

    sqlite-utils imports pandas and numpy whenever they are installed, only to name column
    types for DataFrames and numpy scalars when it creates a table from values, which dutydesk
    never does (its tables come from db/schema.py): about 0.4 s. Both are hidden while
    sqlite-utils loads (unless already imported), then reachable again for anything that really
    imports them (the solver's numpy, ortools' pandas). While they are hidden, an import of
    either in another thread would fail: call this before starting threads that may import
    them for the first time (the terminal app does, before its first worker)."""
    global _sqlite_utils
    if _sqlite_utils is None:
        import sys
        with _sqlite_utils_lock:
            if _sqlite_utils is None:
                hidden = [m for m in ("pandas", "numpy") if m not in sys.modules]
                for m in hidden:
                    sys.modules[m] = None       # type: ignore[assignment]  # makes `import pandas` fail
                try:
                    import sqlite_utils as module
                finally:
                    for m in hidden:
                        del sys.modules[m]
                _sqlite_utils = module
    return _sqlite_utils


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
            raise InputError(InputProblem(file=str(self.path), message=Msg("db.not_a_file")))
        if self.path.exists() and not os.access(self.path, os.R_OK):
            from errors import NotAuthorised
            raise NotAuthorised(Msg("db.unreadable", path=str(self.path)))
        # read_only=None: decide from the file's permissions (a database this login may only read)
        self.read_only = (self.path.exists() and not writable(self.path)) if read_only is None else read_only
        try:
            conn = self._connect(busy_timeout_ms)
        except sqlite3.DatabaseError as exc:
            raise self._not_a_database(exc) from None
        self.conn = conn
        self._db = None
        if migrate:
            from db.schema import migrate as _migrate
            try:
                if self.read_only:
                    from db.schema import LATEST_VERSION
                    if self.schema_version() < LATEST_VERSION:
                        raise ReadOnly(Msg("db.read_only_upgrade", path=str(self.path), latest=LATEST_VERSION,
                                           version=self.schema_version()))
                _migrate(self)
            except sqlite3.DatabaseError as exc:
                conn.close()
                if _is_read_only_error(exc):
                    raise ReadOnly(Msg("db.read_only", path=str(self.path))) from None
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
            return DatabaseBusy(Msg("db.busy", path=str(self.path)))
        return InputError(InputProblem(file=str(self.path), message=Msg("db.not_a_database", detail=str(exc))))

    @property
    def db(self) -> "sqlite_utils.Database":
        """sqlite-utils on this connection, for writes (made at the first use)."""
        if self._db is None:
            # execute_plugins=False: no sqlite-utils plugin may change the station's connection,
            # and finding them scans every installed package's entry points (about 0.1 s)
            self._db = load_sqlite_utils().Database(self.conn, execute_plugins=False)
        return self._db

    # -- transactions -------------------------------------------------------------------
    @contextlib.contextmanager
    def write(self) -> Iterator["sqlite_utils.Database"]:
        """A write transaction (`BEGIN IMMEDIATE`); commits on success, rolls back on error.

        Nested calls join the outer transaction (sqlite-utils uses savepoints inside it).
        """
        if self.read_only:
            raise ReadOnly(Msg("db.read_only_write", path=str(self.path)))
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
                raise ReadOnly(Msg("db.read_only_nothing_written", path=str(self.path))) from None
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
                    raise DatabaseBusy(Msg("db.busy_nothing_written", path=str(self.path))) from exc
                raise

    def _begin_immediate(self) -> None:
        delay = 0.05
        for attempt in range(WRITE_RETRIES):
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if _is_read_only_error(exc):
                    raise ReadOnly(Msg("db.read_only_nothing_written", path=str(self.path))) from None
                if not _is_busy(exc):
                    raise
                if attempt == WRITE_RETRIES - 1:
                    raise DatabaseBusy(Msg("db.busy_too_long", path=str(self.path))) from exc
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
            raise Refused(Msg("db.no_station", path=str(self.path)))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "StationDB":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
