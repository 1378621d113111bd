"""Precise repair (issue 23): only the absence's cells and what they force change; nothing of
the absent person overlaps the absence; the leave kind is the one given."""
from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from tests.conftest import load_json


def _grid(cli_run, ref="1"):
    r = load_json(cli_run("roster", "show", ref, "--json"))
    return r, {(a["badge"], a["date"]): f"{a['shift']}@{a['post']}" for a in r["assignments"]}


def test_a_three_day_sickness_changes_only_the_absence_and_its_cover(cli_run, roster_db, db_path):
    roster, start = roster_db
    shown, grid = _grid(cli_run)
    day = start + timedelta(days=2)
    badge = next(a["badge"] for a in shown["assignments"] if a["date"] == day.isoformat() and a["shift"] == "D")
    r = cli_run("roster", "repair", "1", "--person", badge, "--from", day.isoformat(),
                "--to", (day + timedelta(days=2)).isoformat(), "--reason", "病假", "--json", login="zhao")
    assert r.exit_code == 0, r.output
    out = load_json(r)
    window = {(day + timedelta(days=i)).isoformat() for i in range(3)}
    assert out["solver"]["changes_outside"] == 0 and out["solver"]["widened"] is None
    assert all(c["date"] in window for c in out["changes"])
    assert len(out["changes"]) == out["solver"]["changes_minimum"]
    assert {c["why"] for c in out["changes"]} <= {"the absence", "covers the absence"}
    with sqlite3.connect(db_path) as con:
        assert con.execute("SELECT kind FROM leave WHERE badge = ?", (badge,)).fetchone()[0] == "sick"
    _, after = _grid(cli_run)
    assert not any(after.get((badge, d)) for d in window)


def test_a_night_shift_the_evening_before_is_moved_off_too(cli_run, roster_db, db_path):
    """The night shift (20:00-08:00) before the first sick day runs into it: it changes too."""
    roster, start = roster_db
    shown, grid = _grid(cli_run)
    night = next(a for a in shown["assignments"] if a["shift"] == "N" and a["date"] > start.isoformat()
                 and date.fromisoformat(a["date"]) < start + timedelta(days=5))
    first_sick = date.fromisoformat(night["date"]) + timedelta(days=1)
    r = cli_run("roster", "repair", "1", "--person", night["badge"], "--from", first_sick.isoformat(),
                "--to", first_sick.isoformat(), "--reason", "发烧", "--kind", "病假", "--json", login="zhao")
    assert r.exit_code == 0, r.output
    out = load_json(r)
    moved = [c for c in out["changes"] if c["badge"] == night["badge"] and c["date"] == night["date"]]
    assert moved and moved[0]["why"] == "the absence", out["changes"]
    _, after = _grid(cli_run)
    code = after.get((night["badge"], night["date"]))
    assert code is None or not code.startswith(("N@", "Z@"))
    assert out["solver"]["leave_kind"] == "sick"


def test_an_unknown_kind_is_refused(cli_run, roster_db):
    roster, start = roster_db
    shown, _ = _grid(cli_run)
    a = shown["assignments"][0]
    r = cli_run("roster", "repair", "1", "--person", a["badge"], "--from", a["date"], "--to", a["date"],
                "--reason", "x", "--kind", "vacation-ish", login="zhao")
    assert r.exit_code == 65 and "--kind" in r.stderr
