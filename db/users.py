"""Users (operating-system logins) and their roles."""
from __future__ import annotations

from typing import TYPE_CHECKING

from db.audit import utc_now

if TYPE_CHECKING:
    from db.connection import StationDB


def get_user(sdb: "StationDB", login: str) -> dict | None:
    row = sdb.one("SELECT login, person, created_at FROM users WHERE login = ?", (login,))
    if row is None:
        return None
    row["roles"] = [r["role"] for r in sdb.rows("SELECT role FROM user_roles WHERE login = ? ORDER BY role",
                                                (login,))]
    return row


def list_users(sdb: "StationDB") -> list[dict]:
    rows = sdb.rows("""SELECT u.login, u.person, p.name AS person_name, u.created_at,
                              group_concat(r.role, ',') AS roles
                       FROM users u LEFT JOIN people p ON p.badge = u.person
                       LEFT JOIN user_roles r ON r.login = u.login
                       GROUP BY u.login ORDER BY u.created_at, u.login""")
    for r in rows:
        r["roles"] = sorted(r["roles"].split(",")) if r["roles"] else []
    return rows


def save_user(sdb: "StationDB", login: str, *, person: str | None, roles: list[str]) -> None:
    """Create or update a user and add roles (inside a write transaction)."""
    if sdb.one("SELECT 1 AS x FROM users WHERE login = ?", (login,)) is None:
        sdb.db["users"].insert({"login": login, "person": person, "created_at": utc_now()})
    elif person is not None:
        sdb.conn.execute("UPDATE users SET person = ? WHERE login = ?", (person, login))
    for role in roles:
        sdb.conn.execute("INSERT OR IGNORE INTO user_roles (login, role) VALUES (?, ?)", (login, role))


def user_exists(sdb: "StationDB", login: str) -> bool:
    return sdb.scalar("SELECT 1 FROM users WHERE login = ?", (login,)) is not None
