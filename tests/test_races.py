"""Races between real processes writing one station at once (issue 19).

Each test starts N Python processes that load everything first, wait at a start line (a file
that appears once all are ready), then run one use case each. The checks are on what is stored
afterwards, never on timing: every acknowledged edit is present and audited, one unit is sent
to one call, one transition of an incident wins.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta
from pathlib import Path

import arrow
import pytest

from db.connection import StationDB
from tests.conftest import REPO
from usecases import dispatch as uc
from usecases.context import AppContext

# One racer: import, get ready, wait for the start line, act, report as JSON on stdout.
RACER = textwrap.dedent("""
    import json, os, sys, time
    sys.path.insert(0, {repo!r})
    from datetime import date, datetime
    from pathlib import Path
    from errors import DutydeskError
    from usecases.context import AppContext
    from usecases import approval, dispatch
    from usecases.roster import RosterRef
    job = json.loads(sys.argv[1])
    ctx = AppContext(login=job["login"], db_path=Path(job["db"]), db_explicit=True)
    session = ctx.open()
    open(job["ready"], "w").close()
    while not os.path.exists(job["go"]):
        time.sleep(0.002)
    now = datetime.fromisoformat(job["now"]) if job.get("now") else None
    try:
        if job["kind"] == "edit":
            out = approval.edit(session, RosterRef.parse(job["ref"]), date.fromisoformat(job["date"]),
                                badge=job["badge"], shift=job["shift"], post=job["post"], reason="race test")
        elif job["kind"] == "dispatch":
            out = dispatch.dispatch(session, job["incident"], job["unit"], now=now)
        elif job["kind"] == "update":
            out = dispatch.update(session, job["incident"], job["status"], now=now)
        elif job["kind"] == "transition":
            out = approval.transition(session, RosterRef.parse(job["ref"]), job["action"])
        else:
            raise SystemExit("unknown job")
        print(json.dumps({{"ok": True}}))
    except DutydeskError as exc:
        print(json.dumps({{"ok": False, "error": type(exc).__name__, "exit_code": exc.exit_code,
                          "message": exc.message}}, ensure_ascii=False))
""")


def race(tmp_path: Path, jobs: list[dict], timeout: float = 180) -> list[dict]:
    """Run the jobs at once in separate processes; return their JSON reports in job order."""
    go = tmp_path / "go"
    script = RACER.format(repo=str(REPO))
    procs = []
    for i, job in enumerate(jobs):
        job = job | {"ready": str(tmp_path / f"ready{i}"), "go": str(go)}
        procs.append(subprocess.Popen([sys.executable, "-c", script, json.dumps(job)], stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True))
    deadline = time.monotonic() + timeout
    while not all((tmp_path / f"ready{i}").exists() for i in range(len(jobs))):
        if time.monotonic() > deadline or any(p.poll() not in (None, 0) for p in procs):
            for p in procs:
                p.kill()
            errs = [p.communicate()[1] for p in procs]
            pytest.fail("racers did not get ready:\n" + "\n".join(e[-2000:] for e in errs))
        time.sleep(0.01)
    go.touch()
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=timeout)
        assert p.returncode == 0, stderr[-3000:]
        assert "Traceback" not in stderr and "locked" not in stderr, stderr[-3000:]
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


def _ctx(db: Path, login: str) -> AppContext:
    return AppContext(login=login, db_path=db, db_explicit=True)


# -- roster edits ------------------------------------------------------------------------------

def _edit_jobs(db: Path, roster_id: int, edits: list[dict], login: str = "zhao") -> list[dict]:
    """One racer per edit: take that person off that day."""
    return [{"kind": "edit", "login": login, "db": str(db), "ref": str(roster_id), "date": e["date"],
             "badge": e["badge"], "shift": None, "post": None} for e in edits]


def _newest_cells(sdb, roster_id: int) -> set[tuple[str, str]]:
    """(badge, date) of every assignment in the roster's newest version."""
    return {(r["badge"], r["date"]) for r in sdb.rows(
        "SELECT a.badge, a.date FROM assignments a JOIN roster_versions v ON v.id = a.version_id "
        "WHERE v.roster_id = ? AND v.version = (SELECT max(version) FROM roster_versions WHERE roster_id = ?)",
        (roster_id, roster_id))}


def _independent_edits(db: Path, roster: dict, start, n: int) -> list[dict]:
    """n edits of n different people on n different days, each accepted on its own: taking a
    working person off for the day (with a reason for the soft rules)."""
    from usecases import approval
    from usecases.roster import RosterRef
    rows = roster["assignments"]
    tried_people, tried_days, edits = set(), set(), []
    probe = db.parent / "probe.db"
    for r in rows:
        if r["badge"] in tried_people or r["date"] in tried_days:
            continue
        shutil.copy(db, probe)
        for suffix in ("-wal", "-shm"):
            Path(str(probe) + suffix).unlink(missing_ok=True)
        with _ctx(probe, "zhao").open() as s:
            try:
                approval.edit(s, RosterRef(roster["roster_id"]), datetime.fromisoformat(r["date"]).date(),
                              badge=r["badge"], shift=None, post=None, reason="probe")
            except Exception:
                continue
        tried_people.add(r["badge"])
        tried_days.add(r["date"])
        edits.append({"date": r["date"], "badge": r["badge"]})
        if len(edits) == n:
            return edits
    pytest.skip("the demo draft has too few independent edits")


def test_parallel_edits_of_one_draft_lose_nothing(roster_db, db_path, tmp_path):
    roster, start = roster_db
    with _ctx(db_path, "zhao").open() as s:
        from usecases.roster import RosterRef, show
        full = show(s, RosterRef(roster["roster_id"]))
    edits = _independent_edits(db_path, full, start, 4)
    jobs = _edit_jobs(db_path, roster["roster_id"], edits)
    results = race(tmp_path, jobs)
    acked = [e for e, r in zip(edits, results) if r["ok"]]
    for r in results:   # a loser is refused cleanly or retried, never silently overwritten
        assert r["ok"] or r["exit_code"] in (6, 75), r
    assert acked, results
    with StationDB(db_path) as sdb:
        left = _newest_cells(sdb, roster["roster_id"])
        lost = [e for e in acked if (e["badge"], e["date"]) in left]
        assert not lost, f"acknowledged edits lost: {lost} of {len(acked)}"
        audited = sdb.scalar("SELECT count(*) FROM audit_log WHERE action = 'roster.edit'")
        assert audited == len(acked)
        # every other cell is what the generator wrote
        before = {(a["badge"], a["date"]) for a in full["assignments"]}
        assert left == before - {(e["badge"], e["date"]) for e in acked}


def test_parallel_edits_of_one_published_roster_make_one_draft(roster_db, db_path, tmp_path, cli_run):
    roster, start = roster_db
    for step in ("submit", "approve", "publish"):
        assert cli_run("roster", step, str(roster["roster_id"]), login="zhao").exit_code == 0
    with _ctx(db_path, "zhao").open() as s:
        from usecases.roster import RosterRef, show
        full = show(s, RosterRef(roster["roster_id"]))
    edits = _independent_edits(db_path, full, start, 3)
    jobs = _edit_jobs(db_path, roster["roster_id"], edits)
    results = race(tmp_path, jobs)
    acked = [e for e, r in zip(edits, results) if r["ok"]]
    assert acked
    with StationDB(db_path) as sdb:
        drafts = sdb.rows("SELECT id, version FROM roster_versions WHERE roster_id = ? AND status = 'draft'",
                          (roster["roster_id"],))
        left = _newest_cells(sdb, roster["roster_id"])
    assert len(drafts) == 1, drafts     # all edits land in one new draft, none in a sibling
    assert not [e for e in acked if (e["badge"], e["date"]) in left]


# -- dispatch and incidents --------------------------------------------------------------------

@pytest.fixture
def live_db(cli_run, roster_db, db_path):
    roster, start = roster_db
    for step in ("submit", "approve", "publish"):
        assert cli_run("roster", step, str(roster["roster_id"]), login="zhao").exit_code == 0
    now = arrow.get(datetime(start.year, start.month, start.day, 21, 5), "Asia/Shanghai")
    return db_path, now


def test_one_unit_sent_to_one_call(live_db, tmp_path):
    db, now = live_db
    with _ctx(db, "li").open() as s:
        uc.sync_units(s, now.datetime)
        incs = [uc.new_incident(s, "noise", "幸福小区", priority=2, now=now.datetime)["id"] for _ in range(4)]
        unit = uc.recommend(s, incs[0], now=now.datetime)["units"][0]["units"][0]
    jobs = [{"kind": "dispatch", "login": "li", "db": str(db), "incident": i, "unit": unit,
             "now": now.shift(seconds=30).isoformat()} for i in incs]
    results = race(tmp_path, jobs)
    wins = [i for i, r in zip(incs, results) if r["ok"]]
    assert len(wins) == 1, results
    for r in results:
        if not r["ok"]:
            assert r["exit_code"] == 6, r
            assert f"incident {wins[0]}" in r["message"] or f"警情 {wins[0]}" in r["message"], r
    with StationDB(db) as sdb:
        assert sdb.scalar("SELECT count(*) FROM incident_units WHERE unit = ?", (unit,)) == 1
        assert sdb.scalar("SELECT count(*) FROM incidents WHERE status = 'dispatched'") == 1
        assert sdb.scalar("SELECT count(*) FROM audit_log WHERE action = 'incident.dispatch'") == 1


def test_two_officers_dispatch_one_call(live_db, tmp_path):
    db, now = live_db
    with _ctx(db, "li").open() as s:
        uc.sync_units(s, now.datetime)
        iid = uc.new_incident(s, "noise", "幸福小区", priority=2, now=now.datetime)["id"]
        units = [u["units"][0] for u in uc.recommend(s, iid, now=now.datetime)["units"] if len(u["units"]) == 1]
    assert len(units) >= 2
    jobs = [{"kind": "dispatch", "login": "li", "db": str(db), "incident": iid, "unit": u,
             "now": now.shift(seconds=20).isoformat()} for u in units[:3]]
    results = race(tmp_path, jobs)
    assert sum(r["ok"] for r in results) == 1, results
    assert all(r["exit_code"] == 6 for r in results if not r["ok"])
    with StationDB(db) as sdb:
        assert sdb.scalar("SELECT count(*) FROM incident_units WHERE incident_id = ?", (iid,)) == 1
        busy = sdb.scalar("SELECT count(*) FROM units WHERE status = 'dispatched'")
        assert busy == 1


def test_one_transition_of_an_incident_wins(live_db, tmp_path):
    db, now = live_db
    with _ctx(db, "li").open() as s:
        uc.sync_units(s, now.datetime)
        iid = uc.new_incident(s, "noise", "幸福小区", priority=2, now=now.datetime)["id"]
        unit = uc.recommend(s, iid, now=now.datetime)["units"][0]["units"]
        uc.dispatch(s, iid, unit, now=now.datetime)
    jobs = [{"kind": "update", "login": "li", "db": str(db), "incident": iid, "status": "en_route",
             "now": now.shift(minutes=1).isoformat()} for _ in range(4)]
    results = race(tmp_path, jobs)
    assert sum(r["ok"] for r in results) == 1, results
    assert all(r["exit_code"] == 6 for r in results if not r["ok"])
    with StationDB(db) as sdb:
        assert sdb.scalar("SELECT count(*) FROM audit_log WHERE action = 'incident.update'") == 1
        assert sdb.scalar("SELECT count(*) FROM unit_status_events WHERE status = 'en_route'") == len(unit)


def test_one_approval_wins(roster_db, db_path, tmp_path, cli_run):
    roster, start = roster_db
    assert cli_run("roster", "submit", str(roster["roster_id"]), login="zhao").exit_code == 0
    jobs = [{"kind": "transition", "login": "zhao", "db": str(db_path), "ref": str(roster["roster_id"]),
             "action": "approve"} for _ in range(3)]
    results = race(tmp_path, jobs)
    assert sum(r["ok"] for r in results) == 1, results
    assert all(r["exit_code"] == 6 for r in results if not r["ok"])
    with StationDB(db_path) as sdb:
        assert sdb.scalar("SELECT count(*) FROM audit_log WHERE action = 'roster.approve'") == 1


def test_mixed_writers_with_a_board_reader(live_db, tmp_path):
    """Intake, dispatch, updates and check-in acks from three processes while a fourth reads
    the board: no error reaches anyone, the chain stays whole."""
    db, now = live_db
    script = textwrap.dedent(f"""
        import json, os, sys, time
        sys.path.insert(0, {str(REPO)!r})
        from datetime import datetime
        from pathlib import Path
        from errors import Refused
        from usecases.context import AppContext
        from usecases import board, dispatch
        role, n = sys.argv[1], int(sys.argv[2])
        now = datetime.fromisoformat({now.isoformat()!r})
        s = AppContext(login="li", db_path=Path({str(db)!r}), db_explicit=True).open()
        done = refused = 0
        for j in range(n):
            if role == "reader":
                board.board_snapshot(s, now)
                board.dispatch_snapshot(s, now)
                done += 1
                continue
            inc = dispatch.new_incident(s, "noise", "幸福小区", priority=3, now=now)
            try:
                rec = dispatch.recommend(s, inc["id"], now=now)
                if rec["units"]:
                    dispatch.dispatch(s, inc["id"], rec["units"][0]["units"], now=now)
                    dispatch.update(s, inc["id"], "cleared", now=now)
                dispatch.ack_checkin(s, "STBY", now=now)
                done += 1
            except Refused:
                refused += 1
        print(json.dumps({{"done": done, "refused": refused}}))
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script, role, "6"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
             for role in ("writer", "writer", "writer", "reader")]
    for p in procs:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err[-3000:]
    from db import audit
    with StationDB(db) as sdb:
        ok, n, _, problem = audit.verify(sdb)
        assert ok, problem
        assert sdb.scalar("SELECT count(*) FROM incidents") == 18
        # no unit is on two open calls
        double = sdb.rows("SELECT iu.unit, count(*) AS n FROM incident_units iu JOIN incidents i "
                          "ON i.id = iu.incident_id WHERE i.status IN ('dispatched', 'en_route', 'on_scene') "
                          "GROUP BY iu.unit HAVING n > 1")
        assert not double, double


def test_two_edits_of_one_cell_one_wins_the_other_is_told_who(roster_db, db_path, tmp_path):
    roster, start = roster_db
    with _ctx(db_path, "zhao").open() as s:
        from usecases.roster import RosterRef, show
        full = show(s, RosterRef(roster["roster_id"]))
    cell = _independent_edits(db_path, full, start, 1)[0]
    jobs = [job for login in ("zhao", "li") for job in _edit_jobs(db_path, roster["roster_id"], [cell], login)]
    # the second writer wants the same cell off too: whoever comes second finds it already changed
    results = race(tmp_path, jobs)
    assert sorted(r["ok"] for r in results) == [False, True], results
    loser = next(r for r in results if not r["ok"])
    winner = ("zhao", "li")[[r["ok"] for r in results].index(True)]
    assert loser["exit_code"] == 6 and loser["error"] in ("CellChanged", "Refused"), loser
    assert f"by {winner} at" in loser["message"] or "nothing changes" in loser["message"], loser


def test_an_edit_from_a_stale_screen_is_refused(roster_db, db_path):
    """The TUI passes the cell it shows; if the cell holds something else now, the edit is
    refused with who changed it, and nothing is written."""
    from errors import CellChanged
    from usecases import approval
    from usecases.roster import RosterRef, show
    roster, start = roster_db
    with _ctx(db_path, "zhao").open() as s:
        full = show(s, RosterRef(roster["roster_id"]))
    cell = _independent_edits(db_path, full, start, 1)[0]
    shown = next(f"{a['shift']}@{a['post']}" for a in full["assignments"]
                 if a["badge"] == cell["badge"] and a["date"] == cell["date"])
    day = datetime.fromisoformat(cell["date"]).date()
    with _ctx(db_path, "li").open() as s:
        approval.edit(s, RosterRef(roster["roster_id"]), day, badge=cell["badge"], shift=None, post=None,
                      reason="sick")
    with _ctx(db_path, "zhao").open() as s:
        n = s.sdb.scalar("SELECT count(*) FROM audit_log")
        sh, post = shown.split("@")
        with pytest.raises(CellChanged, match=r"changed by li at \d\d:\d\d:\d\d"):
            approval.edit(s, RosterRef(roster["roster_id"]), day, badge=cell["badge"], shift=sh, post=post,
                          reason="back", expected=shown)
        assert s.sdb.scalar("SELECT count(*) FROM audit_log") == n


def test_two_dispatch_commands_started_together(tmp_path):
    """The issue's own reproduction: two `dutydesk incident dispatch N --unit U` for two calls,
    started together (real commands, real time). One succeeds; the other exits 6 and names the
    call the unit took."""
    from usecases.context import os_login
    from usecases.station import ensure_demo_roster, init_demo
    from usecases.users import add_user
    db = tmp_path / "today.db"
    init_demo(_ctx(db, "clerk"))
    ensure_demo_roster(_ctx(db, "clerk"), time_limit=4, days=1)      # published, covering now
    with _ctx(db, "clerk").open() as s:
        add_user(s, os_login(), roles=["duty"])
        add_user(s, "li", roles=["duty"])
    with _ctx(db, "li").open() as s:
        uc.sync_units(s)
        incs = [uc.new_incident(s, "noise", "幸福小区", priority=2)["id"] for _ in range(2)]
        free = [u["code"] for u in uc.units(s) if u["status"] == "available"]
    if not free:
        pytest.skip("no unit on duty at this time of day in the test roster")
    cmd = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(REPO)!r}); from main import cli; cli()"]
    procs = [subprocess.Popen(cmd + ["--db", str(db), "incident", "dispatch", str(i), "--unit", free[0]],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in incs]
    outs = [p.communicate(timeout=120) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 6], outs
    loser = next(err for (out, err), p in zip(outs, procs) if p.returncode == 6)
    winner = next(i for i, p in zip(incs, procs) if p.returncode == 0)
    assert f"took incident {winner}" in loser and "Traceback" not in loser, loser
