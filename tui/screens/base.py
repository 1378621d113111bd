"""What every full screen of the desk shares: the F-key map, translated key descriptions,
actions greyed out (and explained) for users without the role, refresh when the data changes."""
from __future__ import annotations

from dataclasses import replace

from textual import events
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from rich.text import Text

import messages as i18n
from messages import t


def localize_bindings(node: DOMNode) -> None:
    """Give ``node`` its class's key bindings with descriptions in the current language (the
    descriptions in BINDINGS are message keys of the messages/ catalogue)."""
    merged = type(node)._merged_bindings
    if merged is None:
        return
    node._bindings = BindingsMap.from_keys(
        {key: [replace(b, description=t(b.description), tooltip=t(b.tooltip) if b.tooltip else "")
               for b in bindings]
         for key, bindings in merged.key_to_bindings.items()})


def effective_bindings(node: DOMNode) -> BindingsMap:
    """``node``'s bindings with the user's keymap applied (what a key press really does)."""
    bindings = node._bindings.copy()
    try:
        keymap = node.app._keymap
    except Exception:  # noqa: BLE001 - no app running (a class looked at outside the app)
        keymap = {}
    if keymap:
        bindings.apply_keymap(keymap)
    return bindings


def key_display(app, binding: Binding) -> str:
    """How a binding's key is written in the footer and the help (the keymap's key when remapped)."""
    keymap = getattr(app, "_keymap", {}) or {}
    if binding.id and keymap.get(binding.id):
        key = keymap[binding.id].split(",")[0].strip()
        return app.get_key_display(binding.with_key(key=key, key_display=None))
    return app.get_key_display(binding)


class KeyBar(Static):
    """The footer: the screen's main keys first, then F2 (new call) and quit, then help and the
    other screens, as many whole entries as fit in one line (80 columns included). A key the user
    may not use is dim. Keys follow the user's keymap."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    """
    ALWAYS = ("new_incident", "quit")       # binding ids kept whatever the width
    TAIL = ("help", "goto.board", "goto.roster", "goto.patrol", "goto.people", "goto.handover", "palette", "lang")
    LAST = ("quit",)                         # shown at the right end

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.render_keys())
        self.call_after_refresh(self.render_keys)

    def on_resize(self, event) -> None:
        self.render_keys()

    def entries(self) -> list[tuple[str, Text]]:
        """(binding id, "key description") in priority order for this screen."""
        screen = self.screen
        by_id: dict[str, tuple[Binding, object]] = {}
        for node in (screen, self.app):
            for _key, binding in effective_bindings(node):
                if binding.id and binding.id not in by_id:
                    by_id[binding.id] = (binding, node)
        main = [b for b in getattr(screen, "FOOTER", ())]
        order = [*self.ALWAYS, *main, *self.TAIL]
        own = getattr(screen, "MODE", None)
        out = []
        for bid in dict.fromkeys(order):
            if bid not in by_id or bid == f"goto.{own}":
                continue
            binding, node = by_id[bid]
            action = binding.action.split(".", 1)[1] if binding.action.startswith("app.") else binding.action
            allowed = True
            if node is screen and hasattr(screen, "check_action"):
                allowed = screen.check_action(action, ()) is True
            entry = Text.assemble((key_display(self.app, binding), "bold" if allowed else DIM_KEY),
                                  " ", (t(binding.description) if binding.description.startswith("key.")
                                        else binding.description, "" if allowed else DIM_KEY))
            out.append((bid, entry))
        return out

    def render_keys(self) -> None:
        width = max(20, (self.size.width or self.app.size.width or 80))
        entries = self.entries()
        chosen, used = set(), 0
        for bid, entry in entries:                  # priority order
            need = entry.cell_len + (2 if chosen else 0)
            if used + need <= width:
                chosen.add(bid)
                used += need
        main = set(getattr(self.screen, "FOOTER", ()))
        shown = [(bid, e) for bid, e in entries if bid in chosen and bid in main]
        shown += [(bid, e) for bid, e in entries if bid in chosen and bid not in main and bid not in self.LAST]
        shown += [(bid, e) for bid, e in entries if bid in chosen and bid in self.LAST]
        self.update(Text("  ").join(e for _, e in shown))


DIM_KEY = "#6a6a6a"


class DataChanged(Message):
    """Another connection (or a worker of this app) committed to the station database."""


class DeskScreen(Screen):
    """A full screen of the desk (board, roster, people, patrol, handover)."""

    BINDINGS = [
        Binding("f1", "app.help", "key.help", key_display="F1", id="help"),
        Binding("ctrl+p", "app.command_palette", "key.palette", key_display="^P", id="palette"),
        Binding("f2", "app.new_incident", "key.incident", key_display="F2", id="new_incident"),
        Binding("f3", "app.goto('roster')", "key.roster", key_display="F3", id="goto.roster"),
        Binding("f4", "app.goto('patrol')", "key.patrol", key_display="F4", id="goto.patrol"),
        Binding("f5", "app.goto('people')", "key.people", key_display="F5", id="goto.people"),
        Binding("f6", "app.goto('board')", "key.board", key_display="F6", id="goto.board"),
        Binding("f7", "app.goto('handover')", "key.handover", key_display="F7", id="goto.handover"),
        Binding("f9", "app.toggle_lang", "key.lang", key_display="F9", id="lang"),
        Binding("escape", "stay", "key.stay", show=False, id="desk.escape"),
    ]
    # action name -> permission key of usecases.board.ACTION_ROLES
    PERMS: dict[str, str] = {}
    # action name -> message key; these appear in the help screen and the command palette
    ACTIONS: dict[str, str] = {}
    # the screen's main keys for the footer, by binding id, most important first
    FOOTER: tuple[str, ...] = ()
    MODE: str = ""

    def __init__(self) -> None:
        super().__init__()
        localize_bindings(self)
        self.seen_generation = -1
        self.seen_lang = i18n.lang()

    # -- permissions ---------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        perm = self.PERMS.get(action)
        if perm and self.app.refusal(perm):
            return None          # shown greyed out in the footer; a press explains why (on_key)
        return True

    def action_stay(self) -> None:
        """Esc on a screen never leaves it (the next key would do something else unseen): it says
        where you are and how to go to the board."""
        self.app.notify(t("app.esc_stays", screen=t(f"key.{self.MODE}") if self.MODE else ""), timeout=4,
                        markup=False)

    def on_key(self, event: events.Key) -> None:
        for binding in effective_bindings(self).key_to_bindings.get(event.key, ()):
            perm = self.PERMS.get(binding.action)
            why = perm and self.app.refusal(perm)
            if why:
                event.stop()
                self.app.say_refused(why)
                return

    # -- data and language ---------------------------------------------------------------
    def on_screen_resume(self) -> None:
        if self.seen_lang != i18n.lang():
            self.relabel()
        if self.seen_generation != self.app.generation:
            self.reload()

    def on_data_changed(self, message: DataChanged) -> None:
        self.reload()

    def reload(self) -> None:
        """Read the data again and update what is shown (override)."""
        self.seen_generation = self.app.generation

    def relabel(self) -> None:
        """The language changed: translate the keys, the fixed texts, then what is shown."""
        self.seen_lang = i18n.lang()
        localize_bindings(self)
        self.refresh_bindings()
        self.relabel_static()
        self.render_all()

    def relabel_static(self) -> None:
        """Titles and other texts that do not come from the data (override)."""

    def render_all(self) -> None:
        """Show the data read last, if any (override)."""


class ViewScreen(DeskScreen):
    """A screen showing one read model of usecases.board, re-read in a worker whenever the data
    changes; narrow below 120 columns."""

    data: dict | None = None

    def read(self) -> tuple:
        """The read model to call and its keyword arguments (override)."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self.relabel_static()
        self.reload()

    def on_resize(self, event) -> None:
        self.set_class(self.size.width < 120, "-narrow")
        self.render_all()

    def reload(self) -> None:
        super().reload()
        fn, kwargs = self.read()
        self.app.run_uc(fn, done=self.show_data, group=f"{type(self).__name__}-view", exclusive=True, **kwargs)

    def show_data(self, data: dict) -> None:
        self.data = data
        self.render_all()


class PeopleFilter:
    """Filters by team (t) and skill (k) for screens listing people; each key cycles through
    all, then every team or skill in turn."""

    team: str | None = None
    skill: str | None = None

    def filter_names(self) -> dict | None:
        """The names of the data shown (teams, skills), None before it is read (override)."""
        return None

    def keep(self, person: dict) -> bool:
        return ((self.team is None or person["team"] == self.team)
                and (self.skill is None or any(s["skill"] == self.skill for s in person["skills"])))

    def filter_line(self) -> str:
        names = self.filter_names() or {}
        team = i18n.name(names.get("teams", {}).get(self.team), self.team) if self.team else t("filter.all")
        skill = i18n.name(names.get("skills", {}).get(self.skill), self.skill) if self.skill else t("filter.all")
        return t("filter.line", team=team, skill=skill)

    @staticmethod
    def _next(current: str | None, options: list[str]) -> str | None:
        seq = [None] + options
        return seq[(seq.index(current) + 1) % len(seq)] if current in seq else None

    def action_team(self) -> None:
        names = self.filter_names()
        if names:
            self.team = self._next(self.team, list(names["teams"]))
            self.render_all()

    def action_skill(self) -> None:
        names = self.filter_names()
        if names:
            self.skill = self._next(self.skill, list(names["skills"]))
            self.render_all()
