"""The terminal app lists every rule of the catalogue (issue 22 item 7): F1 then r, or the
command palette; hard/soft, the station's value, the source, what enforces it; both languages."""
from __future__ import annotations

from rich.console import Console

import messages
from messages import t
from scheduler.rules.catalogue import RULES, listing
from tests.test_tui_support import async_test, clean_station, clean_template, make_app, settle, station, text_of, tui_template
from tui.screens.rules import RulesScreen, rules_table

__all__ = ["clean_station", "clean_template", "station", "tui_template"]     # fixtures


def rendered(rules, lang: str) -> str:
    before = messages.lang()
    messages.set_lang(lang)
    try:
        console = Console(width=400, record=True, color_system=None)
        console.print(rules_table(rules))
        return console.export_text()
    finally:
        messages.set_lang(before)


def test_the_rules_table_has_every_rule_with_kind_value_source_enforcer():
    rules = listing({"weekly_hours": 44})
    zh = rendered(rules, "zh")
    for rule in RULES:
        assert t(rule.name_key, _lang_override="zh") in zh, rule.code
        assert rule.enforcer.removeprefix("scheduler.") in zh, rule.code
        assert t(rule.source_key, _lang_override="zh") in zh, rule.code
    for expected in ("硬性", "软性", "weekly_hours = 44 h", "max_weekends_per_4_weeks = 3 weekends", "20,000"):
        assert expected in zh, expected
    en = rendered(rules, "en")
    for expected in ("hard", "soft", "Labour Law art. 41", "weekends worked per 4 weeks", "weekly_hours = 44 h"):
        assert expected in en, expected


@async_test
async def test_rules_list_from_help_and_palette(station):
    app = make_app(station, lang="zh")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RulesScreen) and len(app.screen.rules) == len(RULES)
        values = {p["key"]: p["value"] for r in app.screen.rules for p in r["params"]}
        assert values["weekly_hours"] == 44           # the demo station's value, not the default
        text = text_of(app.screen.query_one("#rules-table"))
        assert "硬性" in text and "软性" in text and "技能与身份" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RulesScreen)
        assert "规则" in [c.title for c in app.get_system_commands(app.screen)]


@async_test
async def test_rules_list_in_english_at_80_columns(station):
    app = make_app(station, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_rules()
        await pilot.pause()
        assert isinstance(app.screen, RulesScreen)
        text = text_of(app.screen.query_one("#rules-table"))
        assert "hard" in text and "soft" in text
