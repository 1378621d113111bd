"""The dutydesk terminal app: the duty board with units and incidents, call intake and dispatch,
roster review and approval, people, the night's patrol plan, handover between duty officers.

One main-thread session polls ``usecases.board.data_version`` every half second; when another
terminal, command or worker commits, the visible screens re-read their data. Use cases that may
take longer (a roster with its report, edits checked by the validators, solves) run in thread
workers, each with its own connection, and hand their results back with ``call_from_thread`` or
messages. ortools is imported only when a solve starts.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.worker import get_current_worker

from errors import DutydeskError
import messages as i18n
from messages import t
from tui.screens.base import DataChanged, DeskScreen, localize_bindings
from tui.screens.board import BoardScreen
from usecases import board as board_uc
from usecases.context import AppContext, Session


class CellScrollBarRender(ScrollBarRender):
    """Scroll bars in whole cells: the default eighth-block glyphs are ambiguous-width characters
    that CJK terminals draw double width."""

    VERTICAL_BARS = [" "] * 8
    HORIZONTAL_BARS = [" "] * 8


# the screens other than the board are imported when first shown (a faster first paint)
SCREENS_BY_MODE = {"board": ("tui.screens.board", "BoardScreen"), "roster": ("tui.screens.roster", "RosterScreen"),
                   "people": ("tui.screens.people", "PeopleScreen"), "patrol": ("tui.screens.patrol", "PatrolScreen"),
                   "handover": ("tui.screens.handover", "HandoverScreen")}


def screen_class(mode: str) -> type[DeskScreen]:
    import importlib
    module, name = SCREENS_BY_MODE[mode]
    return getattr(importlib.import_module(module), name)


def _make(mode: str) -> Callable[[], Screen]:
    return lambda: screen_class(mode)()


class DutydeskApp(App):
    CSS_PATH = "dutydesk.tcss"
    TITLE = "dutydesk"
    MODES = {"board": BoardScreen, **{m: _make(m) for m in SCREENS_BY_MODE if m != "board"}}
    DEFAULT_MODE = "board"
    BINDINGS = [
        Binding("ctrl+p", "command_palette", "key.palette", show=False, id="palette"),
        Binding("ctrl+q", "quit", "key.quit", show=False, priority=True, key_display="^Q", id="quit"),
    ]
    POLL_SECONDS = 0.5

    def __init__(self, ctx: AppContext, *, session: Session | None = None,
                 clock: Callable[[], datetime] | None = None, poll_seconds: float | None = None,
                 keymap_path=None) -> None:
        i18n.set_lang(ctx.lang)
        ScrollBar.renderer = CellScrollBarRender
        from tui.widgets.cjk import install
        install()          # wide characters under toasts and dialogs are not cut (textual#6357)
        super().__init__()
        localize_bindings(self)
        self.ctx = ctx
        self.session = session or ctx.open()
        self.info = board_uc.station_info(self.session)
        self.zone = ZoneInfo(self.info["zone"])
        self.clock = clock
        self.perms = board_uc.permissions(self.session)
        self.generation = 0
        self._data_version = board_uc.data_version(self.session)
        self.poll_seconds = poll_seconds or self.POLL_SECONDS
        from tui import keymap
        user_keys, self.keymap_problems = keymap.load(keymap_path)
        if user_keys:
            self.set_keymap(user_keys)

    # -- time, data, permissions -----------------------------------------------------------
    def now(self) -> datetime:
        """Local time in the station's zone (a fixed clock in tests and snapshots)."""
        return self.clock() if self.clock else datetime.now(self.zone)

    def on_mount(self) -> None:
        self.title = f"{self.info['name']} {t('app.desk')}"
        self.set_interval(self.poll_seconds, self.poll)
        for problem in self.keymap_problems:
            self.notify(problem, title=t("app.keymap"), severity="warning", timeout=15, markup=False)

    def poll(self) -> None:
        try:
            version = board_uc.data_version(self.session)
        except Exception:  # noqa: BLE001 - a busy or vanished file: try again on the next tick
            return
        if version != self._data_version:
            self._data_version = version
            self.data_changed()

    def data_changed(self) -> None:
        """Re-read permissions and tell the visible screens (others re-read when they show)."""
        self.generation += 1
        try:
            self.info = board_uc.station_info(self.session)
            self.perms = board_uc.permissions(self.session)
        except DutydeskError as exc:
            self.show_error(exc)
        for screen in self.screen_stack:
            screen.post_message(DataChanged())
        self.screen.refresh_bindings()

    def refusal(self, permission: str) -> str | None:
        """Why the user may not do this (None: they may)."""
        return self.perms.get(permission)

    def say_refused(self, why: str) -> None:
        self.notify(why, title=t("app.not_allowed"), severity="warning", timeout=10, markup=False)

    def show_error(self, exc: BaseException) -> None:
        if isinstance(exc, DutydeskError):
            message, title = exc.message, t("app.refused")
        else:
            message, title = f"{type(exc).__name__}: {exc}", t("app.unexpected")
        self.notify(message, title=title, severity="error", timeout=12, markup=False)

    def run_uc(self, fn: Callable, *args, done: Callable | None = None, failed: Callable | None = None,
               group: str = "usecase", exclusive: bool = False, **kwargs):
        """Run a use case ``fn(session, *args, **kwargs)`` in a thread worker with its own
        connection; ``done(result)`` or ``failed(exc)`` run on the app's thread."""
        def job() -> None:
            worker = get_current_worker()
            try:
                with self.ctx.open() as session:
                    result = fn(session, *args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - every error is shown, never a traceback
                if not worker.is_cancelled:
                    self._from_thread(failed or self.show_error, exc)
                return
            if not worker.is_cancelled:
                self._from_thread(self._finished, done, result)
        return self.run_worker(job, thread=True, group=group, exclusive=exclusive, exit_on_error=False,
                               name=getattr(fn, "__name__", "usecase"))

    def _finished(self, done: Callable | None, result) -> None:
        """A use case of this app committed: show it now rather than at the next poll."""
        self.poll()
        if done is not None:
            done(result)

    def _from_thread(self, callback: Callable, *args) -> None:
        try:
            self.call_from_thread(callback, *args)
        except RuntimeError:   # the app closed meanwhile
            pass

    # -- navigation --------------------------------------------------------------------
    def action_goto(self, mode: str) -> None:
        self.goto(mode)

    def goto(self, mode: str) -> None:
        if self.current_mode != mode:
            self.switch_mode(mode)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_new_incident(self) -> None:
        """F2 from any screen: the call-intake form, then the recommended units (one key sends)."""
        why = self.refusal("incident")
        if why:
            self.say_refused(why)
            return
        from tui.screens.dispatch import IntakeScreen, RecommendScreen
        if isinstance(self.screen, (IntakeScreen, RecommendScreen)):
            return

        def taken(incident: dict | None) -> None:
            if incident:
                self.push_screen(RecommendScreen(incident["id"]))
        try:
            choices = board_uc.intake_choices(self.session)      # a quick read: the form opens at once
        except DutydeskError as exc:
            self.show_error(exc)
            return
        self.push_screen(IntakeScreen(choices), taken)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=t("palette.placeholder")))

    def action_toggle_lang(self) -> None:
        self.set_language("en" if i18n.lang() == "zh" else "zh")

    def set_language(self, lang: str) -> None:
        i18n.set_lang(lang)
        localize_bindings(self)
        self.title = f"{self.info['name']} {t('app.desk')}"
        for screen in self.screen_stack:        # the others relabel when they show again
            if isinstance(screen, DeskScreen):
                screen.relabel()
        self.screen.refresh_bindings()
        self.notify(t("app.lang_set"), timeout=3, markup=False)

    def run_screen_action(self, mode: str, action: str) -> None:
        """From the command palette: go to the screen, then run its action (or say why not)."""
        cls = screen_class(mode)
        perm = cls.PERMS.get(action)
        why = perm and self.refusal(perm)
        if why:
            self.say_refused(why)
            return
        self.goto(mode)
        self.call_later(lambda: getattr(self.screen, f"action_{action}")())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of the desk, in the current language; refused ones say why."""
        nav = [("board", "cmd.board"), ("roster", "cmd.roster"), ("people", "cmd.people"), ("patrol", "cmd.patrol"),
               ("handover", "cmd.handover")]
        for mode, key in nav:
            yield SystemCommand(t(key), t(key + ".help"), lambda m=mode: self.goto(m))
        yield SystemCommand(t("cmd.help"), t("cmd.help.help"), self.action_help)
        for mode in SCREENS_BY_MODE:
            cls = screen_class(mode)
            for action, key in cls.ACTIONS.items():
                perm = cls.PERMS.get(action)
                why = perm and self.refusal(perm)
                help_text = t(key + ".help") + (f"  [{t('app.not_allowed')}]" if why else "")
                yield SystemCommand(t(key), help_text, lambda m=mode, a=action: self.run_screen_action(m, a))
        why = self.refusal("incident")
        yield SystemCommand(t("cmd.incident"), t("cmd.incident.help") + (f"  [{t('app.not_allowed')}]" if why else ""),
                            self.action_new_incident)
        yield SystemCommand(t("cmd.lang"), t("cmd.lang.help"), self.action_toggle_lang)
        yield SystemCommand(t("cmd.quit"), t("cmd.quit.help"), self.exit)

    def on_unmount(self) -> None:
        try:
            self.session.close()
        except Exception:  # noqa: BLE001
            pass


def run(ctx: AppContext, session: Session | None = None) -> None:
    DutydeskApp(ctx, session=session).run()
