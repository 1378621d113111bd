"""Incidents and dispatch: legal team fit, recommendation with reasons, reserve, timestamps,
check-in timers, statistics, handover."""
from __future__ import annotations

from datetime import datetime

import arrow
import pytest

from errors import Refused
from scheduler.dispatch import Member, Need, UnitState, rank
from tests.conftest import load_json
from usecases import dispatch as uc
from usecases.context import AppContext


def unit(code, people, status="available", x=0.0, y=0.0, **kw):
    return UnitState(code=code, name=code, status=status, x_m=x, y_m=y,
                     members=[Member(f"{code}{i}", f"{code}{i}", sex, ptype, frozenset(skills))
                              for i, (sex, ptype, skills) in enumerate(people)], **kw)


SWORN = ("M", "sworn", ())
AUX = ("M", "duty_aux", ())
WOMAN = ("F", "sworn", ())


def test_rank_prefers_near_and_skilled_and_excludes_unfit():
    units = [unit("A", [SWORN, AUX], x=3000), unit("B", [SWORN, AUX], x=200),
             unit("C", [AUX, AUX]), unit("D", [SWORN, ("M", "sworn", ("antifraud",))], x=2000),
             unit("E", [SWORN, AUX], status="on_scene")]
    r = rank(units, Need(priority=2, min_sworn=1, skills=("antifraud",), x_m=0, y_m=0))
    order = [u["unit"] for u in r.units]
    assert order.index("B") < order.index("A")            # nearer first
    assert "D" in order and any("antifraud" in x for x in r.units[order.index("D")]["reasons"])
    excluded = {e["unit"]: e["why"] for e in r.excluded}
    assert "辅警 without a 民警" in excluded["C"] and "status on scene" in excluded["E"]
    assert excluded["C"].render("zh") == "民警0人，此警情需民警1人（第52条）；辅警无民警带领"
    assert excluded["E"].render("zh") == "状态：到场"
    assert all(u["reasons"] for u in r.units)


def test_two_sworn_calls_pair_units_and_woman_rule():
    units = [unit("A", [SWORN, AUX]), unit("B", [SWORN, AUX]), unit("W", [WOMAN, AUX])]
    r = rank(units, Need(priority=1, min_sworn=2, min_people=3))
    assert r.units and r.units[0]["units"] in (["A", "B"], ["A", "W"], ["B", "W"])
    r = rank(units, Need(priority=1, min_sworn=1, needs_woman=True))
    assert [u["unit"] for u in r.units] == ["W"]


def test_reserve_keeps_the_last_free_unit():
    units = [unit("A", [SWORN, AUX]), unit("B", [SWORN, AUX], status="dispatched")]
    r = rank(units, Need(priority=4))
    assert not r.units and "reserve" in {e["unit"]: e["why"] for e in r.excluded}["A"]
    assert rank(units, Need(priority=1)).units[0]["unit"] == "A"


# -- through the use cases on the demo station, at a fixed time -------------------------------

@pytest.fixture
def live(cli_run, roster_db, db_path):
    roster, start = roster_db
    for step in ("submit", "approve", "publish"):
        assert cli_run("roster", step, str(roster["roster_id"]), login="zhao").exit_code == 0
    now = arrow.get(datetime(start.year, start.month, start.day, 21, 5), "Asia/Shanghai")
    with AppContext(login="li", db_path=db_path, db_explicit=True).open() as s:
        yield s, now


def test_incident_flow_with_timestamps(live):
    s, now = live
    units = uc.sync_units(s, now.datetime)
    codes = {u["code"] for u in units}
    assert {"PAT1", "PAT2"} <= codes
    inc = uc.new_incident(s, "dispute", "night_market", now=now.datetime)
    assert inc["place_text"] == "夜市" and inc["priority"] == 3 and inc["received_at"].endswith("Z")
    rec = uc.recommend(s, inc["id"], now=now.datetime)
    best = rec["units"][0]
    assert best["reasons"] and rec["excluded"] is not None
    uc.dispatch(s, inc["id"], best["units"], now=now.shift(seconds=40).datetime)
    assert {u["code"]: u["status"] for u in uc.units(s, now.datetime)}[best["units"][0]] == "dispatched"
    for i, st in enumerate(["en_route", "on_scene", "cleared", "closed"], start=1):
        uc.update(s, inc["id"], st, now=now.shift(minutes=3 * i).datetime)
    done = uc.get(s, inc["id"])
    assert done["dispatched_at"] == now.shift(seconds=40).to("UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
    assert done["closed_at"] and done["status"] == "closed"
    assert {u["code"]: u["status"] for u in uc.units(s, now.datetime)}[best["units"][0]] == "available"
    with pytest.raises(Refused, match="cannot go back"):
        uc.update(s, inc["id"], "on_scene", now=now.datetime)
    stats = uc.response_stats(s, now.date(), now.shift(days=1).date())
    assert stats["all"]["count"] == 1 and stats["all"]["queue"]["median_s"] == 40
    assert stats["by_type"]["dispute"]["travel"]["median_s"] == 6 * 60 - 40


def test_unfit_unit_is_refused_and_timers(live):
    s, now = live
    uc.sync_units(s, now.datetime)
    inc = uc.new_incident(s, "suspicious", "bar_street", now=now.datetime)     # needs 2 民警
    with pytest.raises(Refused, match=f"dispatch {inc['id']} --unit STBY --reason"):    # says how to override
        uc.dispatch(s, inc["id"], "STBY", now=now.datetime)
    pair = uc.recommend(s, inc["id"], now=now.datetime)["units"][0]["units"]
    uc.dispatch(s, inc["id"], pair, now=now.datetime)
    uc.update(s, inc["id"], "on_scene", now=now.shift(minutes=5).datetime)
    timers = {u["code"]: u["checkin_timer"] for u in uc.units(s, now.shift(minutes=40).datetime)}
    assert timers[pair[0]] == "critical"
    uc.ack_checkin(s, pair[0], now=now.shift(minutes=40).datetime)
    timers = {u["code"]: u["checkin_timer"] for u in uc.units(s, now.shift(minutes=41).datetime)}
    assert timers[pair[0]] == "ok"
    actions = [r["action"] for r in s.sdb.rows("SELECT action FROM audit_log")]
    assert "unit.checkin_ack" in actions and "incident.dispatch" in actions


def test_handover_signed_by_both(live, cli_run):
    s, now = live
    uc.new_incident(s, "noise", "幸福小区", now=now.datetime)
    inc = uc.new_incident(s, "theft", "汽车站", now=now.datetime)
    uc.start_clock(s, inc["id"], "继续盘问", 24, now=now.datetime)
    h = uc.handover_create(s, "zhao", "夜市有醉酒人员", now=now.shift(hours=1).datetime)
    assert len(h["content"]["open_incidents"]) == 2 and h["content"]["legal_clocks"][0]["remaining_s"] == 23 * 3600
    with pytest.raises(Refused, match="only they sign"):
        uc.handover_sign(s, h["id"])
    r = cli_run("handover", "sign", str(h["id"]), login="zhao")
    assert r.exit_code == 0 and "signed in" in r.output


def test_incident_cli(cli_run, live):
    r = cli_run("incident", "new", "--type", "traffic", "--place", "建设路口", "--json", login="li")
    assert r.exit_code == 0, r.output
    iid = load_json(r)["id"]
    rec = cli_run("incident", "recommend", str(iid), "--json", login="li")
    assert rec.exit_code == 0 and set(load_json(rec)) >= {"units", "excluded"}
    assert cli_run("incident", "new", "--type", "alien", "--place", "x").exit_code == 65
    assert cli_run("incident", "new", "--type", "noise", "--place", "x", login="wu").exit_code == 77
    rows = load_json(cli_run("incident", "list", "--open", "--json"))
    assert [x["id"] for x in rows] == [iid]
