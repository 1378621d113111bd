"""`dutydesk people ...`."""
from __future__ import annotations

import click

from cli.common import echo_json, json_option, open_session, table
from messages import Items, person_type, t


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
    from usecases.station import people_list as uc, station_names
    with open_session(ctx) as s:
        rows = uc(s, team=team, skill=skill)
        names = station_names(s)
    if as_json:
        echo_json(rows)
        return
    def skills(p):
        return str(Items(str(names["skills"].get(x["skill"], x["skill"]))
                         + ("" if x["state"] == "valid" else t(f"cli.people.skill_{x['state']}", e=x["expires"]))
                         for x in p["skills"]))
    table(t("cli.people.list_title", n=len(rows)),
          [t("col.badge"), t("col.name"), t("cli.people.col.sex"), t("col.type"), t("col.team"), t("cli.people.col.years"),
           t("cli.people.col.active"), t("col.skills")],
          [[p["badge"], p["name"], t("cli.people.sex_f" if p["sex"] == "F" else "cli.people.sex_m"), person_type(p["person_type"]),
            str(names["teams"].get(p["team"], p["team"] or "")), p["years_of_service"], "" if p["active"] else t("cli.people.inactive"), skills(p)]
           for p in rows])
