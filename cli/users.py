"""`dutydesk user ...`: operating-system logins and their roles."""
from __future__ import annotations

import click

from cli import params as P
from cli.common import echo_json, json_option, open_session, say, table
from messages import Items, role, t


@click.group()
def user():
    """Users (operating-system logins) and their roles: admin, chief, duty, viewer."""


@user.command("add")
@click.argument("login")
@click.option("--role", "roles", multiple=True, required=True, type=P.ROLE,
              help="Role to grant (repeat for several): admin, chief, duty, viewer (or 管理员, 所长, 值班, 只读).")
@click.option("--person", "person", help="Badge of the person this login belongs to.")
@json_option
@click.pass_context
def user_add(ctx, login, roles, person, as_json):
    """Grant ROLE to the operating-system user LOGIN (admin only)."""
    from usecases.users import add_user
    with open_session(ctx) as s:
        u = add_user(s, login, roles=list(roles), person=person)
    if as_json:
        echo_json(u)
    else:
        say("cli.user.person" if u["person"] else "cli.user.roles", login=u["login"], roles=Items(role(r) for r in u["roles"]),
            person=u["person"] or "")


@user.command("list")
@json_option
@click.pass_context
def user_list(ctx, as_json):
    """List users and their roles."""
    from usecases.users import list_users
    from cli.common import local_time, zone_note
    with open_session(ctx) as s:
        rows = list_users(s)
        zone = s.zone() if s.sdb.is_initialised() else "Asia/Shanghai"
    if as_json:
        echo_json(rows)
        return
    table(t("cli.user.list_title"), [t("cli.user.col.login"), t("cli.user.col.roles"), t("col.person"), t("col.name"),
                                 t("cli.user.col.since")],
          [[u["login"], str(Items(role(r) for r in u["roles"])), u["person"], u["person_name"],
            local_time(u["created_at"], zone, "YYYY-MM-DD HH:mm")] for u in rows], caption=zone_note(zone))
