"""`dutydesk init`, `dutydesk station show`, `dutydesk demo`."""
from __future__ import annotations

import click

from cli import params as P

from cli.common import context, echo_json, json_option, open_session, table, warn
from messages import MESSAGES
from stationdef.model import DAY_KINDS, PERSON_TYPES


@click.command()
@click.option("--station", "station_file", type=click.Path(dir_okay=False),
              help="Station definition file (TOML); see docs/station-file.md.")
@click.option("--people", "people_file", type=click.Path(dir_okay=False),
              help="People list (CSV or XLSX, Chinese or English headers).")
@click.option("--demo", is_flag=True, help="Create the built-in demo station (城关派出所, ~60 people).")
@click.option("--seed", type=P.SEED, default=0, show_default=True, help="Seed for the demo people.")
@json_option
@click.pass_context
def init(ctx, station_file, people_file, demo, seed, as_json):
    """Create a station database from a station file and a people list (or the demo).

    Everything is validated first: any problem is reported with file, line/row and field,
    the exit code is 65 and nothing is written. Whoever runs init becomes the station's admin.
    """
    from usecases import station as uc
    app = context(ctx)
    if demo:
        if station_file or people_file:
            raise click.UsageError("--demo creates the built-in station; leave out --station and --people")
        summary = uc.init_demo(app, seed=seed)
    else:
        if not station_file or not people_file:
            raise click.UsageError("give both --station FILE and --people FILE (or --demo)")
        from cli.imports import print_notes
        notes: list[str] = []
        sd, people = uc.load_definition(station_file, people_file, notes)
        print_notes(notes)
        summary = uc.init_station(app, sd, people, source=f"{station_file} + {people_file}")
    if as_json:
        echo_json(summary)
        return
    click.echo(f"Created station {summary['station']} in {summary['db']}: {summary['people']} people, "
               f"{summary['posts']} posts, {summary['shifts']} shift types, {summary['hot_spots']} hot spots.")
    click.echo(f"Holiday calendar loaded for {', '.join(map(str, summary['calendar_years'])) or 'no year'} "
               f"(chinese-calendar). You ({summary['admin']}) are the admin.")
    print_init_capacity(summary.get("capacity"))
    click.echo("Next: `dutydesk station show`, `dutydesk people list`, `dutydesk user add LOGIN --role chief`.")


def print_init_capacity(cap: dict | None) -> None:
    """Demand the people cannot cover even in theory, group by group of seats (a warning on stderr)."""
    from messages import lang, t
    if not cap:
        return
    if cap["verdict"] == "enough":
        click.echo(t("station.init_capacity_ok", days=cap["days"]))
        return
    zh = lang() == "zh"
    for c in cap["short_classes"]:
        warn(t("station.init_capacity_short", days=cap["days"], label=c["label_zh"] if zh else c["label"],
               posts=", ".join(c["posts"]), need=c["person_days"], have=c["available_days"], people=c["people"],
               short=c["short_person_days"]))


@click.group()
def station():
    """The station definition: teams, posts, shifts, demand, rules, hot spots."""


@station.command("show")
@json_option
@click.pass_context
def station_show(ctx, as_json):
    """Show the station as loaded: posts with staffing rules, shift types with times, demand, rules."""
    from usecases.station import station_summary
    with open_session(ctx) as s:
        data = station_summary(s, next_period=True)
    if as_json:
        echo_json(data)
        return
    print_summary(data)
    print_next_period(data["capacity"]["next_period"], context(ctx).lang)


def print_next_period(nxt: dict, lang: str) -> None:
    """The capacity verdict for the next roster period (as `roster generate` shows before solving)."""
    from messages import t
    cap = nxt.get("capacity")
    if cap is None:
        warn(t("station.show.capacity_unknown", _lang_override=lang, error=nxt.get("error")))
        return
    basis = t("station.show.next_after_live" if nxt["after_live"] else "station.show.next_today", _lang_override=lang)
    reason = cap["reason_zh"] if lang == "zh" else cap["reason"]
    click.echo(t("station.show.capacity_next", _lang_override=lang, start=nxt["start"], days=nxt["days"], basis=basis,
                 reason=reason))
    click.echo("  " + t("station.show.capacity_seats", _lang_override=lang, seats=cap["demand_seats"],
                        hours=f"{cap['demand_hours']:.0f}", days=cap["available_person_days"]))
    if cap["verdict"] != "enough":
        warn(reason)


def print_summary(data: dict) -> None:
    st = data["station"]
    ppl = data["people"]
    click.echo(f"{st['name']} ({st['code']})  {st.get('name_en') or ''}  zone {st['zone']}  "
               f"{'rural 交所合一' if st['kind'] == 'rural' else 'urban'}")
    by_type = ", ".join(f"{PERSON_TYPES[t][0]} {n}" for t, n in ppl["by_type"].items() if n)
    click.echo(f"People: {ppl['active']} active of {ppl['total']} ({by_type}; women {ppl['women']})")
    table("Teams 两队一室", ["code", "name", "kind", "people"],
          [[t["code"], t["name"], t["kind"], t["people"]] for t in data["teams"]])
    table("Shift types 班次", ["code", "name", "label", "start", "end", "hours", "kind", "crosses midnight"],
          [[s["code"], s["name"], s.get("label") or "", s["start"], s["end"], f"{s['minutes'] / 60:g}", s["kind"],
            "yes" if s["crosses_midnight"] else ""] for s in data["shifts"]])
    kinds = list(DAY_KINDS)
    rows = []
    for p in data["posts"]:
        dem = "; ".join(f"{sh}: " + "/".join(str(v.get(k, 0)) for k in kinds) for sh, v in p["demand"].items())
        staffing = " | ".join(a.get("name") or " + ".join(f"{n['count']} {'/'.join(n['types']) or 'any'}"
                                                          for n in a["need"]) for a in p.get("staffing", []))
        rows.append([p["code"], p["name"], p.get("label") or "", p["kind"] + ("" if p.get("enforcement", True) else " (service)"),
                     p["min_sworn"], ",".join(p["required_skills"]),
                     ",".join(p["crew_skills"]), ",".join(PERSON_TYPES[t][0] for t in p["allowed_types"]),
                     "yes" if p["needs_woman"] else "", staffing, dem])
    table("Posts 岗位 (demand per shift: workday/weekend/holiday/adjusted workday)",
          ["code", "name", "label", "kind", "min 民警", "skills (all)", "skills (crew)", "allowed", "woman", "staffing",
           "demand"], rows)
    table("Skills 技能", ["code", "name", "holders", "民警 only"],
          [[s["code"], s["name"], s["holders"], "yes" if s["sworn_only"] else ""] for s in data["skills"]])
    print_rules(data["rule_list"])
    table("Hot spots 巡逻热点", ["code", "name", "risk", "x_m", "y_m", "active"],
          [[h["code"], h["name"], h["risk"], h["x_m"], h["y_m"],
            ", ".join(f"{a}-{b}" for a, b in (h.get("windows") or [(h["active_from"], h["active_to"])]))]
           for h in data["hot_spots"]])
    cap = data["capacity"]
    click.echo(f"Capacity: {cap['demand_hours_per_week']} h of posts a week against "
               f"{cap['available_hours_per_week']} h available at the weekly hours target "
               f"({(cap['utilisation'] or 0) * 100:.0f}% before leave).")
    if cap["utilisation"] and cap["utilisation"] > 0.95:
        warn("demand is close to or above what the people can work; expect shortfalls.")


def print_rules(rules: list[dict]) -> None:
    """Every rule of the catalogue: hard or soft (with its weight), the values in force, the
    legal or evidence source, and the module that enforces it."""
    from messages import lang, t
    zh = lang() == "zh"
    rows = []
    for r in rules:
        kind = t("rules.hard") if r["hard"] else t("rules.soft")
        if r["weights"]:
            kind += " " + "/".join(f"{w:,}" for w in r["weights"].values())
        value = "; ".join(f"{p['key']}={p['value']:g}" if isinstance(p["value"], (int, float))
                          and not isinstance(p["value"], bool) else f"{p['key']}={p['value']}" for p in r["params"])
        rows.append([r["name_zh"] if zh else r["name"], kind, value or "-", r["source_zh"] if zh else r["source"],
                     r["enforcer"].removeprefix("scheduler.")])
    table(t("rules.title"),
          [t("rules.col.rule"), t("rules.col.kind"), t("rules.col.value"), t("rules.col.source"),
           t("rules.col.enforcer")], rows)


@click.command()
@click.option("--seed", type=P.SEED, default=0, show_default=True, help="Seed for the demo people (first run only).")
@click.option("--time-limit", type=P.TIME_LIMIT, default=12, show_default=True,
              help="Seconds for the solver when the demo needs a new roster.")
@click.option("--no-app", is_flag=True, help="Only create the demo database and print a summary.")
@click.pass_context
def demo(ctx, seed, time_limit, no_app):
    """Open dutydesk on the demo station (creates it in the data directory on first use).

    The demo opens on a live board: unless a published roster covers today, one is generated
    (you get the chief role in the demo database), approved and published first."""
    from cli.app import open_app
    from usecases.station import ensure_demo, ensure_demo_roster
    app, created = ensure_demo(context(ctx), seed=seed)
    click.echo(("Created" if created else "Using") + f" the demo station at {app.resolved_db_path}", err=True)
    ctx.find_root().obj = app
    if not no_app:
        from cli.roster import progress_printer
        r = ensure_demo_roster(app, time_limit=time_limit, on_progress=progress_printer("demo roster"))
        if r["reused"]:
            click.echo(f"Using the published roster {r['roster_id']} v{r['version']} (covers today).", err=True)
        elif r.get("skipped"):
            warn(f"no demo roster: {r['skipped']}")
        else:
            click.echo(f"Published demo roster {r['roster_id']} v{r['version']}: {r['start']} for {r['days']} days, "
                       f"shortfalls {r['shortfalls']}.", err=True)
    open_app(app, summary_only=no_app)


@station.command("export")
@click.option("--out", "out", type=click.Path(dir_okay=False),
              help="Write the station file here (default: print it on stdout).")
@click.pass_context
def station_export(ctx, out):
    """Write the station definition as stored (teams, skills, shifts, posts, demand, rules, hot
    spots) as a station file that `init` and `station apply` read."""
    from messages import t
    from usecases import station_change as uc
    with open_session(ctx) as s:
        if out is None:
            click.echo(uc.export_text(s), nl=False)
            return
        r = uc.export_file(s, out)
    click.echo(t("station.export.written", _lang_override=context(ctx).lang, path=r["path"]), err=True)


@station.command("apply")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would change and what stops it; write nothing.")
@click.option("--remove-held-skills", is_flag=True,
              help="Allow removing skills that people hold: they lose them (listed in the output).")
@json_option
@click.pass_context
def station_apply(ctx, file, dry_run, remove_held_skills, as_json):
    """Change the station to what FILE says (a station file, as `station export` writes it).

    Shows each change (added, changed, removed, with old and new values), checks it against
    the records (rosters, people, incidents), then applies all of it in one transaction and
    records it in the audit log. Refused (exit 6, nothing written) when a record forbids it;
    a file without changes writes nothing. Admin or chief."""
    from errors import Refused
    from messages import t
    from usecases import station_change as uc
    lang = context(ctx).lang
    with open_session(ctx, "station_preview") as s:
        r = uc.apply_station_file(s, file, dry_run=dry_run, remove_held_skills=remove_held_skills)
    if as_json:
        echo_json(r)
    else:
        print_plan(r, lang)
    if r["problems"]:          # only a dry run gets here with problems: apply raised already
        raise Refused(t("station.change.refused", _lang_override=lang, n=len(r["problems"]),
                        lines="\n".join(f"  - {p['message']}" for p in r["problems"])))


def _shown(value, lang: str) -> str:
    from messages import t
    if value is None or value == []:
        return t("station.change.none_value", _lang_override=lang)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def print_plan(r: dict, lang: str) -> None:
    from messages import t

    def say(key, /, **kw):
        return t(key, _lang_override=lang, **kw)
    if not r["changes"]:
        click.echo(say("station.change.none"))
        return
    n = r["counts"]
    click.echo(say("station.change.summary", file=r["file"], added=n["added"], changed=n["changed"],
                   removed=n["removed"]))
    for c in r["changes"]:
        section = say(f"station.section.{c['section']}") if f"station.section.{c['section']}" in MESSAGES \
            else c["section"]
        if c["action"] == "changed":
            fields = "; ".join(say("station.change.field", field=k, old=_shown(o, lang), new=_shown(v, lang))
                               for k, (o, v) in c["fields"].items())
        else:
            fields = "; ".join(say("station.change.value", field=k, value=_shown(o if v is None else v, lang))
                               for k, (o, v) in c["fields"].items())
        mark = {"added": "+", "changed": "~", "removed": "-"}[c["action"]]
        click.echo(f"  {mark} " + say(f"station.change.{c['action']}", section=section, code=c["key"], fields=fields))
    if r["notes"]:
        click.echo(say("station.change.notes"))
        for x in r["notes"]:
            click.echo(f"  ! {x['message']}")
    cap = r.get("capacity")
    if cap:
        pick = "reason_zh" if lang == "zh" else "reason"
        click.echo(say("station.change.capacity", start=cap["start"], days=cap["days"], before=cap["before"][pick],
                       after=cap["after"][pick]))
    if r["problems"]:
        click.echo(say("station.change.problems"))
        for p in r["problems"]:
            click.echo(f"  x {p['message']}")
    elif r["dry_run"]:
        click.echo(say("station.change.dry_run"))
    elif r["applied"]:
        click.echo(say("station.change.applied", n=len(r["changes"]), seq=r["audit_seq"]))
