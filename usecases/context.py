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
    def resolved_db_path(self) -> Path:
        return self.db_path or default_db_path()

    def open(self, *, create: bool = False):
        """Open the station database (a Session). Refuses a missing file unless create=True."""
        from db.connection import StationDB
        path = self.resolved_db_path
        if not create and not path.exists():
            raise Refused(f"no station database at {path}. Create one with `dutydesk init --station FILE "
                          "--people FILE` or `dutydesk init --demo` (or point --db / DUTYDESK_DB at it).")
        path.parent.mkdir(parents=True, exist_ok=True)
        return Session(StationDB(path), self)


class Session:
    """An open database plus the acting user; use cases take one."""

    def __init__(self, sdb, ctx: AppContext):
        self.sdb = sdb
        self.ctx = ctx

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
        need = " or ".join(roles + (("admin",) if admin_ok else ()))
        who = f"user '{self.login}'" + (f" (roles: {', '.join(sorted(have))})" if have else " (no roles here)")
        raise NotAuthorised(f"{who} may not {action}; this needs {need}. "
                            f"An admin can grant it: dutydesk user add {self.login} --role {roles[0]}")

    def audit(self, action: str, **kw) -> str:
        from db.audit import append
        return append(self.sdb, login=self.login, person=self.person(), action=action, **kw)

    def close(self) -> None:
        self.sdb.close()

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
