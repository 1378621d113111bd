"""User and role use cases. Roles: admin, chief, duty, viewer."""
from __future__ import annotations

import re

from db import station as station_db
from db import users as users_db
from db.schema import ROLES
from errors import InputError, InputProblem, NotFound
from usecases.context import Session

_LOGIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$")


def add_user(session: Session, login: str, *, roles: list[str], person: str | None = None) -> dict:
    session.sdb.require_station()
    session.require_action("users")
    if not _LOGIN.match(login):
        raise InputError(InputProblem(file="command line", field="LOGIN",
                                      message=f"'{login}' is not an operating-system login name"))
    bad = [r for r in roles if r not in ROLES]
    if bad:
        raise InputError(InputProblem(file="command line", field="--role",
                                      message=f"unknown role {', '.join(bad)}; use {', '.join(ROLES)}"))
    if person is not None and not station_db.person_exists(session.sdb, person):
        raise NotFound(f"no person with badge '{person}' (see `dutydesk people list`)")
    with session.sdb.write():
        before = users_db.get_user(session.sdb, login)
        users_db.save_user(session.sdb, login, person=person, roles=roles)
        after = users_db.get_user(session.sdb, login)
        session.audit("user.add" if before is None else "user.update", entity="user", entity_id=login,
                      before=before and {"person": before["person"], "roles": before["roles"]},
                      after={"person": after["person"], "roles": after["roles"]})
    return after


def list_users(session: Session) -> list[dict]:
    session.sdb.require_station()
    return users_db.list_users(session.sdb)
