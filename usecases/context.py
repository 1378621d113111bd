"""Who is running dutydesk, on which database, in which language.

The identity is the operating-system user (`pwd.getpwuid(os.geteuid())`), never an environment
variable. Tests build an AppContext with an injected login instead.
"""
from __future__ import annotations

import locale
import os
import pwd
from dataclasses import dataclass, replace
from pathlib import Path

from errors import NotAuthorised, Refused

APP_NAME = "dutydesk"


def os_login() -> str:
    return pwd.getpwuid(os.geteuid()).pw_name


def data_dir() -> Path:
    from platformdirs import user_data_dir
    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "station.db"


def demo_db_path() -> Path:
    return data_dir() / "demo.db"


def locale_lang() -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "zh" if loc.lower().startswith("zh") else "en"


@dataclass(frozen=True)
class AppContext:
    login: str
    db_path: Path | None = None      # None: the default per-user database
    lang: str = "en"
    db_explicit: bool = False        # --db or DUTYDESK_DB was given

    @classmethod
    def from_environment(cls, *, db_path: str | None = None, lang: str | None = None) -> "AppContext":
        return cls(login=os_login(), db_path=Path(db_path) if db_path else None, lang=lang or locale_lang(),
                   db_explicit=bool(db_path))

    def with_overrides(self, *, db_path: str | None = None, lang: str | None = None) -> "AppContext":
        ctx = self
        if db_path:
            ctx = replace(ctx, db_path=Path(db_path), db_explicit=True)
        if lang:
            ctx = replace(ctx, lang=lang)
        return ctx

    @property
    def station_db_path(self) -> Path:
        """The station database named by --db / DUTYDESK_DB, else station.db in the data directory."""
        return self.db_path or default_db_path()

    @property
    def uses_demo_fallback(self) -> bool:
        """No --db, no station.db, but the demo exists: commands run on demo.db (and say so)."""
        return (not self.db_explicit and self.db_path is None and not default_db_path().exists()
                and demo_db_path().exists())

    @property
    def resolved_db_path(self) -> Path:
        """The database commands open: the station database, or the demo when it is the only one."""
        return demo_db_path() if self.uses_demo_fallback else self.station_db_path

    def open(self, *, create: bool = False):
        """Open the station database (a Session). Refuses a missing file unless create=True; a file
        created here is made owner + group only (db.connection.create_station_file) and
        `session.created` is True, so a failed init can remove it again."""
        from db.connection import StationDB, create_station_file, remove_station_file
        path = self.station_db_path if create else self.resolved_db_path
        created = False
        if not path.exists():
            if not create:
                raise Refused(f"no station database at {path}. Create one with `dutydesk init --station FILE "
                              "--people FILE` or `dutydesk init --demo` (or point --db / DUTYDESK_DB at it).")
            try:
                # the per-user data directory is private; a folder named by --db is group-shared
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o770 if self.db_explicit else 0o700)
            except OSError as exc:
                raise Refused(f"cannot create the folder {path.parent}: {exc.strerror}") from None
            try:
                create_station_file(path)
            except FileExistsError:
                pass                  # another process made it meanwhile; init re-checks under the write lock
            except OSError as exc:
                raise Refused(f"cannot create {path}: {exc.strerror}") from None
            else:
                created = True
        try:
            session = Session(StationDB(path), self)
        except BaseException:
            if created:
                remove_station_file(path)
            raise
        session.created = created
        return session


class Session:
    """An open database plus the acting user; use cases take one."""

    def __init__(self, sdb, ctx: AppContext):
        self.sdb = sdb
        self.ctx = ctx
        self.created = False       # the database file was created by this session's open()

    @property
    def read_only(self) -> bool:
        """The database can only be read by this login (the app shows a read-only banner; every
        write is refused with errors.ReadOnly)."""
        return bool(getattr(self.sdb, "read_only", False))

    @property
    def login(self) -> str:
        return self.ctx.login

    def user(self) -> dict | None:
        from db.users import get_user
        return get_user(self.sdb, self.login)

    def person(self) -> str | None:
        u = self.user()
        return u["person"] if u else None

    def roles(self) -> set[str]:
        u = self.user()
        return set(u["roles"]) if u else set()

    def require(self, *roles: str, action: str, admin_ok: bool = True) -> None:
        """Refuse (exit 77) unless the acting user has one of `roles` (and admin, unless
        ``admin_ok`` is False: only a chief approves a roster)."""
        have = self.roles()
        if have & (set(roles) | ({"admin"} if admin_ok else set())):
            return
        need = " or ".join(dict.fromkeys(roles + (("admin",) if admin_ok else ())))
        who = f"user '{self.login}'" + (f" (roles: {', '.join(sorted(have))})" if have else " (no roles here)")
        raise NotAuthorised(f"{who} may not {action}; this needs {need}. "
                            f"An admin can grant it: dutydesk user add {self.login} --role {roles[0]}")

    def require_action(self, action: str) -> None:
        """Refuse (exit 77) unless the acting user may do `action` of usecases.permissions.PERMISSIONS;
        an action that writes is refused on a read-only database too."""
        from usecases.permissions import permission
        p = permission(action)
        if not self.roles():
            raise NotAuthorised(f"user '{self.login}' has no role in this station ({self.sdb.path}), so dutydesk "
                                f"shows nothing. Ask the station's admin: dutydesk user add {self.login} --role viewer "
                                "(or duty, chief)")
        self.require(*p.roles, action=p.text, admin_ok=p.admin_ok)
        if p.writes and self.read_only:
            from errors import ReadOnly
            raise ReadOnly(f"{self.sdb.path} is read-only for this login, so you may not {p.text}; ask the "
                           "station's admin for write access")

    def may(self, action: str) -> str | None:
        """None when the acting user may do `action`, else the reason (for greying out in the app)."""
        from errors import ReadOnly
        try:
            self.require_action(action)
        except (NotAuthorised, ReadOnly) as exc:
            return exc.message
        return None

    def audit(self, action: str, **kw) -> str:
        from db.audit import append
        return append(self.sdb, login=self.login, person=self.person(), action=action, **kw)

    def close(self) -> None:
        self.sdb.close()

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
