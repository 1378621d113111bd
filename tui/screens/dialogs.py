"""Dialogs: forms, confirmations, solver progress, pickers and result lists.

A form runs its use case in a thread worker (through the app) and shows the use case's message
in the form when it refuses, so the user can fix the input and try again.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from errors import DutydeskError
import messages as i18n
from messages import t
from scheduler.stop import StopToken
from tui.screens.base import localize_bindings
from tui.widgets import SolveBar, sync_rows

DIM = "#8a8a8a"
ERROR = "bold #ff7070"


class DialogScreen(ModalScreen):
    """A modal dialog with translated key descriptions; Esc closes it (returning None)."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel", id="dialog.cancel")]

    def __init__(self) -> None:
        super().__init__()
        localize_bindings(self)

    def action_cancel(self) -> None:
        self.dismiss(None)


def error_text(exc: BaseException) -> Text:
    from usecases.context import database_error
    exc = database_error(exc)
    msg = exc.message if isinstance(exc, DutydeskError) else f"{type(exc).__name__}: {exc}"
    return Text(msg, style=ERROR)


# -- forms ----------------------------------------------------------------------------------------

@dataclass
class Field:
    name: str
    label: str                      # already translated
    value: str = ""
    hint: str = ""                  # shown under the field (translated)
    suggestions: tuple[str, ...] = ()
    people: list[dict] | None = None    # a person field: name or badge, completed; the value is the badge
    check: Callable[[str], Any] | None = None   # checked as you type; raises DutydeskError to say what is wrong


def problem_text(exc: BaseException) -> str:
    """The message of a refusal without the "N problems found" preamble, for one field."""
    problems = getattr(exc, "problems", None)
    if problems:
        return t("list.clauses").join(p.text() for p in problems)
    return exc.message if isinstance(exc, DutydeskError) else str(exc)


class FormScreen(DialogScreen):
    """Fields, Enter to submit, Esc to cancel. ``run(session, values)`` (a use case) runs in a
    worker; its refusal is shown in the form. ``check(values)`` instead parses the values here
    and returns what the form gives back. With neither, the values are returned.

    While the use case checks, the form stays and says so (with the seconds waited); its fields
    are locked, so a key pressed meanwhile is not typed into a field, and when the answer is a
    refusal every typed value is still there and the cursor is back where it was. A field with
    its own ``check`` (a date, a number, a person) says what is wrong as you type."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel", id="dialog.cancel"),
                Binding("ctrl+s", "submit", "key.submit", id="dialog.submit")]

    def __init__(self, title: str, fields: list[Field], run: Callable[[Any, dict], Any] | None = None,
                 check: Callable[[dict], Any] | None = None, note: str = "", error: BaseException | None = None,
                 body: Any = None) -> None:
        super().__init__()
        self.title_text, self.fields, self.run, self.check, self.note = title, fields, run, check, note
        self.body = body                # something to read above the fields (e.g. what a chief signs)
        self.busy = False
        self.first_error = error
        self._t0 = 0.0
        self._refocus = None
        self._ticker = None

    def compose(self) -> ComposeResult:
        from tui.widgets.inputs import CompletingInput, PersonInput
        with Vertical(classes="dialog form"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            if self.note:
                yield Static(Text(self.note, style=DIM))
            if self.body is not None:
                with VerticalScroll(classes="dialog-body"):
                    yield Static(self.body, id="form-body")
            for f in self.fields:
                with Horizontal(classes="field"):
                    yield Label(f.label, classes="field-label")
                    if f.people is not None:
                        yield PersonInput(f.people, value=f.value, id=f"f-{f.name}")
                    else:
                        yield CompletingInput(value=f.value, id=f"f-{f.name}",
                                              suggester=SuggestFromList(f.suggestions, case_sensitive=False)
                                              if f.suggestions else None)
                if f.hint or f.people is not None or f.check is not None:
                    yield Static(Text(f.hint, style=DIM), classes="field-hint", id=f"h-{f.name}")
            yield Static(id="form-error")
            yield Static(Text(t("form.hint"), style=DIM), classes="dialog-keys")

    def on_mount(self) -> None:
        if self.body is not None and self.fields:        # the body scrolls, but typing goes to the first field
            self.query(Input).first().focus()
        for f in self.fields:
            if f.value:
                self.show_field(f, f.value)
        if self.first_error is not None:
            self._failed(self.first_error)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def show_field(self, f: Field, value: str) -> None:
        """What a person or checked field means, or what is wrong with it, under the field."""
        if f.people is None and f.check is None:
            return
        hint = self.query_one(f"#h-{f.name}", Static)
        value = value.strip()
        if not value:
            hint.update(Text(f.hint, style=DIM))
            return
        if f.people is not None:
            from tui.widgets.inputs import resolve_person
            widget = self.query_one(f"#f-{f.name}")
            p = widget.person()
            if p is not None:
                hint.update(Text(t("form.person", name=p["name"], badge=p["badge"],
                                   ptype=i18n.ptype_short(p.get("person_type", ""))), style="#7fd07f"))
                return
            _, could = resolve_person(value, f.people)
            if could:
                names = "  ".join(f"{p['name']} {p['badge']}" for p in could[:5])
                hint.update(Text(t("form.person_which", n=len(could), names=names), style="#e0b050"))
            else:
                hint.update(Text(t("form.person_none", v=value), style=ERROR))
            return
        try:
            f.check(value)
        except DutydeskError as exc:
            hint.update(Text(problem_text(exc), style=ERROR))
            return
        hint.update(Text(f.hint or t("form.ok"), style=DIM if f.hint else "#7fd07f"))

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("f-")
        f = next((x for x in self.fields if x.name == name), None)
        if f is not None:
            self.show_field(f, event.value)

    def values(self) -> dict[str, str]:
        from tui.widgets.inputs import PersonInput
        out = {}
        for f in self.fields:
            widget = self.query_one(f"#f-{f.name}", Input)
            out[f.name] = widget.badge() if isinstance(widget, PersonInput) else widget.value.strip()
        return out

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        if self.busy:
            return
        values = self.values()
        if self.check is not None:
            try:
                values = self.check(values)
            except DutydeskError as exc:
                self._failed(exc)
                return
        if self.run is None:
            self.dismiss(values)
            return
        self.set_busy(True)
        self.app.run_uc(self.run, values, done=self._done, failed=self._failed)

    def set_busy(self, busy: bool) -> None:
        """Checking: the fields are locked (keys typed meanwhile go nowhere) and the form says so."""
        self.busy = busy
        if busy:
            self._refocus = self.focused
            self._t0 = time.monotonic()
            self.show_checking()
            self._ticker = self.set_interval(0.5, self.show_checking)
        elif self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        for widget in self.query(Input):
            widget.disabled = busy
        if not busy:
            target = self._refocus if self._refocus is not None and self._refocus.is_attached else None
            (target or self.query(Input).first()).focus()

    def show_checking(self) -> None:
        waited = time.monotonic() - self._t0
        self.query_one("#form-error", Static).update(
            Text(t("form.checking", s=f"{waited:.0f}"), style="bold #7fd0ff"))

    def action_cancel(self) -> None:
        if self.busy:        # the use case may be writing: the answer comes first
            self.app.notify(t("form.wait"), severity="warning", timeout=4, markup=False)
            return
        super().action_cancel()

    def _done(self, result) -> None:
        self.set_busy(False)
        self.dismiss(result)

    def _failed(self, exc: BaseException) -> None:
        if self.busy:
            self.set_busy(False)
        self.query_one("#form-error", Static).update(error_text(exc))


class ConfirmScreen(DialogScreen):
    """A question with optional detail lines; Enter or y confirms, Esc or n cancels."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel", id="dialog.cancel"),
                Binding("n", "cancel", "key.no", show=False, id="confirm.no"),
                Binding("enter", "confirm", "key.confirm", id="confirm.yes"),
                Binding("y", "confirm", "key.yes", show=False, id="confirm.y")]

    def __init__(self, title: str, body: Any = "") -> None:
        super().__init__()
        self.title_text, self.body = title, body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(self.body if not isinstance(self.body, str) else Text(self.body))
            yield Static(Text(t("confirm.hint"), style=DIM), classes="dialog-keys")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class InfoScreen(DialogScreen):
    """Something to read (a post in full, a result); Esc or Enter closes."""

    BINDINGS = [Binding("escape", "cancel", "key.close", id="dialog.cancel"),
                Binding("enter", "cancel", "key.close", show=False, id="info.close")]

    def __init__(self, title: Any, body: Any) -> None:
        super().__init__()
        self.title_text, self.body = title, body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(self.title_text if not isinstance(self.title_text, str) else Text(self.title_text, style="bold"),
                         classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                yield Static(self.body if not isinstance(self.body, str) else Text(self.body))
            yield Static(Text(t("dialog.close_hint"), style=DIM), classes="dialog-keys")


# -- solver progress ---------------------------------------------------------------------------------

class ProgressScreen(DialogScreen):
    """Runs a solve (generate, repair) in a thread worker and shows its progress: objective, bound,
    gap, time. x or Esc stops the search; the solver then keeps the best roster found so far.

    ``job(session, on_progress=, stop=)`` is the use case call; dismisses with
    {"result": ..., "stopped": bool} or {"error": exc}."""

    BINDINGS = [Binding("x", "stop", "key.stop", id="progress.stop"),
                Binding("escape", "stop", "key.stop", show=False, id="dialog.cancel")]

    class Tick(Message):
        def __init__(self, objective, bound, elapsed, phase) -> None:
            super().__init__()
            self.objective, self.bound, self.elapsed, self.phase = objective, bound, elapsed, phase

    class Finished(Message):
        def __init__(self, outcome: dict) -> None:
            super().__init__()
            self.outcome = outcome

    def __init__(self, title: str, job: Callable, time_limit: float) -> None:
        super().__init__()
        self.title_text, self.job, self.time_limit = title, job, max(0.1, float(time_limit))
        self.stop_token = StopToken()
        self.stopped = False
        self.t0 = time.monotonic()
        self.last: ProgressScreen.Tick | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield SolveBar(id="solve-bar")
            yield Static(id="solve-stats")
            yield Static(Text(t("progress.hint"), style=DIM), classes="dialog-keys")

    def on_mount(self) -> None:
        self.t0 = time.monotonic()
        self.set_interval(0.25, self._refresh_stats)
        self._refresh_stats()
        self.app.run_worker(self._work, thread=True, group="solve", exit_on_error=False, name="solve")

    def _work(self) -> None:
        def on_progress(p) -> None:
            if self.stopped:
                self._stop_engine()
            self.post_message(self.Tick(p.objective, p.bound, p.elapsed, p.phase))
        try:
            with self.app.ctx.open() as session:
                result = self.job(session, on_progress=on_progress, stop=self.stop_token)
            outcome = {"result": result, "stopped": self.stopped}
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a traceback
            outcome = {"error": exc, "stopped": self.stopped}
        self.post_message(self.Finished(outcome))

    def _stop_engine(self) -> None:
        self.stop_token.stop()

    def _refresh_stats(self) -> None:
        elapsed = time.monotonic() - self.t0
        self.query_one(SolveBar).fraction = min(1.0, elapsed / self.time_limit)
        p = self.last
        parts = [t("progress.elapsed", s=f"{elapsed:.1f}", limit=f"{self.time_limit:g}")]
        if p is not None:
            parts.append(t("progress.objective", v=p.objective if p.objective is not None else "-"))
            parts.append(t("progress.bound", v=p.bound if p.bound is not None else "-"))
            if p.objective and p.bound is not None:
                parts.append(t("progress.gap", v=f"{max(0, p.objective - p.bound) / abs(p.objective) * 100:.1f}"))
            parts.append(t("progress.phase", v=i18n.phase(p.phase)))
        else:
            parts.append(t("progress.preparing"))
        line = Text("   ".join(parts))
        if self.stopped:
            line.append("   " + t("progress.stopping"), style=ERROR)
        self.query_one("#solve-stats", Static).update(line)

    def on_progress_screen_tick(self, message: Tick) -> None:
        self.last = message
        self._refresh_stats()

    def on_progress_screen_finished(self, message: Finished) -> None:
        self.dismiss(message.outcome)

    def action_stop(self) -> None:
        self.stopped = True
        self._stop_engine()
        self._refresh_stats()

    def action_cancel(self) -> None:
        self.action_stop()

    def on_unmount(self) -> None:
        self._stop_engine()


# -- lists -----------------------------------------------------------------------------------------------

class PickerScreen(DialogScreen):
    """Choose one of several options (Enter); returns the option id."""

    def __init__(self, title: str, options: list[tuple[str, Text | str]], selected: str | None = None) -> None:
        super().__init__()
        self.title_text, self.options, self.selected = title, options, selected

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield OptionList(*[Option(label, id=oid) for oid, label in self.options], id="picker")
            yield Static(Text(t("picker.hint"), style=DIM), classes="dialog-keys")

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        ids = [oid for oid, _ in self.options]
        if self.selected in ids:
            picker.highlighted = ids.index(self.selected)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class TableScreen(DialogScreen):
    """A table to read or pick a row from: Enter returns the row key (when ``pick``), Esc closes."""

    def __init__(self, title: Any, columns: list[str], rows: list[tuple[str, list]], *, note: Any = "",
                 pick: Callable[[str], bool] | None = None, hint: str = "") -> None:
        super().__init__()
        self.title_text, self.columns, self.rows, self.note, self.pick, self.hint = title, columns, rows, note, pick, hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall"):
            yield Static(self.title_text if not isinstance(self.title_text, str) else Text(self.title_text, style="bold"),
                         classes="dialog-title")
            if self.note:
                yield Static(self.note if not isinstance(self.note, str) else Text(self.note, style=DIM))
            yield DataTable(id="dialog-table", cursor_type="row", zebra_stripes=True)
            yield Static(Text(self.hint or t("dialog.close_hint"), style=DIM), classes="dialog-keys")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for i, label in enumerate(self.columns):
            table.add_column(Text(label, style="bold"), key=f"c{i}")
        sync_rows(table, self.rows)
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if self.pick is not None and self.pick(key):
            self.dismiss(key)
