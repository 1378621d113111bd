"""`dutydesk import people` and `dutydesk people export`: round trips, previews, all-or-nothing."""
from __future__ import annotations

import csv
import io
import re
from datetime import date

from openpyxl import Workbook, load_workbook

from db.connection import StationDB
from db.station import load_people
from tests.conftest import load_json


def snapshot(path) -> str:
    with StationDB(path) as sdb:
        return "\n".join(sdb.conn.iterdump())


def audit_actions(path) -> list[str]:
    with StationDB(path) as sdb:
        return [r["action"] for r in sdb.rows("SELECT action FROM audit_log ORDER BY seq")]


def people(path) -> dict:
    with StationDB(path) as sdb:
        return {p.badge: p for p in load_people(sdb)}


def test_export_then_import_changes_nothing(cli_run, demo_db, tmp_path):
    before = snapshot(demo_db)
    for suffix in ("xlsx", "csv"):
        out = tmp_path / f"people.{suffix}"
        r = cli_run("people", "export", "--out", str(out))
        assert r.exit_code == 0, r.output
        r = cli_run("import", "people", str(out), "--json")
        assert r.exit_code == 0, r.output
        got = load_json(r)
        assert got["added"] == [] and got["updated"] == [] and got["unchanged"] == 62 and not got["written"]
    assert snapshot(demo_db) == before      # no write, no audit entry for a no-op import


def test_exported_xlsx_keeps_badges_as_text(cli_run, demo_db, tmp_path):
    out = tmp_path / "people.xlsx"
    cli_run("people", "export", "--format", "xlsx", "--out", str(out))
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]][:4] == ["警号", "姓名", "性别", "人员类别"]
    badges = [ws.cell(row=r, column=1) for r in range(2, ws.max_row + 1)]
    assert all(isinstance(c.value, str) and c.number_format == "@" for c in badges)
    assert {c.value for c in badges} == set(people(demo_db))


def test_edited_xlsx_preview_then_import(cli_run, demo_db, tmp_path):
    out = tmp_path / "people.xlsx"
    cli_run("people", "export", "--out", str(out))
    wb = load_workbook(out)
    ws = wb.active
    first, second = ws.cell(row=2, column=1).value, ws.cell(row=3, column=1).value
    old_name = ws.cell(row=2, column=2).value
    ws.cell(row=2, column=2).value = "  王丽丽\u3000"                       # stray spaces, full-width too
    ws.cell(row=3, column=7).value = "巡逻;驾驶@2027年6月30日;反诈@46477"   # a date and an Excel serial
    ws.cell(row=3, column=8).value = "否"
    ws.append([7, "新人甲", "女", "民警", "社区警务队", 2, "巡逻;社区@2027/1/5", "是", 13800000000, " 新调入 "])
    ws.cell(row=ws.max_row, column=1).number_format = "000000"            # badge typed as a number
    ws.append(["fj0099", "新人乙", "M", "duty_aux", "command", "", "patrol", "", "", ""])
    wb.save(out)
    before = snapshot(demo_db)

    preview = cli_run("import", "people", str(out), "--dry-run", "--json")
    assert preview.exit_code == 0, preview.output
    p = load_json(preview)
    assert snapshot(demo_db) == before
    assert p["dry_run"] and not p["written"]
    assert [a["badge"] for a in p["added"]] == ["000007", "fj0099"]
    assert p["added"][0]["phone"] == "13800000000" and p["added"][0]["note"] == "新调入"
    assert p["added"][0]["skills"] == "patrol;community@2027-01-05"
    assert p["unchanged"] == 60
    changes = {u["badge"]: u["changes"] for u in p["updated"]}
    assert changes[first] == {"name": {"before": old_name, "after": "王丽丽"}}
    assert set(changes[second]) == {"skills", "active"}
    assert changes[second]["active"] == {"before": True, "after": False}
    assert changes[second]["skills"]["after"] == "patrol;driving@2027-06-30;antifraud@2027-03-31"
    text = cli_run("import", "people", str(out), "--dry-run").output
    assert "Dry run: nothing was written." in text and f"{old_name}" in text and "王丽丽" in text

    done = cli_run("import", "people", str(out), "--json")
    assert done.exit_code == 0, done.output
    assert load_json(done)["written"]
    now = people(demo_db)
    assert now[first].name == "王丽丽"
    assert now[second].skills == {"patrol": None, "driving": date(2027, 6, 30), "antifraud": date(2027, 3, 31)}
    assert not now[second].active
    assert now["000007"].team == "community" and now["000007"].phone == "13800000000"
    assert now["fj0099"].person_type == "duty_aux" and now["fj0099"].active
    assert audit_actions(demo_db)[-1] == "people.import"
    with StationDB(demo_db) as sdb:
        after = sdb.one("SELECT after FROM audit_log ORDER BY seq DESC LIMIT 1")["after"]
    assert '"added":["000007","fj0099"]' in after and '"name":["' + old_name + '","王丽丽"]' in after
    again = load_json(cli_run("import", "people", str(out), "--json"))
    assert again["added"] == [] and again["updated"] == [] and again["unchanged"] == 64


def test_columns_left_out_keep_their_values(cli_run, demo_db, tmp_path):
    """A short list (badge, name, sex, type) renames people without wiping skills, team or phone."""
    before = people(demo_db)
    badge, person = next(iter(before.items()))
    f = tmp_path / "short.csv"
    f.write_text(f"badge,name,sex,person_type\n{badge},新名字,{'M' if person.sex == 'M' else 'F'},"
                 f"{person.person_type}\n", encoding="utf-8")
    r = load_json(cli_run("import", "people", str(f), "--json"))
    assert r["updated"] == [{"badge": badge, "name": "新名字",
                             "changes": {"name": {"before": person.name, "after": "新名字"}}}]
    assert r["not_in_file"] == 61
    after = people(demo_db)[badge]
    assert after.skills == person.skills and after.team == person.team and after.active == person.active


def test_bad_rows_exit_65_and_write_nothing(cli_run, demo_db, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["警号", "姓名", "性别", "人员类别", "所属队室", "技能"])
    ws.append(["100001", "甲", "男", "民警", "社区警务队", "巡逻"])          # row 2: fine
    ws.append(["100002", "乙", "X", "民警", "火星队", "巡逻@2026-02-30"])    # row 3: sex, team, expiry
    ws.append(["100001", "丙", "女", "辅警", "", "办案"])                   # row 4: duplicate, sworn-only skill
    f = tmp_path / "bad.xlsx"
    wb.save(f)
    before = snapshot(demo_db)
    r = cli_run("import", "people", str(f), "--json")
    assert r.exit_code == 65
    assert snapshot(demo_db) == before
    places = re.findall(r"row (\d+), column (.+?), field '(\w+)'", r.stderr)
    assert set(places) == {("3", "C (性别)", "sex"), ("3", "E (所属队室)", "team"), ("3", "F (技能)", "skills"),
                           ("4", "A (警号)", "badge"), ("4", "F (技能)", "skills")}
    assert "5 problems found; nothing was written" in r.stderr
    assert "row 3, column F (技能), field 'skills': expiry of 'patrol': '2026-02-30' is not a real calendar date" \
        in r.stderr


def test_unreadable_files_are_bad_input(cli_run, demo_db, tmp_path):
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    r = cli_run("import", "people", str(junk))
    assert r.exit_code == 65 and "junk.xlsx" in r.stderr
    r = cli_run("import", "people", str(tmp_path / "missing.csv"))
    assert r.exit_code == 65 and "no such file" in r.stderr
    unknown = tmp_path / "people.csv"
    unknown.write_text("警号,姓名,性别\n1,a,男\n", encoding="utf-8")
    r = cli_run("import", "people", str(unknown))
    assert r.exit_code == 65 and "required column 'person_type' is missing" in r.stderr


def test_import_needs_admin(cli_run, demo_db, tmp_path):
    out = tmp_path / "people.csv"
    cli_run("people", "export", "--out", str(out))
    cli_run("user", "add", "zhao", "--role", "chief")
    r = cli_run("import", "people", str(out), "--dry-run", login="zhao")
    assert r.exit_code == 77 and "may not import people" in r.stderr
    r = cli_run("import", "people", str(out), "--dry-run", login="stranger")   # no role: not even a look
    assert r.exit_code == 77 and "has no role" in r.stderr and "ask the station's admin" in r.stderr.lower()


def test_people_export_csv_to_stdout_reads_back(cli_run, demo_db):
    r = cli_run("people", "export", "--format", "csv", "--out", "-")
    assert r.exit_code == 0
    rows = list(csv.reader(io.StringIO(r.stdout_bytes.decode("utf-8-sig"))))
    assert rows[0][:2] == ["警号", "姓名"] and len(rows) == 63
    known = people(demo_db)
    assert all(known[row[0]].name == row[1] for row in rows[1:])
