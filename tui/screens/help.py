"""Help (F1): the key map of every screen and the colours and marks used, in the current language.

Built from the screens' own BINDINGS, so it never disagrees with the keys that work."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

import messages as i18n
from messages import t
from tui.format import SHIFT_STYLE
from tui.screens.dialogs import DialogScreen

KEY_NAMES = {"escape": "Esc", "enter": "Enter", "tab": "Tab", "up": "Up", "down": "Down"}


def key_label(key: str) -> str:
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    if key.startswith("ctrl+"):
        return "Ctrl+" + key[5:].upper()
    if key.startswith("f") and key[1:].isdigit():
        return key.upper()
    return key


def key_rows(*classes, keymap: dict | None = None) -> list[tuple[str, str]]:
    """(key, description) of the bindings declared on these classes, in order, without repeats;
    a key moved by the user's keymap shows where it is now."""
    keymap = keymap if keymap is not None else _app_keymap()
    seen, rows = set(), []
    for cls in classes:
        for b in cls.__dict__.get("BINDINGS", []):
            key = (keymap.get(b.id) or b.key) if isinstance(b, Binding) else None
            if key is not None and key not in seen:
                seen.add(key)
                rows.append((" ".join(key_label(k) for k in key.split(",")), t(b.description)))
    return rows


def _app_keymap() -> dict:
    try:
        from textual._context import active_app
        return dict(active_app.get()._keymap)
    except Exception:  # noqa: BLE001 - outside a running app
        return {}


def sections() -> list[tuple[str, list[tuple[str, str]]]]:
    from tui.app import DutydeskApp
    from tui.screens.base import DeskScreen
    from tui.screens.dialogs import FormScreen, ProgressScreen
    from tui.screens.people import PeopleScreen
    from tui.screens.roster import RosterScreen
    from tui.screens.board import BoardScreen
    from tui.screens.dispatch import RecommendScreen
    from tui.screens.handover import HandoverScreen
    from tui.screens.patrol import PatrolScreen

    def own(cls) -> list[tuple[str, str]]:       # the screen's letters; the F-keys are global
        return [(k, d) for k, d in key_rows(cls) if not (k.startswith("F") and k[1:].isdigit())]
    return [
        (t("help.global"), key_rows(DeskScreen, DutydeskApp)),
        (t("help.board"), [(t("help.updown"), t("help.move")), ("Enter", t("help.board_enter"))]
         + [(k, d) for k, d in own(BoardScreen) if k != "Enter"]),
        (t("help.roster"), [(t("help.arrows"), t("help.move_cells"))] + key_rows(RosterScreen)),
        (t("help.people"), key_rows(PeopleScreen)),
        (t("help.patrol"), own(PatrolScreen)),
        (t("help.handover"), own(HandoverScreen)),
        (t("help.dispatch"), [("F2", t("key.incident"))] + own(RecommendScreen)),
        (t("help.dialogs"), [("Tab", t("help.next_field")), ("Enter", t("key.submit"))]
         + key_rows(FormScreen) + key_rows(ProgressScreen)),
    ]


def help_body(columns: int = 2) -> Table:
    grid = Table.grid(padding=(0, 4))
    for _ in range(columns):
        grid.add_column()
    cells = []
    for title, rows in sections():
        table = Table(box=None, show_header=False, pad_edge=False, title=title, title_justify="left",
                      title_style="bold #7fd0ff")
        table.add_column(style="bold", no_wrap=True, overflow="crop")
        table.add_column(overflow="fold")
        for key, desc in rows:
            table.add_row(key, desc)
        cells.append(table)
    legend = Table(box=None, show_header=False, pad_edge=False, title=t("help.legend"), title_justify="left",
                   title_style="bold #7fd0ff")
    legend.add_column(no_wrap=True, overflow="crop")
    legend.add_column(overflow="fold")
    for kind in ("day", "evening", "night", "24h"):
        legend.add_row(Text("D/PAT1" if kind == "day" else {"evening": "V/WIN", "night": "N/PAT1", "24h": "Z/CMD"}[kind],
                            style=SHIFT_STYLE[kind]), i18n.shift_kind(kind))
    legend.add_row(Text(t("board.short", n=1), style="bold white on #a02828"), t("help.short"))
    legend.add_row(Text(i18n.ptype_short("sworn")), i18n.name({"zh": "民警", "en": "sworn officer (民警)"}, ""))
    legend.add_row(Text(i18n.ptype_short("duty_aux")), t("help.aux"))
    legend.add_row(Text(i18n.ptype_short("assistant")), i18n.name({"zh": "治安协理员", "en": "security assistant"}, ""))
    legend.add_row(Text("!", style="bold #ff6060"), t("help.expired"))
    legend.add_row(Text("~", style="#e0b050"), t("help.expiring"))
    cells.append(legend)
    for i in range(0, len(cells), columns):
        grid.add_row(*cells[i:i + columns])
    return grid


class HelpScreen(DialogScreen):
    BINDINGS = [Binding("escape", "cancel", "key.close", id="dialog.cancel"),
                Binding("f1", "cancel", "key.close", show=False, id="help.close"),
                Binding("q", "cancel", "key.close", show=False, id="help.q")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall", id="help"):
            yield Static(Text(t("help.title"), style="bold"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(help_body(2 if self.app.size.width >= 120 else 1))
            yield Static(Text(t("help.footer"), style="#8a8a8a"), classes="dialog-keys")
