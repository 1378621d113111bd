"""Generating over or next to other rosters (issue 23 item 6): a draft that shares days is
refused with the choices spelled out, used as history, or replaced; the seam with the rosters
after the period is a hard rule of the solve and is checked again when the roster is stored."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from db import rosters as rdb
from db.connection import StationDB
from scheduler.engine import SolveOptions
from scheduler.station.build import build, solve_station
from scheduler.station.seam import seam_from_following
from scheduler.validate import hard, validate
from tests.conftest import load_json
from tests.station_helpers import small_station
from usecases.context import AppContext

pytestmark = pytest.mark.slow


def rosters(path) -> list[tuple]:
    with StationDB(path) as sdb:
        return [tuple(r.values()) for r in sdb.rows("SELECT r.id, v.version, v.status FROM rosters r "
                                                      "JOIN roster_versions v ON v.roster_id = r.id ORDER BY r.id, v.version")]


def gen(cli_run, start: date, days: int, *extra):
    return cli_run("roster", "generate", "--start", start.isoformat(), "--days", str(days), "--time-limit", "3",
                   "--workers", "2", "--json", *extra, login="zhao")


# -- the seam in the solver -------------------------------------------------------------------

def test_the_solver_keeps_the_seam_with_the_next_roster():
    sp = small_station(days=5)
    H = sp.days
    # the next roster has everyone on a day shift the morning after this period, and S0 works
    # its first 6 days: no night or 24 h duty on the last day, S0 off on the last day
    sp.following = {p.badge: ["D@PAT"] + (["D@PAT"] * 5 if p.badge == "S0" else []) for p in sp.people}
    sp.seam = seam_from_following(sp)
    assert sp.seam["S1"][H - 1][0] >= {"N", "Z"}
    result = solve_station(sp, SolveOptions(time_limit=5, num_workers=2, seed=0))
    grid = result.solution.assignment
    assert not hard(result.solution.violations)
    for p in sp.people:
        code = grid.get((p.badge, H - 1))
        assert code is None or code.split("@")[0] == "D", (p.badge, code)
    assert grid.get(("S0", H - 1)) is None
    # the validators find a roster that breaks the seam
    problem, rules = build(sp)
    bad = dict(grid)
    bad[("S2", H - 1)] = "N@PAT"
    found = {v.rule for v in hard(validate(problem, bad, rules)) if v.employee == "S2"}
    assert "skills" in found                       # the seam's forbidden shift (Eligibility)
    seam_why = next(v for v in hard(validate(problem, {**grid, ("S2", H - 1): "N@PAT"}, rules))
                    if v.employee == "S2" and v.rule == "skills")
    assert seam_why.msg.render("zh") != seam_why.msg.render("en")          # the why in the reader's language
    bad = {k: "D@PAT" if k[0] == "S0" else v for k, v in grid.items()}
    [seam] = [v for v in validate(problem, bad, rules) if v.rule == "seam" and v.employee == "S0"]
    zh, en = seam.msg.render("zh"), seam.msg.render("en")
    assert zh != en and "PS0" in zh and "PS0" in en and not any("a" <= c <= "z" for c in zh.replace("PS0", "")
                                                                  .split("[")[0]), (zh, en)


# -- over a draft ------------------------------------------------------------------------------

def test_generating_over_a_draft_is_refused_with_the_choices(cli_run, roster_db, db_path):
    roster, start = roster_db
    before = rosters(db_path)
    r = gen(cli_run, start + timedelta(days=4), 7)
    assert r.exit_code == 6
    err = r.stderr if r.stderr else r.output
    for expected in ("--over-draft use-as-history", "--over-draft replace", (start + timedelta(days=7)).isoformat(),
                     f"{roster['roster_id']} v1"):
        assert expected in err, (expected, err)
    assert rosters(db_path) == before                           # nothing written
    bad = cli_run("roster", "generate", "--start", start.isoformat(), "--over-draft", "maybe", login="zhao")
    assert bad.exit_code == 2


def test_over_a_draft_use_as_history_then_both_fit_once_the_draft_is_published(cli_run, roster_db, db_path):
    roster, start = roster_db
    rid = roster["roster_id"]
    r = gen(cli_run, start + timedelta(days=4), 7, "--over-draft", "use-as-history")
    assert r.exit_code == 0, r.output
    new = load_json(r)
    assert any(f"{rid} v1" in w for w in new["warnings"])
    assert rosters(db_path)[0] == (rid, 1, "draft")             # the draft stays
    for action in ("submit", "approve", "publish"):
        out = cli_run("roster", action, str(rid), "--reason", "test", login="zhao")
        assert out.exit_code == 0, out.output
    # the new roster was built on the draft's days before it: it can be submitted (the seam holds)
    out = cli_run("roster", "submit", str(new["roster_id"]), "--json", login="zhao")
    assert out.exit_code == 0, out.output


def test_over_a_draft_replace_supersedes_it_and_audits(cli_run, roster_db, db_path):
    roster, start = roster_db
    rid = roster["roster_id"]
    r = gen(cli_run, start + timedelta(days=2), 7, "--over-draft", "replace")
    assert r.exit_code == 0, r.output
    new = load_json(r)
    states = rosters(db_path)
    assert (rid, 1, "superseded") in states and (new["roster_id"], 1, "draft") in states
    with StationDB(db_path) as sdb:
        entry = sdb.one("SELECT entity_id, after FROM audit_log WHERE action = 'roster.supersede'")
    assert entry["entity_id"] == f"{rid}v1" and json.loads(entry["after"])["by"] == f"{new['roster_id']}v1"


# -- the seam is checked again when storing ----------------------------------------------------

def test_a_roster_published_next_to_the_period_during_the_solve_is_checked_at_store(roster_db, db_path):
    """The solve saw no roster after its period; one is published meanwhile that has everyone
    on a day shift the morning after: storing the new roster is refused, nothing written."""
    from usecases import roster as roster_uc
    roster, start = roster_db
    ctx = AppContext(login="zhao", db_path=db_path, db_explicit=True)
    new_start, days = start + timedelta(days=7), 5
    with ctx.open() as s:
        prepared = roster_uc.prepare_generate(s, new_start, days, time_limit=3, workers=2)
    assert prepared["rows"]
    after = new_start + timedelta(days=days)
    with StationDB(db_path) as sdb:
        shifts = {r["code"]: r for r in sdb.rows("SELECT code, kind, start FROM shift_types")}
        day_shift = next(c for c, r in shifts.items() if r["kind"] == "day")
        last = (new_start + timedelta(days=days - 1)).isoformat()
        nights = [r for r in prepared["rows"] if r["date"] == last and shifts[r["shift"]]["kind"] in ("night", "24h")]
        assert nights, "the last day has someone on a night or 24 h duty"
        post = sdb.scalar("SELECT post FROM demand WHERE shift = ? AND count > 0 LIMIT 1", (day_shift,))
        with sdb.write():
            nid = rdb.create_roster(sdb, start=after, days=3, login="zhao")
            rdb.add_version(sdb, nid, status="published", login="zhao",
                            assignments=[{"date": after.isoformat(), "badge": r["badge"], "shift": day_shift,
                                          "post": post} for r in nights])
    before = rosters(db_path)
    with ctx.open() as s, s.sdb.write():
        with pytest.raises(Exception) as err:
            roster_uc.store_generated(s, prepared)
    assert type(err.value).__name__ == "Refused"
    assert "seam" in str(err.value) or "衔接" in str(err.value)
    assert rosters(db_path) == before


# -- the terminal app ------------------------------------------------------------------------------

def test_the_tui_generate_form_shows_the_refusal_and_takes_the_choice(tmp_path):
    import asyncio

    from textual.widgets import Input

    from tests.test_tui_support import build_station, make_app, notifications, settle, text_of, wait_for
    path = tmp_path / "s.db"
    rid = build_station(path, status="draft", troubles=None)          # a draft from 2026-11-30 for 14 days

    async def run():
        app = make_app(path)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.press("f3")
            await settle(pilot)
            await pilot.press("n")
            await pilot.pause()
            form = app.screen
            form.query_one("#f-start", Input).value = "2026-12-10"
            form.query_one("#f-days", Input).value = "7"
            form.query_one("#f-limit", Input).value = "2"
            await pilot.press("enter")
            def refused() -> str:
                if type(app.screen).__name__ != "FormScreen":
                    return ""
                return text_of(app.screen.query_one("#form-error"))
            await wait_for(pilot, lambda: "over-draft" in refused(), timeout=15)
            shown = refused()
            app.screen.query_one("#f-over", Input).value = "作为历史"
            await pilot.press("enter")
            # the warning (the draft is kept as history) comes with the new roster; read it while shown
            await wait_for(pilot, lambda: any(f"{rid} v1" in n for n in notifications(app)), timeout=60)
            notes = notifications(app)
            await wait_for(pilot, lambda: type(app.screen).__name__ == "RosterScreen"
                           and (app.screen.view or {}).get("roster_id") == rid + 1, timeout=30)
            return shown, notes, app.screen.view["roster_id"]
    shown, notes, opened = asyncio.run(run())
    flat = shown.replace("\n", "")
    assert "use-as-history" in flat and "replace" in flat and "2026-12-14" in flat and "2026-11-30" in flat
    assert opened == rid + 1
    assert any(f"{rid} v1" in n for n in notes)                    # the warning: the draft is kept as history
    assert rosters(path) == [(rid, 1, "draft"), (rid + 1, 1, "draft")]


def test_a_new_roster_inside_a_draft_fits_the_draft_after_it(cli_run, roster_db, db_path):
    """use-as-history with the new roster inside the draft: the draft's days before it are its
    history and the draft's days after it are its seam; once the draft is published the new
    roster can be submitted."""
    roster, start = roster_db
    rid = roster["roster_id"]
    r = gen(cli_run, start + timedelta(days=2), 3, "--over-draft", "use-as-history")
    assert r.exit_code == 0, r.output
    new = load_json(r)
    for action in ("submit", "approve", "publish"):
        assert cli_run("roster", action, str(rid), "--reason", "test", login="zhao").exit_code == 0
    out = cli_run("roster", "submit", str(new["roster_id"]), login="zhao")
    assert out.exit_code == 0, out.output
    from usecases import roster as roster_uc
    with AppContext(login="zhao", db_path=db_path, db_explicit=True).open() as s:
        sp, _ = roster_uc.load_problem(s, start + timedelta(days=2), 3, exclude_roster=new["roster_id"])
        assert sp.following and any(any(c) for c in sp.following.values())      # the draft's days after it
        older, _ = roster_uc.load_problem(s, start, 7, exclude_roster=rid)
        assert not older.following          # the newer roster inside it is no seam at its end
