"""Who may do what: the one permission table.

Every use case checks its action with `session.require_action(ACTION)` (which reads this
table), and the terminal app greys out and explains actions from the same table
(`usecases.board.permissions`). Change a role's rights here and both follow.

Roles: admin (runs the station file: users, people, calendar), chief (所长/教导员: rosters and
their approval), duty (值班民警: the board, incidents, leave, officers' wishes, patrols), viewer
(reads; a viewer login linked to a person records that person's own wishes).

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
    text: str                  # "may not <text>" in the refusal (shown from perm.<action> of messages/auth.py)
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
    # changing the station definition (usecases.station_change): the admin keeps the station file,
    # the chief answers for posts, demand and rules, which the rosters they sign are built from
    "station_change": Permission(("admin", "chief"), "change the station definition"),
    "station_preview": Permission(("admin", "chief"), "preview a change of the station definition", writes=False),
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
    # officers' wishes (usecases.requests): the command room and the chief record anyone's; a
    # login linked to a person (user add LOGIN --role viewer --person BADGE) records its own
    "request": Permission(("chief", "duty"), "record or remove other people's wishes"),
    "request_own": Permission(("chief", "duty", "viewer"), "record or remove their own wishes"),
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
APP_ACTIONS = ("generate", "repair", "edit", "swap", "submit", "approve", "reject", "publish", "leave", "request_own",
               "incident", "dispatch", "update_incident", "clock", "ack", "patrol_plan", "checkin", "handover")


def permission(action: str) -> Permission:
    try:
        return PERMISSIONS[action]
    except KeyError:
        raise KeyError(f"no permission '{action}' in usecases.permissions.PERMISSIONS") from None


def action_text(action: str):
    """What the action is called after "may not", in the user's language (``perm.<action>`` in
    the catalogue; the table's English text for an action the catalogue does not know yet)."""
    from messages import MESSAGES, Msg
    key = f"perm.{action}"
    return Msg(key) if key in MESSAGES else permission(action).text


def allowed_roles(action: str) -> set[str]:
    p = permission(action)
    return set(p.roles) | ({"admin"} if p.admin_ok else set())


def table() -> list[dict]:
    """The table as rows, for documentation and `--json` users."""
    return [{"action": a, "roles": sorted(allowed_roles(a)), "means": str(action_text(a)), "writes": p.writes}
            for a, p in PERMISSIONS.items()]
