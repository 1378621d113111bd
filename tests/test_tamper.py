"""Tamper evidence (issue 21): what a local user can do to the station file with sqlite3, and
what `dutydesk audit verify` says about it."""
from __future__ import annotations

import gzip
import json
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from db import audit
from tests.conftest import load_json

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def station(cli_run, roster_db, db_path):
    """The template station with its roster published, an incident, a leave entry and a
    signed handover: every kind of record the log vouches for."""
    roster, start = roster_db
    rid = str(roster["roster_id"])
    for step in ("submit", "approve", "publish"):
        assert cli_run("roster", step, rid, login="zhao").exit_code == 0
    r = cli_run("incident", "new", "--type", "noise", "--place", "幸福小区", "--json", login="li")
    assert r.exit_code == 0, r.output
    badge = roster["assignments"][0]["badge"] if roster.get("assignments") else None
    with sqlite3.connect(db_path) as con:
        badge = badge or con.execute("SELECT badge FROM people LIMIT 1").fetchone()[0]
    day = (start + timedelta(days=60)).isoformat()
    assert cli_run("leave", "add", badge, "--from", day, "--to", day, "--kind", "年假", login="li").exit_code == 0
    assert cli_run("handover", "new", "--to", "zhao", "--notes", "夜里平静", login="li").exit_code == 0
    assert cli_run("handover", "sign", "1", login="zhao").exit_code == 0
    return db_path


def verify(cli_run, *anchors):
    args = ["audit", "verify", "--json"] + [x for a in anchors for x in ("--anchors", str(a))]
    r = cli_run(*args)
    out = load_json(r)
    assert (r.exit_code == 0) == out["ok"], r.output
    return out


def tamper(db: Path, *sql: str, params: tuple = ()) -> None:
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    con.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    for s in sql:
        con.execute(s, params)
    con.commit()
    con.close()


def messages(report) -> str:
    return "\n".join(p["message"] for p in report["problems"])


def test_an_untouched_station_verifies_with_everything_covered(cli_run, station):
    r = verify(cli_run)
    assert r["ok"] and not r["problems"]
    assert r["not_covered"] == []
    assert r["records_checked"] >= 7     # station, people, users, calendar, roster, incident, leave, handover
    text = cli_run("audit", "verify")
    assert text.exit_code == 0 and "records match" in text.output


def test_a_viewer_granting_itself_the_chief_role_is_seen(cli_run, station):
    tamper(station, "INSERT INTO user_roles (login, role) VALUES ('wu', 'chief')")
    r = verify(cli_run)
    assert not r["ok"]
    p = r["problems"][0]
    assert p["record"] == "users" and "user_roles" in p["table"]
    assert "the user and role table differs from what audit entry" in p["message"] and "user.add" in p["message"]
    stderr = cli_run("audit", "verify").stderr
    assert "user and role table" in stderr and "table users, user_roles" in stderr


def test_a_published_roster_edited_in_the_file_is_seen(cli_run, station):
    tamper(station, "UPDATE assignments SET shift = CASE shift WHEN 'N' THEN 'D' ELSE 'N' END "
                    "WHERE rowid = (SELECT min(rowid) FROM assignments)")      # always a real change
    r = verify(cli_run)
    text = messages(r)
    assert "roster version 1v1 differs from what audit entry" in text and "roster.publish" in text
    assert "no longer match the content digest" in text


@pytest.mark.parametrize("sql, expected", [
    ("DELETE FROM incidents WHERE id = 1", "incident 1 is missing; audit entry"),
    ("DELETE FROM leave", "leave entry 1 is missing; audit entry"),
    ("DELETE FROM assignments WHERE rowid = (SELECT max(rowid) FROM assignments)", "roster version 1v1 differs"),
    ("DELETE FROM handover_notes", "handover 1 is missing"),
])
def test_deleted_rows_are_reported_missing(cli_run, station, sql, expected):
    tamper(station, sql)
    r = verify(cli_run)
    assert not r["ok"] and expected in messages(r), messages(r)


def test_cutting_off_the_newest_entries_is_seen_with_and_without_anchors(cli_run, station, tmp_path):
    anchors = tmp_path / "anchors.jsonl"
    assert cli_run("user", "add", "sun", "--role", "duty").exit_code == 0
    assert cli_run("audit", "anchor", "--out", str(anchors)).exit_code == 0
    last = json.loads(anchors.read_text().splitlines()[-1])["anchor"]["seq"]
    tamper(station, "DELETE FROM audit_log WHERE seq = ?", params=(last,))
    # without anchors: the user added by the cut-off entry is still in the table
    r = verify(cli_run)
    assert "user and role table differs from what audit entry" in messages(r)
    # with the anchor kept elsewhere: plainly cut off
    r = verify(cli_run, anchors)
    assert f"the log ends at entry {last - 1}, but entry {last} was anchored" in messages(r)


def _rewrite_chain(db: Path, seq: int, after: str) -> None:
    """What a capable attacker does: edit entry ``seq`` and recompute every hash after it."""
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    cols = ("seq", "at", "login", "person", "action", "entity", "entity_id", "before", "after", "prev_hash", "state")
    rows = [dict(zip(cols + ("hash",), r)) for r in con.execute(f"SELECT {', '.join(cols)}, hash FROM audit_log "
                                                                 "ORDER BY seq")]
    prev = None
    for e in rows:
        if e["seq"] == seq:
            e["after"] = after
        if e["seq"] >= seq:
            if prev is not None:
                e["prev_hash"] = prev
            e["hash"] = audit.entry_hash(e)
            con.execute("UPDATE audit_log SET after = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                        (e["after"], e["prev_hash"], e["hash"], e["seq"]))
        prev = e["hash"]
    con.commit()
    con.close()


def test_a_rewritten_chain_is_seen_only_with_anchors(cli_run, station, tmp_path):
    anchors = tmp_path / "nightly.json"
    anchors.write_text(cli_run("audit", "anchor", "--json").stdout, encoding="utf-8")
    first_roster = next(e for e in audit_rows(station) if e["action"] == "roster.generate")
    _rewrite_chain(station, first_roster["seq"], json.dumps({"note": "forged"}))
    r = verify(cli_run)
    assert r["ok"], "a self-consistent rewrite is invisible without anchors (docs/audit.md says so)"
    r = verify(cli_run, anchors)
    assert not r["ok"] and "is not the entry anchored" in messages(r) and "the chain was rewritten" in messages(r)


def test_an_entry_edited_in_place_is_seen(cli_run, station):
    tamper(station, "UPDATE audit_log SET login = 'mallory' WHERE seq = 3")
    r = verify(cli_run)
    assert messages(r) == "entry 3 was altered"


def test_a_record_added_behind_the_log_is_not_covered(cli_run, station):
    tamper(station, "INSERT INTO leave (badge, start, end, kind, created_at) "
                    "SELECT badge, '2027-03-01', '2027-03-02', 'annual', '2026-12-01T00:00:00Z' FROM people LIMIT 1")
    r = verify(cli_run)
    assert r["ok"] and r["not_covered"] == ["leave:2"]
    assert "not covered: 1 record" in cli_run("audit", "verify").stderr


def audit_rows(db: Path) -> list[dict]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("SELECT * FROM audit_log ORDER BY seq")]
    con.close()
    return rows


def test_anchor_files_in_every_form(cli_run, station, tmp_path):
    j = tmp_path / "a.json"
    j.write_text(cli_run("audit", "anchor", "--json").stdout, encoding="utf-8")
    line = cli_run("audit", "anchor").stdout.strip()
    txt = tmp_path / "handover-sheet.txt"
    txt.write_text(f"交接班记录\n{line}\n签名：\n", encoding="utf-8")
    assert verify(cli_run, j, txt)["anchors_checked"] == 2
    empty = tmp_path / "empty.txt"
    empty.write_text("nothing here\n", encoding="utf-8")
    r = cli_run("audit", "verify", "--anchors", str(empty))
    assert r.exit_code == 65 and "no anchor in it" in r.stderr


def test_approval_and_handover_print_the_anchor_and_the_digest(cli_run, roster_db):
    roster, _ = roster_db
    rid = str(roster["roster_id"])
    assert cli_run("roster", "submit", rid, login="zhao").exit_code == 0
    r = cli_run("roster", "approve", rid, "--json", login="zhao")
    out = load_json(r)
    assert len(out["content_digest"]) == 64 and out["anchor"]["seq"] > 0
    shown = load_json(cli_run("roster", "show", rid, "--json"))
    assert shown["content_digest"] == out["content_digest"]
    text = cli_run("roster", "publish", rid, login="zhao").output
    assert "audit anchor" in text and out["content_digest"][:16] in text
    assert cli_run("handover", "new", "--to", "zhao", "--notes", "x", login="li").exit_code == 0
    signed = cli_run("handover", "sign", "1", login="zhao")
    assert "audit anchor" in signed.output


def test_a_station_upgraded_from_schema_4_verifies_and_reports_old_records_as_not_covered(tmp_path, cli_run):
    """A database written by the previous release (commit a6c8667, schema 4): it upgrades, its
    chain still verifies, old records are "not covered", and new changes are vouched for."""
    db = tmp_path / "old.db"
    with gzip.open(DATA / "schema4-demo.sql.gz", "rt", encoding="utf-8") as f:
        script = f.read()
    con = sqlite3.connect(db)
    con.executescript(script)
    con.execute("PRAGMA user_version = 4")
    con.commit()
    con.close()
    res = cli_run("--db", str(db), "audit", "verify", "--json", login="root")
    out = load_json(res)
    assert res.exit_code == 0 and out["ok"], out
    assert out["records_checked"] == 0 and "roster:1v1" in out["not_covered"] and "incident:1" in out["not_covered"]
    # a change after the upgrade is vouched for from then on
    assert cli_run("--db", str(db), "user", "add", "sun", "--role", "duty", login="root").exit_code == 0
    out = load_json(cli_run("--db", str(db), "audit", "verify", "--json", login="root"))
    assert out["ok"] and out["records_checked"] == 1
    tamper(db, "DELETE FROM user_roles WHERE login = 'sun'")
    assert "user and role table differs" in messages(load_json(cli_run("--db", str(db), "audit", "verify", "--json", login="root")))


def test_exports_carry_the_signed_content_digest(cli_run, station, tmp_path):
    digest = load_json(cli_run("roster", "show", "1", "--json"))["content_digest"]
    assert digest and len(digest) == 64
    for suffix in ("html", "ics", "json"):
        out = tmp_path / f"r.{suffix}"
        r = cli_run("roster", "export", "1", "--out", str(out))
        assert r.exit_code == 0, r.output
        assert digest in out.read_text(encoding="utf-8").replace("\n ", ""), suffix
    import openpyxl
    out = tmp_path / "r.xlsx"
    assert cli_run("roster", "export", "1", "--out", str(out)).exit_code == 0
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert digest in str(ws.cell(row=2, column=1).value) and digest in ws.oddFooter.right.text
