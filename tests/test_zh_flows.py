"""The main flows under Chinese and English, as users see them (issue 24 item 8): the command line
(roster generate, show, submit, approve; incident new, recommend, dispatch; errors, with --json
keys) and the terminal app (recommendations, dispatch, refusals, the Ctrl+C notice). Messages
name the flag on the command line and the form field in the app (item 2)."""
from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

import messages
from errors import ARGS, InputError, InputProblem
from messages import Msg
from tests.test_tui_support import (FIXED_NOW, async_test, clean_template, make_app, notifications, session, settle,
                                    station, text_of, tui_template, wait_for)
from usecases import dispatch as dispatch_uc

__all__ = ["clean_template", "station", "tui_template"]     # fixtures


def zh(cli_run, *args, login="clerk"):
    return cli_run("--lang", "zh", *args, login=login)


# -- the command line: rosters -----------------------------------------------------------------------

def test_roster_show_submit_approve_in_chinese_and_english(cli_run, roster_db):
    roster, start = roster_db
    rid = roster["roster_id"]
    en = cli_run("roster", "show", str(rid))
    assert en.exit_code == 0 and f"Roster {rid} v1 (draft), {start.isoformat()} for 7 days" in en.output
    r = zh(cli_run, "roster", "show", str(rid))
    assert r.exit_code == 0
    assert f"排班 {rid} 第1版（草稿），自 {start.isoformat()} 起 7 天" in r.output and "Roster" not in r.output
    assert "| 警号" in r.output and "badge" not in r.output            # the grid: Chinese heads, short labels
    assert re.search(r"\| [值白夜常晚]/(指挥|巡\d|窗口|办案)", r.output) and not re.search(r"\b[ZDNWV]/[A-Z]", r.output)
    assert re.search(r"\b[ZDNWV]/(CMD|PAT\d|WIN|CASE)\b", en.output) and "| Badge" in en.output
    r = zh(cli_run, "roster", "submit", str(rid), login="zhao")
    assert r.exit_code == 0 and f"排班 {rid} 第1版现为“待审批”。" in r.output
    assert "审计锚点" in r.output and "请保存在本机之外" in r.output
    # a duty officer may not approve: the role refusal, in Chinese, with a stable key in --json
    r = zh(cli_run, "roster", "approve", str(rid), "--json", login="li")
    assert r.exit_code == 77
    doc = json.loads(r.stderr.splitlines()[0])
    assert doc["key"] == "auth.may_not" and "用户“li”（角色：值班）无权批准排班；需要所长角色" in doc["message"]
    assert "dutydesk：用户“li”（角色：值班）无权批准排班" in r.stderr
    r = cli_run("roster", "approve", str(rid), login="li")
    assert "user 'li' (roles: duty) may not approve rosters; this needs chief" in r.stderr
    # the chief approves: what is signed for is listed; a reason is asked for on the command line
    r = zh(cli_run, "roster", "approve", str(rid), login="zhao")
    if r.exit_code == 65:
        assert f"命令行参数 --reason：批准排班 {rid} 第1版即签认：" in r.stderr and "加上 --reason TEXT" in r.stderr
        r = zh(cli_run, "roster", "approve", str(rid), "--reason", "人手不足，已报分局", login="zhao")
        assert r.exit_code == 0 and "签认（理由：人手不足，已报分局）：" in r.output
    else:
        assert r.exit_code == 0 and "签认：每个岗位都已排满" in r.output
    assert f"排班 {rid} 第1版现为“已批准”。" in r.output and "内容摘要（所签内容）：" in r.output
    r = zh(cli_run, "roster", "show", "99")
    assert r.exit_code == 2 and "没有排班 99（见 `dutydesk roster list`）" in r.stderr
    r = zh(cli_run, "roster", "list")
    assert "排班表" in r.output and "已批准" in r.output and "时间为站点时间（北京时间，Asia/Shanghai）" in r.output


def test_roster_generate_in_chinese(cli_run, roster_db):
    roster, start = roster_db
    after = start + timedelta(days=7)
    r = zh(cli_run, "roster", "generate", "--start", after.isoformat(), "--days", "2", "--time-limit", "2",
           "--workers", "1", login="zhao")
    assert r.exit_code == 0, r.output
    assert "第1版（草稿）：" in r.output and "秒，种子 0，目标值" in r.output and "质量：" in r.output
    assert "硬规则违反：" in r.output and "人力" in r.stderr
    r = zh(cli_run, "roster", "generate", "--start", (start - timedelta(days=30)).isoformat(), login="zhao")
    assert r.exit_code == 65 and "命令行参数 --start：" in r.stderr and "已经过去" in r.stderr



def test_an_edit_that_breaks_a_generic_rule_names_who_when_and_why_in_both_languages(cli_run, roster_db):
    """The succession rule is a generic module (scheduler/rules/): on a station roster its refusal
    names the person and the date, in the reader's language, with the rule's source."""
    from datetime import date
    roster, start = roster_db
    rid = roster["roster_id"]
    shown = json.loads(cli_run("roster", "show", str(rid), "--json").output)
    night = next(a for a in shown["assignments"] if a["shift"] == "N"
                 and date.fromisoformat(a["date"]) < start + timedelta(days=6))
    morning = (date.fromisoformat(night["date"]) + timedelta(days=1)).isoformat()
    args = ("roster", "edit", str(rid), "--date", morning, "--person", night["badge"], "--shift", "D",
            "--post", night["post"])
    r = zh(cli_run, *args, login="zhao")
    assert r.exit_code == 6
    assert (f"  - 班次间休息：{night['name']} {morning}：D@{night['post']} 不得紧接前一天的 N@{night['post']}"
            " [国务院工时规定；疲劳研究]") in r.stderr
    assert "may not follow" not in r.stderr
    r = cli_run(*args, login="zhao")
    assert r.exit_code == 6
    assert (f"  - rest between shifts: {night['name']} {morning}: D@{night['post']} may not follow "
            f"N@{night['post']} of the day before [State Council working-time rules; fatigue evidence]") in r.stderr

# -- the command line: incidents ---------------------------------------------------------------------

def test_incident_new_recommend_dispatch_in_chinese_and_english(cli_run, roster_db):
    # the roster starts in three days: no unit is on duty now, whatever the hour the test runs
    r = zh(cli_run, "incident", "new", "--type", "纠纷", "--place", "夜市", login="li")
    assert r.exit_code == 0, r.stderr
    assert "警情 1：纠纷 3级，地点 夜市，接警 " in r.output and "（北京时间）。下一步：dutydesk incident recommend 1" in r.output
    r = cli_run("incident", "new", "--type", "Dispute", "--place", "夜市", login="li")
    assert "Incident 2: Dispute P3 at 夜市, received " in r.output and "(Beijing time)" in r.output
    r = zh(cli_run, "incident", "new", "--type", "人员", "--place", "夜市", login="li")
    assert r.exit_code == 65
    assert "命令行参数 --type：“人员”可指多个警情类别，您是指：可疑人员 (suspicious)、人员走失 (missing)？" in r.stderr
    r = cli_run("incident", "new", "--type", "burglary", "--place", "夜市", login="li")
    assert r.exit_code == 65 and "command line, field '--type': unknown incident type 'burglary'; use one of: " \
                                 "fight (Fight), domestic (Domestic violence)" in r.stderr
    r = zh(cli_run, "incident", "recommend", "1", login="li")
    assert r.exit_code == 0 and "警情 1 推荐处警单元（3级 纠纷）" in r.output and "现在没有在岗的处警单元" in r.output
    r = zh(cli_run, "incident", "dispatch", "1", "--unit", "巡逻1", login="li")
    assert r.exit_code == 65 and "命令行参数 --unit：现在没有在岗的处警单元" in r.stderr
    r = zh(cli_run, "incident", "update", "1", "--status", "到场", login="li")
    assert r.exit_code == 6 and "警情 1 还没有处警单元；请先派警" in r.stderr
    r = zh(cli_run, "incident", "list")
    assert "警情（2）" in r.output and "待派" in r.output and "时间为站点时间（北京时间，Asia/Shanghai）" in r.output
    r = cli_run("incident", "list")
    assert "Incidents (2)" in r.output and "received" in r.output and "times are station time" in r.output


def test_dispatch_reasons_and_refusals_in_both_languages(station):
    with session(station, "li") as s:
        inc = dispatch_uc.new_incident(s, "纠纷", "酒吧街", now=FIXED_NOW)
        rec = dispatch_uc.recommend(s, inc["id"], now=FIXED_NOW)
        reasons = [m for u in rec["units"] for m in u["reasons"]]
        assert any(m.render("zh") == "具备调解" for m in reasons) or any("人，民警" in m.render("zh") for m in reasons)
        assert all("mediation" not in m.render("zh") for m in reasons)
        why = {e["unit"]: e["why"] for e in rec["excluded"]}
        assert why["PAT2"].render("zh") == "状态：到场" and why["PAT2"].render("en") == "status on scene"
        with pytest.raises(InputError) as e:
            dispatch_uc.dispatch(s, inc["id"], "巡逻9", now=FIXED_NOW)
        assert "未知的处警单元“巡逻9”；可用：" in e.value.render("zh") and "巡逻1 (PAT1)" in e.value.render("zh")
        sent = dispatch_uc.dispatch(s, inc["id"], "巡逻1", now=FIXED_NOW)   # a unit typed by its name
        assert sent["units"] == ["PAT1"]


def test_a_problem_names_the_flag_on_the_command_line_and_the_field_in_the_app():
    err = InputError(InputProblem(file=ARGS, field="handover_to", message=Msg("dispatch.handover_not_yourself")))
    assert "命令行参数 --to：请交给另一位值班民警" in err.render("zh")
    assert "command line, field '--to': hand over to the other duty officer" in err.render("en")
    try:
        messages.set_front("tui")
        assert "表单“接班人”栏：请交给另一位值班民警" in err.render("zh") and "--to" not in err.render("zh")
        assert "form, field 'to (login)'" in err.render("en")
        soft = Msg("roster.soft_worse", what=Msg("roster.what_swap", a="061001", b="061002", day="2026-12-09"),
                   rules="fairness", lines="  - x")
        assert "须在“原因”栏写明理由" in soft.render("zh") and "--reason" not in soft.render("zh")
        assert "write it in the reason field" in soft.render("en")
    finally:
        messages.set_front("cli")
    assert "加上 --reason TEXT" in soft.render("zh")



# -- the command line: a wrong station file and a wrong people list ----------------------------------

def _broken_station(tmp_path):
    from stationdef.toml_file import parse_station_text
    from pathlib import Path
    import stationdef
    text = (Path(stationdef.__file__).parent / "demo_station.toml").read_text(encoding="utf-8")
    assert "min_sworn = 2" in text
    text = text.replace("min_sworn = 2", "min_sworn = 1", 1)     # the case-duty post: one 民警 is not enough
    text += '\n[[demand]]\npost = "NOPE"\nshift = "D"\ncount = 1\n\n[extras]\nfoo = 1\n'
    f = tmp_path / "站点.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError):
        parse_station_text(text)
    return f


def _people(tmp_path, name="people.csv", body=None):
    f = tmp_path / name
    f.write_text(body or "警号,姓名,性别,人员类别\n1,甲,男,民警\n", encoding="utf-8")
    return f


def test_station_file_errors_in_chinese_and_english(cli_run, tmp_path):
    station_file = _broken_station(tmp_path)
    people = _people(tmp_path)
    r = zh(cli_run, "init", "--station", str(station_file), "--people", str(people))
    assert r.exit_code == 65
    err = r.stderr
    assert "未写入任何内容" in err
    assert "办案值班至少需要2名民警（《公安机关办理行政案件程序规定》第52条第1款）；请把 min_sworn 改为 2 或以上" in err
    assert "字段“demand[" in err and "未定义的岗位“NOPE”" in err
    assert "字段“extras”：未知的键“extras”（请检查拼写）" in err
    assert re.search(r"站点\.toml，第\d+行，字段“posts\[\d+\]\.min_sworn”", err), err
    assert "case duty needs" not in err and "unknown key" not in err
    en = cli_run("init", "--station", str(station_file), "--people", str(people))
    assert en.exit_code == 65
    assert "case duty needs at least 2 民警 (《公安机关办理行政案件程序规定》第52条第1款)" in en.stderr
    assert "unknown post 'NOPE'" in en.stderr and "unknown key 'extras'" in en.stderr
    # --json keeps the stable key beside the Chinese text
    r = zh(cli_run, "init", "--station", str(station_file), "--people", str(people), "--json")
    doc = json.loads(r.stderr.splitlines()[0])
    keys = {p.get("key") for p in doc["problems"]}
    assert {"sfile.case_two_sworn", "sfile.unknown_post", "sfile.unknown_key"} <= keys


def test_people_list_errors_and_preview_in_chinese(cli_run, demo_db, tmp_path):
    bad = _people(tmp_path, "bad.csv", "警号,姓名,性别,人员类别,所属队室,技能\n"
                                       "100001,甲,男,民警,社区警务队,巡逻\n"
                                       "100002,乙,X,辅警,火星队,巡逻@2026-02-30\n"
                                       "100001,,女,勤务辅警,,办案\n")   # row 3: sex, 辅警, team, expiry; row 4: badge twice, no name, skill
    r = zh(cli_run, "import", "people", str(bad))
    assert r.exit_code == 65
    err = r.stderr
    assert "bad.csv，第3行，性别列，字段“sex”：“X”不是性别；请写 男/女 或 M/F" in err, err
    assert "“辅警”不明确：勤务辅警还是文职辅警？" in err
    assert "未定义的队室“火星队”；请写其中之一：" in err
    assert "第3行，技能列，字段“skills”：技能“巡逻”的有效期：“2026-02-30”不是真实存在的日期" in err
    assert "警号“100001”重复（第 2 行也有）" in err and "姓名为空" in err
    assert "第4行，技能列，字段“skills”：技能“办案”（case）只能由民警持有" in err
    assert "unknown" not in err and "appears twice" not in err
    missing = _people(tmp_path, "short.csv", "姓名,性别\n王丽,女\n")
    r = zh(cli_run, "import", "people", str(missing))
    assert r.exit_code == 65 and "缺少必填列“警号”（表头写 警号或id）" in r.stderr
    r = zh(cli_run, "import", "people", str(tmp_path / "nothing.csv"))
    assert r.exit_code == 65 and "没有这个文件" in r.stderr
    # the preview of a good list
    good = _people(tmp_path, "good.csv", "警号,姓名,性别,人员类别,所属队室,技能\n"
                                         "900001,新人甲,女,民警,社区警务队,巡逻;办案@2027-06-30\n")
    r = zh(cli_run, "import", "people", str(good), "--dry-run")
    assert r.exit_code == 0, r.stderr
    assert "将新增（1）" in r.output and "新人甲" in r.output and "民警" in r.output
    assert "社区警务队" in r.output and "巡逻、办案（至2027-06-30）" in r.output          # names, not codes
    assert "community" not in r.output and "patrol" not in r.output
    assert "将新增 1 人、更新 0 人" in r.output and "试运行：未写入任何内容。" in r.output
    assert "Would add" not in r.output and "badge" not in r.output
    en = cli_run("import", "people", str(good), "--dry-run")
    assert "To add (1)" in en.output and "Would add 1, would update 0" in en.output
    assert "Patrol, Case handling (until 2027-06-30)" in en.output


# -- the terminal app ----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
@async_test
async def test_app_recommends_and_dispatches_in_the_users_language(station, lang):
    from tui.screens.dispatch import RecommendScreen
    with session(station, "li") as s:
        iid = dispatch_uc.new_incident(s, "dispute", "酒吧街", now=FIXED_NOW)["id"]
    app = make_app(station, login="li", lang=lang)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.push_screen(RecommendScreen(iid))
        await wait_for(pilot, lambda: getattr(app.screen, "view", None) is not None)
        reasons = text_of(app.screen.query_one("#rec-reasons"))
        excluded = text_of(app.screen.query_one("#rec-excluded"))
        if lang == "zh":
            assert "人，民警" in reasons and "状态：到场" in excluded and "巡逻2" in excluded
            assert "mediation" not in reasons and "on_scene" not in excluded
        else:
            assert "people" in reasons and "status on scene" in excluded
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(("已派" if lang == "zh" else "dispatched") in m for m in notifications(app)))
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app._notifications, "the Ctrl+C notice"
        last = list(app._notifications)[-1]
        assert last.title == ("要退出吗？" if lang == "zh" else "Do you want to quit?")
        assert ("退出值班台" if lang == "zh" else "to quit the app") in last.message


@pytest.mark.parametrize("lang", ["zh", "en"])
@async_test
async def test_app_refuses_a_viewer_in_the_users_language(station, lang):
    app = make_app(station, login="wu", lang=lang)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await pilot.pause()
        expected = "用户“wu”（角色：查看）无权接警登记" if lang == "zh" else "user 'wu' (roles: viewer) may not take incidents"
        assert any(expected in m for m in notifications(app)), notifications(app)
