"""Who may do what: the one permission table.

Every use case checks its action with `session.require_action(ACTION)` (which reads this
table), and the terminal app greys out and explains actions from the same table
(`usecases.board.permissions`). Change a role's rights here and both follow.

Roles: admin (runs the station file: users, people, calendar), chief (所长/教导员: rosters and
their approval), duty (值班民警: the board, incidents, leave, patrols), viewer (reads).

Reading ("read"): every role may read the station, its rosters, the duty board, patrol plans,
incidents and leave. A login with no role reads nothing: it is told to ask the admin. A viewer
does not get people's phone numbers and notes (the people export, "people_export") nor the
audit log's entries (which record those values when they change, "audit_read"); a viewer may
verify the audit chain.
"""
from __future__ import annotations

from dataclasses import dataclass

ROLES = ("admin", "chief", "duty", "viewer")


@dataclass(frozen=True)
class Permission:
    roles: tuple[str, ...]     # roles that may
    text: str                  # "may not <text>" in the refusal
    admin_ok: bool = True      # admin may too (False: only a chief approves a roster)
    writes: bool = True        # changes the database (refused on a read-only database)


PERMISSIONS: dict[str, Permission] = {
    # reading
    "read": Permission(("admin", "chief", "duty", "viewer"), "read this station", writes=False),
    "people_export": Permission(("admin", "chief", "duty"), "export the people list (phone numbers, notes)",
                                writes=False),
    "audit_read": Permission(("admin", "chief"), "read the audit log", writes=False),
    # the station file
    "users": Permission(("admin",), "add users or change roles"),
    "import_people": Permission(("admin",), "import people"),
    "calendar_import": Permission(("admin",), "import a holiday calendar"),
    # rosters (usecases.roster, usecases.approval)
    "generate": Permission(("chief",), "generate rosters"),
    "repair": Permission(("chief", "duty"), "repair rosters"),
    "edit": Permission(("chief", "duty"), "edit rosters"),
    "swap": Permission(("chief", "duty"), "swap assignments"),
    "submit": Permission(("duty", "chief"), "submit rosters"),
    "approve": Permission(("chief",), "approve rosters", admin_ok=False),
    "reject": Permission(("chief",), "reject rosters", admin_ok=False),
    "publish": Permission(("chief",), "publish rosters", admin_ok=False),
    "leave": Permission(("chief", "duty"), "record leave"),
    # dispatch, patrol, handover (usecases.dispatch, usecases.patrol)
    "incident": Permission(("duty", "chief"), "take incidents"),
    "dispatch": Permission(("duty", "chief"), "dispatch units"),
    "update_incident": Permission(("duty", "chief"), "update incidents"),
    "clock": Permission(("duty", "chief"), "start legal clocks"),
    "ack": Permission(("duty", "chief"), "acknowledge check-ins"),
    "patrol_plan": Permission(("chief", "duty"), "plan night patrols"),
    "checkin": Permission(("chief", "duty"), "record patrol check-ins"),
    "handover": Permission(("duty", "chief"), "hand over duty"),
}

# the actions the terminal app offers (usecases.board.ACTION_ROLES mirrors these)
APP_ACTIONS = ("generate", "repair", "edit", "swap", "submit", "approve", "reject", "publish", "leave",
               "incident", "dispatch", "update_incident", "clock", "ack", "patrol_plan", "checkin", "handover")


def permission(action: str) -> Permission:
    try:
        return PERMISSIONS[action]
    except KeyError:
        raise KeyError(f"no permission '{action}' in usecases.permissions.PERMISSIONS") from None


def allowed_roles(action: str) -> set[str]:
    p = permission(action)
    return set(p.roles) | ({"admin"} if p.admin_ok else set())


def table() -> list[dict]:
    """The table as rows, for documentation and `--json` users."""
    return [{"action": a, "roles": sorted(allowed_roles(a)), "means": p.text, "writes": p.writes}
            for a, p in PERMISSIONS.items()]
