"""Roster commands through click's runner on the demo station (short limits)."""
from __future__ import annotations

from datetime import date, timedelta

import arrow
import pytest

from db.connection import StationDB
from db.rosters import set_status
from tests.conftest import load_json

TODAY = arrow.now("Asia/Shanghai").date()
START = TODAY + timedelta(days=3)


@pytest.fixture
def roster1(cli_run, demo_db):
    r = cli_run("roster", "generate", "--start", START.isoformat(), "--days", "7", "--time-limit", "4",
                "--workers", "2", "--json")
    assert r.exit_code == 0, r.output
    return load_json(r)


def test_generate_json_shape(roster1, demo_db):
    r = roster1
    assert {"roster_id", "version", "status", "hard_violations", "shortfalls", "fairness", "solver"} <= set(r)
    assert r["status"] == "draft" and r["version"] == 1
    assert set(r["solver"]) >= {"status", "objective", "bound", "gap", "wall_s", "seed"}
    assert r["hard_violations"] == []
    assert "people" in r["fairness"] and "team_average" in r["fairness"]
    with StationDB(demo_db) as sdb:
        assert sdb.scalar("SELECT count(*) FROM assignments") > 0
        assert sdb.scalar("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1") == "roster.generate"


def test_show_list_diff_candidates(cli_run, roster1):
    rid = str(roster1["roster_id"])
    shown = load_json(cli_run("roster", "show", rid, "--json"))
    a = shown["assignments"][0]
    assert set(a) == {"badge", "name", "date", "shift", "post"}
    assert all(START.isoformat() <= x["date"] < (START + timedelta(days=7)).isoformat() for x in shown["assignments"])
    assert shown["solver"]["seed"] == 0
    grid = cli_run("roster", "show", rid).output
    assert a["name"] in grid and f"{a['shift']}/{a['post']}" in grid
    rows = load_json(cli_run("roster", "list", "--json"))
    assert rows[0]["id"] == roster1["roster_id"] and rows[0]["status"] == "draft"
    assert load_json(cli_run("roster", "diff", rid, rid, "--json"))["changes"] == []
    c = load_json(cli_run("roster", "candidates", rid, "--date", a["date"], "--shift", a["shift"], "--post",
                          a["post"], "--json"))
    assert a["badge"] in c["on_slot"]
    assert all(u["why"] for u in c["unavailable"])
    report = load_json(cli_run("roster", "show", rid, "--report", "--json"))
    assert report["hard_violations"] == []


def test_repair_makes_a_new_version_with_few_changes(cli_run, roster1):
    rid = str(roster1["roster_id"])
    shown = load_json(cli_run("roster", "show", rid, "--json"))
    day = (START + timedelta(days=2)).isoformat()
    victim = next(a for a in shown["assignments"] if a["date"] == day)
    r = cli_run("roster", "repair", rid, "--person", victim["badge"], "--from", day, "--to", day,
                "--reason", "病假", "--time-limit", "4", "--json")
    assert r.exit_code == 0, r.output
    rep = load_json(r)
    assert rep["version"] == 2 and rep["parent_version"] == 1
    assert any(c["badge"] == victim["badge"] and c["after"] is None for c in rep["changes"])
    assert len(rep["changes"]) <= 6
    assert rep["hard_violations"] == []
    new = load_json(cli_run("roster", "show", f"{rid}v2", "--json"))
    assert not [a for a in new["assignments"] if a["badge"] == victim["badge"] and a["date"] == day]
    diff = load_json(cli_run("roster", "diff", f"{rid}v1", f"{rid}v2", "--json"))
    assert len(diff["changes"]) == len(rep["changes"])


def test_bad_input_is_refused_and_writes_nothing(cli_run, roster1, demo_db):
    def count():
        with StationDB(demo_db) as sdb:
            return sdb.scalar("SELECT count(*) FROM roster_versions"), sdb.scalar("SELECT count(*) FROM leave")
    before = count()
    past = cli_run("roster", "generate", "--start", (TODAY - timedelta(days=3)).isoformat(), "--days", "7")
    assert past.exit_code == 65 and "in the past" in past.stderr
    badge = cli_run("roster", "repair", str(roster1["roster_id"]), "--person", "999999", "--from",
                    START.isoformat(), "--to", START.isoformat(), "--reason", "x")
    assert badge.exit_code == 65 and "no person with badge '999999'" in badge.stderr
    missing = cli_run("roster", "show", "99")
    assert missing.exit_code != 0 and "no roster 99" in missing.stderr
    baddate = cli_run("roster", "generate", "--start", "2030-02-30")
    assert baddate.exit_code == 2 and "not a real calendar date" in baddate.stderr
    # a period that overlaps a published roster
    with StationDB(demo_db) as sdb:
        with sdb.write():
            set_status(sdb, sdb.scalar("SELECT id FROM roster_versions"), "published")
    overlap = cli_run("roster", "generate", "--start", (START + timedelta(days=2)).isoformat(), "--days", "7")
    assert overlap.exit_code == 65 and "overlaps roster" in overlap.stderr
    assert count() == before


def test_generate_needs_the_chief_role(cli_run, demo_db):
    r = cli_run("roster", "generate", "--start", START.isoformat(), "--days", "3", login="someone")
    assert r.exit_code == 77 and "may not generate rosters" in r.stderr


def test_continuity_uses_the_approved_tail(cli_run, roster1, demo_db):
    """Roster 2 starts the day after roster 1 ends; roster 1 is approved, so its tail is history."""
    with StationDB(demo_db) as sdb:
        with sdb.write():
            set_status(sdb, sdb.scalar("SELECT id FROM roster_versions"), "approved")
    start2 = START + timedelta(days=7)
    r = cli_run("roster", "generate", "--start", start2.isoformat(), "--days", "5", "--time-limit", "4",
                "--workers", "2", "--json")
    assert r.exit_code == 0, r.output
    first = load_json(cli_run("roster", "show", str(roster1["roster_id"]), "--json"))["assignments"]
    second = load_json(r)
    rows = load_json(cli_run("roster", "show", str(second["roster_id"]), "--json"))["assignments"]
    last_day = (start2 - timedelta(days=1)).isoformat()
    on_24h = {a["badge"] for a in first if a["date"] == last_day and a["shift"] == "Z"}
    assert on_24h
    assert not [a for a in rows if a["date"] == start2.isoformat() and a["badge"] in on_24h]
    nights_before = {a["badge"] for a in first if a["date"] == last_day and a["shift"] == "N"}
    assert not [a for a in rows if a["date"] == start2.isoformat() and a["badge"] in nights_before
                and a["shift"] in ("D", "W", "T", "Z")]
