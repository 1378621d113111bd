"""The command line's help and click's own texts follow --lang / the locale (issue 24)."""
from __future__ import annotations

import click
from click.testing import CliRunner

from cli.help import option_key, walk
from main import cli
from messages.help import HELP_ZH


def test_every_command_and_option_with_help_has_its_chinese():
    missing = []
    for path, cmd in walk(cli):
        if cmd.help and path not in HELP_ZH:
            missing.append(path or "(root)")
        for p in cmd.params:
            if isinstance(p, click.Option) and p.help and not p.hidden \
                    and option_key(path, p) not in HELP_ZH and option_key("*", p) not in HELP_ZH:
                missing.append(option_key(path, p))
    assert not missing, "no Chinese help in messages/help.py for: " + ", ".join(missing)


def test_no_chinese_help_for_a_command_that_does_not_exist():
    known = set()
    for path, cmd in walk(cli):
        known.add(path)
        known |= {option_key(path, p) for p in cmd.params if isinstance(p, click.Option)}
    stale = [k for k in HELP_ZH if not k.startswith("* ") and k not in known]
    assert not stale, stale


def test_help_and_usage_errors_in_chinese_then_english_again(make_ctx):
    runner = CliRunner()
    zh = runner.invoke(cli, ["--lang", "zh", "roster", "generate", "--help"], obj=make_ctx())
    assert zh.exit_code == 0
    assert "用法：" in zh.output and "生成从 START 起 DAYS 天的排班草稿版本" in zh.output and "天数。" in zh.output
    assert "显示本帮助并退出。" in zh.output
    bad = runner.invoke(cli, ["--lang", "zh", "roster", "generate"], obj=make_ctx())
    assert bad.exit_code == 2 and "错误：缺少选项 '--start'" in bad.stderr
    typo = runner.invoke(cli, ["--lang", "zh", "rostr"], obj=make_ctx())
    assert typo.exit_code == 2 and "没有命令 'rostr'" in typo.stderr and "您是指 'roster' 吗" in typo.stderr
    # the same process, English: the decorators' help, click's own texts
    en = runner.invoke(cli, ["roster", "generate", "--help"], obj=make_ctx())
    assert "Usage:" in en.output and "Build a draft roster version" in en.output and "天数" not in en.output
    bad = runner.invoke(cli, ["roster", "generate"], obj=make_ctx())
    assert "Error: Missing option '--start'" in bad.stderr


def test_the_locale_chooses_chinese_help(make_ctx, monkeypatch):
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    from usecases.context import AppContext
    ctx = AppContext.from_environment()
    r = CliRunner().invoke(cli, ["incident", "new", "--help"], obj=ctx)
    assert "接警登记。" in r.output and "纠纷" in r.output
