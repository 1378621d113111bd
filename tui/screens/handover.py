"""Handover between duty officers (交接班, F7): what is open now (incidents, running legal clocks,
units), the handovers written so far with their notes and signatures.

n: the outgoing duty officer writes the notes and signs to a named incoming officer
(usecases.dispatch.handover_create); s: the incoming officer signs the selected handover
(handover_sign). The use cases decide who may: their refusal is shown as they say it.
"""
from __future__ import annotations

from datetime import datetime

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Static

import messages as i18n
from tui.format import DIM, OK, hms, incident_status, priority, unit_names, unit_status
from messages import t
from tui.screens.base import KeyBar, ViewScreen
from tui.screens.dialogs import Field, FormScreen
from tui.widgets import clip, cursor_key, fit_parts, set_columns, sync_rows
from usecases import board as board_uc
from usecases import dispatch as dispatch_uc


def content_body(content: dict, names: dict) -> Table:
    """Open incidents, legal clocks (time left when written) and units, as a handover holds them."""
    out = Table.grid()
    incs = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1, 0, 0))
    for _ in range(6):
        incs.add_column(no_wrap=True, overflow="crop")
    for i in content["open_incidents"]:
        incs.add_row(f"#{i['id']}", priority(i["priority"]), i["type"], i["place"] or "-", incident_status(i["status"]),
                     unit_names(i["unit"], names) if i["unit"] else Text("-", style=DIM))
    out.add_row(Text(t("handover.open", n=len(content["open_incidents"])), style="bold"))
    if content["open_incidents"]:
        out.add_row(incs)
    out.add_row(Text(t("handover.clocks", n=len(content["legal_clocks"])), style="bold"))
    for c in content["legal_clocks"]:
        out.add_row(Text(f"  #{c['id']} {c['kind']} " + t("handover.left", left=hms(c["remaining_s"])), style="#e0b050"))
    units = Text(t("handover.units") + " ", style="bold")
    for u in content["units"]:
        units.append(unit_names(u["unit"], names) + " ")
        units.append_text(unit_status(u["status"]))
        units.append("  ")
    out.add_row(units)
    return out


class HandoverScreen(ViewScreen):
    """交接班."""

    AUTO_FOCUS = "#handovers"
    BINDINGS = [
        Binding("n", "write", "key.handover_write", id="handover.write"),
        Binding("s", "sign", "key.handover_sign", id="handover.sign"),
    ]
    MODE = "handover"
    FOOTER = ("handover.write", "handover.sign")
    PERMS = {"write": "handover"}
    ACTIONS = {"write": "cmd.handover_write", "sign": "cmd.handover_sign"}

    def __init__(self) -> None:
        super().__init__()
        self.data: dict | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="handover-header", classes="topline")
        with Horizontal(id="handover-main"):
            with Vertical(id="handover-list-box", classes="panel"):
                yield DataTable(id="handovers", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="handover-body-box", classes="panel"):
                yield Static(id="handover-body")
        with VerticalScroll(id="handover-now", classes="panel"):
            yield Static(id="handover-draft")
        yield KeyBar()

    def relabel_static(self) -> None:
        self.query_one("#handover-list-box").border_title = t("handover.list_title")
        self.query_one("#handover-body-box").border_title = t("handover.body_title")
        self.query_one("#handover-now").border_title = t("handover.now_title")

    def read(self) -> tuple:
        return board_uc.handover_view, {"now": self.app.now()}

    def local(self, iso: str | None) -> str:
        if not iso:
            return "-"
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(self.app.zone).strftime("%m-%d %H:%M")

    def render_all(self) -> None:
        data = self.data
        if data is None:
            return
        roles = "/".join(i18n.role(r) for r in self.app.info["roles"]) or t("role.none")
        waiting = [h for h in data["handovers"] if h["to_login"] == data["login"] and not h["to_signed_at"]]
        parts = [Text(" " + t("handover.title"), style="bold"), Text(f"{data['login']} ({roles})", style=DIM)]
        if waiting:
            parts.append(Text(t("handover.to_sign", n=len(waiting), id=waiting[0]["id"]), style="bold #ffd75f"))
        self.query_one("#handover-header", Static).update(fit_parts(parts, self.size.width or 80))
        table = self.query_one("#handovers", DataTable)
        set_columns(table, [("id", Text("#", style="bold"), 3), ("at", Text(t("handover.at"), style="bold"), 11),
                            ("from", Text(t("handover.from"), style="bold"), 8),
                            ("to", Text(t("handover.to"), style="bold"), 8),
                            ("signed", Text(t("handover.signed"), style="bold"), 11)])
        rows = []
        for h in data["handovers"]:
            signed = (Text(self.local(h["to_signed_at"]), style=OK) if h["to_signed_at"]
                      else Text(t("handover.unsigned"), style="bold #ffd75f"))
            rows.append((str(h["id"]), [Text(str(h["id"])), Text(self.local(h["at"])), clip(h["from_login"], 8),
                                        clip(h["to_login"], 8), signed]))
        sync_rows(table, rows)
        self.render_body()
        self.query_one("#handover-draft", Static).update(content_body(data["draft"], data["names"]))

    def selected(self) -> dict | None:
        key = cursor_key(self.query_one("#handovers", DataTable))
        return next((h for h in (self.data or {}).get("handovers", []) if str(h["id"]) == key), None)

    def render_body(self) -> None:
        h = self.selected()
        panel = self.query_one("#handover-body", Static)
        if h is None:
            panel.update(Text(t("handover.none"), style=DIM))
            return
        out = Table.grid()
        out.add_row(Text(t("handover.head", id=h["id"], frm=h["from_login"], to=h["to_login"]), style="bold"))
        out.add_row(Text(t("handover.sig_from", who=h["from_login"], at=self.local(h["from_signed_at"])), style=OK))
        out.add_row(Text(t("handover.sig_to", who=h["to_login"], at=self.local(h["to_signed_at"])), style=OK)
                    if h["to_signed_at"] else Text(t("handover.sig_wait", who=h["to_login"]), style="bold #ffd75f"))
        out.add_row(Text(t("handover.notes"), style="bold"))
        out.add_row(Text("  " + (h["text"] or "-")))
        if h["content"]:
            out.add_row(content_body(h["content"], self.data["names"]))
        panel.update(out)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.render_body()

    def action_write(self) -> None:
        if self.data is None:
            return
        others = [u["login"] for u in self.data["users"] if u["login"] != self.data["login"]]
        duty = [u["login"] for u in self.data["users"] if u["login"] != self.data["login"]
                and {"duty", "chief"} & set(u["roles"])]
        now = self.app.now()

        def run(session, v: dict) -> dict:
            return dispatch_uc.handover_create(session, v["to"], v["notes"], now=now)
        fields = [Field("to", t("handover.to_field"), duty[0] if duty else "", hint=t("handover.to_hint",
                                                                                    users=" ".join(others)),
                        suggestions=tuple(others)),
                  Field("notes", t("handover.notes"), hint=t("handover.notes_hint"))]
        self.app.push_screen(FormScreen(t("handover.write_title"), fields, run=run, note=t("handover.write_note")),
                             lambda h: h and self.app.notify(t("handover.written", id=h["id"], to=h["to_login"]),
                                                             timeout=6, markup=False))

    def action_sign(self) -> None:
        h = self.selected()
        if h is None:
            self.app.notify(t("handover.pick"), severity="warning", timeout=5, markup=False)
            return
        self.app.run_uc(dispatch_uc.handover_sign, h["id"], now=self.app.now(),
                        done=lambda r: self.app.notify(t("handover.signed_done", id=r["id"]), timeout=6, markup=False))



