"""Call intake (F2) and dispatch: the new-incident form, then the recommended units with their
reasons and the units left out with why; one key sends the selected recommendation.

Both run their use cases (usecases.dispatch through usecases.board) in thread workers with the
app's clock; a refusal is shown in the dialog, which stays open to try again.
"""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, DataTable, Input, Label, Static

from errors import InputError, InputProblem
import messages as i18n
from tui.format import said
from tui.format import DIM, priority, type_name, unit_names
from messages import t
from tui.screens.dialogs import ERROR, DialogScreen, error_text
from tui.widgets import clip, set_columns, sync_rows
from tui.widgets.inputs import CompletingInput
from usecases import board as board_uc
from usecases import dispatch as dispatch_uc



class AsciiCheckbox(Checkbox):
    """A checkbox drawn [x] / [ ]: the default half-block edges are ambiguous-width glyphs."""

    @property
    def _button(self) -> Content:
        return Content.assemble("[", ("x" if self.value else " ", "bold"), "]")


def resolve_type(text: str, types: list[dict]) -> dict | None:
    """An incident type from what was typed: its number in the list, code, Chinese or English
    name, or the start of one of these when only one type starts so."""
    text = text.strip().lower()
    if not text:
        return None
    if text.isdigit() and 1 <= int(text) <= len(types):
        return types[int(text) - 1]
    for ty in types:
        if text in (ty["code"].lower(), ty["zh"].lower(), ty["en"].lower()):
            return ty
    starts = [ty for ty in types if any(k.lower().startswith(text) for k in (ty["code"], ty["zh"], ty["en"]))]
    return starts[0] if len(starts) == 1 else None


def catalogue_line(types: list[dict]) -> Text:
    out = Text()
    for i, ty in enumerate(types, 1):
        if i > 1:
            out.append("  ")
        out.append(f"{i}", style="bold")
        out.append(i18n.name(ty, ty["code"]))
    return out


class IntakeScreen(DialogScreen):
    """新警情: type, place, priority (default from the type), female search, reporter, phone, notes.
    Dismisses with the new incident (dict), or None."""

    BINDINGS = [Binding("escape", "cancel", "key.cancel", id="dialog.cancel"),
                Binding("ctrl+s", "submit", "key.submit", id="dialog.submit")]
    FIELDS = ("type", "place", "priority", "female", "reporter", "phone", "notes")

    def __init__(self, choices: dict) -> None:
        super().__init__()
        self.types, self.spots = choices["types"], choices["hot_spots"]
        self.busy = False

    def compose(self) -> ComposeResult:
        type_words = [w for ty in self.types for w in (ty["code"], ty["zh"], ty["en"])]
        spot_words = [w for h in self.spots for w in (h["name"], h["code"])]
        with Vertical(classes="dialog form", id="intake"):
            yield Static(Text(t("intake.title"), style="bold"), classes="dialog-title")
            with Horizontal(classes="field"):
                yield Label(t("intake.type"), classes="field-label")
                yield CompletingInput(id="f-type", placeholder=t("intake.type_ph"),
                                      suggester=SuggestFromList(type_words, case_sensitive=False))
            yield Static(catalogue_line(self.types), classes="field-hint", id="type-list")
            yield Static(id="type-info", classes="field-hint")
            with Horizontal(classes="field"):
                yield Label(t("intake.place"), classes="field-label")
                yield CompletingInput(id="f-place", placeholder=t("intake.place_ph"),
                                      suggester=SuggestFromList(spot_words, case_sensitive=False))
            yield Static(id="place-info", classes="field-hint")
            with Horizontal(classes="field"):
                yield Label(t("intake.priority"), classes="field-label")
                yield Input(id="f-priority", placeholder=t("intake.priority_ph"))
            with Horizontal(classes="field"):
                yield Label(t("intake.female"), classes="field-label")
                yield AsciiCheckbox(t("intake.female_box"), id="f-female")
            with Horizontal(classes="field"):
                yield Label(t("intake.reporter"), classes="field-label")
                yield Input(id="f-reporter")
            with Horizontal(classes="field"):
                yield Label(t("intake.phone"), classes="field-label")
                yield Input(id="f-phone")
            with Horizontal(classes="field"):
                yield Label(t("intake.notes"), classes="field-label")
                yield Input(id="f-notes")
            yield Static(id="form-error")
            yield Static(Text(t("intake.hint"), style=DIM), classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#f-type", Input).focus()
        self.show_type(None)
        self.show_place("")

    def hot_spot(self, text: str) -> dict | None:
        """The hot spot the place names (its name, or its code in any case)."""
        text = text.strip()
        return next((h for h in self.spots if text and (text == h["name"] or text.lower() == h["code"].lower())),
                    None)

    def show_place(self, text: str) -> None:
        info = self.query_one("#place-info", Static)
        spot = self.hot_spot(text)
        if spot is not None:
            info.update(Text(t("intake.place_spot", name=spot["name"], code=spot["code"]), style="#7fd07f"))
        elif text.strip():
            info.update(Text(t("intake.place_free"), style="#e0b050"))
        else:
            info.update("")

    @on(Input.Changed, "#f-place")
    def _place_changed(self, event: Input.Changed) -> None:
        self.show_place(event.value)

    @on(CompletingInput.Completion, "#f-place")
    def _place_completion(self, event: CompletingInput.Completion) -> None:
        """A completion shows: say what Enter takes (that is what will be saved)."""
        spot = self.hot_spot(event.text or "")
        if event.text and spot is not None:
            self.query_one("#place-info", Static).update(
                Text(t("intake.place_take", name=spot["name"], code=spot["code"]), style="#7fd07f"))
        else:
            self.show_place(event.input.value)

    def show_type(self, ty: dict | None) -> None:
        info = self.query_one("#type-info", Static)
        prio = self.query_one("#f-priority", Input)
        if ty is None:
            info.update(Text(t("intake.type_unknown"), style=DIM))
            prio.placeholder = t("intake.priority_ph")
            return
        needs = t("intake.type_needs", p=ty["priority"], sworn=ty["min_sworn"] or "-", people=ty["min_people"] or "-")
        if ty["needs_woman"]:
            needs += t("intake.type_woman")
        info.update(Text.assemble(priority(ty["priority"]), " ", (i18n.name(ty, ty["code"]), "bold"), "  ",
                                  (needs, DIM)))
        prio.placeholder = t("intake.priority_default", p=ty["priority"])

    @on(Input.Changed, "#f-type")
    def _type_changed(self, event: Input.Changed) -> None:
        self.show_type(resolve_type(event.value, self.types))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def values(self) -> dict:
        def bad(field: str, message: str) -> InputError:
            return InputError(InputProblem(file="form", field=field, message=message))
        raw = {f: self.query_one(f"#f-{f}", Input).value.strip() for f in self.FIELDS if f != "female"}
        ty = resolve_type(raw["type"], self.types)
        if ty is None:
            raise bad(t("intake.type"), t("intake.type_bad", v=raw["type"] or "-"))
        prio = None
        if raw["priority"]:
            text = raw["priority"].upper().removeprefix("P")
            if not text.isdigit():
                raise bad(t("intake.priority"), t("form.not_a_number", v=raw["priority"]))
            prio = int(text)
        spot = self.hot_spot(raw["place"])
        return {"type_code": ty["code"], "place": spot["name"] if spot else raw["place"], "priority": prio,
                "female_search": self.query_one("#f-female", Checkbox).value,
                "reporter": raw["reporter"] or None, "phone": raw["phone"] or None, "notes": raw["notes"] or None}

    def action_submit(self) -> None:
        if self.busy:
            return
        try:
            values = self.values()
        except InputError as exc:
            self._failed(exc)
            return
        self.busy = True
        self.query_one("#form-error", Static).update(Text(t("form.working"), style=DIM))
        now = self.app.now()
        self.app.run_uc(lambda s: dispatch_uc.new_incident(s, values.pop("type_code"), values.pop("place"),
                                                           now=now, **values),
                        done=self._done, failed=self._failed)

    def _done(self, incident: dict) -> None:
        self.busy = False
        self.dismiss(incident)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.query_one("#form-error", Static).update(error_text(exc))


class RecommendScreen(DialogScreen):
    """Recommended units for a received incident (best first) with their reasons, and the units
    left out with why; Enter or d dispatches the selected one. Dismisses with the dispatched
    incident, or None (the call stays in the queue)."""

    BINDINGS = [Binding("escape", "cancel", "key.close", id="dialog.cancel"),
                Binding("d", "dispatch", "key.dispatch_this", id="recommend.dispatch"),
                Binding("enter", "dispatch", "key.dispatch_this", show=False, id="recommend.enter")]

    def __init__(self, iid: int) -> None:
        super().__init__()
        self.iid = iid
        self.view: dict | None = None
        self.busy = True

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide tall", id="recommend"):
            yield Static(Text(t("rec.title", id=self.iid), style="bold"), classes="dialog-title", id="rec-title")
            yield Static(id="rec-call")
            yield DataTable(id="recs", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="rec-body"):
                yield Static(id="rec-reasons")
                yield Static(id="rec-excluded")
            yield Static(id="rec-error")
            yield Static(Text(t("rec.hint"), style=DIM), classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#rec-error", Static).update(Text(t("rec.loading"), style=DIM))
        self.app.run_uc(board_uc.recommendation_view, self.iid, now=self.app.now(), done=self.show, failed=self._failed)

    def show(self, view: dict) -> None:
        self.busy = False
        self.view = view
        names, inc = view["names"], view["incident"]
        title = Text.assemble((t("rec.title", id=inc["id"]), "bold"), "  ", priority(inc["priority"]), " ",
                              (type_name(inc["type"], names), "bold"), "  ", inc["place_text"] or "")
        if inc["female_search"]:
            title.append("  " + t("rec.female"), style="#d080e0")
        if not view.get("place_known", True):
            title.append("  " + t("rec.no_position"), style="#e0b050")
        self.query_one("#rec-title", Static).update(title)
        call = [x for x in (inc.get("reporter"), inc.get("reporter_phone")) if x]
        line = Text()
        if call:
            line.append(t("inc.f.reporter") + " ", style="bold")
            line.append(" ".join(call))
        if inc.get("notes"):
            line.append(("  " if call else "") + t("inc.f.notes") + " ", style="bold")
            line.append(inc["notes"])
        self.query_one("#rec-call", Static).update(line)
        table = self.query_one("#recs", DataTable)
        width = table.size.width or 76
        name_w = max([6] + [Text(unit_names(r["units"], names)).cell_len for r in view["units"]])
        cols = [("n", "#", 2), ("unit", t("rec.unit"), name_w), ("score", t("rec.score"), 5),
                ("travel", t("rec.travel"), 6)]
        cols.append(("why", t("rec.why"), max(10, width - sum(w for _, _, w in cols) - 2 * len(cols) - 3)))
        set_columns(table, [(k, Text(label, style="bold"), w) for k, label, w in cols])
        rows = []
        for i, r in enumerate(view["units"], 1):
            rows.append((r["unit"], [Text(str(i)), Text(unit_names(r["units"], names), style="bold"),
                                     Text(f"{r['score']:.1f}"),
                                     Text(t("dur.min", n=r["travel_min"])) if r.get("travel_min") is not None
                                     else Text("-", style=DIM),
                                     clip("; ".join(said(r, "reasons")), cols[-1][2])]))
        sync_rows(table, rows)
        table.display = bool(rows)
        if rows:
            table.focus()
        self.query_one("#rec-error", Static).update(
            "" if rows else Text(t("rec.none"), style=ERROR))
        excluded = Table.grid(padding=(0, 2))
        excluded.add_column(no_wrap=True, overflow="crop", style="bold")
        excluded.add_column()
        for e in view["excluded"]:
            excluded.add_row(unit_names(e["unit"], names), Text(said(e, "why"), style=DIM))
        head = Text(t("rec.excluded") if view["excluded"] else "", style="bold")
        self.query_one("#rec-excluded", Static).update(_stack(head, excluded) if view["excluded"] else "")
        self.show_reasons()

    def selected(self) -> dict | None:
        if not self.view or not self.view["units"]:
            return None
        table = self.query_one("#recs", DataTable)
        row = table.cursor_row
        return self.view["units"][row] if 0 <= row < len(self.view["units"]) else None

    def show_reasons(self) -> None:
        rec = self.selected()
        panel = self.query_one("#rec-reasons", Static)
        if rec is None:
            panel.update("")
            return
        out = Text(t("rec.reasons", unit=unit_names(rec["units"], self.view["names"])) + "\n", style="bold")
        out.append("\n".join(f"  {line}" for line in said(rec, "reasons")))
        panel.update(out)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_reasons()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_dispatch()

    # Issue 25, item 2 (dispatch with an override reason) belongs to the dispatch use case: when it
    # offers "send anyway" (every on-duty crew with what it lacks, and a recorded reason), this
    # screen lists those crews under the recommendations and binds a key that asks for the reason
    # (a FormScreen) before calling it. Nothing here pretends to send a unit the use case refuses.

    def action_dispatch(self) -> None:
        why = self.app.refusal("dispatch")
        if why:
            self.app.say_refused(why)
            return
        rec = self.selected()
        if self.busy or rec is None:
            return
        self.busy = True
        self.query_one("#rec-error", Static).update(Text(t("form.working"), style=DIM))
        self.app.run_uc(dispatch_uc.dispatch, self.iid, rec["units"], now=self.app.now(), done=self._sent,
                        failed=self._failed)

    def _sent(self, incident: dict) -> None:
        self.busy = False
        names = self.view["names"]
        self.app.notify(t("rec.sent", id=incident["id"], units=unit_names(incident["units"], names)),
                        timeout=6, markup=False)
        self.dismiss(incident)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.query_one("#rec-error", Static).update(error_text(exc))


def _stack(*parts) -> Table:
    grid = Table.grid()
    for p in parts:
        grid.add_row(p)
    return grid
