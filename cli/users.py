"""`dutydesk user ...`: operating-system logins and their roles."""
from __future__ import annotations

import click

from cli.common import echo_json, json_option, open_session, table
from db.schema import ROLES


@click.group()
def user():
    """Users (operating-system logins) and their roles: admin, chief, duty, viewer."""


@user.command("add")
@click.argument("login")
@click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES),
              help="Role to grant (repeat for several).")
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
        click.echo(f"{u['login']}: roles {', '.join(u['roles'])}" + (f", person {u['person']}" if u["person"] else ""))


@user.command("list")
@json_option
@click.pass_context
def user_list(ctx, as_json):
    """List users and their roles."""
    from usecases.users import list_users
    with open_session(ctx) as s:
        rows = list_users(s)
    if as_json:
        echo_json(rows)
        return
    table("Users 用户", ["login", "roles", "person", "name", "since"],
          [[u["login"], ",".join(u["roles"]), u["person"], u["person_name"], u["created_at"]] for u in rows])
