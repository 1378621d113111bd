"""`dutydesk people ...`."""
from __future__ import annotations

import click

from cli.common import echo_json, json_option, open_session, table


@click.group()
def people():
    """People of the station (民警, 辅警, ...)."""


@people.command("list")
@click.option("--team", help="Only this team (code).")
@click.option("--skill", help="Only people holding this skill (code).")
@json_option
@click.pass_context
def people_list(ctx, team, skill, as_json):
    """List people with badge, name, person type, team and skills (expiry marked)."""
    from usecases.station import people_list as uc
    with open_session(ctx) as s:
        rows = uc(s, team=team, skill=skill)
    if as_json:
        echo_json(rows)
        return
    mark = {"valid": "", "expiring": " (expires {e})", "expired": " (EXPIRED {e})"}

    def skills(p):
        return ", ".join(x["skill"] + mark[x["state"]].format(e=x["expires"]) for x in p["skills"])
    table(f"People 人员 ({len(rows)})", ["badge", "name", "sex", "type", "team", "years", "active", "skills"],
          [[p["badge"], p["name"], "女" if p["sex"] == "F" else "男", p["person_type_zh"], p["team"] or "",
            p["years_of_service"], "" if p["active"] else "no", skills(p)] for p in rows])
