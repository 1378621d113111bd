"""What every full screen of the desk shares: the F-key map, translated key descriptions,
actions greyed out (and explained) for users without the role, refresh when the data changes."""
from __future__ import annotations

from dataclasses import replace

from textual import events
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen

from tui import i18n
from tui.i18n import t


def localize_bindings(node: DOMNode) -> None:
    """Give ``node`` its class's key bindings with descriptions in the current language (the
    descriptions in BINDINGS are message keys of tui/i18n.py)."""
    merged = type(node)._merged_bindings
    if merged is None:
        return
    node._bindings = BindingsMap.from_keys(
        {key: [replace(b, description=t(b.description), tooltip=t(b.tooltip) if b.tooltip else "")
               for b in bindings]
         for key, bindings in merged.key_to_bindings.items()})


class DataChanged(Message):
    """Another connection (or a worker of this app) committed to the station database."""


class DeskScreen(Screen):
    """A full screen of the desk (board, roster, people, patrol, handover)."""

    BINDINGS = [
        Binding("f1", "app.help", "key.help", key_display="F1"),
        Binding("ctrl+p", "app.command_palette", "key.palette", key_display="^P"),
        Binding("f2", "app.new_incident", "key.incident", show=False, key_display="F2"),
        Binding("f3", "app.goto('roster')", "key.roster", key_display="F3"),
        Binding("f4", "app.goto('patrol')", "key.patrol", show=False, key_display="F4"),
        Binding("f5", "app.goto('people')", "key.people", key_display="F5"),
        Binding("f6", "app.goto('board')", "key.board", key_display="F6"),
        Binding("f7", "app.goto('handover')", "key.handover", key_display="F7"),
        Binding("f9", "app.toggle_lang", "key.lang", show=False, key_display="F9"),
    ]
    # action name -> permission key of usecases.board.ACTION_ROLES
    PERMS: dict[str, str] = {}
    # action name -> message key; these appear in the help screen and the command palette
    ACTIONS: dict[str, str] = {}

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

    def on_key(self, event: events.Key) -> None:
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
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
