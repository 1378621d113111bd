"""Soak benchmark: several terminals writing one station at once, through the use cases.

    python benchmarks/soak_bench.py [--seconds 60] [--writers 4] [--readers 2] [--seed 0]

Builds a demo station with a published roster covering today (the command room's live
board) and a draft roster (for the chief's edits), then runs ``--writers`` processes that take
calls, dispatch, move calls on, acknowledge check-ins, enter leave and edit the draft — all
picking their targets at random from the same small pool, so they collide — and ``--readers``
processes that read the duty board and the dispatch desk in a loop, for ``--seconds``.

Afterwards it checks what is stored against what every process was told:

- writes attempted / acknowledged / present (an acknowledged write must be in the database);
- lost updates: a draft cell whose value is not what the newest audited edit of it says, or
  an acknowledged edit with no audit entry;
- double dispatches: a unit sent to a call while it was still on another (replayed from the
  unit status events, in commit order);
- errors reaching the user: anything but a clean refusal (``Refused``, exit 6) or an input
  error — a raw sqlite error, "database is locked", a DatabaseBusy after the busy timeout;
- write latency: each write use case from call to return, and the write transaction alone
  (BEGIN IMMEDIATE, including the wait for the lock, to COMMIT): median / p95 / max.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing as mp
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def setup(db: Path, seed: int) -> dict:
    from click.testing import CliRunner

    from main import cli
    from usecases.context import AppContext
    from usecases.roster import RosterRef, show, station_today

    def run(*args, login="admin"):
        r = CliRunner().invoke(cli, list(args), obj=AppContext(login=login, db_path=db, db_explicit=True),
                               catch_exceptions=False)
        if r.exit_code != 0:
            raise SystemExit(f"setup failed: dutydesk {' '.join(args)}: {r.output}")
        return r
    run("init", "--demo")
    for login, role in (("chief", "chief"), ("duty1", "duty"), ("duty2", "duty"), ("duty3", "duty"),
                        ("duty4", "duty")):
        run("user", "add", login, "--role", role)
    with AppContext(login="chief", db_path=db, db_explicit=True).open() as s:
        today = station_today(s)
    live = json.loads(run("roster", "generate", "--start", today.isoformat(), "--days", "3", "--time-limit", "6",
                          "--workers", "2", "--seed", str(seed), "--json", login="chief").stdout)
    for step in ("submit", "approve", "publish"):
        run("roster", step, str(live["roster_id"]), login="chief")
    draft = json.loads(run("roster", "generate", "--start", (today + timedelta(days=10)).isoformat(), "--days", "7",
                           "--time-limit", "6", "--workers", "2", "--seed", str(seed), "--json",
                           login="chief").stdout)
    with AppContext(login="chief", db_path=db, db_explicit=True).open() as s:
        cells = show(s, RosterRef(draft["roster_id"]))["assignments"]
    return {"draft": draft["roster_id"], "today": today.isoformat(),
            "cells": [[a["badge"], a["date"], f"{a['shift']}@{a['post']}"] for a in cells]}


def _timed_writes():
    """Time every write transaction of this process (from BEGIN IMMEDIATE, lock wait included,
    to COMMIT)."""
    from db.connection import StationDB
    times: list[float] = []
    original = StationDB.write

    @contextlib.contextmanager
    def write(self):
        if self.conn.in_transaction:
            with original(self) as db:
                yield db
            return
        t0 = time.perf_counter()
        try:
            with original(self) as db:
                yield db
        finally:
            times.append(time.perf_counter() - t0)
    StationDB.write = write
    return times


def writer(i: int, db: str, plan: dict, seconds: float, seed: int, out: str) -> None:
    from errors import DutydeskError, InputError, Refused
    from usecases import approval, dispatch
    from usecases.context import AppContext
    from usecases.imports import add_leave
    from usecases.roster import RosterRef
    tx_times = _timed_writes()
    rng = random.Random(seed * 100 + i)
    chief = AppContext(login="chief", db_path=Path(db), db_explicit=True).open()
    duty = AppContext(login=f"duty{i + 1}", db_path=Path(db), db_explicit=True).open()
    cells = plan["cells"]
    people = sorted({c[0] for c in cells})
    today = date.fromisoformat(plan["today"])
    ops: list[dict] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        kind = rng.choices(["intake", "dispatch", "update", "ack", "leave", "edit"], [25, 20, 20, 10, 5, 20])[0]
        rec: dict = {"kind": kind}
        t0 = time.perf_counter()
        try:
            if kind == "intake":
                inc = dispatch.new_incident(duty, rng.choice(["noise", "dispute", "theft"]),
                                            rng.choice(["幸福小区", "night_market", "bar_street"]), priority=3)
                rec["id"] = inc["id"]
            elif kind == "dispatch":
                waiting = [r for r in dispatch.list_incidents(duty, open_only=True) if r["status"] == "received"]
                if not waiting:
                    continue
                inc = rng.choice(waiting[:3])
                rec["id"] = inc["id"]
                choice = dispatch.recommend(duty, inc["id"])["units"]
                if not choice:
                    continue
                rec["units"] = rng.choice(choice[:2])["units"]
                t0 = time.perf_counter()
                dispatch.dispatch(duty, inc["id"], rec["units"])
            elif kind == "update":
                moving = [r for r in dispatch.list_incidents(duty, open_only=True) if r["status"] != "received"]
                if not moving:
                    continue
                inc = rng.choice(moving[:3])
                flow = dispatch.FLOW
                rec["id"], rec["status"] = inc["id"], flow[min(flow.index(inc["status"]) + 1, 4)]
                t0 = time.perf_counter()
                dispatch.update(duty, inc["id"], rec["status"])
            elif kind == "ack":
                units = [u["code"] for u in dispatch.units(duty) if u["status"] != "off_duty"]
                if not units:
                    continue
                dispatch.ack_checkin(duty, rng.choice(units))
            elif kind == "leave":
                d = today + timedelta(days=rng.randint(30, 300))
                r = add_leave(duty, rng.choice(people), d, d, "annual", note=f"soak {i}")
                rec["ids"] = [r["id"]] if r["id"] else []
            else:
                badge, day, original = rng.choice(cells)
                grid = {(a["badge"], a["date"]): f"{a['shift']}@{a['post']}" for a in
                        _draft_cells(chief, plan["draft"])}
                now_value = grid.get((badge, day))
                target = None if now_value else original
                rec.update(badge=badge, date=day, value=target)
                shift, post = (target.split("@") if target else (None, None))
                t0 = time.perf_counter()
                approval.edit(chief, RosterRef(plan["draft"]), date.fromisoformat(day), badge=badge, shift=shift,
                              post=post, reason=f"soak writer {i}")
            rec["outcome"] = "ok"
        except (Refused, InputError) as exc:
            rec["outcome"], rec["error"] = "refused", type(exc).__name__
            rec["message"] = exc.message[:160]
        except DutydeskError as exc:       # DatabaseBusy and other product errors reach the user
            rec["outcome"], rec["error"], rec["message"] = "error", type(exc).__name__, exc.message[:300]
        except Exception as exc:  # noqa: BLE001 - counted, that is the point
            rec["outcome"], rec["error"], rec["message"] = "error", type(exc).__name__, str(exc)[:300]
        rec["seconds"] = time.perf_counter() - t0
        ops.append(rec)
    Path(out).write_text(json.dumps({"ops": ops, "tx": tx_times}, ensure_ascii=False), encoding="utf-8")


def _draft_cells(session, roster_id: int) -> list[dict]:
    from usecases.roster import RosterRef, show
    return show(session, RosterRef(roster_id))["assignments"]


def reader(i: int, db: str, seconds: float, out: str) -> None:
    from usecases import board
    from usecases.context import AppContext
    s = AppContext(login="duty1", db_path=Path(db), db_explicit=True).open()
    reads, errors, times = 0, [], []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = time.perf_counter()
        try:
            board.board_snapshot(s)
            board.dispatch_snapshot(s)
            reads += 1
        except Exception as exc:  # noqa: BLE001
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
        times.append(time.perf_counter() - t0)
        time.sleep(0.2)        # the app polls data_version; a refresh every 0.2 s is generous
    Path(out).write_text(json.dumps({"reads": reads, "errors": errors, "times": times}), encoding="utf-8")


def check(db: Path, plan: dict, ops: list[dict]) -> dict:
    from db.connection import StationDB
    acked = [o for o in ops if o["outcome"] == "ok"]
    with StationDB(db) as sdb:
        rows = sdb.rows("SELECT a.badge, a.date, a.shift, a.post FROM assignments a JOIN roster_versions v "
                        "ON v.id = a.version_id WHERE v.roster_id = ? AND v.version = "
                        "(SELECT max(version) FROM roster_versions WHERE roster_id = ?)", (plan["draft"], plan["draft"]))
        final = {(r["badge"], r["date"]): f"{r['shift']}@{r['post']}" for r in rows}
        start = date.fromisoformat(sdb.scalar("SELECT start FROM rosters WHERE id = ?", (plan["draft"],)))
        newest: dict[tuple[str, str], str | None] = {}
        edits_audited = 0
        for e in sdb.rows("SELECT after FROM audit_log WHERE action = 'roster.edit' ORDER BY seq"):
            edits_audited += 1
            for k, v in json.loads(e["after"]).items():
                if "@" in k and k.rsplit("@", 1)[1].isdigit():
                    b, d = k.rsplit("@", 1)
                    newest[(b, (start + timedelta(days=int(d))).isoformat())] = v
        lost_cells = [k for k, v in newest.items() if final.get(k) != v]
        incidents = {r["id"] for r in sdb.rows("SELECT id FROM incidents")}
        dispatched = {(r["incident_id"], r["unit"]) for r in sdb.rows("SELECT incident_id, unit FROM incident_units")}
        leave_ids = {r["id"] for r in sdb.rows("SELECT id FROM leave")}
        double = 0
        open_by_unit: dict[str, set] = {}
        for ev in sdb.rows("SELECT unit, status, incident_id FROM unit_status_events ORDER BY id"):
            cur = open_by_unit.setdefault(ev["unit"], set())
            if ev["status"] == "dispatched":
                if cur - {ev["incident_id"]}:
                    double += 1
                cur.add(ev["incident_id"])
            elif ev["status"] == "available":
                cur.discard(ev["incident_id"])
        from db import audit
        chain_ok, entries, _, problem = audit.verify(sdb)
    present = 0
    for o in acked:
        if o["kind"] == "intake":
            present += o["id"] in incidents
        elif o["kind"] == "dispatch":
            present += all((o["id"], u) in dispatched for u in o["units"])
        elif o["kind"] == "leave":
            present += all(x in leave_ids for x in o["ids"]) if o["ids"] else 1
        else:
            present += 1          # edits: checked cell by cell below; updates and acks: in the audit chain
    acked_edits = sum(o["kind"] == "edit" for o in acked)
    return {"attempted": len(ops), "acknowledged": len(acked), "present": present,
            "refused": sum(o["outcome"] == "refused" for o in ops),
            "lost_updates": len(lost_cells) + max(0, acked_edits - edits_audited),
            "acked_edits": acked_edits, "edits_audited": edits_audited, "double_dispatches": double,
            "audit_chain_ok": chain_ok, "audit_entries": entries, "audit_problem": problem}


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


def ms(xs: list[float]) -> str:
    if not xs:
        return "-"
    return (f"median {statistics.median(xs) * 1000:.1f} ms, p95 {pct(xs, 0.95) * 1000:.1f} ms, "
            f"max {max(xs) * 1000:.1f} ms (n={len(xs)})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--readers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dutydesk-soak-"))
    db = work / "station.db"
    t0 = time.monotonic()
    plan = setup(db, args.seed)
    print(f"setup {time.monotonic() - t0:.1f} s: demo station, live roster, draft roster {plan['draft']} "
          f"({len(plan['cells'])} cells); load {os.getloadavg()[0]:.2f}", flush=True)
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=writer, args=(i, str(db), plan, args.seconds, args.seed, str(work / f"w{i}.json")))
             for i in range(args.writers)]
    procs += [ctx.Process(target=reader, args=(i, str(db), args.seconds, str(work / f"r{i}.json")))
              for i in range(args.readers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    load = os.getloadavg()
    ops, tx = [], []
    for i in range(args.writers):
        data = json.loads((work / f"w{i}.json").read_text(encoding="utf-8"))
        ops += data["ops"]
        tx += data["tx"]
    reads = [json.loads((work / f"r{i}.json").read_text()) for i in range(args.readers)]
    result = check(db, plan, ops)
    errors = [o for o in ops if o["outcome"] == "error"] + [{"error": e} for r in reads for e in r["errors"]]
    by_kind = {}
    for o in ops:
        k = by_kind.setdefault(o["kind"], {"ok": 0, "refused": 0, "error": 0, "times": []})
        k[o["outcome"]] += 1
        k["times"].append(o["seconds"])
    print(f"{args.writers} writers, {args.readers} board readers, {args.seconds:.0f} s, "
          f"{platform.python_version()}, load after {load[0]:.2f} {load[1]:.2f}")
    print(f"writes attempted {result['attempted']}, acknowledged {result['acknowledged']}, "
          f"present {result['present']}, refused cleanly {result['refused']}")
    print(f"lost updates {result['lost_updates']} (acknowledged edits {result['acked_edits']}, "
          f"audited {result['edits_audited']}), double dispatches {result['double_dispatches']}, "
          f"errors reaching the user {len(errors)}, audit chain {'whole' if result['audit_chain_ok'] else 'BROKEN'}")
    for e in errors[:5]:
        print("  error:", e.get("error"), e.get("message", ""))
    print("write use cases:", ms([o["seconds"] for o in ops if o["outcome"] != "error"]))
    print("write transactions (lock wait + BEGIN IMMEDIATE .. COMMIT):", ms(tx))
    for kind, k in sorted(by_kind.items()):
        print(f"  {kind:9s} ok {k['ok']:4d} refused {k['refused']:4d} error {k['error']:3d}  {ms(k['times'])}")
    print("board reads:", sum(r["reads"] for r in reads), ms([x for r in reads for x in r["times"]]))
    summary = {"seconds": args.seconds, "writers": args.writers, "readers": args.readers, **result,
               "errors": len(errors), "load": load[:2],
               "write_ms": {"median": statistics.median([o["seconds"] for o in ops]) * 1000,
                            "p95": pct([o["seconds"] for o in ops], 0.95) * 1000,
                            "max": max(o["seconds"] for o in ops) * 1000} if ops else None,
               "tx_ms": {"median": statistics.median(tx) * 1000, "p95": pct(tx, 0.95) * 1000,
                         "max": max(tx) * 1000} if tx else None}
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
