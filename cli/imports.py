"""`dutydesk import ...`: people and leave from CSV or XLSX files (all or nothing, with a preview)."""
from __future__ import annotations

import click

from cli.common import echo_json, json_option, open_session, say, table, warn
from messages import lang, leave_kind, person_type, said, t


def _import_command(name: str):
    """`dutydesk import NAME FILE [--dry-run] [--json]`."""
    def wrap(f):
        f = click.pass_context(f)
        f = json_option(f)
        f = click.option("--dry-run", is_flag=True, help="Only show what would change; write nothing.")(f)
        f = click.argument("file", type=click.Path(dir_okay=False))(f)
        return import_group.command(name)(f)
    return wrap


@click.group("import")
def import_group():
    """Read people or leave from a spreadsheet (CSV or XLSX, Chinese or English headers)."""


def _show(v, f: str = "", names: dict | None = None) -> str:
    if v is None or v == "":
        return "-"
    if isinstance(v, bool):
        return t("cli.import.yes") if v else t("cli.import.no")
    if f == "sex":
        return sex_label(v)
    if f == "person_type":
        return person_type(v)
    if f == "team" and names is not None:
        return str(names["teams"].get(v, v))
    if f == "skills" and names is not None:
        return skills_label(v, names)
    return str(v)


def skills_label(text: str, names: dict) -> str:
    """``patrol;case@2027-06-30`` (the people list's form) with each skill named in the user's
    language: 巡逻、办案（至2027-06-30）."""
    out = []
    for part in (p for p in text.split(";") if p):
        code, _, until = part.partition("@")
        name = str(names["skills"].get(code, code))
        out.append(t("cli.import.skill_until", skill=name, until=until) if until else name)
    return t("cli.import.skills_sep").join(out)


@_import_command("people")
def import_people(ctx, file, dry_run, as_json):
    """Add and update people (by badge) from FILE; shows added, updated (field by field) and unchanged.

    Also `dutydesk people import FILE`. A people list exported from the HR system (花名册) is
    read as it is: a title row above the header is skipped, columns dutydesk does not use are
    ignored (each with a note on stderr), 入警时间 / 参加工作时间 / 入警年份 give years of service.
    Columns the file leaves out keep their recorded values; people not in the file stay as
    they are. Any bad row: every problem is listed by row and column, nothing is written (exit 65).
    """
    from usecases.imports import import_people as uc
    from usecases.station import station_names
    with open_session(ctx) as s:
        r = uc(s, file, dry_run=dry_run)
        names = station_names(s)
    print_notes(r["notes"])
    if as_json:
        echo_json(r)
        return
    if r["added"]:
        table(t("cli.import.people_to_add" if dry_run else "cli.import.people_added", n=len(r["added"])),
              [t("col.badge"), t("col.name"), t("cli.import.col.sex"), t("col.type"), t("col.team"), t("col.skills")],
              [[a["badge"], a["name"], sex_label(a["sex"]), person_type(a["person_type"]),
                _show(a["team"], "team", names), _show(a["skills"], "skills", names)]
               for a in r["added"]])
    if r["updated"]:
        table(t("cli.import.people_to_update" if dry_run else "cli.import.people_updated", n=len(r["updated"])),
              [t("col.badge"), t("col.name"), t("cli.import.col.field"), t("cli.import.col.before"),
               t("cli.import.col.after")],
              [[u["badge"], u["name"], field_name(f), _show(c["before"], f, names), _show(c["after"], f, names)]
               for u in r["updated"] for f, c in u["changes"].items()])
    say("cli.import.people_would" if dry_run else "cli.import.people_done", added=len(r["added"]),
        updated=len(r["updated"]), unchanged=r["unchanged"], not_in_file=r["not_in_file"])
    if dry_run:
        say("cli.import.dry_run")


def field_name(f: str) -> str:
    """A people-list field as its column is headed: 姓名, 人员类别 in Chinese; the field code in English."""
    from stationdef.people_file import HEADERS
    return HEADERS[f][0] if lang() == "zh" and f in HEADERS else f


def sex_label(sex: str | None) -> str:
    return {"M": t("cli.people.sex_m"), "F": t("cli.people.sex_f")}.get(sex or "", sex or "")


@_import_command("leave")
def import_leave(ctx, file, dry_run, as_json):
    """Add leave from FILE (columns 警号, 开始日期, 结束日期, 类型, 备注).

    Leave identical to what is recorded (same person, dates and kind) is skipped and listed.
    Any bad row: every problem is listed by row and column, nothing is written (exit 65).
    """
    from usecases.imports import import_leave as uc
    with open_session(ctx) as s:
        r = uc(s, file, dry_run=dry_run)
    for w in r["warnings"]:
        warn(w)
    if as_json:
        echo_json(r)
        return
    print_leave(t("cli.import.to_add" if dry_run else "cli.import.added", n=len(r["added"])), r["added"])
    if r["skipped"]:
        table(t("cli.import.skipped", n=len(r["skipped"])),
              [t("cli.import.col.row"), t("col.badge"), t("col.name"), t("cli.import.col.from"), t("cli.import.col.to"),
               t("cli.import.col.kind"), t("cli.col.why")],
              [[x.get("row", ""), x["badge"], x["name"], x["start"], x["end"], leave_kind(x["kind"]), said(x, "why")]
               for x in r["skipped"]])
    say("cli.import.leave_would" if dry_run else "cli.import.leave_done", n=len(r["added"]), skipped=len(r["skipped"]))
    if dry_run:
        say("cli.import.dry_run")


def print_notes(notes: list[str]) -> None:
    """How the file was read (a title row skipped, columns ignored, years of service counted), on stderr."""
    from messages import t
    for n in notes:
        click.echo(f"{t('people.note')}: {n}", err=True)


def print_leave(title: str, rows: list[dict]) -> None:
    first = t("cli.import.col.row") if rows and "row" in rows[0] else t("cli.col.id")
    table(title, [first, t("col.badge"), t("col.name"), t("cli.import.col.from"), t("cli.import.col.to"),
                  t("cli.import.col.days"), t("cli.import.col.kind"), t("col.note")],
          [[x.get("row", x.get("id", "")), x["badge"], x["name"], x["start"], x["end"], x["days"],
            leave_kind(x["kind"]), x["note"] or ""] for x in rows])
