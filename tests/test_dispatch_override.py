"""Dispatch is always possible (issue 25, item 2): when no unit fits a call, every free crew on
duty is offered with what it lacks, and any of them may be sent with a recorded reason.

On the fixed station (tests.test_tui_support): at 21:47:05 on Thursday PAT1 is free, PAT2 and
STBY are on scene; nobody on a night unit holds the traffic skill. At 10:00 on Friday the
traffic post (TRF, 3 people, not a unit) is on duty.
"""
from __future__ import annotations

import json

import pytest

import messages
from db.connection import StationDB
from errors import InputError, Refused
from messages.override import lack_text
from tests.conftest import load_json
from tests.test_tui_support import FIXED_NOW, at, clean_template, session, station, tui_template
from usecases import dispatch as uc
from usecases.context import AppContext

__all__ = ["clean_template", "station", "tui_template"]      # fixtures


@pytest.fixture(autouse=True)
def english():
    before = messages.lang()
    messages.set_lang("en")
    yield
    messages.set_lang(before)


def kinds(crew: dict) -> list[str]:
    return [x["kind"] for x in crew["lacks"]]


def test_a_call_nobody_fits_lists_every_free_crew_with_what_it_lacks(station):
    with session(station, "li") as s:
        iid = uc.new_incident(s, "traffic", "酒吧街", now=FIXED_NOW)["id"]
        r = uc.recommend(s, iid, now=FIXED_NOW)
    assert r["units"] == []                                  # nobody holds the traffic skill tonight
    others = {o["unit"]: o for o in r["override"]}
    assert set(others) == {"PAT1", "CASE", "CMD"}            # every free crew on duty, units or not
    assert kinds(others["PAT1"]) == ["skill"] and others["PAT1"]["adhoc"] is False
    skill = others["PAT1"]["lacks"][0]
    assert skill["skill"] == "traffic" and skill["legal"] and skill["source"] == "source.type_skill"
    assert lack_text(skill) == "nobody holds the skill Traffic (a skill the call type requires)"
    assert kinds(others["CASE"]) == ["skill", "leaves_post"] and others["CASE"]["adhoc"] is True
    assert lack_text(others["CASE"]["lacks"][1]) == "leaves its post: Case duty unstaffed"
    # distances only when both ends are known: the plan puts PAT1 somewhere, case duty is at the station
    assert others["PAT1"]["travel_min"] is not None and others["CASE"]["travel_min"] is not None
    assert [o["unit"] for o in r["override"]][-1] == "CMD"   # the command desk is offered last
    assert {e["unit"] for e in r["excluded"]} >= {"PAT2", "STBY"}       # busy: not offered


def test_no_position_no_travel_time(station):
    with session(station, "li") as s:
        iid = uc.new_incident(s, "traffic", "某无名路口", now=FIXED_NOW)["id"]
        r = uc.recommend(s, iid, now=FIXED_NOW)
    assert r["override"] and all(o["travel_min"] is None for o in r["override"])


def test_the_traffic_post_crew_is_offered_and_sent_with_a_reason(station):
    when = at("10:00")                                       # Friday morning: the traffic post is on duty
    with session(station, "li") as s:
        iid = uc.new_incident(s, "traffic", "建设路口", now=when)["id"]
        r = uc.recommend(s, iid, now=when)
        trf = next(o for o in r["override"] if o["unit"] == "TRF")
        assert r["override"][0]["unit"] == "TRF" and kinds(trf) == ["leaves_post"]    # it meets the legal needs
        assert trf["people"] == 3 and trf["travel_min"] is None                      # where the post is: unknown
        n_audit = s.sdb.scalar("SELECT count(*) FROM audit_log")
        with pytest.raises(Refused) as refused:
            uc.dispatch(s, iid, "TRF", now=when)
        assert refused.value.exit_code == 6 and f"incident dispatch {iid} --unit TRF --reason" in refused.value.message
        assert uc.get(s, iid)["status"] == "received" and s.sdb.scalar("SELECT count(*) FROM audit_log") == n_audit
        out = uc.dispatch(s, iid, "TRF", now=when, reason="交通事故，交通岗就近处置")
        assert out["status"] == "dispatched" and out["units"] == ["TRF"]
        assert out["override_reason"] == "交通事故，交通岗就近处置" and [x["kind"] for x in out["override_lacks"]] == ["leaves_post"]
        unit = next(u for u in uc.units(s, when) if u["code"] == "TRF")
        assert unit["status"] == "dispatched" and unit["adhoc"] == 1 and len(unit["members"]) == 3
        entry = s.sdb.one("SELECT after FROM audit_log WHERE action = 'incident.dispatch' ORDER BY seq DESC LIMIT 1")
        after = json.loads(entry["after"])
        assert after["override"]["reason"] == "交通事故，交通岗就近处置" and after["override"]["adhoc"] == ["TRF"]
        # cleared: the crew goes back to its post (the ad hoc unit is stood down) and may be sent again
        uc.update(s, iid, "cleared", now=at("10:30"))
        uc.sync_units(s, at("10:31"))
        assert next(u for u in uc.units(s, at("10:31")) if u["code"] == "TRF")["status"] == "off_duty"
        again = uc.new_incident(s, "traffic", "建设路口", now=at("10:40"))["id"]
        assert "TRF" in {o["unit"] for o in uc.recommend(s, again, now=at("10:40"))["override"]}
        uc.dispatch(s, again, "TRF", now=at("10:41"), reason="同一路口二次事故")
        assert uc.get(s, again)["units"] == ["TRF"]


def test_a_unit_that_lacks_the_skill_is_sent_by_override_and_the_warning_stays(station):
    with session(station, "li") as s:
        iid = uc.new_incident(s, "traffic", "酒吧街", now=FIXED_NOW)["id"]
        out = uc.dispatch(s, iid, "PAT1", now=FIXED_NOW, reason="最近的车，交警已通知")
        assert [w["kind"] for w in out["warnings"]] == ["skill"]
        stored = uc.get(s, iid)
        assert stored["override_reason"] == "最近的车，交警已通知"
        assert stored["override_lacks"][0]["skill"] == "traffic" and stored["override_lacks"][0]["source"]
        listed = next(r for r in uc.list_incidents(s, now=FIXED_NOW) if r["id"] == iid)
        assert listed["override_reason"] == stored["override_reason"]


def test_a_blank_reason_is_bad_input_and_changes_nothing(station):
    with session(station, "li") as s:
        iid = uc.new_incident(s, "traffic", "酒吧街", now=FIXED_NOW)["id"]
        with pytest.raises(InputError) as bad:
            uc.dispatch(s, iid, "PAT1", now=FIXED_NOW, reason="   ")
        assert bad.value.exit_code == 65 and bad.value.problems[0].field == "reason"
        with pytest.raises(InputError, match="not on duty"):
            uc.dispatch(s, iid, "PAT3", now=FIXED_NOW, reason="x")
        assert uc.get(s, iid)["status"] == "received"


def test_a_fitting_unit_needs_no_reason_and_a_busy_one_is_refused_even_with_one(station):
    with session(station, "li") as s:
        iid = uc.new_incident(s, "noise", "幸福小区", priority=2, now=FIXED_NOW)["id"]
        with pytest.raises(Refused, match="PAT2 is on scene"):
            uc.dispatch(s, iid, "PAT2", now=FIXED_NOW, reason="override")
        out = uc.dispatch(s, iid, "PAT1", now=FIXED_NOW)
        assert out["override_reason"] is None and out["warnings"] == []


def test_cli_refuses_without_a_reason_then_sends_with_one(tmp_path):
    """Through the command line at the real time: a station whose roster covers today, so the
    command desk (a 24 h post, not a unit) is on duty whenever the test runs."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from click.testing import CliRunner

    from main import cli
    from tests.test_tui_support import build_station
    path = tmp_path / "today.db"
    build_station(path, start=datetime.now(ZoneInfo("Asia/Shanghai")).date() - timedelta(days=1), days=3,
                  troubles=None)

    def run(*args):
        ctx = AppContext(login="li", db_path=path, lang="en", db_explicit=True)
        return CliRunner().invoke(cli, list(args), obj=ctx, catch_exceptions=False)
    iid = load_json(run("incident", "new", "--type", "traffic", "--place", "酒吧街", "--json"))["id"]
    rec = run("incident", "recommend", str(iid), "--json")
    assert rec.exit_code == 0, rec.output
    others = {o["unit"]: o for o in load_json(rec)["override"]}
    assert "CMD" in others and "leaves_post" in kinds(others["CMD"])
    assert "--reason" in run("incident", "recommend", str(iid)).output     # the table of others says how
    refused = run("incident", "dispatch", str(iid), "--unit", "CMD")
    assert refused.exit_code == 6 and f"--unit CMD --reason" in refused.output
    assert run("incident", "dispatch", str(iid), "--unit", "CMD", "--reason", " ").exit_code == 65
    sent = run("incident", "dispatch", str(iid), "--unit", "CMD", "--reason", "全所警力已出，值班员出警")
    assert sent.exit_code == 0, sent.output
    assert "全所警力已出，值班员出警" in sent.output
    with StationDB(path) as sdb:
        assert sdb.scalar("SELECT override_reason FROM incidents WHERE id = ?", (iid,)) == "全所警力已出，值班员出警"
        assert sdb.scalar("SELECT adhoc FROM units WHERE code = 'CMD'") == 1
    again = run("incident", "dispatch", str(iid), "--unit", "CMD", "--reason", "again")
    assert again.exit_code == 6                              # already dispatched: nothing changes


# -- the typed lacks agree with the legal fit the ranking uses --------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from scheduler.dispatch import Member, Need, UnitState, alternatives, lacks, legal_fit, rank  # noqa: E402

members = st.lists(st.builds(Member, badge=st.text("0123456789", min_size=1, max_size=6), name=st.just("x"),
                             sex=st.sampled_from("MF"),
                             person_type=st.sampled_from(("sworn", "duty_aux", "civil_aux", "assistant")),
                             skills=st.frozensets(st.sampled_from(("traffic", "patrol", "mediation", "case")))),
                   max_size=5)
needs = st.builds(Need, priority=st.integers(1, 5), min_sworn=st.integers(0, 3), min_people=st.integers(1, 4),
                  needs_woman=st.booleans(),
                  required_skills=st.lists(st.sampled_from(("traffic", "case")), max_size=2, unique=True).map(tuple))


@settings(max_examples=200, deadline=None)
@given(team=members, need=needs)
def test_lacks_name_exactly_what_the_legal_fit_refuses(team, need):
    unit = UnitState(code="U", name="U", status="available", members=team)
    assert len(lacks(unit, need)) == len(legal_fit(unit, need))
    assert all(x.legal and x.source for x in lacks(unit, need))


@settings(max_examples=100, deadline=None)
@given(teams=st.lists(members, min_size=1, max_size=4), need=needs)
def test_every_free_crew_is_recommended_or_offered_with_what_it_lacks(teams, need):
    units = [UnitState(code=f"U{i}", name=f"U{i}", status="available", members=m) for i, m in enumerate(teams)]
    ranked = rank(units, need)
    singles = {r["unit"] for r in ranked.units if len(r["units"]) == 1}
    offered = alternatives(units, need, skip=singles)
    assert {o["unit"] for o in offered} | singles == {u.code for u in units}
    for o in offered:
        unit = next(u for u in units if u.code == o["unit"])
        assert [x["kind"] for x in o["lacks"]] == [x.kind for x in lacks(unit, need)]
    legal = [sum(x["legal"] for x in o["lacks"]) for o in offered]
    assert legal == sorted(legal)                    # fewest legal lacks first
