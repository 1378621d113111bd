"""`dutydesk init`, `dutydesk station show`, `dutydesk demo`."""
from __future__ import annotations

import click

from cli import params as P

from cli.common import context, echo_json, json_option, note, open_session, say, table, warn
from messages import MESSAGES, Items, day_kind, lang, person_type, shift_kind, t
from stationdef.model import DAY_KINDS


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
            raise click.UsageError(t("cli.station.demo_alone"))
        summary = uc.init_demo(app, seed=seed)
    else:
        if not station_file or not people_file:
            raise click.UsageError(t("cli.station.both_files"))
        from cli.imports import print_notes
        notes: list = []
        sd, people = uc.load_definition(station_file, people_file, notes)
        print_notes(notes)
        summary = uc.init_station(app, sd, people, source=f"{station_file} + {people_file}")
    if as_json:
        echo_json(summary)
        return
    say("cli.station.created", station=summary["station"], db=summary["db"], people=summary["people"],
        posts=summary["posts"], shifts=summary["shifts"], spots=summary["hot_spots"])
    say("cli.station.calendar", years=str(Items(map(str, summary["calendar_years"]))) or t("cli.station.no_year"),
        admin=summary["admin"])
    print_init_capacity(summary.get("capacity"))
    say("cli.station.next")


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


def _kind(what: str, kind: str) -> str:
    """A team or post kind in words (社区, 巡逻, ...), the code when the catalogue has none."""
    from messages import MESSAGES
    key = f"cli.station.{what}_kind.{kind}"
    return t(key) if key in MESSAGES else kind


def print_summary(data: dict) -> None:
    st = data["station"]
    ppl = data["people"]
    say("cli.station.head", name=st["name"], code=st["code"], name_en=st.get("name_en") or "", zone=st["zone"],
        kind=t(f"cli.station.kind.{st['kind']}") if st["kind"] in ("rural", "urban") else st["kind"])
    by_type = str(Items(t("cli.station.type_n", type=person_type(k), n=n) for k, n in ppl["by_type"].items() if n))
    say("cli.station.people", active=ppl["active"], total=ppl["total"], by_type=by_type, women=ppl["women"])
    yes = t("cli.station.yes")
    table(t("cli.station.teams_title"), [t("cli.col.code"), t("cli.col.name"), t("cli.station.col.kind"), t("cli.station.col.people")],
          [[x["code"], x["name"], _kind("team", x["kind"]), x["people"]] for x in data["teams"]])
    table(t("cli.station.shifts_title"), [t("cli.col.code"), t("cli.col.name"), t("cli.station.col.label"),
                                          t("cli.station.col.start"), t("cli.station.col.end"),
                                          t("cli.station.col.hours"), t("cli.station.col.kind"), t("cli.station.col.crosses")],
          [[s["code"], s["name"], s.get("label") or "", s["start"], s["end"], f"{s['minutes'] / 60:g}",
            shift_kind(s["kind"]), yes if s["crosses_midnight"] else ""] for s in data["shifts"]])
    kinds = list(DAY_KINDS)
    skill = {k["code"]: (k["name"] if lang() == "zh" else k.get("name_en") or k["code"]) for k in data["skills"]}
    sep = t("cli.import.skills_sep")
    rows = []
    for p in data["posts"]:
        dem = "; ".join(f"{sh}: " + "/".join(str(v.get(k, 0)) for k in kinds) for sh, v in p["demand"].items())
        staffing = " | ".join(a.get("name") or " + ".join(
            f"{n['count']} {'/'.join(person_type(x) for x in n['types']) or t('cli.station.any_type')}"
            for n in a["need"]) for a in p.get("staffing", []))
        kind = _kind("post", p["kind"]) + ("" if p.get("enforcement", True) else t("cli.station.service"))
        rows.append([p["code"], p["name"], p.get("label") or "", kind, p["min_sworn"], sep.join(skill.get(k, k) for k in p["required_skills"]),
                     sep.join(skill.get(k, k) for k in p["crew_skills"]), sep.join(person_type(x) for x in p["allowed_types"]),
                     yes if p["needs_woman"] else "", staffing, dem])
    table(t("cli.station.posts_title", kinds="/".join(day_kind(k) for k in kinds)),
          [t("cli.col.code"), t("cli.col.name"), t("cli.station.col.label"), t("cli.station.col.kind"),
           t("cli.station.col.min_sworn"), t("cli.station.col.skills_all"), t("cli.station.col.skills_crew"),
           t("cli.station.col.allowed"), t("cli.station.col.woman"), t("cli.station.col.staffing"),
           t("cli.station.col.demand")], rows)
    table(t("cli.station.skills_title"), [t("cli.col.code"), t("cli.col.name"), t("cli.station.col.holders"),
                                      t("cli.station.col.sworn_only")],
          [[s["code"], s["name"], s["holders"], yes if s["sworn_only"] else ""] for s in data["skills"]])
    print_rules(data["rule_list"])
    table(t("cli.station.spots_title"), [t("cli.col.code"), t("cli.col.name"), t("cli.station.col.risk"), t("cli.station.col.x"), t("cli.station.col.y"),
                                     t("cli.station.col.active")],
          [[h["code"], h["name"], h["risk"], h["x_m"], h["y_m"],
            ", ".join(f"{a}-{b}" for a, b in (h.get("windows") or [(h["active_from"], h["active_to"])]))]
           for h in data["hot_spots"]])
    cap = data["capacity"]
    say("cli.station.capacity", demand=cap["demand_hours_per_week"], available=cap["available_hours_per_week"],
        pct=f"{(cap['utilisation'] or 0) * 100:.0f}")
    if cap["utilisation"] and cap["utilisation"] > 0.95:
        warn(t("cli.station.over_capacity"))


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
    click.echo(t("cli.station.demo_created" if created else "cli.station.demo_using", path=str(app.resolved_db_path)), err=True)
    ctx.find_root().obj = app
    if not no_app:
        from cli.roster import progress_printer
        r = ensure_demo_roster(app, time_limit=time_limit, on_progress=progress_printer(t("cli.station.demo_roster")))
        if r["reused"]:
            click.echo(t("cli.station.demo_reused", id=r["roster_id"], v=r["version"]), err=True)
        elif r.get("skipped"):
            warn(t("cli.station.demo_skipped", why=r["skipped"]))
        else:
            click.echo(t("cli.station.demo_published", id=r["roster_id"], v=r["version"], start=r["start"], days=r["days"],
                         n=r["shortfalls"]), err=True)
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
            click.echo(f"  ✗ {p['message']}")
    elif r["dry_run"]:
        click.echo(say("station.change.dry_run"))
    elif r["applied"]:
        click.echo(say("station.change.applied", n=len(r["changes"]), seq=r["audit_seq"]))
