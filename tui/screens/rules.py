"""Rules: every rule of the rule catalogue with hard or soft, the value in force, the source and
what enforces it (issue 22 item 7). Opened from the help screen (r) or the command palette."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

import messages as i18n
from messages import t
from tui.screens.dialogs import DialogScreen


def _value(p: dict) -> str:
    v = p["value"]
    shown = f"{v:g}" if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)
    return f"{p['key']} = {shown}" + (f" {p['unit']}" if p["unit"] and not isinstance(v, bool) else "")


def rules_table(rules: list[dict]) -> Table:
    zh = i18n.lang() == "zh"
    table = Table(box=None, pad_edge=False, header_style="bold #7fd0ff", expand=True)
    for key in ("rules.col.rule", "rules.col.kind", "rules.col.value", "rules.col.source", "rules.col.enforcer"):
        table.add_column(t(key), overflow="fold")
    for r in rules:
        kind = Text(t("rules.hard"), style="bold #ff9a6a") if r["hard"] else Text(t("rules.soft"), style="#9ad0ff")
        if r["weights"]:
            kind.append(" " + "/".join(f"{w:,}" for w in r["weights"].values()), style="#8a8a8a")
        table.add_row(r["name_zh"] if zh else r["name"], kind, "\n".join(_value(p) for p in r["params"]) or "-",
                      r["source_zh"] if zh else r["source"], r["enforcer"].removeprefix("scheduler."))
    return table


class RulesScreen(DialogScreen):
    BINDINGS = [Binding("escape", "cancel", "key.close", id="dialog.cancel"),
                Binding("q", "cancel", "key.close", show=False, id="rules.q")]

    def __init__(self, rules: list[dict]) -> None:
        super().__init__()
        self.rules = rules

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall", id="rules"):
            yield Static(Text(t("rules.title"), style="bold"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(rules_table(self.rules), id="rules-table")
            yield Static(Text(t("rules.footer"), style="#8a8a8a"), classes="dialog-keys")
