"""The roster lifecycle, roles, manual edits and the tamper-evident audit log."""
from __future__ import annotations

import sqlite3
from datetime import timedelta

import arrow
import pytest

from tests.conftest import load_json

START = arrow.now("Asia/Shanghai").date() + timedelta(days=3)


@pytest.fixture
def station(roster_db):
    """Demo station; 'clerk' is admin, 'zhao' chief, 'li' duty officer, 'wu' viewer; one draft roster."""
    roster, start = roster_db
    assert start == START
    return str(roster["roster_id"])


def removable(cli_run, shown, day):
    """Assignments on `day` whose removal keeps the team rules (one of several on a
    window / community / command post, with another 民警 left)."""
    people = {p["badge"]: p for p in load_json(cli_run("people", "list", "--json"))}
    out = []
    for x in shown["assignments"]:
        if x["date"] != day or x["post"] not in ("COM", "WIN", "CMD"):
            continue
        rest = [y for y in shown["assignments"] if y["date"] == day and y["shift"] == x["shift"]
                and y["post"] == x["post"] and y["badge"] != x["badge"]]
        if any(people[y["badge"]]["person_type"] == "sworn" for y in rest):
            out.append(x)
    # two from different slots, so removing both keeps a 民警 on each
    picked = []
    for x in out:
        if all((x["shift"], x["post"]) != (p["shift"], p["post"]) for p in picked):
            picked.append(x)
    return picked


def status(cli_run, ref):
    return load_json(cli_run("roster", "show", ref, "--json"))["status"]


def test_whole_lifecycle(cli_run, station):
    rid = station
    assert cli_run("roster", "submit", rid, login="li").exit_code == 0
    assert status(cli_run, rid) == "submitted"
    r = cli_run("roster", "approve", rid, "--json", login="zhao")
    assert r.exit_code == 0, r.output
    head = load_json(r)["audit_head"]
    shown = load_json(cli_run("roster", "show", rid, "--json"))
    assert shown["status"] == "approved" and shown["audit_head"] == head
    assert cli_run("roster", "publish", rid, login="zhao").exit_code == 0
    assert status(cli_run, rid) == "published"
    # a published version never changes: an edit makes a new draft version
    day = START.isoformat()
    a, b = removable(cli_run, shown, day)[:2]
    r = cli_run("roster", "edit", rid, "--date", day, "--person", a["badge"], "--off", "--reason", "调班", "--json",
                login="li")
    assert r.exit_code == 0, r.output
    edited = load_json(r)
    assert edited["version"] == 2 and edited["new_version"]
    v1 = load_json(cli_run("roster", "show", f"{rid}v1", "--json"))
    assert v1["status"] == "published" and any(x["badge"] == a["badge"] and x["date"] == day for x in v1["assignments"])
    # the chief sees the diff against the published version when approving the new one
    assert cli_run("roster", "submit", rid, login="li").exit_code == 0
    r = cli_run("roster", "approve", rid, "--json", login="zhao")
    assert r.exit_code == 65 and "signs for" in r.stderr and "empty seat" in r.stderr   # the gap is named
    r = cli_run("roster", "approve", rid, "--reason", "李某调班，周五补齐", "--json", login="zhao")
    assert r.exit_code == 0, r.output
    assert load_json(r)["signing"]["empty_seats"] >= 1 and load_json(r)["reason"] == "李某调班，周五补齐"
    changes = load_json(r)["changes_vs_published"]
    assert any(c["badge"] == a["badge"] and c["after"] is None for c in changes)
    assert cli_run("roster", "publish", rid, login="zhao").exit_code == 0
    assert status(cli_run, f"{rid}v1") == "superseded"
    # reject path: a new draft, submitted, sent back with a comment
    assert cli_run("roster", "edit", rid, "--date", day, "--person", b["badge"], "--off", "--reason", "x",
                   login="li").exit_code == 0
    assert cli_run("roster", "submit", rid, login="li").exit_code == 0
    r = cli_run("roster", "reject", rid, "--comment", "少了一个巡逻组", login="zhao")
    assert r.exit_code == 0 and status(cli_run, rid) == "rejected"
    v = load_json(cli_run("roster", "show", rid, "--json"))
    assert v["comment"] == "少了一个巡逻组"
    actions = [e["action"] for e in load_json(cli_run("audit", "show", "--json"))]
    for act in ("roster.generate", "roster.submit", "roster.approve", "roster.publish", "roster.edit", "roster.reject"):
        assert act in actions
    assert cli_run("audit", "verify").exit_code == 0


@pytest.mark.parametrize("steps, action, message", [
    ([], "approve", "it is draft"),
    ([], "publish", "it is draft"),
    ([], "reject", "it is draft"),
    ([("submit", "li")], "submit", "it is submitted"),
    ([("submit", "li")], "publish", "it is submitted"),
    ([("submit", "li"), ("approve", "zhao")], "approve", "it is approved"),
    ([("submit", "li"), ("approve", "zhao")], "reject", "it is approved"),
    ([("submit", "li"), ("approve", "zhao"), ("publish", "zhao")], "submit", "it is published"),
])
def test_illegal_transitions_are_refused(cli_run, station, steps, action, message):
    for step, who in steps:
        assert cli_run("roster", step, station, login=who).exit_code == 0
    before = status(cli_run, station)
    args = ["roster", action, station] + (["--comment", "no"] if action == "reject" else [])
    r = cli_run(*args, login="zhao")
    assert r.exit_code != 0 and message in r.stderr
    assert status(cli_run, station) == before


@pytest.mark.parametrize("login", ["li", "wu", "clerk", "nobody"])
def test_only_a_chief_approves(cli_run, station, login):
    assert cli_run("roster", "submit", station, login="li").exit_code == 0
    r = cli_run("roster", "approve", station, login=login)
    assert r.exit_code == 77 and ("may not approve rosters" in r.stderr or login == "nobody" and "no role" in r.stderr)
    assert cli_run("roster", "reject", station, "--comment", "x", login=login).exit_code == 77
    assert status(cli_run, station) == "submitted"


def test_reject_needs_a_comment(cli_run, station):
    cli_run("roster", "submit", station, login="li")
    r = cli_run("roster", "reject", station, login="zhao")
    assert r.exit_code == 65 and "--comment" in r.stderr


def test_edit_breaking_a_legal_team_rule_is_refused(cli_run, station):
    shown = load_json(cli_run("roster", "show", station, "--json"))
    day = START.isoformat()
    patrol = [x for x in shown["assignments"] if x["date"] == day and x["post"] == "PAT1" and x["shift"] == "D"]
    people = {p["badge"]: p for p in load_json(cli_run("people", "list", "--json"))}
    sworn = [x for x in patrol if people[x["badge"]]["person_type"] == "sworn"]
    aux = [x for x in patrol if people[x["badge"]]["person_type"] != "sworn"]
    assert patrol
    # put an auxiliary in place of the only 民警, or take one of two off (a patrol of one)
    if len(sworn) == 1 and aux:
        spare = next(p for p in people.values() if p["person_type"] == "duty_aux"
                     and not any(x["badge"] == p["badge"] and x["date"] == day for x in shown["assignments"]))
        r = cli_run("roster", "swap", station, "--date", day, "--a", sworn[0]["badge"], "--b", spare["badge"],
                    login="li")
    else:
        r = cli_run("roster", "edit", station, "--date", day, "--person", patrol[0]["badge"], "--off", login="li")
    assert r.exit_code != 0
    assert "hard rule" in r.stderr and "legal team rules" in r.stderr
    assert "巡察条例" in r.stderr or "警务辅助人员条例" in r.stderr      # the rule's source is quoted
    after = load_json(cli_run("roster", "show", station, "--json"))
    assert after["version"] == shown["version"] and after["assignments"] == shown["assignments"]


def test_soft_rule_needs_a_reason(cli_run, station):
    shown = load_json(cli_run("roster", "show", station, "--json"))
    day = START.isoformat()
    com = next(x for x in shown["assignments"] if x["date"] == day and x["post"] == "CMD")
    # taking someone off the command desk leaves it short (cover, a soft rule) - or breaks a hard rule
    r = cli_run("roster", "edit", station, "--date", day, "--person", com["badge"], "--off", login="li")
    assert r.exit_code != 0
    if r.exit_code == 65:
        assert "--reason" in r.stderr and "cover" in r.stderr
        r = cli_run("roster", "edit", station, "--date", day, "--person", com["badge"], "--off", "--reason",
                    "临时抽调", "--json", login="li")
        assert r.exit_code == 0 and "cover" in load_json(r)["soft_rules_worse"]
        entry = load_json(cli_run("audit", "show", "--json"))[-1]
        assert entry["action"] == "roster.edit" and "临时抽调" in entry["after"]


def _tamper(db, sql_list):
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER audit_log_no_update")
    con.execute("DROP TRIGGER audit_log_no_delete")
    for sql in sql_list:
        con.execute(sql)
    con.commit()
    con.close()


@pytest.mark.parametrize("sql, problem", [
    (["UPDATE audit_log SET login = 'mallory' WHERE seq = 3"], "entry 3 was altered"),
    (["DELETE FROM audit_log WHERE seq = 3"], "entry 3 is missing"),
    (["UPDATE audit_log SET seq = -2 WHERE seq = 2", "UPDATE audit_log SET seq = 2 WHERE seq = 3",
      "UPDATE audit_log SET seq = 3 WHERE seq = -2"], "entry 2 does not follow entry 1"),
])
def test_tampering_is_detected(cli_run, station, db_path, sql, problem):
    cli_run("roster", "submit", station, login="li")
    cli_run("roster", "approve", station, login="zhao")
    assert cli_run("audit", "verify").exit_code == 0
    _tamper(db_path, sql)
    r = cli_run("audit", "verify", "--json")
    assert r.exit_code == 1
    assert problem in load_json(r)["problem"]
    assert problem in cli_run("audit", "verify").stderr


def test_audit_log_refuses_sql_changes(station, db_path):
    con = sqlite3.connect(db_path)
    for sql in ("UPDATE audit_log SET login = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(sql)
    con.close()
