"""`dutydesk import ...`: people and leave from CSV or XLSX files (all or nothing, with a preview)."""
from __future__ import annotations

import click

from cli.common import echo_json, json_option, open_session, say, table, warn
from messages import leave_kind, said, t


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


def _show(v) -> str:
    if v is None or v == "":
        return "-"
    if isinstance(v, bool):
        return "是" if v else "否"
    return str(v)


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
    with open_session(ctx) as s:
        r = uc(s, file, dry_run=dry_run)
    print_notes(r["notes"])
    if as_json:
        echo_json(r)
        return
    if r["added"]:
        table(f"Added 新增 ({len(r['added'])})", ["badge", "name", "sex", "type", "team", "skills"],
              [[a["badge"], a["name"], a["sex"], a["person_type"], a["team"] or "", a["skills"]] for a in r["added"]])
    if r["updated"]:
        table(f"Updated 更新 ({len(r['updated'])})", ["badge", "name", "field", "before", "after"],
              [[u["badge"], u["name"], f, _show(c["before"]), _show(c["after"])]
               for u in r["updated"] for f, c in u["changes"].items()])
    verb = "Would add" if dry_run else "Added"
    click.echo(f"{verb} {len(r['added'])}, {'would update' if dry_run else 'updated'} {len(r['updated'])}, "
               f"unchanged {r['unchanged']}; {r['not_in_file']} people in the station are not in the file "
               "and stay as they are.")
    if dry_run:
        click.echo("Dry run: nothing was written.")


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
